from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satisfy.analytics.ipa import (
    describe_drivers,
    importance_performance,
    ipa_from_data,
)

IMPORTANCE = {"access": 0.2, "resolution": 0.5, "treatment": 0.3}
PERFORMANCE = {"access": 80.0, "resolution": 60.0, "treatment": 76.0}


def test_quadrants_follow_the_mean_cut_points() -> None:
    r = importance_performance(IMPORTANCE, PERFORMANCE)
    assert r.importance_cut == pytest.approx(1 / 3)
    assert r.performance_cut == pytest.approx(72.0)
    assert {it.name: it.quadrant for it in r.items} == {
        "access": "possible_overkill",
        "resolution": "concentrate_here",
        "treatment": "possible_overkill",
    }
    assert r.focus_areas == ("resolution",)
    assert "mean" in r.cut_rule


def test_fixed_cut_points_are_stated() -> None:
    r = importance_performance(
        IMPORTANCE, PERFORMANCE, importance_cut=0.25, performance_cut=50
    )
    assert r.cut_rule == "importance cut = 0.25, performance cut = 50"
    assert (
        r.item("access").quadrant == "low_priority"
        or r.item("access").quadrant == "possible_overkill"
    )


def test_it_refuses_mismatched_attributes() -> None:
    with pytest.raises(ValueError, match="No performance given for treatment"):
        importance_performance(IMPORTANCE, {"access": 1.0, "resolution": 2.0})


def test_summary_names_the_strongest_driver_and_its_gap() -> None:
    r = importance_performance(
        IMPORTANCE, PERFORMANCE, performance_scale=(0, 100), target="CSAT"
    )
    text = describe_drivers(r, labels={"resolution": "Resolution"})
    assert text.startswith(
        "Resolution is the strongest driver of CSAT (50% of the explained variation)."
    )
    assert "18 points below" in text


def test_from_answers_rescales_performance() -> None:
    d = {
        "y": [1, 2, 3, 4, 5, 3, 2],
        "a": [1, 2, 3, 5, 5, 3, 1],
        "b": [2, 2, 3, 3, 4, 4, 1],
    }
    ipa, drv = ipa_from_data(d, "y", ["a", "b"], scale=(1, 5))
    assert ipa.item("a").performance == pytest.approx(100 * (20 / 7 - 1) / 4)
    assert ipa.item("a").importance == pytest.approx(drv.shares["a"])


_values = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(
    st.dictionaries(
        st.sampled_from("abcdefgh"), st.tuples(_values, _values), min_size=1
    )
)
def test_quadrants_agree_with_the_stated_cut_points(
    items: dict[str, tuple[float, float]],
) -> None:
    r = importance_performance(
        {k: v[0] for k, v in items.items()}, {k: v[1] for k, v in items.items()}
    )
    for it in r.items:
        high_importance = it.importance >= r.importance_cut
        high_performance = it.performance >= r.performance_cut
        expected = {
            (True, False): "concentrate_here",
            (True, True): "keep_up_the_good_work",
            (False, False): "low_priority",
            (False, True): "possible_overkill",
        }[(high_importance, high_performance)]
        assert it.quadrant == expected
    ranks = [r.item(n).importance_rank for n in r.focus_areas]
    assert ranks == sorted(ranks)
    assert all(r.item(n).quadrant == "concentrate_here" for n in r.focus_areas)


def test_ipa_from_data_passes_the_bootstrap_through() -> None:
    import numpy as np

    from satisfy.analytics.ipa import ipa_from_data

    rng = np.random.default_rng(2)
    x = rng.integers(1, 6, size=(200, 2)).astype(float)
    y = x @ [0.7, 0.2] + rng.normal(size=200)
    data = {"y": y, "a": x[:, 0], "b": x[:, 1]}
    _ipa, result = ipa_from_data(data, "y", ["a", "b"], bootstrap=50, random_state=3)
    _again, same = ipa_from_data(data, "y", ["a", "b"], bootstrap=50, random_state=3)
    assert result.n_resamples == 50
    assert result.shares_ci is not None
    assert result.shares_ci == same.shares_ci
    low, high = result.shares_ci["a"]
    assert low < result.shares["a"] < high
