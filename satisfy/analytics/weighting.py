"""Respondent weights: post-stratification, raking with trimming, Kish diagnostics.

The weights these functions produce go into the ``weights=`` argument of every score.
Definitions: ``docs/metrics.md``, "Weights".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from satisfy.analytics.summaries import check_weights, factorize

__all__ = [
    "WeightingResult",
    "design_effect",
    "effective_sample_size",
    "poststratify",
    "rake",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True, eq=False)
class WeightingResult:
    """Weights with their diagnostics.

    Attributes
    ----------
    weights
        One weight per respondent.
    n_effective
        Kish effective sample size ``(Σw)²/Σw²``.
    design_effect
        Kish design effect ``n / n_effective``.
    iterations
        Raking cycles used (1 for post-stratification).
    converged
        Whether every margin is within ``tol``.
    max_error
        Largest relative difference between a weighted margin and its target.
    n_trimmed
        Respondents whose weight sits at a trimming bound.
    """

    weights: FloatArray
    n_effective: float
    design_effect: float
    iterations: int
    converged: bool
    max_error: float
    n_trimmed: int = 0


def effective_sample_size(weights: npt.ArrayLike) -> float:
    """Kish effective sample size ``(Σw)² / Σw²``.

    Parameters
    ----------
    weights
        Respondent weights (≥ 0, not all zero).

    Returns
    -------
    float
        The number of equally weighted respondents giving the same precision.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley, section 11.7.

    Examples
    --------
    >>> effective_sample_size([1, 1, 1, 1])
    4.0
    >>> effective_sample_size([1, 1, 1, 3])
    3.0
    """
    w = check_weights(weights, len(np.atleast_1d(np.asarray(weights))))
    return float(w.sum() ** 2 / (w * w).sum())


def design_effect(weights: npt.ArrayLike) -> float:
    """Kish design effect of weighting, ``n Σw² / (Σw)²`` (1 when all weights are equal).

    Parameters
    ----------
    weights
        Respondent weights.

    Returns
    -------
    float
        ``n / n_effective``.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> design_effect([1, 1, 1, 3])
    1.3333333333333333
    """
    w = check_weights(weights, len(np.atleast_1d(np.asarray(weights))))
    return float(w.shape[0] / effective_sample_size(w))


def _targets(
    name: str, labels: tuple[Any, ...], target: Mapping[Any, float]
) -> FloatArray:
    by_str = {str(k): float(v) for k, v in target.items()}
    for key, val in by_str.items():
        if not np.isfinite(val) or val < 0:
            raise ValueError(
                f"{name}: population target {val!r} for {key!r} must be ≥ 0"
            )
    missing = [lab for lab in labels if str(lab) not in by_str]
    if missing:
        raise ValueError(
            f"{name}: respondents have the category {missing[0]!r}, which has no "
            "population target"
        )
    present = {str(lab) for lab in labels}
    empty = [k for k, v in by_str.items() if v > 0 and k not in present]
    if empty:
        raise ValueError(
            f"{name}: the category {empty[0]!r} has a population target but no "
            "respondents, so it cannot be weighted (merge it with a neighbour)"
        )
    return np.array([by_str[str(lab)] for lab in labels])


def poststratify(
    strata: npt.ArrayLike,
    population: Mapping[Any, float],
    *,
    weights: npt.ArrayLike | None = None,
) -> WeightingResult:
    """Post-stratification weights that reproduce population totals (or shares).

    Parameters
    ----------
    strata
        Stratum of every respondent.
    population
        Population total (or share) of every stratum.
    weights
        Base (design) weights; default 1.

    Returns
    -------
    WeightingResult
        ``wᵢ = baseᵢ × N_h / Σ_{j∈h} base_j``; weighted stratum totals equal the
        population totals (shares that sum to 1 are scaled to the base-weight total).

    Notes
    -----
    A stratum with a population target but no respondents raises ``ValueError``.

    References
    ----------
    Holt, D. & Smith, T. M. F. (1979). Post stratification. *JRSS A* 142, 33–46.

    Examples
    --------
    >>> r = poststratify(["m", "m", "m", "f"], {"m": 0.5, "f": 0.5})
    >>> r.weights.tolist()
    [0.6666666666666666, 0.6666666666666666, 0.6666666666666666, 2.0]
    """
    arr = np.asarray(strata)
    n = arr.shape[0]
    base = np.ones(n) if weights is None else check_weights(weights, n)
    labels, codes = factorize(arr, n=n)
    target = _targets("strata", labels, population)
    target = _scale_targets(target, base.sum())
    totals = np.bincount(codes, weights=base, minlength=len(labels))
    if (totals <= 0).any():
        bad = labels[int(np.flatnonzero(totals <= 0)[0])]
        raise ValueError(
            f"stratum {bad!r} has respondents but their base weights are all zero"
        )
    w = base * (target / totals)[codes]
    return _result(w, 1, True, 0.0, 0)


def _scale_targets(target: FloatArray, base_total: float) -> FloatArray:
    total = target.sum()
    if total <= 0:
        raise ValueError("population targets must not all be zero")
    if abs(total - 1.0) < 1e-9:
        return np.asarray(target * base_total, dtype=np.float64)
    return target


def _result(
    w: FloatArray, iterations: int, converged: bool, err: float, trimmed: int
) -> WeightingResult:
    n_eff = float(w.sum() ** 2 / (w * w).sum())
    return WeightingResult(
        w, n_eff, w.shape[0] / n_eff, iterations, converged, err, trimmed
    )


def rake(
    margins: Mapping[str, npt.ArrayLike],
    targets: Mapping[str, Mapping[Any, float]],
    *,
    weights: npt.ArrayLike | None = None,
    trim: tuple[float, float] | None = None,
    max_iter: int = 1000,
    tol: float = 1e-8,
    strict: bool = True,
) -> WeightingResult:
    """Raking (iterative proportional fitting) of weights to population margins.

    Parameters
    ----------
    margins
        For every raking variable, the category of every respondent,
        e.g. ``{"region": [...], "age": [...]}``.
    targets
        For every variable, the population total (or share) of every category.
        Totals must agree across variables; shares (summing to 1) give weights that
        sum to the base-weight total.
    weights
        Base (design) weights; default 1.
    trim
        ``(low, high)``: weights are kept within ``[low × mean, high × mean]``; after
        each cycle weights outside are capped and raking continues, until margins and
        bounds both hold.
    max_iter
        Maximum number of cycles through the margins.
    tol
        Convergence: largest relative margin error.
    strict
        Raise ``ValueError`` when not converged (default); otherwise return the
        weights with ``converged=False``.

    Returns
    -------
    WeightingResult
        Weights, Kish effective n and design effect, iterations, convergence.

    Notes
    -----
    Each cycle multiplies the weights of category c of variable v by
    ``target_vc / Σ_{i∈c} wᵢ`` for every variable in turn (Deming & Stephan 1940).
    The solution minimises the raking (multiplicative) distance to the base weights
    among weights meeting the margins (Deville & Särndal 1992).

    References
    ----------
    Deming, W. E. & Stephan, F. F. (1940). On a least squares adjustment of a sampled
    frequency table when the expected marginal totals are known. *Ann Math Stat* 11,
    427–444. Deville, J.-C. & Särndal, C.-E. (1992). Calibration estimators in survey
    sampling. *JASA* 87, 376–382.

    Examples
    --------
    >>> r = rake({"sex": ["m", "m", "f", "f"], "age": ["y", "o", "o", "o"]},
    ...          {"sex": {"m": 50, "f": 50}, "age": {"y": 40, "o": 60}})
    >>> [round(w, 2) for w in r.weights.tolist()], r.converged
    ([40.0, 10.0, 25.0, 25.0], True)
    """
    if not margins:
        raise ValueError("no raking variables given")
    if set(margins) != set(targets):
        raise ValueError(
            f"margins {sorted(margins)} and targets {sorted(targets)} name different variables"
        )
    names = list(margins)
    first = np.asarray(margins[names[0]])
    n = first.shape[0]
    base = np.ones(n) if weights is None else check_weights(weights, n)
    codes: list[npt.NDArray[np.intp]] = []
    goals: list[FloatArray] = []
    for name in names:
        labels, code = factorize(margins[name], n=n)
        codes.append(code)
        goals.append(_scale_targets(_targets(name, labels, targets[name]), base.sum()))
    totals = [g.sum() for g in goals]
    if max(totals) - min(totals) > 1e-6 * max(totals):
        raise ValueError(
            "population totals differ between variables "
            f"({', '.join(f'{k}: {t:g}' for k, t in zip(names, totals, strict=True))}); "
            "give totals that agree, or shares"
        )
    if trim is not None:
        lo_rel, hi_rel = float(trim[0]), float(trim[1])
        if not 0 <= lo_rel < 1 < hi_rel:
            raise ValueError(f"trim bounds {trim!r} must satisfy 0 ≤ low < 1 < high")
    w = base.copy()
    err = np.inf
    n_trimmed = 0
    for it in range(1, max_iter + 1):
        for code, goal in zip(codes, goals, strict=True):
            have = np.bincount(code, weights=w, minlength=goal.shape[0])
            factor = np.divide(goal, have, out=np.zeros_like(goal), where=have > 0)
            w = w * factor[code]
        if trim is not None:
            mean = w[w > 0].mean()
            lo, hi = lo_rel * mean, hi_rel * mean
            out = (w > 0) & ((w < lo) | (w > hi))
            n_trimmed = int(out.sum())
            w = np.where(out, np.clip(w, lo, hi), w)
        err = max(
            float(
                np.max(
                    np.abs(np.bincount(c, weights=w, minlength=g.shape[0]) - g)
                    / np.maximum(g, 1e-300)
                )
            )
            for c, g in zip(codes, goals, strict=True)
        )
        if err < tol:
            return _result(w, it, True, err, n_trimmed)
    if strict:
        raise ValueError(
            f"raking did not converge in {max_iter} cycles (largest margin error "
            f"{err:.3g}); the trimming bounds may be too tight or the margins "
            "incompatible with the sample"
        )
    return _result(w, max_iter, False, err, n_trimmed)
