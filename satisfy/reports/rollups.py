"""Keeping the rollups: incremental update, rebuild, consistency check and reads.

Exactly once: :func:`update_rollups_for_response` runs *inside* the transaction of
``responses.services.complete_response``, right after the conditional
``UPDATE … WHERE status = 'partial'`` that makes the response complete. That update
succeeds once per response, so the rollup increment happens once; if anything later in
the transaction fails, the increment rolls back with the completion. Nothing is left
to a queue that could run twice or not at all. Responses written without that service
(the demo's bulk loader, imports) are covered by :func:`rebuild_rollups`.
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


def response_histograms(response_id: int) -> dict[CellKey, Hist]:
    """The histogram cells one response contributes (its answers plus one response)."""
    cells: dict[CellKey, Hist] = defaultdict(lambda: np.zeros(WIDTH, dtype=np.int64))
    cells[(RESPONSES, "", "")][0] = 1
    rows = Answer.objects.filter(response_id=response_id).values_list(
        "question_code", "item_code", "part", "value", "is_na"
    )
    for code, item, part, value, is_na in rows:
        where = slot(value, is_na)
        if where is not None:
            cells[(code, item, part)][where] += 1
    return dict(cells)


def update_rollups_for_response(response_id: int) -> None:
    """Add one just-completed response to both rollup grains (call inside its transaction)."""
    r = SurveyResponse.objects.values(
        "version_id", "completed_at", "unit_path", "agent_id", "channel", "status"
    ).get(pk=response_id)
    if r["status"] != SurveyResponse.Status.COMPLETE or r["completed_at"] is None:
        return
    day = _day(r["completed_at"])
    base = {"version_id": r["version_id"], "day": day, "unit_path": r["unit_path"]}
    for (code, item, part), hist in response_histograms(response_id).items():
        cell = {"question_code": code, "item_code": item, "part": part}
        _increment(
            DailyRollup,
            {**base, **cell, "agent_key": r["agent_id"] or 0, "channel": r["channel"]},
            hist,
        )
        _increment(DailyUnitRollup, {**base, **cell}, hist)


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
    version_id: int, start: date, end: date
) -> dict[tuple[Any, ...], Hist]:
    """Detail-grain histograms computed from the raw answers of one window."""
    low, high = _bounds(start, end)
    complete = Q(
        response__version_id=version_id,
        response__status=SurveyResponse.Status.COMPLETE,
        response__completed_at__gte=low,
        response__completed_at__lt=high,
    )
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
    responses = (
        SurveyResponse.objects.filter(
            version_id=version_id,
            status=SurveyResponse.Status.COMPLETE,
            completed_at__gte=low,
            completed_at__lt=high,
        )
        .annotate(day=day_of("completed_at"))
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
    with transaction.atomic():
        DailyRollup.objects.filter(version_id__in=versions).delete()
        DailyUnitRollup.objects.filter(version_id__in=versions).delete()
    for version_id, start, end in _windows(versions):
        detail = computed_cells(version_id, start, end)
        units = _unit_cells(detail)
        with transaction.atomic():
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
    return result


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
