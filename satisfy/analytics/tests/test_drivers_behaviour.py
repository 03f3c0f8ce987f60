from __future__ import annotations

import numpy as np
import pytest

from satisfy.analytics.drivers import key_drivers, key_drivers_from_correlation


def _sample(n: int = 200, seed: int = 1) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    access = rng.integers(1, 6, n).astype(float)
    resolution = np.clip(access + rng.integers(-1, 2, n), 1, 5).astype(float)
    treatment = rng.integers(1, 6, n).astype(float)
    overall = np.clip(
        np.round(
            0.2 * access + 0.6 * resolution + 0.3 * treatment + rng.normal(0, 0.6, n)
        ),
        1,
        5,
    )
    return {
        "overall": overall,
        "access": access,
        "resolution": resolution,
        "treatment": treatment,
    }


DRIVERS = ["access", "resolution", "treatment"]


def test_it_names_a_missing_column() -> None:
    with pytest.raises(ValueError, match="Column 'speed' is not in the data"):
        key_drivers(_sample(), "overall", ["access", "speed"])


def test_it_names_a_constant_column() -> None:
    data = _sample()
    data["treatment"] = np.full(200, 3.0)
    with pytest.raises(ValueError, match="Column 'treatment' is constant"):
        key_drivers(data, "overall", DRIVERS)


def test_it_names_perfectly_collinear_drivers() -> None:
    data = _sample()
    data["total"] = data["access"] + data["resolution"]
    with pytest.raises(
        ValueError, match="access, resolution, total are perfectly collinear"
    ):
        key_drivers(data, "overall", [*DRIVERS, "total"])


def test_it_refuses_too_few_rows() -> None:
    data = {k: v[:4] for k, v in _sample().items()}
    with pytest.raises(ValueError, match="Too few complete rows: 4"):
        key_drivers(data, "overall", DRIVERS)


def test_missing_answers_are_dropped_listwise_and_reported() -> None:
    data = _sample()
    data["access"] = data["access"].copy()
    data["access"][:10] = np.nan
    res = key_drivers(data, "overall", DRIVERS)
    assert (res.n, res.n_dropped, res.missing) == (190, 10, "listwise")
    assert any("listwise" in w for w in res.warnings)


def test_the_strongest_driver_comes_first() -> None:
    for method in ("lmg", "relative-weights", "regression"):
        assert (
            key_drivers(_sample(), "overall", DRIVERS, method=method).ranking()[0]
            == "resolution"
        )


def test_bootstrap_intervals_cover_the_estimate_and_do_not_depend_on_jobs() -> None:
    one = key_drivers(_sample(), "overall", DRIVERS, bootstrap=60, random_state=3)
    two = key_drivers(
        _sample(), "overall", DRIVERS, bootstrap=60, random_state=3, n_jobs=2
    )
    assert one.shares_ci == two.shares_ci
    assert one.shares_ci is not None
    assert one.r2_ci is not None
    for d in DRIVERS:
        lo, hi = one.shares_ci[d]
        assert lo <= one.shares[d] <= hi
    assert one.n_resamples == 60


def test_summary_input_gives_the_same_result() -> None:
    data = _sample()
    names = ["overall", *DRIVERS]
    C = np.corrcoef(np.column_stack([data[c] for c in names]), rowvar=False)
    a = key_drivers(data, "overall", DRIVERS)
    b = key_drivers_from_correlation(C, names, "overall", DRIVERS, 200)
    assert b.importance == pytest.approx(a.importance, abs=1e-12)


def test_lmg_with_15_drivers_adds_up_to_r2() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(400, 15))
    y = X @ rng.uniform(0, 1, 15) + rng.normal(size=400)
    data = {"y": y} | {f"x{k}": X[:, k] for k in range(15)}
    res = key_drivers(
        data, "y", [f"x{k}" for k in range(15)]
    )  # timing: benchmarks/analysis.py
    assert sum(res.importance.values()) == pytest.approx(res.r2, abs=1e-10)


def test_it_refuses_lmg_beyond_its_limit() -> None:
    rng = np.random.default_rng(0)
    data = {f"x{k}": rng.normal(size=100) for k in range(22)}
    with pytest.raises(ValueError, match="relative-weights"):
        key_drivers(data, "x0", [f"x{k}" for k in range(1, 22)])


def test_integer_weights_equal_repeated_respondents() -> None:
    data = _sample(n=120)
    weights = np.random.default_rng(9).integers(1, 4, 120)
    repeated = {k: np.repeat(v, weights) for k, v in data.items()}
    for method in ("lmg", "relative-weights", "regression"):
        weighted = key_drivers(
            data | {"w": weights}, "overall", DRIVERS, method=method, weights="w"
        )
        plain = key_drivers(repeated, "overall", DRIVERS, method=method)
        assert weighted.importance == pytest.approx(plain.importance, abs=1e-12)
        assert weighted.r2 == pytest.approx(plain.r2, abs=1e-12)
    assert weighted.weighted
    assert weighted.n == 120
    assert weighted.n_effective == pytest.approx(
        weights.sum() ** 2 / (weights**2).sum()
    )


def test_weights_are_validated_and_zero_weight_rows_dropped() -> None:
    data = _sample()
    bad = np.ones(200)
    bad[3] = -1
    with pytest.raises(ValueError, match="negative or infinite value at row 4"):
        key_drivers(data, "overall", DRIVERS, weights=bad)
    with pytest.raises(ValueError, match="weight column 'w' is not in the data"):
        key_drivers(data, "overall", DRIVERS, weights="w")
    w = np.ones(200)
    w[:5] = 0
    res = key_drivers(data, "overall", DRIVERS, weights=w, bootstrap=20, random_state=1)
    assert (res.n, res.n_dropped) == (195, 5)
    assert res.shares_ci is not None
