"""Small-group protection: minimum-n suppression with complementary suppression.

A cell (unit, agent, unit × period ...) with fewer than ``min_n`` answers is hidden; and
wherever a published total would let one hidden cell be recovered by subtraction, a
second cell in the same line is hidden too. Definition: ``docs/metrics.md``, "Small
groups".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["SuppressionResult", "suppress"]

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True, eq=False)
class SuppressionResult:
    """Which cells to hide, and why.

    Attributes
    ----------
    counts
        The cell counts (1-D or 2-D).
    primary
        Cells hidden because ``0 < n < min_n``.
    complementary
        Cells hidden so that a primary cell cannot be recovered from the totals.
    hidden_totals
        Line totals that must be hidden as well (a line whose only other cells are
        empty); for a 1-D table one entry, for 2-D ``rows + columns`` entries
        (rows first).
    min_n
        The threshold used.
    """

    counts: npt.NDArray[np.int64]
    primary: BoolArray
    complementary: BoolArray
    hidden_totals: BoolArray
    min_n: int

    @property
    def hidden(self) -> BoolArray:
        """Every hidden cell (primary or complementary)."""
        return np.asarray(self.primary | self.complementary, dtype=np.bool_)

    def apply(self, values: Sequence[Any] | npt.ArrayLike) -> list[Any]:
        """``values`` (same shape as the counts) with hidden cells replaced by ``None``."""
        arr = np.asarray(values, dtype=object)
        if arr.shape != self.counts.shape:
            raise ValueError(
                f"values have shape {arr.shape} but the counts have {self.counts.shape}"
            )
        out = arr.copy()
        out[self.hidden] = None
        result: list[Any] = out.tolist()
        return result


def suppress(
    counts: npt.ArrayLike,
    *,
    min_n: int = 5,
    totals: bool = True,
    hide_zeros: bool = False,
) -> SuppressionResult:
    """Minimum-n suppression with complementary suppression.

    Parameters
    ----------
    counts
        Answers per cell: a vector (units, published with a grand total) or a matrix
        (e.g. units × periods, published with row and column totals).
    min_n
        Smallest publishable base (default 5).
    totals
        Whether totals are published (then complementary suppression is needed).
    hide_zeros
        Also hide empty cells (by default an empty cell shows "no answers").

    Returns
    -------
    SuppressionResult
        Masks of primary and complementary suppression.

    Notes
    -----
    Primary: ``0 < n < min_n``. Complementary: while a line (the vector, a row or a
    column) has exactly one hidden cell, hide the smallest non-empty visible cell in
    that line, preferring one whose crossing line already has a hidden cell. A line
    whose other cells are all empty cannot protect its hidden cell, so its total is
    marked in ``hidden_totals``.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4
    (primary and secondary cell suppression).

    Examples
    --------
    >>> r = suppress([120, 3, 40, 57])
    >>> r.primary.tolist(), r.complementary.tolist()
    ([False, True, False, False], [False, False, True, False])
    >>> r.apply([71.0, 20.0, 65.5, 80.1])
    [71.0, None, None, 80.1]
    """
    if isinstance(min_n, bool) or int(min_n) != min_n or min_n < 1:
        raise ValueError(f"min_n {min_n!r} must be a whole number ≥ 1")
    arr = np.asarray(counts, dtype=np.float64)
    if arr.ndim not in (1, 2):
        raise ValueError(f"counts must be a vector or a matrix, got shape {arr.shape}")
    if not np.isfinite(arr).all() or (arr < 0).any() or (arr != np.round(arr)).any():
        raise ValueError("counts must be whole numbers ≥ 0")
    c = arr.astype(np.int64)
    primary = (c < min_n) if hide_zeros else ((c > 0) & (c < min_n))
    hidden = primary.copy()
    if c.ndim == 1:
        hidden_totals = np.zeros(1, dtype=np.bool_)
        if totals:
            hidden_totals[0] = not _protect_line(c, hidden, np.arange(c.size), None)
    else:
        rows, cols = c.shape
        hidden_totals = np.zeros(rows + cols, dtype=np.bool_)
        if totals:
            for _ in range(rows * cols + 1):
                changed = False
                for i in range(rows):
                    if hidden_totals[i]:
                        continue
                    before = int(hidden[i].sum())
                    ok = _protect_line(
                        c[i], hidden[i], np.arange(cols), hidden.sum(axis=0)
                    )
                    hidden_totals[i] = not ok
                    changed |= int(hidden[i].sum()) != before
                for j in range(cols):
                    if hidden_totals[rows + j]:
                        continue
                    col = hidden[:, j].copy()
                    before = int(col.sum())
                    ok = _protect_line(
                        c[:, j], col, np.arange(rows), hidden.sum(axis=1)
                    )
                    hidden[:, j] = col
                    hidden_totals[rows + j] = not ok
                    changed |= int(col.sum()) != before
                if not changed:
                    break
    return SuppressionResult(
        counts=c,
        primary=primary,
        complementary=hidden & ~primary,
        hidden_totals=hidden_totals,
        min_n=int(min_n),
    )


def _protect_line(
    counts: npt.NDArray[np.int64],
    hidden: BoolArray,
    positions: npt.NDArray[np.int64],
    crossing_hidden: npt.NDArray[Any] | None,
) -> bool:
    """Hide one more cell of a line holding exactly one hidden cell (in place).

    Returns ``False`` when no visible non-empty cell is left to hide, so the line's
    total must be hidden instead.
    """
    if int(hidden.sum()) != 1:
        return True
    candidates = positions[(~hidden) & (counts > 0)]
    if candidates.size == 0:
        return False
    # smallest count first; among equals prefer a cell whose crossing line already
    # has hidden cells, so one extra cell protects two lines
    crossing = (
        np.zeros(candidates.size)
        if crossing_hidden is None
        else -(np.asarray(crossing_hidden)[candidates] > 0).astype(np.float64)
    )
    order = np.lexsort((crossing, counts[candidates]))
    hidden[candidates[order[0]]] = True
    return True
