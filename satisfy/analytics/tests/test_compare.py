"""Comparisons of two samples and of many units, against published values."""

from __future__ import annotations

import csv
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from satisfy.analytics import (
    CSAT_SCALE,
    NPS_SCALE,
    GroupedSummary,
    Scale,
    ScoreResult,
    adjust_p_values,
    compare,
    compare_groups,
    csat,
    mean_score,
    nps,
)


def _shares(x: int, n: int) -> list[int]:
    return [5] * x + [1] * (n - x)


# Newcombe (1998b) Stat Med 17:873-890, method 10 (hybrid score), as reproduced in
# the tests of the R package propint (ci.two.indep.props, tolerance 1e-4).
@pytest.mark.parametrize(
    ("x1", "n1", "x2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
    ],
)
def test_csat_difference_matches_newcombe_1998(x1, n1, x2, n2, low, high):
    c = compare(csat(_shares(x1, n1), top=1), csat(_shares(x2, n2), top=1))
    assert c.method == "newcombe"
    assert c.difference == pytest.approx(100 * (x1 / n1 - x2 / n2))
    assert c.ci_low == pytest.approx(100 * low, abs=0.01)
    assert c.ci_high == pytest.approx(100 * high, abs=0.01)


def test_pooled_z_test_p_value():
    # independent computation: chi-square test without continuity correction equals
    # the pooled two-proportion z-test (scipy.stats.chi2_contingency, correction=False)
    from scipy.stats import chi2_contingency

    _, p_ref, _, _ = chi2_contingency([[56, 14], [48, 32]], correction=False)
    c = compare(csat(_shares(56, 70), top=1), csat(_shares(48, 80), top=1))
    assert c.p_value == pytest.approx(p_ref, rel=1e-10)


# R: t.test(mtcars$mpg[mtcars$am == 0], mtcars$mpg[mtcars$am == 1]) (Welch):
# t = -3.7671, df = 18.332, p-value = 0.001374, 95% CI -11.280194 -3.209684
# (RPubs 1037574 and 1153739).
def test_mean_difference_matches_r_welch_t_test(shared_data):
    with (shared_data / "survey-anchors" / "mtcars.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    groups = []
    for am in ("0", "1"):
        x = np.array([float(r["mpg"]) for r in rows if r["am"] == am])
        groups.append(
            ScoreResult(
                value=float(x.mean()),
                n=x.size,
                ci_low=0.0,
                ci_high=0.0,
                method="t",
                metric="mean",
                se=float(x.std(ddof=1) / np.sqrt(x.size)),
                df=x.size - 1,
            )
        )
    c = compare(groups[0], groups[1])
    assert c.method == "welch"
    assert c.statistic == pytest.approx(-3.7671, abs=1e-4)
    assert c.df == pytest.approx(18.332, abs=1e-3)
    assert c.p_value == pytest.approx(0.001374, abs=1e-6)
    assert c.ci_low == pytest.approx(-11.280194, abs=1e-6)
    assert c.ci_high == pytest.approx(-3.209684, abs=1e-6)


def test_nps_difference_uses_the_sum_of_variances():
    a, b = nps([10] * 60 + [3] * 40), nps([10] * 40 + [3] * 60)
    c = compare(a, b)
    se = np.sqrt(a.se**2 + b.se**2)
    assert c.difference == pytest.approx(40.0)
    assert c.ci_low == pytest.approx(40 - 1.959963984540054 * se)
    assert c.is_significant
    assert c.direction == "up"


def test_compare_from_raw_answers_with_kind():
    c = compare([4, 5, 5, 4, 5, 4], [1, 2, 2, 1, 3, 2], kind="mean")
    assert c.method == "welch"
    assert c.direction == "up"
    same = compare([4, 5, 3], [4, 5, 3], kind="csat")
    assert same.difference == 0
    assert not same.is_significant
    assert same.direction == "none"


def test_compare_refuses_different_metrics():
    with pytest.raises(ValueError, match="same metric"):
        compare(nps([10, 9]), csat([5, 4]))
    with pytest.raises(ValueError, match="kind="):
        compare([1, 2], [3, 4])
    with pytest.raises(ValueError, match="n = 1"):
        compare(mean_score([5]), mean_score([1, 2]))


# R: p.adjust(c(0.001, 0.01, 0.05, 0.1, 0.5, 0.9), method = "holm" / "BH"), as
# recorded (R 4.5.2) in the tests of the Python package pystatistics (p_adjust).
def test_p_value_adjustment_matches_r_p_adjust():
    p = [0.001, 0.01, 0.05, 0.1, 0.5, 0.9]
    np.testing.assert_allclose(
        adjust_p_values(p, method="holm"), [0.006, 0.05, 0.2, 0.3, 1.0, 1.0]
    )
    np.testing.assert_allclose(
        adjust_p_values(p, method="bh"), [0.006, 0.03, 0.1, 0.15, 0.6, 0.9]
    )
    np.testing.assert_allclose(
        adjust_p_values(p, method="bonferroni"), [0.006, 0.06, 0.3, 0.6, 1.0, 1.0]
    )


def test_adjustment_keeps_the_original_order():
    p = [0.5, 0.001, 0.05]
    assert adjust_p_values(p, method="holm").tolist() == pytest.approx(
        [0.5, 0.003, 0.1]
    )


def test_every_unit_against_the_rest_with_holm():
    # given a big unit like the rest and a small unit that is much worse
    rng = np.random.default_rng(5)
    big = rng.choice([10, 9, 8, 3], size=600, p=[0.3, 0.2, 0.3, 0.2])
    worse = rng.choice([10, 2, 1], size=80, p=[0.1, 0.45, 0.45])
    same = rng.choice([10, 9, 8, 3], size=300, p=[0.3, 0.2, 0.3, 0.2])
    values = np.concatenate([big, worse, same])
    units = ["big"] * 600 + ["worse"] * 80 + ["same"] * 300
    g = GroupedSummary.from_values(values, units, scale=NPS_SCALE)
    # when
    r = compare_groups(g, kind="nps", adjust="holm")
    # then only the worse unit is flagged, and its difference is unit minus rest
    assert r["worse"].is_significant
    assert r["worse"].comparison.direction == "down"
    assert not r["same"].is_significant
    rest = g.total() - g["worse"]
    assert r["worse"].comparison.difference == pytest.approx(
        nps(g["worse"]).value - nps(rest).value
    )
    assert r["worse"].p_adjusted >= r["worse"].comparison.p_value
    assert r.total == nps(g.total())


def test_compare_groups_for_csat_with_bh():
    g = GroupedSummary.from_values(
        [5, 4, 5, 1, 2, 1, 5, 4, 2, 1] * 10,
        ["a", "a", "a", "b", "b", "b", "c", "c", "c", "c"] * 10,
        scale=CSAT_SCALE,
    )
    r = compare_groups(g, kind="csat", adjust="bh")
    assert r.adjust == "bh"
    assert set(r.significant()) <= {"a", "b", "c"}
    assert r["a"].comparison.method == "newcombe"


def test_compare_groups_for_csi_uses_welch():
    g = GroupedSummary.from_values(
        [5, 4] * 20 + [1, 2] * 20, ["a"] * 40 + ["b"] * 40, scale=CSAT_SCALE
    )
    r = compare_groups(g, kind="csi")
    assert r["a"].comparison.method == "welch"
    assert r["a"].comparison.difference == pytest.approx(75.0)
    assert r["a"].is_significant


@given(
    st.lists(st.integers(0, 10), min_size=2, max_size=50),
    st.lists(st.integers(0, 10), min_size=2, max_size=50),
    st.sampled_from(["nps", "csat", "mean"]),
)
def test_swapping_the_samples_mirrors_the_comparison(a, b, kind):
    options: dict[str, Any] = {} if kind == "nps" else {"scale": Scale(0, 10)}
    ab = compare(a, b, kind=kind, **options)
    ba = compare(b, a, kind=kind, **options)
    assert ab.difference == pytest.approx(-ba.difference, abs=1e-9)
    assert ab.ci_low == pytest.approx(-ba.ci_high, abs=1e-9)
    assert ab.p_value == pytest.approx(ba.p_value, abs=1e-12)
    assert ab.ci_low <= ab.difference <= ab.ci_high
