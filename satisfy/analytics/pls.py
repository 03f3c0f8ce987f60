"""PLS path modelling (PLS-PM): the engine behind the ACSI/ECSI satisfaction index.

Single source of truth for the partial least squares path model used by Satisfy:
Wold's iterative algorithm (Lohmöller's variant, as implemented in R ``plspm``),
computed entirely from the indicators' covariance matrix so that it runs on a
mergeable summary (cross-products) as well as on raw answers. Definitions of
every output are in ``docs/metrics.md`` ("Driver analysis, gaps and structural
models").
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "BlockReliability",
    "BootstrapEstimate",
    "Effect",
    "PLSBootstrap",
    "PLSResult",
    "PathModel",
    "latent_scores",
    "pls_from_moments",
    "pls_path_model",
]

Scheme = Literal["centroid", "factorial", "path"]
FloatArray = NDArray[np.float64]
_SCHEMES = ("centroid", "factorial", "path")


# ─── the model ──────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class PathModel:
    """A PLS path model: blocks of indicators, inner paths, modes and scale.

    Parameters
    ----------
    blocks
        Latent variable name → its indicators (column names), in a fixed order.
    paths
        Directed inner paths as ``(from, to)`` pairs; the graph must be acyclic.
    modes
        Latent variable → ``"A"`` (reflective, correlation weights, the default)
        or ``"B"`` (formative, regression weights).
    scale_min, scale_max
        Theoretical minimum and maximum of the answer scale, used for the 0–100
        index (for example 1 and 10). ``None`` leaves the index out.

    Examples
    --------
    >>> m = PathModel.from_spec({
    ...     "blocks": {"Image": ["i1", "i2"], "Satisfaction": ["s1", "s2"]},
    ...     "paths": {"Image": ["Satisfaction"]},
    ...     "scale": {"min": 1, "max": 10},
    ... })
    >>> m.paths
    (('Image', 'Satisfaction'),)
    >>> m.mode("Image")
    'A'
    """

    blocks: Mapping[str, Sequence[str]]
    paths: tuple[tuple[str, str], ...]
    modes: Mapping[str, str] = field(default_factory=dict)
    scale_min: float | None = None
    scale_max: float | None = None

    def __post_init__(self) -> None:
        blocks: dict[str, tuple[str, ...]] = {}
        if not self.blocks:
            raise ValueError(
                "The model has no blocks; give at least two latent variables."
            )
        seen: dict[str, str] = {}
        for name, items in self.blocks.items():
            name = str(name)
            if isinstance(items, str):
                items = (items,)
            items = tuple(str(i) for i in items)
            if not items:
                raise ValueError(
                    f"Block '{name}' is empty; give it at least one indicator."
                )
            for item in items:
                if item in seen:
                    raise ValueError(
                        f"Indicator '{item}' appears in blocks '{seen[item]}' and "
                        f"'{name}'; each indicator belongs to one block."
                    )
                seen[item] = name
            blocks[name] = items
        paths: list[tuple[str, str]] = []
        for pair in self.paths:
            source, target = (str(pair[0]), str(pair[1]))
            for lv in (source, target):
                if lv not in blocks:
                    raise ValueError(
                        f"Path {source} -> {target} names '{lv}', which has no block."
                    )
            if source == target:
                raise ValueError(f"Path {source} -> {target} points to itself.")
            if (source, target) in paths:
                raise ValueError(f"Path {source} -> {target} is given twice.")
            paths.append((source, target))
        if not paths:
            raise ValueError("The model has no paths between latent variables.")
        modes = {str(k): str(v).upper() for k, v in dict(self.modes).items()}
        for lv, mode in modes.items():
            if lv not in blocks:
                raise ValueError(f"Mode given for '{lv}', which has no block.")
            if mode not in ("A", "B"):
                raise ValueError(f"Mode of '{lv}' is '{mode}'; use 'A' or 'B'.")
        connected = {lv for pair in paths for lv in pair}
        for lv in blocks:
            if lv not in connected:
                raise ValueError(
                    f"Latent variable '{lv}' has no path to or from any other."
                )
        _topological_order(list(blocks), paths)  # raises on a cycle
        if (self.scale_min is None) != (self.scale_max is None):
            raise ValueError("Give both scale min and scale max, or neither.")
        if self.scale_min is not None and self.scale_max is not None:
            lo, hi = float(self.scale_min), float(self.scale_max)
            if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
                raise ValueError(f"Scale min {lo} must be below scale max {hi}.")
            object.__setattr__(self, "scale_min", lo)
            object.__setattr__(self, "scale_max", hi)
        object.__setattr__(self, "blocks", blocks)
        object.__setattr__(self, "paths", tuple(paths))
        object.__setattr__(self, "modes", modes)

    @classmethod
    def from_spec(cls, spec: Mapping[str, Any]) -> PathModel:
        """Build a model from the YAML/JSON shape used by ``satisfy analyze pls``.

        The shape is ``{"blocks": {LV: [columns]}, "paths": {from: [to, ...]},
        "modes": {LV: "A"|"B"}, "scale": {"min": .., "max": ..}}``.
        """
        if not isinstance(spec, Mapping):
            raise ValueError("The model must be a mapping with 'blocks' and 'paths'.")
        unknown = set(spec) - {"blocks", "paths", "modes", "scale"}
        if unknown:
            raise ValueError(
                f"Unknown model key(s): {', '.join(sorted(map(str, unknown)))}."
            )
        blocks = spec.get("blocks")
        if not isinstance(blocks, Mapping):
            raise ValueError(
                "The model needs 'blocks': latent variable -> list of columns."
            )
        raw_paths = spec.get("paths") or {}
        pairs: list[tuple[str, str]] = []
        if isinstance(raw_paths, Mapping):
            for source, targets in raw_paths.items():
                if isinstance(targets, str):
                    targets = [targets]
                if targets is None:
                    continue
                pairs.extend((str(source), str(t)) for t in targets)
        else:
            for item in raw_paths:
                if isinstance(item, str) and "->" in item:
                    a, b = item.split("->", 1)
                    pairs.append((a.strip(), b.strip()))
                else:
                    pairs.append((str(item[0]), str(item[1])))
        scale = spec.get("scale") or {}
        if not isinstance(scale, Mapping):
            raise ValueError("'scale' must be a mapping with 'min' and 'max'.")
        lo = scale.get("min")
        hi = scale.get("max")
        return cls(
            blocks={
                str(k): tuple(v) if not isinstance(v, str) else (v,)
                for k, v in blocks.items()
            },
            paths=tuple(pairs),
            modes=dict(spec.get("modes") or {}),
            scale_min=None if lo is None else float(lo),
            scale_max=None if hi is None else float(hi),
        )

    @property
    def latent_variables(self) -> tuple[str, ...]:
        """Latent variable names in block order."""
        return tuple(self.blocks)

    @property
    def indicators(self) -> tuple[str, ...]:
        """All indicator columns, block by block."""
        return tuple(item for items in self.blocks.values() for item in items)

    def mode(self, lv: str) -> str:
        """Measurement mode of a latent variable (``"A"`` unless set)."""
        return self.modes.get(lv, "A")

    def endogenous(self) -> tuple[str, ...]:
        """Latent variables that have at least one incoming path."""
        targets = {t for _, t in self.paths}
        return tuple(lv for lv in self.blocks if lv in targets)

    def predecessors(self, lv: str) -> tuple[str, ...]:
        """Latent variables with a path into ``lv``, in block order."""
        sources = {s for s, t in self.paths if t == lv}
        return tuple(x for x in self.blocks if x in sources)

    def rename_indicators(
        self, rename: Callable[[str], str] | Mapping[str, str]
    ) -> PathModel:
        """Return the same model with indicator names mapped (e.g. ``str.upper``)."""
        fn: Callable[[str], str]
        if isinstance(rename, Mapping):
            mapping = dict(rename)

            def fn(name: str) -> str:
                return mapping.get(name, name)

        else:
            fn = rename
        return PathModel(
            blocks={
                lv: tuple(fn(i) for i in items) for lv, items in self.blocks.items()
            },
            paths=self.paths,
            modes=self.modes,
            scale_min=self.scale_min,
            scale_max=self.scale_max,
        )


def _topological_order(nodes: list[str], paths: Sequence[tuple[str, str]]) -> list[str]:
    incoming = dict.fromkeys(nodes, 0)
    for _, t in paths:
        incoming[t] += 1
    order: list[str] = []
    ready = [n for n in nodes if incoming[n] == 0]
    while ready:
        n = ready.pop(0)
        order.append(n)
        for s, t in paths:
            if s == n:
                incoming[t] -= 1
                if incoming[t] == 0:
                    ready.append(t)
    if len(order) != len(nodes):
        cyclic = sorted(n for n in nodes if incoming[n] > 0)
        raise ValueError(
            "The inner model has a cycle through "
            + ", ".join(cyclic)
            + "; PLS paths must be acyclic."
        )
    return order


# ─── results ────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Effect:
    """Direct, indirect and total effect of one latent variable on another."""

    direct: float
    indirect: float
    total: float


@dataclass(frozen=True, slots=True)
class BlockReliability:
    """Unidimensionality and reliability of one block of indicators.

    ``alpha_raw`` is Cronbach's alpha on the indicators as measured;
    ``alpha_standardized`` is the standardised alpha (from the mean
    inter-item correlation). ``dillon_goldstein_rho`` follows R plspm (from the
    block's first principal component); ``composite_reliability`` uses the PLS
    loadings (rho_C as in SmartPLS/seminr); ``rho_a`` is Dijkstra–Henseler's
    rho_A; ``ave`` is the average variance extracted (Mode A blocks only).
    """

    mode: str
    n_indicators: int
    alpha_raw: float
    alpha_standardized: float
    dillon_goldstein_rho: float
    composite_reliability: float
    rho_a: float
    communality: float
    ave: float | None
    eigenvalue_1: float
    eigenvalue_2: float | None


@dataclass(frozen=True, slots=True)
class BootstrapEstimate:
    """Bootstrap summary of one parameter: percentile interval and standard error."""

    estimate: float
    mean: float
    std_error: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class PLSBootstrap:
    """Bootstrap distribution summaries of a PLS fit (percentile intervals)."""

    n_resamples: int
    n_failed: int
    alpha: float
    paths: dict[str, BootstrapEstimate]
    r2: dict[str, BootstrapEstimate]
    loadings: dict[str, dict[str, BootstrapEstimate]]
    weights: dict[str, dict[str, BootstrapEstimate]]
    total_effects: dict[str, BootstrapEstimate]
    index: dict[str, BootstrapEstimate]


@dataclass(frozen=True, slots=True)
class PLSResult:
    """Everything estimated by :func:`pls_path_model`.

    Path and effect keys are ``"From -> To"`` strings. ``weights`` are the outer
    weights as estimated (for standardised indicators when ``standardized`` is
    true, otherwise for the raw indicators), scaled so that each latent variable
    has unit variance. ``weights_normalized`` are the same weights on the raw
    indicator scale, rescaled to sum to one within a block (the ACSI weights
    behind ``index``). With survey weights, ``weighted`` is true and
    ``n_effective`` is Kish's ``(Σw)² / Σw²``; ``std_devs`` are population
    standard deviations (divisor n, or Σw).
    """

    model: PathModel
    scheme: str
    standardized: bool
    n: int
    n_dropped: int
    converged: bool
    iterations: int
    weights: dict[str, dict[str, float]]
    weights_normalized: dict[str, dict[str, float]]
    loadings: dict[str, dict[str, float]]
    cross_loadings: dict[str, dict[str, float]]
    paths: dict[str, float]
    r2: dict[str, float]
    r2_adjusted: dict[str, float]
    effects: dict[str, Effect]
    reliability: dict[str, BlockReliability]
    gof: float
    index: dict[str, float | None]
    lv_correlations: dict[str, dict[str, float]]
    means: dict[str, float]
    std_devs: dict[str, float]
    sign_flipped: tuple[str, ...]
    warnings: tuple[str, ...]
    bootstrap: PLSBootstrap | None = None
    weighted: bool = False
    n_effective: float | None = None

    def path(self, source: str, target: str) -> float:
        """Path coefficient of ``source -> target``."""
        return self.paths[f"{source} -> {target}"]


# ─── the algorithm on a covariance matrix ───────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Structure:
    blocks: tuple[NDArray[np.intp], ...]
    is_mode_b: tuple[bool, ...]
    adjacency: FloatArray  # adjacency[i, j] = 1 when LV i -> LV j
    scheme: str


def _structure(model: PathModel, scheme: str) -> _Structure:
    lvs = model.latent_variables
    pos = {lv: k for k, lv in enumerate(lvs)}
    blocks: list[NDArray[np.intp]] = []
    start = 0
    for lv in lvs:
        size = len(model.blocks[lv])
        blocks.append(np.arange(start, start + size, dtype=np.intp))
        start += size
    adjacency = np.zeros((len(lvs), len(lvs)))
    for s, t in model.paths:
        adjacency[pos[s], pos[t]] = 1.0
    return _Structure(
        blocks=tuple(blocks),
        is_mode_b=tuple(model.mode(lv) == "B" for lv in lvs),
        adjacency=adjacency,
        scheme=scheme,
    )


def _unit_variance(W: FloatArray, S: FloatArray) -> FloatArray:
    var = np.einsum("ij,ik,kj->j", W, S, W)
    if np.any(var <= 0) or not np.all(np.isfinite(var)):
        raise np.linalg.LinAlgError("a latent variable has zero variance")
    return np.asarray(W / np.sqrt(var), dtype=np.float64)


def _inner_weights(R: FloatArray, st: _Structure) -> FloatArray:
    A = st.adjacency
    if st.scheme == "centroid":
        return np.sign(R) * (A + A.T)
    if st.scheme == "factorial":
        return R * (A + A.T)
    J = A.shape[0]
    E = np.zeros((J, J))
    for k in range(J):
        ant = np.flatnonzero(A[:, k])
        succ = np.flatnonzero(A[k, :])
        if ant.size:
            E[ant, k] = np.linalg.solve(R[np.ix_(ant, ant)], R[ant, k])
        if succ.size:
            E[succ, k] = R[succ, k]
    return E


def _iterate(
    S: FloatArray,
    st: _Structure,
    tol: float,
    max_iter: int,
    start: FloatArray | None = None,
) -> tuple[FloatArray, int, bool]:
    """Lohmöller's PLS loop on the (population) covariance matrix ``S``.

    Mirrors R plspm's ``get_weights``: equal starting weights, centroid/factorial/
    path inner weighting, Mode A ``cov(x, z)`` / Mode B ``S_bb^-1 cov(x_b, z)``
    updates, and the stopping rule ``sum((|w_old| - |w_new|)^2) < tol`` on the
    not-yet-normalised weights.
    """
    p = S.shape[0]
    J = len(st.blocks)
    W = np.zeros((p, J))
    for j, idx in enumerate(st.blocks):
        W[idx, j] = 1.0 if start is None else start[idx, j]
    W = _unit_variance(W, S)
    w_old = W.sum(axis=1)
    converged = False
    iteration = 0
    for iteration in range(1, max_iter + 1):  # noqa: B007 - iteration is reported
        Wn = _unit_variance(W, S)
        R = Wn.T @ S @ Wn
        E = _inner_weights(R, st)
        SZ = S @ (Wn @ E)
        for j, idx in enumerate(st.blocks):
            if st.is_mode_b[j]:
                W[idx, j] = np.linalg.solve(S[np.ix_(idx, idx)], SZ[idx, j])
            else:
                W[idx, j] = SZ[idx, j]
        w_new = W.sum(axis=1)
        change = float(np.sum((np.abs(w_old) - np.abs(w_new)) ** 2))
        w_old = w_new
        if change < tol:
            converged = True
            break
    return _unit_variance(W, S), iteration, converged


def _fix_signs(
    W: FloatArray, S: FloatArray, st: _Structure
) -> tuple[FloatArray, list[int]]:
    """Flip a latent variable whose indicators mostly correlate negatively with it."""
    sd = np.sqrt(np.diag(S))
    cor = (S @ W) / sd[:, None]
    flipped: list[int] = []
    for j, idx in enumerate(st.blocks):
        if np.sum(np.sign(cor[idx, j])) < 0:
            W[:, j] = -W[:, j]
            flipped.append(j)
    return W, flipped


@dataclass(frozen=True, slots=True)
class _Core:
    W: FloatArray  # p × J outer weights, unit-variance LVs
    R: FloatArray  # J × J latent correlations
    B: FloatArray  # J × J path coefficients, B[i, j] for i -> j
    r2: FloatArray  # J, zero for exogenous
    loadings: FloatArray  # p × J correlations of indicators with LVs
    iterations: int
    converged: bool
    flipped: tuple[int, ...]


class _CollinearPredictors(np.linalg.LinAlgError):
    """The predecessors of one latent variable are perfectly collinear."""

    def __init__(self, target: int, predecessors: tuple[int, ...]) -> None:
        super().__init__("collinear predecessors")
        self.target = target
        self.predecessors = predecessors


def _core(
    S: FloatArray,
    st: _Structure,
    tol: float,
    max_iter: int,
    start: FloatArray | None = None,
) -> _Core:
    W, iterations, converged = _iterate(S, st, tol, max_iter, start)
    W, flipped = _fix_signs(W, S, st)
    R = W.T @ S @ W
    J = R.shape[0]
    B = np.zeros((J, J))
    r2 = np.zeros(J)
    A = st.adjacency
    for k in range(J):
        ant = np.flatnonzero(A[:, k])
        if ant.size:
            Rpp = R[np.ix_(ant, ant)]
            if ant.size > 1 and np.linalg.eigvalsh(Rpp)[0] < 1e-10:
                raise _CollinearPredictors(k, tuple(int(i) for i in ant))
            beta = np.linalg.solve(Rpp, R[ant, k])
            B[ant, k] = beta
            r2[k] = float(R[ant, k] @ beta)
    sd = np.sqrt(np.diag(S))
    loadings = (S @ W) / sd[:, None]
    return _Core(W, R, B, r2, loadings, iterations, converged, tuple(flipped))


# ─── public entry points ────────────────────────────────────────────────────


def pls_path_model(
    data: Mapping[str, ArrayLike] | Any,
    model: PathModel,
    *,
    scheme: Scheme | str = "centroid",
    standardize: bool = True,
    tol: float = 1e-6,
    max_iter: int = 100,
    bootstrap: int = 0,
    alpha: float = 0.05,
    random_state: int | np.random.Generator | None = None,
    n_jobs: int = 1,
    weights: ArrayLike | str | None = None,
) -> PLSResult:
    """Estimate a PLS path model (PLS-PM) on respondent-level answers.

    Parameters
    ----------
    data
        Column name → answers (a dict of sequences or a pandas DataFrame). Only
        the model's indicators are used; rows with a missing answer in any of
        them are dropped (listwise deletion, reported in ``n_dropped``).
    model
        The :class:`PathModel`.
    scheme
        Inner weighting scheme: ``"centroid"`` (signs of correlations),
        ``"factorial"`` (correlations) or ``"path"`` (regression coefficients for
        predecessors, correlations for successors).
    standardize
        ``True`` standardises the indicators first (R plspm ``scaled = TRUE``,
        SmartPLS, seminr); ``False`` only centres them (plspm ``scaled = FALSE``,
        the ACSI convention of weights on the raw scale).
    tol, max_iter
        Stopping rule ``sum((|w_old| - |w_new|)^2) < tol`` and the iteration limit.
        Not converging is reported in ``converged`` and ``warnings``.
    bootstrap
        Number of bootstrap resamples (0 for none); percentile intervals at
        level ``1 - alpha`` go into ``result.bootstrap``.
    alpha
        Significance level for the bootstrap intervals.
    random_state
        Seed or generator for the resamples.
    n_jobs
        Processes used for the bootstrap (``-1``: all cores).
    weights
        Survey weights (one per row, ≥ 0) or the name of a weight column: the
        moments are weighted, rows with weight 0 or none are left out, and
        bootstrap resamples keep each respondent's weight.

    Returns
    -------
    PLSResult
        Weights, loadings, cross-loadings, paths, R², effects, reliability,
        GoF and 0–100 indices.

    Notes
    -----
    Each latent variable is a weighted sum of its block, ``Y_j = X_j w_j`` with
    unit variance. Iterations alternate the inner estimate ``Z_j = Σ_i e_ij Y_i``
    and the outer update: Mode A ``w_j ∝ cov(X_j, Z_j)``, Mode B
    ``w_j ∝ cov(X_j)^-1 cov(X_j, Z_j)``. Path coefficients are OLS regressions of
    each endogenous latent variable on its predecessors. Everything is computed
    from the covariance matrix of the indicators, so
    :func:`pls_from_moments` gives identical estimates from summaries. The 0–100
    index is ``100 (Σ_k w̃_k x̄_k − min) / (max − min)`` with ``w̃`` the
    raw-scale weights normalised to sum to one (Fornell et al. 1996).
    GoF is ``sqrt(mean communality × mean R²)`` (Tenenhaus et al. 2004).

    References
    ----------
    Tenenhaus, M., Esposito Vinzi, V., Chatelin, Y.-M., Lauro, C. (2005). PLS path
    modeling. *Computational Statistics & Data Analysis* 48, 159–205.
    Sanchez, G. (2013). *PLS Path Modeling with R*. Trowchez Editions.
    Fornell, C. et al. (1996). The American Customer Satisfaction Index. *Journal
    of Marketing* 60(4), 7–18.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=200)
    >>> g = 0.6 * f + rng.normal(scale=0.8, size=200)
    >>> cols = {f"a{i}": f + rng.normal(scale=0.5, size=200) for i in (1, 2, 3)}
    >>> cols |= {f"b{i}": g + rng.normal(scale=0.5, size=200) for i in (1, 2, 3)}
    >>> m = PathModel(blocks={"A": ("a1", "a2", "a3"), "B": ("b1", "b2", "b3")},
    ...               paths=(("A", "B"),))
    >>> res = pls_path_model(cols, m)
    >>> round(res.path("A", "B"), 2) > 0.4, res.converged
    (True, True)
    """
    _check_options(scheme, tol, max_iter, alpha, bootstrap)
    columns = _columns(data, model)
    w = _weights(data, weights, columns[0].size)
    n, n_dropped, means, S, first = _moments(columns, w)
    _check_rows(n, model)
    _check_constant(S, first, model)
    X: FloatArray | None = None
    w_kept: FloatArray | None = None
    if bootstrap:
        if w is None:
            X = _stack(columns)
        else:
            Xw = _stack([*columns, w])
            Xw = Xw[Xw[:, -1] > 0]
            X, w_kept = Xw[:, :-1], Xw[:, -1]
    result = _assemble(
        S, means, n, n_dropped, model, scheme, standardize, tol, max_iter, X=X
    )
    if w is not None:
        used = ~np.isnan(np.column_stack(columns)).any(axis=1) & (w > 0)
        wu = w[used]
        result = _replace(
            result, weighted=True, n_effective=float(wu.sum() ** 2 / (wu**2).sum())
        )
    if X is not None:
        boot = _bootstrap(
            X,
            w_kept,
            model,
            result,
            scheme,
            standardize,
            tol,
            max_iter,
            bootstrap,
            alpha,
            random_state,
            n_jobs,
        )
        extra: tuple[str, ...] = ()
        if boot.n_failed:
            extra = (
                f"{boot.n_failed} of {bootstrap} bootstrap resamples could not be estimated "
                "(constant column or no convergence) and were left out.",
            )
        result = _replace(result, bootstrap=boot, warnings=result.warnings + extra)
    return result


def pls_from_moments(
    means: Mapping[str, float],
    covariance: ArrayLike,
    columns: Sequence[str],
    n: int,
    model: PathModel,
    *,
    scheme: Scheme | str = "centroid",
    standardize: bool = True,
    tol: float = 1e-6,
    max_iter: int = 100,
) -> PLSResult:
    """Estimate a PLS path model from indicator means and covariance matrix.

    Parameters
    ----------
    means
        Column → mean of the answers.
    covariance
        Sample covariance matrix (divisor ``n - 1``) of ``columns``.
    columns
        Names of the rows/columns of ``covariance``.
    n
        Number of respondents behind the moments.
    model, scheme, standardize, tol, max_iter
        As in :func:`pls_path_model`.

    Returns
    -------
    PLSResult
        Identical to :func:`pls_path_model` on the same data (no bootstrap).

    Notes
    -----
    Moments merge across days, units and machines (sums of ``x``, ``x xᵀ`` and
    counts), so a million answers need one pass over the data.

    Examples
    --------
    >>> m = PathModel(blocks={"A": ("a1", "a2"), "B": ("b1", "b2")}, paths=(("A", "B"),))
    >>> C = [[1, .5, .3, .3], [.5, 1, .3, .3], [.3, .3, 1, .5], [.3, .3, .5, 1]]
    >>> r = pls_from_moments({"a1": 0, "a2": 0, "b1": 0, "b2": 0}, C,
    ...                      ["a1", "a2", "b1", "b2"], 100, m)
    >>> round(r.path("A", "B"), 4)
    0.4
    """
    _check_options(scheme, tol, max_iter, 0.05, 0)
    cov = np.asarray(covariance, dtype=float)
    cols = [str(c) for c in columns]
    if cov.shape != (len(cols), len(cols)):
        raise ValueError(
            f"covariance is {cov.shape}, expected {len(cols)} × {len(cols)} for the columns."
        )
    if not np.allclose(cov, cov.T):
        raise ValueError("covariance must be symmetric.")
    pos = {c: k for k, c in enumerate(cols)}
    order: list[int] = []
    for lv, items in model.blocks.items():
        for item in items:
            if item not in pos:
                raise ValueError(
                    f"Column '{item}' of block '{lv}' is not among the covariance columns."
                )
            order.append(pos[item])
            if item not in means:
                raise ValueError(f"No mean given for column '{item}' of block '{lv}'.")
    if int(n) != n or n < 2:
        raise ValueError(f"n must be a whole number of respondents ≥ 2, got {n}.")
    _check_rows(int(n), model)
    sub = cov[np.ix_(order, order)] * (n - 1) / n
    mu = np.array([float(means[item]) for item in model.indicators])
    return _assemble(
        sub, mu, int(n), 0, model, scheme, standardize, tol, max_iter, X=None
    )


def latent_scores(
    result: PLSResult, data: Mapping[str, ArrayLike] | Any
) -> dict[str, FloatArray]:
    """Latent variable scores (mean 0, variance 1) of respondents in ``data``.

    Parameters
    ----------
    result
        A fitted model from :func:`pls_path_model` or :func:`pls_from_moments`.
    data
        Column name → answers; the model's indicators must be present.

    Returns
    -------
    dict of numpy.ndarray
        Latent variable → one score per row of ``data`` (NaN where an answer is
        missing).

    Notes
    -----
    ``Y_j = Σ_k w_jk (x_k − x̄_k) / s_k`` with the fit's means, population standard
    deviations ``s_k`` (only when the fit was standardised) and outer weights.

    Examples
    --------
    >>> m = PathModel(blocks={"A": ("a1", "a2"), "B": ("b1", "b2")}, paths=(("A", "B"),))
    >>> d = {"a1": [1, 2, 3, 4], "a2": [2, 2, 4, 4], "b1": [1, 3, 2, 4], "b2": [1, 2, 2, 5]}
    >>> s = latent_scores(pls_path_model(d, m, max_iter=300), d)
    >>> round(float(s["A"].std()), 6)
    1.0
    """
    model = result.model
    X, _ = _matrix(data, model, drop_missing=False)
    mu = np.array([result.means[c] for c in model.indicators])
    Xc = X - mu
    if result.standardized:
        Xc = Xc / np.array([result.std_devs[c] for c in model.indicators])
    out: dict[str, FloatArray] = {}
    start = 0
    for lv, items in model.blocks.items():
        w = np.array([result.weights[lv][c] for c in items])
        out[lv] = Xc[:, start : start + len(items)] @ w
        start += len(items)
    return out


# ─── helpers ────────────────────────────────────────────────────────────────


def _check_options(
    scheme: str, tol: float, max_iter: int, alpha: float, bootstrap: int
) -> None:
    if scheme not in _SCHEMES:
        raise ValueError(f"scheme '{scheme}' is not one of centroid, factorial, path.")
    if not (tol > 0):
        raise ValueError(f"tol must be positive, got {tol}.")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError(f"max_iter must be a positive whole number, got {max_iter}.")
    if not (0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}.")
    if int(bootstrap) != bootstrap or bootstrap < 0:
        raise ValueError(f"bootstrap must be a whole number ≥ 0, got {bootstrap}.")


def _columns(data: Any, model: PathModel) -> list[FloatArray]:
    columns: list[FloatArray] = []
    length: int | None = None
    for lv, items in model.blocks.items():
        for item in items:
            try:
                raw = data[item]
            except (KeyError, IndexError, TypeError):
                raise ValueError(
                    f"Column '{item}' of block '{lv}' is not in the data."
                ) from None
            try:
                col = np.asarray(raw, dtype=np.float64).reshape(-1)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Column '{item}' of block '{lv}' has non-numeric values."
                ) from None
            if length is None:
                length = col.size
            elif col.size != length:
                raise ValueError(
                    f"Column '{item}' has {col.size} rows; other columns have {length}."
                )
            if np.isinf(col).any():
                raise ValueError(
                    f"Column '{item}' of block '{lv}' has infinite values."
                )
            columns.append(col)
    return columns


def _weights(
    data: Any, weights: ArrayLike | str | None, length: int
) -> FloatArray | None:
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
        w = np.asarray(raw, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"The {label} has non-numeric values.") from None
    if w.size != length:
        raise ValueError(f"There are {w.size} weights for {length} rows.")
    bad = np.isinf(w) | (w < 0)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"The {label} has a negative or infinite value at row {row + 1}."
        )
    return w


def _stack(columns: list[FloatArray], drop_missing: bool = True) -> FloatArray:
    X = np.column_stack(columns)
    if drop_missing:
        X = X[~np.isnan(X).any(axis=1)]
    return np.asarray(X, dtype=np.float64)


def _matrix(
    data: Any, model: PathModel, drop_missing: bool = True
) -> tuple[FloatArray, int]:
    columns = _columns(data, model)
    X = _stack(columns, drop_missing=False)
    if not drop_missing:
        return X, 0
    keep = ~np.isnan(X).any(axis=1)
    return X[keep], int(X.shape[0] - keep.sum())


# 448 × 24 × 24 stays under OpenBLAS' multithreading threshold (MNK ≤ 262,144): on a
# busy server, threaded products of tall chunks spent most of their time spin-waiting.
_CHUNK_ROWS = 448


def _moments(
    columns: list[FloatArray],
    weights: FloatArray | None = None,
) -> tuple[int, int, FloatArray, FloatArray, FloatArray]:
    """Complete-case count, dropped rows, means and population covariance, in chunks.

    Rows are processed in cache-sized chunks and shifted by the first complete row,
    so a million answers need one pass and no n × p copy; a constant column gives an
    exactly zero variance.
    """
    p = len(columns)
    length = columns[0].size if columns else 0
    n = 0
    total = 0.0
    shift: FloatArray | None = None
    s1 = np.zeros(p)
    s2 = np.zeros((p, p))
    for start in range(0, length, _CHUNK_ROWS):
        block = np.column_stack([c[start : start + _CHUNK_ROWS] for c in columns])
        keep = ~np.isnan(block).any(axis=1)
        wb = None
        if weights is not None:
            wb = weights[start : start + _CHUNK_ROWS]
            keep &= ~np.isnan(wb) & (wb > 0)
            wb = wb[keep]
        if not keep.all():
            block = block[keep]
        if block.shape[0] == 0:
            continue
        if shift is None:
            shift = block[0].copy()
        block -= shift
        n += block.shape[0]
        if wb is None:
            total += block.shape[0]
            s1 += block.sum(axis=0)
            s2 += block.T @ block
        else:
            total += float(wb.sum())
            s1 += wb @ block
            s2 += (block * wb[:, None]).T @ block
    if shift is None or n == 0:
        return 0, length, np.zeros(p), np.zeros((p, p)), np.zeros(p)
    d = s1 / total
    S = s2 / total - np.outer(d, d)
    S = (S + S.T) / 2
    return n, length - n, d + shift, S, shift


def _check_constant(S: FloatArray, first: FloatArray, model: PathModel) -> None:
    var = np.diag(S)
    for k, item in enumerate(model.indicators):
        if not var[k] > 0:  # exact: the moments are shifted by a complete row
            lv = next(lv for lv, items in model.blocks.items() if item in items)
            raise ValueError(
                f"Column '{item}' of block '{lv}' is constant "
                f"(every complete answer is {first[k]:g}); it carries no information."
            )


def _check_rows(n: int, model: PathModel) -> None:
    need = 3
    for lv in model.latent_variables:
        if model.mode(lv) == "B":
            need = max(need, len(model.blocks[lv]) + 2)
        need = max(need, len(model.predecessors(lv)) + 2)
    if n < need:
        raise ValueError(
            f"Too few complete rows: {n}; this model needs at least {need}."
        )


def _replace(result: PLSResult, **changes: Any) -> PLSResult:
    values = {name: getattr(result, name) for name in PLSResult.__dataclass_fields__}
    values.update(changes)
    return PLSResult(**values)


def _block_reliability(
    S_raw: FloatArray,
    idx: NDArray[np.intp],
    w: FloatArray,
    loadings: FloatArray,
    mode: str,
) -> BlockReliability:
    C = S_raw[np.ix_(idx, idx)]
    k = idx.size
    sd = np.sqrt(np.diag(C))
    Rb = C / np.outer(sd, sd)
    lam = loadings
    communality = float(np.mean(lam**2))
    vals, vecs = np.linalg.eigh(Rb)  # ascending
    eig = vals[::-1]
    if k == 1:
        alpha_raw = alpha_std = dg = cr = rho_a = 1.0
    else:
        alpha_raw = float(k / (k - 1) * (1 - np.trace(C) / C.sum()))
        rbar = float((Rb.sum() - k) / (k * (k - 1)))
        alpha_std = float(k * rbar / (1 + (k - 1) * rbar))
        # plspm: correlations of the items with the block's first principal component
        v = vecs[:, -1] * math.sqrt(vals[-1])
        if v.sum() < 0:
            v = -v
        dg = float(v.sum() ** 2 / (v.sum() ** 2 + (k - np.sum(v**2))))
        cr = float(lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2)))
        # Dijkstra–Henseler rho_A with weights for standardised indicators
        ws = w * sd
        ws = ws / math.sqrt(float(ws @ Rb @ ws))
        off = Rb - np.diag(np.diag(Rb))
        ww = np.outer(ws, ws)
        denom = float(ws @ (ww - np.diag(np.diag(ww))) @ ws)
        rho_a = (
            float((ws @ ws) ** 2 * (ws @ off @ ws) / denom)
            if denom > 0
            else float("nan")
        )
    return BlockReliability(
        mode=mode,
        n_indicators=k,
        alpha_raw=alpha_raw,
        alpha_standardized=alpha_std,
        dillon_goldstein_rho=dg,
        composite_reliability=cr,
        rho_a=rho_a,
        communality=communality,
        ave=communality if mode == "A" else None,
        eigenvalue_1=float(eig[0]),
        eigenvalue_2=float(eig[1]) if k > 1 else None,
    )


def _index(
    model: PathModel,
    lv: str,
    idx: NDArray[np.intp],
    w_raw: FloatArray,
    means: FloatArray,
) -> tuple[float | None, FloatArray, str | None]:
    total = float(w_raw.sum())
    normalized = w_raw / total if total != 0 else np.full_like(w_raw, np.nan)
    if model.scale_min is None or model.scale_max is None:
        return None, normalized, None
    negative = [model.blocks[lv][k] for k in range(idx.size) if not normalized[k] >= 0]
    if negative:
        return (
            None,
            normalized,
            f"No 0–100 index for '{lv}': indicator(s) {', '.join(negative)} have a negative "
            "weight, so the weighted mean is not a score on the answer scale.",
        )
    value = float(normalized @ means[idx])
    return (
        100.0 * (value - model.scale_min) / (model.scale_max - model.scale_min),
        normalized,
        None,
    )


def _effects(B: FloatArray) -> tuple[FloatArray, FloatArray]:
    J = B.shape[0]
    total = np.linalg.inv(np.eye(J) - B) - np.eye(J)
    return total, total - B


def _assemble(
    S_raw: FloatArray,
    means: FloatArray,
    n: int,
    n_dropped: int,
    model: PathModel,
    scheme: str,
    standardize: bool,
    tol: float,
    max_iter: int,
    X: FloatArray | None,
) -> PLSResult:
    st = _structure(model, scheme)
    lvs = model.latent_variables
    items = model.indicators
    sd = np.sqrt(np.diag(S_raw))
    for k, item in enumerate(items):
        if not sd[k] > 0:
            raise ValueError(
                f"Column '{item}' has zero variance; it carries no information."
            )
    S = S_raw / np.outer(sd, sd) if standardize else S_raw
    warnings: list[str] = []
    if n_dropped:
        warnings.append(
            f"{n_dropped} row(s) with a missing answer (or a zero weight) were left out "
            "(listwise deletion)."
        )
    for j, lv in enumerate(lvs):
        idx = st.blocks[j]
        if st.is_mode_b[j] and idx.size > 1:
            ev = np.linalg.eigvalsh(
                S_raw[np.ix_(idx, idx)] / np.outer(sd[idx], sd[idx])
            )
            if ev.min() < 1e-10:
                raise ValueError(
                    f"The indicators of Mode B block '{lv}' are perfectly collinear; "
                    "drop one or use Mode A."
                )
    try:
        core = _core(S, st, tol, max_iter)
    except _CollinearPredictors as exc:
        culprits = ", ".join(lvs[i] for i in exc.predecessors)
        raise ValueError(
            f"The latent variables {culprits} that predict '{lvs[exc.target]}' are "
            "perfectly collinear; merge them or drop a path."
        ) from None
    except np.linalg.LinAlgError:
        raise ValueError(
            "The model cannot be estimated: latent variables are perfectly collinear "
            "(check blocks that share the same answers)."
        ) from None
    if not core.converged:
        warnings.append(
            f"The PLS algorithm did not converge within {max_iter} iterations "
            f"(tol {tol:g}); estimates are from the last iteration."
        )
    for j in core.flipped:
        warnings.append(
            f"The sign of '{lvs[j]}' was flipped so that most of its indicators load positively."
        )
    # raw-scale weights for the index: w / sd when standardised
    W_raw = core.W / sd[:, None] if standardize else core.W
    weights: dict[str, dict[str, float]] = {}
    weights_norm: dict[str, dict[str, float]] = {}
    loadings: dict[str, dict[str, float]] = {}
    reliability: dict[str, BlockReliability] = {}
    index: dict[str, float | None] = {}
    comm_sum = 0.0
    comm_n = 0
    for j, lv in enumerate(lvs):
        idx = st.blocks[j]
        names = model.blocks[lv]
        weights[lv] = {c: float(core.W[i, j]) for c, i in zip(names, idx, strict=True)}
        loadings[lv] = {
            c: float(core.loadings[i, j]) for c, i in zip(names, idx, strict=True)
        }
        value, normalized, message = _index(model, lv, idx, W_raw[idx, j], means)
        weights_norm[lv] = {c: float(normalized[k]) for k, c in enumerate(names)}
        index[lv] = value
        if message:
            warnings.append(message)
        negative = [c for c in names if weights[lv][c] < 0]
        if negative and message is None:
            warnings.append(
                f"Block '{lv}' has negative outer weight(s) on {', '.join(negative)}."
            )
        reliability[lv] = _block_reliability(
            S_raw, idx, W_raw[idx, j], core.loadings[idx, j], model.mode(lv)
        )
        if idx.size > 1:
            comm_sum += float(np.sum(core.loadings[idx, j] ** 2))
            comm_n += idx.size
    endo = [j for j in range(len(lvs)) if core.r2[j] > 0 or st.adjacency[:, j].any()]
    mean_r2 = float(np.mean(core.r2[endo])) if endo else float("nan")
    if comm_n:
        gof = math.sqrt(comm_sum / comm_n * mean_r2)
    else:
        gof = float("nan")
        warnings.append("GoF is undefined: every block has a single indicator.")
    total, indirect = _effects(core.B)
    effects: dict[str, Effect] = {}
    order = _topological_order(list(lvs), model.paths)
    pos = {lv: k for k, lv in enumerate(lvs)}
    for a in order:
        for b in order:
            i, j = pos[a], pos[b]
            if i != j and (core.B[i, j] != 0 or abs(total[i, j]) > 1e-15):
                effects[f"{a} -> {b}"] = Effect(
                    float(core.B[i, j]), float(indirect[i, j]), float(total[i, j])
                )
    paths = {f"{s} -> {t}": float(core.B[pos[s], pos[t]]) for s, t in model.paths}
    r2 = {lvs[j]: float(core.r2[j]) for j in endo}
    r2_adj: dict[str, float] = {}
    for j in endo:
        k = int(st.adjacency[:, j].sum())
        r2_adj[lvs[j]] = (
            float(1 - (1 - core.r2[j]) * (n - 1) / (n - k - 1))
            if n - k - 1 > 0
            else float("nan")
        )
    cross = {
        item: {lv: float(core.loadings[i, j]) for j, lv in enumerate(lvs)}
        for i, item in enumerate(items)
    }
    lvcor = {
        a: {b: float(core.R[i, j]) for j, b in enumerate(lvs)}
        for i, a in enumerate(lvs)
    }
    return PLSResult(
        model=model,
        scheme=scheme,
        standardized=standardize,
        n=n,
        n_dropped=n_dropped,
        converged=core.converged,
        iterations=core.iterations,
        weights=weights,
        weights_normalized=weights_norm,
        loadings=loadings,
        cross_loadings=cross,
        paths=paths,
        r2=r2,
        r2_adjusted=r2_adj,
        effects=effects,
        reliability=reliability,
        gof=gof,
        index=index,
        lv_correlations=lvcor,
        means={c: float(means[k]) for k, c in enumerate(items)},
        std_devs={c: float(sd[k]) for k, c in enumerate(items)},
        sign_flipped=tuple(lvs[j] for j in core.flipped),
        warnings=tuple(warnings),
    )


# ─── bootstrap ──────────────────────────────────────────────────────────────


def _resample_stats(
    X: FloatArray,
    w: FloatArray | None,
    rows: NDArray[np.intp],
    st: _Structure,
    standardize: bool,
    tol: float,
    max_iter: int,
    start: FloatArray,
    scale: tuple[float, float] | None,
) -> FloatArray | None:
    Xb = X[rows]
    if w is None:
        mu = Xb.mean(axis=0)
        Xc = Xb - mu
        S_raw = Xc.T @ Xc / Xb.shape[0]
    else:
        wb = w[rows]
        mu = (wb @ Xb) / wb.sum()
        Xc = Xb - mu
        S_raw = (Xc * wb[:, None]).T @ Xc / wb.sum()
    sd = np.sqrt(np.diag(S_raw))
    if not np.all(sd > 0):
        return None
    S = S_raw / np.outer(sd, sd) if standardize else S_raw
    try:
        core = _core(S, st, tol, max_iter, start)
    except np.linalg.LinAlgError:
        return None
    if not core.converged:
        return None
    A = st.adjacency
    src, dst = np.nonzero(A)
    total, _ = _effects(core.B)
    W_raw = core.W / sd[:, None] if standardize else core.W
    J = A.shape[0]
    idx_vals = np.full(J, np.nan)
    if scale is not None:
        for j, idx in enumerate(st.blocks):
            w = W_raw[idx, j]
            wn = w / w.sum()
            if np.all(wn >= 0):
                idx_vals[j] = (
                    100.0 * (float(wn @ mu[idx]) - scale[0]) / (scale[1] - scale[0])
                )
    w_vec = np.array([core.W[i, j] for j, idx in enumerate(st.blocks) for i in idx])
    l_vec = np.array(
        [core.loadings[i, j] for j, idx in enumerate(st.blocks) for i in idx]
    )
    return np.concatenate(
        [core.B[src, dst], core.r2, l_vec, w_vec, total.ravel(), idx_vals]
    )


def _bootstrap_chunk(
    X: FloatArray,
    w: FloatArray | None,
    rows: NDArray[np.intp],
    st: _Structure,
    standardize: bool,
    tol: float,
    max_iter: int,
    start: FloatArray,
    scale: tuple[float, float] | None,
) -> tuple[FloatArray, int]:
    out: list[FloatArray] = []
    failed = 0
    for r in rows:
        stats = _resample_stats(X, w, r, st, standardize, tol, max_iter, start, scale)
        if stats is None:
            failed += 1
        else:
            out.append(stats)
    if not out:
        return np.empty((0, 0)), failed
    return np.vstack(out), failed


def _workers(n_jobs: int) -> int:
    if n_jobs == -1:
        return os.cpu_count() or 1
    if int(n_jobs) != n_jobs or n_jobs < 1:
        raise ValueError(f"n_jobs must be a positive whole number or -1, got {n_jobs}.")
    return int(n_jobs)


def _bootstrap(
    X: FloatArray,
    w: FloatArray | None,
    model: PathModel,
    fit: PLSResult,
    scheme: str,
    standardize: bool,
    tol: float,
    max_iter: int,
    n_resamples: int,
    alpha: float,
    random_state: int | np.random.Generator | None,
    n_jobs: int,
) -> PLSBootstrap:
    st = _structure(model, scheme)
    rng = (
        random_state
        if isinstance(random_state, np.random.Generator)
        else np.random.default_rng(random_state)
    )
    n = X.shape[0]
    rows = rng.integers(0, n, size=(n_resamples, n), dtype=np.intp)
    lvs = model.latent_variables
    p = X.shape[1]
    start = np.zeros((p, len(lvs)))
    for j, lv in enumerate(lvs):
        for i, c in zip(st.blocks[j], model.blocks[lv], strict=True):
            start[i, j] = fit.weights[lv][c]
    scale = (
        None
        if model.scale_min is None or model.scale_max is None
        else (model.scale_min, model.scale_max)
    )
    workers = min(_workers(n_jobs), n_resamples)
    chunks = np.array_split(rows, workers)
    results: list[tuple[FloatArray, int]]
    if workers == 1:
        results = [
            _bootstrap_chunk(X, w, rows, st, standardize, tol, max_iter, start, scale)
        ]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [
                pool.submit(
                    _bootstrap_chunk,
                    X,
                    w,
                    c,
                    st,
                    standardize,
                    tol,
                    max_iter,
                    start,
                    scale,
                )
                for c in chunks
            ]
            results = [f.result() for f in futures]
    failed = sum(f for _, f in results)
    stacks = [s for s, _ in results if s.size]
    J = len(lvs)
    src, dst = np.nonzero(st.adjacency)
    n_paths = src.size
    width = n_paths + J + 2 * p + J * J + J
    draws = np.vstack(stacks) if stacks else np.empty((0, width))

    def summary(col: int, estimate: float) -> BootstrapEstimate:
        v = draws[:, col]
        v = v[np.isfinite(v)]
        if v.size < 2:
            return BootstrapEstimate(
                estimate, float("nan"), float("nan"), float("nan"), float("nan")
            )
        lo, hi = np.quantile(v, [alpha / 2, 1 - alpha / 2])
        return BootstrapEstimate(
            estimate, float(v.mean()), float(v.std(ddof=1)), float(lo), float(hi)
        )

    paths = {
        f"{lvs[s]} -> {lvs[t]}": summary(k, fit.paths[f"{lvs[s]} -> {lvs[t]}"])
        for k, (s, t) in enumerate(zip(src, dst, strict=True))
    }
    r2 = {
        lv: summary(n_paths + j, fit.r2[lv]) for j, lv in enumerate(lvs) if lv in fit.r2
    }
    off_l = n_paths + J
    off_w = off_l + p
    loadings: dict[str, dict[str, BootstrapEstimate]] = {}
    weights: dict[str, dict[str, BootstrapEstimate]] = {}
    for j, lv in enumerate(lvs):
        loadings[lv] = {}
        weights[lv] = {}
        for i, c in zip(st.blocks[j], model.blocks[lv], strict=True):
            loadings[lv][c] = summary(off_l + int(i), fit.loadings[lv][c])
            weights[lv][c] = summary(off_w + int(i), fit.weights[lv][c])
    off_t = off_w + p
    total_effects = {
        key: summary(
            off_t
            + lvs.index(key.split(" -> ")[0]) * J
            + lvs.index(key.split(" -> ")[1]),
            eff.total,
        )
        for key, eff in fit.effects.items()
    }
    off_i = off_t + J * J
    index = {
        lv: summary(off_i + j, value)
        for j, lv in enumerate(lvs)
        if (value := fit.index.get(lv)) is not None
    }
    return PLSBootstrap(
        n_resamples=n_resamples,
        n_failed=failed,
        alpha=alpha,
        paths=paths,
        r2=r2,
        loadings=loadings,
        weights=weights,
        total_effects=total_effects,
        index=index,
    )
