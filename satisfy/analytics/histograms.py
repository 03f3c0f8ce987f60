"""Vectorised arithmetic on answer histograms, shared by every score.

Scores reduce raw answers or summaries to ``(units, k)`` arrays of counts, weight sums
and squared-weight sums (:class:`Hist`) and compute every column (value, interval,
standard error, effective n) for all units at once; one unit is the case ``units = 1``.
Nothing here is public API: use :mod:`satisfy.analytics.scores` and
:mod:`satisfy.analytics.csi`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics.intervals import (
    PROPORTION_METHODS,
    bootstrap_interval,
    proportion_interval,
)
from satisfy.analytics.results import GroupedScores, ScoreResult
from satisfy.analytics.scales import Scale, ScaleLike, as_scale
from satisfy.analytics.summaries import AnswerSummary, GroupedSummary

FloatArray = npt.NDArray[np.float64]
Answers = npt.ArrayLike | AnswerSummary
RandomState = int | np.random.Generator | None


# --------------------------------------------------------------------------- plumbing


@dataclass(frozen=True, slots=True)
class Hist:
    """Histograms of one or many units as ``(units, k)`` arrays."""

    scale: Scale
    counts: npt.NDArray[np.int64]
    wsum: FloatArray
    w2sum: FloatArray
    n_na: npt.NDArray[np.int64]
    weighted: bool
    labels: tuple[str | int, ...] | None


def with_na(scale: Scale, na_codes: Sequence[float]) -> Scale:
    if not na_codes:
        return scale
    codes = tuple(sorted(set(scale.na_codes) | {float(c) for c in na_codes}))
    return replace(scale, na_codes=codes)


def summarise(
    data: Answers | GroupedSummary,
    *,
    scale: ScaleLike | None,
    default: Scale,
    weights: npt.ArrayLike | None,
    na_codes: Sequence[float] = (),
) -> Hist:
    scale = None if scale is None else as_scale(scale)
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
        return Hist(
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
            data, scale=with_na(scale or default, na_codes), weights=weights
        )
        sc = data.scale
    return Hist(
        sc,
        data.counts.reshape(1, -1),
        data.weight_sums.reshape(1, -1),
        data.weight_squares.reshape(1, -1),
        np.array([data.n_na], dtype=np.int64),
        data.weighted,
        None,
    )


@dataclass(frozen=True, slots=True)
class Base:
    n: npt.NDArray[np.int64]
    w: FloatArray
    n_eff: FloatArray
    deff: FloatArray


def base_of(h: Hist) -> Base:
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
    return Base(n, w, n_eff, n / n_eff)


def common_columns(h: Hist, b: Base) -> dict[str, Any]:
    return {
        "n": b.n,
        "n_na": h.n_na,
        "weight_total": b.w,
        "n_effective": b.n_eff,
        "design_effect": b.deff,
    }


def finish(
    h: Hist,
    columns: dict[str, Any],
    constants: dict[str, Any],
    result_type: type[ScoreResult],
) -> ScoreResult | GroupedScores:
    constants = {**constants, "weighted": h.weighted}
    grouped = GroupedScores(h.labels or ("",), columns, constants, result_type)
    if h.labels is None:
        return grouped.result_at(0)
    return grouped


def point_mask(scale: Scale, codes: Sequence[int]) -> FloatArray:
    return np.isin(scale.points, np.asarray(codes)).astype(np.float64)


def share_columns(
    h: Hist, b: Base, y: FloatArray, *, alpha: float, method: str, scale_by: float
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
        **common_columns(h, b),
    }


def bootstrap_columns(
    h: Hist,
    b: Base,
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


def bounds_of(x: FloatArray) -> tuple[float, float]:
    """Smallest and largest point value: a mean must lie between them."""
    return float(x.min()), float(x.max())


def t_quantiles(q: float, df: FloatArray) -> FloatArray:
    # many units share a few distinct df: compute each quantile once
    unique, inverse = np.unique(df, return_inverse=True)
    return np.asarray(stats.t.ppf(q, unique), dtype=np.float64)[
        inverse.reshape(df.shape)
    ]


def mean_columns(
    h: Hist,
    b: Base,
    x: FloatArray,
    *,
    bounds: tuple[float, float],
    alpha: float,
    method: str,
    n_resamples: int,
    random_state: RandomState,
) -> dict[str, Any]:
    mean = np.clip((h.wsum @ x) / b.w, *bounds_of(x))
    n = b.n.astype(np.float64)
    ss = (h.w2sum * (x[None, :] - mean[:, None]) ** 2).sum(axis=1) / (b.w * b.w)
    many = n > 1
    # linearisation variance with n/(n-1): weights of 1 give exactly s²/n
    var = np.where(many, ss * n / np.where(many, n - 1, 1.0), math.inf)
    se = np.sqrt(var)
    df = np.where(many, n - 1, 0.0)
    if method == "t":
        tq = t_quantiles(1 - alpha / 2, np.where(many, df, 1.0))
        low = np.where(many, mean - tq * se, bounds[0])
        high = np.where(many, mean + tq * se, bounds[1])
    elif method == "bootstrap":
        low, high = bootstrap_columns(
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
        **common_columns(h, b),
    }


# --------------------------------------------------------------------------- NPS
