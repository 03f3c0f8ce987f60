"""Answer scales: codes, labels, direction, NA codes and the 0–100 mapping.

Single source of truth for which codes an answer may take and how a code maps to the
equal-interval 0–100 score (``docs/metrics.md``, "Scales").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "CES1_SCALE",
    "CES2_SCALE",
    "CSAT_SCALE",
    "NPS_SCALE",
    "Scale",
    "ScaleLike",
    "as_scale",
    "equal_interval_score",
]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Scale:
    """An ordered answer scale with integer codes ``low..high``.

    Parameters
    ----------
    low, high
        Lowest and highest code (integers, ``low < high``).
    labels
        Optional label of every code, from ``low`` to ``high``.
    reverse
        ``True`` when a lower code is better (CES 1.0 "how much effort").
    na_codes
        Codes meaning "don't know / not applicable": excluded from the base and counted
        separately. They must lie outside ``low..high``.
    name
        Optional name shown in messages.

    Examples
    --------
    >>> s = Scale(1, 4)
    >>> s.k
    4
    >>> [round(v, 1) for v in s.to_score([1, 2, 3, 4]).tolist()]
    [0.0, 33.3, 66.7, 100.0]
    >>> Scale(1, 5, reverse=True).to_score([1, 5]).tolist()
    [100.0, 0.0]
    """

    low: int
    high: int
    labels: tuple[str, ...] | None = None
    reverse: bool = False
    na_codes: tuple[float, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        for attr in ("low", "high"):
            val = getattr(self, attr)
            if isinstance(val, bool) or not float(val).is_integer():
                raise ValueError(f"scale {attr} {val!r} is not an integer code")
            object.__setattr__(self, attr, int(val))
        if self.high <= self.low:
            raise ValueError(
                f"scale high {self.high} must be above low {self.low}: "
                "a scale needs at least two codes"
            )
        if self.labels is not None:
            object.__setattr__(self, "labels", tuple(str(x) for x in self.labels))
            if len(self.labels) != self.k:
                raise ValueError(
                    f"scale {self.low}–{self.high} has {self.k} codes but "
                    f"{len(self.labels)} labels were given"
                )
        codes = tuple(float(c) for c in self.na_codes)
        for code in codes:
            if not np.isfinite(code) or self.low <= code <= self.high:
                raise ValueError(
                    f"NA code {code:g} lies inside the scale {self.low}–{self.high} "
                    "(or is not finite); NA codes must be outside the answer range"
                )
        object.__setattr__(self, "na_codes", codes)

    @classmethod
    def labelled(
        cls,
        labels: Sequence[str],
        *,
        reverse: bool = False,
        na_labels: Sequence[str] = (),
        name: str = "",
    ) -> LabelledScale:
        """A qualitative scale coded 1..k in the order given (worst first).

        ``na_labels`` ("Don't know", "Not applicable") get the NA codes 99, 98, ...

        Examples
        --------
        >>> s = Scale.labelled(["Poor", "Fair", "Good", "Excellent"], na_labels=["Don't know"])
        >>> s.encode(["Good", "Don't know", "Poor"]).tolist()
        [3.0, 99.0, 1.0]
        """
        if len(labels) < 2:
            raise ValueError("a labelled scale needs at least two labels")
        if len(set(labels)) != len(labels):
            raise ValueError("labels of a scale must be distinct")
        na_codes = tuple(float(99 - i) for i in range(len(na_labels)))
        return LabelledScale(
            low=1,
            high=len(labels),
            labels=tuple(labels),
            reverse=reverse,
            na_codes=na_codes,
            name=name,
            na_labels=tuple(na_labels),
        )

    @property
    def k(self) -> int:
        """Number of answer options."""
        return self.high - self.low + 1

    @property
    def points(self) -> npt.NDArray[np.int64]:
        """The codes ``low..high`` as an array."""
        return np.arange(self.low, self.high + 1, dtype=np.int64)

    def top_codes(self, k: int) -> tuple[int, ...]:
        """The best ``k`` codes (highest, or lowest on a reversed scale)."""
        self._check_box(k)
        pts = list(range(self.low, self.high + 1))
        return tuple(pts[:k] if self.reverse else pts[-k:])

    def bottom_codes(self, k: int) -> tuple[int, ...]:
        """The worst ``k`` codes."""
        self._check_box(k)
        pts = list(range(self.low, self.high + 1))
        return tuple(pts[-k:] if self.reverse else pts[:k])

    def _check_box(self, k: int) -> None:
        if isinstance(k, bool) or int(k) != k or not 1 <= k < self.k:
            raise ValueError(
                f"box size {k!r} must be an integer from 1 to {self.k - 1} "
                f"on the {self.k}-point scale {self.low}–{self.high}"
            )

    def to_score(self, codes: npt.ArrayLike) -> FloatArray:
        """Map codes to the equal-interval 0–100 score (100 is always best)."""
        arr = np.asarray(codes, dtype=np.float64)
        return equal_interval_score(arr, self.low, self.high, reverse=self.reverse)

    def describe(self) -> str:
        """Short text such as ``"1–5"`` used in messages."""
        text = f"{self.low}–{self.high}"
        return f"{self.name} ({text})" if self.name else text


@dataclass(frozen=True, slots=True)
class LabelledScale(Scale):
    """A :class:`Scale` whose answers may be given as labels; see :meth:`Scale.labelled`."""

    na_labels: tuple[str, ...] = ()

    def encode(self, answers: Sequence[str]) -> FloatArray:
        """Turn labels into codes; unknown labels raise ``ValueError``."""
        labels = self.labels or ()
        lookup = {label: float(i + self.low) for i, label in enumerate(labels)}
        lookup.update(zip(self.na_labels, self.na_codes, strict=True))
        out = np.empty(len(answers), dtype=np.float64)
        for i, answer in enumerate(answers):
            try:
                out[i] = lookup[answer]
            except KeyError:
                raise ValueError(
                    f"answer {answer!r} at position {i} is not a label of the scale "
                    f"({', '.join(labels)})"
                ) from None
        return out


ScaleLike = Scale | tuple[int, int]


def as_scale(scale: ScaleLike | object) -> Scale:
    """A :class:`Scale`, or a ``(low, high)`` pair of codes made into one.

    Examples
    --------
    >>> as_scale((1, 7)).k
    7
    """
    if isinstance(scale, Scale):
        return scale
    if (
        isinstance(scale, tuple)
        and len(scale) == 2
        and all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in scale
        )
    ):
        return Scale(int(scale[0]), int(scale[1]))
    raise ValueError(
        f"scale {scale!r} must be a Scale or a (low, high) pair of whole codes"
    )


def equal_interval_score(
    codes: npt.ArrayLike, low: int, high: int, *, reverse: bool = False
) -> FloatArray:
    """Equal-interval mapping of codes ``low..high`` to 0–100.

    Parameters
    ----------
    codes
        Answer codes.
    low, high
        The scale's lowest and highest code.
    reverse
        ``True`` when the lowest code is the best answer.

    Returns
    -------
    numpy.ndarray
        ``(code − low)/(high − low) × 100`` (or ``(high − code)/(high − low) × 100``).

    Notes
    -----
    With k options coded 1..k this is ``(code − 1)/(k − 1) × 100``: 4 options map to
    0, 33.3, 66.7 and 100 (``docs/metrics.md``, "Scales").

    Examples
    --------
    >>> equal_interval_score([1, 3, 5], 1, 5).tolist()
    [0.0, 50.0, 100.0]
    """
    arr = np.asarray(codes, dtype=np.float64)
    span = float(high - low)
    out = (high - arr) / span if reverse else (arr - low) / span
    return np.asarray(out * 100.0, dtype=np.float64)


NPS_SCALE = Scale(0, 10, name="NPS likelihood to recommend")
CSAT_SCALE = Scale(
    1,
    5,
    labels=(
        "Very dissatisfied",
        "Dissatisfied",
        "Neither",
        "Satisfied",
        "Very satisfied",
    ),
    name="CSAT",
)
CES2_SCALE = Scale(
    1,
    7,
    labels=(
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ),
    name="CES 2.0",
)
CES1_SCALE = Scale(
    1,
    5,
    labels=(
        "Very low effort",
        "Low effort",
        "Neutral",
        "High effort",
        "Very high effort",
    ),
    reverse=True,
    name="CES 1.0",
)
