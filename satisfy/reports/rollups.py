"""Keeping the rollups: incremental update, rebuild, consistency check and reads.

Exactly once, without contention: completing a response (``responses.services``)
calls :func:`queue_rollup` inside its own transaction, which inserts one
``PendingRollup`` row. :func:`fold_pending_rollups` claims a batch of pending rows,
adds their answers to both grains and deletes the rows, all in one transaction; it
runs before every rollup read (so pages are always current) and once a minute in the
job worker. Concurrent submissions therefore never wait on the same rollup rows, and a
response is counted by the fold that deletes its pending row, once. Responses written
without the services (the demo's bulk loader, imports) are covered by
:func:`rebuild_rollups`, which skips responses still pending.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, DateField, F, Func, Q, QuerySet, Sum, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from satisfy.reports.models import (
    COUNT_FIELDS,
    POINTS,
    RESPONSES,
    DailyRollup,
    DailyUnitRollup,
    PendingRollup,
    RollupCounts,
)
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.models import SurveyVersion

# c0..c10, n_na, other
WIDTH = len(COUNT_FIELDS) + 2
NA_SLOT = len(COUNT_FIELDS)
OTHER_SLOT = NA_SLOT + 1
ALL_FIELDS = (*COUNT_FIELDS, "n_na", "other")
Hist = npt.NDArray[np.int64]
CellKey = tuple[str, str, str]  # question, item, part

DETAIL_KEY = ("version_id", "day", "unit_path", "agent_key", "channel")
UNIT_KEY = ("version_id", "day", "unit_path")


def slot(value: float | None, is_na: bool) -> int | None:
    """The column an answer is counted in (None: not a scale answer, e.g. text)."""
    if is_na:
        return NA_SLOT
    if value is None:
        return None
    if value == int(value) and 0 <= value <= 10:
        return int(value)
    return OTHER_SLOT


def _day(moment: datetime) -> date:
    return timezone.localdate(moment)


def buckets(day: date) -> dict[str, date]:
    """The week (Monday) and month (first day) a rollup day belongs to."""
    return {"week": day - timedelta(days=day.weekday()), "month": day.replace(day=1)}


# ----------------------------------------------------------------------------- update


def _increment(model: type[RollupCounts], key: dict[str, Any], hist: Hist) -> None:
    deltas = {name: int(hist[i]) for i, name in enumerate(ALL_FIELDS) if hist[i]}
    if not deltas:
        return
    rows = model.objects.filter(**key)  # type: ignore[attr-defined]
    if rows.update(**{k: F(k) + v for k, v in deltas.items()}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **buckets(key["day"]), **deltas)  # type: ignore[attr-defined]
    except IntegrityError:  # another transaction created the row first
        rows.update(**{k: F(k) + v for k, v in deltas.items()})


def queue_rollup(response_id: int) -> None:
    """Mark a just-completed response for counting (call inside its transaction)."""
    PendingRollup.objects.create(response_id=response_id)


def update_rollups_for_response(response_id: int) -> None:
    """Count one completed response now (queue it and fold the queue)."""
    queue_rollup(response_id)
    fold_pending_rollups()


def fold_pending_rollups(*, limit: int = 5000) -> int:
    """Count a batch of pending responses in both grains; returns how many were folded.

    One transaction claims the pending rows (``SKIP LOCKED`` on PostgreSQL, so two
    folds never take the same response), adds the summed histograms cell by cell and
    deletes the rows: a response is counted exactly once.
    """
    with transaction.atomic():
        pending = PendingRollup.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        ids = list(pending.values_list("pk", flat=True)[:limit])
        if not ids:
            return 0
        keys = {
            r["pk"]: r
            for r in SurveyResponse.objects.filter(
                pk__in=ids,
                status=SurveyResponse.Status.COMPLETE,
                completed_at__isnull=False,
            ).values(
                "pk", "version_id", "completed_at", "unit_path", "agent_id", "channel"
            )
        }
        detail: dict[tuple[Any, ...], Hist] = defaultdict(
            lambda: np.zeros(WIDTH, dtype=np.int64)
        )
        # the detail-grain key of every claimed response
        rows: dict[int, tuple[Any, ...]] = {}
        for pk, r in keys.items():
            completed = r["completed_at"]
            if completed is None:  # excluded by the filter above; keeps mypy sure
                continue
            rows[pk] = (
                r["version_id"],
                _day(completed),
                r["unit_path"],
                r["agent_id"] or 0,
                r["channel"],
            )
            detail[(*rows[pk], RESPONSES, "", "")][0] += 1
        answers = Answer.objects.filter(response_id__in=list(rows)).values_list(
            "response_id", "question_code", "item_code", "part", "value", "is_na"
        )
        for response_id, code, item, part, value, is_na in answers.iterator():
            where = slot(value, is_na)
            if where is None:
                continue
            detail[(*rows[response_id], code, item, part)][where] += 1
        units: dict[tuple[Any, ...], Hist] = defaultdict(
            lambda: np.zeros(WIDTH, dtype=np.int64)
        )
        for (
            version_id,
            day,
            path,
            agent,
            channel,
            code,
            item,
            part,
        ), hist in detail.items():
            cell = {"question_code": code, "item_code": item, "part": part}
            base = {"version_id": version_id, "day": day, "unit_path": path}
            _increment(
                DailyRollup,
                {**base, **cell, "agent_key": agent, "channel": channel},
                hist,
            )
            units[(version_id, day, path, code, item, part)] += hist
        for (version_id, day, path, code, item, part), hist in units.items():
            _increment(
                DailyUnitRollup,
                {
                    "version_id": version_id,
                    "day": day,
                    "unit_path": path,
                    "question_code": code,
                    "item_code": item,
                    "part": part,
                },
                hist,
            )
        PendingRollup.objects.filter(pk__in=ids).delete()
    return len(ids)


# ---------------------------------------------------------------------------- rebuild


@dataclass
class RebuildResult:
    versions: int = 0
    detail_rows: int = 0
    unit_rows: int = 0
    responses: int = 0


def _windows(versions: Sequence[int]) -> Iterator[tuple[int, date, date]]:
    """(version, first day, last day) chunks of about a month, to bound memory."""
    for version_id in versions:
        span = SurveyResponse.objects.filter(
            version_id=version_id,
            status=SurveyResponse.Status.COMPLETE,
            completed_at__isnull=False,
        ).aggregate(first=_min("completed_at"), last=_max("completed_at"))
        if span["first"] is None:
            continue
        start, end = _day(span["first"]), _day(span["last"])
        while start <= end:
            stop = min(start + timedelta(days=30), end)
            yield version_id, start, stop
            start = stop + timedelta(days=1)


def day_of(field: str) -> Any:
    """The local day of a timestamp column, in SQL.

    SQLite with UTC (the default) uses its built-in ``date()``: Django's ``TruncDate``
    calls a Python function for every row there. Elsewhere ``TruncDate`` is native.
    """
    if connection.vendor == "sqlite" and timezone.get_current_timezone_name() == "UTC":
        return Func(F(field), function="date", output_field=DateField())
    return TruncDate(field)


def _min(name: str) -> Any:
    from django.db.models import Min

    return Min(name)


def _max(name: str) -> Any:
    from django.db.models import Max

    return Max(name)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


def computed_cells(
    version_id: int, start: date, end: date, *, skip_pending: bool = False
) -> dict[tuple[Any, ...], Hist]:
    """Detail-grain histograms computed from the raw answers of one window.

    ``skip_pending`` leaves out responses still waiting in the rollup queue (a rebuild
    must not count what a later fold will count).
    """
    low, high = _bounds(start, end)
    complete = Q(
        response__version_id=version_id,
        response__status=SurveyResponse.Status.COMPLETE,
        response__completed_at__gte=low,
        response__completed_at__lt=high,
    )
    pending = PendingRollup.objects.values("response_id")
    if skip_pending:
        complete &= ~Q(response_id__in=pending)
    out: dict[tuple[Any, ...], Hist] = defaultdict(
        lambda: np.zeros(WIDTH, dtype=np.int64)
    )
    # the histogram is pivoted in SQL (conditional sums): one row per cell comes back
    on_scale = Q(is_na=False, value__isnull=False)
    sums: dict[str, Any] = {
        f"s{p}": Sum(Case(When(on_scale & Q(value=p), then=1), default=0))
        for p in POINTS
    }
    sums["s_na"] = Sum(Case(When(is_na=True, then=1), default=0))
    sums["s_all"] = Count("id")
    rows = (
        Answer.objects.filter(complete)
        .filter(Q(value__isnull=False) | Q(is_na=True))
        .annotate(day=day_of("response__completed_at"))
        .values_list(
            "day",
            "response__unit_path",
            "response__agent_id",
            "response__channel",
            "question_code",
            "item_code",
            "part",
        )
        .annotate(**sums)
        .order_by()
    )
    width = len(POINTS)
    for row in rows:
        day, path, agent, channel, code, item, part = row[:7]
        counts = row[7 : 7 + width]
        n_na, total = row[7 + width], row[8 + width]
        hist = out[(_as_date(day), path, agent or 0, channel, code, item, part)]
        hist[:width] += counts
        hist[NA_SLOT] += n_na
        hist[OTHER_SLOT] += total - n_na - sum(counts)
    counted = SurveyResponse.objects.filter(
        version_id=version_id,
        status=SurveyResponse.Status.COMPLETE,
        completed_at__gte=low,
        completed_at__lt=high,
    )
    if skip_pending:
        counted = counted.exclude(pk__in=pending)
    responses = (
        counted.annotate(day=day_of("completed_at"))
        .values_list("day", "unit_path", "agent_id", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    for day, path, agent, channel, n in responses:
        out[(_as_date(day), path, agent or 0, channel, RESPONSES, "", "")][0] += n
    return dict(out)


def _unit_cells(detail: dict[tuple[Any, ...], Hist]) -> dict[tuple[Any, ...], Hist]:
    out: dict[tuple[Any, ...], Hist] = defaultdict(
        lambda: np.zeros(WIDTH, dtype=np.int64)
    )
    for (day, path, _agent, _channel, code, item, part), hist in detail.items():
        out[(day, path, code, item, part)] += hist
    return dict(out)


def _insert(
    model: type[RollupCounts],
    extra: tuple[str, ...],
    rows: Iterable[tuple[Any, ...]],
    batch_size: int,
) -> None:
    """Plain ``INSERT … VALUES`` in batches: Django's bulk_create spends most of a
    rebuild preparing model instances and field values one by one."""
    ops = connection.ops
    columns = (
        "version_id",
        "day",
        "week",
        "month",
        "unit_path",
        "question_code",
        "item_code",
        "part",
        *ALL_FIELDS,
        *extra,
    )
    # table and column names are our own constants, quoted; values are parameters
    sql = (
        f"INSERT INTO {ops.quote_name(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(ops.quote_name(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for version_id, day, path, code, item, part, hist, more in rows:
            b = buckets(day)
            batch.append(
                (
                    version_id,
                    ops.adapt_datefield_value(day),
                    ops.adapt_datefield_value(b["week"]),
                    ops.adapt_datefield_value(b["month"]),
                    path,
                    code,
                    item,
                    part,
                    *(int(x) for x in hist),
                    *more,
                )
            )
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _hist_fields(hist: Hist) -> dict[str, int]:
    return {name: int(hist[i]) for i, name in enumerate(ALL_FIELDS)}


def _versions(survey_ids: Iterable[int] | None) -> list[int]:
    rows = SurveyVersion.objects.all()
    if survey_ids is not None:
        rows = rows.filter(survey_id__in=list(survey_ids))
    return list(rows.order_by("pk").values_list("pk", flat=True))


def rebuild_rollups(
    *,
    survey_ids: Iterable[int] | None = None,
    progress: Callable[[str], None] | None = None,
    batch_size: int = 5000,
) -> RebuildResult:
    """Recompute both grains from the raw answers (all surveys, or the given ones)."""
    versions = _versions(survey_ids)
    result = RebuildResult(versions=len(versions))
    # One transaction: readers see the old rollups or the new ones, never a mix. On
    # PostgreSQL the lock makes folds wait, so a response is counted either here (not
    # pending) or by the fold that deletes its pending row after this commits.
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"LOCK TABLE {DailyRollup._meta.db_table}, "
                    f"{DailyUnitRollup._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
                )
        DailyRollup.objects.filter(version_id__in=versions).delete()
        DailyUnitRollup.objects.filter(version_id__in=versions).delete()
        _rebuild_windows(versions, result, progress, batch_size)
    return result


def _rebuild_windows(
    versions: Sequence[int],
    result: RebuildResult,
    progress: Callable[[str], None] | None,
    batch_size: int,
) -> None:
    for version_id, start, end in _windows(versions):
        detail = computed_cells(version_id, start, end, skip_pending=True)
        units = _unit_cells(detail)
        _insert(
            DailyRollup,
            ("agent_key", "channel"),
            (
                (version_id, day, path, code, item, part, hist, (agent, channel))
                for (
                    day,
                    path,
                    agent,
                    channel,
                    code,
                    item,
                    part,
                ), hist in detail.items()
            ),
            batch_size,
        )
        _insert(
            DailyUnitRollup,
            (),
            (
                (version_id, day, path, code, item, part, hist, ())
                for (day, path, code, item, part), hist in units.items()
            ),
            batch_size,
        )
        result.detail_rows += len(detail)
        result.unit_rows += len(units)
        result.responses += int(
            sum(h[0] for k, h in units.items() if k[2] == RESPONSES)
        )
        if progress is not None:
            progress(
                f"version {version_id} {start}–{end}: {len(detail)} detail rows, "
                f"{len(units)} unit rows"
            )


# ------------------------------------------------------------------------------ check


@dataclass
class CheckResult:
    windows: int = 0
    rows_checked: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _stored(
    model: type[RollupCounts],
    version_id: int,
    start: date,
    end: date,
    key: Sequence[str],
) -> dict[tuple[Any, ...], Hist]:
    names = [k for k in key if k != "version_id"]
    rows = model.objects.filter(  # type: ignore[attr-defined]
        version_id=version_id, day__gte=start, day__lte=end
    ).values_list(*names, "question_code", "item_code", "part", *ALL_FIELDS)
    out: dict[tuple[Any, ...], Hist] = {}
    width = len(names) + 3
    for row in rows:
        out[tuple(row[:width])] = np.asarray(row[width:], dtype=np.int64)
    return out


def _diff(
    label: str,
    stored: dict[tuple[Any, ...], Hist],
    computed: dict[tuple[Any, ...], Hist],
    limit: int,
) -> list[str]:
    problems: list[str] = []
    for key in sorted(set(stored) | set(computed), key=str):
        a = stored.get(key)
        b = computed.get(key)
        if a is not None and b is not None and np.array_equal(a, b):
            continue
        if a is not None and b is None and not a.any():
            continue
        problems.append(
            f"{label} {key}: stored {None if a is None else a.tolist()}, "
            f"answers give {None if b is None else b.tolist()}"
        )
        if len(problems) >= limit:
            break
    return problems


def check_rollups(
    *, survey_ids: Iterable[int] | None = None, limit: int = 50
) -> CheckResult:
    """Compare every stored rollup row with the raw answers; list what differs."""
    fold_pending_rollups(limit=10**9)
    versions = _versions(survey_ids)
    result = CheckResult()
    seen: set[int] = set()
    for version_id, start, end in _windows(versions):
        seen.add(version_id)
        result.windows += 1
        detail = computed_cells(version_id, start, end)
        stored = _stored(DailyRollup, version_id, start, end, DETAIL_KEY)
        result.rows_checked += len(stored)
        result.mismatches += _diff(
            f"version {version_id} detail", stored, detail, limit
        )
        units = _unit_cells(detail)
        stored_units = _stored(DailyUnitRollup, version_id, start, end, UNIT_KEY)
        result.rows_checked += len(stored_units)
        result.mismatches += _diff(
            f"version {version_id} unit", stored_units, units, limit
        )
        if len(result.mismatches) >= limit:
            break
    # rows for versions or days with no complete responses at all
    for model in (DailyRollup, DailyUnitRollup):
        stray = model.objects.filter(version_id__in=versions).exclude(
            version_id__in=seen
        )
        count = stray.count()
        if count:
            result.mismatches.append(
                f"{count} {model.__name__} rows for versions without complete responses"
            )
    return result


# ------------------------------------------------------------------------------- read

PERIODS = ("day", "week", "month")


@dataclass(frozen=True, slots=True)
class RollupQuery:
    """What a dashboard asks the rollups for; see :func:`read_histograms`."""

    version_ids: tuple[int, ...]
    start: date
    end: date
    scope_q: Q  # on unit_path (and agent_key for agent roles)
    unit_path: str = ""
    agent_ids: tuple[int, ...] = ()
    channels: tuple[str, ...] = ()
    needs_detail: bool = False


def rollup_rows(query: RollupQuery, *, detail: bool) -> QuerySet[Any]:
    model: type[RollupCounts] = DailyRollup if detail else DailyUnitRollup
    rows = model.objects.filter(  # type: ignore[attr-defined]
        version_id__in=query.version_ids, day__gte=query.start, day__lte=query.end
    ).filter(query.scope_q)
    if query.unit_path:
        rows = rows.filter(unit_path__startswith=query.unit_path)
    if query.agent_ids:
        rows = rows.filter(agent_key__in=query.agent_ids)
    if query.channels:
        rows = rows.filter(channel__in=query.channels)
    return rows  # type: ignore[no-any-return]


def read_histograms(
    query: RollupQuery, *, by: Sequence[str] = (), period: str = "day"
) -> dict[tuple[Any, ...], Hist]:
    """Summed histograms keyed by ``(*by values, question, item, part)``: one SQL query.

    ``by`` may name ``unit_path``, ``agent_key``, ``channel`` and ``period`` (the day
    truncated to ``period``: day, week or month).
    """
    fold_pending_rollups()  # count what completed since the last fold
    detail = query.needs_detail or bool(
        query.agent_ids or query.channels or {"agent_key", "channel"} & set(by)
    )
    rows = rollup_rows(query, detail=detail)
    names = [period if name == "period" else name for name in by]
    if period not in PERIODS:
        raise ValueError(f"period must be day, week or month, not {period!r}")
    values = (
        rows.values(*names, "question_code", "item_code", "part")
        .annotate(**{f"s_{n}": Sum(n) for n in ALL_FIELDS})
        .order_by()
    )
    out: dict[tuple[Any, ...], Hist] = {}
    for row in values:
        key = (
            *(_as_date(row[n]) if n in PERIODS else row[n] for n in names),
            row["question_code"],
            row["item_code"],
            row["part"],
        )
        out[key] = np.asarray([row[f"s_{n}"] or 0 for n in ALL_FIELDS], dtype=np.int64)
    return out


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value
