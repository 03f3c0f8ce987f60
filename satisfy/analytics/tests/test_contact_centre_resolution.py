"""Repeat contacts, FCR and active contact resolution, with right-censoring."""

from __future__ import annotations

import numpy as np
import pytest

from satisfy.analytics.contact_centre import (
    active_contact_resolution,
    repeat_contact_flags,
    repeat_contacts,
)

DAY = 86_400


def test_a_contact_followed_within_the_window_is_a_repeat():
    flags = repeat_contact_flags(
        ["a", "a", "a"],
        [0, 2 * DAY, 10 * DAY],
        window_days=3,
        data_end_seconds=30 * DAY,
    )
    assert flags.tolist() == [1.0, 0.0, 0.0]


def test_contacts_near_the_end_without_a_repeat_are_censored():
    # the second contact's 3-day window ends after the data does
    flags = repeat_contact_flags(
        ["a", "b"], [0, 9 * DAY], window_days=3, data_end_seconds=10 * DAY
    )
    assert flags[0] == 0.0
    assert np.isnan(flags[1])


def test_a_repeat_seen_near_the_end_is_censored_too():
    # the first contact's 3-day window (days 9-12) is not wholly observed: keeping
    # it because its repeat happens to be seen would bias the repeat rate upwards
    flags = repeat_contact_flags(
        ["a", "a"], [9 * DAY, 9.5 * DAY], window_days=3, data_end_seconds=10 * DAY
    )
    assert np.isnan(flags).all()


def test_the_end_of_the_data_does_not_change_any_kept_flag():
    # Cutting the data at day 40 keeps exactly the contacts whose window ends by
    # then, each with the flag the full 60 days give it: no bias from the cut.
    rng = np.random.default_rng(4)
    customers = rng.integers(0, 300, 3000).astype(str)
    times = rng.uniform(0, 60 * DAY, 3000)
    full = repeat_contact_flags(customers, times, window_days=7)
    seen = times <= 40 * DAY
    cut = repeat_contact_flags(
        customers[seen], times[seen], window_days=7, data_end_seconds=40 * DAY
    )
    whole = times[seen] + 7 * DAY <= 40 * DAY
    assert np.isnan(cut[~whole]).all()
    assert np.array_equal(cut[whole], full[seen][whole])
    assert 0 < np.nanmean(cut) < 1


def test_unidentified_customers_are_not_evaluable():
    flags = repeat_contact_flags(
        ["", None, "", "c"], [0, 1, 2, 3], window_days=1, data_end_seconds=9 * DAY
    )
    assert np.isnan(flags[:3]).all()
    assert flags[3] == 0.0


def test_fcr_counts_only_handled_evaluable_contacts():
    r = repeat_contacts(
        ["a", "a", "b", "", "c"],
        [0, DAY, 0, 0, 9 * DAY],
        window_days=2,
        data_end_seconds=10 * DAY,
        is_handled=[True, False, True, True, True],
    )
    assert (r.contacts, r.unidentified, r.censored, r.evaluable, r.repeats) == (
        4,
        1,
        1,
        2,
        1,
    )
    assert r.fcr_rate == pytest.approx(0.5)
    assert r.fcr_ci_low is not None
    assert r.fcr_ci_high is not None
    assert r.fcr_ci_low < 0.5 < r.fcr_ci_high


def test_active_contact_resolution_is_per_agent():
    r = active_contact_resolution(
        ["ann", "ann", "bob", ""],
        ["x", "y", "x", "y"],
        [0, 0, DAY, DAY],
        window_days=2,
        data_end_seconds=20 * DAY,
    )
    by_agent = {a.agent: a for a in r}
    # ann's contact with x is followed by x's call to bob; her contact with y by y's IVR call
    assert by_agent["ann"].resolved == 0
    assert by_agent["ann"].evaluable == 2
    assert by_agent["bob"].rate == 1.0


def test_window_must_be_positive():
    with pytest.raises(ValueError, match="window_days"):
        repeat_contact_flags(["a"], [0], window_days=0)
