"""Intention by satisfaction level and customer lifetime value."""

from __future__ import annotations

import math

import pytest

from satisfy.analytics import Scale, intention_by_level, lifetime_value, risk_ratio


# SciPy documentation, scipy.stats.contingency.relative_risk(exposed_cases=10,
# exposed_total=75, control_cases=12, control_total=225): relative_risk 2.5,
# confidence_interval() = (1.1261564003469628, 5.549850800541033) (Katz method).
def test_katz_interval_matches_scipy_documentation():
    r = risk_ratio(10, 75, 12, 225)
    assert r.value == pytest.approx(2.5)
    assert r.ci_low == pytest.approx(1.1261564003469628, rel=1e-12)
    assert r.ci_high == pytest.approx(5.549850800541033, rel=1e-12)


def test_zero_cell_gives_an_uninformative_interval():
    # Fagerland, Lydersen & Laake, R contingencytables::Katz_log_CI_2x2: L = 0, U = Inf
    r = risk_ratio(0, 10, 3, 10)
    assert (r.value, r.ci_low, r.ci_high) == (0.0, 0.0, math.inf)


def test_very_satisfied_are_six_times_more_likely_to_repurchase():
    # domain.md (Xerox): "very satisfied" (5) 6x more likely to buy again than 4
    sat = [5] * 100 + [4] * 100 + [2] * 20
    buy = [1] * 60 + [0] * 40 + [1] * 10 + [0] * 90 + [0] * 20
    r = intention_by_level(sat, buy)
    assert r.ratio is not None
    assert r.ratio.value == pytest.approx(6.0)
    assert r.ratio.ci_low > 3
    assert [lv.level for lv in r.levels] == [2, 4, 5]
    assert r.levels[-1].label == "Very satisfied"


def test_intention_scale_with_threshold_and_na():
    sat = Scale(1, 5, na_codes=(9,))
    r = intention_by_level([5, 5, 4, 9], [10, 6, 9, 10], scale=sat, threshold=9)
    assert r.n == 3
    assert r.n_na == 1
    assert r.levels[-1].share == 0.5


def test_intention_errors_are_sentences():
    with pytest.raises(ValueError, match="intention 3 at position 1 is not yes/no"):
        intention_by_level([5, 4], [1, 3])
    with pytest.raises(ValueError, match="intention has 1 answers"):
        intention_by_level([5, 4], [1])


def test_lifetime_value_formula():
    assert lifetime_value(50.0, 4, 5).value == pytest.approx(1000.0)
    # annuity: 60 a year for 5 years at 10% -> 60 * (1 - 1.1**-5) / 0.1
    r = lifetime_value(50.0, 4, 5, margin=0.3, discount_rate=0.1)
    assert r.value == pytest.approx(60 * (1 - 1.1**-5) / 0.1)


def test_lifetime_value_by_segment_uses_segment_averages():
    out = lifetime_value([10, 30, 50], [2, 2, 4], [1, 1, 2], segments=["a", "a", "b"])
    assert isinstance(out, dict)
    assert out["a"].value == pytest.approx(20 * 2 * 1)
    assert out["b"].value == pytest.approx(50 * 4 * 2)
    assert out["a"].n == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"margin": 0}, "margin"),
        ({"discount_rate": -0.1}, "discount rate"),
    ],
)
def test_lifetime_value_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        lifetime_value(1.0, 1.0, 1.0, **kwargs)
    with pytest.raises(ValueError, match="purchase value -1 at position 0"):
        lifetime_value([-1], 1, 1)
