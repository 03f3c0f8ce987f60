"""Agent-state data: time in each state class per agent and interval, and occupancy.

An agent-state record says that one agent was in one state from ``start`` to
``end`` (seconds on a clock whose zero is at a midnight: epoch seconds, or
seconds after the first day's midnight). States are mapped to six classes:

============== ===================================================== ============
class          typical source names                                  occupancy
============== ===================================================== ============
available      available, idle, ready, waiting                       denominator
talk           talk, talking, busy, on call, inbound, outbound        numerator
hold           hold, on hold                                          numerator
after_call_work after call work, acw, wrap, wrap-up, not ready wrap  numerator
not_ready      not ready, break, lunch, aux, meeting, training       excluded
logged_out     logged out, logout, offline                           excluded
============== ===================================================== ============

Occupancy is handling time over handling plus available time,

    occupancy = (talk + hold + after-call work) / (talk + hold + after-call work + available),

the share of the time agents were ready for contacts that they spent handling
them (Cleveland, *Call Center Management on Fast Forward*, 3rd ed., 2012).
Not-ready time (breaks, aux codes) is in neither part. Utilisation is handling
time over logged-in time (every class but ``logged_out``). Records are cut at
interval boundaries (15, 30 or 60 minutes; a record that crosses midnight is cut
there too), so each piece adds to the interval it falls in. Formulas in
``docs/metrics.md``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from satisfy.analytics.contact_centre._common import FloatArray, IntArray, ratio

__all__ = [
    "DEFAULT_STATE_NAMES",
    "HANDLING_CLASSES",
    "STATE_CLASSES",
    "AgentStateError",
    "OccupancySummary",
    "StatePieces",
    "check_state_intervals",
    "classify_states",
    "find_overlaps",
    "normalise_state_name",
    "occupancy_by_group",
    "split_at_intervals",
]

#: The state classes, in the order of ``OccupancySummary.seconds``.
STATE_CLASSES = (
    "available",
    "talk",
    "hold",
    "after_call_work",
    "not_ready",
    "logged_out",
)
#: The classes whose time is handling time (occupancy's numerator).
HANDLING_CLASSES = ("talk", "hold", "after_call_work")

_AVAILABLE, _TALK, _HOLD, _ACW, _NOT_READY, _LOGGED_OUT = range(6)
_ALLOWED_INTERVALS = (15, 30, 60)
_MAX_LISTED = 50

#: Source state names understood without a mapping (after ``normalise_state_name``).
DEFAULT_STATE_NAMES: Mapping[str, str] = {
    **dict.fromkeys(
        ("available", "idle", "ready", "waiting", "avail"),
        "available",
    ),
    **dict.fromkeys(
        (
            "talk",
            "talking",
            "busy",
            "on_call",
            "in_call",
            "acd",
            "inbound",
            "outbound",
            "interacting",
            "handling",
        ),
        "talk",
    ),
    **dict.fromkeys(("hold", "on_hold", "held"), "hold"),
    **dict.fromkeys(
        (
            "after_call_work",
            "acw",
            "wrap",
            "wrap_up",
            "wrapup",
            "after_call",
            "not_ready_wrap",
        ),
        "after_call_work",
    ),
    **dict.fromkeys(
        (
            "not_ready",
            "notready",
            "break",
            "lunch",
            "aux",
            "away",
            "meeting",
            "training",
            "coaching",
            "meal",
            "busy_other",
            "back_office",
            "unavailable",
        ),
        "not_ready",
    ),
    **dict.fromkeys(
        ("logged_out", "logout", "log_out", "logged_off", "offline", "off"),
        "logged_out",
    ),
}


class AgentStateError(ValueError):
    """Agent-state records that cannot be used; ``problems`` lists each one."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"{message}: {shown}{more}" if shown else message)


def normalise_state_name(name: str) -> str:
    """Lower case, runs of blanks, hyphens, slashes and dots as one underscore.

    Examples
    --------
    >>> normalise_state_name("  Not Ready - Wrap ")
    'not_ready_wrap'
    >>> normalise_state_name("AUX/Break")
    'aux_break'
    """
    return re.sub(r"[\s\-/.]+", "_", str(name).strip().lower()).strip("_")


def classify_states(
    names: Any, *, mapping: Mapping[str, str] | None = None, strict: bool = True
) -> IntArray:
    """The class code (index into ``STATE_CLASSES``) of each source state name.

    Parameters
    ----------
    names
        Source state names, one per record.
    mapping
        Extra or overriding names → class (a class name from ``STATE_CLASSES``);
        keys are compared after ``normalise_state_name``, like the defaults.
    strict
        False gives -1 for an unknown name instead of raising (a file parser
        then reports each row).

    Raises
    ------
    AgentStateError
        A name that is neither in ``mapping`` nor in ``DEFAULT_STATE_NAMES``
        (each unknown name with its first position and count), or a mapping to
        a class that does not exist.

    Examples
    --------
    >>> classify_states(["Idle", "ACD", "Wrap-up", "Break"]).tolist()
    [0, 1, 3, 4]
    >>> classify_states(["AUX 7"], mapping={"AUX 7": "talk"}).tolist()
    [1]
    """
    table: dict[str, str] = dict(DEFAULT_STATE_NAMES)
    bad_targets = []
    for key, value in (mapping or {}).items():
        cls = normalise_state_name(str(value))
        if cls not in STATE_CLASSES:
            bad_targets.append(f"{key!r} -> {value!r}")
        table[normalise_state_name(str(key))] = cls
    if bad_targets:
        raise AgentStateError(
            f"the state mapping names unknown classes (expected {', '.join(STATE_CLASSES)})",
            bad_targets,
        )
    arr = np.asarray(names, dtype=object).astype(str)
    if arr.ndim != 1:
        raise ValueError(f"names must be one-dimensional, got shape {arr.shape}.")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    uniques, first, inverse, counts = np.unique(
        arr, return_index=True, return_inverse=True, return_counts=True
    )
    codes = np.full(uniques.size, -1, dtype=np.int64)
    unknown = []
    for i, name in enumerate(uniques.tolist()):
        found = table.get(normalise_state_name(name))
        if found is None:
            unknown.append(
                f"{name!r} (first at position {int(first[i])}, {int(counts[i])} records)"
            )
        else:
            codes[i] = STATE_CLASSES.index(found)
    if unknown and strict:
        raise AgentStateError(
            f"unknown state name(s); map them to one of {', '.join(STATE_CLASSES)}",
            unknown,
        )
    out: IntArray = codes[inverse.reshape(-1)]
    return out


def _times(name: str, values: Any) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    if not np.isfinite(arr).all():
        i = int(np.flatnonzero(~np.isfinite(arr))[0])
        raise ValueError(f"{name} has a missing or infinite value at position {i}.")
    return arr


def check_state_intervals(
    agents: Any,
    starts: Any,
    ends: Any,
    *,
    rows: Any = None,
) -> None:
    """Raise when a record ends before it starts or overlaps another of its agent.

    Records that only touch (one ends when the next starts) do not overlap.

    Parameters
    ----------
    agents, starts, ends
        One value per record; times in seconds.
    rows
        How to name each record in messages (e.g. file row numbers); by default
        its 0-based position.

    Raises
    ------
    AgentStateError
        Every problem, naming the agent and the rows.

    Examples
    --------
    >>> check_state_intervals(["a", "a", "b"], [0, 60, 30], [60, 120, 90])
    >>> check_state_intervals(["a", "a"], [0, 50], [60, 120], rows=[2, 3])
    Traceback (most recent call last):
    ...
    satisfy.analytics.contact_centre.occupancy.AgentStateError: overlapping or reversed agent-state records: agent 'a': rows 2 and 3 overlap (row 2 ends at 60, row 3 starts at 50)
    """
    a = np.asarray(agents, dtype=object).astype(str)
    s = _times("starts", starts)
    e = _times("ends", ends)
    n = a.shape[0]
    if s.shape[0] != n or e.shape[0] != n:
        raise ValueError(
            f"agents, starts and ends must have the same length, got {n}, "
            f"{s.shape[0]} and {e.shape[0]}."
        )
    labels = np.arange(n) if rows is None else np.asarray(rows)
    problems: list[str] = []
    for i in np.flatnonzero(e < s)[:_MAX_LISTED].tolist():
        problems.append(
            f"agent {str(a[i])!r}: row {labels[i]} ends ({e[i]:g}) before it starts ({s[i]:g})"
        )
    later, earlier = find_overlaps(a, s, e)
    for j, k in zip(later[:_MAX_LISTED].tolist(), earlier.tolist(), strict=False):
        problems.append(
            f"agent {str(a[j])!r}: rows {labels[k]} and {labels[j]} overlap "
            f"(row {labels[k]} ends at {e[k]:g}, row {labels[j]} starts at {s[j]:g})"
        )
    if problems:
        raise AgentStateError("overlapping or reversed agent-state records", problems)


def find_overlaps(agents: Any, starts: Any, ends: Any) -> tuple[IntArray, IntArray]:
    """Records that start before an earlier record of the same agent has ended.

    Returns
    -------
    tuple of int arrays
        ``(later, earlier)``: positions of each overlapping record and of the
        record it overlaps (the one, among those starting no later, that ends
        last). Empty when nothing overlaps; records that only touch do not.

    Examples
    --------
    >>> later, earlier = find_overlaps(["a", "a", "a", "b"], [0, 10, 100, 5], [60, 20, 200, 9])
    >>> later.tolist(), earlier.tolist()
    ([1], [0])
    """
    a = np.asarray(agents, dtype=object).astype(str)
    s = _times("starts", starts)
    e = _times("ends", ends)
    n = a.shape[0]
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort((e, s, a))
    sa, ss, se = a[order], s[order], e[order]
    # The latest end so far within each agent: offset each agent's ends so one
    # running maximum over the sorted rows never carries across agents.
    _u, inverse = np.unique(sa, return_inverse=True)
    code = inverse.reshape(-1).astype(np.float64)
    base = float(min(se.min(), ss.min()))
    span = float(max(se.max(), ss.max())) - base + 1.0
    shifted = code * span + (se - base)
    running = np.maximum.accumulate(shifted)
    # the sorted position holding the running maximum
    is_new_max = np.r_[True, shifted[1:] >= running[:-1]]
    holder = np.maximum.accumulate(np.where(is_new_max, np.arange(n), 0))
    same = np.r_[False, code[1:] == code[:-1]]
    # Compare in the shifted space: equal times shift to equal values, so records
    # that touch never count as overlapping (overlaps far below a millisecond
    # may go unnoticed in very long files).
    shifted_start = code * span + (ss - base)
    later = np.flatnonzero(same & (shifted_start < np.r_[-np.inf, running[:-1]]))
    earlier = holder[later - 1]
    return order[later].astype(np.int64), order[earlier].astype(np.int64)


@dataclass(frozen=True, slots=True)
class StatePieces:
    """Records cut at interval boundaries: one row per (record, interval) piece."""

    record: IntArray
    """Index of the record each piece comes from."""
    interval_start: IntArray
    """Start of the piece's interval, in the clock's seconds (a multiple of the step)."""
    seconds: FloatArray
    """Length of the piece."""

    def __len__(self) -> int:
        return int(self.record.shape[0])


def split_at_intervals(
    starts: Any, ends: Any, *, interval_minutes: int = 30
) -> StatePieces:
    """Cut each ``[start, end)`` record at the 15-, 30- or 60-minute boundaries.

    Zero-length records give no piece. A record crossing midnight is cut there,
    since midnight is a boundary of every interval length.

    Examples
    --------
    A record from 09:50 to 10:40 in half-hour intervals: 10 min in 09:30,
    30 min in 10:00 and 10 min in 10:30.

    >>> p = split_at_intervals([35400], [38400], interval_minutes=30)
    >>> p.interval_start.tolist(), p.seconds.tolist()
    ([34200, 36000, 37800], [600.0, 1800.0, 600.0])
    """
    if interval_minutes not in _ALLOWED_INTERVALS:
        raise ValueError(
            f"interval_minutes must be one of {_ALLOWED_INTERVALS}, got {interval_minutes!r}."
        )
    s = _times("starts", starts)
    e = _times("ends", ends)
    if s.shape != e.shape:
        raise ValueError("starts and ends must have the same length.")
    if (e < s).any():
        i = int(np.flatnonzero(e < s)[0])
        raise ValueError(f"record {i} ends before it starts.")
    step = interval_minutes * 60
    keep = e > s
    idx = np.flatnonzero(keep)
    first = np.floor(s[idx] / step).astype(np.int64)
    # the interval holding the last instant before the end
    last = np.ceil(e[idx] / step).astype(np.int64) - 1
    count = last - first + 1
    record = np.repeat(idx, count)
    offset = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(count) - count, count
    )
    interval = np.repeat(first, count) + offset
    lo = np.maximum(s[record], interval * step)
    hi = np.minimum(e[record], (interval + 1) * step)
    return StatePieces(
        record=record.astype(np.int64),
        interval_start=(interval * step).astype(np.int64),
        seconds=(hi - lo).astype(np.float64),
    )


@dataclass(frozen=True, slots=True)
class OccupancySummary:
    """Seconds in each state class for one group, and the ratios built on them.

    ``seconds`` follows ``STATE_CLASSES``. ``agents`` counts the distinct agents
    with logged-in time in the group (the base of the per-agent figures).
    """

    seconds: tuple[float, float, float, float, float, float]
    agents: int

    @property
    def available_seconds(self) -> float:
        return self.seconds[_AVAILABLE]

    @property
    def talk_seconds(self) -> float:
        return self.seconds[_TALK]

    @property
    def hold_seconds(self) -> float:
        return self.seconds[_HOLD]

    @property
    def after_call_work_seconds(self) -> float:
        return self.seconds[_ACW]

    @property
    def not_ready_seconds(self) -> float:
        return self.seconds[_NOT_READY]

    @property
    def logged_out_seconds(self) -> float:
        return self.seconds[_LOGGED_OUT]

    @property
    def handling_seconds(self) -> float:
        """Talk + hold + after-call work."""
        return self.seconds[_TALK] + self.seconds[_HOLD] + self.seconds[_ACW]

    @property
    def logged_in_seconds(self) -> float:
        """Every class but logged out."""
        return self.handling_seconds + self.available_seconds + self.not_ready_seconds

    @property
    def occupancy(self) -> float | None:
        """Handling ÷ (handling + available); None when both are zero."""
        return ratio(
            self.handling_seconds, self.handling_seconds + self.available_seconds
        )

    @property
    def utilisation(self) -> float | None:
        """Handling ÷ logged-in time; None when nobody was logged in."""
        return ratio(self.handling_seconds, self.logged_in_seconds)

    def __add__(self, other: OccupancySummary) -> OccupancySummary:
        """Adds the seconds; ``agents`` becomes an upper bound (agents may repeat)."""
        return OccupancySummary(
            tuple(a + b for a, b in zip(self.seconds, other.seconds, strict=True)),  # type: ignore[arg-type]
            self.agents + other.agents,
        )


def occupancy_by_group(
    group: Any,
    n_groups: int,
    state_class: Any,
    seconds: Any,
    agent: Any,
) -> tuple[OccupancySummary, ...]:
    """Seconds per state class, agents and occupancy for each group.

    Parameters
    ----------
    group
        Group of each row (0 … ``n_groups`` − 1), e.g. from ``group_index`` on
        the agent and ``StatePieces.interval_start``.
    n_groups
        Number of groups.
    state_class
        Class code of each row (``classify_states``).
    seconds
        Time of each row (a record, or a piece from ``split_at_intervals``).
    agent
        Agent of each row (any hashable values), to count distinct agents.

    Examples
    --------
    Two agents in one half hour: A talks 20 min and waits 10, B talks 5,
    wraps up 5 and is on a break for 20 minutes.

    >>> [s] = occupancy_by_group([0, 0, 0, 0, 0], 1, [1, 0, 1, 3, 4],
    ...                          [1200, 600, 300, 300, 1200], ["A", "A", "B", "B", "B"])
    >>> s.handling_seconds, s.available_seconds, s.agents
    (1800.0, 600.0, 2)
    >>> s.occupancy, round(s.utilisation, 4)
    (0.75, 0.5)
    """
    g = np.asarray(group, dtype=np.int64).reshape(-1)
    c = np.asarray(state_class, dtype=np.int64).reshape(-1)
    t = np.asarray(seconds, dtype=np.float64).reshape(-1)
    a = np.asarray(agent, dtype=object).astype(str).reshape(-1)
    n = g.shape[0]
    if not (c.shape[0] == t.shape[0] == a.shape[0] == n):
        raise ValueError(
            "group, state_class, seconds and agent must have one value per row."
        )
    if n and (g.min() < 0 or g.max() >= n_groups):
        raise ValueError(f"group must be between 0 and {n_groups - 1}.")
    if n and (c.min() < 0 or c.max() >= len(STATE_CLASSES)):
        raise ValueError("state_class must be a code from classify_states.")
    if (t < 0).any() or not np.isfinite(t).all():
        raise ValueError("seconds must be finite and not negative.")
    k = len(STATE_CLASSES)
    totals = np.bincount(g * k + c, weights=t, minlength=n_groups * k).reshape(
        n_groups, k
    )
    logged_in = (c != _LOGGED_OUT) & (t > 0)
    agents_per_group = np.zeros(n_groups, dtype=np.int64)
    if logged_in.any():
        _u, agent_code = np.unique(a[logged_in], return_inverse=True)
        pairs = np.unique(g[logged_in] * (len(_u) + 1) + agent_code.reshape(-1))
        agents_per_group = np.bincount(pairs // (len(_u) + 1), minlength=n_groups)
    return tuple(
        OccupancySummary(
            tuple(float(x) for x in totals[i]),  # type: ignore[arg-type]
            int(agents_per_group[i]),
        )
        for i in range(n_groups)
    )
