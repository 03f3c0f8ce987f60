"""Gap tests. The t interval and test are checked against SciPy's ``ttest_rel`` and
``TtestResult.confidence_interval`` (an independent implementation, not a published
table); the Holm step-down rule by hand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from satisfy.analytics.gaps import (
    gap_analysis,
    paired_gap,
    unit_vs_company,
)


def test_paired_gap_matches_scipy() -> None:
    rng = np.random.default_rng(2)
    e = rng.integers(4, 8, 80).astype(float)
    p = np.clip(e + rng.integers(-2, 2, 80), 1, 7)
    g = paired_gap(e, p, alpha=0.05)
    ref = stats.ttest_rel(p, e)
    ci = ref.confidence_interval(0.95)
    assert g.t == pytest.approx(ref.statistic)
    assert g.p_value == pytest.approx(ref.pvalue)
    assert (g.ci_low, g.ci_high) == pytest.approx((ci.low, ci.high))


def test_missing_pairs_are_dropped_and_counted() -> None:
    g = paired_gap([5, 6, np.nan, 7], [4, 6, 5, np.nan])
    assert (g.n, g.n_dropped) == (2, 2)


def test_identical_gaps_give_a_degenerate_but_defined_test() -> None:
    g = paired_gap([5, 6, 7], [4, 5, 6])
    assert (g.gap, g.ci_low, g.ci_high, g.p_value) == (-1.0, -1.0, -1.0, 0.0)
    table = gap_analysis({"E": [5, 6, 7], "P": [4, 5, 6]}, {"q": ("E", "P")})
    assert table.warnings


def test_item_p_values_are_holm_adjusted() -> None:
    rng = np.random.default_rng(8)
    data = {f"E{k}": rng.integers(3, 8, 40).astype(float) for k in range(3)}
    data |= {f"P{k}": data[f"E{k}"] + rng.integers(-2, 2, 40) for k in range(3)}
    t = gap_analysis(data, {f"q{k}": (f"E{k}", f"P{k}") for k in range(3)})
    raw = sorted((t.items[k].p_value, k) for k in t.items)
    # Holm: the smallest p is multiplied by m = 3, the next by 2 (monotone), the last by 1
    assert t.p_adjusted[raw[0][1]] == pytest.approx(min(1.0, 3 * raw[0][0]))
    assert t.p_adjusted[raw[1][1]] == pytest.approx(
        max(min(1.0, 3 * raw[0][0]), min(1.0, 2 * raw[1][0]))
    )


def test_dimension_gap_averages_items_per_respondent() -> None:
    d = {"E1": [7, 6, 7, 5], "P1": [5, 6, 4, 5], "E2": [6, 6, 7, 7], "P2": [6, 5, 7, 6]}
    t = gap_analysis(
        d,
        {"r1": ("E1", "P1"), "r2": ("E2", "P2")},
        dimensions={"Reliability": ["r1", "r2"]},
    )
    assert t.dimensions["Reliability"].gap == pytest.approx(
        (t.items["r1"].gap + t.items["r2"].gap) / 2
    )
    assert set(t.p_adjusted) == {"r1", "r2"}


def test_it_names_a_missing_column_and_unknown_items() -> None:
    with pytest.raises(ValueError, match="Column 'P9'"):
        gap_analysis({"E1": [1, 2]}, {"q": ("E1", "P9")})
    with pytest.raises(ValueError, match="Dimension 'X' names item"):
        gap_analysis(
            {"E": [1, 2, 3], "P": [2, 2, 4]},
            {"q": ("E", "P")},
            dimensions={"X": ["nope"]},
        )


def test_unit_vs_rest_of_company_is_welch() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(70, 10, 120)
    unit = np.arange(120) < 30
    g = unit_vs_company(x, unit)
    ref = stats.ttest_ind(x[unit], x[~unit], equal_var=False)
    assert g.t == pytest.approx(ref.statistic)
    assert g.p_value == pytest.approx(ref.pvalue)
    assert g.mean_company == pytest.approx(x.mean())
