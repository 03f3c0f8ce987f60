"""Satisfaction scores: NPS, CSAT, top/bottom box, distribution, means, CES, CSI.

Single source of truth for every score Satisfy shows (definitions in
``docs/metrics.md``). Each function accepts raw answers (a sequence or array of codes),
an :class:`~satisfy.analytics.summaries.AnswerSummary` (identical result), or a
:class:`~satisfy.analytics.summaries.GroupedSummary` (one result per unit, computed in a
single vectorised pass, returned as :class:`~satisfy.analytics.results.GroupedScores`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, cast, overload

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics.intervals import (
    NPS_METHODS,
    PROPORTION_METHODS,
    bootstrap_interval,
    check_alpha,
    nps_interval,
    proportion_interval,
)
from satisfy.analytics.results import (
    CESResult,
    CSIResult,
    DistributionResult,
    GroupedScores,
    NPSResult,
    ScoreResult,
)
from satisfy.analytics.scales import (
    CES1_SCALE,
    CES2_SCALE,
    CSAT_SCALE,
    NPS_SCALE,
    Scale,
)
from satisfy.analytics.summaries import AnswerSummary, GroupedSummary, ItemsSummary

__all__ = [
    "bottom_box",
    "ces",
    "csat",
    "csi",
    "distribution",
    "mean_score",
    "nps",
    "top_box",
]

FloatArray = npt.NDArray[np.float64]
Answers = npt.ArrayLike | AnswerSummary
RandomState = int | np.random.Generator | None


# --------------------------------------------------------------------------- plumbing


@dataclass(frozen=True, slots=True)
class _Hist:
    """Histograms of one or many units as ``(units, k)`` arrays."""

    scale: Scale
    counts: npt.NDArray[np.int64]
    wsum: FloatArray
    w2sum: FloatArray
    n_na: npt.NDArray[np.int64]
    weighted: bool
    labels: tuple[str | int, ...] | None


def _with_na(scale: Scale, na_codes: Sequence[float]) -> Scale:
    if not na_codes:
        return scale
    codes = tuple(sorted(set(scale.na_codes) | {float(c) for c in na_codes}))
    return replace(scale, na_codes=codes)


def _hist(
    data: Answers | GroupedSummary,
    *,
    scale: Scale | None,
    default: Scale,
    weights: npt.ArrayLike | None,
    na_codes: Sequence[float] = (),
) -> _Hist:
    if isinstance(data, (AnswerSummary, GroupedSummary)):
        # na_codes apply to raw answers; a summary has already counted its NA codes
        if weights is not None:
            raise ValueError(
                "weights go with raw answers; a summary already holds its weight sums"
            )
        if scale is not None and (scale.low, scale.high, scale.reverse) != (
            data.scale.low,
            data.scale.high,
            data.scale.reverse,
        ):
            raise ValueError(
                f"the summary is on the scale {data.scale.describe()} but the scale "
                f"{scale.describe()} was asked for"
            )
        if scale is None and default.reverse and not data.scale.reverse:
            # a summary saved without direction still scores a lower-is-better question
            sc = replace(data.scale, reverse=True)
        else:
            sc = data.scale
    if isinstance(data, GroupedSummary):
        return _Hist(
            sc,
            data.counts,
            data.weight_sums,
            data.weight_squares,
            data.na.sum(axis=1),
            data.weighted,
            data.labels,
        )
    if not isinstance(data, AnswerSummary):
        data = AnswerSummary.from_values(
            data, scale=_with_na(scale or default, na_codes), weights=weights
        )
        sc = data.scale
    return _Hist(
        sc,
        data.counts.reshape(1, -1),
        data.weight_sums.reshape(1, -1),
        data.weight_squares.reshape(1, -1),
        np.array([data.n_na], dtype=np.int64),
        data.weighted,
        None,
    )


@dataclass(frozen=True, slots=True)
class _Base:
    n: npt.NDArray[np.int64]
    w: FloatArray
    n_eff: FloatArray
    deff: FloatArray


def _base(h: _Hist) -> _Base:
    n = h.counts.sum(axis=1)
    w = h.wsum.sum(axis=1)
    w2 = h.w2sum.sum(axis=1)
    bad = (n == 0) | (w <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        where = "" if h.labels is None else f" in unit {h.labels[i]!r}"
        if n[i] == 0:
            raise ValueError(
                f"no answers on the scale {h.scale.describe()}{where} (n = 0, "
                f"{int(h.n_na[i])} NA answers): a score needs at least one answer"
            )
        raise ValueError(
            f"the weights of the answers{where} sum to zero: at least one "
            "respondent must count"
        )
    n_eff = (
        np.where(w2 > 0, w * w / np.where(w2 > 0, w2, 1.0), n)
        if h.weighted
        else n.astype(np.float64)
    )
    return _Base(n, w, n_eff, n / n_eff)


def _common(h: _Hist, b: _Base) -> dict[str, Any]:
    return {
        "n": b.n,
        "n_na": h.n_na,
        "weight_total": b.w,
        "n_effective": b.n_eff,
        "design_effect": b.deff,
    }


def _finish(
    h: _Hist,
    columns: dict[str, Any],
    constants: dict[str, Any],
    result_type: type[ScoreResult],
) -> ScoreResult | GroupedScores:
    constants = {**constants, "weighted": h.weighted}
    grouped = GroupedScores(h.labels or ("",), columns, constants, result_type)
    if h.labels is None:
        return grouped.result_at(0)
    return grouped


def _point_mask(scale: Scale, codes: Sequence[int]) -> FloatArray:
    return np.isin(scale.points, np.asarray(codes)).astype(np.float64)


def _share_columns(
    h: _Hist, b: _Base, y: FloatArray, *, alpha: float, method: str, scale_by: float
) -> dict[str, Any]:
    # weighted sums can round a share a hair outside [0, 1]
    p = np.clip((h.wsum @ y) / b.w, 0.0, 1.0)
    var = (h.w2sum * (y[None, :] - p[:, None]) ** 2).sum(axis=1) / (b.w * b.w)
    if method not in PROPORTION_METHODS:
        raise ValueError(
            f"method {method!r} is not one of {', '.join(PROPORTION_METHODS)}"
        )
    # weighted: the interval uses the Kish effective n (Kott & Carr 1997)
    low, high = proportion_interval(
        np.clip(p, 0, 1) * b.n_eff, b.n_eff, alpha=alpha, method=method
    )
    return {
        "value": p * scale_by,
        "ci_low": low * scale_by,
        "ci_high": high * scale_by,
        "se": np.sqrt(var) * scale_by,
        **_common(h, b),
    }


def _bootstrap_columns(
    h: _Hist,
    b: _Base,
    statistic: Any,
    *,
    alpha: float,
    n_resamples: int,
    random_state: RandomState,
) -> tuple[FloatArray, FloatArray]:
    rng = np.random.default_rng(random_state)
    lows, highs = np.empty(b.n.shape[0]), np.empty(b.n.shape[0])
    for i in range(b.n.shape[0]):
        lows[i], highs[i] = bootstrap_interval(
            statistic,
            h.wsum[i] / b.w[i],
            max(1, round(float(b.n_eff[i]))),
            alpha=alpha,
            n_resamples=n_resamples,
            random_state=rng,
        )
    return lows, highs


def _bounds_of(x: FloatArray) -> tuple[float, float]:
    """Smallest and largest point value: a mean must lie between them."""
    return float(x.min()), float(x.max())


def _t_quantiles(q: float, df: FloatArray) -> FloatArray:
    # many units share a few distinct df: compute each quantile once
    unique, inverse = np.unique(df, return_inverse=True)
    return np.asarray(stats.t.ppf(q, unique), dtype=np.float64)[
        inverse.reshape(df.shape)
    ]


def _mean_columns(
    h: _Hist,
    b: _Base,
    x: FloatArray,
    *,
    bounds: tuple[float, float],
    alpha: float,
    method: str,
    n_resamples: int,
    random_state: RandomState,
) -> dict[str, Any]:
    mean = np.clip((h.wsum @ x) / b.w, *_bounds_of(x))
    n = b.n.astype(np.float64)
    ss = (h.w2sum * (x[None, :] - mean[:, None]) ** 2).sum(axis=1) / (b.w * b.w)
    many = n > 1
    # linearisation variance with n/(n-1): weights of 1 give exactly s²/n
    var = np.where(many, ss * n / np.where(many, n - 1, 1.0), math.inf)
    se = np.sqrt(var)
    df = np.where(many, n - 1, 0.0)
    if method == "t":
        tq = _t_quantiles(1 - alpha / 2, np.where(many, df, 1.0))
        low = np.where(many, mean - tq * se, bounds[0])
        high = np.where(many, mean + tq * se, bounds[1])
    elif method == "bootstrap":
        low, high = _bootstrap_columns(
            h,
            b,
            lambda s: s @ x,
            alpha=alpha,
            n_resamples=n_resamples,
            random_state=random_state,
        )
    else:
        raise ValueError(f"method {method!r} is not one of t, bootstrap")
    return {
        "value": mean,
        "ci_low": np.clip(low, *bounds),
        "ci_high": np.clip(high, *bounds),
        "se": se,
        "df": np.where(many, df, math.inf),
        **_common(h, b),
    }


# --------------------------------------------------------------------------- NPS


@overload
def nps(
    data: GroupedSummary,
    *,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
    n_resamples: int = ...,
    random_state: RandomState = ...,
) -> GroupedScores: ...
@overload
def nps(
    data: Answers,
    *,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
    n_resamples: int = ...,
    random_state: RandomState = ...,
) -> NPSResult: ...
def nps(
    data: Answers | GroupedSummary,
    *,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    method: str = "wald",
    na_codes: Sequence[float] = (),
    n_resamples: int = 2000,
    random_state: RandomState = None,
) -> NPSResult | GroupedScores:
    """Net Promoter Score of 0–10 likelihood-to-recommend answers.

    Parameters
    ----------
    data
        Answers 0–10 (NA codes allowed), an ``AnswerSummary`` on 0–10, or a
        ``GroupedSummary`` for one score per unit.
    weights
        Respondent weights (≥ 0, not all zero), one per answer; raw answers only.
    alpha
        Significance level; 0.05 gives a 95% interval.
    method
        ``"wald"`` (default), ``"adjusted-wald"`` or ``"bootstrap"``.
    na_codes
        Codes meaning "don't know", excluded from the base and counted in ``n_na``.
    n_resamples, random_state
        Bootstrap settings (``method="bootstrap"`` only).

    Returns
    -------
    NPSResult
        ``value`` = 100 × (promoter share − detractor share), from −100 to 100, with
        the three shares in [0, 1]. ``GroupedScores`` for a ``GroupedSummary``.

    Notes
    -----
    Promoters answer 9–10, passives 7–8, detractors 0–6. The Wald interval uses the
    multinomial variance ``(p + d − (p − d)²)/n``; weighted, the linearisation variance
    ``Σ wᵢ²(yᵢ − ȳ)²/(Σw)²`` with yᵢ = +1, 0, −1 (equal when all weights are 1). The
    adjusted Wald adds 3/4 to promoters and detractors and 3 to n (Rocks 2016).

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *HBR* 81(12), 46–54.
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    *The American Statistician* 70(4), 365–372.

    Examples
    --------
    >>> r = nps([10, 9, 8, 6, 10])
    >>> r.value, r.n, r.promoters
    (40.0, 5, 0.6)
    >>> round(r.ci_low, 1), round(r.ci_high, 1)
    (-30.1, 100.0)
    """
    a = check_alpha(alpha)
    h = _hist(data, scale=None, default=NPS_SCALE, weights=weights, na_codes=na_codes)
    if (h.scale.low, h.scale.high) != (0, 10):
        raise ValueError(
            f"NPS needs answers on 0–10, the summary is on {h.scale.describe()}"
        )
    b = _base(h)
    pts = h.scale.points
    y = np.where(pts >= 9, 1.0, np.where(pts <= 6, -1.0, 0.0))
    p = np.clip((h.wsum @ (y > 0)) / b.w, 0.0, 1.0)
    d = np.clip((h.wsum @ (y < 0)) / b.w, 0.0, 1.0 - p)
    v = p - d
    se = np.sqrt((h.w2sum * (y[None, :] - v[:, None]) ** 2).sum(axis=1)) / b.w
    if method == "wald":
        z = stats.norm.ppf(1 - a / 2)
        low, high = (
            np.clip(100 * (v - z * se), -100, 100),
            np.clip(100 * (v + z * se), -100, 100),
        )
    elif method == "adjusted-wald":
        low, high = nps_interval(
            p * b.n_eff, d * b.n_eff, b.n_eff, alpha=a, method=method
        )
    elif method == "bootstrap":
        low, high = _bootstrap_columns(
            h,
            b,
            lambda s: 100 * (s @ y),
            alpha=a,
            n_resamples=n_resamples,
            random_state=random_state,
        )
    else:
        raise ValueError(
            f"method {method!r} is not one of {', '.join((*NPS_METHODS, 'bootstrap'))}"
        )
    columns = {
        "value": 100 * v,
        "ci_low": low,
        "ci_high": high,
        "se": 100 * se,
        "promoters": p,
        "passives": np.clip(1 - p - d, 0.0, 1.0),
        "detractors": d,
        **_common(h, b),
    }
    return cast(
        "NPSResult | GroupedScores",
        _finish(h, columns, {"method": method, "alpha": a, "metric": "nps"}, NPSResult),
    )


# --------------------------------------------------------------------------- box scores


@overload
def csat(
    data: GroupedSummary,
    *,
    scale: Scale | None = ...,
    top: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> GroupedScores: ...
@overload
def csat(
    data: Answers,
    *,
    scale: Scale | None = ...,
    top: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> ScoreResult: ...
def csat(
    data: Answers | GroupedSummary,
    *,
    scale: Scale | None = None,
    top: int = 2,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    method: str = "wilson",
    na_codes: Sequence[float] = (),
) -> ScoreResult | GroupedScores:
    """CSAT: percentage of answers in the top ``top`` boxes.

    Parameters
    ----------
    data
        Answers (codes of ``scale``), an ``AnswerSummary`` or a ``GroupedSummary``.
    scale
        The answer scale; default 1–5. On a reversed scale the top boxes are the lowest codes.
    top
        How many of the best codes count as satisfied (default 2: 4 and 5 on 1–5).
    weights
        Respondent weights (raw answers only).
    alpha
        Significance level.
    method
        Interval for the share: ``"wilson"`` (default), ``"clopper-pearson"``,
        ``"wald"``, ``"agresti-coull"``.
    na_codes
        Extra "don't know" codes, excluded from the base.

    Returns
    -------
    ScoreResult
        ``value`` in percent (0–100), interval in percent.

    Notes
    -----
    ``CSAT = 100 × #(answers in the top boxes) / n``. Wilson interval on the share;
    weighted, Wilson with the Kish effective n.

    References
    ----------
    Wilson, E. B. (1927). *JASA* 22, 209–212. Newcombe, R. G. (1998). *Stat Med* 17, 857–872.

    Examples
    --------
    >>> r = csat([5, 5, 4, 4, 3, 2, 5, 4, 1, 5])
    >>> r.value, r.n
    (70.0, 10)
    >>> round(r.ci_low, 2), round(r.ci_high, 2)
    (39.68, 89.22)
    """
    a = check_alpha(alpha)
    h = _hist(data, scale=scale, default=CSAT_SCALE, weights=weights, na_codes=na_codes)
    b = _base(h)
    y = _point_mask(h.scale, h.scale.top_codes(top))
    columns = _share_columns(h, b, y, alpha=a, method=method, scale_by=100.0)
    return _finish(
        h, columns, {"method": method, "alpha": a, "metric": "csat"}, ScoreResult
    )


def _box(
    data: Answers | GroupedSummary,
    codes_of: str,
    *,
    scale: Scale | None,
    k: int,
    weights: npt.ArrayLike | None,
    alpha: float,
    method: str,
    na_codes: Sequence[float],
) -> ScoreResult | GroupedScores:
    a = check_alpha(alpha)
    h = _hist(data, scale=scale, default=CSAT_SCALE, weights=weights, na_codes=na_codes)
    b = _base(h)
    codes = h.scale.top_codes(k) if codes_of == "top" else h.scale.bottom_codes(k)
    columns = _share_columns(
        h, b, _point_mask(h.scale, codes), alpha=a, method=method, scale_by=1.0
    )
    return _finish(
        h,
        columns,
        {"method": method, "alpha": a, "metric": f"{codes_of}_box"},
        ScoreResult,
    )


@overload
def top_box(
    data: GroupedSummary,
    *,
    scale: Scale | None = ...,
    k: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> GroupedScores: ...
@overload
def top_box(
    data: Answers,
    *,
    scale: Scale | None = ...,
    k: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> ScoreResult: ...
def top_box(
    data: Answers | GroupedSummary,
    *,
    scale: Scale | None = None,
    k: int = 1,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    method: str = "wilson",
    na_codes: Sequence[float] = (),
) -> ScoreResult | GroupedScores:
    """Share (in [0, 1]) of answers in the best ``k`` codes.

    Parameters
    ----------
    data
        Answers, an ``AnswerSummary`` or a ``GroupedSummary``.
    scale
        Answer scale (default 1–5); on a reversed scale the best codes are the lowest.
    k
        Number of boxes (default 1).
    weights, alpha, method, na_codes
        As for :func:`csat`.

    Returns
    -------
    ScoreResult
        Share in [0, 1] with its Wilson interval.

    Notes
    -----
    ``top_box = #(answers in the best k codes) / n``; :func:`csat` is the same share in
    percent with k = 2.

    References
    ----------
    Newcombe, R. G. (1998). *Stat Med* 17, 857–872.

    Examples
    --------
    >>> top_box([5, 5, 4, 3, 1]).value
    0.4
    """
    return _box(
        data,
        "top",
        scale=scale,
        k=k,
        weights=weights,
        alpha=alpha,
        method=method,
        na_codes=na_codes,
    )


@overload
def bottom_box(
    data: GroupedSummary,
    *,
    scale: Scale | None = ...,
    k: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> GroupedScores: ...
@overload
def bottom_box(
    data: Answers,
    *,
    scale: Scale | None = ...,
    k: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> ScoreResult: ...
def bottom_box(
    data: Answers | GroupedSummary,
    *,
    scale: Scale | None = None,
    k: int = 1,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    method: str = "wilson",
    na_codes: Sequence[float] = (),
) -> ScoreResult | GroupedScores:
    """Share (in [0, 1]) of answers in the worst ``k`` codes.

    Parameters
    ----------
    data
        Answers, an ``AnswerSummary`` or a ``GroupedSummary``.
    scale
        Answer scale (default 1–5); on a reversed scale the worst codes are the highest.
    k
        Number of boxes (default 1).
    weights, alpha, method, na_codes
        As for :func:`csat`.

    Returns
    -------
    ScoreResult
        Share in [0, 1] with its Wilson interval.

    Notes
    -----
    ``bottom_box = #(answers in the worst k codes) / n``.

    References
    ----------
    Newcombe, R. G. (1998). *Stat Med* 17, 857–872.

    Examples
    --------
    >>> bottom_box([5, 5, 4, 3, 1], k=2).value
    0.2
    """
    return _box(
        data,
        "bottom",
        scale=scale,
        k=k,
        weights=weights,
        alpha=alpha,
        method=method,
        na_codes=na_codes,
    )


def distribution(
    data: Answers,
    *,
    scale: Scale | None = None,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    na_codes: Sequence[float] = (),
) -> DistributionResult:
    """Count and share of every scale point, each share with a Wilson interval.

    Parameters
    ----------
    data
        Answers or an ``AnswerSummary``.
    scale
        Answer scale (default 1–5).
    weights
        Respondent weights (raw answers only); shares become weighted shares and the
        intervals use the Kish effective n.
    alpha
        Significance level.
    na_codes
        Extra "don't know" codes, counted in ``na_counts`` and excluded from the base.

    Returns
    -------
    DistributionResult
        Points, counts, shares (in [0, 1]), Wilson limits per point, n and NA counts.

    Notes
    -----
    ``shareₖ = Σ_{i: xᵢ = k} wᵢ / Σ wᵢ``. Show the distribution beside any box score.

    References
    ----------
    Wilson, E. B. (1927). *JASA* 22, 209–212.

    Examples
    --------
    >>> d = distribution([1, 2, 2, 5, 99], na_codes=[99])
    >>> d.counts, d.shares[1], d.n_na
    ((1, 2, 0, 0, 1), 0.5, 1)
    """
    a = check_alpha(alpha)
    if isinstance(data, GroupedSummary):
        raise ValueError(
            "distribution takes one unit's answers; use summary[label] for a unit"
        )
    if isinstance(data, AnswerSummary) and weights is not None:
        raise ValueError(
            "weights go with raw answers; a summary already holds its weight sums"
        )
    summary = (
        data
        if isinstance(data, AnswerSummary)
        else AnswerSummary.from_values(
            data, scale=_with_na(scale or CSAT_SCALE, na_codes), weights=weights
        )
    )
    h = _hist(summary, scale=scale, default=CSAT_SCALE, weights=None)
    b = _base(h)
    shares = np.clip(h.wsum[0] / b.w[0], 0.0, 1.0)
    low, high = proportion_interval(
        shares * b.n_eff[0], np.full(shares.shape, b.n_eff[0]), alpha=a
    )
    na = dict(summary.na_counts)
    return DistributionResult(
        points=tuple(int(p) for p in h.scale.points),
        counts=tuple(int(c) for c in h.counts[0]),
        shares=tuple(float(s) for s in shares),
        ci_low=tuple(float(x) for x in low),
        ci_high=tuple(float(x) for x in high),
        n=int(b.n[0]),
        n_na=int(h.n_na[0]),
        na_counts=na,
        labels=h.scale.labels,
        alpha=a,
        weighted=h.weighted,
        n_effective=float(b.n_eff[0]),
    )


# --------------------------------------------------------------------------- means, CES


@overload
def mean_score(
    data: GroupedSummary,
    *,
    scale: Scale | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
    n_resamples: int = ...,
    random_state: RandomState = ...,
) -> GroupedScores: ...
@overload
def mean_score(
    data: Answers,
    *,
    scale: Scale | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
    n_resamples: int = ...,
    random_state: RandomState = ...,
) -> ScoreResult: ...
def mean_score(
    data: Answers | GroupedSummary,
    *,
    scale: Scale | None = None,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    method: str = "t",
    na_codes: Sequence[float] = (),
    n_resamples: int = 2000,
    random_state: RandomState = None,
) -> ScoreResult | GroupedScores:
    """Mean answer code with a t interval.

    Parameters
    ----------
    data
        Answers, an ``AnswerSummary`` or a ``GroupedSummary``.
    scale
        Answer scale (default 1–5).
    weights
        Respondent weights (raw answers only).
    alpha
        Significance level.
    method
        ``"t"`` (default) or ``"bootstrap"``.
    na_codes
        Extra "don't know" codes, excluded from the base.
    n_resamples, random_state
        Bootstrap settings.

    Returns
    -------
    ScoreResult
        Mean in scale codes; the interval is clipped to the scale. With n = 1 the
        interval is the whole scale.

    Notes
    -----
    ``ȳ ± t(1 − α/2, n − 1) · s/√n``; weighted, ``s²/n`` is replaced by the
    linearisation variance ``n/(n − 1) · Σ wᵢ²(yᵢ − ȳ)²/(Σw)²``.

    References
    ----------
    Student (1908). *Biometrika* 6, 1–25.

    Examples
    --------
    >>> r = mean_score([4, 5, 3, 4, 4])
    >>> r.value, round(r.ci_low, 3), round(r.ci_high, 3)
    (4.0, 3.122, 4.878)
    """
    a = check_alpha(alpha)
    h = _hist(data, scale=scale, default=CSAT_SCALE, weights=weights, na_codes=na_codes)
    b = _base(h)
    x = h.scale.points.astype(np.float64)
    columns = _mean_columns(
        h,
        b,
        x,
        bounds=(float(h.scale.low), float(h.scale.high)),
        alpha=a,
        method=method,
        n_resamples=n_resamples,
        random_state=random_state,
    )
    return _finish(
        h, columns, {"method": method, "alpha": a, "metric": "mean"}, ScoreResult
    )


@overload
def ces(
    data: GroupedSummary,
    *,
    version: int = ...,
    scale: Scale | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    na_codes: Sequence[float] = ...,
) -> GroupedScores: ...
@overload
def ces(
    data: Answers,
    *,
    version: int = ...,
    scale: Scale | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    na_codes: Sequence[float] = ...,
) -> CESResult: ...
def ces(
    data: Answers | GroupedSummary,
    *,
    version: int = 2,
    scale: Scale | None = None,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    na_codes: Sequence[float] = (),
) -> CESResult | GroupedScores:
    """Customer Effort Score: mean and share of good (low-effort / agree) answers.

    Parameters
    ----------
    data
        Answers, an ``AnswerSummary`` or a ``GroupedSummary``.
    version
        2 (default): 1–7 agreement with "The company made it easy for me to handle my
        issue", higher is better. 1: 1–5 "how much effort", lower is better.
    scale
        Override the version's scale (e.g. a 1–5 agreement scale).
    weights, alpha, na_codes
        As for :func:`mean_score`.

    Returns
    -------
    CESResult
        ``value`` = mean code with a t interval; ``agree`` = share in [0, 1] of the
        codes on the good side of the midpoint (5–7 on CES 2.0, 1–2 on CES 1.0) with
        its Wilson interval.

    Notes
    -----
    The version is part of the result: CES 1.0 and 2.0 means are not comparable.

    References
    ----------
    Dixon, M., Freeman, K. & Toman, N. (2010). Stop trying to delight your customers.
    *HBR* 88(7/8), 116–122.

    Examples
    --------
    >>> r = ces([7, 6, 5, 2, 6])
    >>> r.value, r.agree
    (5.2, 0.8)
    >>> ces([1, 2, 4], version=1).agree
    0.6666666666666666
    """
    a = check_alpha(alpha)
    if version not in (1, 2):
        raise ValueError(
            f"CES version {version!r} must be 1 (effort, 1–5) or 2 (agree, 1–7)"
        )
    default = CES2_SCALE if version == 2 else CES1_SCALE
    h = _hist(data, scale=scale, default=default, weights=weights, na_codes=na_codes)
    if version == 1 and not h.scale.reverse:
        h = replace(h, scale=replace(h.scale, reverse=True))
    b = _base(h)
    x = h.scale.points.astype(np.float64)
    columns = _mean_columns(
        h,
        b,
        x,
        bounds=(float(h.scale.low), float(h.scale.high)),
        alpha=a,
        method="t",
        n_resamples=0,
        random_state=None,
    )
    good = _point_mask(h.scale, h.scale.top_codes((h.scale.k - 1) // 2))
    share = _share_columns(h, b, good, alpha=a, method="wilson", scale_by=1.0)
    columns["agree"] = share["value"]
    columns["agree_ci_low"] = share["ci_low"]
    columns["agree_ci_high"] = share["ci_high"]
    constants = {
        "method": "t",
        "alpha": a,
        "metric": f"ces{version}",
        "version": version,
    }
    return cast("CESResult | GroupedScores", _finish(h, columns, constants, CESResult))


# --------------------------------------------------------------------------- CSI


@overload
def csi(
    data: GroupedSummary,
    *,
    scale: Scale | Sequence[Scale] | None = ...,
    item_weights: Sequence[float] | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    na_codes: Sequence[float] = ...,
    names: Sequence[str] | None = ...,
) -> GroupedScores: ...
@overload
def csi(
    data: npt.ArrayLike | AnswerSummary | ItemsSummary | Sequence[AnswerSummary],
    *,
    scale: Scale | Sequence[Scale] | None = ...,
    item_weights: Sequence[float] | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    na_codes: Sequence[float] = ...,
    names: Sequence[str] | None = ...,
) -> CSIResult: ...
def csi(
    data: npt.ArrayLike
    | AnswerSummary
    | ItemsSummary
    | Sequence[AnswerSummary]
    | GroupedSummary,
    *,
    scale: Scale | Sequence[Scale] | None = None,
    item_weights: Sequence[float] | None = None,
    weights: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    na_codes: Sequence[float] = (),
    names: Sequence[str] | None = None,
) -> CSIResult | GroupedScores:
    """Customer Satisfaction Index, 0–100, over one or many items on any mix of scales.

    Parameters
    ----------
    data
        One item's answers (1-D) or a respondents × items matrix (NaN or blank = not
        answered); an ``AnswerSummary`` (one item), an ``ItemsSummary`` (many items,
        exact interval), a sequence of per-item ``AnswerSummary`` (conservative
        interval, see Notes), or a ``GroupedSummary`` (one item, one CSI per unit).
    scale
        One scale for all items or one per item (default 1–5).
    item_weights
        Weight of every item in the index (default equal).
    weights
        Respondent weights (raw answers only).
    alpha
        Significance level.
    na_codes
        Extra "don't know" codes, excluded from the item's base.
    names
        Item names used in messages.

    Returns
    -------
    CSIResult
        ``value`` 0–100 with a t interval, the item scores (0–100) and their bases;
        ``n`` counts respondents who answered at least one item.

    Notes
    -----
    Each answer is mapped to 0–100 by ``(code − low)/(high − low) × 100`` (reversed
    scales flipped); item j's score is the weighted mean over its respondents and
    ``CSI = Σ vⱼ itemⱼ / Σ vⱼ``. The variance is ``v'Σv/(Σv)²`` where Σ is the
    covariance of the item means from respondents who answered both items; the t
    quantile uses df = (smallest item base) − 1. From separate per-item summaries the
    covariances are unknown and the items are taken as perfectly correlated, which
    gives a conservative (wider) interval.

    References
    ----------
    Fornell, C. et al. (1996). The American Customer Satisfaction Index.
    *Journal of Marketing* 60(4), 7–18.

    Examples
    --------
    >>> r = csi([1, 2, 3, 4, 5])
    >>> r.value, r.n
    (50.0, 5)
    >>> csi([[5, 4], [3, 5]], scale=[Scale(1, 5), Scale(1, 5)]).items
    (75.0, 87.5)
    """
    a = check_alpha(alpha)
    if isinstance(data, GroupedSummary):
        return _csi_grouped(data, a, scale)
    if isinstance(data, AnswerSummary):
        return _csi_items([data], item_weights, a, scale)
    if isinstance(data, ItemsSummary):
        if weights is not None:
            raise ValueError(
                "weights go with raw answers; a summary already holds its weight sums"
            )
        return _csi_matrix(data, item_weights, a)
    if (
        isinstance(data, Sequence)
        and data
        and all(isinstance(s, AnswerSummary) for s in data)
    ):
        return _csi_items(list(data), item_weights, a, scale)  # type: ignore[arg-type]
    arr = np.asarray(data)
    if arr.ndim <= 1:
        sc = scale if isinstance(scale, Scale) or scale is None else _single(scale)
        summary = AnswerSummary.from_values(
            arr, scale=_with_na(sc or CSAT_SCALE, na_codes), weights=weights
        )
        return _csi_items([summary], item_weights, a, None)
    n_items = arr.shape[1]
    if scale is None:
        scales = [CSAT_SCALE] * n_items
    elif isinstance(scale, Scale):
        scales = [scale] * n_items
    else:
        scales = list(scale)
    scales = [_with_na(s, na_codes) for s in scales]
    summary_m = ItemsSummary.from_matrix(
        arr, scales=scales, names=names, weights=weights
    )
    return _csi_matrix(summary_m, item_weights, a)


def _csi_grouped(
    data: GroupedSummary, alpha: float, scale: Scale | Sequence[Scale] | None
) -> GroupedScores:
    if scale is not None and not isinstance(scale, Scale):
        scale = _single(scale)
    h = _hist(data, scale=scale, default=data.scale, weights=None)
    b = _base(h)
    columns = _mean_columns(
        h,
        b,
        h.scale.to_score(h.scale.points),
        bounds=(0.0, 100.0),
        alpha=alpha,
        method="t",
        n_resamples=0,
        random_state=None,
    )
    grouped = _finish(
        h, columns, {"method": "t", "alpha": alpha, "metric": "csi"}, CSIResult
    )
    return cast(GroupedScores, grouped)


def _single(scales: Sequence[Scale]) -> Scale:
    if len(scales) != 1:
        raise ValueError(f"{len(scales)} scales given for one item")
    return scales[0]


def _item_weights(item_weights: Sequence[float] | None, n_items: int) -> FloatArray:
    if item_weights is None:
        return np.ones(n_items)
    v = np.asarray(item_weights, dtype=np.float64)
    if v.shape != (n_items,):
        raise ValueError(f"{v.size} item weights given for {n_items} items")
    if not np.isfinite(v).all() or (v < 0).any() or v.sum() <= 0:
        raise ValueError("item weights must be finite, ≥ 0 and not all zero")
    return v


def _csi_items(
    summaries: list[AnswerSummary],
    item_weights: Sequence[float] | None,
    alpha: float,
    scale: Scale | Sequence[Scale] | None,
) -> CSIResult:
    v = _item_weights(item_weights, len(summaries))
    if scale is not None:
        wanted = [scale] * len(summaries) if isinstance(scale, Scale) else list(scale)
        summaries = [
            AnswerSummary(
                sc, s.counts, s.weight_sums, s.weight_squares, s.na_counts, s.weighted
            )
            if (sc.low, sc.high) == (s.scale.low, s.scale.high)
            else _scale_mismatch(s.scale, sc)
            for s, sc in zip(summaries, wanted, strict=True)
        ]
    parts = []
    for s in summaries:
        h = _hist(s, scale=None, default=s.scale, weights=None)
        b = _base(h)
        cols = _mean_columns(
            h,
            b,
            s.scale.to_score(s.scale.points),
            bounds=(0.0, 100.0),
            alpha=alpha,
            method="t",
            n_resamples=0,
            random_state=None,
        )
        parts.append((cols, b, s))
    items = np.array([float(c["value"][0]) for c, _, _ in parts])
    ses = np.array([float(c["se"][0]) for c, _, _ in parts])
    ns = np.array([int(b.n[0]) for _, b, _ in parts])
    value = float(v @ items / v.sum())
    one = len(parts) == 1
    se = float(v @ ses / v.sum())
    df = float(ns.min() - 1)
    if one:
        cols = parts[0][0]
        low, high = float(cols["ci_low"][0]), float(cols["ci_high"][0])
    else:
        low, high = _t_limits(value, se, df, alpha)
    # several items: report the weakest item (smallest effective n, largest deff)
    n_eff = min(float(b.n_eff[0]) for _, b, _ in parts)
    deff = max(float(b.deff[0]) for _, b, _ in parts)
    wtot = max(float(b.w[0]) for _, b, _ in parts)
    weighted = any(s.weighted for s in summaries)
    n = int(ns.max())
    return CSIResult(
        value=value,
        n=n,
        ci_low=low,
        ci_high=high,
        method="t" if one else "t (items taken as perfectly correlated: conservative)",
        alpha=alpha,
        metric="csi",
        se=se,
        n_na=sum(s.n_na for s in summaries),
        weighted=weighted,
        weight_total=wtot,
        n_effective=n_eff,
        design_effect=deff,
        df=df if df > 0 else math.inf,
        items=tuple(float(x) for x in items),
        item_n=tuple(int(x) for x in ns),
        item_weights=tuple(float(x) for x in v),
    )


def _scale_mismatch(have: Scale, want: Scale) -> AnswerSummary:
    raise ValueError(
        f"the summary is on the scale {have.describe()} but the scale {want.describe()} was asked for"
    )


def _t_limits(value: float, se: float, df: float, alpha: float) -> tuple[float, float]:
    if not math.isfinite(se) or df < 1:
        return 0.0, 100.0
    tq = float(stats.t.ppf(1 - alpha / 2, df))
    return max(0.0, value - tq * se), min(100.0, value + tq * se)


def _csi_matrix(
    s: ItemsSummary, item_weights: Sequence[float] | None, alpha: float
) -> CSIResult:
    v = _item_weights(item_weights, s.n_items)
    nn = np.diag(s.pair_n).astype(np.float64)
    W = np.diag(s.pair_w)
    for j in range(s.n_items):
        if nn[j] == 0:
            raise ValueError(f"{s.names[j]}: no answers on the scale (n = 0)")
        if W[j] <= 0:
            raise ValueError(f"{s.names[j]}: the weights of the answers sum to zero")
    m = np.diag(s.sum_w_x) / W
    # covariance of weighted item means over respondents answering both (linearisation)
    cross = (
        s.sum_w2_xx
        - m[None, :] * s.sum_w2_x
        - m[:, None] * s.sum_w2_x.T
        + np.outer(m, m) * s.pair_w2
    )
    pn = s.pair_n.astype(np.float64)
    factor = np.where(pn > 1, pn / np.where(pn > 1, pn - 1, 1.0), 0.0)
    cov = factor * cross / np.outer(W, W)
    vn = v / v.sum()
    value = float(vn @ m)
    var = float(vn @ cov @ vn)
    df = float(nn.min() - 1)
    if df < 1:
        low, high, se = 0.0, 100.0, math.inf
    else:
        se = math.sqrt(max(var, 0.0))
        low, high = _t_limits(value, se, df, alpha)
    w2 = np.diag(s.pair_w2)
    n_eff = W * W / np.where(w2 > 0, w2, 1.0)
    return CSIResult(
        value=value,
        n=s.n,
        ci_low=low,
        ci_high=high,
        method="t",
        alpha=alpha,
        metric="csi",
        se=se,
        n_na=sum(s.n_na),
        weighted=s.weighted,
        weight_total=float(W.max()),
        n_effective=float(n_eff.min()) if s.weighted else float(nn.min()),
        design_effect=float((nn / n_eff).max()) if s.weighted else 1.0,
        df=df if df >= 1 else math.inf,
        items=tuple(float(x) for x in m),
        item_n=tuple(int(x) for x in nn),
        item_weights=tuple(float(x) for x in v),
    )
