"""Reads of the interactions app: scoped interactions and the KPI summaries behind them.

Every read starts from :func:`interactions_for_user` (a queryset) or a
:class:`Selection` (the same scope and filters, as data). Queue KPIs come from one
aggregate query per grouping: SQL adds up the counts and sums of the library's
mergeable ``QueueSummary`` (``COUNT … FILTER``, ``SUM``), and
``satisfy.analytics.contact_centre.queue_kpis`` turns each summary into the
reported figures, so a page, the API and ``satisfy kpi`` on the same file agree.
Given a ``Selection``, :func:`queue_summaries` and :func:`outcome_counts` read the
interaction rollups (``satisfy.interactions.rollups``) when they can answer, and the
raw rows otherwise, with the same result. Repeat contacts and ACR count the stored
gap to each customer's next contact (``next_contacts``) in one aggregate query; the
satisfaction link hands plain columns to the library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeAlias

from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateField,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractHour,
    ExtractIsoWeekDay,
    ExtractMinute,
    Round,
    TruncDate,
)
from django.http import Http404
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.accounts.queries import Scope, scope_for_user
from satisfy.analytics.contact_centre import (
    AgentResolution,
    QueueSummary,
    RepeatContactResult,
)
from satisfy.analytics.contact_centre._common import ratio, wilson
from satisfy.interactions.models import Interaction

Outcome = Interaction.Outcome
QUEUE_OUTCOMES = (Outcome.ANSWERED, Outcome.ABANDONED_QUEUE)
#: Grouping keys of :func:`queue_summaries`. ``slot`` is the start (minutes since
#: midnight) of the 15-minute slot an interaction arrived in.
GROUP_KEYS = (
    "day",
    "hour",
    "minute",
    "slot",
    "weekday",
    "queue",
    "channel",
    "unit",
    "agent",
)


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of days in the current time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


def interactions_for_user(user: User) -> QuerySet[Interaction]:
    """Interactions whose unit is in the user's subtrees, or their own as an agent."""
    scope = scope_for_user(user)
    if scope.sees_nothing:
        return Interaction.objects.none()
    return Interaction.objects.filter(
        scope.results_q(unit_path_field="unit__path", agent_field="agent_id")
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """Which interactions a report reads, as data rather than as a queryset.

    ``scope`` (None: every interaction, for commands and benchmarks), an optional
    ``period`` of local days, a unit subtree, a queue and a channel. The filter of
    :meth:`q` names fields that both ``Interaction`` and the rollup tables have
    (``unit__path``, ``agent_id``, ``queue``, ``channel``), so the rollups can
    answer exactly what the raw rows would.
    """

    scope: Scope | None = None
    period: Period | None = None
    unit_path: str = ""
    queue: str = ""
    channel: str = ""

    @classmethod
    def for_user(cls, user: User, **filters: Any) -> Selection:
        return cls(scope=scope_for_user(user), **filters)

    @property
    def sees_nothing(self) -> bool:
        return self.scope is not None and self.scope.sees_nothing

    @property
    def needs_agent(self) -> bool:
        """True when the scope includes an agent's own interactions (agent_id)."""
        return self.scope is not None and bool(self.scope.agent_ids)

    def with_period(self, period: Period | None) -> Selection:
        return Selection(self.scope, period, self.unit_path, self.queue, self.channel)

    def q(self) -> Q:
        """The filter (without the period) on fields of interactions and rollups."""
        if self.sees_nothing:
            return Q(pk__in=[])
        q = Q()
        if self.scope is not None:
            q &= self.scope.results_q(
                unit_path_field="unit__path", agent_field="agent_id"
            )
        if self.unit_path:
            q &= Q(unit__path__startswith=self.unit_path)
        if self.queue:
            q &= Q(queue=self.queue)
        if self.channel:
            q &= Q(channel=self.channel)
        return q

    def interactions(self) -> QuerySet[Interaction]:
        """The raw interactions selected (in the period, when there is one)."""
        if self.sees_nothing:
            return Interaction.objects.none()
        rows = Interaction.objects.filter(self.q())
        return in_period(rows, self.period) if self.period is not None else rows


Source: TypeAlias = "QuerySet[Interaction] | Selection"


def _raw(interactions: Source) -> QuerySet[Interaction]:
    return (
        interactions.interactions()
        if isinstance(interactions, Selection)
        else interactions
    )


def get_interaction_for_user(user: User, external_id: str) -> Interaction:
    """One interaction, or 404 when it does not exist or is outside the scope."""
    found = (
        interactions_for_user(user)
        .select_related("unit", "agent", "customer")
        .filter(external_id=external_id)
        .first()
    )
    if found is None:
        raise Http404("No such interaction.")
    return found


def in_period(
    interactions: QuerySet[Interaction], period: Period
) -> QuerySet[Interaction]:
    """Interactions that arrived within the period."""
    start, end = period.bounds()
    return interactions.filter(arrived_at__gte=start, arrived_at__lt=end)


def data_range(interactions: Source) -> Period | None:
    """The first and last day with an interaction (current time zone), or None."""
    found = _raw(interactions).aggregate(
        first=Min("arrived_at"), last=Max("arrived_at")
    )
    if found["first"] is None:
        return None
    tz = timezone.get_current_timezone()
    return Period(
        timezone.localtime(found["first"], tz).date(),
        timezone.localtime(found["last"], tz).date(),
    )


class EpochSeconds(Func):
    """Seconds since 1970-01-01 UTC of a datetime column, as a float, in SQL.

    Reading a million datetimes into Python costs seconds; their epochs cost little.
    """

    output_field = FloatField()

    template = "EXTRACT(EPOCH FROM %(expressions)s)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM %(expressions)s)::double precision",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)",
            **extra,
        )


def _sqlite_utc() -> bool:
    return (
        connection.vendor == "sqlite" and timezone.get_current_timezone_name() == "UTC"
    )


def _key_expression(key: str) -> Any:
    # On SQLite, Django's date functions call back into Python for every row; with
    # UTC (how SQLite stores datetimes) SQLite's own functions give the same values.
    fast = _sqlite_utc()
    if key == "day":
        if fast:
            return Func(F("arrived_at"), function="date", output_field=DateField())
        return TruncDate("arrived_at")
    if key in ("hour", "minute"):
        if fast:
            return Cast(
                Func(
                    Value("%H" if key == "hour" else "%M"),
                    F("arrived_at"),
                    function="strftime",
                    output_field=CharField(),
                ),
                IntegerField(),
            )
        return (
            ExtractHour("arrived_at") if key == "hour" else ExtractMinute("arrived_at")
        )
    if key == "slot":
        hour = Cast(_key_expression("hour"), IntegerField())
        minute = Cast(_key_expression("minute"), IntegerField())
        return (hour * Value(60) + minute) / Value(15) * Value(15)
    if key == "weekday":
        return ExtractIsoWeekDay("arrived_at")
    if key == "unit":
        return F("unit_id")
    if key == "agent":
        return F("agent_id")
    return F(key)


def milliseconds(expression: Any) -> Any:
    """A duration in seconds as whole milliseconds, in SQL (for exact sums).

    Summing floats gives results that depend on the order of the rows; summing
    rounded integers does not, so every grouping and the rollups agree exactly.
    """
    return Cast(Round(expression * Value(1000.0)), BigIntegerField())


def handle_expression() -> Any:
    """Talk + hold + after-call work, NULLs as 0, in SQL."""
    zero = Value(0.0)
    return (
        Coalesce("talk_seconds", zero, output_field=FloatField())
        + Coalesce("hold_seconds", zero, output_field=FloatField())
        + Coalesce("after_call_work_seconds", zero, output_field=FloatField())
    )


def queue_summaries(
    interactions: Source,
    *,
    by: Sequence[str] = (),
    answer_within_seconds: float = 20.0,
    short_abandon_seconds: float | None = None,
    use_rollups: bool = True,
) -> dict[tuple[Any, ...], QueueSummary]:
    """One ``QueueSummary`` per group of offered interactions, from one SQL query.

    Given a :class:`Selection`, the interaction rollups answer when they can (see
    ``rollups.rollup_summaries``: thresholds among the kept ones, no ``minute``
    grouping, …) and the raw rows otherwise; both give the same summaries.
    Only answered and abandoned-in-queue interactions are offered calls (IVR
    abandons and callbacks are left out; count them with :func:`outcome_counts`).
    Grouping by ``agent`` adds the source's ``agent_key`` to the key:
    ``(agent_id, agent_key)``. The fields match ``summarise_queue_by_group`` on the
    same calls: a NULL wait counts as 0; NULL talk, hold or after-call work as 0
    in the handling time; NULL transfers or escalation are outside those bases.
    Wait and handling sums are added in whole milliseconds (exact in any order).
    """
    for key in by:
        if key not in GROUP_KEYS:
            raise ValueError(f"unknown grouping {key!r}; use some of {GROUP_KEYS}")
    if isinstance(interactions, Selection):
        if use_rollups:
            from satisfy.interactions.rollups import rollup_summaries

            rolled = rollup_summaries(
                interactions,
                by=by,
                answer_within_seconds=answer_within_seconds,
                short_abandon_seconds=short_abandon_seconds,
            )
            if rolled is not None:
                return rolled
        interactions = interactions.interactions()
    t = float(answer_within_seconds)
    wait = Coalesce("wait_seconds", Value(0.0), output_field=FloatField())
    handle = handle_expression()
    rows = interactions.filter(outcome__in=QUEUE_OUTCOMES).annotate(_w=wait)
    names: list[str] = []
    for key in by:
        name = f"k_{key}"
        rows = rows.annotate(**{name: _key_expression(key)})
        names.append(name)
        if key == "agent":
            names.append("agent_key")
    answered = Q(outcome=Outcome.ANSWERED)
    abandoned = Q(outcome=Outcome.ABANDONED_QUEUE)
    if short_abandon_seconds is not None:
        short = abandoned & Q(_w__lte=float(short_abandon_seconds))
        abandoned &= Q(_w__gt=float(short_abandon_seconds))
    else:
        short = Q(pk__in=[])
    aggregates: dict[str, Any] = {
        "answered": Count("pk", filter=answered),
        "abandoned": Count("pk", filter=abandoned),
        "short": Count("pk", filter=short)
        if short_abandon_seconds is not None
        else Value(0),
        "answered_within": Count("pk", filter=answered & Q(_w__lte=t)),
        "abandoned_within": Count("pk", filter=abandoned & Q(_w__lte=t)),
        "wait_answered": Sum(milliseconds(F("_w")), filter=answered),
        "wait_abandoned": Sum(milliseconds(F("_w")), filter=abandoned),
        "handle": Sum(milliseconds(handle), filter=answered),
        "talk_known": Count("talk_seconds"),
        "hold_known": Count("hold_seconds"),
        "acw_known": Count("after_call_work_seconds"),
        "transfer_base": Count("pk", filter=answered & Q(transfers__isnull=False)),
        "transferred": Count("pk", filter=answered & Q(transfers__gt=0)),
        "escalation_base": Count("pk", filter=answered & Q(is_escalated__isnull=False)),
        "escalated": Count("pk", filter=answered & Q(is_escalated=True)),
    }
    if names:
        found = list(rows.values(*names).annotate(**aggregates).order_by())
    else:
        # values() without fields would group by every column: one row per call
        total = rows.aggregate(
            **{k: v for k, v in aggregates.items() if not isinstance(v, Value)}
        )
        total.setdefault("short", 0)
        found = (
            [total] if total["answered"] + total["abandoned"] + total["short"] else []
        )
    present = tuple(
        component
        for component, column in (
            ("talk", "talk_known"),
            ("hold", "hold_known"),
            ("after_call_work", "acw_known"),
        )
        if any(r[column] for r in found)
    )
    out: dict[tuple[Any, ...], QueueSummary] = {}
    for r in found:
        out[tuple(r[name] for name in names)] = QueueSummary(
            answer_within_seconds=t,
            short_abandon_seconds=short_abandon_seconds,
            offered=r["answered"] + r["abandoned"],
            answered=r["answered"],
            abandoned=r["abandoned"],
            short_abandons=int(r["short"]),
            answered_within=r["answered_within"],
            abandoned_within=r["abandoned_within"],
            wait_seconds_answered_sum=int(r["wait_answered"] or 0) / 1000.0,
            wait_seconds_abandoned_sum=int(r["wait_abandoned"] or 0) / 1000.0,
            handled=r["answered"] if present else 0,
            handle_seconds_sum=int(r["handle"] or 0) / 1000.0 if present else 0.0,
            aht_components=present,
            transfer_base=r["transfer_base"],
            transferred=r["transferred"],
            escalation_base=r["escalation_base"],
            escalated=r["escalated"],
        )
    return out


def merge_summaries(
    summaries: Iterable[QueueSummary],
    *,
    answer_within_seconds: float,
    short_abandon_seconds: float | None = None,
) -> QueueSummary:
    """Add summaries up (an empty summary when there are none)."""
    total = QueueSummary(
        answer_within_seconds=float(answer_within_seconds),
        short_abandon_seconds=short_abandon_seconds,
    )
    for s in summaries:
        total = total + s
    return total


def interval_summaries(
    interactions: Source,
    *,
    interval_minutes: int = 30,
    by_day: bool = False,
    answer_within_seconds: float = 20.0,
    short_abandon_seconds: float | None = None,
    use_rollups: bool = True,
) -> dict[tuple[Any, ...], QueueSummary]:
    """Summaries per time-of-day interval (minutes since midnight), optionally per day.

    Keys are ``(start_minute,)`` or ``(day, start_minute)``; 15-minute groups from
    SQL (or the rollups) are merged here, which works the same on every database.
    """
    if interval_minutes not in (15, 30, 60):
        raise ValueError(
            f"interval_minutes must be 15, 30 or 60, got {interval_minutes!r}"
        )
    by = ("day", "slot") if by_day else ("slot",)
    fine = queue_summaries(
        interactions,
        by=by,
        answer_within_seconds=answer_within_seconds,
        short_abandon_seconds=short_abandon_seconds,
        use_rollups=use_rollups,
    )
    out: dict[tuple[Any, ...], QueueSummary] = {}
    for fine_key, summary in fine.items():
        start = int(fine_key[-1]) // interval_minutes * interval_minutes
        new_key = (fine_key[0], start) if by_day else (start,)
        out[new_key] = out[new_key] + summary if new_key in out else summary
    return dict(sorted(out.items()))


def outcome_counts(interactions: Source, *, use_rollups: bool = True) -> dict[str, int]:
    """Interactions per outcome (IVR abandons and callbacks included).

    A :class:`Selection` is counted from the rollups when they can answer.
    """
    if isinstance(interactions, Selection):
        if use_rollups:
            from satisfy.interactions.rollups import rollup_outcome_counts

            counted = rollup_outcome_counts(interactions)
            if counted is not None:
                return counted
        interactions = interactions.interactions()
    rows = interactions.values("outcome").annotate(n=Count("pk")).order_by()
    return {r["outcome"]: r["n"] for r in rows}


@dataclass(frozen=True, slots=True)
class ResolutionReport:
    """Repeat-contact FCR of answered interactions and ACR per agent."""

    repeat: RepeatContactResult
    agents: tuple[AgentResolution, ...]
    flagged_resolved: int
    flagged_known: int


#: Significance level of the FCR and ACR intervals (the library's default).
_ALPHA = 0.05


def resolution_report(
    interactions: Source,
    *,
    period: Period,
    window_days: float = 7.0,
) -> ResolutionReport:
    """FCR by the repeat-contact method and ACR per agent for one period.

    One aggregate query over the selected answered contacts of the period, grouped
    by agent, on the stored gap to the customer's next contact
    (``Interaction.next_contact_seconds``, see ``next_contacts``): the next contact
    is any stored one of the same identified customer, in or out of the selection
    (any channel, queue, unit or agent), as docs/metrics.md defines repeats. The
    base is the answered contacts of the period whose whole window is observed:
    ``arrival + window <= data end``, the data end being the earlier of the last
    stored arrival and the period's end + ``window_days`` (so the last
    ``window_days`` of data have no FCR yet). A repeat is a gap ``<= window``, the
    library's rule (``repeat_contact_flags``); the figures equal the library's
    ``repeat_contacts`` and ``active_contact_resolution`` on every stored contact.
    """
    if window_days <= 0:  # as the library says
        raise ValueError(f"window_days must be positive, got {window_days!r}.")
    source = _raw(
        interactions.with_period(None)
        if isinstance(interactions, Selection)
        else interactions
    )
    start, end = period.bounds()
    window = window_days * 86_400.0
    last = Interaction.objects.aggregate(last=Max("arrived_at"))["last"]
    groups: list[dict[str, Any]] = []
    if last is not None:
        data_end = min(
            last.timestamp(), (end + timedelta(days=window_days)).timestamp()
        )
        identified = ~Q(customer_key="") | Q(customer_id__isnull=False)
        repeat = identified & Q(next_contact_seconds__lte=window)
        # The epochs of the former Python path (EpochSeconds), compared as floats
        # the same way, so a contact on a boundary falls on the same side (SQLite's
        # epochs can be off by microseconds: hence the extra second read).
        base = (
            source.filter(
                outcome=Outcome.ANSWERED,
                arrived_at__gte=start,
                arrived_at__lt=end + timedelta(seconds=1),
            )
            .annotate(_epoch=EpochSeconds("arrived_at"))
            .annotate(_until=F("_epoch") + Value(window, output_field=FloatField()))
            .filter(_epoch__lt=end.timestamp(), _until__lte=data_end)
        )
        groups = [
            dict(group)
            for group in base.values("agent_id", "agent_key")
            .annotate(
                contacts=Count("pk"),
                evaluable=Count("pk", filter=identified),
                repeats=Count("pk", filter=repeat),
                flagged_known=Count("is_resolved"),
                flagged_resolved=Count("pk", filter=Q(is_resolved=True)),
            )
            .order_by()
        ]
    contacts = sum(g["contacts"] for g in groups)
    evaluable = sum(g["evaluable"] for g in groups)
    repeats = sum(g["repeats"] for g in groups)
    repeat_rate = ratio(repeats, evaluable)
    low, high = (
        wilson(evaluable - repeats, evaluable, _ALPHA) if evaluable else (None, None)
    )
    result = RepeatContactResult(
        window_days=window_days,
        contacts=contacts,
        unidentified=contacts - evaluable,
        censored=0,  # contacts whose window is not observed are outside the base
        evaluable=evaluable,
        repeats=repeats,
        repeat_rate=repeat_rate,
        fcr_rate=None if repeat_rate is None else 1.0 - repeat_rate,
        fcr_ci_low=low,
        fcr_ci_high=high,
        method="wilson",
    )
    # One row per agent label, the key operations.py looks up: the source's agent
    # key, else "agent:<id>"; contacts with neither have no agent.
    per_agent: dict[str, list[int]] = {}
    for g in groups:
        label = g["agent_key"] or (
            f"agent:{g['agent_id']}" if g["agent_id"] is not None else ""
        )
        if label:
            counts = per_agent.setdefault(label, [0, 0, 0])
            counts[0] += g["contacts"]
            counts[1] += g["evaluable"]
            counts[2] += g["evaluable"] - g["repeats"]
    agents = []
    for label in sorted(per_agent):
        handled, agent_evaluable, resolved = per_agent[label]
        a_low, a_high = (
            wilson(resolved, agent_evaluable, _ALPHA)
            if agent_evaluable
            else (None, None)
        )
        agents.append(
            AgentResolution(
                agent=label,
                handled=handled,
                evaluable=agent_evaluable,
                resolved=resolved,
                rate=ratio(resolved, agent_evaluable),
                ci_low=a_low,
                ci_high=a_high,
            )
        )
    return ResolutionReport(
        result,
        tuple(agents),
        sum(g["flagged_resolved"] for g in groups),
        sum(g["flagged_known"] for g in groups),
    )


__all__ = [
    "GROUP_KEYS",
    "QUEUE_OUTCOMES",
    "Period",
    "ResolutionReport",
    "Selection",
    "Source",
    "data_range",
    "get_interaction_for_user",
    "in_period",
    "interactions_for_user",
    "interval_summaries",
    "merge_summaries",
    "outcome_counts",
    "queue_summaries",
    "resolution_report",
]
