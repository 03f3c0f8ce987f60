"""Sampling: allocation invariants, reproducibility, and the Welch layout effect."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satisfy.analytics.sampling import (
    allocate,
    key_layout_effect,
    representativeness,
    simple_random_sample,
    stratified_sample,
    systematic_sample,
)

sizes_strategy = st.dictionaries(
    st.sampled_from(list("abcdefgh")), st.integers(0, 500), min_size=1
)


def test_simple_random_sample_is_reproducible_and_distinct() -> None:
    first = simple_random_sample(1000, 50, random_state=11)
    again = simple_random_sample(1000, 50, random_state=11)
    other = simple_random_sample(1000, 50, random_state=12)
    assert first.tolist() == again.tolist()
    assert first.tolist() != other.tolist()
    assert len(set(first.tolist())) == 50
    assert first.min() >= 0
    assert first.max() < 1000


def test_simple_random_sample_rejects_n_above_population() -> None:
    with pytest.raises(ValueError, match="larger than the population"):
        simple_random_sample(5, 6)


def test_systematic_sample_keeps_fractional_interval() -> None:
    sample = systematic_sample(10, 3, random_state=0)
    # interval 10/3: consecutive gaps are 3 or 4
    assert set(np.diff(sample).tolist()) <= {3, 4}
    assert len(set(sample.tolist())) == 3


def test_systematic_inclusion_probability_is_n_over_n() -> None:
    # independent check by simulation: every unit is drawn with probability n/N
    hits = np.zeros(7)
    rng = np.random.default_rng(5)
    for _ in range(7000):
        hits[systematic_sample(7, 3, random_state=rng)] += 1
    assert np.allclose(hits / 7000, 3 / 7, atol=0.03)


def test_proportional_allocation_matches_hand_computation() -> None:
    # Hand computation (largest remainder): 100 * (500, 333, 167) / 1000
    # = 50, 33.3, 16.7 -> 50, 33, 17
    assert allocate({"a": 500, "b": 333, "c": 167}, 100) == {"a": 50, "b": 33, "c": 17}


def test_equal_allocation_redistributes_small_strata() -> None:
    assert allocate({"a": 5, "b": 100, "c": 100}, 45, method="equal") == {
        "a": 5,
        "b": 20,
        "c": 20,
    }


def test_minimum_allocation_gives_every_agent_the_floor() -> None:
    sizes = {f"agent{i}": size for i, size in enumerate([2000, 400, 50, 30, 5])}
    result = allocate(sizes, 200, method="minimum", minimum=20)
    assert sum(result.values()) == 200
    assert result["agent2"] == 20
    assert result["agent3"] == 20
    assert result["agent4"] == 5  # a stratum smaller than the floor is taken whole


def test_minimum_allocation_refuses_impossible_floor() -> None:
    with pytest.raises(ValueError, match="minimum of 50"):
        allocate({"a": 100, "b": 100, "c": 100}, 120, method="minimum", minimum=50)


def test_unknown_method_is_named() -> None:
    with pytest.raises(ValueError, match="'optimal'"):
        allocate({"a": 1}, 1, method="optimal")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    sizes=sizes_strategy,
    fraction=st.floats(0, 1),
    method=st.sampled_from(["proportional", "equal", "minimum"]),
    minimum=st.integers(0, 10),
)
def test_allocation_invariants(
    sizes: dict[str, int], fraction: float, method: str, minimum: int
) -> None:
    population = sum(sizes.values())
    n = int(population * fraction)
    if method == "minimum" and sum(min(minimum, s) for s in sizes.values()) > n:
        return
    result = allocate(sizes, n, method=method, minimum=minimum)  # type: ignore[arg-type]
    assert sum(result.values()) == n
    assert all(0 <= result[k] <= sizes[k] for k in sizes)
    if method == "proportional" and population:
        for key, size in sizes.items():
            assert abs(result[key] - n * size / population) < 1 + 1e-9
    if method == "minimum":
        assert all(result[k] >= min(minimum, sizes[k]) for k in sizes)


def test_stratified_sample_draws_within_strata_and_is_seeded() -> None:
    rng = np.random.default_rng(0)
    strata = rng.choice(["north", "south", "east"], size=10_000, p=[0.6, 0.3, 0.1])
    sample = stratified_sample(strata, 1000, random_state=99)
    again = stratified_sample(strata, 1000, random_state=99)
    assert sample.indices.tolist() == again.indices.tolist()
    assert sample.n == 1000
    drawn = {
        label: int((strata[sample.indices] == label).sum())
        for label in ("north", "south", "east")
    }
    for row in sample.allocation:
        assert drawn[str(row.stratum)] == row.n
        assert row.weight == pytest.approx(row.population_n / row.n)


def test_stratified_sample_accepts_mixed_labels() -> None:
    sample = stratified_sample(
        [1, "a", 1, "a", None, None], 3, method="equal", random_state=1
    )
    assert sorted(row.n for row in sample.allocation) == [1, 1, 1]


def test_representativeness_table() -> None:
    rows = representativeness({"a": 80, "b": 20}, {"a": 6, "b": 4, "c": 0})
    assert [(r.stratum, r.population_share, r.sample_share) for r in rows] == [
        ("a", 0.8, 0.6),
        ("b", 0.2, 0.4),
        ("c", 0.0, 0.0),
    ]
    assert rows[0].difference == pytest.approx(-0.2)


# Reference: R, t.test(extra ~ group, data = sleep) (Welch, the default), printed in
# the R documentation example of ?t.test: t = -1.8608, df = 17.776,
# p-value = 0.07939, 95 percent CI -3.3654832 0.2054832, means 0.75 and 2.33.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_layout_effect_matches_r_welch_t_test() -> None:
    effect = key_layout_effect(SLEEP_1, SLEEP_2)
    assert effect.mean_a == pytest.approx(0.75)
    assert effect.mean_b == pytest.approx(2.33)
    assert effect.df == pytest.approx(17.776, abs=5e-4)
    assert effect.p_value == pytest.approx(0.07939, abs=5e-6)
    assert effect.ci_low == pytest.approx(-3.3654832, abs=1e-7)
    assert effect.ci_high == pytest.approx(0.2054832, abs=1e-7)


def test_layout_effect_needs_two_scores() -> None:
    with pytest.raises(ValueError, match="scores_b needs at least two"):
        key_layout_effect([1, 2], [3])
