"""Exports of a dashboard: XLSX, PDF, DOCX, CSV and SPSS .sav.

One module per feature; the public names are re-exported here, so callers keep
``from satisfy.reports import exports`` / ``exports.write_pdf(...)``:

* :mod:`.raw` — the raw data columns, rows streamed by :func:`iter_raw_rows`, CSV and
  SPSS .sav writers, and :func:`safe_cell` (every text cell, headers included, goes
  through it, so ``=HYPERLINK(...)`` is shown as text by every spreadsheet program).
* :mod:`.tables` — the dashboard as rows and title lines, shared by the documents.
* :mod:`.analysis` — the analysis pages as export sections: key drivers (LMG shares,
  importance–performance grid), SERVQUAL gaps and the ECSI index model
  (:func:`build_analysis` calls the pages' own builders). A section that does not
  apply is replaced by one line saying why (questions not asked, too few answers).
* :mod:`.charts` — the charts as PNG pictures (matplotlib).
* :mod:`.fonts` — CJK fonts for PDFs: :func:`find_cjk_font` looks at
  ``SATISFY_PDF_FONT`` and the usual Noto/WenQuanYi/Droid paths; the font is subset to
  the characters used and (for CFF-flavoured OpenType such as Noto Sans CJK) converted
  to TrueType outlines, which reportlab can embed. Without one,
  :class:`FontMissingError` says how to install or configure it.
* :mod:`.xlsx`, :mod:`.pdf`, :mod:`.docx` — the document writers.

Raw data are streamed: responses are read in key-ordered chunks and written row by row
(XlsxWriter's ``constant_memory`` mode, the ``csv`` module), so memory does not grow
with the number of responses. Writers report the rows written; nothing is cut off
silently (an XLSX sheet holds 1,048,575 data rows: beyond that the data continue on
"Data 2", "Data 3" …).
"""

from __future__ import annotations

from satisfy.reports.exports.analysis import (
    Analysis,
    AnalysisSection,
    AnalysisTable,
    build_analysis,
    driver_section,
    gap_section,
    index_section,
    quadrant_name,
)
from satisfy.reports.exports.charts import ALERT, BAR, CHART_WIDTH_MM, MUTED
from satisfy.reports.exports.docx import write_docx
from satisfy.reports.exports.fonts import (
    CJK_CANDIDATES,
    FontMissingError,
    embeddable_font,
    find_cjk_font,
    needs_cjk,
)
from satisfy.reports.exports.pdf import column_widths, write_pdf
from satisfy.reports.exports.raw import (
    DANGEROUS,
    META,
    NA,
    Column,
    Progress,
    data_columns,
    iter_raw_rows,
    raw_source,
    safe_cell,
    write_csv,
    write_sav,
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
from satisfy.reports.exports.xlsx import XLSX_MAX_ROWS, write_xlsx

__all__ = [
    "ALERT",
    "BAR",
    "CARD_HEAD",
    "CHART_WIDTH_MM",
    "CJK_CANDIDATES",
    "DANGEROUS",
    "DIM_HEAD",
    "META",
    "MUTED",
    "NA",
    "QUESTION_HEAD",
    "TREND_HEAD",
    "UNIT_HEAD",
    "XLSX_MAX_ROWS",
    "Analysis",
    "AnalysisSection",
    "AnalysisTable",
    "Column",
    "FontMissingError",
    "Progress",
    "build_analysis",
    "card_rows",
    "column_widths",
    "comment_rows",
    "data_columns",
    "dimension_rows",
    "driver_section",
    "embeddable_font",
    "find_cjk_font",
    "fmt_value",
    "gap_section",
    "index_section",
    "iter_raw_rows",
    "needs_cjk",
    "quadrant_name",
    "question_rows",
    "raw_source",
    "safe_cell",
    "title_lines",
    "trend_rows",
    "unit_rows",
    "write_csv",
    "write_docx",
    "write_pdf",
    "write_sav",
    "write_xlsx",
]
