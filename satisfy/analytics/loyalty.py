"""Loyalty and value: intention by satisfaction level, and customer lifetime value.

Definitions: ``docs/metrics.md``, "Loyalty and value".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics.intervals import check_alpha, wilson_bounds
from satisfy.analytics.scales import CSAT_SCALE, ScaleLike, as_scale
from satisfy.analytics.summaries import answer_codes, as_answer_array, factorize

__all__ = [
    "CLVResult",
    "IntentionLevel",
    "LoyaltyResult",
    "RatioResult",
    "intention_by_level",
    "lifetime_value",
    "risk_ratio",
]


@dataclass(frozen=True, slots=True)
class RatioResult:
    """Ratio of two shares with its interval (``inf`` when the lower share is 0)."""

    value: float
    ci_low: float
    ci_high: float
    method: str
    alpha: float


@dataclass(frozen=True, slots=True)
class IntentionLevel:
    """Intention at one satisfaction level: base, share intending (in [0, 1]), interval."""

    level: int
    label: str | None
    n: int
    intending: int
    share: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, slots=True)
class LoyaltyResult:
    """Repurchase / recommend intention by satisfaction level.

    ``ratio`` compares the best level with the next best (e.g. "very satisfied" with
    "satisfied"); ``None`` when either level has no respondents.
    """

    levels: tuple[IntentionLevel, ...]
    ratio: RatioResult | None
    top_level: int
    second_level: int
    n: int
    n_na: int
    alpha: float


def risk_ratio(
    x1: float, n1: float, x2: float, n2: float, *, alpha: float = 0.05
) -> RatioResult:
    """Ratio of two independent shares ``(x1/n1)/(x2/n2)`` with the Katz log interval.

    Parameters
    ----------
    x1, n1
        Successes and base of the first group (numerator).
    x2, n2
        Successes and base of the second group.
    alpha
        Significance level.

    Returns
    -------
    RatioResult
        Ratio and interval; when x1 or x2 is 0 the interval is uninformative
        (0, inf), as in Fagerland, Lydersen & Laake (2017).

    Notes
    -----
    ``exp(ln RR ± z √(1/x₁ − 1/n₁ + 1/x₂ − 1/n₂))``.

    References
    ----------
    Katz, D., Baptista, J., Azen, S. P. & Pike, M. C. (1978). Obtaining confidence
    intervals for the risk ratio in cohort studies. *Biometrics* 34, 469–474.

    Examples
    --------
    >>> r = risk_ratio(10, 75, 12, 225)
    >>> r.value, round(r.ci_low, 4), round(r.ci_high, 4)
    (2.5, 1.1262, 5.5499)
    """
    level = check_alpha(alpha)
    for name, x, n in (("first", x1, n1), ("second", x2, n2)):
        if not (n > 0 and 0 <= x <= n):
            raise ValueError(
                f"the {name} group needs 0 ≤ successes ≤ n and n > 0 (got {x}/{n})"
            )
    p1, p2 = x1 / n1, x2 / n2
    value = math.inf if p2 == 0 else p1 / p2
    if x1 == 0 or x2 == 0:
        return RatioResult(value, 0.0, math.inf, "katz-log", level)
    se = math.sqrt(1 / x1 - 1 / n1 + 1 / x2 - 1 / n2)
    z = float(stats.norm.ppf(1 - level / 2))
    log_rr = math.log(value)
    return RatioResult(
        value, math.exp(log_rr - z * se), math.exp(log_rr + z * se), "katz-log", level
    )


def intention_by_level(
    satisfaction: npt.ArrayLike,
    intention: npt.ArrayLike,
    *,
    scale: ScaleLike = CSAT_SCALE,
    threshold: float | None = None,
    alpha: float = 0.05,
) -> LoyaltyResult:
    """Share intending to repurchase / recommend at every satisfaction level.

    Parameters
    ----------
    satisfaction
        Satisfaction answers on ``scale`` (NA codes excluded).
    intention
        One per respondent: yes/no (1/0, True/False), or an intention scale answer
        counted as "intends" when ≥ ``threshold``.
    scale
        Satisfaction scale (default 1–5).
    threshold
        For an intention scale: the lowest answer that counts as intending
        (e.g. 4 on a 1–5 "will buy again" scale, 9 on a 0–10 recommend scale).
    alpha
        Significance level of the Wilson intervals and of the ratio's interval.

    Returns
    -------
    LoyaltyResult
        One row per satisfaction level (best last) with n, share intending and Wilson
        interval, and the ratio between the two best levels with a Katz interval.

    Notes
    -----
    The seed's Xerox finding: "very satisfied" (5) customers were six times more
    likely to repurchase than "satisfied" (4) ones. ``ratio.value`` is that multiple
    for your data, with the interval saying how sure it is.

    References
    ----------
    Jones, T. O. & Sasser, W. E. (1995). Why satisfied customers defect. *HBR* 73(6),
    88–99. Katz, D. et al. (1978). *Biometrics* 34, 469–474.

    Examples
    --------
    >>> sat = [5] * 10 + [4] * 10 + [3] * 5
    >>> buy = [1] * 6 + [0] * 4 + [1] * 1 + [0] * 9 + [0] * 5
    >>> r = intention_by_level(sat, buy)
    >>> round(r.ratio.value, 6)
    6.0
    >>> [(lv.level, lv.share) for lv in r.levels]
    [(3, 0.0), (4, 0.1), (5, 0.6)]
    """
    level = check_alpha(alpha)
    scale = as_scale(scale)
    idx = answer_codes(satisfaction, scale)
    intent = as_answer_array(intention, what="intention").astype(np.float64)
    if intent.shape[0] != idx.shape[0]:
        raise ValueError(
            f"intention has {intent.shape[0]} answers but satisfaction has {idx.shape[0]}"
        )
    if np.isnan(intent).any():
        pos = int(np.flatnonzero(np.isnan(intent))[0])
        raise ValueError(f"intention at position {pos} is missing (nan)")
    if threshold is None:
        bad = (intent != 0) & (intent != 1)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"intention {intent[pos]:g} at position {pos} is not yes/no (1/0); "
                "give threshold= for an intention scale"
            )
        yes = intent == 1
    else:
        yes = intent >= threshold
    on_scale = idx < scale.k
    counts = np.bincount(idx[on_scale], minlength=scale.k)
    hits = np.bincount(
        idx[on_scale], weights=yes[on_scale].astype(np.float64), minlength=scale.k
    )
    present = np.flatnonzero(counts > 0)
    if present.size == 0:
        raise ValueError("no satisfaction answers on the scale: nothing to break down")
    low, high = wilson_bounds(hits[present], counts[present], level)
    labels = scale.labels
    rows = []
    for j, i in enumerate(present):
        code = int(i) + scale.low
        rows.append(
            IntentionLevel(
                level=code,
                label=labels[int(i)] if labels else None,
                n=int(counts[i]),
                intending=int(hits[i]),
                share=float(hits[i] / counts[i]),
                ci_low=float(low[j]),
                ci_high=float(high[j]),
            )
        )
    best, second = scale.top_codes(2)[::-1] if not scale.reverse else scale.top_codes(2)
    order = sorted(rows, key=lambda r: r.level, reverse=scale.reverse)
    by_level = {r.level: r for r in rows}
    ratio = None
    if best in by_level and second in by_level:
        top, nxt = by_level[best], by_level[second]
        ratio = risk_ratio(top.intending, top.n, nxt.intending, nxt.n, alpha=level)
    return LoyaltyResult(
        levels=tuple(order),
        ratio=ratio,
        top_level=best,
        second_level=second,
        n=int(on_scale.sum()),
        n_na=int((~on_scale).sum()),
        alpha=level,
    )


@dataclass(frozen=True, slots=True)
class CLVResult:
    """Customer lifetime value with the averages it was built from."""

    value: float
    purchase_value: float
    purchase_frequency: float
    lifespan: float
    margin: float
    discount_rate: float
    n: int


@overload
def lifetime_value(
    purchase_value: float | npt.ArrayLike,
    purchase_frequency: float | npt.ArrayLike,
    lifespan: float | npt.ArrayLike,
    *,
    margin: float = ...,
    discount_rate: float = ...,
    segments: None = ...,
) -> CLVResult: ...
@overload
def lifetime_value(
    purchase_value: float | npt.ArrayLike,
    purchase_frequency: float | npt.ArrayLike,
    lifespan: float | npt.ArrayLike,
    *,
    margin: float = ...,
    discount_rate: float = ...,
    segments: Sequence[Any] | npt.ArrayLike,
) -> dict[str, CLVResult]: ...
def lifetime_value(
    purchase_value: float | npt.ArrayLike,
    purchase_frequency: float | npt.ArrayLike,
    lifespan: float | npt.ArrayLike,
    *,
    margin: float = 1.0,
    discount_rate: float = 0.0,
    segments: Sequence[Any] | npt.ArrayLike | None = None,
) -> CLVResult | dict[str, CLVResult]:
    """Customer lifetime value = purchase value × frequency × lifespan (× margin).

    Parameters
    ----------
    purchase_value
        Average value of a purchase: a number, or one per customer (averaged).
    purchase_frequency
        Purchases per year: a number, or one per customer (averaged).
    lifespan
        Expected customer lifespan in years: a number, or one per customer (averaged).
    margin
        Share of the value that is profit, in (0, 1] (default 1: revenue).
    discount_rate
        Annual discount rate r ≥ 0 (default 0).
    segments
        Segment of every customer; then one result per segment.

    Returns
    -------
    CLVResult or dict of CLVResult
        The value and the averages used; per segment when ``segments`` is given.

    Notes
    -----
    ``CLV = v × f × m × L`` without discounting; with rate r the yearly value is
    discounted as an annuity paid at the end of each year:
    ``CLV = v × f × m × (1 − (1 + r)^(−L)) / r``.

    References
    ----------
    Gupta, S. & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
    Marketing* 17(1), 9–24.

    Examples
    --------
    >>> lifetime_value(50.0, 4, 5).value
    1000.0
    >>> round(lifetime_value(50.0, 4, 5, margin=0.3, discount_rate=0.1).value, 2)
    227.45
    >>> sorted(lifetime_value([10, 30, 50], [2, 2, 4], [1, 1, 2], segments=["a", "a", "b"]))
    ['a', 'b']
    """
    if not 0 < margin <= 1:
        raise ValueError(f"margin {margin!r} must be in (0, 1]")
    if not (discount_rate >= 0 and math.isfinite(discount_rate)):
        raise ValueError(f"discount rate {discount_rate!r} must be ≥ 0")
    columns = {
        "purchase value": as_answer_array(purchase_value, what="purchase value").astype(
            np.float64
        ),
        "purchase frequency": as_answer_array(
            purchase_frequency, what="purchase frequency"
        ).astype(np.float64),
        "lifespan": as_answer_array(lifespan, what="lifespan").astype(np.float64),
    }
    for name, col in columns.items():
        bad = ~np.isfinite(col) | (col < 0)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{name} {col[pos]:g} at position {pos} must be a number ≥ 0"
            )
    n = max(c.shape[0] for c in columns.values())
    for name, col in columns.items():
        if col.shape[0] not in (1, n):
            raise ValueError(
                f"{name} has {col.shape[0]} values but other inputs have {n}"
            )
        columns[name] = np.broadcast_to(col, (n,))
    if segments is None:
        return _clv(columns, np.ones(n, dtype=bool), margin, discount_rate)
    labels, codes = factorize(segments, n=n)
    return {
        str(label): _clv(columns, codes == i, margin, discount_rate)
        for i, label in enumerate(labels)
    }


def _clv(columns: dict[str, Any], mask: Any, margin: float, rate: float) -> CLVResult:
    v = float(np.mean(columns["purchase value"][mask]))
    f = float(np.mean(columns["purchase frequency"][mask]))
    life = float(np.mean(columns["lifespan"][mask]))
    years = life if rate == 0 else (1 - (1 + rate) ** (-life)) / rate
    return CLVResult(
        v * f * margin * years, v, f, life, margin, rate, int(np.sum(mask))
    )
