"""What waiting, transfers and unresolved contacts cost in satisfaction.

Survey answers joined to their interactions become plain arrays (one value per
response, plus the operational facts of its interaction). This module gives
satisfaction by group (wait bucket, transfers, FCR, channel, queue, hour) with
intervals, the effect of each operational lever with an interval, and the plain
sentences a manager reads ("CSAT falls from 86% to 61% when the wait passes 2
minutes"). Formulas: ``docs/metrics.md``, "Contact-centre KPIs and staffing".
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from satisfy.analytics._text import (
    Gettext,
    NGettext,
    english,
    english_plural,
    join_or,
)
from satisfy.analytics.intervals import nps_interval, t_interval, wilson_interval

__all__ = [
    "DEFAULT_WAIT_EDGES_SECONDS",
    "GroupMean",
    "GroupNps",
    "GroupShare",
    "LeverEffect",
    "describe_duration",
    "describe_lever_effect",
    "explain_levers",
    "mean_by_group",
    "mean_effect",
    "nps_by_group",
    "nps_effect",
    "rank_levers",
    "share_by_group",
    "share_effect",
    "wait_buckets",
]

#: Upper edges (inclusive) of the default wait buckets: 30 s, 1, 2 and 5 minutes.
DEFAULT_WAIT_EDGES_SECONDS = (30.0, 60.0, 120.0, 300.0)


@dataclass(frozen=True, slots=True)
class GroupShare:
    """Share of responses meeting a condition (e.g. CSAT top-2-box) in one group."""

    group: str
    n: int
    successes: int
    value: float
    ci_low: float
    ci_high: float
    method: str


@dataclass(frozen=True, slots=True)
class GroupMean:
    """Mean score (e.g. CSI 0-100 or CES) in one group, with a t interval."""

    group: str
    n: int
    value: float
    sd: float | None
    ci_low: float | None
    ci_high: float | None
    method: str


@dataclass(frozen=True, slots=True)
class GroupNps:
    """Net Promoter Score (-100..100) in one group."""

    group: str
    n: int
    promoters: int
    detractors: int
    value: float
    ci_low: float
    ci_high: float
    method: str


@dataclass(frozen=True, slots=True)
class LeverEffect:
    """Satisfaction with and without an operational condition, and the difference.

    ``difference = exposed_value - baseline_value`` (percentage points for shares,
    points for NPS, score units for means). ``lever`` is a phrase that completes
    "when ...", e.g. "the wait passes 2 minutes".
    """

    metric: str
    lever: str
    kind: str
    baseline_value: float
    exposed_value: float
    baseline_n: int
    exposed_n: int
    difference: float
    ci_low: float
    ci_high: float
    alpha: float
    method: str

    @property
    def is_distinguishable(self) -> bool:
        """True when the interval of the difference excludes zero."""
        return self.ci_low > 0 or self.ci_high < 0


def _labels(groups: Any, n: int) -> tuple[npt.NDArray[Any], npt.NDArray[np.int64]]:
    g = np.asarray(groups)
    if g.ndim != 1 or g.shape[0] != n:
        raise ValueError(
            f"groups must have one label per response ({n}), got shape {g.shape}."
        )
    names, inverse = np.unique(g.astype(str), return_inverse=True)
    return names, inverse.astype(np.int64)


def _bool(name: str, values: Any) -> npt.NDArray[np.bool_]:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    if arr.dtype != np.bool_:
        if arr.dtype.kind not in "iuf" or not np.isin(arr, (0, 1)).all():
            raise ValueError(f"{name} must be true/false (or 0/1) for every response.")
        arr = arr.astype(np.bool_)
    return arr


def _numbers(name: str, values: Any) -> npt.NDArray[np.float64]:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValueError(f"{name} has a missing or infinite value at position {i}.")
    return arr


def _pair(name: str, values: Any, exposed: Any) -> tuple[Any, npt.NDArray[np.bool_]]:
    e = _bool("exposed", exposed)
    if np.asarray(values).shape[0] != e.shape[0]:
        raise ValueError(f"{name} and exposed must have the same length.")
    if e.all() or not e.any():
        raise ValueError(
            "exposed must contain both groups (some responses with the condition, some without)."
        )
    return values, e


def _duration_parts(seconds: float) -> tuple[str, str]:
    """(number as written, unit) of a duration: ``("1.5", "minute")``."""
    if seconds < 60:
        value, unit = seconds, "second"
    elif seconds < 3600:
        value, unit = seconds / 60, "minute"
    else:
        value, unit = seconds / 3600, "hour"
    return (f"{value:g}" if float(value).is_integer() else f"{value:.1f}"), unit


def describe_duration(seconds: float, *, ngettext: NGettext = english_plural) -> str:
    """Plain words for a duration: ``"45 seconds"``, ``"2 minutes"``, ``"1.5 hours"``.

    ``ngettext`` translates the unit (default: English); a fractional value takes
    the form gettext uses for 2 (plural in English and Spanish).

    Examples
    --------
    >>> describe_duration(120), describe_duration(45), describe_duration(90)
    ('2 minutes', '45 seconds', '1.5 minutes')
    """
    text, unit = _duration_parts(seconds)
    count = int(float(text)) if float(text).is_integer() else 2
    if unit == "second":
        template = ngettext("%(value)s second", "%(value)s seconds", count)
    elif unit == "minute":
        template = ngettext("%(value)s minute", "%(value)s minutes", count)
    else:
        template = ngettext("%(value)s hour", "%(value)s hours", count)
    return template % {"value": text}


def _wait_edges(edges: Sequence[float]) -> list[float]:
    e = [float(x) for x in edges]
    if not e or any(b <= a for a, b in itertools.pairwise(e)) or e[0] <= 0:
        raise ValueError(f"edges must be positive and increasing, got {list(edges)!r}.")
    return e


def wait_bucket_labels(
    edges: Sequence[float] = DEFAULT_WAIT_EDGES_SECONDS,
    *,
    gettext: Gettext = english,
    ngettext: NGettext = english_plural,
) -> list[str]:
    """The labels of :func:`wait_buckets`, shortest wait first, in a language.

    The English labels are the group keys; a caller shows the translated label of
    the same position.

    Examples
    --------
    >>> wait_bucket_labels([60, 300])
    ['up to 1 minute', '1 to 5 minutes', 'over 5 minutes']
    """
    e = _wait_edges(edges)

    def between(lo: float, hi: float) -> str:
        # the same unit on both sides is said once: "2 to 5 minutes"
        number, unit = _duration_parts(lo)
        low = (
            number
            if unit == _duration_parts(hi)[1]
            else describe_duration(lo, ngettext=ngettext)
        )
        return gettext("%(low)s to %(high)s") % {
            "low": low,
            "high": describe_duration(hi, ngettext=ngettext),
        }

    labels = [
        gettext("up to %(duration)s")
        % {"duration": describe_duration(e[0], ngettext=ngettext)}
    ]
    labels += [between(lo, hi) for lo, hi in itertools.pairwise(e)]
    labels.append(
        gettext("over %(duration)s")
        % {"duration": describe_duration(e[-1], ngettext=ngettext)}
    )
    return labels


def wait_buckets(
    wait_seconds: Any, *, edges: Sequence[float] = DEFAULT_WAIT_EDGES_SECONDS
) -> npt.NDArray[np.object_]:
    """Label each wait with its bucket ("up to 30 seconds", "30 seconds to 1 minute", ...).

    Parameters
    ----------
    wait_seconds
        Wait of the interaction behind each response.
    edges
        Increasing upper edges; bucket ``i`` holds ``edges[i-1] < wait <= edges[i]``
        and the last bucket everything above ``edges[-1]``.

    Returns
    -------
    numpy.ndarray of str
        English labels: they are group keys (the web app sorts and serves them and
        shows :func:`wait_bucket_labels` in the user's language).

    Examples
    --------
    >>> wait_buckets([0, 45, 130, 900]).tolist()
    ['up to 30 seconds', '30 seconds to 1 minute', '2 to 5 minutes', 'over 5 minutes']
    """
    waits = _numbers("wait_seconds", wait_seconds)
    e = _wait_edges(edges)
    labels = wait_bucket_labels(e)
    index = np.searchsorted(np.asarray(e), waits, side="left")
    return np.asarray(labels, dtype=object)[index]


def share_by_group(
    successes: Any, groups: Any, *, alpha: float = 0.05
) -> tuple[GroupShare, ...]:
    """Share of successes (CSAT top box, FCR yes, ...) per group, Wilson intervals.

    Parameters
    ----------
    successes
        True/False (or 1/0) per response, e.g. "answered 4 or 5 on 1-5".
    groups
        Group label per response (wait bucket, queue, channel, hour, ...).
    alpha
        Significance level.

    Returns
    -------
    tuple of GroupShare
        Sorted by group label.

    Examples
    --------
    >>> [(g.group, g.value) for g in share_by_group([1, 0, 1, 1], ["a", "a", "b", "b"])]
    [('a', 0.5), ('b', 1.0)]
    """
    s = _bool("successes", successes)
    names, idx = _labels(groups, s.shape[0])
    n = np.bincount(idx, minlength=names.size)
    k = np.bincount(idx[s], minlength=names.size)
    out = []
    for i, name in enumerate(names):
        low, high = wilson_interval(int(k[i]), int(n[i]), alpha=alpha)
        out.append(
            GroupShare(
                str(name), int(n[i]), int(k[i]), float(k[i] / n[i]), low, high, "wilson"
            )
        )
    return tuple(out)


def mean_by_group(
    values: Any, groups: Any, *, alpha: float = 0.05
) -> tuple[GroupMean, ...]:
    """Mean score per group (CSI, CES, CSAT mean) with Student t intervals.

    Examples
    --------
    >>> [(g.group, g.value) for g in mean_by_group([4, 6, 5], ["x", "x", "y"])]
    [('x', 5.0), ('y', 5.0)]
    """
    v = _numbers("values", values)
    names, idx = _labels(groups, v.shape[0])
    out = []
    for i, name in enumerate(names):
        x = v[idx == i]
        if x.size >= 2:
            sd = float(x.std(ddof=1))
            low, high = t_interval(float(x.mean()), sd, x.size, alpha=alpha)
            out.append(
                GroupMean(
                    str(name), x.size, float(x.mean()), sd, float(low), float(high), "t"
                )
            )
        else:
            out.append(
                GroupMean(str(name), x.size, float(x.mean()), None, None, None, "t")
            )
    return tuple(out)


def _nps_parts(ratings: npt.NDArray[np.float64]) -> tuple[int, int, int]:
    if ((ratings < 0) | (ratings > 10) | (ratings != np.round(ratings))).any():
        raise ValueError("ratings must be whole numbers from 0 to 10.")
    return int((ratings >= 9).sum()), int((ratings <= 6).sum()), int(ratings.size)


def nps_by_group(
    ratings: Any, groups: Any, *, alpha: float = 0.05
) -> tuple[GroupNps, ...]:
    """NPS per group with the Wald interval of the library's ``nps_interval``.

    Examples
    --------
    >>> [(g.group, g.value) for g in nps_by_group([10, 9, 3, 8], ["a", "a", "b", "b"])]
    [('a', 100.0), ('b', -50.0)]
    """
    r = _numbers("ratings", ratings)
    names, idx = _labels(groups, r.shape[0])
    out = []
    for i, name in enumerate(names):
        p, d, n = _nps_parts(r[idx == i])
        low, high = nps_interval(p, d, n, alpha=alpha)
        out.append(
            GroupNps(
                str(name), n, p, d, 100.0 * (p - d) / n, float(low), float(high), "wald"
            )
        )
    return tuple(out)


def share_effect(
    successes: Any, exposed: Any, *, metric: str, lever: str, alpha: float = 0.05
) -> LeverEffect:
    """Difference in a share (e.g. CSAT) between exposed and other responses.

    Parameters
    ----------
    successes
        True/False per response.
    exposed
        True where the operational condition held (e.g. wait > 120 s).
    metric
        Name of the share, e.g. "CSAT".
    lever
        Phrase completing "when ...", e.g. "the wait passes 2 minutes".
    alpha
        Significance level.

    Returns
    -------
    LeverEffect
        Values and difference as shares in [0, 1] / [-1, 1].

    Notes
    -----
    Newcombe's hybrid score interval (method 10) from the two Wilson intervals
    ``(l1, u1)`` of the exposed share ``p1`` and ``(l2, u2)`` of the baseline
    ``p2``: ``d - sqrt((p1 - l1)^2 + (u2 - p2)^2)`` to
    ``d + sqrt((u1 - p1)^2 + (p2 - l2)^2)``.

    References
    ----------
    .. [1] R. G. Newcombe, "Interval estimation for the difference between
       independent proportions", *Statistics in Medicine* 17 (1998) 873-890.

    Examples
    --------
    >>> e = share_effect([1] * 7 + [0] * 27 + [1] + [0] * 33, [True] * 34 + [False] * 34,
    ...                  metric="CSAT", lever="x")
    >>> round(e.difference, 4), round(e.ci_low, 4), round(e.ci_high, 4)
    (0.1765, 0.0189, 0.3404)
    """
    s_raw, e = _pair("successes", successes, exposed)
    s = _bool("successes", s_raw)
    n1, n2 = int(e.sum()), int((~e).sum())
    k1, k2 = int(s[e].sum()), int(s[~e].sum())
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson_interval(k1, n1, alpha=alpha)
    l2, u2 = wilson_interval(k2, n2, alpha=alpha)
    d = p1 - p2
    low = max(-1.0, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    high = min(1.0, d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    return LeverEffect(
        metric, lever, "share", p2, p1, n2, n1, d, low, high, alpha, "newcombe"
    )


def mean_effect(
    values: Any, exposed: Any, *, metric: str, lever: str, alpha: float = 0.05
) -> LeverEffect:
    """Difference in a mean score (CSI, CES) between exposed and other responses.

    Notes
    -----
    Welch interval: ``d ± t(1 - α/2, ν) sqrt(s1²/n1 + s2²/n2)`` with the
    Welch-Satterthwaite ``ν``. Each group needs at least two responses.

    References
    ----------
    .. [1] B. L. Welch, "The generalization of Student's problem when several
       different population variances are involved", *Biometrika* 34 (1947) 28-35.

    Examples
    --------
    >>> e = mean_effect([3, 4, 5, 6, 7, 8], [0, 0, 0, 1, 1, 1], metric="CES", lever="x")
    >>> e.difference, round(e.ci_low, 3)
    (3.0, 0.733)
    """
    v_raw, e = _pair("values", values, exposed)
    v = _numbers("values", v_raw)
    a, b = v[e], v[~e]
    if a.size < 2 or b.size < 2:
        raise ValueError("mean_effect needs at least two responses in each group.")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    d = float(a.mean() - b.mean())
    if se == 0:
        low = high = d
    else:
        df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
        half = float(stats.t.ppf(1 - alpha / 2, df)) * se
        low, high = d - half, d + half
    return LeverEffect(
        metric, lever, "mean", float(b.mean()), float(a.mean()), b.size, a.size, d, low, high,
        alpha, "welch",
    )  # fmt: skip


def nps_effect(
    ratings: Any, exposed: Any, *, metric: str = "NPS", lever: str, alpha: float = 0.05
) -> LeverEffect:
    """Difference in NPS (points on -100..100) between exposed and other responses.

    Notes
    -----
    Normal interval with variance the sum of the two NPS Wald variances
    ``100² (p + d - (p - d)²) / n``.

    Examples
    --------
    >>> e = nps_effect([10, 10, 9, 2, 6, 9], [0, 0, 0, 1, 1, 1], lever="x")
    >>> round(e.difference, 1)
    -133.3
    """
    r_raw, e = _pair("ratings", ratings, exposed)
    r = _numbers("ratings", r_raw)
    parts = []
    for mask in (e, ~e):
        p, d, n = _nps_parts(r[mask])
        share_p, share_d = p / n, d / n
        parts.append(
            (
                100.0 * (share_p - share_d),
                (share_p + share_d - (share_p - share_d) ** 2) / n,
                n,
            )
        )
    (x1, v1, n1), (x2, v2, n2) = parts
    z = float(stats.norm.ppf(1 - alpha / 2))
    half = 100.0 * z * math.sqrt(v1 + v2)
    diff = x1 - x2
    return LeverEffect(
        metric,
        lever,
        "nps",
        x2,
        x1,
        n2,
        n1,
        diff,
        diff - half,
        diff + half,
        alpha,
        "wald",
    )


def rank_levers(effects: Sequence[LeverEffect]) -> list[LeverEffect]:
    """Levers in order of importance: distinguishable from noise first, then size.

    Size is ``|difference|`` (compare effects on the same metric) with ties
    broken by the bound nearest zero, so a precise effect ranks above a vague one.
    """
    return sorted(
        effects,
        key=lambda e: (
            not e.is_distinguishable,
            -abs(e.difference),
            -min(abs(e.ci_low), abs(e.ci_high)),
        ),
    )


def _bound(value: float, digits: int) -> str:
    """An interval bound rounded, with more digits when rounding would show "-0"/"0".

    >>> _bound(-0.4, 0), _bound(-8.2, 0), _bound(0.0, 0)
    ('-0.4', '-8', '0')
    """
    for extra in range(3):
        text = f"{value:.{digits + extra}f}"
        if float(text) != 0 or value == 0:
            return "0" if float(text) == 0 else text
    return text


def _fmt(kind: str, value: float) -> str:
    if kind == "share":
        return f"{value * 100:.0f}%"
    if kind == "nps":
        return f"{value:+.0f}" if value else "0"
    return f"{value:.1f}"


def describe_lever_effect(effect: LeverEffect, *, gettext: Gettext = english) -> str:
    """One plain sentence for one lever.

    ``gettext`` translates the templates (default: English; see
    ``satisfy/analytics/_text.py``); ``effect.metric`` and ``effect.lever`` are used
    as given, so the caller passes them already translated.

    Examples
    --------
    >>> e = LeverEffect("CSAT", "the wait passes 2 minutes", "share", 0.86, 0.61,
    ...                 1204, 310, -0.25, -0.31, -0.19, 0.05, "newcombe")
    >>> describe_lever_effect(e)
    'CSAT falls from 86% to 61% when the wait passes 2 minutes (-25 points, 95% CI -31 to -19 points; n = 1,204 and 310).'
    """
    e = effect
    kind = e.kind
    scale = 100 if kind == "share" else 1
    digits = 1 if kind == "mean" else 0
    bounds = {
        "low": _bound(e.ci_low * scale, digits),
        "high": _bound(e.ci_high * scale, digits),
    }
    if kind in ("share", "nps"):
        difference = gettext("%(value)s points") % {
            "value": f"{e.difference * scale:+.0f}"
        }
        interval = gettext("%(low)s to %(high)s points") % bounds
    else:
        difference = f"{e.difference:+.1f}"
        interval = gettext("%(low)s to %(high)s") % bounds
    values = {
        "metric": e.metric,
        "lever": e.lever,
        "before": _fmt(kind, e.baseline_value),
        "after": _fmt(kind, e.exposed_value),
        "difference": difference,
        "level": f"{(1 - e.alpha) * 100:g}%",
        "interval": interval,
        "n_without": f"{e.baseline_n:,}",
        "n_with": f"{e.exposed_n:,}",
    }
    if not e.is_distinguishable:
        template = gettext(
            "%(metric)s is %(before)s without and %(after)s when %(lever)s; the "
            "difference (%(difference)s, %(level)s CI %(interval)s; n = %(n_without)s "
            "and %(n_with)s) is within the noise."
        )
    elif e.difference < 0:
        template = gettext(
            "%(metric)s falls from %(before)s to %(after)s when %(lever)s "
            "(%(difference)s, %(level)s CI %(interval)s; n = %(n_without)s and "
            "%(n_with)s)."
        )
    else:
        template = gettext(
            "%(metric)s rises from %(before)s to %(after)s when %(lever)s "
            "(%(difference)s, %(level)s CI %(interval)s; n = %(n_without)s and "
            "%(n_with)s)."
        )
    return template % values


def explain_levers(
    effects: Sequence[LeverEffect],
    *,
    top: int | None = None,
    gettext: Gettext = english,
) -> list[str]:
    """Sentences saying which operational levers move satisfaction most, in order.

    Parameters
    ----------
    effects
        Lever effects on one metric (e.g. CSAT by wait, transfers, FCR).
    top
        Keep only the first ``top`` sentences.
    gettext
        Translates the sentence templates (default: English); metric names and
        lever phrases are used as given.

    Returns
    -------
    list of str
        The levers that are distinguishable from noise, largest first; if none
        is, one sentence saying so.

    Examples
    --------
    >>> big = LeverEffect("CSAT", "the call was transferred", "share", 0.8, 0.6,
    ...                   500, 100, -0.2, -0.3, -0.1, 0.05, "newcombe")
    >>> small = LeverEffect("CSAT", "it rained", "share", 0.8, 0.79,
    ...                     500, 100, -0.01, -0.1, 0.08, 0.05, "newcombe")
    >>> explain_levers([small, big])[0].startswith("CSAT falls from 80% to 60%")
    True
    """
    ranked = [e for e in rank_levers(effects) if e.is_distinguishable]
    if not ranked:
        metrics = sorted({e.metric for e in effects}) or [gettext("satisfaction")]
        return [
            gettext(
                "None of the operational levers examined moves %(metrics)s by more "
                "than the noise in these responses."
            )
            % {"metrics": join_or(metrics, gettext)}
        ]
    sentences = [describe_lever_effect(e, gettext=gettext) for e in ranked]
    return sentences if top is None else sentences[:top]
