"""Satisfaction scores: NPS, CSAT, top/bottom box, distribution, means, CES.

Single source of truth for every score Satisfy shows (definitions in
``docs/metrics.md``; the CSI is in :mod:`satisfy.analytics.csi`). Each function accepts
raw answers (a sequence or array of codes), an
:class:`~satisfy.analytics.summaries.AnswerSummary` (identical result), or a
:class:`~satisfy.analytics.summaries.GroupedSummary` (one result per unit, computed in a
single vectorised pass, returned as :class:`~satisfy.analytics.results.GroupedScores`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import cast, overload

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics.csi import csi
from satisfy.analytics.histograms import (
    Answers,
    RandomState,
    base_of,
    bootstrap_columns,
    common_columns,
    finish,
    mean_columns,
    point_mask,
    share_columns,
    summarise,
    with_na,
)
from satisfy.analytics.intervals import (
    NPS_METHODS,
    check_alpha,
    nps_interval,
    proportion_interval,
)
from satisfy.analytics.results import (
    CESResult,
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
    ScaleLike,
    as_scale,
)
from satisfy.analytics.summaries import AnswerSummary, GroupedSummary

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
    h = summarise(
        data, scale=None, default=NPS_SCALE, weights=weights, na_codes=na_codes
    )
    if (h.scale.low, h.scale.high) != (0, 10):
        raise ValueError(
            f"NPS needs answers on 0–10, the summary is on {h.scale.describe()}"
        )
    b = base_of(h)
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
        low, high = bootstrap_columns(
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
        **common_columns(h, b),
    }
    return cast(
        "NPSResult | GroupedScores",
        finish(h, columns, {"method": method, "alpha": a, "metric": "nps"}, NPSResult),
    )


# --------------------------------------------------------------------------- box scores


@overload
def csat(
    data: GroupedSummary,
    *,
    scale: ScaleLike | None = ...,
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
    scale: ScaleLike | None = ...,
    top: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> ScoreResult: ...
def csat(
    data: Answers | GroupedSummary,
    *,
    scale: ScaleLike | None = None,
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
    h = summarise(
        data, scale=scale, default=CSAT_SCALE, weights=weights, na_codes=na_codes
    )
    b = base_of(h)
    y = point_mask(h.scale, h.scale.top_codes(top))
    columns = share_columns(h, b, y, alpha=a, method=method, scale_by=100.0)
    return finish(
        h, columns, {"method": method, "alpha": a, "metric": "csat"}, ScoreResult
    )


def _box(
    data: Answers | GroupedSummary,
    codes_of: str,
    *,
    scale: ScaleLike | None,
    k: int,
    weights: npt.ArrayLike | None,
    alpha: float,
    method: str,
    na_codes: Sequence[float],
) -> ScoreResult | GroupedScores:
    a = check_alpha(alpha)
    h = summarise(
        data, scale=scale, default=CSAT_SCALE, weights=weights, na_codes=na_codes
    )
    b = base_of(h)
    codes = h.scale.top_codes(k) if codes_of == "top" else h.scale.bottom_codes(k)
    columns = share_columns(
        h, b, point_mask(h.scale, codes), alpha=a, method=method, scale_by=1.0
    )
    return finish(
        h,
        columns,
        {"method": method, "alpha": a, "metric": f"{codes_of}_box"},
        ScoreResult,
    )


@overload
def top_box(
    data: GroupedSummary,
    *,
    scale: ScaleLike | None = ...,
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
    scale: ScaleLike | None = ...,
    k: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> ScoreResult: ...
def top_box(
    data: Answers | GroupedSummary,
    *,
    scale: ScaleLike | None = None,
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
    scale: ScaleLike | None = ...,
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
    scale: ScaleLike | None = ...,
    k: int = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    method: str = ...,
    na_codes: Sequence[float] = ...,
) -> ScoreResult: ...
def bottom_box(
    data: Answers | GroupedSummary,
    *,
    scale: ScaleLike | None = None,
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
    scale: ScaleLike | None = None,
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
            data,
            scale=with_na(as_scale(scale) if scale else CSAT_SCALE, na_codes),
            weights=weights,
        )
    )
    h = summarise(summary, scale=scale, default=CSAT_SCALE, weights=None)
    b = base_of(h)
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
    scale: ScaleLike | None = ...,
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
    scale: ScaleLike | None = ...,
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
    scale: ScaleLike | None = None,
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
    h = summarise(
        data, scale=scale, default=CSAT_SCALE, weights=weights, na_codes=na_codes
    )
    b = base_of(h)
    x = h.scale.points.astype(np.float64)
    columns = mean_columns(
        h,
        b,
        x,
        bounds=(float(h.scale.low), float(h.scale.high)),
        alpha=a,
        method=method,
        n_resamples=n_resamples,
        random_state=random_state,
    )
    return finish(
        h, columns, {"method": method, "alpha": a, "metric": "mean"}, ScoreResult
    )


@overload
def ces(
    data: GroupedSummary,
    *,
    version: int = ...,
    scale: ScaleLike | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    na_codes: Sequence[float] = ...,
) -> GroupedScores: ...
@overload
def ces(
    data: Answers,
    *,
    version: int = ...,
    scale: ScaleLike | None = ...,
    weights: npt.ArrayLike | None = ...,
    alpha: float = ...,
    na_codes: Sequence[float] = ...,
) -> CESResult: ...
def ces(
    data: Answers | GroupedSummary,
    *,
    version: int = 2,
    scale: ScaleLike | None = None,
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
    h = summarise(
        data, scale=scale, default=default, weights=weights, na_codes=na_codes
    )
    if version == 1 and not h.scale.reverse:
        h = replace(h, scale=replace(h.scale, reverse=True))
    b = base_of(h)
    x = h.scale.points.astype(np.float64)
    columns = mean_columns(
        h,
        b,
        x,
        bounds=(float(h.scale.low), float(h.scale.high)),
        alpha=a,
        method="t",
        n_resamples=0,
        random_state=None,
    )
    good = point_mask(h.scale, h.scale.top_codes((h.scale.k - 1) // 2))
    share = share_columns(h, b, good, alpha=a, method="wilson", scale_by=1.0)
    columns["agree"] = share["value"]
    columns["agree_ci_low"] = share["ci_low"]
    columns["agree_ci_high"] = share["ci_high"]
    constants = {
        "method": "t",
        "alpha": a,
        "metric": f"ces{version}",
        "version": version,
    }
    return cast("CESResult | GroupedScores", finish(h, columns, constants, CESResult))


# --------------------------------------------------------------------------- CSI
