"""Is a difference more than noise? Two waves, two units, or every unit against the rest.

Definitions and references: ``docs/metrics.md``, "Comparisons".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics.intervals import check_alpha, wilson_bounds
from satisfy.analytics.results import (
    ComparisonResult,
    GroupComparison,
    GroupedScores,
    MultipleComparisonResult,
    ScoreResult,
)
from satisfy.analytics.scores import (
    bottom_box,
    ces,
    csat,
    csi,
    mean_score,
    nps,
    top_box,
)
from satisfy.analytics.summaries import GroupedSummary

__all__ = ["adjust_p_values", "compare", "compare_groups"]

FloatArray = npt.NDArray[np.float64]

# metric -> (family, unit of a share: 100 for percent, 1 for a share)
_FAMILIES: dict[str, tuple[str, float]] = {
    "csat": ("share", 100.0),
    "top_box": ("share", 1.0),
    "bottom_box": ("share", 1.0),
    "nps": ("nps", 100.0),
    "mean": ("mean", 1.0),
    "ces1": ("mean", 1.0),
    "ces2": ("mean", 1.0),
    "csi": ("mean", 1.0),
}

_SCORERS: dict[str, Callable[..., Any]] = {
    "nps": nps,
    "csat": csat,
    "ces": ces,
    "csi": csi,
    "mean": mean_score,
    "top_box": top_box,
    "bottom_box": bottom_box,
}

ADJUSTMENTS = ("holm", "bh", "bonferroni", "none")


def _family(metric: str) -> tuple[str, float]:
    try:
        return _FAMILIES[metric]
    except KeyError:
        raise ValueError(
            f"cannot compare results of metric {metric!r}; comparable metrics are "
            f"{', '.join(sorted(_FAMILIES))}"
        ) from None


def _difference_arrays(
    family: str,
    unit: float,
    a: dict[str, FloatArray],
    b: dict[str, FloatArray],
    alpha: float,
) -> dict[str, FloatArray]:
    """Vectorised difference a − b with interval, statistic, p-value and df."""
    diff = a["value"] - b["value"]
    if family == "share":
        p1, p2 = a["value"] / unit, b["value"] / unit
        n1, n2 = a["n_effective"], b["n_effective"]
        l1, u1 = wilson_bounds(np.clip(p1, 0, 1) * n1, n1, alpha)
        l2, u2 = wilson_bounds(np.clip(p2, 0, 1) * n2, n2, alpha)
        d = p1 - p2
        low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        se0 = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = np.divide(d, se0, out=np.zeros_like(d), where=se0 > 0)
        p = 2 * stats.norm.sf(np.abs(z))
        df = np.full(d.shape, math.inf)
        low, high = np.maximum(low, -1.0) * unit, np.minimum(high, 1.0) * unit
        return {"diff": diff, "low": low, "high": high, "stat": z, "p": p, "df": df}
    for side, res in (("a", a), ("b", b)):
        if not np.all(np.isfinite(res["se"])):
            raise ValueError(
                f"result {side} has no standard error (n = 1?): a comparison needs at "
                "least two answers on each side"
            )
    var = a["se"] ** 2 + b["se"] ** 2
    se = np.sqrt(var)
    stat = np.divide(diff, se, out=np.zeros_like(diff), where=se > 0)
    if family == "nps":
        q = stats.norm.ppf(1 - alpha / 2)
        p = 2 * stats.norm.sf(np.abs(stat))
        df = np.full(diff.shape, math.inf)
        low, high = np.maximum(diff - q * se, -200.0), np.minimum(diff + q * se, 200.0)
    else:
        # Welch–Satterthwaite degrees of freedom; an infinite df (normal) adds nothing
        terms = np.zeros_like(var)
        for res in (a, b):
            dfi = res["df"]
            finite = np.isfinite(dfi) & (dfi > 0)
            terms = terms + np.where(
                finite, res["se"] ** 4 / np.where(finite, dfi, 1.0), 0.0
            )
        df = np.where(terms > 0, var * var / np.where(terms > 0, terms, 1.0), math.inf)
        q = stats.t.ppf(1 - alpha / 2, df)
        p = 2 * stats.t.sf(np.abs(stat), df)
        low, high = diff - q * se, diff + q * se
    p = np.where(se > 0, p, np.where(diff == 0, 1.0, 0.0))
    return {"diff": diff, "low": low, "high": high, "stat": stat, "p": p, "df": df}


def _columns(res: ScoreResult) -> dict[str, FloatArray]:
    return {
        "value": np.array([res.value]),
        "se": np.array([res.se]),
        "df": np.array([res.df]),
        "n_effective": np.array([res.n_effective or res.n], dtype=np.float64),
    }


def _method_name(family: str) -> str:
    return {"share": "newcombe", "nps": "wald", "mean": "welch"}[family]


def _direction(diff: float, significant: bool) -> str:
    if not significant:
        return "none"
    return "up" if diff > 0 else "down"


def compare(
    a: ScoreResult | Any,
    b: ScoreResult | Any,
    *,
    kind: str | None = None,
    alpha: float = 0.05,
    weights_a: npt.ArrayLike | None = None,
    weights_b: npt.ArrayLike | None = None,
    **score_options: Any,
) -> ComparisonResult:
    """Difference ``a − b`` between two independent samples, with interval and p-value.

    Parameters
    ----------
    a, b
        Two results of the same metric (e.g. ``nps(wave_2)`` and ``nps(wave_1)``), or
        raw answers / summaries together with ``kind``.
    kind
        With raw answers or summaries: ``"nps"``, ``"csat"``, ``"ces"``, ``"csi"``,
        ``"mean"``, ``"top_box"`` or ``"bottom_box"``.
    alpha
        Significance level of the interval and of ``is_significant``.
    weights_a, weights_b
        Respondent weights of the raw answers of a and b.
    **score_options
        Passed to the score function (``scale=``, ``top=``, ``version=`` ...).

    Returns
    -------
    ComparisonResult
        ``difference`` (a − b, in the metric's unit), its interval, ``p_value``,
        ``is_significant`` (p < alpha) and ``direction`` ("up", "down", "none").

    Notes
    -----
    Shares (CSAT, top/bottom box): Newcombe's hybrid score interval
    ``d − √((p₁ − l₁)² + (u₂ − p₂)²)``, ``d + √((u₁ − p₁)² + (p₂ − l₂)²)`` from the
    Wilson limits, and the pooled two-proportion z-test. NPS: Wald interval on
    ``Var_a + Var_b`` (multinomial variances) and a z-test. Means, CES and CSI: Welch t
    with Welch–Satterthwaite df. Weighted results use their effective n and
    linearisation standard errors.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Stat Med* 17, 873–890 (method 10).
    Rocks, B. (2016). *The American Statistician* 70(4), 365–372. Welch, B. L. (1947).
    *Biometrika* 34, 28–35.

    Examples
    --------
    >>> from satisfy.analytics import csat
    >>> c = compare(csat([5] * 56 + [1] * 14), csat([5] * 48 + [1] * 32))
    >>> round(c.difference, 1), round(c.ci_low, 2), round(c.ci_high, 2)
    (20.0, 5.24, 33.39)
    >>> c.is_significant, c.direction
    (True, 'up')
    """
    level = check_alpha(alpha)
    if not isinstance(a, ScoreResult) or not isinstance(b, ScoreResult):
        if kind is None:
            raise ValueError(
                "give two score results, or raw answers / summaries with kind= "
                f"({', '.join(sorted(_SCORERS))})"
            )
        try:
            scorer = _SCORERS[kind]
        except KeyError:
            raise ValueError(
                f"kind {kind!r} is not one of {', '.join(sorted(_SCORERS))}"
            ) from None
        extra_a = {} if weights_a is None else {"weights": weights_a}
        extra_b = {} if weights_b is None else {"weights": weights_b}
        a = scorer(a, alpha=level, **extra_a, **score_options)
        b = scorer(b, alpha=level, **extra_b, **score_options)
    if a.metric != b.metric:
        raise ValueError(
            f"cannot compare a {a.metric or 'score'} with a {b.metric or 'score'}: "
            "compare results of the same metric"
        )
    family, unit = _family(a.metric)
    out = _difference_arrays(family, unit, _columns(a), _columns(b), level)
    p = float(out["p"][0])
    significant = p < level
    diff = float(out["diff"][0])
    return ComparisonResult(
        difference=diff,
        ci_low=float(out["low"][0]),
        ci_high=float(out["high"][0]),
        p_value=p,
        is_significant=significant,
        direction=_direction(diff, significant),
        method=_method_name(family),
        alpha=level,
        a=a,
        b=b,
        statistic=float(out["stat"][0]),
        df=float(out["df"][0]),
    )


def adjust_p_values(p_values: npt.ArrayLike, *, method: str = "holm") -> FloatArray:
    """Adjust p-values for multiple comparisons (as R's ``p.adjust``).

    Parameters
    ----------
    p_values
        Unadjusted p-values.
    method
        ``"holm"`` (family-wise error, default), ``"bh"`` (Benjamini–Hochberg false
        discovery rate), ``"bonferroni"`` or ``"none"``.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values in the original order.

    Notes
    -----
    With sorted p₍₁₎ ≤ … ≤ p₍ₘ₎: Holm ``max_{j≤i} min(1, (m − j + 1) p₍ⱼ₎)``;
    BH ``min_{j≥i} min(1, m p₍ⱼ₎ / j)``.

    References
    ----------
    Holm, S. (1979). *Scand J Stat* 6, 65–70. Benjamini, Y. & Hochberg, Y. (1995).
    *JRSS B* 57, 289–300.

    Examples
    --------
    >>> adjust_p_values([0.01, 0.04, 0.03], method="holm").tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=np.float64).reshape(-1)
    if p.size and (np.any(~np.isfinite(p)) or np.any(p < 0) or np.any(p > 1)):
        raise ValueError("p-values must lie between 0 and 1")
    m = p.size
    if m == 0 or method == "none":
        return p.copy()
    order = np.argsort(p, kind="mergesort")
    ranked = p[order]
    i = np.arange(1, m + 1)
    if method == "holm":
        adj = np.maximum.accumulate(np.minimum(1.0, (m - i + 1) * ranked))
    elif method == "bh":
        adj = np.minimum.accumulate((m * ranked / i)[::-1])[::-1]
        adj = np.minimum(adj, 1.0)
    elif method == "bonferroni":
        adj = np.minimum(1.0, m * ranked)
    else:
        raise ValueError(f"adjust {method!r} is not one of {', '.join(ADJUSTMENTS)}")
    out = np.empty(m)
    out[order] = adj
    return out


def compare_groups(
    grouped: GroupedSummary,
    *,
    kind: str,
    alpha: float = 0.05,
    adjust: str = "holm",
    **score_options: Any,
) -> MultipleComparisonResult:
    """Every unit against the rest of the total, with multiplicity control.

    Parameters
    ----------
    grouped
        One summary per unit (``GroupedSummary.from_values`` or ``from_summaries``).
    kind
        ``"nps"``, ``"csat"``, ``"ces"``, ``"csi"`` (one item), ``"mean"``,
        ``"top_box"`` or ``"bottom_box"``.
    alpha
        Significance level (applied to the adjusted p-values).
    adjust
        ``"holm"`` (default), ``"bh"``, ``"bonferroni"`` or ``"none"``.
    **score_options
        Passed to the score function.

    Returns
    -------
    MultipleComparisonResult
        Per unit: the comparison unit − rest, the adjusted p-value and the
        ``is_significant`` flag for the dashboard; plus the total's score.

    Notes
    -----
    Each unit is compared with the total minus the unit (its summary subtracted), so
    the two samples are independent; the reported difference is unit − rest.

    References
    ----------
    Holm, S. (1979). *Scand J Stat* 6, 65–70. Benjamini, Y. & Hochberg, Y. (1995).
    *JRSS B* 57, 289–300.

    Examples
    --------
    >>> from satisfy.analytics import GroupedSummary, NPS_SCALE
    >>> g = GroupedSummary.from_values([10] * 30 + [3] * 30 + [9] * 10 + [2] * 50,
    ...     ["north"] * 60 + ["south"] * 60, scale=NPS_SCALE)
    >>> r = compare_groups(g, kind="nps")
    >>> r.significant()
    ('north', 'south')
    """
    level = check_alpha(alpha)
    if adjust not in ADJUSTMENTS:
        raise ValueError(f"adjust {adjust!r} is not one of {', '.join(ADJUSTMENTS)}")
    if kind not in _SCORERS:
        raise ValueError(
            f"kind {kind!r} cannot be compared by unit; use one of "
            f"{', '.join(sorted(_SCORERS))}"
        )
    if len(grouped) < 2:
        raise ValueError("comparing units with the rest needs at least two units")
    scorer = _SCORERS[kind]
    total_summary = grouped.total()
    rest = GroupedSummary(
        grouped.labels,
        grouped.scale,
        total_summary.counts[None, :] - grouped.counts,
        np.maximum(total_summary.weight_sums[None, :] - grouped.weight_sums, 0.0),
        np.maximum(total_summary.weight_squares[None, :] - grouped.weight_squares, 0.0),
        grouped.na.sum(axis=0)[None, :] - grouped.na,
        grouped.weighted,
    )
    units: GroupedScores = scorer(grouped, alpha=level, **score_options)
    others: GroupedScores = scorer(rest, alpha=level, **score_options)
    total: ScoreResult = scorer(total_summary, alpha=level, **score_options)
    family, unit = _family(total.metric)
    cols = ("value", "se", "df", "n_effective")
    a = {
        c: np.asarray(units.columns[c], dtype=np.float64)
        for c in cols
        if c in units.columns
    }
    b = {
        c: np.asarray(others.columns[c], dtype=np.float64)
        for c in cols
        if c in others.columns
    }
    for d in (a, b):
        d.setdefault("df", np.full(len(grouped), math.inf))
    out = _difference_arrays(family, unit, a, b, level)
    p_adj = adjust_p_values(out["p"], method=adjust)
    items = []
    for i, label in enumerate(grouped.labels):
        sig = bool(p_adj[i] < level)
        diff = float(out["diff"][i])
        comparison = ComparisonResult(
            difference=diff,
            ci_low=float(out["low"][i]),
            ci_high=float(out["high"][i]),
            p_value=float(out["p"][i]),
            is_significant=bool(out["p"][i] < level),
            direction=_direction(diff, sig),
            method=_method_name(family),
            alpha=level,
            a=units.result_at(i),
            b=others.result_at(i),
            statistic=float(out["stat"][i]),
            df=float(out["df"][i]),
        )
        items.append(GroupComparison(str(label), comparison, float(p_adj[i]), sig))
    return MultipleComparisonResult(tuple(items), total, adjust, level)
