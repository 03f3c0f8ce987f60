"""Customer Satisfaction Index (CSI), 0–100, over one or many items on any scales.

Definition: ``docs/metrics.md``, "Customer Satisfaction Index". The interval of a
multi-item index needs the covariance of the item means, which the mergeable
:class:`~satisfy.analytics.summaries.ItemsSummary` keeps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast, overload

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics.histograms import (
    base_of,
    finish,
    mean_columns,
    summarise,
    with_na,
)
from satisfy.analytics.intervals import check_alpha
from satisfy.analytics.results import CSIResult, GroupedScores
from satisfy.analytics.scales import CSAT_SCALE, Scale, ScaleLike, as_scale
from satisfy.analytics.summaries import AnswerSummary, GroupedSummary, ItemsSummary

__all__ = ["csi"]

FloatArray = npt.NDArray[np.float64]


@overload
def csi(
    data: GroupedSummary,
    *,
    scale: ScaleLike | Sequence[ScaleLike] | None = ...,
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
    scale: ScaleLike | Sequence[ScaleLike] | None = ...,
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
    scale: ScaleLike | Sequence[ScaleLike] | None = None,
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
        One scale for all items or one per item (default 1–5); a ``(low, high)``
        pair of codes stands for ``Scale(low, high)``.
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
    scale = _normalise(scale)
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
            arr, scale=with_na(sc or CSAT_SCALE, na_codes), weights=weights
        )
        return _csi_items([summary], item_weights, a, None)
    n_items = arr.shape[1]
    if scale is None:
        scales = [CSAT_SCALE] * n_items
    elif isinstance(scale, Scale):
        scales = [scale] * n_items
    else:
        scales = list(scale)
    scales = [with_na(s, na_codes) for s in scales]
    summary_m = ItemsSummary.from_matrix(
        arr, scales=scales, names=names, weights=weights
    )
    return _csi_matrix(summary_m, item_weights, a)


def _csi_grouped(
    data: GroupedSummary, alpha: float, scale: Scale | Sequence[Scale] | None
) -> GroupedScores:
    if scale is not None and not isinstance(scale, Scale):
        scale = _single(scale)
    h = summarise(data, scale=scale, default=data.scale, weights=None)
    b = base_of(h)
    columns = mean_columns(
        h,
        b,
        h.scale.to_score(h.scale.points),
        bounds=(0.0, 100.0),
        alpha=alpha,
        method="t",
        n_resamples=0,
        random_state=None,
    )
    grouped = finish(
        h, columns, {"method": "t", "alpha": alpha, "metric": "csi"}, CSIResult
    )
    return cast(GroupedScores, grouped)


def _normalise(
    scale: ScaleLike | Sequence[ScaleLike] | None,
) -> Scale | list[Scale] | None:
    """One :class:`Scale`, one per item, or ``None``; ``(1, 5)`` is a range, not two scales."""
    if scale is None or isinstance(scale, Scale):
        return scale
    try:
        return as_scale(scale)
    except ValueError:
        if isinstance(scale, Sequence):
            return [as_scale(s) for s in scale]
        raise


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
        h = summarise(s, scale=None, default=s.scale, weights=None)
        b = base_of(h)
        cols = mean_columns(
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
