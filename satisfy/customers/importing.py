"""Read customer files (CSV, XLSX) through a column mapping and validate every row.

No database here: :func:`parse_customers` turns a file into clean rows plus a list
of problems (row, column, reason). ``services.import_customers`` matches the clean
rows against stored customers and commits all or nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from satisfy.customers.normalise import (
    InvalidValueError,
    normalise_email,
    normalise_phone,
    parse_flag,
)
from satisfy.surveys.definition import LANGUAGES, normalize_language

FIELDS = (
    "external_id",
    "name",
    "email",
    "phone",
    "language",
    "segment",
    "unit",
    "consent",
    "opted_out",
)
"""Customer fields a file column can be mapped to; other columns become attributes."""

MAX_PROBLEMS = 1000
ATTRIBUTE_KEY = re.compile(r"[^a-z0-9]+")

Progress = Callable[[str, int], None]


class ImportFileError(ValueError):
    """The file cannot be read at all (wrong format, no header)."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One reason a file cannot be imported. ``row`` 1 is the header line."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which file column feeds which customer field.

    ``fields`` maps a customer field (:data:`FIELDS`) to a column header;
    ``attributes`` maps an attribute key to a column header. With
    ``keep_other_columns`` every unmapped column is kept as an attribute too.
    """

    fields: Mapping[str, str] = field(default_factory=dict)
    attributes: Mapping[str, str] = field(default_factory=dict)
    keep_other_columns: bool = True

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """Build from ``{"email": "E-mail", ..., "attributes": {...} | [...]}``."""
        fields: dict[str, str] = {}
        attributes: dict[str, str] = {}
        keep = bool(data.get("keep_other_columns", True))
        for key, value in data.items():
            if key == "keep_other_columns":
                continue
            if key == "attributes":
                if isinstance(value, Mapping):
                    attributes.update({str(k): str(v) for k, v in value.items()})
                elif isinstance(value, list | tuple):
                    attributes.update({attribute_key(str(v)): str(v) for v in value})
                else:
                    raise ValueError(
                        "attributes must be a list of columns or a mapping"
                    )
            elif key in FIELDS:
                fields[key] = str(value)
            else:
                raise ValueError(
                    f"unknown field {key!r} in the column mapping; "
                    f"use one of {', '.join(FIELDS)} or attributes"
                )
        return cls(fields=fields, attributes=attributes, keep_other_columns=keep)

    def column_for(self, name: str, header: list[str]) -> str | None:
        """The header of ``name``: mapped, else a column named like the field."""
        if name in self.fields:
            return self.fields[name]
        lowered = {h.strip().lower(): h for h in header}
        for candidate in (name, name.replace("_", " "), name.replace("_", "")):
            if candidate in lowered:
                return lowered[candidate]
        return None


def attribute_key(column: str) -> str:
    """``"Consumption level"`` -> ``"consumption_level"``."""
    return ATTRIBUTE_KEY.sub("_", column.strip().lower()).strip("_") or "column"


@dataclass(frozen=True, slots=True)
class CustomerRow:
    """One validated row, normalised; flags are None when the file left them blank."""

    row: int
    external_id: str
    name: str
    email: str
    phone: str
    language: str
    segment: str
    unit_code: str
    has_consent: bool | None
    opted_out: bool | None
    attributes: dict[str, str]


@dataclass
class ParsedFile:
    """Clean rows and every problem found; import only when ``problems`` is empty."""

    rows: list[CustomerRow]
    problems: list[ImportProblem]
    total_rows: int
    truncated: bool = False

    def add(self, row: int, column: str, reason: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            return
        self.problems.append(ImportProblem(row=row, column=column, reason=reason))


def _csv_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    text = codecs.getreader("utf-8-sig")(stream)
    # Sniff from the first 64 kB, completed to the end of its last line.
    sample = text.read(64 * 1024)
    sample += text.readline()
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample, delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    rest = io.StringIO(sample)
    reader = csv.reader(_chain(rest, text), dialect)
    yield from reader


def _chain(first: io.StringIO, rest: Any) -> Iterator[str]:
    yield from first
    yield from rest


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise ImportFileError(f"not a readable XLSX workbook ({exc})") from None
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_cell(value) for value in values]
    book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # phone numbers and ids typed as numbers
    return str(value)


def read_table(stream: IO[bytes], *, filename: str) -> Iterator[list[str]]:
    """Rows of cells (header first) from a CSV or XLSX file, by file name."""
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _xlsx_rows(stream)
    if lower.endswith((".csv", ".txt", ".tsv")):
        return _csv_rows(stream)
    raise ImportFileError(f"{filename}: use a .csv or .xlsx file")


def parse_customers(
    stream: IO[bytes],
    *,
    filename: str,
    mapping: ColumnMapping,
    region: str = "",
    progress: Progress | None = None,
) -> ParsedFile:
    """Validate every row of a customer file; never stops at the first problem."""
    result = ParsedFile(rows=[], problems=[], total_rows=0)
    try:
        rows = read_table(stream, filename=filename)
        header = [cell.strip() for cell in next(rows, [])]
    except UnicodeDecodeError:
        raise ImportFileError(f"{filename}: the file is not UTF-8 text") from None
    if not any(header):
        raise ImportFileError(f"{filename}: the file is empty (no header line)")
    position = {name: index for index, name in enumerate(header) if name}
    columns: dict[str, int | None] = {}
    for name in FIELDS:
        column = mapping.column_for(name, header)
        if column is not None and column not in position:
            result.add(1, column, f"column {column!r} for {name} is not in the file")
        columns[name] = position.get(column) if column is not None else None
    if (
        columns["external_id"] is None
        and columns["email"] is None
        and columns["phone"] is None
    ):
        result.add(
            1, "", "map an external id, e-mail or phone column to identify customers"
        )
    attributes: dict[str, int] = {}
    for key, column in mapping.attributes.items():
        if column not in position:
            result.add(1, column, f"attribute column {column!r} is not in the file")
        else:
            attributes[key] = position[column]
    if mapping.keep_other_columns:
        used = {i for i in columns.values() if i is not None} | set(attributes.values())
        for name, index in position.items():
            if index not in used:
                attributes.setdefault(attribute_key(name), index)
    if result.problems:
        return result

    seen: dict[tuple[str, str], int] = {}
    width = len(header)
    try:
        for number, cells in enumerate(rows, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not rows
            result.total_rows += 1
            if progress is not None and result.total_rows % 50_000 == 0:
                progress("validated", result.total_rows)
            if len(cells) < width:
                cells = [*cells, *[""] * (width - len(cells))]
            parsed = _parse_row(
                number, cells, columns, attributes, region, header, result
            )
            if parsed is None:
                continue
            for kind, value in (
                ("external id", parsed.external_id),
                ("e-mail", parsed.email),
                ("phone", parsed.phone),
            ):
                if not value:
                    continue
                first = seen.setdefault((kind, value), number)
                if first != number:
                    result.add(number, kind, f"same {kind} as row {first}")
            result.rows.append(parsed)
    except UnicodeDecodeError:
        raise ImportFileError(f"{filename}: the file is not UTF-8 text") from None
    except csv.Error as exc:
        raise ImportFileError(f"{filename}: not a readable CSV file ({exc})") from None
    if progress is not None:
        progress("validated", result.total_rows)
    if result.total_rows == 0:
        result.add(2, "", "the file has a header but no customers")
    return result


def _parse_row(
    number: int,
    cells: list[str],
    columns: Mapping[str, int | None],
    attributes: Mapping[str, int],
    region: str,
    header: list[str],
    result: ParsedFile,
) -> CustomerRow | None:
    def cell(name: str) -> str:
        index = columns[name]
        return cells[index].strip() if index is not None else ""

    def column(name: str) -> str:
        index = columns[name]
        return header[index] if index is not None else name

    ok = True
    email = phone = ""
    try:
        email = normalise_email(cell("email"))
    except InvalidValueError as exc:
        result.add(number, column("email"), str(exc))
        ok = False
    try:
        phone = normalise_phone(cell("phone"), region=region)
    except InvalidValueError as exc:
        result.add(number, column("phone"), str(exc))
        ok = False
    external_id = cell("external_id")
    if len(external_id) > 100:
        result.add(number, column("external_id"), "longer than 100 characters")
        ok = False
    if not external_id and not email and not phone:
        result.add(number, column("external_id"), "no external id, e-mail or phone")
        ok = False
    language = "en"
    raw_language = cell("language")
    if raw_language:
        known = normalize_language(raw_language)
        if known is None:
            result.add(
                number,
                column("language"),
                f"{raw_language!r} is not a supported language ({', '.join(LANGUAGES)})",
            )
            ok = False
        else:
            language = known
    flags: dict[str, bool | None] = {}
    for name in ("consent", "opted_out"):
        try:
            flags[name] = parse_flag(cell(name))
        except InvalidValueError as exc:
            result.add(number, column(name), str(exc))
            ok = False
    name = cell("name")
    if len(name) > 200:
        result.add(number, column("name"), "longer than 200 characters")
        ok = False
    segment = cell("segment")
    if len(segment) > 50:
        result.add(number, column("segment"), "longer than 50 characters")
        ok = False
    if not ok:
        return None
    return CustomerRow(
        row=number,
        external_id=external_id,
        name=name,
        email=email,
        phone=phone,
        language=language,
        segment=segment,
        unit_code=cell("unit"),
        has_consent=flags["consent"],
        opted_out=flags["opted_out"],
        attributes={
            key: cells[index].strip()
            for key, index in attributes.items()
            if index < len(cells) and cells[index].strip()
        },
    )
