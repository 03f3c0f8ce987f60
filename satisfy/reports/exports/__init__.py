"""Exports of a dashboard: XLSX, PDF, DOCX, CSV and SPSS .sav.

* XLSX, PDF and DOCX also carry the analysis pages where they apply: key drivers
  (LMG shares, importance–performance grid), SERVQUAL gaps and the ECSI index model
  (:func:`build_analysis` calls the pages' own builders). A section that does not
  apply is replaced by one line saying why (questions not asked, too few answers).

* Every text cell, headers included, goes through :func:`safe_cell`, so a comment
  such as ``=HYPERLINK(...)`` is shown as text by every spreadsheet program.
* Raw data are streamed: responses are read in key-ordered chunks and written row by
  row (XlsxWriter's ``constant_memory`` mode, the ``csv`` module), so memory does not
  grow with the number of responses. Writers report the rows written; nothing is cut
  off silently (an XLSX sheet holds 1,048,575 data rows: beyond that the data continue
  on "Data 2", "Data 3" …).
* Chinese text in PDFs needs a CJK font: :func:`find_cjk_font` looks at
  ``SATISFY_PDF_FONT`` and the usual Noto/WenQuanYi/Droid paths; the font is subset to
  the characters used and (for CFF-flavoured OpenType such as Noto Sans CJK) converted
  to TrueType outlines, which reportlab can embed. Without one, :class:`FontMissingError`
  says how to install or configure it.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from satisfy.accounts.models import User
from satisfy.analytics.charts_drivers import ECSI_LAYOUT
from satisfy.analytics.gaps import GapResult
from satisfy.reports.analysis import DriverReport
from satisfy.reports.dashboard import Dashboard, ui_language
from satisfy.reports.queries import Filters, Source, series_key
from satisfy.reports.structure import GapReport, IndexReport
from satisfy.responses.models import Answer
from satisfy.surveys.definition import QuestionType, SurveyDefinition, translate
from satisfy.surveys.models import Survey

logger = logging.getLogger(__name__)

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
XLSX_MAX_ROWS = 1_048_576
Progress = Callable[[int, int], None]


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet will never run as a formula (numbers pass unchanged).

    OWASP "CSV injection": prefix cells starting with = + - @ tab or CR with a quote.
    """
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


class FontMissingError(RuntimeError):
    """No CJK font for Chinese text in a PDF."""


# ------------------------------------------------------------------------- raw data


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


# ----------------------------------------------------------------------- tables


def card_rows(dash: Dashboard) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for c in dash.cards:
        if c.result is None:
            rows.append([c.label, None, 0, None, None, None, None, _("no answers")])
            continue
        if c.suppressed:
            rows.append(
                [
                    c.label,
                    None,
                    c.result.n,
                    None,
                    None,
                    None,
                    None,
                    _("fewer than %(n)s answers") % {"n": dash.min_n},
                ]
            )
            continue
        ch = c.change
        rows.append(
            [
                c.label,
                round(c.result.value, 2),
                c.result.n,
                round(c.result.ci_low, 2),
                round(c.result.ci_high, 2),
                None if ch is None else round(ch.difference, 2),
                None if ch is None else round(ch.p_value, 4),
                ""
                if ch is None
                else (_("significant") if ch.is_significant else _("within noise")),
            ]
        )
    return rows


CARD_HEAD = ["Index", "Value", "n", "CI low", "CI high", "Change", "p", "Significance"]
TREND_HEAD = ["Period", "Responses", "CSI", "CSAT %", "NPS", "CES"]
UNIT_HEAD = ["Unit", "Responses", "CSAT %", "NPS", "CSI"]
DIM_HEAD = ["Dimension", "Question", "n", "Score 0–100", "CI low", "CI high"]
QUESTION_HEAD = ["Question", "Answer", "Value", "Count", "Share %"]


def trend_rows(dash: Dashboard) -> list[list[Any]]:
    return [
        [
            r["period"].isoformat(),
            r["n"],
            *(
                None if r[k] is None else round(r[k].value, 2)
                for k in ("csi", "csat", "nps", "ces")
            ),
        ]
        for r in dash.trend
    ]


def unit_rows(dash: Dashboard) -> list[list[Any]]:
    out = []
    for r in dash.breakdown:
        if r["suppressed"]:
            out.append([r["unit"].name, r["n"], None, None, None])
        else:
            out.append(
                [
                    r["unit"].name,
                    r["n"],
                    *(
                        None if r[k] is None else round(r[k].value, 2)
                        for k in ("csat", "nps", "csi")
                    ),
                ]
            )
    return out


def dimension_rows(dash: Dashboard) -> list[list[Any]]:
    return [
        [
            d["dimension"],
            d["text"],
            d["n"],
            *(
                [None, None, None]
                if d["suppressed"] or d["score"] is None
                else [
                    round(d["score"].value, 2),
                    round(d["score"].ci_low, 2),
                    round(d["score"].ci_high, 2),
                ]
            ),
        ]
        for d in dash.dimensions
    ]


def question_rows(dash: Dashboard) -> list[list[Any]]:
    out: list[list[Any]] = []
    for q in dash.questions:
        if q["suppressed"]:
            out.append(
                [
                    q["text"],
                    _("fewer than %(n)s answers") % {"n": dash.min_n},
                    None,
                    q["n"],
                    None,
                ]
            )
            continue
        for r in q["rows"]:
            out.append(
                [q["text"], r["label"], r["point"], r["count"], round(r["pct"], 1)]
            )
        if q["n_na"]:
            out.append([q["text"], _("Not applicable"), None, q["n_na"], None])
    return out


def comment_rows(dash: Dashboard) -> list[list[Any]]:
    return [
        [
            c.response.completed_at.date().isoformat()
            if c.response.completed_at
            else "",
            c.response.unit.name if c.response.unit else "",
            c.text_value,
        ]
        for c in dash.comments
    ]


def title_lines(dash: Dashboard) -> list[str]:
    f = dash.filters
    lines = [
        f"{dash.survey.title}",
        _("%(start)s to %(end)s · %(n)s completed responses")
        % {
            "start": f.period.start.isoformat(),
            "end": f.period.end.isoformat(),
            "n": dash.n_responses,
        },
    ]
    if f.unit is not None:
        lines.append(_("Unit: %(unit)s") % {"unit": f.unit.name})
    if f.wave_id:
        lines.append(_("Wave %(id)s") % {"id": f.wave_id})
    return lines


# ----------------------------------------------------------------------- analyses


@dataclass
class AnalysisTable:
    """One table of an analysis section; ``decimals`` gives each column's precision."""

    title: str | None
    header: list[str]
    rows: list[list[Any]]
    decimals: list[int]


@dataclass
class AnalysisSection:
    """A section of the analysis pages as the exports show it."""

    key: str  # "drivers", "gaps", "index"
    heading: str
    sheet: str
    lines: list[str]
    tables: list[AnalysisTable]
    charts: list[str]  # keys of :func:`_png_charts`


@dataclass
class Analysis:
    """Key drivers, SERVQUAL gaps and the ECSI model for one export.

    A report that does not apply (questions not asked, too few respondents) is
    ``None`` and ``notes`` has one line saying why.
    """

    drivers: DriverReport | None = None
    gaps: GapReport | None = None
    index: IndexReport | None = None
    questions: dict[str, str] = field(default_factory=dict)  # driver → wording
    notes: list[str] = field(default_factory=list)

    def sections(self) -> list[AnalysisSection]:
        out = []
        if self.drivers is not None:
            out.append(driver_section(self.drivers, self.questions))
        if self.gaps is not None:
            out.append(gap_section(self.gaps))
        if self.index is not None:
            out.append(index_section(self.index))
        return out


def _answered(
    user: User, survey: Survey, filters: Filters, codes: Sequence[str], *, all_of: bool
) -> int:
    """Respondents with a value (not "not applicable") for all (or any) of ``codes``.

    One aggregate query; used only to say why an analysis was left out.
    """
    from django.db.models import Count

    responses = Source(user, survey, filters).responses()
    answers = (
        Answer.objects.filter(
            response__in=responses.values("pk"),
            question_code__in=list(codes),
            is_na=False,
            value__isnull=False,
        )
        .order_by()
        .values("response_id")
    )
    if not all_of:
        return answers.distinct().count()
    return (
        answers.annotate(k=Count("question_code", distinct=True))
        .filter(k=len(set(codes)))
        .count()
    )


def _estimate(label: str, notes: list[str], build: Callable[[], Any]) -> Any:
    """Run one analysis builder; a model that cannot be fitted becomes a note."""
    try:
        return build()
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
        logger.warning("%s left out of the export: %s", label, exc)
        notes.append(
            _("%(section)s: could not be estimated on these answers (%(error)s).")
            % {"section": label, "error": exc}
        )
        return None


def build_analysis(
    *, user: User, survey: Survey, filters: Filters, definition: SurveyDefinition
) -> Analysis:
    """The three analysis pages' results for these filters (as the pages build them)."""
    from satisfy.analytics import ECSI_MODEL
    from satisfy.reports import analysis, structure

    out = Analysis()
    codes = set(definition.question_codes)
    language = ui_language()

    # key drivers
    label = _("Key drivers")
    needed = (analysis.TARGET, *analysis.DRIVERS)
    if not all(c in codes for c in needed):
        out.notes.append(
            _("%(section)s: not asked in this survey (needs the questions %(codes)s).")
            % {"section": label, "codes": ", ".join(needed)}
        )
    else:
        out.drivers = _estimate(
            label,
            out.notes,
            lambda: analysis.driver_analysis(user=user, survey=survey, filters=filters),
        )
        if out.drivers is not None:
            out.questions = {
                q.code: translate(q.text, language)
                for q in definition.questions()
                if q.code in analysis.DRIVERS
            }
        elif len(out.notes) == 0:
            n = _answered(user, survey, filters, needed, all_of=True)
            out.notes.append(
                _(
                    "%(section)s: not enough complete answers (n = %(n)s, needs %(min)s)."
                )
                % {
                    "section": label,
                    "n": n,
                    "min": max(30, settings.SATISFY_MIN_N),
                }
            )

    # SERVQUAL gaps
    label = _("Gaps")
    before = len(out.notes)
    gap_codes = [
        q.code
        for q in definition.questions()
        if q.type == QuestionType.EXPECTATION_PERCEPTION
    ]
    if not gap_codes:
        out.notes.append(
            _("%(section)s: the survey has no expectation/perception questions.")
            % {"section": label}
        )
    else:
        out.gaps = _estimate(
            label,
            out.notes,
            lambda: structure.gap_report(user=user, survey=survey, filters=filters),
        )
        if out.gaps is None and len(out.notes) == before:
            n = _answered(user, survey, filters, gap_codes, all_of=False)
            if n < settings.SATISFY_MIN_N:
                out.notes.append(
                    _("%(section)s: not enough answers (n = %(n)s, needs %(min)s).")
                    % {"section": label, "n": n, "min": settings.SATISFY_MIN_N}
                )
            else:
                out.notes.append(
                    _("%(section)s: no item has both an expectation and a perception.")
                    % {"section": label}
                )

    # the ECSI index model
    label = _("Index model")
    before = len(out.notes)
    ecsi = [c for items in ECSI_MODEL.blocks.values() for c in items]
    if not all(c in codes for c in ecsi):
        out.notes.append(
            _("%(section)s: the survey does not have the ECSI questions.")
            % {"section": label}
        )
    else:
        out.index = _estimate(
            label,
            out.notes,
            lambda: structure.index_report(user=user, survey=survey, filters=filters),
        )
        if out.index is None and len(out.notes) == before:
            n = _answered(user, survey, filters, ecsi, all_of=True)
            out.notes.append(
                _(
                    "%(section)s: not enough complete answers (n = %(n)s, needs %(min)s)."
                )
                % {"section": label, "n": n, "min": structure.MIN_RESPONDENTS}
            )
    return out


def quadrant_name(quadrant: str) -> str:
    names = {
        "concentrate_here": _("Concentrate here"),
        "keep_up_the_good_work": _("Keep up the good work"),
        "low_priority": _("Low priority"),
        "possible_overkill": _("Possible overkill"),
    }
    return names.get(quadrant, quadrant)


def driver_section(report: DriverReport, questions: dict[str, str]) -> AnalysisSection:
    """Driver importance (LMG share of R²), the IPA grid and focus list, with n."""
    result, ipa = report.result, report.ipa
    label = report.labels
    with_ci = result.shares_ci is not None
    header = [_("Item"), _("Question"), _("Share of R² %")]
    decimals = [0, 0, 1]
    if with_ci:
        header += [_("CI low %"), _("CI high %")]
        decimals += [1, 1]
    header += [
        _("Rank"),
        _("Coefficient"),
        _("Performance 0–100"),
        _("Quadrant"),
        "n",
    ]
    decimals += [0, 3, 1, 0, 0]
    rows: list[list[Any]] = []
    for item in sorted(ipa.items, key=lambda it: it.importance_rank):
        row: list[Any] = [
            label.get(item.name, item.name),
            questions.get(item.name, ""),
            100 * result.shares[item.name],
        ]
        if result.shares_ci is not None:
            low, high = result.shares_ci[item.name]
            row += [100 * low, 100 * high]
        row += [
            item.importance_rank,
            result.coefficients[item.name],
            item.performance,
            quadrant_name(item.quadrant),
            report.n,
        ]
        rows.append(row)
    grid = [
        [
            quadrant_name(q),
            hint,
            ", ".join(
                label.get(it.name, it.name) for it in ipa.items if it.quadrant == q
            )
            or "—",
        ]
        for q, hint in (
            ("concentrate_here", _("high importance, low performance")),
            ("keep_up_the_good_work", _("high importance, high performance")),
            ("low_priority", _("low importance, low performance")),
            ("possible_overkill", _("low importance, high performance")),
        )
    ]
    focus = ", ".join(label.get(f, f) for f in ipa.focus_areas) or _("none")
    lines = [
        report.summary,
        _(
            "Relative importance (LMG: each item's share of the explained variance "
            "R² = %(r2).2f) of the post-contact items for overall satisfaction, over "
            "n = %(n)s respondents who answered all of them."
        )
        % {"r2": result.r2, "n": report.n},
        _(
            "Importance–performance grid: importance cut %(icut).1f%% of R², "
            "performance cut %(pcut).1f out of 100 (%(rule)s)."
        )
        % {
            "icut": 100 * ipa.importance_cut,
            "pcut": ipa.performance_cut,
            "rule": ipa.cut_rule,
        },
        _("Focus areas: %(focus)s.") % {"focus": focus},
    ]
    return AnalysisSection(
        key="drivers",
        heading=_("Key drivers"),
        sheet=_("Key drivers"),
        lines=lines,
        tables=[
            AnalysisTable(_("Driver importance"), header, rows, decimals),
            AnalysisTable(
                _("Importance–performance grid"),
                [_("Quadrant"), _("Meaning"), _("Items")],
                grid,
                [0, 0, 0],
            ),
        ],
        charts=["drivers", "ipa"],
    )


def gap_section(report: GapReport) -> AnalysisSection:
    """Dimension and item gaps (perception − expectation) with paired tests and n."""
    from satisfy.analytics.compare import adjust_p_values

    def row(name: str, g: GapResult) -> list[Any]:
        return [
            name,
            g.n,
            g.mean_reference,
            g.mean_actual,
            g.gap,
            g.ci_low,
            g.ci_high,
            g.t,
            g.p_value,
        ]

    head = [
        _("Expectation"),
        _("Perception"),
        _("Gap"),
        _("CI low"),
        _("CI high"),
        "t",
        "p",
    ]
    dims = [row(name, g) for name, g in report.dimension_rows]
    holm = (
        [float(p) for p in adjust_p_values([g.p_value for _n, g in report.item_rows])]
        if report.item_rows
        else []
    )
    items = [
        [*row(name, g), p] for (name, g), p in zip(report.item_rows, holm, strict=True)
    ]
    tables = []
    if dims:
        tables.append(
            AnalysisTable(
                _("Dimensions"),
                [_("Dimension"), "n", *head],
                dims,
                [0, 0, 2, 2, 2, 2, 2, 2, 4],
            )
        )
    tables.append(
        AnalysisTable(
            _("Items"),
            [_("Item"), "n", *head, _("p (Holm)")],
            items,
            [0, 0, 2, 2, 2, 2, 2, 2, 4, 4],
        )
    )
    return AnalysisSection(
        key="gaps",
        heading=_("Expectation and perception gaps"),
        sheet=_("Gaps"),
        lines=[
            report.summary,
            _(
                "Gap = perception − expectation for each item (SERVQUAL), with a "
                "paired 95%% interval and t-test, over n = %(n)s respondents; item "
                "p-values are also shown Holm-adjusted."
            )
            % {"n": report.n},
        ],
        tables=tables,
        charts=["gaps"],
    )


def index_section(report: IndexReport) -> AnalysisSection:
    """ECSI indices 0–100, R², path coefficients and block reliability, with n."""
    result = report.result
    indices = [[name, value, r2, report.n] for name, value, r2 in report.labelled_rows]
    paths = [
        [label, value, result.effects[key].total if key in result.effects else None]
        for (label, value), key in zip(report.labelled_paths, result.paths, strict=True)
    ]
    reliability = [
        [
            report.label(lv),
            rel.n_indicators,
            rel.alpha_raw,
            rel.composite_reliability,
            rel.rho_a,
            rel.ave,
        ]
        for lv, rel in result.reliability.items()
    ]
    return AnalysisSection(
        key="index",
        heading=_("Satisfaction index model (ECSI)"),
        sheet=_("Index model"),
        lines=[
            report.summary,
            _(
                "PLS path model of the ECSI (image, expectations, quality, value → "
                "satisfaction → complaints, loyalty) over n = %(n)s respondents who "
                "answered every item; indices are rescaled to 0–100 from the 1–10 "
                "scale; GoF %(gof).2f."
            )
            % {"n": report.n, "gof": result.gof},
        ],
        tables=[
            AnalysisTable(
                _("Indices and explained variance"),
                [_("Latent variable"), _("Index 0–100"), "R²", "n"],
                indices,
                [0, 1, 3, 0],
            ),
            AnalysisTable(
                _("Paths"),
                [_("Path"), _("Coefficient"), _("Total effect")],
                paths,
                [0, 3, 3],
            ),
            AnalysisTable(
                _("Reliability"),
                [
                    _("Latent variable"),
                    _("Indicators"),
                    _("Cronbach's alpha"),
                    _("Composite reliability"),
                    "rho_A",
                    "AVE",
                ],
                reliability,
                [0, 0, 3, 3, 3, 3],
            ),
        ],
        charts=["paths"],
    )


def column_widths(
    table: AnalysisTable,
    measure: Callable[[str, bool], float],
    total: float = 170.0,
    padding: float = 4.6,
) -> list[float]:
    """Column widths (mm) for a PDF table: numbers as wide as their longest value or
    header word, text columns share the rest by their length.

    ``measure(text, bold)`` gives a text's width in millimetres.
    """
    count = len(table.header)
    cells = [
        [fmt_value(r[j], table.decimals[j]) for r in table.rows] for j in range(count)
    ]
    text = [
        j == 0 or any(isinstance(r[j], str) for r in table.rows) for j in range(count)
    ]
    widths: list[float] = []
    for j in range(count):
        words = str(table.header[j]).split() or [""]
        need = max(measure(w, True) for w in words)
        if text[j]:  # the longest word fits on a line (up to 40 mm)
            longest = [measure(w, False) for c in cells[j] for w in c.split()]
            need = min(40.0, max([need, *longest]))
        else:
            need = max([need, *(measure(c, False) for c in cells[j])])
        widths.append(need * 1.08 + padding)  # slack: bold and kerning vary
    fixed = sum(w for w, t in zip(widths, text, strict=True) if not t)
    rest = max(total - fixed, 30.0 * sum(text))
    weights = {
        j: max(8, min(40, max(len(c) for c in [str(table.header[j]), *cells[j]])))
        for j in range(count)
        if text[j]
    }
    scale = rest / sum(weights.values())
    out = [
        max(widths[j], weights[j] * scale) if text[j] else widths[j]
        for j in range(count)
    ]
    shrink = min(1.0, total / sum(out))
    return [w * shrink for w in out]


def fmt_value(v: Any, decimals: int = 1) -> str:
    """A table cell as text (floats with ``decimals`` places; blanks for None/NaN)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return f"{v:.{decimals}f}"
    return str(v)


def _sheet_name(name: str, book: Any) -> str:
    """A valid, unused worksheet name (31 characters, none of []:*?/\\)."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    taken = {sheet.name.lower() for sheet in book.worksheets()}
    candidate, k = clean, 2
    while candidate.lower() in taken:
        candidate = f"{clean[:28]} {k}"
        k += 1
    return candidate


# -------------------------------------------------------------------------- XLSX


def write_xlsx(
    path: Path,
    dash: Dashboard,
    *,
    responses: Any = None,
    columns: Sequence[Column] = (),
    total: int = 0,
    progress: Progress | None = None,
    max_rows: int = XLSX_MAX_ROWS,
    analysis: Analysis | None = None,
) -> int:
    """Formatted tables with native charts, one sheet per breakdown and per analysis
    (tables and the PDF's chart pictures), raw data streamed."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        },
    )
    head = book.add_format(
        {"bold": True, "bg_color": "#DDE7F3", "border": 1, "text_wrap": True}
    )
    title = book.add_format({"bold": True, "font_size": 14})
    bold = book.add_format({"bold": True})
    num = book.add_format({"num_format": "0.0"})
    places = {d: book.add_format({"num_format": "0." + "0" * d}) for d in range(1, 5)}

    def table(
        sheet: Any, first: int, header: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> int:
        for j, h in enumerate(header):
            sheet.write_string(first, j, safe_cell(str(h)), head)
        for i, row in enumerate(rows, start=first + 1):
            for j, v in enumerate(row):
                if v is None:
                    sheet.write_blank(i, j, None)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    sheet.write_number(i, j, v, num if isinstance(v, float) else None)
                else:
                    sheet.write_string(i, j, safe_cell(str(v)))
        return first + 1 + len(rows)

    summary = book.add_worksheet(_("Summary")[:31])
    summary.set_column(0, 0, 18)
    summary.set_column(1, 7, 12)
    for i, line in enumerate(title_lines(dash)):
        summary.write_string(i, 0, safe_cell(line), title if i == 0 else None)
    start = len(title_lines(dash)) + 1
    end = table(summary, start, CARD_HEAD, card_rows(dash))
    if analysis is not None and analysis.notes:
        summary.write_string(end + 1, 0, safe_cell(_("Analyses")), bold)
        for k, note in enumerate(analysis.notes, start=end + 2):
            summary.write_string(k, 0, safe_cell(note))

    trend = book.add_worksheet(_("Trend")[:31])
    trend.set_column(0, 0, 14)
    t_rows = trend_rows(dash)
    table(trend, 0, TREND_HEAD, t_rows)
    if t_rows:
        chart = book.add_chart({"type": "line"})
        for j, name in ((2, "CSI"), (3, "CSAT %")):
            chart.add_series(
                {
                    "name": name,
                    "categories": [trend.name, 1, 0, len(t_rows), 0],
                    "values": [trend.name, 1, j, len(t_rows), j],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_title({"name": _("CSI and CSAT over time")})
        chart.set_y_axis({"min": 0, "max": 100})
        trend.insert_chart(1, 8, chart)

    units = book.add_worksheet(_("By unit")[:31])
    units.set_column(0, 0, 28)
    u_rows = unit_rows(dash)
    table(units, 0, UNIT_HEAD, u_rows)
    if u_rows:
        chart = book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": "CSAT %",
                "categories": [units.name, 1, 0, len(u_rows), 0],
                "values": [units.name, 1, 2, len(u_rows), 2],
            }
        )
        chart.set_title({"name": _("CSAT by unit")})
        units.insert_chart(1, 7, chart)

    dims = book.add_worksheet(_("Dimensions")[:31])
    dims.set_column(1, 1, 50)
    d_rows = dimension_rows(dash)
    table(dims, 0, DIM_HEAD, d_rows)
    if d_rows:
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": _("Score 0–100"),
                "categories": [dims.name, 1, 0, len(d_rows), 0],
                "values": [dims.name, 1, 3, len(d_rows), 3],
            }
        )
        chart.set_y_axis({"min": 0, "max": 100})
        dims.insert_chart(1, 7, chart)

    qs = book.add_worksheet(_("Questions")[:31])
    qs.set_column(0, 1, 40)
    table(qs, 0, QUESTION_HEAD, question_rows(dash))

    com = book.add_worksheet(_("Comments")[:31])
    com.set_column(2, 2, 80)
    table(com, 0, ["Date", "Unit", "Comment"], comment_rows(dash))

    if analysis is not None:
        charts = _png_charts(dash, analysis, dashboard=False)
        for section in analysis.sections():
            sheet = book.add_worksheet(_sheet_name(section.sheet, book))
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, 12, 13)
            sheet.write_string(0, 0, safe_cell(section.heading), title)
            row_i = 1
            for k, line in enumerate(section.lines):
                sheet.write_string(row_i, 0, safe_cell(line), bold if k == 0 else None)
                row_i += 1
            for t in section.tables:
                row_i += 1
                if t.title:
                    sheet.write_string(row_i, 0, safe_cell(t.title), bold)
                    row_i += 1
                for j, h in enumerate(t.header):
                    sheet.write_string(row_i, j, safe_cell(str(h)), head)
                for r in t.rows:
                    row_i += 1
                    for j, v in enumerate(r):
                        if v is None or (isinstance(v, float) and v != v):
                            sheet.write_blank(row_i, j, None)
                        elif isinstance(v, (int, float)) and not isinstance(v, bool):
                            d = t.decimals[j]
                            sheet.write_number(
                                row_i,
                                j,
                                v,
                                places.get(d) if isinstance(v, float) else None,
                            )
                        else:
                            sheet.write_string(row_i, j, safe_cell(str(v)))
                row_i += 1
            col = max(len(t.header) for t in section.tables) + 1
            offset = 1
            for key in section.charts:
                if key in charts:
                    sheet.insert_image(
                        offset,
                        col,
                        f"{key}.png",
                        {
                            "image_data": io.BytesIO(charts[key]),
                            "x_scale": 0.8,
                            "y_scale": 0.8,
                        },
                    )
                    offset += 26

    written = 0
    if responses is not None:
        header = [*META, *(c.key for c in columns)]
        sheet_no = 1
        data = book.add_worksheet(_("Data")[:31])
        for j, h in enumerate(header):
            data.write_string(0, j, safe_cell(h), head)
        row_i = 1
        for row in iter_raw_rows(responses, columns):
            if row_i >= max_rows:
                sheet_no += 1
                data = book.add_worksheet(f"{_('Data')} {sheet_no}"[:31])
                for j, h in enumerate(header):
                    data.write_string(0, j, safe_cell(h), head)
                row_i = 1
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    data.write_number(row_i, j, v)
                else:
                    data.write_string(row_i, j, safe_cell(str(v)))
            row_i += 1
            written += 1
            if progress is not None and written % 5000 == 0:
                progress(written, total)
    book.close()
    return written


# --------------------------------------------------------------------------- fonts

CJK_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def find_cjk_font() -> Path | None:
    """``SATISFY_PDF_FONT`` if set (it must exist), else the first known CJK font."""
    configured = os.environ.get("SATISFY_PDF_FONT", "")
    if configured:
        path = Path(configured)
        if not path.exists():
            raise FontMissingError(
                f"SATISFY_PDF_FONT points to {configured}, which does not exist."
            )
        return path
    for candidate in CJK_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    return None


def needs_cjk(text: str) -> bool:
    return any(ord(ch) > 0x2E7F for ch in text)


def _ttc_index(path: Path) -> int:
    """The Simplified Chinese face of a collection, else the first."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

    coll = TTCollection(str(path), lazy=True)
    for i, face in enumerate(coll.fonts):
        name = face["name"].getDebugName(4) or ""
        if " SC" in name or "SC " in name or name.endswith("SC"):
            return i
    return 0


def embeddable_font(path: Path, text: str, ps_name: str = "") -> Path:
    """A TrueType subset of ``path`` with the characters of ``text`` (reportlab-ready).

    ``ps_name`` renames the font (PostScript name): reportlab keeps the first font
    registered under a face name, so each report's subset needs a name of its own.
    """
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=_ttc_index(path), lazy=False)
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text + "0123456789.,:;-–—%()/ ▲▼■·")
    subsetter.subset(font)
    if "CFF " in font:
        _cff_to_glyf(font)
    if ps_name:
        for record in font["name"].names:
            if record.nameID == 6:
                record.string = ps_name
    with tempfile.NamedTemporaryFile(
        prefix="satisfy-font-", suffix=".ttf", delete=False
    ) as handle:
        font.save(handle)
    return Path(handle.name)


def _forget_font(name: str) -> None:
    """Drop a per-report font from reportlab's registry (it would grow forever)."""
    from reportlab.pdfbase import pdfmetrics

    fonts = getattr(pdfmetrics, "_fonts", {})
    faces = getattr(pdfmetrics, "_dynFaceNames", {})
    font = fonts.pop(name, None)
    face = getattr(getattr(font, "face", None), "name", None)
    if face is not None:
        faces.pop(face, None)


def _cff_to_glyf(font: Any) -> None:
    """Convert cubic CFF outlines to quadratic TrueType ones (fontTools' otf2ttf)."""
    from fontTools.pens.cu2quPen import Cu2QuPen  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 1 if attr == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\000\001\000\000"


# -------------------------------------------------------------------------- charts

ALERT = "#c0392b"
# Width of each chart in PDF and Word documents (millimetres; others 170, 160 in Word).
CHART_WIDTH_MM = {"drivers": 150, "ipa": 125, "gaps": 170, "paths": 170}
BAR = "#3b6ea8"
MUTED = "#8a8f98"


@functools.lru_cache(maxsize=4)
def _matplotlib_cjk_family(path: str) -> str:
    """Register a CJK font with matplotlib; its (Simplified Chinese) family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    names = sorted(
        {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    )
    for name in names:
        if name.endswith(" SC"):
            return name
    return (
        names[0] if names else str(font_manager.FontProperties(fname=path).get_name())
    )


def _chart_families(text: str) -> list[str]:
    """Font families for chart labels: DejaVu Sans, plus a CJK font when needed."""
    families = ["DejaVu Sans"]
    if needs_cjk(text):
        try:
            found = find_cjk_font()
        except FontMissingError:
            found = None
        if found is not None:
            families.append(_matplotlib_cjk_family(str(found)))
    return families


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _png_charts(
    dash: Dashboard, analysis: Analysis | None = None, *, dashboard: bool = True
) -> dict[str, bytes]:
    """The report's charts as PNG (matplotlib): trend, dimensions and the analyses.

    The analysis charts draw the same results as the pages' SVG charts (driver
    shares, the importance–performance grid, gaps with intervals, the ECSI path
    diagram). Chinese labels use the CJK font of the PDF when one is installed.
    ``dashboard=False`` leaves out the trend and dimension charts (the XLSX has
    native ones).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [str(d["dimension"]) for d in dash.dimensions] if dashboard else []
    if analysis is not None:
        labels.append(_all_analysis_text(analysis))
    out: dict[str, bytes] = {}
    with plt.rc_context({"font.family": _chart_families("".join(labels))}):
        if dashboard:
            out.update(_dashboard_charts(dash))
        if analysis is not None:
            out.update(_analysis_charts(analysis))
    return out


def _dashboard_charts(dash: Dashboard) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    out: dict[str, bytes] = {}
    if dash.trend:
        fig, ax = plt.subplots(figsize=(7, 2.8), dpi=110)
        xs = [r["period"] for r in dash.trend]
        for key, name in (("csi", "CSI"), ("csat", "CSAT %")):
            ys = [None if r[key] is None else r[key].value for r in dash.trend]
            if any(y is not None for y in ys):
                ax.plot(
                    xs,
                    [float("nan") if y is None else y for y in ys],
                    marker="o",
                    label=name,
                )
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower left", fontsize=8)
        fig.autofmt_xdate()
        out["trend"] = _png(fig)
    dims = [
        d for d in dash.dimensions if not d["suppressed"] and d["score"] is not None
    ]
    if dims:
        # one bar per question: several questions can share a dimension
        unique = len({d["dimension"] for d in dims}) == len(dims)
        names = [
            str(d["dimension"]) if unique else _short(f"{d['dimension']}: {d['text']}")
            for d in dims
        ]
        fig, ax = plt.subplots(
            figsize=(7, min(9.0, (0.45 if unique else 0.3) * len(dims) + 0.8)), dpi=110
        )
        ax.barh(range(len(dims)), [d["score"].value for d in dims], color="#1f5fa8")
        ax.set_yticks(range(len(dims)), names, fontsize=10 if unique else 7)
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        for i, d in enumerate(dims):
            ax.text(
                d["score"].value + 1,
                i,
                f"{d['score'].value:.1f}",
                va="center",
                fontsize=8,
            )
        out["dimensions"] = _png(fig)
    return out


def _analysis_charts(analysis: Analysis) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if analysis.drivers is not None:
        out["drivers"] = _driver_chart(analysis.drivers)
        out["ipa"] = _ipa_chart(analysis.drivers)
    if analysis.gaps is not None and analysis.gaps.item_rows:
        out["gaps"] = _gap_chart(analysis.gaps)
    if analysis.index is not None:
        lvs = analysis.index.result.model.latent_variables
        if all(lv in ECSI_LAYOUT for lv in lvs):
            out["paths"] = _path_chart(analysis.index)
    return out


def _driver_chart(report: DriverReport) -> bytes:
    import matplotlib.pyplot as plt

    result, ipa = report.result, report.ipa
    items = sorted(ipa.items, key=lambda it: it.importance_rank)
    names = [report.labels.get(it.name, it.name) for it in items]
    shares = [100 * result.shares[it.name] for it in items]
    colours = [ALERT if it.quadrant == "concentrate_here" else BAR for it in items]
    xerr = None
    if result.shares_ci is not None:
        xerr = [
            [
                s - 100 * result.shares_ci[it.name][0]
                for s, it in zip(shares, items, strict=True)
            ],
            [
                100 * result.shares_ci[it.name][1] - s
                for s, it in zip(shares, items, strict=True)
            ],
        ]
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(items) + 1.1), dpi=110)
    ax.barh(names, shares, color=colours, xerr=xerr, ecolor="#222")
    ax.invert_yaxis()
    ax.set_xlim(0, max(100.0, max(shares) * 1.15))
    for i, share in enumerate(shares):
        ax.text(share + 1, i, f"{share:.0f}%", va="center", fontsize=8)
    ax.set_xlabel(_("Share of R² %"))
    ax.set_title(
        _("Key drivers (R² = %(r2).2f, n = %(n)s)") % {"r2": result.r2, "n": report.n},
        fontsize=10,
        loc="left",
    )
    return _png(fig)


def _ipa_chart(report: DriverReport) -> bytes:
    import matplotlib.pyplot as plt

    ipa = report.ipa
    xs = [it.performance for it in ipa.items]
    ys = [100 * it.importance for it in ipa.items]
    if ipa.performance_scale is not None:
        x0, x1 = ipa.performance_scale
    else:
        pad = (max(xs) - min(xs)) * 0.15 or 1.0
        x0, x1 = min(xs) - pad, max(xs) + pad
    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=110)
    ax.set_xlim(x0, x1)
    ax.set_ylim(0, max([*ys, 100 * ipa.importance_cut]) * 1.3)
    ax.axvline(ipa.performance_cut, color=MUTED, linestyle="--", linewidth=1)
    ax.axhline(100 * ipa.importance_cut, color=MUTED, linestyle="--", linewidth=1)
    colours = [ALERT if it.quadrant == "concentrate_here" else BAR for it in ipa.items]
    ax.scatter(xs, ys, color=colours, zorder=3)
    # labels alternate right and left (by importance), so near points stay legible
    order = sorted(range(len(xs)), key=lambda k: ys[k])
    for rank, k in enumerate(order):
        right = rank % 2 == 0
        ax.annotate(
            report.labels.get(ipa.items[k].name, ipa.items[k].name),
            (xs[k], ys[k]),
            xytext=(6 if right else -6, 2),
            textcoords="offset points",
            ha="left" if right else "right",
            fontsize=8,
        )
    corners = (
        ("concentrate_here", 0.02, 0.97, "left", "top", ALERT),
        ("keep_up_the_good_work", 0.98, 0.97, "right", "top", MUTED),
        ("low_priority", 0.02, 0.03, "left", "bottom", MUTED),
        ("possible_overkill", 0.98, 0.03, "right", "bottom", MUTED),
    )
    for quadrant, x, y, ha, va, colour in corners:
        ax.text(
            x,
            y,
            quadrant_name(quadrant),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize=8,
            color=colour,
        )
    ax.set_xlabel(_("Performance 0–100"))
    ax.set_ylabel(_("Importance (share of R² %)"))
    ax.set_title(_("Importance–performance grid"), fontsize=10, loc="left")
    return _png(fig)


def _gap_chart(report: GapReport) -> bytes:
    import matplotlib.pyplot as plt

    rows = report.item_rows
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(rows) + 1.2), dpi=110)
    gaps = [g.gap for _name, g in rows]
    colours = [
        ALERT if g.ci_high < 0 else (BAR if g.ci_low > 0 else MUTED) for _n, g in rows
    ]
    ax.barh(
        range(len(rows)),
        gaps,
        color=colours,
        xerr=[
            [g.gap - g.ci_low for _n, g in rows],
            [g.ci_high - g.gap for _n, g in rows],
        ],
        ecolor="#222",
    )
    ax.set_yticks(range(len(rows)), [_short(name) for name, _g in rows], fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="#444", linewidth=1)
    span = max([abs(v) for _n, g in rows for v in (g.ci_low, g.ci_high)] + [0.5])
    ax.set_xlim(-span * 1.1, span * 1.1)
    ax.set_xlabel(
        _("Gap (perception − expectation), %(level)s interval") % {"level": "95%"}
    )
    ax.set_title(
        _("Gaps by item (n = %(n)s)") % {"n": report.n}, fontsize=10, loc="left"
    )
    return _png(fig)


def _path_chart(report: IndexReport) -> bytes:
    import math

    import matplotlib.pyplot as plt
    from matplotlib.patches import Ellipse

    result = report.result
    rx, ry = 0.1, 0.085
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=110)
    ax.set_xlim(-0.14, 1.14)
    ax.set_ylim(1.14, -0.1)
    ax.axis("off")

    def exit_point(x: float, y: float, tx: float, ty: float) -> tuple[float, float]:
        dx, dy = tx - x, ty - y
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        e = 1.0 / math.sqrt((ux / rx) ** 2 + (uy / ry) ** 2)
        return x + ux * e, y + uy * e

    for source, target in result.model.paths:
        (x1, y1), (x2, y2) = ECSI_LAYOUT[source], ECSI_LAYOUT[target]
        start = exit_point(x1, y1, x2, y2)
        end = exit_point(x2, y2, x1, y1)
        coef = result.paths[f"{source} -> {target}"]
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#333",
                "linewidth": max(0.8, min(3.5, abs(coef) * 4)),
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )
        ax.text(
            (start[0] + end[0]) / 2,
            (start[1] + end[1]) / 2,
            f"{coef:.2f}",
            fontsize=8,
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )
    for lv in result.model.latent_variables:
        x, y = ECSI_LAYOUT[lv]
        ax.add_patch(
            Ellipse((x, y), 2 * rx, 2 * ry, facecolor="#dde7f3", edgecolor=BAR)
        )
        index = result.index.get(lv)
        r2 = result.r2.get(lv)
        text = f"{report.label(lv)}\n{'—' if index is None else f'{index:.1f}'}"
        if r2 is not None:
            text += f"\nR² {r2:.2f}"
        ax.text(x, y, text, ha="center", va="center", fontsize=8)
    ax.set_title(
        _("Path model (PLS): indices 0–100, n = %(n)s, GoF = %(gof).2f")
        % {"n": report.n, "gof": result.gof},
        fontsize=10,
        loc="left",
    )
    return _png(fig)


def _all_analysis_text(analysis: Analysis) -> str:
    """Every text an analysis section or chart may show (for the CJK font subset)."""
    parts = [*analysis.notes, _("Analyses")]
    for section in analysis.sections():
        parts.extend([section.heading, *section.lines])
        for t in section.tables:
            parts.extend([t.title or "", *t.header])
            for row in t.rows:
                parts.extend(str(v) for v in row if v is not None)
    if analysis.drivers is not None:
        parts.extend(
            quadrant_name(q)
            for q in (
                "concentrate_here",
                "keep_up_the_good_work",
                "low_priority",
                "possible_overkill",
            )
        )
        parts.extend(
            [
                _("Share of R² %"),
                _("Key drivers (R² = %(r2).2f, n = %(n)s)"),
                _("Performance 0–100"),
                _("Importance (share of R² %)"),
                _("Importance–performance grid"),
            ]
        )
    if analysis.gaps is not None:
        parts.extend(
            [
                _("Gap (perception − expectation), %(level)s interval"),
                _("Gaps by item (n = %(n)s)"),
            ]
        )
    if analysis.index is not None:
        parts.append(_("Path model (PLS): indices 0–100, n = %(n)s, GoF = %(gof).2f"))
    return "".join(parts)


def _all_text(dash: Dashboard, analysis: Analysis | None = None) -> str:
    parts = [*title_lines(dash)]
    for rows in (
        unit_rows(dash),
        dimension_rows(dash),
        question_rows(dash),
        comment_rows(dash),
    ):
        for row in rows:
            parts.extend(str(v) for v in row if v is not None)
    parts.extend(CARD_HEAD + TREND_HEAD + UNIT_HEAD + DIM_HEAD + QUESTION_HEAD)
    parts.extend(
        [
            _("Headline scores"),
            _("Trend"),
            _("By unit"),
            _("Dimensions"),
            _("Questions"),
            _("Comments"),
        ]
    )
    if analysis is not None:
        parts.append(_all_analysis_text(analysis))
    return "".join(parts)


# ---------------------------------------------------------------------------- PDF


def write_pdf(path: Path, dash: Dashboard, analysis: Analysis | None = None) -> int:
    """A branded PDF report: cards, charts, tables and the analyses; table rows written."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        Image,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    text = _all_text(dash, analysis)
    font_name = "Helvetica"
    bold_name = "Helvetica-Bold"
    subset_file: Path | None = None
    if needs_cjk(text):
        found = find_cjk_font()
        if found is None:
            raise FontMissingError(
                "This report contains Chinese text and no CJK font was found. Install "
                "one (Debian: apt-get install fonts-noto-cjk) or set SATISFY_PDF_FONT "
                "to a .ttf/.otf/.ttc font file."
            )
        # a name per report: a second report in the same process (a worker, a run
        # of packs) must not be drawn with the first report's subset
        font_name = bold_name = f"SatisfyCJK-{uuid.uuid4().hex[:12]}"
        subset_file = embeddable_font(found, text, ps_name=font_name)
        pdfmetrics.registerFont(TTFont(font_name, str(subset_file)))
    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "body", parent=styles["BodyText"], fontName=font_name, fontSize=9, leading=12
    )
    h1 = ParagraphStyle(
        "h1",
        parent=styles["Heading1"],
        fontName=bold_name,
        textColor=colors.HexColor("#0b5cad"),
    )
    h2 = ParagraphStyle(
        "h2", parent=styles["Heading2"], fontName=bold_name, fontSize=12
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)

    def esc(v: Any) -> str:
        from xml.sax.saxutils import escape

        return escape(
            "" if v is None else (f"{v:.1f}" if isinstance(v, float) else str(v))
        )

    def grid(
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float] | None = None,
        decimals: Sequence[int] | None = None,
    ) -> Table:
        data = [[Paragraph(f"<b>{esc(h)}</b>", cell) for h in header]]
        if decimals is None:
            data += [[Paragraph(esc(v), cell) for v in row] for row in rows]
        else:
            data += [
                [
                    Paragraph(esc(fmt_value(v, d)), cell)
                    for v, d in zip(row, decimals, strict=True)
                ]
                for row in rows
            ]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f3")),
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b8c0")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return t

    def brand(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#1b1f24"))
        canvas.rect(0, A4[1] - 14 * mm, A4[0], 14 * mm, fill=1, stroke=0)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(15 * mm, A4[1] - 9 * mm, "Satisfy")
        canvas.setFillColor(colors.HexColor("#57606a"))
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    story: list[Any] = []
    lines = title_lines(dash)
    story.append(Paragraph(esc(lines[0]), h1))
    for line in lines[1:]:
        story.append(Paragraph(esc(line), body))
    story.append(Spacer(1, 4 * mm))
    h3 = ParagraphStyle(
        "h3", parent=styles["Heading3"], fontName=bold_name, fontSize=10
    )

    def measure(text: str, bold: bool) -> float:
        size = pdfmetrics.stringWidth(text, bold_name if bold else font_name, 8)
        return float(size / mm)

    def analysis_story(found: Analysis) -> int:
        """The analysis sections (and a line for each left out); rows written."""
        written = 0
        for section in found.sections():
            story.append(Paragraph(esc(section.heading), h2))
            for k, line in enumerate(section.lines):
                story.append(Paragraph(esc(line), body if k else h3))
            story.append(Spacer(1, 2 * mm))
            for key in section.charts:
                if key in charts:
                    picture(key)
            for t in section.tables:
                if t.title:
                    story.append(Paragraph(esc(t.title), h3))
                widths = [w * mm for w in column_widths(t, measure)]
                story.append(grid(t.header, t.rows, widths, t.decimals))
                story.append(Spacer(1, 3 * mm))
                written += len(t.rows)
        if found.notes:
            story.append(Paragraph(esc(_("Analyses")), h2))
            for note in found.notes:
                story.append(Paragraph(esc(note), body))
            story.append(Spacer(1, 3 * mm))
        return written

    rows_written = 0
    sections: list[tuple[str, Sequence[str], list[list[Any]], str | None]] = [
        (_("Headline scores"), CARD_HEAD, card_rows(dash), None),
        (_("Trend"), TREND_HEAD, trend_rows(dash), "trend"),
        (_("By unit"), UNIT_HEAD, unit_rows(dash), None),
        (_("Dimensions"), DIM_HEAD, dimension_rows(dash), "dimensions"),
        (_("Questions"), QUESTION_HEAD, question_rows(dash), None),
        (_("Comments"), ["Date", "Unit", "Comment"], comment_rows(dash), None),
    ]
    charts = _png_charts(dash, analysis)

    def picture(key: str) -> None:
        img = Image(io.BytesIO(charts[key]))
        ratio = img.imageHeight / img.imageWidth
        width = CHART_WIDTH_MM.get(key, 170) * mm
        img.drawWidth = width
        img.drawHeight = width * ratio
        story.append(img)

    for heading, header, rows, chart in sections:
        if heading == _("Questions") and analysis is not None:
            rows_written += analysis_story(analysis)
        story.append(Paragraph(esc(heading), h2))
        if chart and chart in charts:
            picture(chart)
        if rows:
            widths = None
            if header == QUESTION_HEAD:
                widths = [70 * mm, 50 * mm, 15 * mm, 15 * mm, 20 * mm]
            elif len(header) == 3:
                widths = [22 * mm, 35 * mm, 113 * mm]
            story.append(grid(header, rows, widths))
            rows_written += len(rows)
        else:
            story.append(Paragraph(esc(_("Nothing to show for these filters.")), body))
        story.append(Spacer(1, 3 * mm))
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, topMargin=20 * mm, title=lines[0], author="Satisfy"
    )
    try:
        doc.build(story, onFirstPage=brand, onLaterPages=brand)
    finally:
        if subset_file is not None:
            subset_file.unlink(missing_ok=True)
            _forget_font(font_name)
    return rows_written


# --------------------------------------------------------------------------- DOCX


def write_docx(path: Path, dash: Dashboard, analysis: Analysis | None = None) -> int:
    """The PDF's content as a Word document (python-docx)."""
    from docx import Document
    from docx.shared import Mm, RGBColor

    document = Document()
    lines = title_lines(dash)
    heading = document.add_heading(lines[0], level=0)
    for run in heading.runs:
        run.font.color.rgb = RGBColor(0x0B, 0x5C, 0xAD)
    for line in lines[1:]:
        document.add_paragraph(line)
    charts = _png_charts(dash, analysis)
    rows_written = 0

    def add_table(
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        decimals: Sequence[int] | None = None,
    ) -> None:
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Light Grid Accent 1"
        for j, h in enumerate(header):
            table.rows[0].cells[j].text = str(h)
        for row in rows:
            cells = table.add_row().cells
            for j, v in enumerate(row):
                cells[j].text = fmt_value(v, 1 if decimals is None else decimals[j])

    def analysis_document(found: Analysis) -> int:
        written = 0
        for section in found.sections():
            document.add_heading(section.heading, level=1)
            for k, line in enumerate(section.lines):
                paragraph = document.add_paragraph()
                paragraph.add_run(line).bold = k == 0
            for key in section.charts:
                if key in charts:
                    width = min(160, CHART_WIDTH_MM.get(key, 160))
                    document.add_picture(io.BytesIO(charts[key]), width=Mm(width))
            for t in section.tables:
                if t.title:
                    document.add_heading(t.title, level=2)
                add_table(t.header, t.rows, t.decimals)
                written += len(t.rows)
        if found.notes:
            document.add_heading(_("Analyses"), level=1)
            for note in found.notes:
                document.add_paragraph(note)
        return written

    sections: list[tuple[str, Sequence[str], list[list[Any]], str | None]] = [
        (_("Headline scores"), CARD_HEAD, card_rows(dash), None),
        (_("Trend"), TREND_HEAD, trend_rows(dash), "trend"),
        (_("By unit"), UNIT_HEAD, unit_rows(dash), None),
        (_("Dimensions"), DIM_HEAD, dimension_rows(dash), "dimensions"),
        (_("Questions"), QUESTION_HEAD, question_rows(dash), None),
        (_("Comments"), ["Date", "Unit", "Comment"], comment_rows(dash), None),
    ]
    for title, header, rows, chart in sections:
        if title == _("Questions") and analysis is not None:
            rows_written += analysis_document(analysis)
        document.add_heading(title, level=1)
        if chart and chart in charts:
            document.add_picture(io.BytesIO(charts[chart]), width=Mm(160))
        if not rows:
            document.add_paragraph(_("Nothing to show for these filters."))
            continue
        add_table(header, rows)
        rows_written += len(rows)
    document.save(str(path))
    return rows_written
