"""The DOCX export (python-docx): the PDF's content as a Word document."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from satisfy.reports.dashboard import Dashboard
from satisfy.reports.exports.analysis import Analysis
from satisfy.reports.exports.charts import CHART_WIDTH_MM, _png_charts
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
