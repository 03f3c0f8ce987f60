"""Erlang B and Erlang C staffing for inbound queues (M/M/N).

Single source of truth for staffing arithmetic: the web pages and the
``satisfy staffing`` command call these functions. Formulas and references are
in ``docs/metrics.md``, chapter "Contact-centre KPIs and staffing".

Erlang C is computed from the Erlang B recursion, so no factorial or power of
the traffic is ever formed and thousands of agents are fine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ErlangCResult",
    "StaffingResult",
    "erlang_b",
    "erlang_c",
    "queue_performance",
    "required_agents",
    "staffing_by_interval",
    "traffic_erlangs",
]


@dataclass(frozen=True, slots=True)
class ErlangCResult:
    """Predicted performance of ``agents`` agents facing ``traffic_erlangs``."""

    agents: int
    traffic_erlangs: float
    probability_wait: float
    service_level: float
    asa_seconds: float
    occupancy: float
    answer_within_seconds: float
    aht_seconds: float


@dataclass(frozen=True, slots=True)
class StaffingResult:
    """Agents needed for one interval, with the performance they give.

    ``agents_for_service_level`` is the Erlang C answer alone; ``agents`` adds the
    maximum-occupancy cap; ``scheduled_agents`` adds shrinkage. ``binding`` names
    the constraint that set ``agents`` ("service_level", "max_occupancy" or
    "no_calls"). The performance fields are those of ``agents``.
    """

    agents: int
    scheduled_agents: int
    agents_for_service_level: int
    binding: str
    traffic_erlangs: float
    probability_wait: float
    service_level: float
    asa_seconds: float
    occupancy: float
    calls: float
    interval_seconds: float
    aht_seconds: float
    answer_within_seconds: float
    target_service_level: float
    max_occupancy: float | None
    shrinkage: float


def _check_finite(name: str, value: float, *, positive: bool = False) -> None:
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    if positive and value <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value!r}.")
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value!r}.")


def _check_agents(agents: int) -> None:
    if isinstance(agents, bool) or not isinstance(agents, int):
        raise ValueError(f"agents must be a whole number, got {agents!r}.")
    if agents < 0:
        raise ValueError(f"agents cannot be negative, got {agents}.")


def traffic_erlangs(
    calls: float, *, interval_seconds: float, aht_seconds: float
) -> float:
    """Offered traffic in erlangs: calls per interval times AHT over the interval.

    Parameters
    ----------
    calls
        Calls arriving in the interval (may be a forecast, so not necessarily whole).
    interval_seconds
        Length of the interval, e.g. 1800 for half an hour.
    aht_seconds
        Average handling time of one call.

    Returns
    -------
    float
        ``A = calls * aht_seconds / interval_seconds``.

    Notes
    -----
    One erlang is one agent kept busy for the whole interval.

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, ch. 5.

    Examples
    --------
    >>> traffic_erlangs(100, interval_seconds=1800, aht_seconds=180)
    10.0
    """
    _check_finite("calls", calls)
    _check_finite("interval_seconds", interval_seconds, positive=True)
    _check_finite("aht_seconds", aht_seconds, positive=True)
    return calls * aht_seconds / interval_seconds


def erlang_b(traffic_erlangs: float, agents: int) -> float:
    """Blocking probability of the Erlang B (M/M/N/N) loss system.

    Parameters
    ----------
    traffic_erlangs
        Offered traffic ``A`` in erlangs (any non-negative number).
    agents
        Number of servers ``N`` (lines or agents).

    Returns
    -------
    float
        ``B(N, A)``, the share of calls that find every server busy.

    Notes
    -----
    Uses the stable recursion ``B(0, A) = 1``,
    ``B(k, A) = A B(k-1, A) / (k + A B(k-1, A))``, which never forms
    ``A**N`` or ``N!`` and is accurate for thousands of servers.

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, section 5.2.
    .. [2] https://en.wikipedia.org/wiki/Erlang_(unit)#Erlang_B_formula

    Examples
    --------
    >>> round(erlang_b(10.0, 14), 6)
    0.056819
    """
    _check_finite("traffic_erlangs", traffic_erlangs)
    _check_agents(agents)
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = traffic_erlangs * blocking / (k + traffic_erlangs * blocking)
    return blocking


def erlang_c(traffic_erlangs: float, agents: int) -> float:
    """Probability that a call waits (Erlang C, M/M/N queue).

    Parameters
    ----------
    traffic_erlangs
        Offered traffic ``A`` in erlangs.
    agents
        Number of agents ``N``; must exceed ``A`` or the queue grows without end.

    Returns
    -------
    float
        ``C(N, A)``, the probability that an arriving call finds all agents busy.

    Raises
    ------
    ValueError
        If ``traffic_erlangs >= agents`` (overloaded: no steady state exists).

    Notes
    -----
    ``C = N B / (N - A (1 - B))`` with ``B = erlang_b(A, N)``; this equals the
    textbook ``(A^N/N! · N/(N-A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N-A))``.

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, section 5.3.
    .. [2] ErlangC R package 0.1.0 (CRAN, 2024), README example.

    Examples
    --------
    >>> round(erlang_c(10.0, 14), 7)
    0.1741319
    """
    _check_finite("traffic_erlangs", traffic_erlangs)
    _check_agents(agents)
    if traffic_erlangs >= agents:
        raise ValueError(
            f"Traffic of {traffic_erlangs:g} erlangs needs more than {agents} agents: "
            "with traffic at or above the number of agents the queue grows without "
            "bound, so waiting probability, service level and ASA are undefined."
        )
    if traffic_erlangs == 0:
        return 0.0
    blocking = erlang_b(traffic_erlangs, agents)
    return agents * blocking / (agents - traffic_erlangs * (1.0 - blocking))


def _performance(
    traffic: float, agents: int, *, aht_seconds: float, answer_within_seconds: float
) -> ErlangCResult:
    if agents == 0 and traffic == 0:
        return ErlangCResult(
            0, 0.0, 0.0, 1.0, 0.0, 0.0, answer_within_seconds, aht_seconds
        )
    pw = erlang_c(traffic, agents)
    service = 1.0 - pw * math.exp(
        -(agents - traffic) * answer_within_seconds / aht_seconds
    )
    asa = pw * aht_seconds / (agents - traffic)
    return ErlangCResult(
        agents=agents,
        traffic_erlangs=traffic,
        probability_wait=pw,
        service_level=service,
        asa_seconds=asa,
        occupancy=traffic / agents,
        answer_within_seconds=answer_within_seconds,
        aht_seconds=aht_seconds,
    )


def queue_performance(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    agents: int,
    answer_within_seconds: float,
) -> ErlangCResult:
    """Waiting probability, service level, ASA and occupancy for ``agents`` agents.

    Parameters
    ----------
    calls
        Calls arriving in the interval.
    interval_seconds
        Length of the interval in seconds.
    aht_seconds
        Average handling time (talk + hold + after-call work) in seconds.
    agents
        Agents on the phones (after shrinkage).
    answer_within_seconds
        Service-level threshold ``T``.

    Returns
    -------
    ErlangCResult

    Raises
    ------
    ValueError
        If the traffic is at least ``agents`` (overloaded queue), or an input is
        negative or not finite.

    Notes
    -----
    With ``A = calls · AHT / interval`` and ``C = erlang_c(A, N)``:
    service level ``SL(T) = 1 - C e^{-(N - A) T / AHT}``,
    ``ASA = C · AHT / (N - A)``, occupancy ``A / N``.

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, section 5.3.
    .. [2] ErlangC R package 0.1.0 (CRAN, 2024), README: ``erlang_c(100, 30 min,
       180 s, 20 s, 14)`` gives 0.1741319, 0.88835, 7.8359 s and 0.7142857.

    Examples
    --------
    >>> r = queue_performance(calls=100, interval_seconds=1800, aht_seconds=180,
    ...                       agents=14, answer_within_seconds=20)
    >>> round(r.service_level, 5), round(r.asa_seconds, 4), round(r.occupancy, 7)
    (0.88835, 7.8359, 0.7142857)
    """
    traffic = traffic_erlangs(
        calls, interval_seconds=interval_seconds, aht_seconds=aht_seconds
    )
    _check_agents(agents)
    _check_finite("answer_within_seconds", answer_within_seconds)
    return _performance(
        traffic,
        agents,
        aht_seconds=aht_seconds,
        answer_within_seconds=answer_within_seconds,
    )


def required_agents(
    *,
    calls: float,
    interval_seconds: float,
    aht_seconds: float,
    target_service_level: float,
    answer_within_seconds: float,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    max_agents: int = 100_000,
) -> StaffingResult:
    """Smallest number of agents meeting a service-level target, then caps.

    Parameters
    ----------
    calls
        Calls arriving in the interval (0 gives 0 agents).
    interval_seconds
        Length of the interval in seconds.
    aht_seconds
        Average handling time in seconds.
    target_service_level
        Required share of calls answered within ``answer_within_seconds``, in (0, 1).
    answer_within_seconds
        Service-level threshold ``T`` in seconds.
    max_occupancy
        Optional cap on occupancy in (0, 1]: agents are added until
        ``A / N <= max_occupancy``.
    shrinkage
        Share of paid time not available for calls (breaks, training, absence),
        in [0, 1). Scheduled agents are ``ceil(N / (1 - shrinkage))``.
    max_agents
        Search limit; a larger need raises ``ValueError``.

    Returns
    -------
    StaffingResult

    Notes
    -----
    Three steps, in this order: (1) the smallest ``N > A`` with
    ``SL(T) >= target`` (Erlang C); (2) ``N = max(N, ceil(A / max_occupancy))``;
    (3) ``scheduled = ceil(N / (1 - shrinkage))``. A tiny tolerance (1e-9) keeps
    floating-point noise from adding an agent when ``A / max_occupancy`` is whole.

    References
    ----------
    .. [1] G. Koole, *Call Center Optimization*, MG books, 2013, ch. 5.
    .. [2] ErlangC R package 0.1.0 (CRAN, 2024), ``calculate_agents`` README example.
    .. [3] call-center-tools (PyPI) README: 1000 calls/h, AHT 120 s, 80/20,
       max occupancy 0.85, shrinkage 0.3 -> 40 agents, 58 with shrinkage.

    Examples
    --------
    >>> r = required_agents(calls=1000, interval_seconds=3600, aht_seconds=120,
    ...                     target_service_level=0.8, answer_within_seconds=20,
    ...                     max_occupancy=0.85, shrinkage=0.3)
    >>> r.agents, r.scheduled_agents, r.binding
    (40, 58, 'max_occupancy')
    """
    traffic = traffic_erlangs(
        calls, interval_seconds=interval_seconds, aht_seconds=aht_seconds
    )
    _check_finite("answer_within_seconds", answer_within_seconds)
    if not 0 < target_service_level < 1:
        raise ValueError(
            f"target_service_level must be between 0 and 1 (exclusive), got {target_service_level!r}."
        )
    if max_occupancy is not None and not 0 < max_occupancy <= 1:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}.")
    if not 0 <= shrinkage < 1:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}.")

    def result(n: int, n_sl: int, binding: str) -> StaffingResult:
        perf = _performance(
            traffic,
            n,
            aht_seconds=aht_seconds,
            answer_within_seconds=answer_within_seconds,
        )
        scheduled = math.ceil(n / (1.0 - shrinkage) - 1e-9) if n else 0
        return StaffingResult(
            agents=n,
            scheduled_agents=scheduled,
            agents_for_service_level=n_sl,
            binding=binding,
            traffic_erlangs=traffic,
            probability_wait=perf.probability_wait,
            service_level=perf.service_level,
            asa_seconds=perf.asa_seconds,
            occupancy=perf.occupancy,
            calls=calls,
            interval_seconds=interval_seconds,
            aht_seconds=aht_seconds,
            answer_within_seconds=answer_within_seconds,
            target_service_level=target_service_level,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
        )

    if traffic == 0:
        return result(0, 0, "no_calls")
    n = math.floor(traffic) + 1
    while True:
        if n > max_agents:
            raise ValueError(
                f"More than max_agents={max_agents} agents would be needed for "
                f"{traffic:g} erlangs at {target_service_level:.0%} in "
                f"{answer_within_seconds:g} s; raise max_agents or check the inputs."
            )
        perf = _performance(
            traffic,
            n,
            aht_seconds=aht_seconds,
            answer_within_seconds=answer_within_seconds,
        )
        if perf.service_level >= target_service_level:
            break
        n += 1
    n_sl = n
    binding = "service_level"
    if max_occupancy is not None:
        n_occ = math.ceil(traffic / max_occupancy - 1e-9)
        if n_occ > n:
            n, binding = n_occ, "max_occupancy"
    return result(n, n_sl, binding)


def staffing_by_interval(
    calls: Sequence[float],
    *,
    interval_seconds: float,
    aht_seconds: float | Sequence[float],
    target_service_level: float,
    answer_within_seconds: float,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> tuple[StaffingResult, ...]:
    """Agents needed in each interval from arrival counts and AHT.

    Parameters
    ----------
    calls
        Calls arriving in each interval (e.g. 48 half hours).
    interval_seconds
        Length of every interval in seconds.
    aht_seconds
        One AHT for all intervals, or one per interval.
    target_service_level, answer_within_seconds, max_occupancy, shrinkage
        As in :func:`required_agents`.

    Returns
    -------
    tuple of StaffingResult
        One per interval, in order.

    Notes
    -----
    Each interval is treated as its own steady state (the usual "stationary
    independent period-by-period" approximation).

    Examples
    --------
    >>> [r.agents for r in staffing_by_interval([0, 100, 200], interval_seconds=1800,
    ...  aht_seconds=180, target_service_level=0.8, answer_within_seconds=20)]
    [0, 14, 24]
    """
    counts = list(calls)
    if isinstance(aht_seconds, (int, float)):
        ahts = [float(aht_seconds)] * len(counts)
    else:
        ahts = [float(a) for a in aht_seconds]
        if len(ahts) != len(counts):
            raise ValueError(
                f"aht_seconds has {len(ahts)} values but calls has {len(counts)} intervals."
            )
    return tuple(
        required_agents(
            calls=c,
            interval_seconds=interval_seconds,
            aht_seconds=a,
            target_service_level=target_service_level,
            answer_within_seconds=answer_within_seconds,
            max_occupancy=max_occupancy,
            shrinkage=shrinkage,
        )
        for c, a in zip(counts, ahts, strict=True)
    )
