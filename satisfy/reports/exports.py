"""Exports of a dashboard: XLSX, PDF, DOCX, CSV and SPSS .sav.

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
import io
import itertools
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from satisfy.accounts.models import User
from satisfy.reports.dashboard import Dashboard
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
) -> int:
    """Formatted tables with native charts, one sheet per breakdown, raw data streamed."""
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
    num = book.add_format({"num_format": "0.0"})

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
    table(summary, start, CARD_HEAD, card_rows(dash))

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


def embeddable_font(path: Path, text: str) -> Path:
    """A TrueType subset of ``path`` with the characters of ``text`` (reportlab-ready)."""
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
    with tempfile.NamedTemporaryFile(
        prefix="satisfy-font-", suffix=".ttf", delete=False
    ) as handle:
        font.save(handle)
    return Path(handle.name)


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


def _png_charts(dash: Dashboard) -> dict[str, bytes]:
    """Trend and dimension charts as PNG (matplotlib, ASCII labels only)."""
    import matplotlib

    matplotlib.use("Agg")
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
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        out["trend"] = buf.getvalue()
    dims = [
        d for d in dash.dimensions if not d["suppressed"] and d["score"] is not None
    ]
    if dims:
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(dims) + 0.8), dpi=110)
        ax.barh(
            [d["dimension"] for d in dims],
            [d["score"].value for d in dims],
            color="#1f5fa8",
        )
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
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        out["dimensions"] = buf.getvalue()
    return out


def _all_text(dash: Dashboard) -> str:
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
    return "".join(parts)


# ---------------------------------------------------------------------------- PDF


def write_pdf(path: Path, dash: Dashboard) -> int:
    """A branded PDF report: cards, charts and tables; returns the table rows written."""
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

    text = _all_text(dash)
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
        subset_file = embeddable_font(found, text)
        pdfmetrics.registerFont(TTFont("SatisfyCJK", str(subset_file)))
        font_name = bold_name = "SatisfyCJK"
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
    ) -> Table:
        data = [[Paragraph(f"<b>{esc(h)}</b>", cell) for h in header]]
        data += [[Paragraph(esc(v), cell) for v in row] for row in rows]
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
    rows_written = 0
    sections: list[tuple[str, Sequence[str], list[list[Any]], str | None]] = [
        (_("Headline scores"), CARD_HEAD, card_rows(dash), None),
        (_("Trend"), TREND_HEAD, trend_rows(dash), "trend"),
        (_("By unit"), UNIT_HEAD, unit_rows(dash), None),
        (_("Dimensions"), DIM_HEAD, dimension_rows(dash), "dimensions"),
        (_("Questions"), QUESTION_HEAD, question_rows(dash), None),
        (_("Comments"), ["Date", "Unit", "Comment"], comment_rows(dash), None),
    ]
    charts = _png_charts(dash)
    for heading, header, rows, chart in sections:
        story.append(Paragraph(esc(heading), h2))
        if chart and chart in charts:
            img = Image(io.BytesIO(charts[chart]))
            ratio = img.imageHeight / img.imageWidth
            img.drawWidth = 170 * mm
            img.drawHeight = 170 * mm * ratio
            story.append(img)
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
    return rows_written


# --------------------------------------------------------------------------- DOCX


def write_docx(path: Path, dash: Dashboard) -> int:
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
    charts = _png_charts(dash)
    rows_written = 0
    sections: list[tuple[str, Sequence[str], list[list[Any]], str | None]] = [
        (_("Headline scores"), CARD_HEAD, card_rows(dash), None),
        (_("Trend"), TREND_HEAD, trend_rows(dash), "trend"),
        (_("By unit"), UNIT_HEAD, unit_rows(dash), None),
        (_("Dimensions"), DIM_HEAD, dimension_rows(dash), "dimensions"),
        (_("Questions"), QUESTION_HEAD, question_rows(dash), None),
        (_("Comments"), ["Date", "Unit", "Comment"], comment_rows(dash), None),
    ]
    for title, header, rows, chart in sections:
        document.add_heading(title, level=1)
        if chart and chart in charts:
            document.add_picture(io.BytesIO(charts[chart]), width=Mm(160))
        if not rows:
            document.add_paragraph(_("Nothing to show for these filters."))
            continue
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Light Grid Accent 1"
        for j, h in enumerate(header):
            table.rows[0].cells[j].text = str(h)
        for row in rows:
            cells = table.add_row().cells
            for j, v in enumerate(row):
                cells[j].text = (
                    ""
                    if v is None
                    else (f"{v:.1f}" if isinstance(v, float) else str(v))
                )
        rows_written += len(rows)
    document.save(str(path))
    return rows_written
