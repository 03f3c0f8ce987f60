"""Import an agent-state file: validate everything, then store every record or none.

``satisfy.formats.agent_states`` parses and checks the file on its own (times,
state names, overlaps within the file); this module checks what only the
database knows (units, agents, records already stored for the same agents and
times) and inserts the records in batches inside one transaction, with an
``InteractionImport`` row describing the file. Lookups, row problems and time
conversion are those of ``services.importing``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.analytics.contact_centre import STATE_CLASSES, find_overlaps
from satisfy.formats.agent_states import AgentStateFileError, AgentStateRecords
from satisfy.formats.interactions_csv import RowIssue
from satisfy.interactions.models import AgentStateInterval, InteractionImport
from satisfy.interactions.services.importing import (
    Progress,
    _lookup,
    _Problems,
    _utc_text,
)
from satisfy.org.models import Agent, OrgUnit

BATCH_SIZE = 5_000

COLUMNS = (
    "agent_id",
    "agent_key",
    "unit_id",
    "queue",
    "state",
    "state_class",
    "started_at",
    "ended_at",
    "import_batch_id",
)


@dataclass(frozen=True, slots=True)
class AgentStateImportResult:
    batch: InteractionImport
    imported: int
    agents: int
    seconds: float


def _too_long(
    problems: _Problems, rec: AgentStateRecords, name: str, field: str
) -> None:
    values: npt.NDArray[Any] = getattr(rec, name)
    limit = int(AgentStateInterval._meta.get_field(field).max_length or 0)  # type: ignore[union-attr]
    lengths = np.fromiter(
        (len(str(v)) for v in values), dtype=np.int64, count=len(values)
    )
    problems.add(
        lengths > limit, rec.source_row, name, values, f"longer than {limit} characters"
    )


def _ids(
    keys: npt.NDArray[Any], found: dict[str, tuple[Any, ...]], at: int = 0
) -> npt.NDArray[Any]:
    out: npt.NDArray[Any] = np.full(keys.shape[0], None, dtype=object)
    if not found or not keys.size:
        return out
    uniques, inverse = np.unique(keys.astype(str), return_inverse=True)
    mapped = np.array(
        [found[u][at] if u in found else None for u in uniques.tolist()], dtype=object
    )
    out[:] = mapped[inverse.reshape(-1)]
    return out


def _stored_overlaps(
    rec: AgentStateRecords, starts_utc: npt.NDArray[Any], ends_utc: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[Any]]:
    """File rows overlapping a record already stored for the same agent key."""
    n = len(rec)
    mask = np.zeros(n, dtype=np.bool_)
    shown: npt.NDArray[Any] = np.full(n, "", dtype=object)
    if not n:
        return mask, shown
    to_epoch = np.vectorize(
        lambda s: datetime.fromisoformat(s).replace(tzinfo=UTC).timestamp(),
        otypes=[float],
    )
    s = to_epoch(starts_utc)
    e = to_epoch(ends_utc)
    low = datetime.fromtimestamp(float(s.min()), UTC)
    high = datetime.fromtimestamp(float(e.max()), UTC)
    keys = sorted(set(rec.agent.astype(str).tolist()))
    stored: list[tuple[str, datetime, datetime]] = []
    size = 900 if connection.vendor == "sqlite" else 20_000
    for i in range(0, len(keys), size):
        stored += list(
            AgentStateInterval.objects.filter(
                agent_key__in=keys[i : i + size], started_at__lt=high, ended_at__gt=low
            ).values_list("agent_key", "started_at", "ended_at")
        )
    if not stored:
        return mask, shown
    agents = np.concatenate(
        [rec.agent.astype(str), np.array([k for k, _s, _e in stored])]
    )
    starts = np.concatenate([s, np.array([a.timestamp() for _k, a, _e in stored])])
    ends = np.concatenate([e, np.array([b.timestamp() for _k, _s, b in stored])])
    later, earlier = find_overlaps(agents, starts, ends)
    for j, k in zip(later.tolist(), earlier.tolist(), strict=True):
        # a pair with one file row and one stored row
        if (j < n) == (k < n):
            continue
        row, other = (j, k) if j < n else (k, j)
        mask[row] = True
        moment = timezone.localtime(stored[other - n][1])
        shown[row] = f"{moment:%Y-%m-%d %H:%M:%S}"
    return mask, shown


def _validate(
    rec: AgentStateRecords, *, default_unit: OrgUnit | None, tz: tzinfo
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any]]:
    problems = _Problems()
    rows = rec.source_row
    for name, field in (("agent", "agent_key"), ("state", "state"), ("queue", "queue")):
        _too_long(problems, rec, name, field)
    units = _lookup(OrgUnit, "code", rec.unit)
    agents = _lookup(Agent, "code", rec.agent, "unit_id")
    unit_code = rec.unit.astype(str)
    unknown_unit = (unit_code != "") & ~np.isin(unit_code, list(units) or [""])
    problems.add(
        unknown_unit, rows, "unit", rec.unit, "no org unit with this code exists"
    )
    agent_ids = _ids(rec.agent, agents)
    unit_ids = _ids(rec.unit, units)
    agent_units = _ids(rec.agent, agents, 1)
    missing = np.array([u is None for u in unit_ids], dtype=np.bool_)
    unit_ids[missing] = agent_units[missing]
    missing = np.array([u is None for u in unit_ids], dtype=np.bool_)
    if default_unit is not None:
        unit_ids[missing] = default_unit.pk
    else:
        problems.add(
            missing & ~unknown_unit,
            rows,
            "unit",
            rec.unit,
            "no unit: give a unit column, a known agent, or --unit CODE for the file",
        )
    starts = _utc_text(rec.start, tz)
    ends = _utc_text(rec.end, tz)
    overlap, when = _stored_overlaps(rec, starts, ends)
    problems.total += int(overlap.sum())
    for i in np.flatnonzero(overlap)[:50].tolist():
        problems.items.append(
            RowIssue(
                int(rows[i]),
                "start",
                "overlaps a state record already stored for this agent (one "
                f"starting {when[i]}); is this period imported already?",
                str(rec.start[i]).replace("T", " "),
            )
        )
    if problems.total:
        raise AgentStateFileError(
            rec.source,
            "the file was not imported",
            tuple(problems.items),
            problems.total,
        )
    return agent_ids, unit_ids, starts, ends


def import_agent_states(
    *,
    records: AgentStateRecords,
    default_unit: OrgUnit | None = None,
    created_by: User | None = None,
    progress: Progress | None = None,
    tz: tzinfo | None = None,
) -> AgentStateImportResult:
    """Store every agent-state record, or none; raise ``AgentStateFileError`` by row.

    Naive times in the file are wall-clock times in ``tz`` (default: the current
    time zone). A record's unit is its row's unit, else its agent's team, else
    ``default_unit``.
    """
    started = time.perf_counter()
    zone = tz or timezone.get_current_timezone()
    agent_ids, unit_ids, starts, ends = _validate(
        records, default_unit=default_unit, tz=zone
    )
    classes = np.asarray(STATE_CLASSES, dtype=object)[records.state_class]
    table = connection.ops.quote_name(AgentStateInterval._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    marks = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
    total = len(records)
    with transaction.atomic():
        batch = InteractionImport.objects.create(
            source=str(records.source)[-255:],
            format=records.format,
            rows_read=records.rows_read,
            imported=total,
            unit=default_unit,
            created_by=created_by,
            created_at=timezone.now(),
        )
        rows = list(
            zip(
                agent_ids.tolist(),
                records.agent.tolist(),
                unit_ids.tolist(),
                records.queue.tolist(),
                records.state.tolist(),
                classes.tolist(),
                starts.tolist(),
                ends.tolist(),
                [batch.pk] * total,
                strict=True,
            )
        )
        with connection.cursor() as cursor:
            for start in range(0, total, BATCH_SIZE):
                cursor.executemany(sql, rows[start : start + BATCH_SIZE])
                if progress is not None:
                    progress(min(start + BATCH_SIZE, total), total)
        seconds = time.perf_counter() - started
        batch.seconds = seconds
        batch.save(update_fields=["seconds"])
    return AgentStateImportResult(
        batch=batch,
        imported=total,
        agents=len(set(records.agent.tolist())),
        seconds=seconds,
    )
