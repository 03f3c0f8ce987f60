"""The operations report: what the dashboard and the KPI API show, computed once.

Scoped interactions (a ``queries.Selection``: the KPI rollups answer; or a queryset:
the raw rows) → SQL summaries (``queries``) → the library's ``queue_kpis``,
``staffing_by_interval`` and repeat-contact functions → plain rows for a template
or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from satisfy.analytics.contact_centre import (
    AgentResolution,
    QueueKpis,
    QueueSummary,
    queue_kpis,
)
from satisfy.analytics.staffing import StaffingResult, staffing_by_interval
from satisfy.interactions import queries
from satisfy.interactions.models import Interaction
from satisfy.interactions.queries import Period
from satisfy.org.models import Agent, OrgUnit

SERVICE_LEVEL_VARIANT = "abandoned_as_missed"


@dataclass(frozen=True, slots=True)
class Settings:
    """The knobs of the report (defaults: 80 % in 20 s, half-hour intervals)."""

    interval_minutes: int = 30
    answer_within_seconds: float = 20.0
    short_abandon_seconds: float | None = None
    target_service_level: float = 0.8
    max_occupancy: float | None = 0.85
    shrinkage: float = 0.3
    fcr_window_days: float = 7.0


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a KPI table: its label, key and the library's KPIs."""

    label: str
    key: dict[str, Any]
    kpis: QueueKpis
    resolution: AgentResolution | None = None

    @property
    def service_level(self) -> float | None:
        return self.kpis.service_level.variant(SERVICE_LEVEL_VARIANT).value


@dataclass(frozen=True, slots=True)
class IntervalRow:
    """One time-of-day interval: average arrivals per day, KPIs and staffing."""

    start_minute: int
    label: str
    arrivals_per_day: float
    kpis: QueueKpis
    staffing: StaffingResult | None

    @property
    def service_level(self) -> float | None:
        return self.kpis.service_level.variant(SERVICE_LEVEL_VARIANT).value


@dataclass(frozen=True, slots=True)
class OperationsReport:
    period: Period
    days: int
    settings: Settings
    total: QueueKpis
    outcomes: dict[str, int]
    intervals: tuple[IntervalRow, ...]
    days_rows: tuple[Row, ...]
    queues: tuple[Row, ...]
    agents: tuple[Row, ...]
    units: tuple[Row, ...]
    resolution: queries.ResolutionReport | None
    excluded: dict[str, int] = field(default_factory=dict)


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _rows(
    summaries: dict[tuple[Any, ...], QueueSummary],
    keys: tuple[str, ...],
    labels: dict[Any, str] | None = None,
) -> tuple[Row, ...]:
    rows = []
    for key, summary in summaries.items():
        label = " · ".join(
            (labels or {}).get(k, str(k)) if k not in (None, "") else "—" for k in key
        )
        rows.append(Row(label, dict(zip(keys, key, strict=False)), queue_kpis(summary)))
    return tuple(rows)


def operations_report(
    interactions: queries.Source,
    *,
    period: Period,
    settings: Settings | None = None,
    with_resolution: bool = True,
) -> OperationsReport:
    """Everything the operations dashboard shows for interactions in one period.

    Given a ``queries.Selection`` the queue figures come from the KPI rollups
    whenever they can answer (see ``rollups``); FCR and ACR read the raw rows.
    """
    s = settings or Settings()
    common: dict[str, Any] = {
        "answer_within_seconds": s.answer_within_seconds,
        "short_abandon_seconds": s.short_abandon_seconds,
    }
    rows: queries.Source = (
        interactions.with_period(period)
        if isinstance(interactions, queries.Selection)
        else queries.in_period(interactions, period)
    )
    by_day = queries.queue_summaries(rows, by=("day",), **common)
    total_summary = queries.merge_summaries(by_day.values(), **common)
    total = queue_kpis(total_summary)
    days = max(1, len(by_day)) if by_day else period.days
    found = queries.interval_summaries(
        rows, interval_minutes=s.interval_minutes, **common
    )
    # Every interval from the first to the last with calls, quiet ones as zeros, so
    # the charts keep a regular time axis.
    intervals: dict[tuple[Any, ...], QueueSummary] = {}
    if found:
        first, last = min(found)[0], max(found)[0]
        for start in range(first, last + 1, s.interval_minutes):
            intervals[(start,)] = found.get(
                (start,), queries.merge_summaries([], **common)
            )
    overall_aht = total.aht_seconds
    calls, ahts, starts = [], [], []
    for (start,), summary in intervals.items():
        k = queue_kpis(summary)
        calls.append(summary.offered / days)
        ahts.append(k.aht_seconds or overall_aht or 0.0)
        starts.append((start, k))
    plan: tuple[StaffingResult, ...] | None = None
    if calls and overall_aht:
        plan = staffing_by_interval(
            calls,
            interval_seconds=s.interval_minutes * 60,
            aht_seconds=[a or overall_aht for a in ahts],
            target_service_level=s.target_service_level,
            answer_within_seconds=s.answer_within_seconds,
            max_occupancy=s.max_occupancy,
            shrinkage=s.shrinkage,
        )
    interval_rows = tuple(
        IntervalRow(
            start,
            clock(start),
            calls[i],
            k,
            plan[i] if plan is not None else None,
        )
        for i, (start, k) in enumerate(starts)
    )
    by_queue = queries.queue_summaries(rows, by=("queue",), **common)
    by_agent = queries.queue_summaries(rows, by=("agent",), **common)
    by_unit = queries.queue_summaries(rows, by=("unit",), **common)
    agent_names = dict(
        Agent.objects.filter(
            pk__in=[k[0] for k in by_agent if k[0] is not None]
        ).values_list("pk", "name")
    )
    unit_names = dict(
        OrgUnit.objects.filter(
            pk__in=[k[0] for k in by_unit if k[0] is not None]
        ).values_list("pk", "name")
    )
    resolution = (
        queries.resolution_report(
            interactions, period=period, window_days=s.fcr_window_days
        )
        if with_resolution
        else None
    )
    acr = {a.agent: a for a in resolution.agents} if resolution is not None else {}
    agent_rows = []
    for (agent_id, agent_key), summary in sorted(
        by_agent.items(), key=lambda kv: -kv[1].answered
    ):
        if agent_id is None and not agent_key:
            continue  # abandoned calls have no agent
        label = agent_names.get(agent_id, "") if agent_id is not None else agent_key
        # the key resolution_report gives each agent
        acr_key = agent_key or (f"agent:{agent_id}" if agent_id is not None else "")
        agent_rows.append(
            Row(
                label or str(agent_key),
                {"agent": agent_id, "agent_key": agent_key},
                queue_kpis(summary),
                acr.get(acr_key),
            )
        )
    outcomes = queries.outcome_counts(rows)
    return OperationsReport(
        period=period,
        days=days,
        settings=s,
        total=total,
        outcomes=outcomes,
        intervals=interval_rows,
        days_rows=_rows(dict(sorted(by_day.items())), ("day",)),
        queues=_rows(
            dict(sorted(by_queue.items(), key=lambda kv: -kv[1].offered)), ("queue",)
        ),
        agents=tuple(agent_rows),
        units=_rows(
            dict(sorted(by_unit.items(), key=lambda kv: -kv[1].offered)),
            ("unit",),
            dict(unit_names),
        ),
        resolution=resolution,
        excluded={
            "abandoned_ivr": outcomes.get(Interaction.Outcome.ABANDONED_IVR, 0),
            "callback": outcomes.get(Interaction.Outcome.CALLBACK, 0),
            "short_abandon": total_summary.short_abandons,
        },
    )


def kpis_json(k: QueueKpis) -> dict[str, Any]:
    """The KPIs of one group as JSON-ready values (shares in [0, 1], seconds)."""
    sl = k.service_level
    return {
        "offered": k.offered,
        "answered": k.answered,
        "abandoned": k.abandoned,
        "short_abandons": k.short_abandons,
        "service_level": {v.name: v.value for v in sl.variants},
        "service_level_intervals": {v.name: [v.ci_low, v.ci_high] for v in sl.variants},
        "answered_within": sl.answered_within,
        "abandoned_within": sl.abandoned_within,
        "asa_seconds": k.asa_seconds,
        "average_wait_seconds": k.average_wait_seconds,
        "average_time_to_abandon_seconds": k.average_time_to_abandon_seconds,
        "abandonment_rate": k.abandonment_rate,
        "answer_rate": k.answer_rate,
        "aht_seconds": k.aht_seconds,
        "aht_components": list(k.aht_components),
        "handled": k.handled,
        "transfer_rate": k.transfer_rate,
        "escalation_rate": k.escalation_rate,
    }


def default_period(interactions: queries.Source, days: int = 28) -> Period:
    """The last ``days`` days with data in scope (today when there is none)."""
    found = queries.data_range(interactions)
    if found is None:
        today = timezone.localdate()
        return Period(today, today)
    start = max(found.start, date.fromordinal(found.end.toordinal() - days + 1))
    return Period(start, found.end)
