"""Occupancy from stored agent-state records, for the operations page and the API.

Scoped records (:func:`agent_states_for_user`) in a period are read as plain
columns, clipped to the period, turned into local wall-clock seconds and handed
to the library (``split_at_intervals``, ``group_index``, ``occupancy_by_group``),
so the page, the API and ``satisfy kpi --agent-states`` compute the same figure:

    occupancy = (talk + hold + after-call work) / (talk + hold + after-call work + available)

Times are local wall-clock (``settings.TIME_ZONE``) like every interval of the
operations report; a record spanning a daylight-saving change is measured on the
wall clock (an hour more or less), which the page's totals tolerate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.analytics.contact_centre import (
    STATE_CLASSES,
    OccupancySummary,
    group_index,
    occupancy_by_group,
    split_at_intervals,
)
from satisfy.interactions import charts
from satisfy.interactions.models import AgentStateInterval
from satisfy.interactions.operations import OperationsReport
from satisfy.interactions.queries import Period
from satisfy.org.models import Agent, OrgUnit
from satisfy.org.queries import get_unit_for_user

#: Grouping keys occupancy supports (those of ``queries.queue_summaries`` that
#: agent states carry; ``agent`` gives two columns, the agent id and its key).
GROUP_KEYS = ("day", "hour", "weekday", "interval", "agent", "unit")

_EMPTY = OccupancySummary((0.0, 0.0, 0.0, 0.0, 0.0, 0.0), 0)


def agent_states_for_user(user: User) -> QuerySet[AgentStateInterval]:
    """State records whose unit is in the user's subtrees, or their own as an agent."""
    scope = scope_for_user(user)
    if scope.sees_nothing:
        return AgentStateInterval.objects.none()
    return AgentStateInterval.objects.filter(
        scope.results_q(unit_path_field="unit__path", agent_field="agent_id")
    )


@dataclass(frozen=True, slots=True)
class StateColumns:
    """Records of one period as columns; times are local wall-clock epoch seconds."""

    agent_id: npt.NDArray[np.int64]  # -1 when no Agent row matched
    agent_key: npt.NDArray[np.object_]
    unit_id: npt.NDArray[np.int64]  # -1 when none
    state_class: npt.NDArray[np.int64]
    start: npt.NDArray[np.float64]
    end: npt.NDArray[np.float64]

    def __len__(self) -> int:
        return int(self.start.shape[0])

    @property
    def agent(self) -> npt.NDArray[np.object_]:
        """One identity per agent: its id when known, else the source key."""
        out: npt.NDArray[np.object_] = np.where(
            self.agent_id >= 0,
            np.char.add("id:", self.agent_id.astype(str)),
            np.char.add("key:", self.agent_key.astype(str)),
        ).astype(object)
        return out


def _wall_seconds(moments: Sequence[datetime]) -> npt.NDArray[np.float64]:
    if not moments:
        return np.zeros(0)
    index = pd.DatetimeIndex(pd.to_datetime(list(moments), utc=True))
    local = index.tz_convert(timezone.get_current_timezone()).tz_localize(None)
    millis = local.to_numpy(dtype="datetime64[ms]").astype(np.int64)
    out: npt.NDArray[np.float64] = millis.astype(np.float64) / 1e3
    return out


def _wall(moment: datetime) -> float:
    return float(_wall_seconds([moment])[0])


def state_columns(states: QuerySet[AgentStateInterval], period: Period) -> StateColumns:
    """The records overlapping ``period``, clipped to it."""
    start, end = period.bounds()
    rows = list(
        states.filter(started_at__lt=end, ended_at__gt=start)
        .order_by()
        .values_list(
            "agent_id", "agent_key", "unit_id", "state_class", "started_at", "ended_at"
        )
    )
    codes = {name: i for i, name in enumerate(STATE_CLASSES)}
    if rows:
        agent_id, agent_key, unit_id, classes, starts, ends = zip(*rows, strict=True)
    else:
        agent_id = agent_key = unit_id = classes = starts = ends = ()
    lo, hi = _wall(start), _wall(end)
    return StateColumns(
        agent_id=np.array([-1 if a is None else a for a in agent_id], dtype=np.int64),
        agent_key=np.array(agent_key, dtype=object),
        unit_id=np.array([-1 if u is None else u for u in unit_id], dtype=np.int64),
        state_class=np.array([codes[c] for c in classes], dtype=np.int64),
        start=np.clip(_wall_seconds(starts), lo, hi),
        end=np.clip(_wall_seconds(ends), lo, hi),
    )


def summarise(
    columns: StateColumns, *, by: Iterable[str] = (), interval_minutes: int = 30
) -> dict[tuple[Any, ...], OccupancySummary]:
    """Occupancy summaries per group of ``by`` keys (``GROUP_KEYS``).

    Keys are ``date`` for day, the hour (0–23), the ISO weekday (1 = Monday),
    the interval's start in minutes after midnight, the agent as two parts
    (agent id or None, source key) and the unit id (None when unknown).
    """
    keys = list(by)
    bad = [k for k in keys if k not in GROUP_KEYS]
    if bad:
        raise ValueError(f"occupancy cannot be grouped by {', '.join(bad)}")
    pieces = split_at_intervals(
        columns.start, columns.end, interval_minutes=interval_minutes
    )
    r = pieces.record
    agent = columns.agent[r]
    if not keys:
        [total] = occupancy_by_group(
            np.zeros(len(pieces), dtype=np.int64),
            1,
            columns.state_class[r],
            pieces.seconds,
            agent,
        )
        return {(): total}
    if not len(pieces):
        return {}
    t = pieces.interval_start
    day_number = t // 86400
    cols: list[npt.NDArray[Any]] = []
    for key in keys:
        if key == "day":
            cols.append(day_number)
        elif key == "hour":
            cols.append((t % 86400) // 3600)
        elif key == "weekday":
            cols.append((day_number + 3) % 7 + 1)  # 1970-01-01 was a Thursday
        elif key == "interval":
            cols.append((t % 86400) // 60)
        elif key == "agent":
            cols.append(columns.agent_id[r])
            cols.append(columns.agent_key[r].astype(str))
        else:
            cols.append(columns.unit_id[r])
    index, labels = group_index(*cols)
    summaries = occupancy_by_group(
        index, len(labels), columns.state_class[r], pieces.seconds, agent
    )
    out: dict[tuple[Any, ...], OccupancySummary] = {}
    for label, summary in zip(labels, summaries, strict=True):
        parts: list[Any] = []
        i = 0
        for key in keys:
            value = label[i]
            if key == "day":
                parts.append(
                    date.fromordinal(date(1970, 1, 1).toordinal() + int(value))
                )
            elif key == "agent":
                parts.append(None if int(value) < 0 else int(value))
                i += 1
                parts.append(str(label[i]))
            elif key == "unit":
                parts.append(None if int(value) < 0 else int(value))
            else:
                parts.append(int(value))
            i += 1
        out[tuple(parts)] = summary
    return out


def occupancy_json(s: OccupancySummary) -> dict[str, Any]:
    """Occupancy with its base, JSON-ready (seconds; shares in [0, 1])."""
    return {
        "occupancy": s.occupancy,
        "handling_seconds": s.handling_seconds,
        "available_seconds": s.available_seconds,
        "agents": s.agents,
        "talk_seconds": s.talk_seconds,
        "hold_seconds": s.hold_seconds,
        "after_call_work_seconds": s.after_call_work_seconds,
        "not_ready_seconds": s.not_ready_seconds,
        "logged_in_seconds": s.logged_in_seconds,
        "utilisation": s.utilisation,
    }


@dataclass(frozen=True, slots=True)
class AgentOccupancy:
    label: str
    agent_id: int | None
    agent_key: str
    summary: OccupancySummary

    @property
    def hours(self) -> dict[str, float]:
        """Logged-in, handling, available and not-ready time in hours."""
        s = self.summary
        return {
            "logged_in": s.logged_in_seconds / 3600,
            "handling": s.handling_seconds / 3600,
            "available": s.available_seconds / 3600,
            "not_ready": s.not_ready_seconds / 3600,
        }


@dataclass(frozen=True, slots=True)
class OccupancyReport:
    """What the operations page shows from agent states in one period."""

    records: int
    total: OccupancySummary
    by_interval: dict[int, OccupancySummary]  # minute of day → summed over days
    agents: tuple[AgentOccupancy, ...]

    def at(self, minute: int) -> OccupancySummary:
        return self.by_interval.get(minute, _EMPTY)

    @property
    def hours(self) -> dict[str, float]:
        """Handling and available time of the total, in hours (for the card)."""
        return {
            "handling": self.total.handling_seconds / 3600,
            "available": self.total.available_seconds / 3600,
        }


def occupancy_report(
    states: QuerySet[AgentStateInterval], *, period: Period, interval_minutes: int
) -> OccupancyReport | None:
    """Occupancy in total, per time-of-day interval and per agent; None without records."""
    columns = state_columns(states, period)
    if not len(columns):
        return None
    total = summarise(columns, interval_minutes=interval_minutes)[()]
    by_interval = {
        key[0]: s
        for key, s in summarise(
            columns, by=("interval",), interval_minutes=interval_minutes
        ).items()
    }
    by_agent = summarise(columns, by=("agent",), interval_minutes=interval_minutes)
    names = dict(
        Agent.objects.filter(
            pk__in=[k[0] for k in by_agent if k[0] is not None]
        ).values_list("pk", "name")
    )
    agents = sorted(
        (
            AgentOccupancy(
                names.get(agent_id, "") if agent_id is not None else agent_key,
                agent_id,
                agent_key,
                s,
            )
            for (agent_id, agent_key), s in by_agent.items()
        ),
        key=lambda a: (-(a.summary.occupancy or -1.0), a.label),
    )
    return OccupancyReport(
        records=len(columns),
        total=total,
        by_interval=by_interval,
        agents=tuple(a for a in agents if a.summary.logged_in_seconds > 0),
    )


def occupancy_context(
    user: User,
    *,
    unit: OrgUnit | None,
    period: Period,
    report: OperationsReport,
    every: int,
) -> dict[str, Any]:
    """The operations page's occupancy parts: total, per interval beside the
    staffing plan, per agent, and the planned-versus-measured chart.

    The unit filter applies; channel and queue filters do not (an agent's state
    belongs to no single channel or queue). Without records in scope and period,
    ``occupancy`` is None and the page shows how to load them.
    """
    states = agent_states_for_user(user)
    if unit is not None:
        states = states.filter(unit__path__startswith=unit.path)
    occupancy = occupancy_report(
        states, period=period, interval_minutes=report.settings.interval_minutes
    )
    if occupancy is None:
        return {
            "occupancy": None,
            "interval_rows": [(r, None, None) for r in report.intervals],
        }
    slot_seconds = report.settings.interval_minutes * 60 * report.days

    def staffed(o: OccupancySummary) -> float:
        # agents handling or available at any moment of the interval, on average
        # over the same days as the plan's arrivals (comparable with "Agents needed")
        return (o.handling_seconds + o.available_seconds) / slot_seconds

    labels = [r.label for r in report.intervals]
    chart = charts.chart(
        labels,
        [
            charts.Series(
                _("Planned (Erlang C)"),
                [
                    r.staffing.occupancy if r.staffing else None
                    for r in report.intervals
                ],
                colour=charts.COLOURS[0],
                kind="line",
            ),
            charts.Series(
                _("Measured (agent states)"),
                [occupancy.at(r.start_minute).occupancy for r in report.intervals],
                colour=charts.COLOURS[3],
                kind="line",
            ),
        ],
        title=_("Occupancy per interval: planned and measured"),
        percent=True,
        y_max=1.0,
        label_every=every,
    )
    return {
        "occupancy": occupancy,
        "interval_rows": [
            (r, occupancy.at(r.start_minute), staffed(occupancy.at(r.start_minute)))
            for r in report.intervals
        ],
        "occupancy_chart": chart,
    }


def occupancy_api(
    user: User,
    unit: int | None,
    period: Period,
    keys: Sequence[str],
    interval_minutes: int,
) -> dict[str, Any] | None:
    """The KPI API's ``occupancy``: total with its base and, when every key of
    ``keys`` is one agent states carry, the same ``groups`` keys as the queue KPIs
    (``interval`` as "HH:MM" summed over the days). None without records."""
    states = agent_states_for_user(user)
    if unit is not None:
        states = states.filter(
            unit__path__startswith=get_unit_for_user(user, unit).path
        )
    columns = state_columns(states, period)
    if not len(columns):
        return None
    out: dict[str, Any] = {
        "records": len(columns),
        **occupancy_json(summarise(columns, interval_minutes=interval_minutes)[()]),
    }
    if not keys:
        return out
    unsupported = [k for k in keys if k not in GROUP_KEYS]
    if unsupported:
        out["groups"] = None
        out["groups_note"] = (
            f"agent states carry no {', '.join(unsupported)}: occupancy is given "
            "only in total"
        )
        return out
    names: list[str] = []
    for k in keys:
        names += ["agent", "agent_key"] if k == "agent" else [k]
    groups = []
    for key, summary in summarise(
        columns, by=keys, interval_minutes=interval_minutes
    ).items():
        values = []
        for name, value in zip(names, key, strict=True):
            if name == "day":
                values.append(value.isoformat())
            elif name == "interval":
                values.append(f"{value // 60:02d}:{value % 60:02d}")
            else:
                values.append(value)
        groups.append(
            {"key": dict(zip(names, values, strict=True)), **occupancy_json(summary)}
        )
    groups.sort(key=lambda g: [str(v) for v in g["key"].values()])
    out["by"] = names
    out["groups"] = groups
    return out
