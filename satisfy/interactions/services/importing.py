"""Import an interaction file into the database: validate everything, then write all.

The parsers in ``satisfy.formats`` turn a file into validated ``InteractionRecords``;
this module checks what only the database knows (units, agents, customers, external
ids already stored), then inserts every record in one transaction: PostgreSQL
``COPY`` through psycopg, batched ``executemany`` elsewhere. The same transaction
rebuilds the KPI rollups of the local days the file touched
(``rollups.rebuild_days``) and the next-contact gaps of every contact of the file's
customers (``next_contacts.refresh_customers``). Nothing is half-imported.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.db import connection, transaction
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.customers.models import Customer
from satisfy.formats.interactions_csv import (
    InteractionFileError,
    InteractionRecords,
    RowIssue,
)
from satisfy.interactions.models import Interaction, InteractionImport
from satisfy.interactions.next_contacts import identity, refresh_customers
from satisfy.interactions.rollups import rebuild_days
from satisfy.org.models import Agent, OrgUnit

#: ``progress(done, total)`` after each batch written.
Progress = Callable[[int, int], None]

BATCH_SIZE = 5_000
COPY_CHUNK = 100_000
_MAX_LISTED = 50
_MAX_WARNINGS_KEPT = 50
_LOOKUP_CHUNK = 900  # below SQLite's 999 parameters

# Column order of every insert (COPY and executemany alike).
COLUMNS = (
    "external_id",
    "channel",
    "queue",
    "unit_id",
    "agent_id",
    "agent_key",
    "customer_id",
    "customer_key",
    "arrived_at",
    "ivr_exited_at",
    "queue_started_at",
    "answered_at",
    "ended_at",
    "ivr_seconds",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "after_call_work_seconds",
    "outcome",
    "transfers",
    "is_escalated",
    "reason_code",
    "is_resolved",
    "priority",
    "import_batch_id",
)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import stored, left out and tolerated."""

    batch: InteractionImport
    imported: int
    excluded: dict[str, int]
    warnings: tuple[RowIssue, ...]
    seconds: float
    method: str


def _max_length(name: str) -> int:
    length = getattr(Interaction._meta.get_field(name), "max_length", None)
    return int(length or 0)


def _chunks(values: list[str], size: int = _LOOKUP_CHUNK) -> Iterator[list[str]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


class _Problems:
    def __init__(self) -> None:
        self.items: list[RowIssue] = []
        self.total = 0

    def add(
        self,
        mask: npt.NDArray[np.bool_],
        rows: npt.NDArray[np.int64],
        column: str,
        values: npt.NDArray[Any],
        message: str,
    ) -> None:
        idx = np.flatnonzero(mask)
        self.total += int(idx.size)
        for i in idx[:_MAX_LISTED]:
            self.items.append(RowIssue(int(rows[i]), column, message, str(values[i])))


def _lookup(
    model: Any, field: str, keys: npt.NDArray[Any], *extra: str
) -> dict[str, tuple[Any, ...]]:
    """``{key: (pk, *extra)}`` for rows of ``model`` whose ``field`` is one of the keys.

    When the table is no bigger than the set of keys (a first import, or a small
    reference table), one query reads it whole; otherwise the keys go in chunks.
    """
    wanted = {str(k) for k in np.unique(keys.astype(str)) if k}
    if not wanted:
        return {}
    columns = (field, "pk", *extra)
    rows = model.objects.values_list(*columns)
    found: dict[str, tuple[Any, ...]] = {}
    if model.objects.count() <= 2 * len(wanted):
        for key, *rest in rows.iterator(chunk_size=20_000):
            if str(key) in wanted:
                found[str(key)] = tuple(rest)
        return found
    size = _LOOKUP_CHUNK if connection.vendor == "sqlite" else 20_000
    for chunk in _chunks(sorted(wanted), size):
        for key, *rest in rows.filter(**{f"{field}__in": chunk}):
            found[str(key)] = tuple(rest)
    return found


def _text_too_long(
    problems: _Problems, rec: InteractionRecords, name: str, field: str
) -> None:
    values: npt.NDArray[Any] = getattr(rec, name)
    limit = _max_length(field)
    if not values.size or max(map(len, values.astype(str))) <= limit:
        return
    lengths = pd.Series(values, dtype=object).str.len().fillna(0).to_numpy()
    problems.add(
        lengths > limit,
        rec.source_row,
        name,
        values,
        f"longer than {limit} characters",
    )


def _utc_text(values: npt.NDArray[np.datetime64], tz: tzinfo) -> npt.NDArray[Any]:
    """Naive wall-clock times in ``tz`` as UTC text the database reads, None for NaT.

    SQLite compares stored datetimes as text, so the format must be Django's own:
    ``YYYY-MM-DD HH:MM:SS`` (space, no offset) in UTC.
    """
    index = pd.DatetimeIndex(values.astype("datetime64[s]"))
    if str(tz) != "UTC":
        index = index.tz_localize(
            tz,
            ambiguous=np.zeros(len(index), dtype=np.bool_),
            nonexistent="shift_forward",
        ).tz_convert("UTC")
    out: npt.NDArray[Any] = np.asarray(
        index.strftime("%Y-%m-%d %H:%M:%S"), dtype=object
    )
    out[np.asarray(index.isna())] = None
    return out


def _floats(values: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    out: npt.NDArray[Any] = values.astype(object)
    out[np.isnan(values)] = None
    return out


def _ints(values: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    out: npt.NDArray[Any] = np.where(np.isnan(values), 0, values).astype(np.int64)
    obj: npt.NDArray[Any] = out.astype(object)
    obj[np.isnan(values)] = None
    return obj


def _flags(values: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    out: npt.NDArray[Any] = (values > 0).astype(object)
    out[np.isnan(values)] = None
    return out


def _frame(
    rec: InteractionRecords,
    *,
    unit_ids: npt.NDArray[Any],
    agent_ids: npt.NDArray[Any],
    customer_ids: npt.NDArray[Any],
    tz: tzinfo,
) -> pd.DataFrame:
    priority = rec.extra.get("priority")
    columns: dict[str, Any] = {
        "external_id": rec.external_id,
        "channel": rec.channel,
        "queue": rec.queue,
        "unit_id": unit_ids,
        "agent_id": agent_ids,
        "agent_key": rec.agent,
        "customer_id": customer_ids,
        "customer_key": rec.customer_id,
        "arrived_at": _utc_text(rec.arrived_at, tz),
        "ivr_exited_at": _utc_text(rec.ivr_exited_at, tz),
        "queue_started_at": _utc_text(rec.queue_started_at, tz),
        "answered_at": _utc_text(rec.answered_at, tz),
        "ended_at": _utc_text(rec.ended_at, tz),
        "ivr_seconds": _floats(rec.ivr_seconds),
        "wait_seconds": _floats(rec.wait_seconds),
        "talk_seconds": _floats(rec.talk_seconds),
        "hold_seconds": _floats(rec.hold_seconds),
        "after_call_work_seconds": _floats(rec.after_call_work_seconds),
        "outcome": rec.outcome,
        "transfers": _ints(rec.transfers),
        "is_escalated": _flags(rec.is_escalated),
        "reason_code": rec.reason_code,
        "is_resolved": _flags(rec.is_resolved),
        "priority": (
            np.asarray(priority).astype(object)
            if priority is not None
            else np.full(len(rec), None, dtype=object)
        ),
    }
    return pd.DataFrame(columns)


def _validate(
    rec: InteractionRecords, *, default_unit: OrgUnit | None
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
    """Unit, agent and customer ids per record; raise with every problem by row."""
    problems = _Problems()
    rows = rec.source_row
    n = len(rec)
    for name, field in (
        ("external_id", "external_id"),
        ("queue", "queue"),
        ("agent", "agent_key"),
        ("customer_id", "customer_key"),
        ("reason_code", "reason_code"),
    ):
        _text_too_long(problems, rec, name, field)

    units = _lookup(OrgUnit, "code", rec.unit)
    agents = _lookup(Agent, "code", rec.agent, "unit_id")
    customers = _lookup(Customer, "external_id", rec.customer_id)
    unit_code = rec.unit.astype(str)
    unknown_unit = (unit_code != "") & ~np.isin(unit_code, list(units) or [""])
    problems.add(
        unknown_unit, rows, "unit", rec.unit, "no org unit with this code exists"
    )

    def ids(
        keys: npt.NDArray[Any], found: dict[str, tuple[Any, ...]], at: int = 0
    ) -> npt.NDArray[Any]:
        out: npt.NDArray[Any] = np.full(keys.shape[0], None, dtype=object)
        if not found:
            return out
        uniques, inverse = np.unique(keys.astype(str), return_inverse=True)
        mapped = np.array(
            [found[u][at] if u in found else None for u in uniques.tolist()],
            dtype=object,
        )
        out[:] = mapped[inverse.reshape(-1)]
        return out

    agent_ids = ids(rec.agent, agents)
    customer_ids = ids(rec.customer_id, customers)
    unit_ids = ids(rec.unit, units)
    # No unit in the row: the agent's team, else the unit given for the whole file.
    agent_units = ids(rec.agent, agents, 1)
    missing = np.array([u is None for u in unit_ids], dtype=np.bool_)
    unit_ids[missing] = agent_units[missing]
    missing = np.array([u is None for u in unit_ids], dtype=np.bool_)
    if default_unit is not None:
        unit_ids[missing] = default_unit.pk
    elif missing.any():
        problems.add(
            missing & ~unknown_unit,
            rows,
            "unit",
            rec.unit,
            "no unit: give a unit column, a known agent, or --unit CODE for the file",
        )

    ext = rec.external_id.astype(str)
    _uniq, first, counts = np.unique(ext, return_index=True, return_counts=True)
    if (counts > 1).any():
        dup = np.ones(n, dtype=np.bool_)
        dup[first] = False
        problems.add(
            dup,
            rows,
            "external_id",
            rec.external_id,
            "external id repeats an earlier row",
        )
    existing = _existing_ids(rec)
    if existing:
        problems.add(
            np.isin(ext, list(existing)),
            rows,
            "external_id",
            rec.external_id,
            "an interaction with this external id is already stored",
        )
    if problems.total:
        raise InteractionFileError(
            rec.source,
            "the file was not imported",
            tuple(problems.items),
            problems.total,
        )
    return unit_ids, agent_ids, customer_ids


def _existing_ids(rec: InteractionRecords) -> set[str]:
    """External ids already stored among the file's (only rows in its time range)."""
    if not len(rec):
        return set()
    times = rec.arrived_at[~np.isnat(rec.arrived_at)]
    if not times.size:
        return set()
    # A day of slack either side covers any time-zone shift of naive times.
    low = (times.min() - np.timedelta64(1, "D")).astype(datetime)
    high = (times.max() + np.timedelta64(1, "D")).astype(datetime)
    stored = Interaction.objects.filter(
        arrived_at__gte=low.replace(tzinfo=UTC),
        arrived_at__lte=high.replace(tzinfo=UTC),
    ).values_list("external_id", flat=True)
    wanted = set(rec.external_id.astype(str).tolist())
    return {e for e in stored.iterator(chunk_size=20_000) if e in wanted}


def _copy_postgres(frame: pd.DataFrame, progress: Progress | None) -> None:
    table = connection.ops.quote_name(Interaction._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    total = len(frame)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, for copy()
        sql = f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
        with raw.copy(sql) as copy:
            for start in range(0, total, COPY_CHUNK):
                buffer = io.StringIO()
                # NULL is \N, so an empty field stays an empty string.
                frame.iloc[start : start + COPY_CHUNK].to_csv(
                    buffer,
                    header=False,
                    index=False,
                    quoting=csv.QUOTE_MINIMAL,
                    na_rep="\\N",
                )
                copy.write(buffer.getvalue())
                if progress is not None:
                    progress(min(start + COPY_CHUNK, total), total)


def _insert_batches(frame: pd.DataFrame, progress: Progress | None) -> None:
    table = connection.ops.quote_name(Interaction._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
    total = len(frame)
    # Every column already holds Python values with None for NULL (see _frame).
    columns = [frame[name].tolist() for name in COLUMNS]
    rows = list(zip(*columns, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, total, BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])
            if progress is not None:
                progress(min(start + BATCH_SIZE, total), total)


def _local_days(utc_text: pd.Series) -> list[date]:
    """The days in ``settings.TIME_ZONE`` of the stored (UTC text) arrival times.

    Read per UTC hour (its first and last second), which is cheap on a million rows
    and covers zones whose offset is not a whole hour.
    """
    hours = pd.to_datetime(
        pd.Series(utc_text.dropna().str[:13].unique(), dtype=object) + ":00:00",
        utc=True,
    )
    if not len(hours):
        return []
    zone = str(timezone.get_default_timezone())
    ends = hours + pd.Timedelta(seconds=3599)
    return sorted(
        {*hours.dt.tz_convert(zone).dt.date, *ends.dt.tz_convert(zone).dt.date}
    )


def _customers(frame: pd.DataFrame) -> set[str]:
    """The customer identities of the rows (see ``next_contacts.identity``)."""
    keys = frame["customer_key"]
    keyed = (keys != "").to_numpy()
    found = set(keys[keyed].unique().tolist())
    keyless = frame.loc[~keyed, "customer_id"].dropna().unique().tolist()
    found.update(identity("", int(i)) or "" for i in keyless)
    found.discard("")
    return found


def import_interactions(
    *,
    records: InteractionRecords,
    default_unit: OrgUnit | None = None,
    created_by: User | None = None,
    progress: Progress | None = None,
    tz: tzinfo | None = None,
) -> ImportResult:
    """Store every parsed record, or none; raise ``InteractionFileError`` by row.

    Naive times in the file are wall-clock times in ``tz`` (default: the current
    time zone). IVR abandons are stored (outcome ``abandoned_ivr``) and counted in
    ``excluded`` because the queue KPIs leave them out; records the parser dropped
    (PHANTOM calls) are counted there too.
    """
    started = time.perf_counter()
    zone = tz or timezone.get_current_timezone()
    unit_ids, agent_ids, customer_ids = _validate(records, default_unit=default_unit)
    frame = _frame(
        records,
        unit_ids=unit_ids,
        agent_ids=agent_ids,
        customer_ids=customer_ids,
        tz=zone,
    )
    excluded = {k: int(v) for k, v in records.excluded.items()}
    excluded["abandoned_ivr"] = int((records.outcome == "abandoned_ivr").sum())
    method = "copy" if connection.vendor == "postgresql" else "executemany"
    with transaction.atomic():
        batch = InteractionImport.objects.create(
            source=str(records.source)[-255:],
            format=records.format,
            rows_read=records.rows_read,
            imported=len(records),
            excluded=excluded,
            warning_count=len(records.warnings),
            warnings=[
                {
                    "row": w.row,
                    "column": w.column,
                    "value": w.value,
                    "message": w.message,
                }
                for w in records.warnings[:_MAX_WARNINGS_KEPT]
            ],
            unit=default_unit,
            created_by=created_by,
            created_at=timezone.now(),
        )
        frame["import_batch_id"] = batch.pk
        if method == "copy":
            _copy_postgres(frame, progress)
        else:
            _insert_batches(frame, progress)
        rebuild_days(_local_days(frame["arrived_at"]))
        # Every contact of the file's customers: the new ones, and stored ones whose
        # next contact is now one of the file's.
        refresh_customers(_customers(frame))
        seconds = time.perf_counter() - started
        batch.seconds = seconds
        batch.save(update_fields=["seconds"])
    return ImportResult(
        batch=batch,
        imported=len(records),
        excluded=excluded,
        warnings=records.warnings,
        seconds=seconds,
        method=method,
    )
