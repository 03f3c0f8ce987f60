"""Raw data: one column per question, item and part; rows streamed to CSV or SPSS.

Every text cell, headers included, goes through :func:`safe_cell`, so a comment
such as ``=HYPERLINK(...)`` is shown as text by every spreadsheet program.
Responses are read in key-ordered chunks (:func:`iter_raw_rows`) and written row
by row, so memory does not grow with the number of responses.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from satisfy.accounts.models import User
from satisfy.reports.queries import Filters, Source, series_key
from satisfy.responses.models import Answer
from satisfy.surveys.definition import QuestionType, SurveyDefinition, translate
from satisfy.surveys.models import Survey

DANGEROUS = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)
Progress = Callable[[int, int], None]


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will never run as a formula (numbers pass unchanged).

    OWASP "CSV injection": prefix cells starting with = + - @ tab or CR with a quote.
    """
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # series key: code, code.item, code.item.part
    label: str
    numeric: bool
    labels: dict[float, str]


def data_columns(definition: SurveyDefinition, language: str = "en") -> list[Column]:
    """One column per question, matrix item and part, in questionnaire order."""
    cols: list[Column] = []
    for q in definition.questions():
        numeric = q.type not in {QuestionType.TEXT, QuestionType.MULTIPLE} and (
            q.type != QuestionType.SINGLE
            or all(c.value is not None for c in q.choices if not c.is_na)
        )
        labels = {
            float(c.value): translate(c.label, language)
            for c in q.choices
            if c.value is not None and not c.is_na
        }
        text = translate(q.text, language)
        if q.items:
            parts = (
                list(getattr(q, "parts", ()) or ())
                if q.type == QuestionType.EXPECTATION_PERCEPTION
                else [""]
            )
            for item in q.items:
                for part in parts:
                    cols.append(
                        Column(
                            series_key(q.code, item.code, part),
                            f"{text} — {translate(item.label, language)}"
                            + (f" ({part})" if part else ""),
                            numeric,
                            labels,
                        )
                    )
        else:
            cols.append(Column(q.code, text, numeric, labels))
    return cols


META = (
    "response_id",
    "completed_at",
    "unit",
    "agent",
    "channel",
    "language",
    "queue",
    "customer_segment",
)
NA = "NA"


def iter_raw_rows(
    responses: Any,
    columns: Sequence[Column],
    *,
    chunk: int = 2000,
) -> Iterator[list[Any]]:
    """One list per response: the meta columns then one cell per column (streamed).

    Keyset pagination on the primary key: each chunk is one query for responses and
    one for their answers, so memory is bounded by the chunk size.
    """
    index = {c.key: i for i, c in enumerate(columns)}
    numeric = [c.numeric for c in columns]
    # One streamed query for the responses (in key order: no sort per chunk, no
    # OFFSET), and one answers query per chunk of ids.
    stream = (
        responses.order_by("pk")
        .values_list(
            "pk",
            "completed_at",
            "unit__code",
            "agent__code",
            "channel",
            "language",
            "queue",
            "customer_segment",
        )
        .iterator(chunk_size=chunk)
    )
    while True:
        rows = list(itertools.islice(stream, chunk))
        if not rows:
            return
        ids = [r[0] for r in rows]
        cells: dict[int, list[Any]] = {i: [None] * len(columns) for i in ids}
        answers = Answer.objects.filter(
            response_id__gte=ids[0], response_id__lte=ids[-1], response_id__in=ids
        ).values_list(
            "response_id",
            "question_code",
            "item_code",
            "part",
            "choice_code",
            "value",
            "text_value",
            "is_na",
        )
        for rid, code, item, part, choice, value, text, is_na in answers:
            j = index.get(series_key(code, item, part))
            if j is None:
                continue
            row = cells[rid]
            if is_na:
                row[j] = NA
            elif numeric[j] and value is not None:
                row[j] = value
            elif text:
                row[j] = text
            elif choice:
                row[j] = choice if row[j] is None else f"{row[j]};{choice}"
        for r in rows:
            completed = r[1].isoformat() if r[1] is not None else ""
            yield [r[0], completed, r[2] or "", r[3] or "", *r[4:], *cells[r[0]]]


def raw_source(user: User, survey: Survey, filters: Filters) -> tuple[Any, int]:
    responses = Source(user, survey, filters).responses()
    return responses, responses.count()


def write_csv(
    path: Path,
    *,
    responses: Any,
    columns: Sequence[Column],
    total: int,
    progress: Progress | None = None,
) -> int:
    """Raw data as UTF-8 CSV (with BOM, for Excel); returns the rows written."""
    written = 0
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        out = csv.writer(fh)
        out.writerow([safe_cell(h) for h in (*META, *(c.key for c in columns))])
        for row in iter_raw_rows(responses, columns):
            out.writerow([safe_cell(v) for v in row])
            written += 1
            if progress is not None and written % 5000 == 0:
                progress(written, total)
    return written


def write_sav(
    path: Path,
    *,
    responses: Any,
    columns: Sequence[Column],
    total: int,
    progress: Progress | None = None,
) -> int:
    """SPSS .sav with variable labels, value labels and NA as user-missing (-1)."""
    import pandas as pd
    import pyreadstat

    names = [_spss_name(c.key, i) for i, c in enumerate(columns)]
    meta_names = list(META)
    data: dict[str, list[Any]] = {n: [] for n in (*meta_names, *names)}
    written = 0
    for row in iter_raw_rows(responses, columns):
        for name, value in zip(meta_names, row[: len(META)], strict=True):
            data[name].append(
                "" if value is None else str(value) if name != "response_id" else value
            )
        for name, col, value in zip(names, columns, row[len(META) :], strict=True):
            if col.numeric:
                data[name].append(
                    -1.0 if value == NA else (None if value is None else float(value))
                )
            else:
                data[name].append("" if value is None else str(value))
        written += 1
        if progress is not None and written % 5000 == 0:
            progress(written, total)
    frame = pd.DataFrame(data)
    for name, col in zip(names, columns, strict=True):
        if col.numeric:
            frame[name] = frame[name].astype("float64")
    value_labels = {
        name: {**dict(col.labels.items()), -1.0: "Not applicable"}
        for name, col in zip(names, columns, strict=True)
        if col.numeric
    }
    missing: dict[str, list[Any]] = {
        name: [-1.0] for name, col in zip(names, columns, strict=True) if col.numeric
    }
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=[*META, *(c.label[:250] for c in columns)],
        variable_value_labels=value_labels,
        missing_ranges=missing,
    )
    return written


def _spss_name(key: str, i: int) -> str:
    """A valid SPSS variable name: letters, digits, underscore; starts with a letter."""
    name = "".join(ch if ch.isalnum() else "_" for ch in key)
    if not name or not name[0].isalpha():
        name = f"q{i}_{name}"
    return name[:64]
