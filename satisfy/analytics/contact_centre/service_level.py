"""Service level with every standard treatment of abandoned calls, named.

The four variants are the ones listed by ICMI (Reynolds, "Service Level
Calculations", Queue Tips, 2002) and by Cisco ICM/UCCE ("Service Level Type");
``docs/metrics.md`` gives their formulas and this module's names for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from satisfy.analytics.contact_centre._common import (
    as_bool_array,
    as_float_array,
    check_alpha,
    ratio,
    wilson,
)

__all__ = [
    "SERVICE_LEVEL_VARIANTS",
    "ServiceLevelResult",
    "ServiceLevelVariant",
    "service_level",
    "service_level_from_counts",
]

#: Variant name -> (ICMI formula number, plain description).
SERVICE_LEVEL_VARIANTS: dict[str, tuple[int, str]] = {
    "abandoned_as_met": (
        1,
        "(answered within T + abandoned within T) / (answered + abandoned): "
        "abandons within T count as good",
    ),
    "abandoned_ignored": (
        2,
        "answered within T / answered: abandoned calls ignored",
    ),
    "abandoned_as_missed": (
        3,
        "answered within T / (answered + abandoned): every abandon counts as bad",
    ),
    "abandoned_missed_after_threshold": (
        4,
        "answered within T / (answered + abandoned after T): abandons count as bad "
        "only after T",
    ),
}


@dataclass(frozen=True, slots=True)
class ServiceLevelVariant:
    """One service-level variant: value with its numerator, base and interval."""

    name: str
    value: float | None
    numerator: int
    denominator: int
    ci_low: float | None
    ci_high: float | None
    description: str


@dataclass(frozen=True, slots=True)
class ServiceLevelResult:
    """Service level at threshold ``answer_within_seconds``, all variants.

    ``short_abandons`` were removed from every count before the variants were
    computed (none when ``short_abandon_seconds`` is None).
    """

    answer_within_seconds: float
    short_abandon_seconds: float | None
    answered: int
    abandoned: int
    answered_within: int
    abandoned_within: int
    short_abandons: int
    variants: tuple[ServiceLevelVariant, ...]
    method: str

    def variant(self, name: str) -> ServiceLevelVariant:
        """The variant called ``name`` (one of ``SERVICE_LEVEL_VARIANTS``)."""
        for v in self.variants:
            if v.name == name:
                return v
        raise ValueError(
            f"Unknown service-level variant {name!r}; expected one of "
            f"{', '.join(SERVICE_LEVEL_VARIANTS)}."
        )


def service_level_from_counts(
    *,
    answered: int,
    abandoned: int,
    answered_within: int,
    abandoned_within: int,
    answer_within_seconds: float,
    short_abandon_seconds: float | None = None,
    short_abandons: int = 0,
    alpha: float = 0.05,
) -> ServiceLevelResult:
    """Service-level variants from the four counts a switch report gives.

    Parameters
    ----------
    answered, abandoned
        Calls answered and abandoned in queue (short abandons already removed).
    answered_within, abandoned_within
        Of those, the ones answered / abandoned with a wait of at most ``T``.
    answer_within_seconds
        The threshold ``T``, recorded in the result.
    short_abandon_seconds, short_abandons
        The short-abandon threshold used and how many calls it removed
        (recorded only; the counts must already exclude them).
    alpha
        Significance level of the Wilson intervals.

    Returns
    -------
    ServiceLevelResult
        One ``ServiceLevelVariant`` per entry of ``SERVICE_LEVEL_VARIANTS``;
        ``value`` is None when its base is empty.

    Notes
    -----
    With ``A`` answered, ``B`` abandoned, ``A_T`` and ``B_T`` those within T:
    ``abandoned_as_met = (A_T + B_T) / (A + B)``; ``abandoned_ignored = A_T / A``;
    ``abandoned_as_missed = A_T / (A + B)``;
    ``abandoned_missed_after_threshold = A_T / (A + B - B_T)``.
    Intervals are Wilson score intervals on numerator / base.

    References
    ----------
    .. [1] ICMI, "Service Level Calculations", Queue Tips (2002), formulas 1-4.
    .. [2] Cisco Unified ICM, Service Level Type: "abandoned calls ignored",
       "negatively impact", "positively impact".

    Examples
    --------
    ICMI's example: 1000 answered (860 within 20 s), 60 abandoned (20 within).

    >>> r = service_level_from_counts(answered=1000, abandoned=60, answered_within=860,
    ...                               abandoned_within=20, answer_within_seconds=20)
    >>> [round(v.value, 3) for v in r.variants]
    [0.83, 0.86, 0.811, 0.827]
    """
    check_alpha(alpha)
    for name, value in (
        ("answered", answered),
        ("abandoned", abandoned),
        ("answered_within", answered_within),
        ("abandoned_within", abandoned_within),
        ("short_abandons", short_abandons),
    ):
        if value < 0:
            raise ValueError(f"{name} cannot be negative, got {value}.")
    if answered_within > answered:
        raise ValueError(
            f"answered_within ({answered_within}) cannot exceed answered ({answered})."
        )
    if abandoned_within > abandoned:
        raise ValueError(
            f"abandoned_within ({abandoned_within}) cannot exceed abandoned ({abandoned})."
        )
    parts = {
        "abandoned_as_met": (answered_within + abandoned_within, answered + abandoned),
        "abandoned_ignored": (answered_within, answered),
        "abandoned_as_missed": (answered_within, answered + abandoned),
        "abandoned_missed_after_threshold": (
            answered_within,
            answered + abandoned - abandoned_within,
        ),
    }
    variants = []
    for name, (num, den) in parts.items():
        low, high = wilson(num, den, alpha) if den else (None, None)
        variants.append(
            ServiceLevelVariant(
                name=name,
                value=ratio(num, den),
                numerator=int(num),
                denominator=int(den),
                ci_low=low,
                ci_high=high,
                description=SERVICE_LEVEL_VARIANTS[name][1],
            )
        )
    return ServiceLevelResult(
        answer_within_seconds=answer_within_seconds,
        short_abandon_seconds=short_abandon_seconds,
        answered=int(answered),
        abandoned=int(abandoned),
        answered_within=int(answered_within),
        abandoned_within=int(abandoned_within),
        short_abandons=int(short_abandons),
        variants=tuple(variants),
        method="wilson",
    )


def service_level(
    wait_seconds: Any,
    is_answered: Any,
    *,
    answer_within_seconds: float = 20.0,
    short_abandon_seconds: float | None = None,
    alpha: float = 0.05,
) -> ServiceLevelResult:
    """Service level of queued calls at threshold ``T``, in every variant.

    Parameters
    ----------
    wait_seconds
        Time in queue of each offered call, until answer or abandonment.
    is_answered
        True for answered calls, False for calls abandoned in queue. Calls that
        never reached the queue (IVR abandons) must not be passed.
    answer_within_seconds
        Threshold ``T``; a call is "within T" when ``wait <= T``.
    short_abandon_seconds
        If given, abandons with ``wait <= short_abandon_seconds`` are removed
        from every count (they are reported in ``short_abandons``).
    alpha
        Significance level of the Wilson intervals.

    Returns
    -------
    ServiceLevelResult

    Notes
    -----
    See :func:`service_level_from_counts` for the four formulas.

    References
    ----------
    .. [1] ICMI, "Service Level Calculations", Queue Tips (2002).

    Examples
    --------
    >>> r = service_level([5, 30, 10, 40], [True, True, False, False],
    ...                   answer_within_seconds=20)
    >>> r.variant("abandoned_as_missed").value
    0.25
    """
    waits = as_float_array("wait_seconds", wait_seconds)
    answered = as_bool_array("is_answered", is_answered, waits.shape[0])
    if answer_within_seconds < 0:
        raise ValueError(
            f"answer_within_seconds cannot be negative, got {answer_within_seconds}."
        )
    keep = np.ones_like(answered)
    n_short = 0
    if short_abandon_seconds is not None:
        if short_abandon_seconds < 0:
            raise ValueError(
                f"short_abandon_seconds cannot be negative, got {short_abandon_seconds}."
            )
        short = ~answered & (waits <= short_abandon_seconds)
        n_short = int(short.sum())
        keep = ~short
    within = waits <= answer_within_seconds
    ans = answered & keep
    abd = ~answered & keep
    return service_level_from_counts(
        answered=int(ans.sum()),
        abandoned=int(abd.sum()),
        answered_within=int((ans & within).sum()),
        abandoned_within=int((abd & within).sum()),
        answer_within_seconds=answer_within_seconds,
        short_abandon_seconds=short_abandon_seconds,
        short_abandons=n_short,
        alpha=alpha,
    )
