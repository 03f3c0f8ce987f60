"""Intervals against published reference values (source beside every number)."""

from __future__ import annotations

import numpy as np
import pytest

from satisfy.analytics import (
    bootstrap_interval,
    nps_interval,
    proportion_interval,
    t_interval,
    wilson_interval,
)


# Newcombe (1998a) Stat Med 17:857-872, Table II, method 3 (Wilson score), as
# reproduced in the tests of the R package propint (ci.one.prop, tolerance 1e-4).
@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
    ],
)
def test_wilson_matches_newcombe_1998(x, n, low, high):
    lo, hi = wilson_interval(x, n)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


# Reference: R, binom::binom.confint(x = 18, n = 20, methods = "wilson"); the
# lower bound is the value statsmodels records from R in results_proportion.py
# (quoted in /work/shared/conventions.md 2.7).
def test_wilson_matches_r_binom_18_of_20():
    low, high = wilson_interval(successes=18, n=20, alpha=0.05)
    assert low == pytest.approx(0.6989663548, rel=1e-9)
    assert high == pytest.approx(0.9721335188, rel=1e-9)


# R package cards, tests/testthat/_snaps/proportion_ci.md (proportion_ci_wilson,
# correct = FALSE): 5/10 at 90% -> 0.2692718, 0.7307282; 32/32 -> 0.8928208, 1;
# 0/32 -> 0, 0.1071792.
@pytest.mark.parametrize(
    ("x", "n", "alpha", "low", "high"),
    [
        (5, 10, 0.10, 0.2692718, 0.7307282),
        (32, 32, 0.05, 0.8928208, 1.0),
        (0, 32, 0.05, 0.0, 0.1071792),
    ],
)
def test_wilson_matches_r_cards_snapshots(x, n, alpha, low, high):
    lo, hi = wilson_interval(x, n, alpha=alpha)
    assert lo == pytest.approx(low, abs=5e-8)
    assert hi == pytest.approx(high, abs=5e-8)


def test_wilson_vectorised_equals_scalar():
    low, high = proportion_interval([81, 15], [263, 148])
    assert low[0] == pytest.approx(wilson_interval(81, 263)[0], rel=1e-15)
    assert high[1] == pytest.approx(wilson_interval(15, 148)[1], rel=1e-15)


def test_clopper_pearson_zero_successes_has_closed_form():
    # independent computation: for x = 0 the exact upper limit is 1 - (alpha/2)^(1/n)
    low, high = proportion_interval(0, 20, method="clopper-pearson")
    assert float(low) == 0.0
    assert float(high) == pytest.approx(1 - 0.025 ** (1 / 20), rel=1e-10)


def test_clopper_pearson_agrees_with_scipy_binomtest():
    # independent computation: scipy.stats.binomtest(...).proportion_ci("exact")
    from scipy.stats import binomtest

    ref = binomtest(7, 30).proportion_ci(confidence_level=0.95, method="exact")
    low, high = proportion_interval(7, 30, method="clopper-pearson")
    assert float(low) == pytest.approx(ref.low, rel=1e-10)
    assert float(high) == pytest.approx(ref.high, rel=1e-10)


# R: t.test(mtcars$mpg): mean of x 20.09062, 95 percent CI 17.91768 22.26357;
# sd(mtcars$mpg) = 6.026948 (RPubs 1037574, "Using the mtcars data").
def test_t_interval_matches_r_t_test_on_mtcars(shared_data):
    import csv

    with (shared_data / "survey-anchors" / "mtcars.csv").open() as fh:
        mpg = np.array([float(row["mpg"]) for row in csv.DictReader(fh)])
    assert mpg.mean() == pytest.approx(20.09062, abs=1e-5)
    assert mpg.std(ddof=1) == pytest.approx(6.026948, abs=1e-6)
    low, high = t_interval(mpg.mean(), mpg.std(ddof=1), mpg.size)
    assert float(low) == pytest.approx(17.91768, abs=1e-5)
    assert float(high) == pytest.approx(22.26357, abs=1e-5)


def test_nps_wald_interval_uses_the_multinomial_variance():
    # independent computation of (p + d - (p - d)^2) / n
    p, d, n = 0.5, 0.2, 100
    se = np.sqrt((p + d - (p - d) ** 2) / n)
    low, high = nps_interval(50, 20, 100)
    assert float(low) == pytest.approx(100 * (0.3 - 1.959963984540054 * se), rel=1e-12)
    assert float(high) == pytest.approx(100 * (0.3 + 1.959963984540054 * se), rel=1e-12)


def test_adjusted_wald_adds_three_quarters_and_three():
    # Rocks (2016); Lewis & Sauro, MeasuringU "Evaluating NPS confidence intervals"
    # (2021): add 3/4 to promoters and detractors and 3 to n.
    low, high = nps_interval(10, 2, 12, method="adjusted-wald")
    ref_low, ref_high = nps_interval(10.75, 2.75, 15, method="wald")
    assert float(low) == pytest.approx(float(ref_low))
    assert float(high) == pytest.approx(float(ref_high))
    # all promoters: Wald collapses, adjusted Wald keeps a real interval
    wl, wh = nps_interval(5, 0, 5)
    al, _ah = nps_interval(5, 0, 5, method="adjusted-wald")
    assert float(wl) == float(wh) == 100.0
    assert float(al) < 100.0


def test_bootstrap_is_reproducible_with_random_state():
    stat = lambda s: s[:, 1]  # noqa: E731
    a = bootstrap_interval(stat, [0.3, 0.7], 200, random_state=7)
    b = bootstrap_interval(stat, [0.3, 0.7], 200, random_state=7)
    assert a == b
    assert a[0] < 0.7 < a[1]


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5, "x"])
def test_rejects_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        wilson_interval(1, 10, alpha=alpha)


def test_rejects_impossible_counts():
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="positive"):
        wilson_interval(0, 0)
    with pytest.raises(ValueError, match="method"):
        proportion_interval(1, 10, method="magic")
