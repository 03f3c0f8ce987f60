"""Result objects returned by the satisfaction metrics.

Every score is a frozen dataclass: value, base n, interval, the method that produced
the interval and the significance level, plus the extras a reader needs (NA answers
excluded from the base, effective n and design effect when weighted). Shares are in
[0, 1]; scores are in their own units (NPS −100..100, CSAT in %, CSI 0–100), see
``docs/metrics.md``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """A survey score with its base, interval and how it was computed.

    Attributes
    ----------
    value
        The score in its own unit (NPS −100..100, CSAT in %, CSI 0–100, a mean in
        scale codes, a share in [0, 1]).
    n
        Base: respondents whose answers count (NA codes excluded).
    ci_low, ci_high
        Confidence interval in the unit of ``value``.
    method
        How the interval was computed (e.g. ``"wilson"``, ``"wald"``, ``"t"``).
    alpha
        Significance level of the interval.
    metric
        Which score this is (``"nps"``, ``"csat"``, ``"mean"`` ...); ``compare`` uses it.
    se
        Standard error of ``value`` (in the unit of ``value``).
    n_na
        Answers with a "don't know / not applicable" code, excluded from ``n``.
    weighted
        Whether respondent weights were applied.
    weight_total
        Sum of the weights (equals ``n`` when unweighted).
    n_effective
        Kish effective sample size ``(Σw)² / Σw²`` (equals ``n`` when unweighted).
    design_effect
        Kish design effect ``n / n_effective`` (1 when unweighted).
    df
        Degrees of freedom of a t interval (``n − 1``), or ``inf`` for normal intervals.
    """

    value: float
    n: int
    ci_low: float
    ci_high: float
    method: str
    alpha: float = 0.05
    metric: str = ""
    se: float = 0.0
    n_na: int = 0
    weighted: bool = False
    weight_total: float = 0.0
    n_effective: float = 0.0
    design_effect: float = 1.0
    df: float = math.inf

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable dictionary of every field (``inf`` df as ``None``)."""
        out = asdict(self)
        for key, val in out.items():
            if isinstance(val, float) and not math.isfinite(val):
                out[key] = None
        return out


@dataclass(frozen=True, slots=True)
class NPSResult(ScoreResult):
    """Net Promoter Score with the three shares (each in [0, 1])."""

    promoters: float = 0.0
    passives: float = 0.0
    detractors: float = 0.0


@dataclass(frozen=True, slots=True)
class CESResult(ScoreResult):
    """Customer Effort Score: ``value`` is the mean; ``agree`` the share of good answers.

    ``agree`` is the share answering 5–7 on CES 2.0 (agree) or 1–2 on CES 1.0 (low
    effort), in [0, 1], with its Wilson interval.
    """

    version: int = 2
    agree: float = 0.0
    agree_ci_low: float = 0.0
    agree_ci_high: float = 0.0


@dataclass(frozen=True, slots=True)
class CSIResult(ScoreResult):
    """Customer Satisfaction Index (0–100) with the item scores it was built from."""

    items: tuple[float, ...] = ()
    item_n: tuple[int, ...] = ()
    item_weights: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class DistributionResult:
    """Counts and shares of every scale point with a Wilson interval per point."""

    points: tuple[int, ...]
    counts: tuple[int, ...]
    shares: tuple[float, ...]
    ci_low: tuple[float, ...]
    ci_high: tuple[float, ...]
    n: int
    n_na: int
    na_counts: dict[float, int] = field(default_factory=dict)
    labels: tuple[str, ...] | None = None
    alpha: float = 0.05
    method: str = "wilson"
    weighted: bool = False
    n_effective: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable dictionary."""
        out = asdict(self)
        out["na_counts"] = {code_label(k): v for k, v in self.na_counts.items()}
        return out


@dataclass(frozen=True, slots=True)
class ComparisonResult:
    """Difference ``a − b`` between two scores of the same metric.

    Attributes
    ----------
    difference
        ``a.value − b.value`` in the unit of the metric.
    ci_low, ci_high
        Interval of the difference.
    p_value
        Two-sided p-value of "no difference".
    is_significant
        ``p_value < alpha``: the change is more than noise at this level.
    direction
        ``"up"`` (a above b), ``"down"`` or ``"none"`` (not significant).
    method
        Interval and test used (``"newcombe"``, ``"wald"``, ``"welch"``).
    """

    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    is_significant: bool
    direction: str
    method: str
    alpha: float
    a: ScoreResult
    b: ScoreResult
    statistic: float = 0.0
    df: float = math.inf

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable dictionary (results of a and b nested)."""
        return {
            "difference": self.difference,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "is_significant": self.is_significant,
            "direction": self.direction,
            "method": self.method,
            "alpha": self.alpha,
            "statistic": self.statistic,
            "df": self.df if math.isfinite(self.df) else None,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class GroupComparison:
    """One unit compared with the rest of the total, after multiplicity control."""

    group: str
    comparison: ComparisonResult
    p_adjusted: float
    is_significant: bool


@dataclass(frozen=True, slots=True)
class MultipleComparisonResult:
    """Every unit against the rest of the total, with adjusted p-values."""

    groups: tuple[GroupComparison, ...]
    total: ScoreResult
    adjust: str
    alpha: float

    def __getitem__(self, group: str) -> GroupComparison:
        for item in self.groups:
            if item.group == group:
                return item
        raise KeyError(group)

    def significant(self) -> tuple[str, ...]:
        """Names of the units whose difference from the rest is significant."""
        return tuple(g.group for g in self.groups if g.is_significant)


def _json_values(column: Any) -> list[Any]:
    """Column as Python values, non-finite floats as ``None`` (as ``to_dict`` does)."""
    values: list[Any] = column.tolist() if hasattr(column, "tolist") else list(column)
    if values and isinstance(values[0], float):
        return [v if math.isfinite(v) else None for v in values]
    return values


def code_label(code: float) -> str:
    """Text of an NA code used as a JSON key: ``99.0`` → ``"99"``."""
    return str(int(code)) if float(code).is_integer() else str(code)


@dataclass(frozen=True, slots=True, eq=False)
class GroupedScores:
    """One score per unit, computed in a single vectorised pass.

    The arrays ``value``, ``n``, ``ci_low`` and ``ci_high`` are in the order of
    ``labels``; ``result(label)`` (or ``scores[label]``) builds the full result object of
    one unit, and ``to_dict()`` gives ``{label: result dict}``.
    """

    labels: tuple[str | int, ...]
    columns: dict[str, Any]
    constants: dict[str, Any]
    result_type: type[ScoreResult] = ScoreResult

    @property
    def value(self) -> Any:
        """Scores, one per unit (numpy array)."""
        return self.columns["value"]

    @property
    def n(self) -> Any:
        """Bases, one per unit (numpy array)."""
        return self.columns["n"]

    @property
    def ci_low(self) -> Any:
        """Lower limits (numpy array)."""
        return self.columns["ci_low"]

    @property
    def ci_high(self) -> Any:
        """Upper limits (numpy array)."""
        return self.columns["ci_high"]

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, label: str | int) -> int:
        """Position of ``label``; ``KeyError`` when unknown."""
        for i, lab in enumerate(self.labels):
            if lab == label or str(lab) == str(label):
                return i
        raise KeyError(label)

    def result_at(self, i: int) -> ScoreResult:
        """Full result of the unit at position ``i``."""
        fields: dict[str, Any] = dict(self.constants)
        for name, col in self.columns.items():
            item = col[i]
            fields[name] = item.item() if hasattr(item, "item") else item
        return self.result_type(**fields)

    def __getitem__(self, label: str | int) -> ScoreResult:
        return self.result_at(self.index(label))

    def items(self) -> list[tuple[str | int, ScoreResult]]:
        """``(label, result)`` for every unit."""
        # one conversion per column instead of one per cell
        columns = {
            name: col.tolist() if hasattr(col, "tolist") else list(col)
            for name, col in self.columns.items()
        }
        build = self.result_type
        return [
            (label, build(**self.constants, **{k: v[i] for k, v in columns.items()}))
            for i, label in enumerate(self.labels)
        ]

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """``{str(label): result.to_dict()}``, built without the result objects."""
        count = len(self.labels)
        per_field: list[list[Any]] = []
        for f in fields(self.result_type):
            if f.name in self.columns:
                values = list(_json_values(self.columns[f.name]))
            else:
                value = self.constants.get(f.name, f.default)
                if isinstance(value, float) and not math.isfinite(value):
                    value = None
                values = [value] * count
            per_field.append(values)
        names = [f.name for f in fields(self.result_type)]
        return {
            str(label): dict(zip(names, row, strict=True))
            for label, row in zip(
                self.labels, zip(*per_field, strict=True), strict=True
            )
        }
