"""Empirical-Bayes shrinkage ranking."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize, special

from satisfy.analytics import shrink_rank
from satisfy.analytics.ranking import fit_beta_prior


def test_an_agent_with_three_answers_is_not_ranked_first_on_noise():
    # carol has 3/3 satisfied; ann 85/100; bob 40/60; dan 30/60
    r = shrink_rank(
        [3, 85, 40, 30], [3, 100, 60, 60], labels=["carol", "ann", "bob", "dan"]
    )
    assert r.labels[0] == "ann"
    carol = r["carol"]
    assert carol.raw == 1.0
    assert carol.estimate < 0.85
    assert carol.ci_high - carol.ci_low > r["ann"].ci_high - r["ann"].ci_low


def test_shrinkage_estimates_lie_between_raw_and_overall_mean():
    x = np.array([2, 45, 10, 70, 1])
    n = np.array([4, 60, 30, 90, 9])
    r = shrink_rank(x, n)
    a, b = r.prior
    prior_mean = a / (a + b)
    for unit in r.units:
        lo, hi = sorted([unit.raw, prior_mean])
        assert lo - 1e-9 <= unit.estimate <= hi + 1e-9
        assert unit.ci_low <= unit.estimate <= unit.ci_high
    assert [u.rank for u in r.units] == [1, 2, 3, 4, 5]


def test_beta_prior_is_the_marginal_likelihood_maximum():
    # independent computation: Nelder-Mead on the same beta-binomial likelihood
    x = np.array([12, 30, 7, 45, 20, 3])
    n = np.array([20, 40, 20, 50, 35, 10])
    a, b = fit_beta_prior(x.astype(float), n.astype(float))

    def nll(t):
        aa, bb = np.exp(t)
        return -np.sum(special.betaln(x + aa, n - x + bb) - special.betaln(aa, bb))

    ref = optimize.minimize(
        nll,
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    assert nll(np.log([a, b])) <= ref.fun + 1e-6


def test_normal_shrinkage_for_means():
    means = [4.8, 4.3, 3.9, 4.0]
    ns = [2, 80, 60, 70]
    sds = [0.1, 0.9, 1.0, 1.1]
    r = shrink_rank(means, ns, sd=sds, method="normal", labels=["new", "a", "b", "c"])
    assert r.labels[0] == "a"
    mu, tau2 = r.prior
    assert min(4.8, mu) <= r["new"].estimate <= max(4.8, mu)
    assert tau2 >= 0
    assert r["new"].ci_high - r["new"].ci_low > r["a"].ci_high - r["a"].ci_low


def test_lower_is_better_ranking():
    r = shrink_rank(
        [10, 50], [100, 100], higher_is_better=False, labels=["low", "high"]
    )
    assert r.labels == ("low", "high")


@pytest.mark.parametrize(
    ("x", "n", "kwargs", "message"),
    [
        ([1], [2], {}, "at least two units"),
        ([1, 5], [2, 3], {}, "successes of unit '1'"),
        ([1, 2], [0, 3], {}, "n ≥ 1"),
        ([1.0, 2.0], [3, 3], {"method": "normal"}, "sd="),
        ([1, 2], [3, 3], {"method": "magic"}, "method"),
    ],
)
def test_bad_input(x, n, kwargs, message):
    with pytest.raises(ValueError, match=message):
        shrink_rank(x, n, **kwargs)
