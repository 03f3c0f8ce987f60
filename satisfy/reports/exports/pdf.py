"""The PDF export (reportlab): cards, charts, tables and the analyses, branded.

Chinese text is drawn with a per-report subset of a CJK font (see :mod:`.fonts`).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from satisfy.reports.dashboard import Dashboard
from satisfy.reports.exports.analysis import Analysis, AnalysisTable, _all_analysis_text
from satisfy.reports.exports.charts import CHART_WIDTH_MM, _png_charts
from satisfy.reports.exports.fonts import (
    FontMissingError,
    _forget_font,
    embeddable_font,
    find_cjk_font,
    needs_cjk,
)
from satisfy.reports.exports.tables import (
    CARD_HEAD,
    DIM_HEAD,
    QUESTION_HEAD,
    TREND_HEAD,
    UNIT_HEAD,
    card_rows,
    comment_rows,
    dimension_rows,
    fmt_value,
    question_rows,
    title_lines,
    trend_rows,
    unit_rows,
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
