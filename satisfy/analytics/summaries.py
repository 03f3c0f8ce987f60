"""Mergeable summaries of answers: what rollup tables store.

An :class:`AnswerSummary` is a histogram of one question's answers: per scale point the
count, the sum of weights and the sum of squared weights, plus the count of every NA
code. Every histogram score (NPS, CSAT, CES, top/bottom box, distribution, means and
their intervals, weighted or not) is a function of it, and summaries add up across
days, units and machines (``a + b``). :class:`GroupedSummary` holds one histogram per
unit; :class:`ItemsSummary` holds the pairwise moments of several items for the CSI.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from satisfy.analytics.results import code_label
from satisfy.analytics.scales import Scale, ScaleLike, as_scale

__all__ = ["AnswerError", "AnswerSummary", "GroupedSummary", "ItemsSummary"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
GroupLabel = str | int


# --------------------------------------------------------------------------- checks


class AnswerError(ValueError):
    """An invalid answer or weight, with where it is and why.

    The message reads "<what> <value> at position <position> <reason>"; callers that
    know more about the position (a CSV row, an item name) can rebuild it from the
    attributes.
    """

    def __init__(
        self, *, what: str, value: object, position: int, reason: str, item: str = ""
    ) -> None:
        self.what = what
        self.value = value
        self.position = position
        self.reason = reason
        self.item = item
        prefix = f"{item}: " if item else ""
        super().__init__(
            f"{prefix}{what} {self.shown_value} at position {position} {reason}"
        )

    @property
    def shown_value(self) -> str:
        """The value as written in messages (``11``, ``4.5``, ``'abc'``)."""
        return _show(self.value)

    def at(self, position: int, *, item: str = "") -> AnswerError:
        """The same error at another position (e.g. in the full column)."""
        return AnswerError(
            what=self.what,
            value=self.value,
            position=position,
            reason=self.reason,
            item=item or self.item,
        )


def _show(value: object) -> str:
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:g}"
    return repr(value)


def as_answer_array(
    values: npt.ArrayLike, *, what: str = "answers"
) -> npt.NDArray[Any]:
    """1-D numeric array of ``values``; a non-number raises ``ValueError`` naming it."""
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind in "iuf":
        return arr
    if arr.dtype.kind == "b":
        return arr.astype(np.int64)
    out = np.empty(arr.shape[0], dtype=np.float64)
    noun = "value" if what == "answers" else what.rstrip("s")
    for i, item in enumerate(arr.tolist()):
        if isinstance(item, bool) or item is None:
            raise AnswerError(
                what=noun, value=item, position=i, reason="is not a number"
            )
        try:
            out[i] = float(item)
        except (TypeError, ValueError):
            raise AnswerError(
                what=noun, value=item, position=i, reason="is not a number"
            ) from None
    return out


def answer_codes(values: npt.ArrayLike, scale: Scale) -> npt.NDArray[np.intp]:
    """Index of every answer: ``0..k-1`` for scale points, ``k + j`` for NA code j.

    Raises ``ValueError`` for the first value that is not a number, not a whole code or
    outside the scale (and not an NA code).
    """
    x = as_answer_array(values)
    k = scale.k
    if x.size == 0:
        return np.zeros(0, dtype=np.intp)
    # fast path: one pass for the codes, min/max instead of full masks (10 M answers
    # in well under 0.1 s); the masks are built only when something is wrong
    if x.dtype.kind == "f":
        shifted = x - scale.low
        with np.errstate(invalid="ignore"):
            idx = shifted.astype(np.intp)
            lo, hi = shifted.min(), shifted.max()
            ok = bool(lo >= 0 and hi <= k - 1) and not bool(np.any(idx != shifted))
            if ok:
                return idx
            bad = ~((shifted >= 0) & (shifted <= k - 1) & (idx == shifted))
    else:
        idx = x.astype(np.intp)
        if scale.low:
            idx -= scale.low
        if idx.min() >= 0 and idx.max() < k:
            return idx
        bad = (idx < 0) | (idx >= k)
    if bad.any():
        positions = np.flatnonzero(bad)
        bad_values = x[positions].astype(np.float64)
        idx = idx.copy()
        for j, code in enumerate(scale.na_codes):
            hit = bad_values == code
            idx[positions[hit]] = k + j
            bad[positions[hit]] = False
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            value = float(x[pos])
            raise AnswerError(
                what="value",
                value=value,
                position=pos,
                reason=_bad_value_reason(value, scale),
            )
    return idx


def _bad_value_reason(value: float, scale: Scale) -> str:
    if math.isnan(value):
        return (
            "is not a number; drop unanswered questions before scoring or give "
            "them an NA code of the scale"
        )
    if scale.low <= value <= scale.high:
        return f"is not a whole code of the scale {scale.describe()}"
    codes = ", ".join(f"{c:g}" for c in scale.na_codes)
    na = f" and is not one of its NA codes ({codes})" if codes else ""
    return f"is outside the scale {scale.describe()}{na}"


def _weighted_bincount(
    idx: npt.NDArray[np.intp], weights: FloatArray, minlength: int
) -> FloatArray:
    return np.asarray(
        np.bincount(idx, weights=weights, minlength=minlength), dtype=np.float64
    )


def check_weights(
    weights: npt.ArrayLike, n: int, *, what: str = "weights"
) -> FloatArray:
    """Validated float weights of length ``n``: finite, ≥ 0 and not all zero."""
    w = as_answer_array(weights, what=what).astype(np.float64, copy=False)
    if w.shape[0] != n:
        raise ValueError(f"{what} has {w.shape[0]} values but there are {n} answers")
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        reason = "is negative" if w[pos] < 0 else "is not a finite number"
        raise AnswerError(
            what="weight",
            value=float(w[pos]),
            position=pos,
            reason=f"{reason}; weights must be ≥ 0",
        )
    if n and not (w > 0).any():
        raise ValueError(f"all {what} are zero: at least one respondent must count")
    return w


# --------------------------------------------------------------------------- one question


@dataclass(frozen=True, slots=True, eq=False)
class AnswerSummary:
    """Histogram of one question's answers; mergeable and JSON-serialisable.

    Attributes
    ----------
    scale
        The answer scale (range, direction and NA codes).
    counts
        Number of answers at every scale point ``low..high``.
    weight_sums, weight_squares
        Sum of weights and of squared weights at every scale point (equal to
        ``counts`` when unweighted).
    na_counts
        ``(code, count)`` pairs for the NA codes seen.
    weighted
        Whether weights were given.

    Examples
    --------
    >>> from satisfy.analytics.scales import NPS_SCALE
    >>> a = AnswerSummary.from_values([10, 9, 6], scale=NPS_SCALE)
    >>> b = AnswerSummary.from_values([8, 10], scale=NPS_SCALE)
    >>> (a + b).n
    5
    >>> AnswerSummary.from_dict((a + b).to_dict()) == a + b
    True
    """

    scale: Scale
    counts: IntArray
    weight_sums: FloatArray
    weight_squares: FloatArray
    na_counts: tuple[tuple[float, int], ...] = ()
    weighted: bool = False

    def __post_init__(self) -> None:
        k = self.scale.k
        counts = np.asarray(self.counts, dtype=np.int64).reshape(-1)
        wsum = np.asarray(self.weight_sums, dtype=np.float64).reshape(-1)
        w2 = np.asarray(self.weight_squares, dtype=np.float64).reshape(-1)
        for name, arr in (
            ("counts", counts),
            ("weight_sums", wsum),
            ("weight_squares", w2),
        ):
            if arr.shape[0] != k:
                raise ValueError(
                    f"summary {name} has {arr.shape[0]} entries but the scale "
                    f"{self.scale.describe()} has {k} points"
                )
            if (arr < 0).any() or not np.isfinite(arr).all():
                raise ValueError(f"summary {name} must be finite and ≥ 0")
            arr.setflags(write=False)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "weight_sums", wsum)
        object.__setattr__(self, "weight_squares", w2)
        na = tuple(sorted((float(c), int(v)) for c, v in self.na_counts if int(v) != 0))
        object.__setattr__(self, "na_counts", na)

    # construction -------------------------------------------------------------------
    @classmethod
    def from_values(
        cls,
        values: npt.ArrayLike,
        *,
        scale: ScaleLike,
        weights: npt.ArrayLike | None = None,
    ) -> AnswerSummary:
        """Summarise raw answers (codes of ``scale``, NA codes allowed)."""
        scale = as_scale(scale)
        idx = answer_codes(values, scale)
        k, m = scale.k, len(scale.na_codes)
        counts = np.bincount(idx, minlength=k + m)
        if weights is None:
            wsum = counts[:k].astype(np.float64)
            return cls(
                scale, counts[:k], wsum, wsum, _na_pairs(scale, counts[k:]), False
            )
        w = check_weights(weights, idx.shape[0])
        wsum = _weighted_bincount(idx, w, k + m)[:k]
        w2 = _weighted_bincount(idx, w * w, k + m)[:k]
        return cls(scale, counts[:k], wsum, w2, _na_pairs(scale, counts[k:]), True)

    @classmethod
    def from_counts(
        cls,
        counts: Sequence[int] | IntArray,
        *,
        scale: Scale,
        na_counts: Mapping[float, int] | None = None,
    ) -> AnswerSummary:
        """Unweighted summary from the count of every scale point ``low..high``.

        Examples
        --------
        >>> from satisfy.analytics.scales import CSAT_SCALE
        >>> AnswerSummary.from_counts([1, 1, 2, 4, 4], scale=CSAT_SCALE).n
        12
        """
        arr = np.asarray(counts, dtype=np.float64)
        if (arr != np.round(arr)).any():
            raise ValueError("counts must be whole numbers")
        c = arr.astype(np.int64)
        return cls(
            scale,
            c,
            c.astype(np.float64),
            c.astype(np.float64),
            tuple((na_counts or {}).items()),
        )

    @classmethod
    def empty(cls, scale: Scale) -> AnswerSummary:
        """A summary with no answers (the neutral element of ``+``)."""
        z = np.zeros(scale.k)
        return cls(scale, z.astype(np.int64), z, z)

    # properties ---------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Answers on the scale (the base)."""
        return int(self.counts.sum())

    @property
    def n_na(self) -> int:
        """Answers with an NA code (excluded from the base)."""
        return sum(v for _, v in self.na_counts)

    @property
    def weight_total(self) -> float:
        """Sum of the weights of the answers in the base."""
        return float(self.weight_sums.sum())

    # arithmetic ---------------------------------------------------------------------
    def merge(self, other: AnswerSummary) -> AnswerSummary:
        """Summary of the answers of both (same scale range and direction)."""
        _check_same_scale(self.scale, other.scale)
        scale = _union_scale(self.scale, other.scale)
        na = dict(self.na_counts)
        for code, count in other.na_counts:
            na[code] = na.get(code, 0) + count
        return AnswerSummary(
            scale,
            self.counts + other.counts,
            self.weight_sums + other.weight_sums,
            self.weight_squares + other.weight_squares,
            tuple(na.items()),
            self.weighted or other.weighted,
        )

    def __add__(self, other: AnswerSummary) -> AnswerSummary:
        if not isinstance(other, AnswerSummary):
            return NotImplemented
        return self.merge(other)

    def __radd__(self, other: object) -> AnswerSummary:
        # lets sum(summaries) start from 0
        if other == 0:
            return self
        return NotImplemented

    def subtract(self, other: AnswerSummary) -> AnswerSummary:
        """Summary of this one's answers without ``other``'s (a part of it)."""
        _check_same_scale(self.scale, other.scale)
        counts = self.counts - other.counts
        wsum = self.weight_sums - other.weight_sums
        w2 = self.weight_squares - other.weight_squares
        if (counts < 0).any():
            raise ValueError("cannot subtract a summary that is not part of this one")
        na = dict(self.na_counts)
        for code, count in other.na_counts:
            na[code] = na.get(code, 0) - count
            if na[code] < 0:
                raise ValueError(
                    "cannot subtract a summary that is not part of this one"
                )
        # rounding of weight sums may leave tiny negatives where counts are zero
        wsum = np.where(counts == 0, 0.0, np.maximum(wsum, 0.0))
        w2 = np.where(counts == 0, 0.0, np.maximum(w2, 0.0))
        return AnswerSummary(
            self.scale, counts, wsum, w2, tuple(na.items()), self.weighted
        )

    def __sub__(self, other: AnswerSummary) -> AnswerSummary:
        if not isinstance(other, AnswerSummary):
            return NotImplemented
        return self.subtract(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AnswerSummary):
            return NotImplemented
        return (
            _scale_key(self.scale) == _scale_key(other.scale)
            and np.array_equal(self.counts, other.counts)
            and np.allclose(self.weight_sums, other.weight_sums, rtol=1e-12, atol=0)
            and np.allclose(
                self.weight_squares, other.weight_squares, rtol=1e-12, atol=0
            )
            and self.na_counts == other.na_counts
            and self.weighted == other.weighted
        )

    __hash__ = None  # type: ignore[assignment]

    # serialisation ------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dictionary; :meth:`from_dict` restores it exactly."""
        out: dict[str, Any] = {
            "scale": _scale_to_dict(self.scale),
            "counts": [int(c) for c in self.counts],
            "na_counts": {code_label(c): v for c, v in self.na_counts},
            "weighted": self.weighted,
        }
        if self.weighted:
            out["weight_sums"] = [float(x) for x in self.weight_sums]
            out["weight_squares"] = [float(x) for x in self.weight_squares]
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnswerSummary:
        """Inverse of :meth:`to_dict`."""
        try:
            scale = _scale_from_dict(data["scale"])
            counts = np.asarray(data["counts"], dtype=np.int64)
            weighted = bool(data.get("weighted", False))
            if weighted:
                wsum = np.asarray(data["weight_sums"], dtype=np.float64)
                w2 = np.asarray(data["weight_squares"], dtype=np.float64)
            else:
                wsum = w2 = counts.astype(np.float64)
            na = tuple(
                (float(c), int(v)) for c, v in dict(data.get("na_counts", {})).items()
            )
        except KeyError as exc:
            raise ValueError(
                f"summary dictionary lacks the key {exc.args[0]!r}"
            ) from None
        return cls(scale, counts, wsum, w2, na, weighted)


# --------------------------------------------------------------------------- many units


@dataclass(frozen=True, slots=True, eq=False)
class GroupedSummary:
    """One :class:`AnswerSummary` per unit (branch, agent, day ...), stored as arrays.

    Attributes
    ----------
    labels
        Unit labels, in the order of the rows of the arrays.
    scale
        The common answer scale.
    counts, weight_sums, weight_squares
        Arrays of shape ``(units, k)``.
    na
        NA-code counts, shape ``(units, len(scale.na_codes))``.

    Examples
    --------
    >>> from satisfy.analytics.scales import NPS_SCALE
    >>> g = GroupedSummary.from_values([10, 9, 3, 8], ["a", "b", "a", "b"], scale=NPS_SCALE)
    >>> g.labels
    ('a', 'b')
    >>> g["a"].n, g.total().n
    (2, 4)
    """

    labels: tuple[GroupLabel, ...]
    scale: Scale
    counts: IntArray
    weight_sums: FloatArray
    weight_squares: FloatArray
    na: IntArray
    weighted: bool = False

    @classmethod
    def from_values(
        cls,
        values: npt.ArrayLike,
        groups: npt.ArrayLike,
        *,
        scale: ScaleLike,
        weights: npt.ArrayLike | None = None,
    ) -> GroupedSummary:
        """Summarise raw answers by unit in one pass."""
        scale = as_scale(scale)
        idx = answer_codes(values, scale)
        labels, inverse = factorize(groups, n=idx.shape[0])
        k, m = scale.k, len(scale.na_codes)
        width = k + m
        g = len(labels)
        flat = inverse * width + idx
        counts = np.bincount(flat, minlength=g * width).reshape(g, width)
        wsum: FloatArray
        w2: FloatArray
        if weights is None:
            wsum = counts[:, :k].astype(np.float64)
            w2 = wsum
        else:
            w = check_weights(weights, idx.shape[0])
            wsum = _weighted_bincount(flat, w, g * width).reshape(g, width)[:, :k]
            w2 = _weighted_bincount(flat, w * w, g * width).reshape(g, width)[:, :k]
        return cls(
            labels, scale, counts[:, :k], wsum, w2, counts[:, k:], weights is not None
        )

    @classmethod
    def from_summaries(
        cls, summaries: Mapping[GroupLabel, AnswerSummary]
    ) -> GroupedSummary:
        """Stack per-unit summaries (e.g. read from rollup tables)."""
        if not summaries:
            raise ValueError("no summaries given")
        items = list(summaries.items())
        scale = items[0][1].scale
        for _, s in items:
            _check_same_scale(scale, s.scale)
            scale = _union_scale(scale, s.scale)
        codes = scale.na_codes
        na = np.array(
            [[dict(s.na_counts).get(c, 0) for c in codes] for _, s in items],
            dtype=np.int64,
        ).reshape(len(items), len(codes))
        return cls(
            tuple(label for label, _ in items),
            scale,
            np.stack([s.counts for _, s in items]),
            np.stack([s.weight_sums for _, s in items]),
            np.stack([s.weight_squares for _, s in items]),
            na,
            any(s.weighted for _, s in items),
        )

    def __len__(self) -> int:
        return len(self.labels)

    def index(self, label: GroupLabel) -> int:
        """Row of ``label``; ``KeyError`` when unknown."""
        for i, lab in enumerate(self.labels):
            if lab == label or str(lab) == str(label):
                return i
        raise KeyError(label)

    def __getitem__(self, label: GroupLabel) -> AnswerSummary:
        return self.summary_at(self.index(label))

    def summary_at(self, i: int) -> AnswerSummary:
        """Summary of the unit in row ``i``."""
        na = tuple(zip(self.scale.na_codes, (int(v) for v in self.na[i]), strict=True))
        return AnswerSummary(
            self.scale,
            self.counts[i],
            self.weight_sums[i],
            self.weight_squares[i],
            na,
            self.weighted,
        )

    def items(self) -> Iterator[tuple[GroupLabel, AnswerSummary]]:
        """``(label, summary)`` for every unit."""
        for i, label in enumerate(self.labels):
            yield label, self.summary_at(i)

    def total(self) -> AnswerSummary:
        """Summary of all units together."""
        na = tuple(
            zip(self.scale.na_codes, (int(v) for v in self.na.sum(axis=0)), strict=True)
        )
        return AnswerSummary(
            self.scale,
            self.counts.sum(axis=0),
            self.weight_sums.sum(axis=0),
            self.weight_squares.sum(axis=0),
            na,
            self.weighted,
        )


def factorize(
    groups: npt.ArrayLike, *, n: int
) -> tuple[tuple[GroupLabel, ...], npt.NDArray[np.intp]]:
    """Sorted distinct labels and the row index of every element (O(n) for small ints)."""
    arr = np.asarray(groups)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(
            f"groups must be one label per answer: got {arr.shape}, expected ({n},)"
        )
    if n == 0:
        return (), np.zeros(0, dtype=np.intp)
    if arr.dtype.kind in "iu":
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo <= 4 * n + 1_000_000:
            shifted = (arr - lo).astype(np.intp, copy=False)
            present = np.bincount(shifted, minlength=hi - lo + 1) > 0
            code = np.cumsum(present) - 1
            labels = tuple(int(v) + lo for v in np.flatnonzero(present))
            return labels, code[shifted].astype(np.intp, copy=False)
    if arr.dtype.kind == "f" and np.isnan(arr).any():
        pos = int(np.flatnonzero(np.isnan(arr))[0])
        raise ValueError(f"group label at position {pos} is missing (nan)")
    uniq, inverse = np.unique(arr, return_inverse=True)
    labels_out: tuple[GroupLabel, ...] = tuple(
        int(u) if isinstance(u, (int, np.integer)) else str(u) for u in uniq.tolist()
    )
    return labels_out, inverse.astype(np.intp, copy=False).reshape(-1)


# --------------------------------------------------------------------------- items (CSI)


@dataclass(frozen=True, slots=True, eq=False)
class ItemsSummary:
    """Pairwise moments of several items on the 0–100 score, for the CSI.

    For every pair of items (j, k) the sums run over respondents who answered both:
    ``pair_n`` (count), ``pair_w`` (Σw), ``pair_w2`` (Σw²), ``sum_w_x[j, k]`` (Σw·xⱼ),
    ``sum_w2_x[j, k]`` (Σw²·xⱼ), ``sum_w_xx`` (Σw·xⱼxₖ), ``sum_w2_xx`` (Σw²·xⱼxₖ), where
    xⱼ is the equal-interval 0–100 score of item j. All are sums, so summaries add.

    Examples
    --------
    >>> from satisfy.analytics.scales import Scale, ScaleLike, as_scale
    >>> s = ItemsSummary.from_matrix([[5, 4], [3, float("nan")]], scales=[Scale(1, 5)] * 2)
    >>> s.pair_n.tolist(), s.n
    ([[2, 1], [1, 1]], 2)
    """

    scales: tuple[Scale, ...]
    names: tuple[str, ...]
    pair_n: IntArray
    pair_w: FloatArray
    pair_w2: FloatArray
    sum_w_x: FloatArray
    sum_w2_x: FloatArray
    sum_w_xx: FloatArray
    sum_w2_xx: FloatArray
    n: int
    n_na: tuple[int, ...]
    weighted: bool = False

    @classmethod
    def from_matrix(
        cls,
        data: npt.ArrayLike,
        *,
        scales: Sequence[Scale] | Scale,
        names: Sequence[str] | None = None,
        weights: npt.ArrayLike | None = None,
    ) -> ItemsSummary:
        """Summarise a respondents × items matrix (NaN = item not answered)."""
        x = np.asarray(data)
        if x.dtype.kind not in "iufb":
            x = np.asarray(data, dtype=object)
        if x.ndim == 1:
            x = x.reshape(-1, 1)
        if x.ndim != 2:
            raise ValueError(
                f"item answers must be a respondents × items matrix, got shape {x.shape}"
            )
        n_resp, n_items = x.shape
        if n_items == 0:
            raise ValueError("no items given")
        scale_list = (
            list(scales) if isinstance(scales, Sequence) else [scales] * n_items
        )
        if len(scale_list) != n_items:
            raise ValueError(f"{len(scale_list)} scales given for {n_items} items")
        item_names = (
            tuple(names)
            if names is not None
            else tuple(f"item {j + 1}" for j in range(n_items))
        )
        if len(item_names) != n_items:
            raise ValueError(f"{len(item_names)} names given for {n_items} items")
        w_all = None if weights is None else check_weights(weights, n_resp)
        if x.dtype.kind in "iufb":
            values = x.astype(np.float64)
        else:
            values = np.column_stack(
                [_column_as_float(x[:, j], item_names[j]) for j in range(n_items)]
            )
        is_answer = ~np.isnan(values)
        n_na = []
        for j, scale in enumerate(scale_list):
            rows = np.flatnonzero(is_answer[:, j])
            try:
                idx = answer_codes(values[rows, j], scale)
            except AnswerError as exc:
                # answer_codes saw only the answered rows: report the full-column row
                raise exc.at(int(rows[exc.position]), item=item_names[j]) from None
            na_rows = rows[idx >= scale.k]
            is_answer[na_rows, j] = False
            n_na.append(int(na_rows.size))
        # the equal-interval 0–100 score of every cell at once; 0 where unanswered
        low = np.array([s.low for s in scale_list], dtype=np.float64)
        span = np.array([s.high - s.low for s in scale_list], dtype=np.float64)
        flip = np.array([s.reverse for s in scale_list])
        scores = (values - low) / span * 100.0
        scores = np.where(flip, 100.0 - scores, scores)
        scores[~is_answer] = 0.0
        answered = is_answer.astype(np.float64)
        pair_n = answered.T @ answered
        sum_x = scores.T @ answered
        sum_xx = scores.T @ scores
        n_any = int(is_answer.any(axis=1).sum())
        if w_all is None:
            # weights of 1: the weighted sums are the plain ones (3 products, not 7)
            return cls(
                tuple(scale_list),
                item_names,
                pair_n.round().astype(np.int64),
                pair_n,
                pair_n,
                sum_x,
                sum_x,
                sum_xx,
                sum_xx,
                n_any,
                tuple(n_na),
                False,
            )
        w = w_all[:, None]
        mw, mw2 = answered * w, answered * (w * w)
        sw, sw2 = scores * w, scores * (w * w)
        return cls(
            tuple(scale_list),
            item_names,
            pair_n.round().astype(np.int64),
            mw.T @ answered,
            mw2.T @ answered,
            sw.T @ answered,
            sw2.T @ answered,
            sw.T @ scores,
            sw2.T @ scores,
            n_any,
            tuple(n_na),
            True,
        )

    @property
    def n_items(self) -> int:
        """Number of items."""
        return len(self.scales)

    def merge(self, other: ItemsSummary) -> ItemsSummary:
        """Summary of the respondents of both (same items and scales).

        ``n`` (respondents with at least one answer) adds, which is right when the two
        summaries hold different respondents, as rollups by day or unit do.
        """
        if [_scale_key(s) for s in self.scales] != [
            _scale_key(s) for s in other.scales
        ]:
            raise ValueError(
                "cannot merge item summaries with different items or scales"
            )
        return ItemsSummary(
            self.scales,
            self.names,
            self.pair_n + other.pair_n,
            self.pair_w + other.pair_w,
            self.pair_w2 + other.pair_w2,
            self.sum_w_x + other.sum_w_x,
            self.sum_w2_x + other.sum_w2_x,
            self.sum_w_xx + other.sum_w_xx,
            self.sum_w2_xx + other.sum_w2_xx,
            self.n + other.n,
            tuple(a + b for a, b in zip(self.n_na, other.n_na, strict=True)),
            self.weighted or other.weighted,
        )

    def __add__(self, other: ItemsSummary) -> ItemsSummary:
        if not isinstance(other, ItemsSummary):
            return NotImplemented
        return self.merge(other)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dictionary; :meth:`from_dict` restores it."""
        return {
            "scales": [_scale_to_dict(s) for s in self.scales],
            "names": list(self.names),
            "pair_n": self.pair_n.tolist(),
            "pair_w": self.pair_w.tolist(),
            "pair_w2": self.pair_w2.tolist(),
            "sum_w_x": self.sum_w_x.tolist(),
            "sum_w2_x": self.sum_w2_x.tolist(),
            "sum_w_xx": self.sum_w_xx.tolist(),
            "sum_w2_xx": self.sum_w2_xx.tolist(),
            "n": self.n,
            "n_na": list(self.n_na),
            "weighted": self.weighted,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemsSummary:
        """Inverse of :meth:`to_dict`."""
        try:
            return cls(
                tuple(_scale_from_dict(s) for s in data["scales"]),
                tuple(data["names"]),
                np.asarray(data["pair_n"], dtype=np.int64),
                np.asarray(data["pair_w"], dtype=np.float64),
                np.asarray(data["pair_w2"], dtype=np.float64),
                np.asarray(data["sum_w_x"], dtype=np.float64),
                np.asarray(data["sum_w2_x"], dtype=np.float64),
                np.asarray(data["sum_w_xx"], dtype=np.float64),
                np.asarray(data["sum_w2_xx"], dtype=np.float64),
                int(data["n"]),
                tuple(int(v) for v in data["n_na"]),
                bool(data.get("weighted", False)),
            )
        except KeyError as exc:
            raise ValueError(
                f"summary dictionary lacks the key {exc.args[0]!r}"
            ) from None


def _column_as_float(col: npt.NDArray[Any], name: str) -> FloatArray:
    out = np.empty(col.shape[0])
    for i, item in enumerate(col.tolist()):
        if item is None or (isinstance(item, str) and item.strip() == ""):
            out[i] = np.nan
            continue
        error = AnswerError(
            what="value", value=item, position=i, reason="is not a number", item=name
        )
        if isinstance(item, bool):
            raise error
        try:
            out[i] = float(item)
        except (TypeError, ValueError):
            raise error from None
    return out


# --------------------------------------------------------------------------- scale helpers


def _na_pairs(scale: Scale, counts: npt.NDArray[Any]) -> tuple[tuple[float, int], ...]:
    return tuple((code, int(c)) for code, c in zip(scale.na_codes, counts, strict=True))


def _scale_key(scale: Scale) -> tuple[int, int, bool]:
    return (scale.low, scale.high, scale.reverse)


def _check_same_scale(a: Scale, b: Scale) -> None:
    if _scale_key(a) != _scale_key(b):
        raise ValueError(
            f"cannot merge summaries on different scales ({a.describe()}"
            f"{' reversed' if a.reverse else ''} and {b.describe()}{' reversed' if b.reverse else ''})"
        )


def _union_scale(a: Scale, b: Scale) -> Scale:
    if set(b.na_codes) <= set(a.na_codes):
        return a
    codes = tuple(sorted(set(a.na_codes) | set(b.na_codes)))
    return Scale(
        a.low, a.high, labels=a.labels, reverse=a.reverse, na_codes=codes, name=a.name
    )


def _scale_to_dict(scale: Scale) -> dict[str, Any]:
    return {
        "low": scale.low,
        "high": scale.high,
        "reverse": scale.reverse,
        "na_codes": list(scale.na_codes),
    }


def _scale_from_dict(data: Mapping[str, Any]) -> Scale:
    return Scale(
        int(data["low"]),
        int(data["high"]),
        reverse=bool(data.get("reverse", False)),
        na_codes=tuple(float(c) for c in data.get("na_codes", ())),
    )
