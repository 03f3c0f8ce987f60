"""Grouping helpers: time intervals, compound group keys and agent occupancy."""

from __future__ import annotations

from typing import Any

import numpy as np

from satisfy.analytics.contact_centre._common import IntArray, as_float_array

__all__ = ["agent_occupancy", "group_index", "interval_starts"]

_ALLOWED_INTERVALS = (15, 30, 60)


def interval_starts(times_seconds: Any, *, interval_minutes: int = 30) -> IntArray:
    """Start of the 15-, 30- or 60-minute interval holding each time.

    Parameters
    ----------
    times_seconds
        Times in whole or fractional seconds on a clock whose zero is at a
        midnight (epoch seconds, or seconds since midnight).
    interval_minutes
        15, 30 or 60.

    Returns
    -------
    numpy.ndarray of int64
        ``floor(t / (60 m)) * 60 m`` for each time.

    Examples
    --------
    >>> interval_starts([0, 1799, 1800, 5000], interval_minutes=30).tolist()
    [0, 0, 1800, 3600]
    """
    if interval_minutes not in _ALLOWED_INTERVALS:
        raise ValueError(
            f"interval_minutes must be one of {_ALLOWED_INTERVALS}, got {interval_minutes!r}."
        )
    t = np.asarray(times_seconds, dtype=np.float64)
    if not np.isfinite(t).all():
        raise ValueError("times_seconds has a missing or infinite value.")
    step = interval_minutes * 60
    return (np.floor(t / step) * step).astype(np.int64)


def group_index(*keys: Any) -> tuple[IntArray, list[tuple[Any, ...]]]:
    """Integer group of each row for one or more key columns, and the labels.

    Parameters
    ----------
    *keys
        One or more equal-length 1-D arrays (strings, numbers, dates).

    Returns
    -------
    tuple
        ``(index, labels)``: ``index[i]`` is the group of row ``i`` and
        ``labels[g]`` the tuple of key values of group ``g``, sorted.

    Notes
    -----
    Each key is factorised with ``numpy.unique``; the codes are combined in
    mixed radix and factorised again, so only groups that occur are listed.

    Examples
    --------
    >>> idx, labels = group_index(["PS", "NE", "PS"], [1, 1, 2])
    >>> idx.tolist(), labels
    ([1, 0, 2], [('NE', 1), ('PS', 1), ('PS', 2)])
    """
    if not keys:
        raise ValueError("group_index needs at least one key column.")
    arrays = [np.asarray(k) for k in keys]
    n = arrays[0].shape[0]
    for i, a in enumerate(arrays):
        if a.ndim != 1 or a.shape[0] != n:
            raise ValueError(
                f"key {i} must be 1-D with {n} values, got shape {a.shape}."
            )
    uniques: list[Any] = []
    codes_per_key: list[IntArray] = []
    for a in arrays:
        if a.dtype.kind in "iub" and n and int(a.max()) - int(a.min()) < 1_000_000:
            # small integer range: codes by offset, no sort
            lo = int(a.min())
            present = np.bincount(a.astype(np.int64) - lo) > 0
            values = np.flatnonzero(present) + lo
            lookup = np.cumsum(present) - 1
            codes_per_key.append(lookup[a.astype(np.int64) - lo].astype(np.int64))
            uniques.append(values.astype(a.dtype))
        else:
            u, inv = np.unique(a, return_inverse=True)
            codes_per_key.append(inv.astype(np.int64).reshape(-1))
            uniques.append(u)
    combined = np.zeros(n, dtype=np.int64)
    radix = 1
    for codes, u in zip(codes_per_key, uniques, strict=True):
        combined = combined * len(u) + codes
        radix *= len(u)
    if radix <= 50_000_000:
        present = np.bincount(combined, minlength=radix) > 0
        codes_present = np.flatnonzero(present)
        index = (np.cumsum(present) - 1)[combined]
    else:
        codes_present, index = np.unique(combined, return_inverse=True)
    labels: list[tuple[Any, ...]] = []
    for code in codes_present.tolist():
        parts = []
        for u in reversed(uniques):
            code, r = divmod(code, len(u))
            parts.append(u[r].item() if hasattr(u[r], "item") else u[r])
        labels.append(tuple(reversed(parts)))
    return index.astype(np.int64), labels


def agent_occupancy(busy_seconds: Any, available_seconds: Any) -> float | None:
    """Occupancy from agent-state data: busy time over busy plus available time.

    Parameters
    ----------
    busy_seconds
        Time in talk, hold and after-call work (one value per agent or state row).
    available_seconds
        Time logged in and waiting for a contact (idle), same rows.

    Returns
    -------
    float or None
        ``Σ busy / (Σ busy + Σ available)``; None when both are zero.

    References
    ----------
    .. [1] B. Cleveland, *Call Center Management on Fast Forward*, 3rd ed., 2012.

    Examples
    --------
    >>> agent_occupancy([3000, 2400], [600, 1200])
    0.75
    """
    busy = as_float_array("busy_seconds", busy_seconds)
    idle = as_float_array("available_seconds", available_seconds)
    if busy.shape != idle.shape:
        raise ValueError(
            f"busy_seconds has {busy.shape[0]} values but available_seconds has {idle.shape[0]}."
        )
    total = float(busy.sum() + idle.sum())
    return None if total == 0 else float(busy.sum()) / total
