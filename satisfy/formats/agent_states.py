"""Agent-state files (CSV or XLSX): who was in which state from when to when.

One row per state record: the agent, the state name of the source system, the
start and either the end or the duration in seconds; optionally the agent's unit
and queue. A YAML mapping names the columns and maps the source system's state
names to our classes (``available``, ``talk``, ``hold``, ``after_call_work``,
``not_ready``, ``logged_out``; see ``satisfy.analytics.contact_centre.occupancy``
for the names known without a mapping)::

    columns:                 # our field: the file's column header
      agent: Agent ID
      state: State
      start: Start Time
      end: End Time          # or duration_seconds: Duration
      unit: Team             # optional
    states:                  # the file's state names -> our classes (optional)
      ACD: talk
      AUX 1: not_ready
      ACW: after_call_work
    datetime_format: "%d/%m/%Y %H:%M:%S"   # optional, default ISO 8601
    delimiter: ";"           # optional, CSV only (default: sniffed)
    sheet: States            # optional, XLSX only (default: first sheet)

A mapping with only ``states:`` is fine when the headers are our field names.
Parsing is all or nothing: every problem (unparseable time, negative duration,
end before start, unknown state, two records of one agent overlapping) is
collected by row and column and raised together in one ``AgentStateFileError``.
Reading, delimiter sniffing and row issues are shared with
``satisfy.formats.interactions_csv``. See ``docs/data-formats.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from satisfy.analytics.contact_centre.occupancy import (
    STATE_CLASSES,
    AgentStateError,
    classify_states,
    find_overlaps,
)
from satisfy.formats.interactions_csv import (
    InteractionFileError,
    RowIssue,
    _Issues,
    _read_table,
    read_mapping_yaml,
)

__all__ = [
    "FIELDS",
    "AgentStateFileError",
    "AgentStateRecords",
    "load_agent_state_mapping",
    "read_agent_states",
]

#: Every field a file may map.
FIELDS = ("agent", "state", "start", "end", "duration_seconds", "unit", "queue")
_REQUIRED = ("agent", "state", "start")
_MAPPING_KEYS = ("columns", "states", "datetime_format", "delimiter", "sheet")

ObjectArray = npt.NDArray[np.object_]
TimeArray = npt.NDArray[np.datetime64]


class AgentStateFileError(InteractionFileError):
    """The agent-state file was rejected; ``issues`` lists every problem by row."""


@dataclass(frozen=True, slots=True)
class AgentStateRecords:
    """Validated agent-state records as columns.

    ``start`` and ``end`` are ``datetime64[s]`` (naive wall-clock, or UTC when
    the file gave offsets); ``state`` is the source name and ``state_class`` its
    code in ``STATE_CLASSES``. ``source_row`` is the 1-based line (CSV) or row
    (XLSX) of each record. No two records of one agent overlap.
    """

    source: str
    format: str
    rows_read: int
    source_row: npt.NDArray[np.int64]
    agent: ObjectArray
    state: ObjectArray
    state_class: npt.NDArray[np.int64]
    start: TimeArray
    end: TimeArray
    unit: ObjectArray
    queue: ObjectArray

    def __len__(self) -> int:
        return int(self.source_row.shape[0])

    @property
    def start_seconds(self) -> npt.NDArray[np.int64]:
        """Start as seconds since 1970-01-01 on the file's clock."""
        out: npt.NDArray[np.int64] = self.start.astype(np.int64)
        return out

    @property
    def end_seconds(self) -> npt.NDArray[np.int64]:
        out: npt.NDArray[np.int64] = self.end.astype(np.int64)
        return out

    @property
    def state_class_name(self) -> ObjectArray:
        out: ObjectArray = np.asarray(STATE_CLASSES, dtype=object)[self.state_class]
        return out


def load_agent_state_mapping(path: str | Path) -> dict[str, Any]:
    """Read and check a YAML mapping; raise ``AgentStateFileError`` if wrong."""
    return check_agent_state_mapping(
        read_mapping_yaml(path, AgentStateFileError), str(path)
    )


def check_agent_state_mapping(data: Any, source: str) -> dict[str, Any]:
    """The mapping ``data`` (parsed YAML) if well formed; else ``AgentStateFileError``."""
    if not isinstance(data, dict):
        raise AgentStateFileError(
            source,
            "a mapping file must be a YAML mapping with 'columns:' and/or 'states:'",
        )
    unknown_keys = sorted(str(k) for k in data if k not in _MAPPING_KEYS)
    if unknown_keys:
        raise AgentStateFileError(
            source,
            f"unknown key(s) {', '.join(unknown_keys)}; expected some of "
            f"{', '.join(_MAPPING_KEYS)}",
        )
    columns = data.get("columns") or {}
    states = data.get("states") or {}
    if not isinstance(columns, dict) or not isinstance(states, dict):
        raise AgentStateFileError(
            source, "'columns' and 'states' must be mappings (name: value)"
        )
    unknown = sorted(str(k) for k in columns if k not in FIELDS)
    if unknown:
        raise AgentStateFileError(
            source,
            f"unknown field(s) in 'columns': {', '.join(unknown)}; "
            f"expected some of: {', '.join(FIELDS)}",
        )
    try:
        classify_states([], mapping={str(k): str(v) for k, v in states.items()})
    except AgentStateError as exc:
        raise AgentStateFileError(source, f"in 'states': {exc}") from exc
    return dict(data)


def _parse_times(
    raw: ObjectArray, fmt: str | None
) -> tuple[TimeArray, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Times, and the masks of empty and unparseable cells (same rules as interactions)."""
    series = pd.Series(raw)
    parsed = pd.to_datetime(series, format=fmt or "ISO8601", errors="coerce", utc=True)
    if fmt:
        retry = parsed.isna() & (series != "")
        if retry.any():
            parsed[retry] = pd.to_datetime(
                series[retry], format="ISO8601", errors="coerce", utc=True
            )
    empty = (series == "").to_numpy()
    bad = parsed.isna().to_numpy() & ~empty
    values: TimeArray = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    return values, empty, bad


def read_agent_states(
    path: str | Path, mapping: Mapping[str, Any] | None = None
) -> AgentStateRecords:
    """Read and validate a CSV or XLSX agent-state file, all or nothing.

    Parameters
    ----------
    path
        A ``.csv`` (any of , ; tab | as delimiter, UTF-8) or ``.xlsx`` file.
    mapping
        The parsed mapping (see :func:`load_agent_state_mapping`); None means the
        headers are our field names and the state names are known ones.

    Raises
    ------
    AgentStateFileError
        Missing columns (listing expected and found), or any bad row; every
        problem is listed by row and column.
    """
    p = Path(path)
    source = str(path)
    mapping = dict(mapping or {})
    try:
        df = _read_table(p, mapping)
    except InteractionFileError as exc:
        raise AgentStateFileError(source, str(exc).removeprefix(f"{source}: ")) from exc
    found = [str(c) for c in df.columns]
    columns: dict[str, str] = {
        str(k): str(v) for k, v in (mapping.get("columns") or {}).items()
    }
    if not columns:
        columns = {f: f for f in FIELDS if f in found}
    missing_fields = [f for f in _REQUIRED if f not in columns]
    if "end" not in columns and "duration_seconds" not in columns:
        missing_fields.append("end (or duration_seconds)")
    missing_cols = [c for c in columns.values() if c not in found]
    if missing_fields or missing_cols:
        detail = []
        if missing_fields:
            detail.append(
                f"no column for required field(s) {', '.join(missing_fields)}"
            )
        if missing_cols:
            detail.append(
                f"column(s) not in the file: {', '.join(map(repr, missing_cols))}"
            )
        raise AgentStateFileError(
            source,
            f"{'; '.join(detail)}. Expected columns agent, state, start and end "
            f"(or duration_seconds), optionally unit and queue; "
            f"found columns: {', '.join(map(repr, found)) or '(none)'}",
        )
    n = len(df)
    rows = np.arange(2, n + 2, dtype=np.int64)
    issues = _Issues()

    def text(name: str) -> ObjectArray:
        if name not in columns:
            return np.full(n, "", dtype=object)
        out: ObjectArray = (
            df[columns[name]].astype(str).str.strip().to_numpy(dtype=object)
        )
        return out

    agent = text("agent")
    issues.add_mask(agent == "", rows, columns["agent"], agent, "agent is required")
    state = text("state")
    issues.add_mask(state == "", rows, columns["state"], state, "state is required")
    state_map = {str(k): str(v) for k, v in (mapping.get("states") or {}).items()}
    try:
        codes = classify_states(state, mapping=state_map, strict=False)
    except AgentStateError as exc:
        raise AgentStateFileError(source, f"in 'states': {exc}") from exc
    issues.add_mask(
        (codes < 0) & (state != ""),
        rows,
        columns["state"],
        state,
        "unknown state; map it to one of "
        f"{', '.join(STATE_CLASSES)} under 'states:' in the mapping",
    )

    fmt = mapping.get("datetime_format")
    start, empty, bad = _parse_times(text("start"), fmt)
    expected = f"expected {fmt or 'ISO 8601, e.g. 2024-03-01 14:05:00'}"
    issues.add_mask(
        bad, rows, columns["start"], text("start"), f"not a date-time ({expected})"
    )
    issues.add_mask(empty, rows, columns["start"], text("start"), "start is required")
    start_ok = ~(bad | empty)
    if "end" in columns:
        end, empty_end, bad_end = _parse_times(text("end"), fmt)
        raw_end = text("end")
        issues.add_mask(
            bad_end, rows, columns["end"], raw_end, f"not a date-time ({expected})"
        )
        issues.add_mask(empty_end, rows, columns["end"], raw_end, "end is required")
        end_ok = ~(bad_end | empty_end)
        issues.add_mask(
            start_ok & end_ok & (end < start),
            rows,
            columns["end"],
            raw_end,
            "ends before it starts",
        )
    else:
        raw = text("duration_seconds")
        seconds = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(
            dtype=np.float64
        )
        column = columns["duration_seconds"]
        issues.add_mask(
            np.isnan(seconds) & (raw != ""), rows, column, raw, "not a number"
        )
        issues.add_mask(raw == "", rows, column, raw, "duration is required")
        issues.add_mask(seconds < 0, rows, column, raw, "negative duration")
        end_ok = np.isfinite(seconds) & (seconds >= 0)
        end = start.copy()
        ok = start_ok & end_ok
        end[ok] = start[ok] + np.round(seconds[ok]).astype("timedelta64[s]")
    valid = start_ok & end_ok & (end >= start) & (agent != "")
    if valid.sum() > 1:
        idx = np.flatnonzero(valid)
        later, earlier = find_overlaps(
            agent[idx],
            start[idx].astype(np.int64),
            end[idx].astype(np.int64),
        )
        if later.size:
            mask = np.zeros(n, dtype=np.bool_)
            mask[idx[later]] = True
            other = np.zeros(n, dtype=np.int64)
            other[idx[later]] = rows[idx[earlier]]
            issues.total += int(mask.sum())
            for i in np.flatnonzero(mask)[:50].tolist():
                issues.items.append(
                    RowIssue(
                        int(rows[i]),
                        columns["start"],
                        f"agent {agent[i]!r} is still in the state of row "
                        f"{int(other[i])} then (records of one agent must not overlap)",
                        str(start[i]).replace("T", " "),
                    )
                )
    if issues.total:
        raise AgentStateFileError(
            source, "the file was not imported", tuple(issues.items), issues.total
        )
    return AgentStateRecords(
        source=source,
        format="agent-states-xlsx"
        if p.suffix.lower() in (".xlsx", ".xlsm")
        else "agent-states-csv",
        rows_read=n,
        source_row=rows,
        agent=agent,
        state=state,
        state_class=codes,
        start=start,
        end=end,
        unit=text("unit"),
        queue=text("queue"),
    )
