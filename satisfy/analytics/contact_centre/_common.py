"""Small private helpers shared by the contact-centre modules."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from satisfy.analytics.intervals import wilson_interval

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def wilson(successes: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval; the library's ``wilson_interval`` (NaN when n = 0)."""
    if n <= 0:
        return (math.nan, math.nan)
    return wilson_interval(successes, n, alpha=alpha)


def check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}.")


def as_float_array(name: str, values: Any, *, allow_nan: bool = False) -> FloatArray:
    """A 1-D float array, with a sentence naming the first bad position."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must contain numbers: {exc}.") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    bad = ~np.isfinite(arr) if not allow_nan else np.isinf(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"{name} has a missing or infinite value at position {i}.")
    negative = arr < 0
    if negative.any():
        i = int(np.flatnonzero(negative)[0])
        raise ValueError(f"{name} cannot be negative: {arr[i]:g} at position {i}.")
    return arr


def as_bool_array(name: str, values: Any, n: int) -> BoolArray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(
            f"{name} must have one value per call ({n}), got shape {arr.shape}."
        )
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind in "iuf":
        if not np.isin(arr, (0, 1)).all():
            raise ValueError(f"{name} must be true/false (or 0/1).")
        return arr.astype(np.bool_)
    raise ValueError(f"{name} must be true/false, got dtype {arr.dtype}.")


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None when the base is empty."""
    return None if denominator == 0 else numerator / denominator
