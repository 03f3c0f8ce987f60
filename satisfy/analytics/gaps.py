"""Gap analysis: where experience falls short of expectation (SERVQUAL and friends).

Single source of truth for paired gaps (perception − expectation per item and per
SERVQUAL dimension, importance vs satisfaction) and for a unit-versus-rest-of-company
comparison. Every gap comes with its base (n), a t interval and a test; item-level
p-values are also Holm-adjusted (with :func:`satisfy.analytics.compare.adjust_p_values`). Definitions are in ``docs/metrics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from satisfy.analytics._text import Gettext, english
from satisfy.analytics.compare import adjust_p_values

__all__ = [
    "GapResult",
    "GapTable",
    "UnitGap",
    "describe_gaps",
    "gap_analysis",
    "paired_gap",
    "unit_vs_company",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class GapResult:
    """A paired gap ``actual − reference`` (e.g. perception − expectation).

    ``p_value`` is the two-sided paired t-test; ``wilcoxon_p`` the Wilcoxon
    signed-rank test (zero differences dropped, Wilcoxon's method) as a check
    that does not assume normal differences.
    """

    name: str
    n: int
    n_dropped: int
    mean_reference: float
    mean_actual: float
    gap: float
    sd: float
    std_error: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    p_value: float
    wilcoxon_p: float
    alpha: float


@dataclass(frozen=True, slots=True)
class GapTable:
    """Gaps per item and per dimension, with Holm-adjusted item p-values."""

    items: dict[str, GapResult]
    dimensions: dict[str, GapResult]
    p_adjusted: dict[str, float]
    reference_label: str
    actual_label: str
    alpha: float
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitGap:
    """A unit's mean against the rest of the company (Welch two-sample t-test)."""

    n_unit: int
    n_rest: int
    mean_unit: float
    mean_rest: float
    mean_company: float
    difference: float
    ci_low: float
    ci_high: float
    t: float
    df: float
    p_value: float
    alpha: float


def _column(data: Any, name: str, role: str) -> FloatArray:
    try:
        raw = data[name]
    except (KeyError, IndexError, TypeError):
        raise ValueError(f"Column '{name}' ({role}) is not in the data.") from None
    try:
        return np.asarray(raw, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise ValueError(f"Column '{name}' ({role}) has non-numeric values.") from None


def paired_gap(
    reference: ArrayLike,
    actual: ArrayLike,
    *,
    alpha: float = 0.05,
    name: str = "",
) -> GapResult:
    """Mean paired gap ``actual − reference`` with a t interval and tests.

    Parameters
    ----------
    reference
        One value per respondent: expectation (SERVQUAL E) or importance.
    actual
        The same respondents' perception (P) or satisfaction.
    alpha
        1 − confidence level.
    name
        Label kept in the result.

    Returns
    -------
    GapResult

    Notes
    -----
    ``d_i = actual_i − reference_i``; ``gap = mean(d)``, ``se = sd(d)/sqrt(n)``,
    interval ``gap ± t_{1−α/2, n−1} se``; pairs with a missing value are dropped.
    When every difference is identical (sd 0) the interval collapses to the gap
    and the p-value is 1 if the gap is 0, else 0.

    References
    ----------
    Parasuraman, A., Zeithaml, V. A., Berry, L. L. (1988). SERVQUAL. *Journal of
    Retailing* 64(1), 12–40.

    Examples
    --------
    >>> g = paired_gap([5, 6, 7, 6, 5], [4, 5, 7, 5, 3], name="reliability")
    >>> g.gap, round(g.ci_low, 3), round(g.ci_high, 3)
    (-1.0, -1.878, -0.122)
    """
    if not (0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}.")
    ref = np.asarray(reference, dtype=float).reshape(-1)
    act = np.asarray(actual, dtype=float).reshape(-1)
    label = f"'{name}'" if name else "the pair"
    if ref.size != act.size:
        raise ValueError(
            f"{label}: reference has {ref.size} values, actual has {act.size}."
        )
    keep = ~(np.isnan(ref) | np.isnan(act))
    ref, act = ref[keep], act[keep]
    n = int(ref.size)
    if n < 2:
        raise ValueError(f"{label}: needs at least 2 complete pairs, got {n}.")
    d = act - ref
    gap = float(d.mean())
    sd = float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    df = n - 1
    if se > 0:
        tq = float(stats.t.ppf(1 - alpha / 2, df))
        t = gap / se
        p = float(2 * stats.t.sf(abs(t), df))
        lo, hi = gap - tq * se, gap + tq * se
    else:
        t = 0.0 if gap == 0 else math.copysign(math.inf, gap)
        p = 1.0 if gap == 0 else 0.0
        lo = hi = gap
    nonzero = d[d != 0]
    if nonzero.size == 0:
        wp = 1.0
    else:
        wp = float(stats.wilcoxon(nonzero, zero_method="wilcox").pvalue)
    return GapResult(
        name=name,
        n=n,
        n_dropped=int(keep.size - n),
        mean_reference=float(ref.mean()),
        mean_actual=float(act.mean()),
        gap=gap,
        sd=sd,
        std_error=se,
        ci_low=float(lo),
        ci_high=float(hi),
        t=float(t),
        df=df,
        p_value=p,
        wilcoxon_p=wp,
        alpha=alpha,
    )


def gap_analysis(
    data: Mapping[str, ArrayLike] | Any,
    pairs: Mapping[str, tuple[str, str] | Sequence[str]],
    *,
    dimensions: Mapping[str, Sequence[str]] | None = None,
    alpha: float = 0.05,
    reference_label: str = "expectation",
    actual_label: str = "perception",
) -> GapTable:
    """SERVQUAL-style gap table: per item and per dimension.

    Parameters
    ----------
    data
        Column name → answers.
    pairs
        Item → ``(reference column, actual column)``, e.g.
        ``{"reliability_1": ("E1", "P1")}``.
    dimensions
        Dimension → its items (keys of ``pairs``), e.g. the five SERVQUAL
        dimensions. A respondent's dimension score is the mean over the
        dimension's items; respondents missing any of them are left out of that
        dimension.
    alpha
        1 − confidence level.
    reference_label, actual_label
        Wording for reports ("expectation"/"perception",
        "importance"/"satisfaction", …).

    Returns
    -------
    GapTable

    Examples
    --------
    >>> d = {"E1": [7, 6, 7, 5], "P1": [5, 6, 4, 5], "E2": [6, 6, 7, 7], "P2": [6, 5, 7, 6]}
    >>> t = gap_analysis(d, {"r1": ("E1", "P1"), "r2": ("E2", "P2")},
    ...                  dimensions={"Reliability": ["r1", "r2"]})
    >>> t.items["r1"].gap, t.dimensions["Reliability"].gap
    (-1.25, -0.875)
    """
    if not pairs:
        raise ValueError("Give at least one pair of columns.")
    items: dict[str, GapResult] = {}
    diffs: dict[str, tuple[FloatArray, FloatArray]] = {}
    warnings: list[str] = []
    for item, cols in pairs.items():
        if isinstance(cols, str) or len(cols) != 2:
            raise ValueError(
                f"Item '{item}' needs exactly two columns: reference and actual."
            )
        ref = _column(data, str(cols[0]), f"{reference_label} of {item}")
        act = _column(data, str(cols[1]), f"{actual_label} of {item}")
        items[str(item)] = paired_gap(ref, act, alpha=alpha, name=str(item))
        diffs[str(item)] = (ref, act)
        if items[str(item)].sd == 0:
            warnings.append(
                f"Every respondent has the same gap on '{item}'; its test is degenerate."
            )
    dims: dict[str, GapResult] = {}
    for dim, members in (dimensions or {}).items():
        members = list(members)
        if not members:
            raise ValueError(f"Dimension '{dim}' has no items.")
        unknown = [m for m in members if m not in diffs]
        if unknown:
            raise ValueError(
                f"Dimension '{dim}' names item(s) {', '.join(unknown)} that have no pair."
            )
        ref = np.column_stack([diffs[m][0] for m in members]).mean(axis=1)
        act = np.column_stack([diffs[m][1] for m in members]).mean(axis=1)
        dims[str(dim)] = paired_gap(ref, act, alpha=alpha, name=str(dim))
    names = list(items)
    adjusted = [
        float(v)
        for v in adjust_p_values([items[n].p_value for n in names], method="holm")
    ]
    return GapTable(
        items=items,
        dimensions=dims,
        p_adjusted=dict(zip(names, adjusted, strict=True)),
        reference_label=reference_label,
        actual_label=actual_label,
        alpha=alpha,
        warnings=tuple(warnings),
    )


def unit_vs_company(
    values: ArrayLike,
    in_unit: ArrayLike,
    *,
    alpha: float = 0.05,
) -> UnitGap:
    """Compare a unit's mean score with the rest of the company.

    Parameters
    ----------
    values
        One score per respondent, company-wide.
    in_unit
        Booleans: whether each respondent belongs to the unit.
    alpha
        1 − confidence level.

    Returns
    -------
    UnitGap
        ``difference = mean_unit − mean_rest`` with a Welch interval and test.

    Notes
    -----
    The unit is compared with the *rest* of the company (not the company total,
    which contains the unit), so the two samples are independent:
    ``se = sqrt(s_u²/n_u + s_r²/n_r)``, Welch–Satterthwaite degrees of freedom.

    Examples
    --------
    >>> g = unit_vs_company([4, 5, 3, 4, 2, 3, 3, 2], [1, 1, 1, 1, 0, 0, 0, 0])
    >>> g.difference, g.mean_company
    (1.5, 3.25)
    """
    if not (0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}.")
    x = np.asarray(values, dtype=float).reshape(-1)
    flag = np.asarray(in_unit).reshape(-1)
    if flag.size != x.size:
        raise ValueError(f"values has {x.size} entries, in_unit has {flag.size}.")
    if flag.dtype != bool:
        if not np.isin(flag, [0, 1]).all():
            raise ValueError("in_unit must be booleans (or 0/1).")
        flag = flag.astype(bool)
    keep = ~np.isnan(x)
    x, flag = x[keep], flag[keep]
    u, r = x[flag], x[~flag]
    if u.size < 2 or r.size < 2:
        raise ValueError(
            f"Need at least 2 answers in the unit and in the rest, got {u.size} and {r.size}."
        )
    vu, vr = float(u.var(ddof=1)), float(r.var(ddof=1))
    se = math.sqrt(vu / u.size + vr / r.size)
    diff = float(u.mean() - r.mean())
    if se > 0:
        df = (vu / u.size + vr / r.size) ** 2 / (
            (vu / u.size) ** 2 / (u.size - 1) + (vr / r.size) ** 2 / (r.size - 1)
        )
        t = diff / se
        p = float(2 * stats.t.sf(abs(t), df))
        tq = float(stats.t.ppf(1 - alpha / 2, df))
        lo, hi = diff - tq * se, diff + tq * se
    else:
        df = float(u.size + r.size - 2)
        t = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0 else 0.0
        lo = hi = diff
    return UnitGap(
        n_unit=int(u.size),
        n_rest=int(r.size),
        mean_unit=float(u.mean()),
        mean_rest=float(r.mean()),
        mean_company=float(x.mean()),
        difference=diff,
        ci_low=float(lo),
        ci_high=float(hi),
        t=float(t),
        df=float(df),
        p_value=p,
        alpha=alpha,
    )


def _minus(x: float) -> str:
    return f"{x:.2f}".replace("-", "−")


def _gap_values(
    pairs: dict[str, str], label: str, g: GapResult, level: str
) -> dict[str, object]:
    return pairs | {
        "label": label,
        "gap": _minus(abs(g.gap)),
        "level": level,
        "low": _minus(g.ci_low),
        "high": _minus(g.ci_high),
        "n": g.n,
    }


def describe_gaps(
    table: GapTable,
    *,
    labels: Mapping[str, str] | None = None,
    gettext: Gettext = english,
) -> str:
    """One plain-language paragraph on the largest gaps of a gap table.

    Parameters
    ----------
    table
        The result of :func:`gap_analysis`.
    labels
        Item or dimension code → wording for people.
    gettext
        Translates the sentence templates (default: English); see
        ``satisfy/analytics/_text.py``. Labels, including the table's
        ``reference_label`` and ``actual_label``, are used as given.

    Returns
    -------
    str
        The largest shortfall (and, if any, the largest surplus) among the
        dimensions, or among the items when there are no dimensions, with its
        interval, and how many items fall short beyond noise (Holm-adjusted).

    Examples
    --------
    >>> d = {"E1": [7, 6, 7, 5, 6], "P1": [5, 6, 4, 5, 4], "E2": [6, 6, 7, 7, 6],
    ...      "P2": [6, 5, 7, 6, 6]}
    >>> t = gap_analysis(d, {"reliability": ("E1", "P1"), "empathy": ("E2", "P2")})
    >>> print(describe_gaps(t))  # doctest: +NORMALIZE_WHITESPACE
    The largest shortfall is Reliability: perception is 1.40 points below expectation
    (95% interval −3.07 to 0.27, n = 5). 0 of 2 items fall short of expectation beyond
    chance (Holm-adjusted p < 0.05).
    """
    names = labels or {}

    def label(code: str) -> str:
        return names.get(code, code[:1].upper() + code[1:].replace("_", " "))

    rows = table.dimensions or table.items
    level = str(round(100 * (1 - table.alpha)))
    text: list[str] = []
    worst_code, worst = min(rows.items(), key=lambda kv: kv[1].gap)
    best_code, best = max(rows.items(), key=lambda kv: kv[1].gap)
    pairs = {"actual": table.actual_label, "reference": table.reference_label}
    if worst.gap < 0:
        text.append(
            gettext(
                "The largest shortfall is %(label)s: %(actual)s is %(gap)s points below "
                "%(reference)s (%(level)s%% interval %(low)s to %(high)s, n = %(n)s)."
            )
            % _gap_values(pairs, label(worst_code), worst, level)
        )
    if best.gap > 0:
        text.append(
            gettext(
                "The largest surplus is %(label)s: %(actual)s is %(gap)s points above "
                "%(reference)s (%(level)s%% interval %(low)s to %(high)s, n = %(n)s)."
            )
            % _gap_values(pairs, label(best_code), best, level)
        )
    if not text:
        text.append(gettext("No gap between %(actual)s and %(reference)s.") % pairs)
    short = sum(
        1
        for k, g in table.items.items()
        if g.gap < 0 and table.p_adjusted[k] < table.alpha
    )
    text.append(
        gettext(
            "%(short)s of %(total)s items fall short of %(reference)s beyond chance "
            "(Holm-adjusted p < %(alpha)s)."
        )
        % {
            "short": short,
            "total": len(table.items),
            "reference": table.reference_label,
            "alpha": f"{table.alpha:g}",
        }
    )
    return " ".join(text)
