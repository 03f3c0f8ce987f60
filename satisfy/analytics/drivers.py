"""Key-driver analysis: which item ratings explain an outcome such as overall satisfaction.

Single source of truth for Satisfy's relative-importance measures: the Shapley/LMG
decomposition of R² (Lindeman, Merenda & Gold 1980; Grömping 2006), Johnson's (2000)
relative weights and standardised regression (with Pratt's shares). All three work
from the correlation matrix of the outcome and the drivers, so they run on mergeable
summaries as well as on raw answers. Definitions are in ``docs/metrics.md``
("Driver analysis, gaps and structural models").
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "DriverResult",
    "key_drivers",
    "key_drivers_from_correlation",
    "lmg_importance",
    "relative_weights",
]

Method = Literal["lmg", "relative-weights", "regression"]
FloatArray = NDArray[np.float64]
_METHODS = ("lmg", "relative-weights", "regression")
MAX_LMG_DRIVERS = 20
_ALIASES = {
    "shapley": "lmg",
    "relative_weights": "relative-weights",
    "johnson": "relative-weights",
}


@dataclass(frozen=True, slots=True)
class DriverResult:
    """Relative importance of drivers for one outcome.

    ``importance`` is in the method's own unit: the R² contribution for ``lmg``
    and ``relative-weights`` (they add up to ``r2``), the standardised
    regression coefficient for ``regression``. ``shares`` are the same as
    fractions of R² that add up to 1 (Pratt's ``beta_j r_j / R²`` for
    regression). Intervals are bootstrap percentile intervals (``None`` without
    a bootstrap). Missing answers are handled by listwise deletion: a respondent
    missing the outcome or any driver is left out (``n_dropped``). With survey
    weights, ``weighted`` is true and ``n_effective`` is Kish's effective size.
    """

    method: str
    target: str
    drivers: tuple[str, ...]
    n: int
    n_dropped: int
    r2: float
    importance: dict[str, float]
    shares: dict[str, float]
    coefficients: dict[str, float]
    correlations: dict[str, float]
    importance_ci: dict[str, tuple[float, float]] | None
    shares_ci: dict[str, tuple[float, float]] | None
    r2_ci: tuple[float, float] | None
    n_resamples: int
    alpha: float
    missing: str
    warnings: tuple[str, ...]
    weighted: bool = False
    n_effective: float | None = None

    def ranking(self) -> list[str]:
        """Drivers from most to least important (by share)."""
        return sorted(self.drivers, key=lambda d: -self.shares[d])


# ─── the measures on a correlation matrix ──────────────────────────────────


def _subset_r2(Rxx: FloatArray, rxy: FloatArray) -> FloatArray:
    """R² of every subset of drivers, indexed by bitmask (bit j = driver j)."""
    p = rxy.size
    n_masks = 1 << p
    masks = np.arange(n_masks, dtype=np.int64)
    bits = ((masks[:, None] >> np.arange(p)) & 1).astype(bool)
    size = bits.sum(axis=1)
    r2 = np.zeros(n_masks)
    for k in range(1, p + 1):
        sel = masks[size == k]
        idx = np.nonzero(bits[sel])[1].reshape(sel.size, k)
        sub = Rxx[idx[:, :, None], idx[:, None, :]]
        rhs = rxy[idx]
        sol = np.linalg.solve(sub, rhs[:, :, None])[:, :, 0]
        r2[sel] = np.einsum("ij,ij->i", rhs, sol)
    return r2


def _lmg(Rxx: FloatArray, rxy: FloatArray) -> tuple[FloatArray, float]:
    p = rxy.size
    r2 = _subset_r2(Rxx, rxy)
    masks = np.arange(1 << p, dtype=np.int64)
    size = np.zeros(masks.size, dtype=np.int64)
    for j in range(p):
        size += (masks >> j) & 1
    weight = np.array(
        [
            math.factorial(s) * math.factorial(p - 1 - s) / math.factorial(p)
            for s in range(p)
        ]
    )
    out = np.zeros(p)
    for j in range(p):
        bit = 1 << j
        without = masks[(masks & bit) == 0]
        out[j] = float(
            np.sum(weight[size[without]] * (r2[without | bit] - r2[without]))
        )
    return out, float(r2[-1])


def _relative_weights(Rxx: FloatArray, rxy: FloatArray) -> tuple[FloatArray, float]:
    vals, vecs = np.linalg.eigh(Rxx)
    vals = np.clip(vals, 0.0, None)
    L = vecs @ np.diag(np.sqrt(vals)) @ vecs.T
    beta = np.linalg.solve(L, rxy)
    raw = np.asarray((L**2) @ (beta**2), dtype=np.float64)
    return raw, float(raw.sum())


def _regression(Rxx: FloatArray, rxy: FloatArray) -> tuple[FloatArray, float]:
    beta = np.asarray(np.linalg.solve(Rxx, rxy), dtype=np.float64)
    return beta, float(beta @ rxy)


def _measure(
    method: str, Rxx: FloatArray, rxy: FloatArray
) -> tuple[FloatArray, FloatArray, float]:
    """Importance, shares and R² for one correlation matrix."""
    if method == "lmg":
        imp, r2 = _lmg(Rxx, rxy)
        return imp, imp / r2 if r2 > 0 else np.full_like(imp, np.nan), r2
    if method == "relative-weights":
        imp, r2 = _relative_weights(Rxx, rxy)
        return imp, imp / r2 if r2 > 0 else np.full_like(imp, np.nan), r2
    beta, r2 = _regression(Rxx, rxy)
    return beta, beta * rxy / r2 if r2 > 0 else np.full_like(beta, np.nan), r2


def lmg_importance(correlation: ArrayLike) -> FloatArray:
    """Shapley/LMG decomposition of R² from a correlation matrix.

    Parameters
    ----------
    correlation
        ``(p+1) × (p+1)`` correlation matrix; row/column 0 is the outcome.

    Returns
    -------
    numpy.ndarray
        The ``p`` R² contributions; they add up to the model R².

    Notes
    -----
    ``LMG_j = Σ_{S ⊆ P∖{j}} |S|! (p−|S|−1)! / p! · (R²(S ∪ {j}) − R²(S))``, with every
    subset's R² ``r_Sᵀ R_SS⁻¹ r_S`` computed exactly (subsets enumerated as bitmasks).

    References
    ----------
    Lindeman, R. H., Merenda, P. F., Gold, R. Z. (1980). *Introduction to Bivariate
    and Multivariate Analysis*, p. 119ff. Grömping, U. (2006). Relative importance
    for linear regression in R: the package relaimpo. *JSS* 17(1).

    Examples
    --------
    >>> R = [[1, .6, .4], [.6, 1, .5], [.4, .5, 1]]
    >>> [round(float(v), 4) for v in lmg_importance(R)]
    [0.2867, 0.0867]
    """
    C = _as_correlation(correlation)
    return _lmg(C[1:, 1:], C[1:, 0])[0]


def relative_weights(correlation: ArrayLike) -> FloatArray:
    """Johnson's relative weights from a correlation matrix (outcome first).

    Parameters
    ----------
    correlation
        ``(p+1) × (p+1)`` correlation matrix; row/column 0 is the outcome.

    Returns
    -------
    numpy.ndarray
        The ``p`` raw relative weights; they add up to the model R².

    Notes
    -----
    With ``R_xx = V Λ Vᵀ`` and ``Λ_h = V Λ^{1/2} Vᵀ`` (the drivers' orthogonal
    counterparts), ``β = Λ_h⁻¹ r_xy`` and ``ε_j = Σ_k Λ_h[j,k]² β_k²``; the
    weights add up to R².

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of
    predictor variables in multiple regression. *Multivariate Behavioral Research*
    35(1), 1–19.

    Examples
    --------
    >>> R = [[1, .6, .4], [.6, 1, .5], [.4, .5, 1]]
    >>> round(float(relative_weights(R).sum()), 4)
    0.3733
    """
    C = _as_correlation(correlation)
    return _relative_weights(C[1:, 1:], C[1:, 0])[0]


def _as_correlation(correlation: ArrayLike) -> FloatArray:
    C = np.asarray(correlation, dtype=float)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < 2:
        raise ValueError(
            "correlation must be a square matrix with the outcome first and ≥ 1 driver."
        )
    if not np.allclose(C, C.T) or not np.allclose(np.diag(C), 1.0):
        raise ValueError("correlation must be symmetric with ones on the diagonal.")
    return C


# ─── public entry points ───────────────────────────────────────────────────


def key_drivers(
    data: Mapping[str, ArrayLike] | Any,
    target: str,
    drivers: Sequence[str],
    *,
    method: Method | str = "lmg",
    bootstrap: int = 0,
    alpha: float = 0.05,
    random_state: int | np.random.Generator | None = None,
    n_jobs: int = 1,
    weights: ArrayLike | str | None = None,
) -> DriverResult:
    """Relative importance of item ratings for an outcome (key-driver analysis).

    Parameters
    ----------
    data
        Column name → answers (a dict of sequences or a pandas DataFrame).
    target
        Outcome column (overall satisfaction, NPS rating, loyalty).
    drivers
        Driver columns (item ratings).
    method
        ``"lmg"`` (Shapley decomposition of R², exact, up to 20 drivers),
        ``"relative-weights"`` (Johnson) or ``"regression"`` (standardised
        coefficients).
    bootstrap
        Number of bootstrap resamples of respondents for percentile intervals.
    alpha
        1 − confidence level of the intervals.
    random_state
        Seed or generator for the resamples.
    n_jobs
        Processes for the bootstrap (``-1``: all cores).
    weights
        Survey weights (one per row, ≥ 0), or the name of a weight column in
        ``data``. Correlations are then weighted and ``n_effective`` is Kish's
        ``(Σw)² / Σw²``; bootstrap resamples keep each respondent's weight.

    Returns
    -------
    DriverResult

    Notes
    -----
    Respondents missing the outcome or any driver (or the weight) are left out
    (listwise deletion); their number is ``n_dropped`` and a warning says so.
    Everything is computed from the (weighted) Pearson correlation matrix of the
    complete cases.

    References
    ----------
    Grömping, U. (2006). *JSS* 17(1). Johnson, J. W. (2000). *MBR* 35(1).
    Budescu, D. V. (1993). Dominance analysis. *Psychological Bulletin* 114(3).

    Examples
    --------
    >>> d = {"overall": [3, 4, 5, 2, 4, 5, 1, 3], "speed": [2, 4, 5, 2, 3, 5, 1, 3],
    ...      "courtesy": [3, 3, 4, 2, 5, 4, 2, 2]}
    >>> r = key_drivers(d, "overall", ["speed", "courtesy"])
    >>> r.ranking()
    ['speed', 'courtesy']
    >>> round(sum(r.shares.values()), 6)
    1.0
    """
    method = _method(method)
    names = _names(target, drivers)
    if not (0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}.")
    if int(bootstrap) != bootstrap or bootstrap < 0:
        raise ValueError(f"bootstrap must be a whole number ≥ 0, got {bootstrap}.")
    w_col = _weight_column(data, weights)
    X, dropped = _matrix(data, names, w_col)
    w: FloatArray | None = None
    if w_col is not None:
        X, w = X[:, :-1], X[:, -1]
        if not w.sum() > 0:
            raise ValueError("Every complete row has weight 0; nothing to analyse.")
    n = X.shape[0]
    p = len(names) - 1
    if n < p + 2:
        raise ValueError(
            f"Too few complete rows: {n}; {p} driver(s) need at least {p + 2}."
        )
    _check_constant(X, w, names)
    C = _correlation(X, w)
    warnings: list[str] = []
    if dropped:
        warnings.append(
            f"{dropped} row(s) with a missing answer were left out (listwise deletion)."
        )
    if n < 10 * p:
        warnings.append(
            f"Only {n} complete rows for {p} drivers (fewer than 10 per driver); intervals will be wide."
        )
    result = _from_correlation(C, names, n, dropped, method, warnings)
    if w is not None:
        result = _with(
            result, weighted=True, n_effective=float(w.sum() ** 2 / (w**2).sum())
        )
    if bootstrap:
        result = _bootstrap(X, w, result, bootstrap, alpha, random_state, n_jobs)
    return result


def key_drivers_from_correlation(
    correlation: ArrayLike,
    columns: Sequence[str],
    target: str,
    drivers: Sequence[str],
    n: int,
    *,
    method: Method | str = "lmg",
) -> DriverResult:
    """Key-driver analysis from a correlation matrix (a mergeable summary).

    Parameters
    ----------
    correlation
        Correlation matrix of ``columns``.
    columns
        Names of its rows and columns.
    target, drivers, method
        As in :func:`key_drivers`.
    n
        Number of respondents behind the correlations.

    Returns
    -------
    DriverResult
        Without intervals (a bootstrap needs the answers).

    Examples
    --------
    >>> R = [[1, .6, .4], [.6, 1, .5], [.4, .5, 1]]
    >>> r = key_drivers_from_correlation(R, ["y", "a", "b"], "y", ["a", "b"], 100)
    >>> round(r.r2, 4), round(r.importance["a"], 4)
    (0.3733, 0.2867)
    """
    method = _method(method)
    names = _names(target, drivers)
    C = _as_correlation(correlation)
    pos = {str(c): k for k, c in enumerate(columns)}
    if C.shape[0] != len(pos):
        raise ValueError(
            f"correlation is {C.shape[0]} × {C.shape[0]} but {len(pos)} columns are named."
        )
    for name in names:
        if name not in pos:
            raise ValueError(f"Column '{name}' is not among the correlation's columns.")
    order = [pos[c] for c in names]
    sub = C[np.ix_(order, order)]
    if int(n) != n or n < len(names) + 1:
        raise ValueError(f"n must be a whole number ≥ {len(names) + 1}, got {n}.")
    return _from_correlation(sub, names, int(n), 0, method, [])


# ─── helpers ───────────────────────────────────────────────────────────────


def _method(method: str) -> str:
    method = _ALIASES.get(method, method)
    if method not in _METHODS:
        raise ValueError(
            f"method '{method}' is not one of lmg, relative-weights, regression."
        )
    return method


def _names(target: str, drivers: Sequence[str]) -> list[str]:
    if isinstance(drivers, str):
        raise ValueError("drivers must be a list of column names, not one string.")
    names = [str(target), *(str(d) for d in drivers)]
    if len(names) < 2:
        raise ValueError("Give at least one driver.")
    if len(set(names)) != len(names):
        dup = sorted({c for c in names if names.count(c) > 1})
        raise ValueError(
            f"Column(s) {', '.join(dup)} appear twice among the target and drivers."
        )
    return names


def _weight_column(data: Any, weights: ArrayLike | str | None) -> FloatArray | None:
    if weights is None:
        return None
    label = f"weight column '{weights}'" if isinstance(weights, str) else "weights"
    if isinstance(weights, str):
        try:
            raw = data[weights]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"The {label} is not in the data.") from None
    else:
        raw = weights
    try:
        w = np.asarray(raw, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"The {label} has non-numeric values.") from None
    bad = np.isinf(w) | (w < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"The {label} has a negative or infinite value at row {row + 1}."
        )
    return np.asarray(w, dtype=np.float64)


def _matrix(
    data: Any, names: list[str], weights: FloatArray | None = None
) -> tuple[FloatArray, int]:
    cols: list[FloatArray] = []
    for name in names:
        try:
            raw = data[name]
        except (KeyError, IndexError, TypeError):
            raise ValueError(f"Column '{name}' is not in the data.") from None
        try:
            col = np.asarray(raw, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            raise ValueError(f"Column '{name}' has non-numeric values.") from None
        if cols and col.size != cols[0].size:
            raise ValueError(
                f"Column '{name}' has {col.size} rows; '{names[0]}' has {cols[0].size}."
            )
        if np.isinf(col).any():
            raise ValueError(f"Column '{name}' has infinite values.")
        cols.append(col)
    if weights is not None:
        if weights.size != cols[0].size:
            raise ValueError(
                f"There are {weights.size} weights for {cols[0].size} rows."
            )
        cols.append(weights)
    X = np.column_stack(cols)
    keep = ~np.isnan(X).any(axis=1)
    if weights is not None:
        keep &= X[:, -1] > 0
    return np.asarray(X[keep], dtype=np.float64), int(keep.size - keep.sum())


def _correlation(X: FloatArray, w: FloatArray | None) -> FloatArray:
    if w is None:
        return np.asarray(np.corrcoef(X, rowvar=False), dtype=np.float64)
    m = (w @ X) / w.sum()
    Xc = X - m
    C = (Xc * w[:, None]).T @ Xc / w.sum()
    sd = np.sqrt(np.diag(C))
    R = C / np.outer(sd, sd)
    np.fill_diagonal(R, 1.0)
    return np.asarray((R + R.T) / 2, dtype=np.float64)


def _check_constant(X: FloatArray, w: FloatArray | None, names: list[str]) -> None:
    for k, name in enumerate(names):
        col = X[:, k] if w is None else X[w > 0, k]
        if col.size and not np.ptp(col) > 0:
            raise ValueError(
                f"Column '{name}' is constant (every complete answer is {col[0]:g}); "
                "it cannot explain or be explained."
            )


def _check_collinear(Rxx: FloatArray, drivers: list[str]) -> None:
    vals, vecs = np.linalg.eigh(Rxx)
    if vals[0] < 1e-10:
        v = vecs[:, 0]
        involved = [drivers[k] for k in np.flatnonzero(np.abs(v) > 0.05)]
        raise ValueError(
            "Drivers "
            + ", ".join(involved)
            + " are perfectly collinear (one is an exact "
            "combination of the others); drop one of them."
        )


def _from_correlation(
    C: FloatArray,
    names: list[str],
    n: int,
    dropped: int,
    method: str,
    warnings: list[str],
) -> DriverResult:
    drivers = names[1:]
    p = len(drivers)
    if method == "lmg" and p > MAX_LMG_DRIVERS:
        raise ValueError(
            f"LMG with {p} drivers needs 2^{p} regressions; use at most {MAX_LMG_DRIVERS} "
            "drivers or method='relative-weights'."
        )
    Rxx = C[1:, 1:]
    rxy = C[1:, 0]
    _check_collinear(Rxx, drivers)
    imp, shares, r2 = _measure(method, Rxx, rxy)
    beta = np.linalg.solve(Rxx, rxy)
    if r2 <= 1e-12:
        warnings.append(
            "The drivers explain none of the outcome's variance (R² = 0); shares are undefined."
        )
        shares = np.zeros(p)
    negative = [d for d, b, r in zip(drivers, beta, rxy, strict=True) if b * r < 0]
    if negative:
        warnings.append(
            "Regression coefficient and correlation have opposite signs for "
            + ", ".join(negative)
            + " (suppression); read their importance with care."
        )
    return DriverResult(
        method=method,
        target=names[0],
        drivers=tuple(drivers),
        n=n,
        n_dropped=dropped,
        r2=r2,
        importance={d: float(v) for d, v in zip(drivers, imp, strict=True)},
        shares={d: float(v) for d, v in zip(drivers, shares, strict=True)},
        coefficients={d: float(v) for d, v in zip(drivers, beta, strict=True)},
        correlations={d: float(v) for d, v in zip(drivers, rxy, strict=True)},
        importance_ci=None,
        shares_ci=None,
        r2_ci=None,
        n_resamples=0,
        alpha=0.05,
        missing="listwise",
        warnings=tuple(warnings),
    )


def _boot_chunk(
    X: FloatArray, w: FloatArray | None, rows: NDArray[np.intp], method: str
) -> tuple[FloatArray, int]:
    out: list[FloatArray] = []
    failed = 0
    for r in rows:
        Xb = X[r]
        sd = Xb.std(axis=0)
        if not np.all(sd > 0):
            failed += 1
            continue
        C = _correlation(Xb, None if w is None else w[r])
        try:
            if np.linalg.eigvalsh(C[1:, 1:])[0] < 1e-10:
                failed += 1
                continue
            imp, shares, r2 = _measure(method, C[1:, 1:], C[1:, 0])
        except np.linalg.LinAlgError:
            failed += 1
            continue
        out.append(np.concatenate([imp, shares, [r2]]))
    return (np.vstack(out) if out else np.empty((0, 0))), failed


def _bootstrap(
    X: FloatArray,
    w: FloatArray | None,
    result: DriverResult,
    n_resamples: int,
    alpha: float,
    random_state: int | np.random.Generator | None,
    n_jobs: int,
) -> DriverResult:
    rng = (
        random_state
        if isinstance(random_state, np.random.Generator)
        else np.random.default_rng(random_state)
    )
    n = X.shape[0]
    rows = rng.integers(0, n, size=(n_resamples, n), dtype=np.intp)
    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    if int(n_jobs) != n_jobs or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive whole number or -1, got {n_jobs}.")
    workers = min(int(n_jobs), n_resamples)
    if workers == 1:
        parts = [_boot_chunk(X, w, rows, result.method)]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(_boot_chunk, X, w, c, result.method)
                for c in np.array_split(rows, workers)
            ]
            parts = [f.result() for f in futures]
    failed = sum(f for _, f in parts)
    draws = [d for d, _ in parts if d.size]
    warnings = list(result.warnings)
    if failed:
        warnings.append(
            f"{failed} of {n_resamples} bootstrap resamples had a constant or collinear column and were left out."
        )
    p = len(result.drivers)
    if not draws:
        warnings.append("No bootstrap resample could be analysed; no intervals.")
        return _with(result, warnings=tuple(warnings), n_resamples=0, alpha=alpha)
    D = np.vstack(draws)
    lo, hi = np.nanquantile(D, [alpha / 2, 1 - alpha / 2], axis=0)
    names = result.drivers
    return _with(
        result,
        importance_ci={d: (float(lo[k]), float(hi[k])) for k, d in enumerate(names)},
        shares_ci={
            d: (float(lo[p + k]), float(hi[p + k])) for k, d in enumerate(names)
        },
        r2_ci=(float(lo[-1]), float(hi[-1])),
        n_resamples=int(D.shape[0]),
        alpha=alpha,
        warnings=tuple(warnings),
    )


def _with(result: DriverResult, **changes: Any) -> DriverResult:
    values = {name: getattr(result, name) for name in DriverResult.__dataclass_fields__}
    values.update(changes)
    return DriverResult(**values)
