"""Importance–performance analysis (IPA): where performance lags importance.

Single source of truth for the importance–performance matrix (Martilla & James
1977) with derived importance: each driver's share of explained variance (from
:mod:`satisfy.analytics.drivers`) against its mean rating. The quadrant rule and
cut points are stated in every result and in ``docs/metrics.md``.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from satisfy.analytics._text import (
    Gettext,
    NGettext,
    english,
    english_plural,
    join_list,
)
from satisfy.analytics.drivers import DriverResult, key_drivers

__all__ = [
    "QUADRANT_LABELS",
    "IPAItem",
    "IPAResult",
    "describe_drivers",
    "importance_performance",
    "ipa_from_data",
]

Cut = float | Literal["mean", "median"]

QUADRANT_LABELS: dict[str, str] = {
    "concentrate_here": "Concentrate here",
    "keep_up_the_good_work": "Keep up the good work",
    "low_priority": "Low priority",
    "possible_overkill": "Possible overkill",
}


@dataclass(frozen=True, slots=True)
class IPAItem:
    """One attribute in the importance–performance matrix."""

    name: str
    importance: float
    performance: float
    quadrant: str
    importance_rank: int

    @property
    def quadrant_label(self) -> str:
        """Human label of the quadrant (e.g. ``"Concentrate here"``)."""
        return QUADRANT_LABELS[self.quadrant]


@dataclass(frozen=True, slots=True)
class IPAResult:
    """The importance–performance matrix with its cut points.

    An item is *high importance* when ``importance >= importance_cut`` and *high
    performance* when ``performance >= performance_cut``. Quadrants: high
    importance & low performance → ``concentrate_here``; high & high →
    ``keep_up_the_good_work``; low & low → ``low_priority``; low importance & high
    performance → ``possible_overkill``. ``focus_areas`` are the
    ``concentrate_here`` items, most important first.
    """

    items: tuple[IPAItem, ...]
    importance_cut: float
    performance_cut: float
    cut_rule: str
    focus_areas: tuple[str, ...]
    importance_measure: str
    performance_scale: tuple[float, float] | None
    target: str | None = None

    def item(self, name: str) -> IPAItem:
        """The item called ``name``."""
        for it in self.items:
            if it.name == name:
                return it
        raise KeyError(name)


def _cut(values: Sequence[float], rule: Cut, what: str) -> tuple[float, str]:
    if isinstance(rule, str):
        if rule == "mean":
            return float(statistics.fmean(values)), "mean"
        if rule == "median":
            return float(statistics.median(values)), "median"
        raise ValueError(f"{what} cut '{rule}' is not 'mean', 'median' or a number.")
    value = float(rule)
    if not np.isfinite(value):
        raise ValueError(f"{what} cut must be finite, got {rule}.")
    return value, f"{value:g}"


def importance_performance(
    importance: Mapping[str, float],
    performance: Mapping[str, float],
    *,
    importance_cut: Cut = "mean",
    performance_cut: Cut = "mean",
    importance_measure: str = "share of R²",
    performance_scale: tuple[float, float] | None = None,
    target: str | None = None,
) -> IPAResult:
    """Place attributes in the importance–performance matrix.

    Parameters
    ----------
    importance
        Attribute → derived importance (e.g. LMG share of R²).
    performance
        Attribute → mean performance (e.g. mean rating or 0–100 score).
    importance_cut, performance_cut
        ``"mean"`` (the default, the data-centred grid of Martilla & James),
        ``"median"``, or a fixed number (e.g. the scale midpoint).
    importance_measure
        Wording of the importance measure, kept for reports.
    performance_scale
        ``(min, max)`` of the performance values, for charts.
    target
        Name of the outcome the importance refers to.

    Returns
    -------
    IPAResult

    Notes
    -----
    High means ``>=`` the cut point. Ranks count from 1 (most important).

    References
    ----------
    Martilla, J. A., James, J. C. (1977). Importance-performance analysis.
    *Journal of Marketing* 41(1), 77–79.

    Examples
    --------
    >>> r = importance_performance({"access": .2, "resolution": .5, "treatment": .3},
    ...                            {"access": 80, "resolution": 60, "treatment": 75})
    >>> r.focus_areas
    ('resolution',)
    >>> r.item("access").quadrant
    'possible_overkill'
    """
    names = list(importance)
    if not names:
        raise ValueError("Give at least one attribute.")
    missing = [n for n in names if n not in performance]
    if missing:
        raise ValueError(f"No performance given for {', '.join(missing)}.")
    extra = [n for n in performance if n not in importance]
    if extra:
        raise ValueError(f"No importance given for {', '.join(extra)}.")
    for n in names:
        for label, v in (
            ("importance", importance[n]),
            ("performance", performance[n]),
        ):
            if not np.isfinite(float(v)):
                raise ValueError(f"The {label} of '{n}' is not a finite number ({v}).")
    imp_values = [float(importance[n]) for n in names]
    perf_values = [float(performance[n]) for n in names]
    icut, irule = _cut(imp_values, importance_cut, "importance")
    pcut, prule = _cut(perf_values, performance_cut, "performance")
    order = sorted(names, key=lambda n: -float(importance[n]))
    rank = {n: k + 1 for k, n in enumerate(order)}
    items: list[IPAItem] = []
    for n in names:
        hi_imp = float(importance[n]) >= icut
        hi_perf = float(performance[n]) >= pcut
        quadrant = (
            ("keep_up_the_good_work" if hi_perf else "concentrate_here")
            if hi_imp
            else ("possible_overkill" if hi_perf else "low_priority")
        )
        items.append(
            IPAItem(n, float(importance[n]), float(performance[n]), quadrant, rank[n])
        )
    focus = tuple(
        it.name
        for it in sorted(items, key=lambda it: it.importance_rank)
        if it.quadrant == "concentrate_here"
    )
    return IPAResult(
        items=tuple(items),
        importance_cut=icut,
        performance_cut=pcut,
        cut_rule=f"importance cut = {irule}, performance cut = {prule}",
        focus_areas=focus,
        importance_measure=importance_measure,
        performance_scale=performance_scale,
        target=target,
    )


def ipa_from_data(
    data: Mapping[str, ArrayLike] | Any,
    target: str,
    drivers: Sequence[str],
    *,
    scale: tuple[float, float] | None = None,
    method: str = "lmg",
    importance_cut: Cut = "mean",
    performance_cut: Cut = "mean",
    bootstrap: int = 0,
    random_state: int | np.random.Generator | None = None,
) -> tuple[IPAResult, DriverResult]:
    """Importance–performance matrix straight from answers.

    Importance is each driver's share of R² from :func:`key_drivers` (with
    ``bootstrap`` resamples for its intervals, seeded by ``random_state``);
    performance is the driver's mean rating over the same complete cases,
    rescaled to 0–100 as ``100 (mean − min) / (max − min)`` when ``scale`` is
    given.

    Examples
    --------
    >>> d = {"overall": [3, 4, 5, 2, 4, 5, 1, 3], "speed": [2, 4, 5, 2, 3, 5, 1, 3],
    ...      "courtesy": [3, 3, 4, 2, 5, 4, 2, 2]}
    >>> ipa, drv = ipa_from_data(d, "overall", ["speed", "courtesy"], scale=(1, 5))
    >>> round(ipa.item("speed").performance, 1)
    53.1
    """
    result = key_drivers(
        data,
        target,
        drivers,
        method=method,
        bootstrap=bootstrap,
        random_state=random_state,
    )
    names = [target, *drivers]
    cols = np.column_stack(
        [np.asarray(data[c], dtype=float).reshape(-1) for c in names]
    )
    cols = cols[~np.isnan(cols).any(axis=1)]
    perf: dict[str, float] = {}
    for k, d in enumerate(drivers, start=1):
        mean = float(cols[:, k].mean())
        if scale is not None:
            lo, hi = float(scale[0]), float(scale[1])
            if not hi > lo:
                raise ValueError(f"Scale min {lo} must be below scale max {hi}.")
            mean = 100.0 * (mean - lo) / (hi - lo)
        perf[d] = mean
    ipa = importance_performance(
        result.shares,
        perf,
        importance_cut=importance_cut,
        performance_cut=performance_cut,
        importance_measure=f"share of R² ({result.method})",
        performance_scale=(0.0, 100.0) if scale is not None else None,
        target=target,
    )
    return ipa, result


def describe_drivers(
    ipa: IPAResult,
    *,
    labels: Mapping[str, str] | None = None,
    target_label: str | None = None,
    gettext: Gettext = english,
    ngettext: NGettext = english_plural,
) -> str:
    """One plain-language paragraph summarising an importance–performance result.

    Parameters
    ----------
    ipa
        The result of :func:`importance_performance` or :func:`ipa_from_data`.
    labels
        Attribute code → wording for people (defaults to the code, capitalised).
    target_label
        Wording of the outcome (defaults to ``ipa.target``).
    gettext, ngettext
        Translate the sentence templates (default: English); see
        ``satisfy/analytics/_text.py``. Labels are used as given.

    Returns
    -------
    str

    Examples
    --------
    >>> r = importance_performance({"access": .2, "resolution": .5, "treatment": .3},
    ...                            {"access": 80, "resolution": 60, "treatment": 76},
    ...                            performance_scale=(0, 100), target="overall satisfaction")
    >>> print(describe_drivers(r))  # doctest: +NORMALIZE_WHITESPACE
    Resolution is the strongest driver of overall satisfaction (50% of the explained
    variation). It scores 60 out of 100, 18 points below the other drivers' average (78).
    Focus area: Resolution (important, but performing below the rest).
    """
    names = labels or {}

    def label(code: str) -> str:
        return names.get(code, code[:1].upper() + code[1:].replace("_", " "))

    items = sorted(ipa.items, key=lambda it: it.importance_rank)
    top = items[0]
    outcome = target_label or ipa.target
    if "share" in ipa.importance_measure:
        measure = gettext("%(percent)s%% of the explained variation") % {
            "percent": f"{top.importance * 100:.0f}"
        }
    else:
        measure = gettext("importance %(value)s") % {"value": f"{top.importance:.2f}"}
    values = {"driver": label(top.name), "outcome": outcome, "measure": measure}
    if outcome:
        first = gettext(
            "%(driver)s is the strongest driver of %(outcome)s (%(measure)s)."
        )
    else:
        first = gettext("%(driver)s is the strongest driver (%(measure)s).")
    text = [first % values]
    others = [it.performance for it in items[1:]]
    on_100 = ipa.performance_scale == (0.0, 100.0) or ipa.performance_scale == (0, 100)
    fmt = "{:.0f}" if on_100 else "{:.2f}"
    score = fmt.format(top.performance)
    if on_100:
        score = gettext("%(value)s out of 100") % {"value": score}
    if others:
        avg = statistics.fmean(others)
        diff = top.performance - avg
        values = {
            "score": score,
            "gap": fmt.format(abs(diff)),
            "average": fmt.format(avg),
        }
        if diff < 0:
            template = gettext(
                "It scores %(score)s, %(gap)s points below the other drivers' "
                "average (%(average)s)."
            )
        else:
            template = gettext(
                "It scores %(score)s, %(gap)s points above the other drivers' "
                "average (%(average)s)."
            )
        text.append(template % values)
    else:
        text.append(gettext("It scores %(score)s.") % {"score": score})
    if ipa.focus_areas:
        text.append(
            ngettext(
                "Focus area: %(names)s (important, but performing below the rest).",
                "Focus areas: %(names)s (important, but performing below the rest).",
                len(ipa.focus_areas),
            )
            % {"names": join_list([label(n) for n in ipa.focus_areas], gettext)}
        )
    else:
        text.append(
            gettext(
                "No driver is both above-average in importance and below-average "
                "in performance."
            )
        )
    return " ".join(text)
