"""Raking, post-stratification and Kish diagnostics."""

from __future__ import annotations

import numpy as np
import pytest

from satisfy.analytics import (
    csat,
    design_effect,
    effective_sample_size,
    poststratify,
    rake,
)

# Wikipedia "Iterative proportional fitting", worked example (seed X, row targets u,
# column targets v), with the fitted table as printed in the README of the Julia
# package ProportionalFitting.jl (vankesteren/ProportionalFitting.jl):
#   64.5585 46.2325  35.3843  3.82473
#   49.9679 68.1594 156.499  25.3742
#   56.7219 144.428 145.082  53.7673
#   28.7516 41.18    63.0347 17.0337
SEED = np.array(
    [[40, 30, 20, 10], [35, 50, 100, 75], [30, 80, 70, 120], [20, 30, 40, 50]]
)
ROW_TARGETS = [150, 300, 400, 150]
COL_TARGETS = [200, 300, 400, 100]
FITTED = np.array(
    [
        [64.5585, 46.2325, 35.3843, 3.82473],
        [49.9679, 68.1594, 156.499, 25.3742],
        [56.7219, 144.428, 145.082, 53.7673],
        [28.7516, 41.18, 63.0347, 17.0337],
    ]
)


def test_raking_reproduces_the_published_ipf_example():
    # given one "respondent" per cell whose base weight is the seed cell
    rows, cols = np.indices(SEED.shape)
    margins = {"row": rows.ravel(), "col": cols.ravel()}
    targets = {
        "row": dict(enumerate(ROW_TARGETS)),
        "col": dict(enumerate(COL_TARGETS)),
    }
    # when
    result = rake(margins, targets, weights=SEED.ravel(), tol=1e-12)
    # then the raked weights are the fitted table
    assert result.converged
    np.testing.assert_allclose(result.weights.reshape(4, 4), FITTED, rtol=2e-5)


def test_raking_matches_margins_given_as_shares():
    region = ["n"] * 6 + ["s"] * 4
    sex = ["m", "f"] * 5
    r = rake(
        {"region": region, "sex": sex},
        {"region": {"n": 0.5, "s": 0.5}, "sex": {"m": 0.4, "f": 0.6}},
    )
    w = r.weights
    assert w.sum() == pytest.approx(10.0)
    assert w[np.array(region) == "n"].sum() == pytest.approx(5.0)
    assert w[np.array(sex) == "f"].sum() == pytest.approx(6.0)
    assert r.n_effective == pytest.approx(effective_sample_size(w))


def test_trimming_keeps_weights_within_bounds():
    # a rare group needs a large weight; trimming caps it and re-rakes the rest
    rng = np.random.default_rng(1)
    region = rng.choice(["a", "b", "c"], size=400, p=[0.1, 0.45, 0.45])
    age = rng.choice(["y", "o"], size=400, p=[0.3, 0.7])
    margins = {"region": region, "age": age}
    targets = {"region": {"a": 0.2, "b": 0.4, "c": 0.4}, "age": {"y": 0.5, "o": 0.5}}
    free = rake(margins, targets)
    trimmed = rake(margins, targets, trim=(0.3, 2.5))
    w = trimmed.weights
    assert free.weights.max() > 2.5 * free.weights.mean()
    assert trimmed.converged
    assert w.max() <= 2.5 * w.mean() * (1 + 1e-6)
    assert w[region == "a"].sum() == pytest.approx(0.2 * 400, rel=1e-6)
    assert w[age == "y"].sum() == pytest.approx(0.5 * 400, rel=1e-6)
    assert trimmed.design_effect < free.design_effect


def test_impossible_trimming_is_reported_not_hidden():
    region = ["a"] * 5 + ["b"] * 95
    targets = {"region": {"a": 0.5, "b": 0.5}}
    with pytest.raises(ValueError, match="did not converge"):
        rake({"region": region}, targets, trim=(0.5, 2.0), max_iter=50)
    loose = rake(
        {"region": region}, targets, trim=(0.5, 2.0), max_iter=50, strict=False
    )
    assert not loose.converged
    assert loose.max_error > 0.1


def test_raking_errors_name_the_problem():
    with pytest.raises(
        ValueError, match="category 'x', which has no population target"
    ):
        rake({"r": ["a", "x"]}, {"r": {"a": 1, "b": 1}})
    with pytest.raises(
        ValueError, match="'b' has a population target but no respondents"
    ):
        rake({"r": ["a", "a"]}, {"r": {"a": 1, "b": 1}})
    with pytest.raises(ValueError, match="totals differ"):
        rake(
            {"r": ["a", "b"], "s": ["x", "y"]},
            {"r": {"a": 5, "b": 5}, "s": {"x": 3, "y": 3}},
        )
    with pytest.raises(ValueError, match="weight -2 at position 1 is negative"):
        rake({"r": ["a", "b"]}, {"r": {"a": 1, "b": 1}}, weights=[1, -2])


def test_poststratification_reproduces_population_totals():
    strata = ["m", "m", "m", "f"]
    r = poststratify(strata, {"m": 500, "f": 500})
    assert r.weights.tolist() == pytest.approx([500 / 3] * 3 + [500])
    assert r.converged
    assert r.iterations == 1


def test_weighted_csat_after_poststratification():
    # 3 men all satisfied, 1 woman not: weighting to 50/50 gives CSAT 50%
    r = poststratify(["m", "m", "m", "f"], {"m": 0.5, "f": 0.5})
    score = csat([5, 5, 5, 1], weights=r.weights)
    assert score.value == pytest.approx(50.0)
    assert score.n_effective == pytest.approx(r.n_effective)


def test_kish_effective_n_and_design_effect():
    # Kish (1965): n_eff = (sum w)^2 / sum w^2; deff = n / n_eff
    assert effective_sample_size([2, 2, 2]) == pytest.approx(3.0)
    assert effective_sample_size([1, 3]) == pytest.approx(16 / 10)
    assert design_effect([1, 3]) == pytest.approx(2 / 1.6)
    with pytest.raises(ValueError, match="all weights are zero"):
        effective_sample_size([0, 0])
