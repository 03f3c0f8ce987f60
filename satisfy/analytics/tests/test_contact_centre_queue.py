"""Queue KPIs: ASA, waits, abandonment, AHT, transfers; summaries merge."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from satisfy.analytics.contact_centre import (
    agent_occupancy,
    group_index,
    interval_starts,
    queue_kpis,
    summarise_queue,
    summarise_queue_by_group,
)


def test_it_computes_every_kpi_by_hand():
    # given: 3 answered calls (waits 0, 10, 50) and 2 abandons (waits 4, 90)
    waits = [0, 10, 50, 4, 90]
    answered = [True, True, True, False, False]
    talk = [100, 200, 300, np.nan, np.nan]
    hold = [0, 30, np.nan, np.nan, np.nan]
    # when
    k = queue_kpis(
        summarise_queue(
            waits,
            answered,
            talk_seconds=talk,
            hold_seconds=hold,
            transfers=[0, 1, np.nan, np.nan, np.nan],
            is_escalated=[0, 0, 1, np.nan, np.nan],
        )
    )
    # then
    assert (k.offered, k.answered, k.abandoned) == (5, 3, 2)
    assert k.asa_seconds == pytest.approx(20.0)
    assert k.average_wait_seconds == pytest.approx(154 / 5)
    assert k.average_time_to_abandon_seconds == pytest.approx(47.0)
    assert k.abandonment_rate == pytest.approx(0.4)
    assert k.answer_rate == pytest.approx(0.6)
    assert k.aht_seconds == pytest.approx(630 / 3)
    assert k.aht_components == ("talk", "hold")
    assert k.transfer_rate == pytest.approx(
        0.5
    )  # 1 of the 2 answered calls with a count
    assert k.escalation_rate == pytest.approx(1 / 3)


def test_short_abandons_are_not_offered():
    k = queue_kpis(
        summarise_queue([1, 3, 30], [False, False, True], short_abandon_seconds=3)
    )
    assert (k.offered, k.abandoned, k.short_abandons) == (1, 0, 2)
    assert k.abandonment_rate == 0.0


def test_missing_components_give_no_aht_rather_than_nan():
    k = queue_kpis(summarise_queue([1.0], [True]))
    assert k.aht_seconds is None
    assert k.transfer_rate is None


calls = st.lists(
    st.tuples(st.integers(0, 3), st.floats(0, 600), st.booleans(), st.floats(0, 900)),
    min_size=1,
    max_size=60,
)


@given(calls)
def test_group_summaries_add_up_to_the_overall_summary(rows):
    groups = np.array([r[0] for r in rows])
    waits = np.array([r[1] for r in rows])
    answered = np.array([r[2] for r in rows])
    talk = np.array([r[3] for r in rows])
    kwargs: dict[str, Any] = {
        "answer_within_seconds": 20,
        "short_abandon_seconds": 5,
        "talk_seconds": talk,
    }
    parts = summarise_queue_by_group(groups, 4, waits, answered, **kwargs)
    merged = parts[0] + parts[1] + parts[2] + parts[3]
    whole = summarise_queue(waits, answered, **kwargs)
    assert merged.offered == whole.offered
    assert merged.answered_within == whole.answered_within
    assert merged.abandoned_within == whole.abandoned_within
    assert merged.handle_seconds_sum == pytest.approx(whole.handle_seconds_sum)
    assert merged.wait_seconds_answered_sum == pytest.approx(
        whole.wait_seconds_answered_sum
    )


def test_summaries_with_different_thresholds_do_not_merge():
    a = summarise_queue([1.0], [True], answer_within_seconds=20)
    b = summarise_queue([1.0], [True], answer_within_seconds=30)
    with pytest.raises(ValueError, match="different thresholds"):
        a + b


def test_interval_starts_and_group_index():
    assert interval_starts([899, 900, 3599], interval_minutes=15).tolist() == [
        0,
        900,
        2700,
    ]
    with pytest.raises(ValueError, match="15, 30, 60"):
        interval_starts([0], interval_minutes=20)
    index, labels = group_index(["b", "a", "b"], ["x", "x", "y"])
    assert labels == [("a", "x"), ("b", "x"), ("b", "y")]
    assert index.tolist() == [1, 0, 2]


def test_group_index_out_of_range_is_rejected():
    with pytest.raises(ValueError, match="group_index"):
        summarise_queue_by_group([0, 5], 2, [1, 2], [True, True])


def test_occupancy_from_agent_states():
    assert agent_occupancy([1800], [600]) == 0.75
    assert agent_occupancy([0], [0]) is None


@given(
    st.lists(
        st.tuples(st.integers(-3, 400), st.sampled_from(["PS", "NE", "TT"])),
        min_size=1,
        max_size=80,
    )
)
def test_group_index_integer_fast_path_agrees_with_unique(rows):
    days = np.array([r[0] for r in rows], dtype=np.int16)
    types = np.array([r[1] for r in rows])
    index, labels = group_index(types, days)
    _, slow_labels = group_index(types, days.astype(str).astype(object))
    assert [(t, int(d)) for t, d in labels] == sorted(
        {(t, int(d)) for t, d in zip(types, days, strict=True)}
    )
    assert len(slow_labels) == len(labels)
    for i in range(len(rows)):
        assert labels[index[i]] == (types[i], days[i])
