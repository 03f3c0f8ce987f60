"""JSON API of the interactions app: live events, KPIs, staffing and the satisfaction link.

Mounted under ``/api/v1/interactions``. Reads are scoped like every page: a
manager sees their subtree, an agent their own interactions, a user without a
role nothing; a unit, interaction or survey outside the scope is a 404.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.analytics.contact_centre import queue_kpis
from satisfy.interactions import queries
from satisfy.interactions.models import Interaction
from satisfy.interactions.occupancy import occupancy_api
from satisfy.interactions.operations import Settings, kpis_json, operations_report
from satisfy.interactions.satisfaction import satisfaction_link
from satisfy.interactions.services import (
    EventError,
    InteractionEvent,
    apply_interaction_event,
)
from satisfy.org.models import OrgUnit
from satisfy.org.queries import get_unit_for_user
from satisfy.surveys.queries import get_survey_for_user

router = Router(tags=["interactions"])


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _invalid(field: str, message: str, where: str = "body") -> ValidationError:
    return ValidationError(
        [{"loc": [where, field], "msg": message, "type": "value_error"}]
    )


# --- live events -----------------------------------------------------------


class EventIn(Schema):
    external_id: str = Field(min_length=1, max_length=100)
    event: str = Field(
        description="arrived, ivr_exited, queued, answered, ended or abandoned"
    )
    at: datetime
    channel: str | None = None
    queue: str | None = Field(default=None, max_length=50)
    unit_code: str | None = None
    agent_code: str | None = None
    customer_external_id: str | None = None
    customer_phone: str | None = None
    customer_email: str | None = None
    customer_key: str | None = Field(default=None, max_length=100)
    outcome: str | None = None
    wait_seconds: float | None = Field(default=None, ge=0)
    talk_seconds: float | None = Field(default=None, ge=0)
    hold_seconds: float | None = Field(default=None, ge=0)
    after_call_work_seconds: float | None = Field(default=None, ge=0)
    transfers: int | None = Field(default=None, ge=0, le=1000)
    is_escalated: bool | None = None
    reason_code: str | None = Field(default=None, max_length=50)
    is_resolved: bool | None = None


class InteractionOut(Schema):
    external_id: str
    channel: str
    queue: str
    outcome: str
    unit: str | None
    agent: str | None
    arrived_at: datetime
    ivr_exited_at: datetime | None
    queue_started_at: datetime | None
    answered_at: datetime | None
    ended_at: datetime | None
    wait_seconds: float | None
    talk_seconds: float | None
    hold_seconds: float | None
    after_call_work_seconds: float | None
    transfers: int | None
    is_escalated: bool | None
    is_resolved: bool | None
    reason_code: str


class DecisionOut(Schema):
    rule: int
    selected: bool
    reason: str
    invitation: int | None


class EventOut(Schema):
    interaction: InteractionOut
    decisions: list[DecisionOut]


def _interaction(i: Interaction) -> dict[str, Any]:
    return {
        "external_id": i.external_id,
        "channel": i.channel,
        "queue": i.queue,
        "outcome": i.outcome,
        "unit": i.unit.code if i.unit else None,
        "agent": i.agent.code if i.agent else (i.agent_key or None),
        **{
            name: getattr(i, name)
            for name in (
                "arrived_at",
                "ivr_exited_at",
                "queue_started_at",
                "answered_at",
                "ended_at",
                "wait_seconds",
                "talk_seconds",
                "hold_seconds",
                "after_call_work_seconds",
                "transfers",
                "is_escalated",
                "is_resolved",
                "reason_code",
            )
        },
    }


@router.post("/events", response=EventOut)
def interaction_event(request: HttpRequest, payload: EventIn) -> dict[str, Any]:
    """Record a live event; ``ended``/``abandoned`` also run the post-contact trigger."""
    scope = scope_for_user(_user(request))
    if not scope.can_manage_any:
        raise PermissionDenied("Only administrators may send interaction events.")
    if payload.unit_code:
        unit = OrgUnit.objects.filter(code=payload.unit_code).first()
        if unit is None or not scope.can_manage_unit_path(unit.path):
            raise _invalid("unit_code", "no such unit among those you administer")
    existing = Interaction.objects.filter(external_id=payload.external_id).first()
    if existing is not None and not (
        existing.unit is not None and scope.can_manage_unit_path(existing.unit.path)
    ):
        raise Http404("No such interaction.")
    try:
        # One transaction: an event that cannot be placed in the tree stores nothing.
        with transaction.atomic():
            interaction, decisions = apply_interaction_event(
                event=InteractionEvent(**payload.dict())
            )
            if interaction.unit is None or not scope.can_manage_unit_path(
                interaction.unit.path
            ):
                raise EventError("unit_code", "give unit_code or a known agent_code")
    except EventError as exc:
        raise _invalid(exc.field, str(exc)) from None
    return {
        "interaction": _interaction(interaction),
        "decisions": [
            {
                "rule": d.rule.pk,
                "selected": d.is_selected,
                "reason": d.reason,
                "invitation": d.invitation.pk if d.invitation else None,
            }
            for d in decisions
        ],
    }


# --- reads -----------------------------------------------------------------


class KpiQuery(Schema):
    start: date | None = None
    end: date | None = None
    by: str = Field(
        default="",
        description="comma-separated: day, hour, weekday, interval, queue, channel, unit, agent",
    )
    unit: int | None = None
    queue: str | None = None
    interval_minutes: int = 30
    answer_within_seconds: float = Field(default=20.0, ge=0)
    short_abandon_seconds: float | None = Field(default=None, ge=0)


def _scoped(user: User, unit: int | None, queue: str | None) -> queries.Selection:
    """The user's interactions, in a unit subtree and a queue when asked (404 for a
    unit outside the scope); the KPI rollups answer reads of such a selection."""
    unit_path = get_unit_for_user(user, unit).path if unit is not None else ""
    return queries.Selection.for_user(user, unit_path=unit_path, queue=queue or "")


def _period(
    rows: queries.Source, start: date | None, end: date | None
) -> queries.Period:
    if start is not None and end is not None:
        if end < start:
            raise _invalid("end", "end is before start", "query")
        return queries.Period(start, end)
    found = queries.data_range(rows)
    if found is None:
        today = start or end or date.today()  # noqa: DTZ011 - a calendar day only
        return queries.Period(today, today)
    return queries.Period(start or found.start, end or found.end)


def _label(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@router.get("/kpis")
def kpis(request: HttpRequest, params: Query[KpiQuery]) -> dict[str, Any]:
    """Queue KPIs (service level in every variant, ASA, abandonment, AHT) by group."""
    user = _user(request)
    if params.interval_minutes not in (15, 30, 60):
        raise _invalid("interval_minutes", "use 15, 30 or 60", "query")
    keys = [k.strip() for k in params.by.split(",") if k.strip()]
    allowed = {
        "day",
        "hour",
        "weekday",
        "interval",
        "queue",
        "channel",
        "unit",
        "agent",
    }
    bad = [k for k in keys if k not in allowed]
    if bad:
        raise _invalid(
            "by", f"unknown grouping {', '.join(bad)}; use {sorted(allowed)}", "query"
        )
    selected = _scoped(user, params.unit, params.queue)
    period = _period(selected, params.start, params.end)
    rows = selected.with_period(period)
    common: dict[str, Any] = {
        "answer_within_seconds": params.answer_within_seconds,
        "short_abandon_seconds": params.short_abandon_seconds,
    }
    sql_keys = [k for k in keys if k != "interval"]
    if "interval" in keys:
        fine = queries.queue_summaries(rows, by=(*sql_keys, "slot"), **common)
        merged: dict[tuple[Any, ...], Any] = {}
        for key, summary in fine.items():
            start = int(key[-1]) // params.interval_minutes * params.interval_minutes
            new = (*key[:-1], f"{start // 60:02d}:{start % 60:02d}")
            merged[new] = merged[new] + summary if new in merged else summary
        groups = merged
        names = [*(k if k != "agent" else "agent" for k in sql_keys), "interval"]
    else:
        groups = queries.queue_summaries(rows, by=tuple(sql_keys), **common)
        names = list(sql_keys)
    if "agent" in names:
        i = names.index("agent")
        names[i + 1 : i + 1] = ["agent_key"]
    total = queries.merge_summaries(groups.values(), **common)
    outcomes = queries.outcome_counts(rows)
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "answer_within_seconds": params.answer_within_seconds,
        "short_abandon_seconds": params.short_abandon_seconds,
        "outcomes": outcomes,
        "excluded": {
            "abandoned_ivr": outcomes.get(Interaction.Outcome.ABANDONED_IVR, 0),
            "callback": outcomes.get(Interaction.Outcome.CALLBACK, 0),
        },
        "total": kpis_json(queue_kpis(total)),
        "occupancy": occupancy_api(
            user, params.unit, period, keys, params.interval_minutes
        ),
        "by": names if keys else [],
        "groups": [
            {
                "key": {n: _label(v) for n, v in zip(names, key, strict=True)},
                **kpis_json(queue_kpis(summary)),
            }
            for key, summary in sorted(
                groups.items(), key=lambda kv: [str(x) for x in kv[0]]
            )
        ]
        if keys
        else [],
    }


class StaffingQuery(Schema):
    start: date | None = None
    end: date | None = None
    unit: int | None = None
    queue: str | None = None
    interval_minutes: int = 30
    answer_within_seconds: float = Field(default=20.0, ge=0)
    target_service_level: float = Field(default=0.8, gt=0, lt=1)
    max_occupancy: float | None = Field(default=0.85, gt=0, le=1)
    shrinkage: float = Field(default=0.3, ge=0, lt=1)


@router.get("/staffing")
def staffing(request: HttpRequest, params: Query[StaffingQuery]) -> dict[str, Any]:
    """Agents needed per interval of an average day, from arrivals and AHT (Erlang C)."""
    if params.interval_minutes not in (15, 30, 60):
        raise _invalid("interval_minutes", "use 15, 30 or 60", "query")
    rows = _scoped(_user(request), params.unit, params.queue)
    period = _period(rows, params.start, params.end)
    report = operations_report(
        rows,
        period=period,
        settings=Settings(
            interval_minutes=params.interval_minutes,
            answer_within_seconds=params.answer_within_seconds,
            target_service_level=params.target_service_level,
            max_occupancy=params.max_occupancy,
            shrinkage=params.shrinkage,
        ),
        with_resolution=False,
    )
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "days": report.days,
        "intervals": [
            {
                "start": r.label,
                "arrivals_per_day": r.arrivals_per_day,
                "aht_seconds": r.staffing.aht_seconds
                if r.staffing
                else r.kpis.aht_seconds,
                "agents": r.staffing.agents if r.staffing else None,
                "scheduled_agents": r.staffing.scheduled_agents if r.staffing else None,
                "binding": r.staffing.binding if r.staffing else None,
                "expected_service_level": r.staffing.service_level
                if r.staffing
                else None,
                "occupancy": r.staffing.occupancy if r.staffing else None,
            }
            for r in report.intervals
        ],
    }


class LinkQuery(Schema):
    survey: str | None = None
    start: date | None = None
    end: date | None = None


@router.get("/satisfaction-link")
def satisfaction(request: HttpRequest, params: Query[LinkQuery]) -> dict[str, Any]:
    """CSAT, NPS, CES and CSI by wait, transfers, resolution, channel, queue and hour."""
    user = _user(request)
    survey = get_survey_for_user(user, params.survey) if params.survey else None
    period = (
        queries.Period(params.start, params.end)
        if params.start is not None and params.end is not None
        else None
    )
    link = satisfaction_link(user, survey=survey, period=period)
    return {
        "survey": link.survey.slug if link.survey else None,
        "responses": link.n_responses,
        "headline": list(link.headline),
        "metrics": [
            {
                "metric": m.metric,
                "kind": m.kind,
                "n": m.n,
                "sentences": list(m.sentences),
                "effects": [
                    {
                        "lever": e.lever,
                        "baseline": e.baseline_value,
                        "exposed": e.exposed_value,
                        "baseline_n": e.baseline_n,
                        "exposed_n": e.exposed_n,
                        "difference": e.difference,
                        "ci_low": e.ci_low,
                        "ci_high": e.ci_high,
                        "method": e.method,
                        "is_distinguishable": e.is_distinguishable,
                    }
                    for e in m.effects
                ],
                "by": {
                    dim: [
                        {
                            "group": g.group,
                            "n": g.n,
                            "value": g.value,
                            "ci_low": g.ci_low,
                            "ci_high": g.ci_high,
                        }
                        for g in groups
                    ]
                    for dim, groups in m.by.items()
                },
            }
            for m in link.metrics
        ],
    }


@router.get("/{external_id}", response=InteractionOut)
def interaction_detail(request: HttpRequest, external_id: str) -> dict[str, Any]:
    """One interaction the user may see (404 otherwise)."""
    return _interaction(queries.get_interaction_for_user(_user(request), external_id))
