"""Interaction rollups: additive KPI counts per local day, so year-long reads stay fast.

Two tables (``models.InteractionRollup``, ``models.InteractionAgentRollup``) hold,
per local day × 15-minute slot × channel × queue × unit, and per local day × channel ×
queue × unit × agent, the counts and sums from which every field of the library's
``QueueSummary`` is rebuilt exactly for a service-level threshold in
``ROLLUP_ANSWER_WITHIN`` and a short-abandon threshold in ``ROLLUP_SHORT_ABANDON``
(or none): see :func:`rollup_summaries`. Anything else (another threshold, grouping
by minute, the agent grain with a time-of-day grouping) is read from the raw rows
by ``queries.queue_summaries``, with the same result.

Keeping them current, the pattern of ``satisfy.reports.rollups``:

* an import rebuilds the local days it touched, inside its own transaction
  (:func:`rebuild_days`: ``DELETE`` the days, then ``INSERT … SELECT … GROUP BY``);
* a live event, or any other single write, inserts a ``PendingInteractionDay`` row
  in its transaction (:func:`mark_changed`); :func:`fold_pending_days` rebuilds the
  days of a batch of pending rows and deletes exactly those rows, before every
  rollup read and once a minute in the job worker;
* ``satisfy rebuild_interaction_rollups`` rebuilds everything (:func:`rebuild_all`).

Days and slots follow ``settings.TIME_ZONE`` (the convention of ``queries.Period``
and ``queries._key_expression``). Reads use the rollups only while the current time
zone is that one; after changing ``TIME_ZONE`` run the rebuild command.

Wait and handling sums are kept in whole milliseconds, and the raw query sums the
same rounded values (``queries.milliseconds``): integer sums are exact in any order,
so both paths give identical summaries whatever the durations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FloatField,
    Max,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from satisfy.analytics.contact_centre import QueueSummary
from satisfy.interactions.models import (
    ROLLUP_ANSWER_WITHIN,
    ROLLUP_SHORT_ABANDON,
    Interaction,
    InteractionAgentRollup,
    InteractionCounts,
    InteractionRollup,
    PendingInteractionDay,
)
from satisfy.interactions.queries import (
    Period,
    Selection,
    _key_expression,
    handle_expression,
    milliseconds,
)

Outcome = Interaction.Outcome
#: Groupings the rollups answer (``hour`` and ``weekday`` are derived from the
#: slot and the day).
ROLLUP_KEYS = frozenset(
    {"day", "slot", "hour", "weekday", "queue", "channel", "unit", "agent"}
)
_TIME_OF_DAY = frozenset({"slot", "hour"})
MODELS: tuple[type[InteractionCounts], ...] = (
    InteractionRollup,
    InteractionAgentRollup,
)


# ------------------------------------------------------------------------- building


def _count_aggregates() -> dict[str, Any]:
    """The SQL of every counts column over raw interactions (NULL wait = 0)."""
    wait = F("_w")
    answered = Q(outcome=Outcome.ANSWERED)
    abandoned = Q(outcome=Outcome.ABANDONED_QUEUE)
    in_queue = Q(outcome__in=(Outcome.ANSWERED, Outcome.ABANDONED_QUEUE))

    def total(expression: Any, condition: Q) -> Any:
        return Coalesce(
            Sum(milliseconds(expression), filter=condition),
            Value(0),
            output_field=BigIntegerField(),
        )

    handle = handle_expression()
    out: dict[str, Any] = {
        "answered": Count("pk", filter=answered),
        "abandoned": Count("pk", filter=abandoned),
        "abandoned_ivr": Count("pk", filter=Q(outcome=Outcome.ABANDONED_IVR)),
        "callbacks": Count("pk", filter=Q(outcome=Outcome.CALLBACK)),
    }
    for t in ROLLUP_ANSWER_WITHIN:
        out[f"answered_within_{t}"] = Count("pk", filter=answered & Q(_w__lte=float(t)))
    for t in ROLLUP_ANSWER_WITHIN:
        out[f"abandoned_within_{t}"] = Count(
            "pk", filter=abandoned & Q(_w__lte=float(t))
        )
    for s in ROLLUP_SHORT_ABANDON:
        out[f"short_abandons_{s}"] = Count("pk", filter=abandoned & Q(_w__lte=float(s)))
    for s in ROLLUP_SHORT_ABANDON:
        out[f"short_abandon_wait_ms_{s}"] = total(wait, abandoned & Q(_w__lte=float(s)))
    out.update(
        {
            "wait_answered_ms": total(wait, answered),
            "wait_abandoned_ms": total(wait, abandoned),
            "handle_ms": total(handle, answered),
            "talk_known": Count("talk_seconds", filter=in_queue),
            "hold_known": Count("hold_seconds", filter=in_queue),
            "acw_known": Count("after_call_work_seconds", filter=in_queue),
            "transfer_base": Count("pk", filter=answered & Q(transfers__isnull=False)),
            "transferred": Count("pk", filter=answered & Q(transfers__gt=0)),
            "escalation_base": Count(
                "pk", filter=answered & Q(is_escalated__isnull=False)
            ),
            "escalated": Count("pk", filter=answered & Q(is_escalated=True)),
        }
    )
    return out


#: Counts columns, in the order of :func:`_count_aggregates`.
COUNT_COLUMNS: tuple[str, ...] = tuple(_count_aggregates())


def _keys(model: type[InteractionCounts]) -> dict[str, Any]:
    """``{rollup column: SQL expression on Interaction}`` of a table's key."""
    keys: dict[str, Any] = {"day": _key_expression("day")}
    if model is InteractionRollup:
        keys["slot"] = _key_expression("slot")
    keys.update({"channel": F("channel"), "queue": F("queue"), "unit_id": F("unit_id")})
    if model is InteractionAgentRollup:
        keys.update({"agent_id": F("agent_id"), "agent_key": F("agent_key")})
    return keys


def _insert_select(model: type[InteractionCounts], start: date, end: date) -> int:
    """``INSERT INTO rollup SELECT … GROUP BY`` for the local days start…end."""
    low, high = Period(start, end).bounds()
    keys = _keys(model)
    rows = (
        Interaction.objects.filter(arrived_at__gte=low, arrived_at__lt=high)
        .annotate(_w=Coalesce("wait_seconds", Value(0.0), output_field=FloatField()))
        .annotate(**{f"k_{name}": expression for name, expression in keys.items()})
        .values(*(f"k_{name}" for name in keys))
        .annotate(**_count_aggregates())
        .order_by()
    )
    compiler = rows.query.get_compiler(connection=connection)
    sql, params = compiler.as_sql()
    # The SELECT's column aliases, in their order, name the columns to insert.
    aliases = [alias for _expression, _sql, alias in compiler.select]
    columns = [a[2:] if a and a.startswith("k_") else a for a in aliases]
    expected = {*keys, *COUNT_COLUMNS}
    if set(columns) != expected or len(columns) != len(expected):
        raise RuntimeError(f"unexpected rollup SELECT columns {columns}")
    ops = connection.ops
    insert = (
        f"INSERT INTO {ops.quote_name(model._meta.db_table)} "
        f"({', '.join(ops.quote_name(c) for c in columns)}) {sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(insert, params)
        return int(cursor.rowcount)


def _runs(days: Iterable[date]) -> Iterator[tuple[date, date]]:
    """Consecutive days as (first, last) runs."""
    ordered = sorted(set(days))
    if not ordered:
        return
    first = last = ordered[0]
    for day in ordered[1:]:
        if day == last + timedelta(days=1):
            last = day
            continue
        yield first, last
        first = last = day
    yield first, last


def _lock() -> None:
    """Serialise rollup writers on PostgreSQL (readers are not blocked).

    Two folds rebuilding the same day must not both delete then both insert; the
    lock also makes the rebuild's reads see every transaction committed before it.
    """
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time anyway
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


@dataclass
class RebuildResult:
    days: int = 0
    rows: int = 0
    agent_rows: int = 0


def rebuild_days(
    days: Iterable[date],
    *,
    progress: Callable[[str], None] | None = None,
) -> RebuildResult:
    """Recompute the rollups of these local days from the raw interactions.

    One transaction (joins the caller's, e.g. an import's): per run of consecutive
    days, delete their rollup rows and insert the regrouped ones.
    """
    result = RebuildResult()
    runs = list(_runs(days))
    if not runs:
        return result
    with transaction.atomic(), timezone.override(settings.TIME_ZONE):
        _lock()
        for start, end in runs:
            for model in MODELS:
                model.objects.filter(  # type: ignore[attr-defined]
                    day__gte=start, day__lte=end
                ).delete()
            result.rows += _insert_select(InteractionRollup, start, end)
            result.agent_rows += _insert_select(InteractionAgentRollup, start, end)
            result.days += (end - start).days + 1
            if progress is not None:
                progress(f"{start}–{end}: {result.rows} rows so far")
    return result


def rebuild_all(
    *, progress: Callable[[str], None] | None = None, chunk_days: int = 31
) -> RebuildResult:
    """Rebuild every rollup row from the raw interactions, in one transaction.

    Pending days are cleared in the same transaction: the rebuild counts everything
    committed before it (the lock makes later writers' folds wait).
    """
    with transaction.atomic(), timezone.override(settings.TIME_ZONE):
        _lock()
        pending = list(PendingInteractionDay.objects.values_list("pk", flat=True))
        for model in MODELS:
            model.objects.all().delete()  # type: ignore[attr-defined]
        found = Interaction.objects.aggregate(
            first=Min("arrived_at"), last=Max("arrived_at")
        )
        result = RebuildResult()
        if found["first"] is not None:
            first = timezone.localdate(found["first"])
            last = timezone.localdate(found["last"])
            while first <= last:
                stop = min(first + timedelta(days=chunk_days - 1), last)
                part = rebuild_days(_span(first, stop))
                result.days += part.days
                result.rows += part.rows
                result.agent_rows += part.agent_rows
                if progress is not None:
                    progress(
                        f"{first}–{stop}: {part.rows} rows, {part.agent_rows} agent rows"
                    )
                first = stop + timedelta(days=1)
        PendingInteractionDay.objects.filter(pk__in=pending).delete()
    return result


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# ------------------------------------------------------------------ pending changes


def local_day(moment: datetime) -> date:
    """The day of a moment in ``settings.TIME_ZONE`` (the rollups' days)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def mark_changed(*moments: datetime | None) -> None:
    """Queue the days of these arrival times for a rebuild (call in the write's
    transaction): the next fold, before any rollup read, recomputes them."""
    days = {local_day(m) for m in moments if m is not None}
    PendingInteractionDay.objects.bulk_create(
        [PendingInteractionDay(day=day) for day in sorted(days)]
    )


def fold_pending_days(*, limit: int = 1000) -> int:
    """Rebuild the days of a batch of pending rows and delete those rows.

    ``SKIP LOCKED`` on PostgreSQL: two folds never claim the same row. A row written
    by a transaction that commits after the claim stays for the next fold.
    """
    with transaction.atomic():
        pending = PendingInteractionDay.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        claimed = list(pending.values_list("pk", "day")[:limit])
        if not claimed:
            return 0
        rebuild_days({day for _pk, day in claimed})
        PendingInteractionDay.objects.filter(
            pk__in=[pk for pk, _day in claimed]
        ).delete()
    return len(claimed)


# --------------------------------------------------------------------------- reads


def _plan(
    selection: Selection,
    by: Sequence[str],
    answer_within_seconds: float | None,
    short_abandon_seconds: float | None,
) -> type[InteractionCounts] | None:
    """The rollup table that answers this read, or None (read the raw rows)."""
    if timezone.get_current_timezone_name() != settings.TIME_ZONE:
        return None
    if answer_within_seconds is not None and float(answer_within_seconds) not in {
        float(t) for t in ROLLUP_ANSWER_WITHIN
    }:
        return None
    if short_abandon_seconds is not None and float(short_abandon_seconds) not in {
        float(s) for s in ROLLUP_SHORT_ABANDON
    }:
        return None
    if not set(by) <= ROLLUP_KEYS:
        return None
    if "agent" in by or selection.needs_agent:
        if _TIME_OF_DAY & set(by):
            return None  # no slot × agent table: it would be as big as the raw one
        return InteractionAgentRollup
    return InteractionRollup


def _selected(model: type[InteractionCounts], selection: Selection) -> Any:
    """The rollup rows of a selection (scope, filters and period)."""
    rows = model.objects.filter(selection.q())  # type: ignore[attr-defined]
    if selection.period is not None:
        rows = rows.filter(
            day__gte=selection.period.start, day__lte=selection.period.end
        )
    return rows


def _as_date(value: Any) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value  # type: ignore[no-any-return]


def rollup_summaries(
    selection: Selection,
    *,
    by: Sequence[str] = (),
    answer_within_seconds: float = 20.0,
    short_abandon_seconds: float | None = None,
) -> dict[tuple[Any, ...], QueueSummary] | None:
    """``queries.queue_summaries`` from the rollups, or None when they cannot answer.

    Same keys and the same summaries as the raw query. From the kept counts, with
    threshold t and short-abandon threshold s: short abandons = abandons waiting
    ≤ s; abandons = all abandons − short ones; abandons within t = abandons
    waiting ≤ t less the short ones when t > s, else 0; the abandoned wait sum less
    the short abandons' waits.
    """
    model = _plan(selection, by, answer_within_seconds, short_abandon_seconds)
    if model is None:
        return None
    fold_pending_days()
    t = int(answer_within_seconds)
    s = None if short_abandon_seconds is None else int(short_abandon_seconds)
    sql_keys: list[str] = []
    if {"day", "weekday"} & set(by):
        sql_keys.append("day")
    if _TIME_OF_DAY & set(by):
        sql_keys.append("slot")
    for name, column in (
        ("queue", "queue"),
        ("channel", "channel"),
        ("unit", "unit_id"),
    ):
        if name in by:
            sql_keys.append(column)
    if "agent" in by:
        sql_keys += ["agent_id", "agent_key"]
    fields = [
        "answered",
        "abandoned",
        f"answered_within_{t}",
        f"abandoned_within_{t}",
        "wait_answered_ms",
        "wait_abandoned_ms",
        "handle_ms",
        "talk_known",
        "hold_known",
        "acw_known",
        "transfer_base",
        "transferred",
        "escalation_base",
        "escalated",
    ]
    if s is not None:
        fields += [f"short_abandons_{s}", f"short_abandon_wait_ms_{s}"]
    found = (
        _selected(model, selection)
        .values(*sql_keys)
        .annotate(**{f"s_{f}": Sum(f) for f in fields})
        .order_by()
    )
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for r in found:
        parts: list[Any] = []
        for name in by:
            if name == "day":
                parts.append(_as_date(r["day"]))
            elif name == "weekday":
                parts.append(_as_date(r["day"]).isoweekday())
            elif name == "slot":
                parts.append(int(r["slot"]))
            elif name == "hour":
                parts.append(int(r["slot"]) // 60)
            elif name == "unit":
                parts.append(r["unit_id"])
            elif name == "agent":
                parts += [r["agent_id"], r["agent_key"]]
            else:
                parts.append(r[name])
        values = [r[f"s_{f}"] or 0 for f in fields]
        group = groups.get(tuple(parts))
        if group is None:
            groups[tuple(parts)] = values
        else:
            for i, v in enumerate(values):
                group[i] += v
    at = {name: i for i, name in enumerate(fields)}
    kept = {k: v for k, v in groups.items() if v[at["answered"]] + v[at["abandoned"]]}
    present = tuple(
        component
        for component, column in (
            ("talk", "talk_known"),
            ("hold", "hold_known"),
            ("after_call_work", "acw_known"),
        )
        if any(v[at[column]] for v in kept.values())
    )
    out: dict[tuple[Any, ...], QueueSummary] = {}
    for key, v in kept.items():
        answered = int(v[at["answered"]])
        abandoned = int(v[at["abandoned"]])
        abandoned_within = int(v[at[f"abandoned_within_{t}"]])
        wait_abandoned = int(v[at["wait_abandoned_ms"]])
        short = 0
        if s is not None:
            short = int(v[at[f"short_abandons_{s}"]])
            abandoned -= short
            abandoned_within = abandoned_within - short if t > s else 0
            wait_abandoned -= int(v[at[f"short_abandon_wait_ms_{s}"]])
        out[key] = QueueSummary(
            answer_within_seconds=float(answer_within_seconds),
            short_abandon_seconds=short_abandon_seconds,
            offered=answered + abandoned,
            answered=answered,
            abandoned=abandoned,
            short_abandons=short,
            answered_within=int(v[at[f"answered_within_{t}"]]),
            abandoned_within=abandoned_within,
            wait_seconds_answered_sum=int(v[at["wait_answered_ms"]]) / 1000.0,
            wait_seconds_abandoned_sum=wait_abandoned / 1000.0,
            handled=answered if present else 0,
            handle_seconds_sum=int(v[at["handle_ms"]]) / 1000.0 if present else 0.0,
            aht_components=present,
            transfer_base=int(v[at["transfer_base"]]),
            transferred=int(v[at["transferred"]]),
            escalation_base=int(v[at["escalation_base"]]),
            escalated=int(v[at["escalated"]]),
        )
    return out


def rollup_outcome_counts(selection: Selection) -> dict[str, int] | None:
    """``queries.outcome_counts`` from the rollups, or None when they cannot answer."""
    model = _plan(selection, (), None, None)
    if model is None:
        return None
    fold_pending_days()
    names = {
        "answered": Outcome.ANSWERED,
        "abandoned": Outcome.ABANDONED_QUEUE,
        "abandoned_ivr": Outcome.ABANDONED_IVR,
        "callbacks": Outcome.CALLBACK,
    }
    found = _selected(model, selection).aggregate(**{name: Sum(name) for name in names})
    return {
        outcome.value: int(found[name])
        for name, outcome in names.items()
        if found[name]
    }


def distinct_values(selection: Selection, field: str) -> list[str]:
    """The distinct non-empty ``queue`` or ``channel`` values of a selection, sorted.

    Read from a rollup table (a few rows per day) when one answers the selection,
    else from the raw interactions.
    """
    if field not in ("queue", "channel"):
        raise ValueError(f"distinct_values reads queue or channel, not {field!r}")
    model = _plan(selection, (), None, None)
    if model is None:
        rows = selection.interactions()
    else:
        fold_pending_days()
        rows = _selected(model, selection)
    found = rows.values_list(field, flat=True).distinct().order_by()
    return sorted(v for v in found if v)


__all__ = [
    "COUNT_COLUMNS",
    "ROLLUP_KEYS",
    "RebuildResult",
    "distinct_values",
    "fold_pending_days",
    "local_day",
    "mark_changed",
    "rebuild_all",
    "rebuild_days",
    "rollup_outcome_counts",
    "rollup_summaries",
]
