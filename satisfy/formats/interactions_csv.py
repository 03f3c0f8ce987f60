"""Interaction files (CSV or XLSX) with a YAML column mapping, and the records type.

``InteractionRecords`` is the validated, columnar result every interaction
parser returns (this module's generic format and ``anonymous_bank``); the
database import and the ``satisfy kpi`` command both start from it. Parsing is
all or nothing: every problem is collected with its row and column and raised
together in one ``InteractionFileError``.

The mapping file (YAML) names, for each of our fields, the column that holds it::

    columns:                 # our field: the file's column header
      external_id: Call ID
      arrived_at: Start
      wait_seconds: Queue time
      talk_seconds: Talk
      outcome: Result
    outcome_values:          # the file's outcome codes -> ours (optional)
      ANS: answered
      ABN: abandoned_queue
    datetime_format: "%d/%m/%Y %H:%M:%S"   # optional, default ISO 8601
    delimiter: ";"           # optional, CSV only (default: sniffed)
    sheet: Calls             # optional, XLSX only (default: first sheet)
    channel: voice           # optional constant when there is no channel column

Without a mapping, the file's headers must be our field names.
See ``docs/data-formats.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml

__all__ = [
    "CHANNELS",
    "FIELDS",
    "OUTCOMES",
    "REQUIRED_FIELDS",
    "InteractionFileError",
    "InteractionRecords",
    "RowIssue",
    "load_mapping",
    "read_interactions",
    "read_mapping_yaml",
]

#: Outcomes of an interaction (same codes as ``Interaction.Outcome``).
OUTCOMES = ("answered", "abandoned_queue", "abandoned_ivr", "callback")
#: Channels (same codes as ``Interaction.Channel``).
CHANNELS = ("voice", "chat", "email", "sms", "social", "branch", "web")

_TEXT = (
    "external_id",
    "channel",
    "queue",
    "unit",
    "agent",
    "customer_id",
    "reason_code",
)
_TIMES = ("arrived_at", "ivr_exited_at", "queue_started_at", "answered_at", "ended_at")
_DURATIONS = (
    "ivr_seconds",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "after_call_work_seconds",
)
_FLAGS = ("is_escalated", "is_resolved")
#: Every field a file may map, in a stable order.
FIELDS = (*_TEXT, *_TIMES, *_DURATIONS, "outcome", "transfers", *_FLAGS)
#: Fields every generic file must have.
REQUIRED_FIELDS = ("arrived_at", "outcome", "wait_seconds")

_MAX_LISTED = 50
_TRUE = {"1", "true", "t", "yes", "y"}
_FALSE = {"0", "false", "f", "no", "n"}

ObjectArray = npt.NDArray[np.object_]
FloatArray = npt.NDArray[np.float64]
TimeArray = npt.NDArray[np.datetime64]


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem (or tolerated anomaly) at a file row and column."""

    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        shown = f" ({self.value!r})" if self.value else ""
        return f"row {self.row}, column {self.column!r}{shown}: {self.message}"


class InteractionFileError(ValueError):
    """The file was rejected; ``issues`` lists every problem by row and column."""

    def __init__(
        self,
        source: str,
        message: str,
        issues: tuple[RowIssue, ...] = (),
        total_issues: int | None = None,
    ) -> None:
        self.source = source
        self.issues = issues
        self.total_issues = len(issues) if total_issues is None else total_issues
        first = f"; first: {issues[0]}" if issues else ""
        more = (
            f" ({self.total_issues} problems in all)" if self.total_issues > 1 else ""
        )
        super().__init__(f"{source}: {message}{first}{more}")


@dataclass(frozen=True, slots=True)
class InteractionRecords:
    """Validated interactions as columns (one NumPy array per field).

    Text fields use "" for unknown; times are ``datetime64[s]`` (NaT unknown,
    naive wall-clock or UTC); durations and the numeric flags ``transfers``,
    ``is_escalated`` and ``is_resolved`` use NaN for unknown. ``source_row`` is
    the 1-based line (CSV) or row (XLSX) of each record. ``excluded`` counts
    records dropped before validation (e.g. PHANTOM calls) and ``warnings``
    lists tolerated anomalies by row. ``extra`` holds format-specific columns.
    """

    source: str
    format: str
    rows_read: int
    excluded: Mapping[str, int]
    warnings: tuple[RowIssue, ...]
    source_row: npt.NDArray[np.int64]
    external_id: ObjectArray
    channel: ObjectArray
    queue: ObjectArray
    unit: ObjectArray
    agent: ObjectArray
    customer_id: ObjectArray
    reason_code: ObjectArray
    outcome: ObjectArray
    arrived_at: TimeArray
    ivr_exited_at: TimeArray
    queue_started_at: TimeArray
    answered_at: TimeArray
    ended_at: TimeArray
    ivr_seconds: FloatArray
    wait_seconds: FloatArray
    talk_seconds: FloatArray
    hold_seconds: FloatArray
    after_call_work_seconds: FloatArray
    transfers: FloatArray
    is_escalated: FloatArray
    is_resolved: FloatArray
    extra: Mapping[str, npt.NDArray[Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return int(self.source_row.shape[0])

    def has(self, name: str) -> bool:
        """True when field ``name`` is known for at least one record."""
        values = getattr(self, name)
        if values.dtype.kind == "f":
            return bool((~np.isnan(values)).any())
        if values.dtype.kind == "M":
            return bool((~np.isnat(values)).any())
        return bool((values != "").any())

    def rows(self) -> Iterator[dict[str, Any]]:
        """Each record as a dict of plain Python values (None for unknown)."""
        for i in range(len(self)):
            out: dict[str, Any] = {"source_row": int(self.source_row[i])}
            for name in FIELDS:
                v = getattr(self, name)[i]
                if isinstance(v, np.datetime64):
                    out[name] = (
                        None if np.isnat(v) else v.astype("datetime64[s]").item()
                    )
                elif isinstance(v, (float, np.floating)):
                    out[name] = None if np.isnan(v) else float(v)
                else:
                    out[name] = v if v != "" else None
            yield out


def read_mapping_yaml(
    path: str | Path, error: type[InteractionFileError] = InteractionFileError
) -> Any:
    """The parsed YAML of a mapping file; ``error`` when it cannot be read or parsed."""
    source = str(path)
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise error(source, f"cannot read the mapping file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise error(source, f"not valid YAML: {exc}") from exc


def load_mapping(path: str | Path) -> dict[str, Any]:
    """Read and check a YAML mapping file; raise ``InteractionFileError`` if wrong."""
    source = str(path)
    data = read_mapping_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("columns", {}), dict):
        raise InteractionFileError(
            source, "a mapping file must be a YAML mapping with a 'columns:' section"
        )
    unknown = sorted(set(data.get("columns", {})) - set(FIELDS))
    if unknown:
        raise InteractionFileError(
            source,
            f"unknown field(s) in 'columns': {', '.join(unknown)}; "
            f"expected some of: {', '.join(FIELDS)}",
        )
    bad_outcomes = sorted(
        str(v) for v in (data.get("outcome_values") or {}).values() if v not in OUTCOMES
    )
    if bad_outcomes:
        raise InteractionFileError(
            source,
            f"'outcome_values' maps to unknown outcome(s) {', '.join(bad_outcomes)}; "
            f"expected one of {', '.join(OUTCOMES)}",
        )
    return data


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _read_table(path: Path, mapping: Mapping[str, Any]) -> pd.DataFrame:
    source = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            raise InteractionFileError(source, f"cannot open as XLSX: {exc}") from exc
        try:
            sheet = mapping.get("sheet")
            if sheet is not None and sheet not in wb.sheetnames:
                raise InteractionFileError(
                    source,
                    f"no sheet named {sheet!r}; found {', '.join(wb.sheetnames)}",
                )
            ws = wb[sheet] if sheet is not None else wb.worksheets[0]
            it = ws.iter_rows(values_only=True)
            header = [_cell_text(v) for v in next(it, ())]
            rows = [[_cell_text(v) for v in r] for r in it]
        finally:
            wb.close()
        width = len(header)
        rows = [(r + [""] * width)[:width] for r in rows if any(r)]
        return pd.DataFrame(rows, columns=header, dtype=object)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(65536)
    except OSError as exc:
        raise InteractionFileError(
            source, f"cannot read the file: {exc.strerror}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise InteractionFileError(source, f"not UTF-8 text: {exc}") from exc
    delimiter = mapping.get("delimiter")
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], ",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    try:
        return pd.read_csv(
            path,
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
            skipinitialspace=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise InteractionFileError(source, f"cannot parse as CSV: {exc}") from exc


def _map_values(values: ObjectArray, fn: Any) -> ObjectArray:
    """Apply ``fn`` to each distinct value only (columns here have few distinct values)."""
    if values.size == 0:
        return values
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    mapped = np.array([fn(u) for u in uniques.tolist()], dtype=object)
    out: ObjectArray = mapped[inverse.reshape(-1)]
    return out


class _Issues:
    """Collects row issues, keeping the first few of each column."""

    def __init__(self) -> None:
        self.items: list[RowIssue] = []
        self.total = 0

    def add_mask(
        self,
        mask: npt.NDArray[np.bool_],
        rows: npt.NDArray[np.int64],
        column: str,
        values: ObjectArray,
        message: str,
    ) -> None:
        idx = np.flatnonzero(mask)
        self.total += idx.size
        for i in idx[:_MAX_LISTED]:
            self.items.append(RowIssue(int(rows[i]), column, message, str(values[i])))


def read_interactions(
    path: str | Path, mapping: Mapping[str, Any] | None = None
) -> InteractionRecords:
    """Read and validate a CSV or XLSX interaction file, all or nothing.

    Parameters
    ----------
    path
        A ``.csv`` (any of , ; tab | as delimiter, UTF-8) or ``.xlsx`` file.
    mapping
        The parsed mapping (see :func:`load_mapping`); None means the headers
        are our field names.

    Returns
    -------
    InteractionRecords

    Raises
    ------
    InteractionFileError
        Missing columns (listing expected and found), or any bad value: an
        unparseable time, a non-number, a negative duration, an unknown
        outcome or channel; every problem is listed by row and column.
    """
    p = Path(path)
    source = str(path)
    mapping = dict(mapping or {})
    columns: dict[str, str] = {
        str(k): str(v) for k, v in (mapping.get("columns") or {}).items()
    }
    df = _read_table(p, mapping)
    found = [str(c) for c in df.columns]
    if not columns:
        columns = {f: f for f in FIELDS if f in found}
    missing_fields = [f for f in REQUIRED_FIELDS if f not in columns]
    missing_cols = [c for c in columns.values() if c not in found]
    if missing_fields or missing_cols:
        expected = ", ".join(f"{f} <- {columns.get(f, f)!r}" for f in REQUIRED_FIELDS)
        detail = []
        if missing_fields:
            detail.append(
                f"no column mapped for required field(s) {', '.join(missing_fields)}"
            )
        if missing_cols:
            detail.append(
                f"column(s) not in the file: {', '.join(map(repr, missing_cols))}"
            )
        raise InteractionFileError(
            source,
            f"{'; '.join(detail)}. Expected at least {expected}; "
            f"found columns: {', '.join(map(repr, found)) or '(none)'}",
        )
    n = len(df)
    rows = np.arange(2, n + 2, dtype=np.int64)
    issues = _Issues()

    stripped: dict[str, ObjectArray] = {}

    def text(name: str) -> ObjectArray:
        if name not in columns:
            return np.full(n, "", dtype=object)
        if name not in stripped:
            # the CSV reader drops leading blanks (skipinitialspace); XLSX cells are
            # stripped in _cell_text, so a per-cell strip here would only cost time
            stripped[name] = df[columns[name]].astype(str).to_numpy(dtype=object)
        return stripped[name].copy()

    outcome_raw = text("outcome")
    codes = {str(k): v for k, v in (mapping.get("outcome_values") or {}).items()}
    if codes:
        outcome = _map_values(outcome_raw, lambda v: codes.get(v, ""))
    else:
        outcome = _map_values(outcome_raw, str.lower)
    bad = ~np.isin(outcome, OUTCOMES)
    allowed = ", ".join(codes) if codes else ", ".join(OUTCOMES)
    issues.add_mask(
        bad,
        rows,
        columns["outcome"],
        outcome_raw,
        f"unknown outcome; expected one of {allowed}",
    )

    channel = _map_values(text("channel"), str.lower)
    if "channel" not in columns:
        channel[:] = str(mapping.get("channel", "voice"))
    channel[channel == ""] = str(mapping.get("channel", "voice"))
    issues.add_mask(
        ~np.isin(channel, CHANNELS),
        rows,
        columns.get("channel", "channel"),
        channel,
        f"unknown channel; expected one of {', '.join(CHANNELS)}",
    )

    fmt = mapping.get("datetime_format")
    times: dict[str, TimeArray] = {}
    for name in _TIMES:
        raw = text(name)
        if name not in columns:
            times[name] = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
            continue
        series = pd.Series(raw)
        parsed = pd.to_datetime(
            series, format=fmt or "ISO8601", errors="coerce", utc=True
        )
        if fmt:
            retry = parsed.isna() & (series != "")
            if retry.any():
                parsed[retry] = pd.to_datetime(
                    series[retry], format="ISO8601", errors="coerce", utc=True
                )
        empty = (series == "").to_numpy()
        unparsed = parsed.isna().to_numpy() & ~empty
        issues.add_mask(
            unparsed,
            rows,
            columns[name],
            raw,
            f"not a date-time (expected {fmt or 'ISO 8601, e.g. 2024-03-01 14:05:00'})",
        )
        if name == "arrived_at":
            issues.add_mask(empty, rows, columns[name], raw, "arrival time is required")
        times[name] = parsed.dt.tz_localize(None).to_numpy(dtype="datetime64[s]")

    numbers: dict[str, FloatArray] = {}
    for name in (*_DURATIONS, "transfers"):
        raw = text(name)
        if name not in columns:
            numbers[name] = np.full(n, np.nan)
            continue
        values = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(
            dtype=np.float64
        )
        empty = raw == ""
        issues.add_mask(
            np.isnan(values) & ~empty, rows, columns[name], raw, "not a number"
        )
        negative = values < 0
        issues.add_mask(
            negative,
            rows,
            columns[name],
            raw,
            "negative duration" if name != "transfers" else "negative count",
        )
        numbers[name] = values
    queued = np.isin(outcome, ("answered", "abandoned_queue"))
    issues.add_mask(
        queued & np.isnan(numbers["wait_seconds"]) & (text("wait_seconds") == ""),
        rows,
        columns["wait_seconds"],
        text("wait_seconds"),
        "wait is required for answered and abandoned calls",
    )

    flags: dict[str, FloatArray] = {}
    for name in _FLAGS:
        raw = text(name)
        low = _map_values(raw, str.lower)
        values = np.full(n, np.nan)
        values[np.isin(low, list(_TRUE))] = 1.0
        values[np.isin(low, list(_FALSE))] = 0.0
        if name in columns:
            issues.add_mask(
                np.isnan(values) & (low != ""),
                rows,
                columns[name],
                raw,
                "not a yes/no value (use true/false, yes/no or 1/0)",
            )
        flags[name] = values

    if issues.total:
        raise InteractionFileError(
            source, "the file was not imported", tuple(issues.items), issues.total
        )
    external_id = text("external_id")
    missing_id = external_id == ""
    external_id[missing_id] = np.array(
        [f"row-{r}" for r in rows[missing_id]], dtype=object
    )
    return InteractionRecords(
        source=source,
        format="interactions-csv"
        if p.suffix.lower() not in (".xlsx", ".xlsm")
        else "interactions-xlsx",
        rows_read=n,
        excluded={},
        warnings=(),
        source_row=rows,
        external_id=external_id,
        channel=channel,
        queue=text("queue"),
        unit=text("unit"),
        agent=text("agent"),
        customer_id=text("customer_id"),
        reason_code=text("reason_code"),
        outcome=outcome,
        arrived_at=times["arrived_at"],
        ivr_exited_at=times["ivr_exited_at"],
        queue_started_at=times["queue_started_at"],
        answered_at=times["answered_at"],
        ended_at=times["ended_at"],
        ivr_seconds=numbers["ivr_seconds"],
        wait_seconds=numbers["wait_seconds"],
        talk_seconds=numbers["talk_seconds"],
        hold_seconds=numbers["hold_seconds"],
        after_call_work_seconds=numbers["after_call_work_seconds"],
        transfers=numbers["transfers"],
        is_escalated=flags["is_escalated"],
        is_resolved=flags["is_resolved"],
    )
