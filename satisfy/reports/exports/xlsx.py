"""The XLSX export: formatted tables with native charts, analyses, raw data streamed.

XlsxWriter's ``constant_memory`` mode keeps memory flat; nothing is cut off silently
(a sheet holds 1,048,575 data rows: beyond that the data continue on "Data 2",
"Data 3" …).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from satisfy.reports.dashboard import Dashboard
from satisfy.reports.exports.analysis import Analysis
from satisfy.reports.exports.charts import _png_charts
from satisfy.reports.exports.raw import META, Column, Progress, iter_raw_rows, safe_cell
from satisfy.reports.exports.tables import (
    CARD_HEAD,
    DIM_HEAD,
    QUESTION_HEAD,
    TREND_HEAD,
    UNIT_HEAD,
    card_rows,
    comment_rows,
    dimension_rows,
    question_rows,
    title_lines,
    trend_rows,
    unit_rows,
)

XLSX_MAX_ROWS = 1_048_576


def _sheet_name(name: str, book: Any) -> str:
    """A valid, unused worksheet name (31 characters, none of []:*?/\\)."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    taken = {sheet.name.lower() for sheet in book.worksheets()}
    candidate, k = clean, 2
    while candidate.lower() in taken:
        candidate = f"{clean[:28]} {k}"
        k += 1
    return candidate


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
