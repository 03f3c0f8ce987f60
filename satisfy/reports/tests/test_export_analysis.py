"""The analysis pages in the XLSX, PDF and Word exports: drivers, gaps, ECSI index.

Every figure in a sheet is checked against the page's own builder on the same
filters; the PDF and Word text against the section headings and formatted numbers.
"""

from __future__ import annotations

import math
import subprocess
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from django.utils import translation

from satisfy.reports import exports
from satisfy.reports.analysis import driver_analysis
from satisfy.reports.dashboard import build_dashboard
from satisfy.reports.queries import Filters, Period
from satisfy.reports.services import render_report
from satisfy.reports.structure import gap_report, index_report
from satisfy.reports.tests.test_structure_pages import _clip, _store

pytestmark = pytest.mark.django_db


def _filters(ds: Any, days: int = 60) -> Filters:
    end = ds.now.date()
    return Filters(Period(end - timedelta(days=days), end))


def _sheet_rows(sheet: Any) -> list[list[Any]]:
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _table(rows: list[list[Any]], first_header: str) -> list[list[Any]]:
    """The data rows under the header row that starts with ``first_header``."""
    start = next(i for i, r in enumerate(rows) if r and r[0] == first_header)
    out = []
    for r in rows[start + 1 :]:
        if r[0] is None:
            break
        out.append(r)
    return out


def _pdf_text(path: Any) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _docx_text(path: Any) -> str:
    from docx import Document

    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_xlsx_driver_sheet_has_the_builders_numbers(alice, dataset, tmp_path):
    import openpyxl

    filters = _filters(dataset)
    out = tmp_path / "r.xlsx"
    calls: list[tuple[int, int]] = []
    result = render_report(
        user=alice,
        survey=dataset.survey,
        filters=filters,
        fmt="xlsx",
        out=out,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.raw_rows == 80
    assert calls[0] == (0, 80)  # the row total is shown while the analyses run
    report = driver_analysis(user=alice, survey=dataset.survey, filters=filters)
    assert report is not None
    # the data set: 80 respondents, "treatment" not applicable for every tenth
    complete = sum(1 for r in dataset.rows if r["answers"]["treatment"] != "na")
    assert report.n == complete == 72

    book = openpyxl.load_workbook(out)
    assert "Key drivers" in book.sheetnames
    assert book.sheetnames.index("Key drivers") < book.sheetnames.index("Data")
    rows = _sheet_rows(book["Key drivers"])
    assert rows[0][0] == "Key drivers"
    assert rows[1][0] == report.summary
    assert f"n = {report.n} respondents" in rows[2][0]
    table = _table(rows, "Item")
    assert len(table) == 3
    by_label = {r[0]: r for r in table}
    header = next(r for r in rows if r and r[0] == "Item")
    col = {h: j for j, h in enumerate(header) if h}
    for item in report.ipa.items:
        row = by_label[report.labels[item.name]]
        assert row[col["Share of R² %"]] == pytest.approx(
            100 * report.result.shares[item.name], abs=1e-9
        )
        assert row[col["Rank"]] == item.importance_rank
        assert row[col["Coefficient"]] == pytest.approx(
            report.result.coefficients[item.name], abs=1e-9
        )
        assert row[col["Performance 0–100"]] == pytest.approx(
            item.performance, abs=1e-9
        )
        assert row[col["n"]] == report.n
    # the shares of R² add up to 100 % (LMG decomposes R² exactly)
    assert sum(r[col["Share of R² %"]] for r in table) == pytest.approx(100)
    # ranks follow the shares
    shares = [r[col["Share of R² %"]] for r in table]
    assert shares == sorted(shares, reverse=True)
    grid = _table(rows, "Quadrant")
    assert [g[0] for g in grid] == [
        "Concentrate here",
        "Keep up the good work",
        "Low priority",
        "Possible overkill",
    ]
    focus = [report.labels[f] for f in report.ipa.focus_areas]
    assert grid[0][2] == (", ".join(focus) or "—")
    cut_line = next(r[0] for r in rows if r[0] and r[0].startswith("Importance–"))
    assert f"{100 * report.ipa.importance_cut:.1f}% of R²" in cut_line
    assert f"{report.ipa.performance_cut:.1f} out of 100" in cut_line
    # the IPA and driver charts are pictures on the sheet
    assert len(book["Key drivers"]._images) == 2
    # the surveys's other analyses do not apply: said once on the summary sheet
    summary = [r[0] for r in _sheet_rows(book["Summary"]) if r and r[0]]
    assert "Analyses" in summary
    assert "Gaps: the survey has no expectation/perception questions." in summary
    assert "Index model: the survey does not have the ECSI questions." in summary
    assert "Gaps" not in book.sheetnames


def test_too_few_answers_is_said_with_n(alice, dataset, tmp_path):
    import openpyxl

    filters = _filters(dataset, days=10)
    start, end = filters.period.start, filters.period.end
    expected = sum(
        1
        for r in dataset.rows
        if start <= r["day"].date() <= end and r["answers"]["treatment"] != "na"
    )
    assert 0 < expected < 30
    assert driver_analysis(user=alice, survey=dataset.survey, filters=filters) is None
    line = f"Key drivers: not enough complete answers (n = {expected}, needs 30)."
    out = tmp_path / "few.xlsx"
    render_report(
        user=alice, survey=dataset.survey, filters=filters, fmt="xlsx", out=out
    )
    book = openpyxl.load_workbook(out)
    assert "Key drivers" not in book.sheetnames
    assert line in [r[0] for r in _sheet_rows(book["Summary"])]
    render_report(
        user=alice,
        survey=dataset.survey,
        filters=filters,
        fmt="docx",
        out=tmp_path / "few.docx",
    )
    assert line in _docx_text(tmp_path / "few.docx")


def test_pdf_and_docx_have_the_driver_section(alice, dataset, tmp_path):
    filters = _filters(dataset)
    report = driver_analysis(user=alice, survey=dataset.survey, filters=filters)
    assert report is not None
    resolution = f"{100 * report.result.shares['resolution']:.1f}"
    pdf = tmp_path / "r.pdf"
    render_report(
        user=alice, survey=dataset.survey, filters=filters, fmt="pdf", out=pdf
    )
    text = _pdf_text(pdf)
    for heading in (
        "Key drivers",
        "Driver importance",
        "Importance–performance grid",
        "Focus areas:",
        "Gaps: the survey has no expectation/perception questions.",
    ):
        assert heading in text
    assert resolution in text
    # the analyses come before the per-question tables
    assert text.index("Driver importance") < text.index("Questions")
    images = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    # trend, dimensions, drivers, IPA grid
    kinds = [line.split()[2] for line in images.splitlines()[2:] if line.strip()]
    assert kinds.count("image") == 4

    docx = tmp_path / "r.docx"
    render_report(
        user=alice, survey=dataset.survey, filters=filters, fmt="docx", out=docx
    )
    text = _docx_text(docx)
    assert "Key drivers" in text
    assert report.summary in text
    row = next(line for line in text.splitlines() if line.startswith("Resolution |"))
    assert f"| {resolution} |" in row
    from docx import Document

    assert len(Document(str(docx)).inline_shapes) == 4


def _servqual(make_survey: Any) -> Any:
    survey = make_survey(template="servqual-bank", slug="bank-quality")
    rng = np.random.default_rng(7)

    def row(_i: int) -> Any:
        def values(q: Any, item: Any, part: str) -> Any:
            low, high = int(q.min_value or 1), int(q.max_value or 7)
            if part == "expectation":
                return _clip(6 + rng.normal(0, 0.5), low, high)
            if part == "perception":
                shortfall = 2 if q.code == "reliability" else 0
                return _clip(6 - shortfall + rng.normal(0, 0.5), low, high)
            return _clip((low + high) / 2 + rng.normal(0, 1), low, high)

        return values

    _store(survey, [row(i) for i in range(25)])
    return survey


def _all_time() -> Filters:
    from django.utils import timezone

    today = timezone.localdate()
    return Filters(Period(today - timedelta(days=30), today))


def test_gap_sheet_and_pdf_section(alice, make_survey, tmp_path):
    import openpyxl

    survey = _servqual(make_survey)
    filters = _all_time()
    report = gap_report(user=alice, survey=survey, filters=filters)
    assert report is not None
    assert report.n == 25
    out = tmp_path / "g.xlsx"
    render_report(user=alice, survey=survey, filters=filters, fmt="xlsx", out=out)
    book = openpyxl.load_workbook(out)
    rows = _sheet_rows(book["Gaps"])
    assert rows[1][0] == report.summary
    header = next(r for r in rows if r and r[0] == "Dimension")
    col = {h: j for j, h in enumerate(header) if h}
    dims = {r[0]: r for r in _table(rows, "Dimension")}
    assert len(dims) == len(report.dimension_rows)
    for label, g in report.dimension_rows:
        r = dims[label]
        assert r[col["n"]] == g.n == 25
        for name, value in (
            ("Expectation", g.mean_reference),
            ("Perception", g.mean_actual),
            ("Gap", g.gap),
            ("CI low", g.ci_low),
            ("CI high", g.ci_high),
            ("t", g.t),
            ("p", g.p_value),
        ):
            assert r[col[name]] == pytest.approx(value, abs=1e-12), name
    reliability = next(r for r in dims.values() if r[col["Gap"]] < -1.5)
    assert reliability[col["CI high"]] < 0
    items = _table(rows, "Item")
    assert len(items) == len(report.item_rows)
    item_header = next(r for r in rows if r and r[0] == "Item")
    holm = item_header.index("p (Holm)")
    p = item_header.index("p")
    m = len(items)
    for r in items:
        assert r[p] <= r[holm] <= 1
    smallest = min(items, key=lambda r: r[p])
    assert smallest[holm] == pytest.approx(min(1.0, m * smallest[p]))
    assert len(book["Gaps"]._images) == 1

    # not the driver questions, not ECSI: one line each
    summary = [r[0] for r in _sheet_rows(book["Summary"]) if r and r[0]]
    assert any(s.startswith("Key drivers: not asked in this survey") for s in summary)

    pdf = tmp_path / "g.pdf"
    render_report(user=alice, survey=survey, filters=filters, fmt="pdf", out=pdf)
    text = _pdf_text(pdf)
    assert "Expectation and perception gaps" in text
    assert "(Holm)" in text
    _label, first = report.dimension_rows[0]
    assert f"{first.gap:.2f}" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True
    )
    assert list(tmp_path.glob("page-*.png"))


def test_index_model_sheet_and_documents(alice, make_survey, tmp_path):
    import openpyxl

    survey = make_survey(template="ecsi", slug="relationship")
    rng = np.random.default_rng(11)
    blocks = ("imag", "cuex", "perq", "perv", "cusa", "cusco", "cusl")

    def row(_i: int) -> Any:
        image = rng.normal()
        quality = 0.6 * image + rng.normal(0, 0.8)
        latent = {
            "imag": image,
            "cuex": 0.5 * image + rng.normal(0, 0.9),
            "perq": quality,
            "perv": 0.6 * quality + rng.normal(0, 0.8),
        }
        latent["cusa"] = 0.3 * image + 0.5 * quality + rng.normal(0, 0.5)
        latent["cusco"] = 0.5 * latent["cusa"] + rng.normal(0, 0.8)
        latent["cusl"] = 0.6 * latent["cusa"] + rng.normal(0, 0.7)

        def values(q: Any, _item: Any, _part: str) -> Any:
            block = next(b for b in blocks if q.code.startswith(b))
            return _clip(6.5 + 1.5 * latent[block] + rng.normal(0, 0.7), 1, 10)

        return values

    _store(survey, [row(i) for i in range(40)])
    filters = _all_time()
    report = index_report(user=alice, survey=survey, filters=filters)
    assert report is not None
    assert report.n == 40
    out = tmp_path / "i.xlsx"
    render_report(user=alice, survey=survey, filters=filters, fmt="xlsx", out=out)
    rows = _sheet_rows(openpyxl.load_workbook(out)["Index model"])
    assert rows[1][0] == report.summary
    indices = {r[0]: r for r in _table(rows, "Latent variable")}
    for name, value, r2 in report.rows:
        assert indices[name][1] == (None if value is None else pytest.approx(value))
        assert indices[name][2] == (None if r2 is None else pytest.approx(r2))
        assert indices[name][3] == 40
    assert 0 < indices["Satisfaction"][1] < 100
    paths = {r[0]: r for r in _table(rows, "Path")}
    # shown as people read them: "Quality → Satisfaction"
    assert set(paths) == {k.replace(" -> ", " → ") for k in report.result.paths}
    for key, value in report.result.paths.items():
        assert paths[key.replace(" -> ", " → ")][1] == pytest.approx(value)
    after_paths = rows[rows.index(next(r for r in rows if r[0] == "Path")) :]
    reliability = _table(after_paths, "Latent variable")
    alpha = {r[0]: r[2] for r in reliability}
    for lv, rel in report.result.reliability.items():
        assert alpha[lv] == pytest.approx(rel.alpha_raw)

    docx = tmp_path / "i.docx"
    render_report(user=alice, survey=survey, filters=filters, fmt="docx", out=docx)
    text = _docx_text(docx)
    assert "Satisfaction index model (ECSI)" in text
    quality = report.result.path("Quality", "Satisfaction")
    assert f"Quality → Satisfaction | {quality:.3f}" in text
    pdf = tmp_path / "i.pdf"
    render_report(user=alice, survey=survey, filters=filters, fmt="pdf", out=pdf)
    text = _pdf_text(pdf)
    assert "Indices and explained variance" in text
    assert "Reliability" in text
    assert f"{quality:.3f}" in text

    # with fewer than 30 complete respondents the model is left out, with n
    before = filters.period.start
    few = Filters(Period(before - timedelta(days=60), before - timedelta(days=40)))
    out = tmp_path / "few.docx"
    render_report(user=alice, survey=survey, filters=few, fmt="docx", out=out)
    assert "Index model: not enough complete answers (n = 0, needs 30)." in _docx_text(
        out
    )


def test_analysis_labels_cannot_become_formulas(alice, dataset, tmp_path):
    import openpyxl

    from satisfy.analytics.gaps import paired_gap
    from satisfy.reports.structure import GapReport

    gap = paired_gap([6, 7, 6, 5, 6], [4, 5, 6, 4, 5], name="x")
    analysis = exports.Analysis(
        gaps=GapReport(
            n=5,
            dimension_rows=[('=HYPERLINK("http://x")', gap)],
            item_rows=[("@SUM(A1)", gap)],
            summary="-2 points below",
            svg="",
        ),
        notes=["+note"],
    )
    dash = build_dashboard(
        user=alice, survey=dataset.survey, filters=_filters(dataset), with_funnel=False
    )
    out = tmp_path / "x.xlsx"
    exports.write_xlsx(out, dash, analysis=analysis)
    book = openpyxl.load_workbook(out)
    values = [v for r in _sheet_rows(book["Gaps"]) for v in r if isinstance(v, str)]
    assert '\'=HYPERLINK("http://x")' in values
    assert "'@SUM(A1)" in values
    assert "'-2 points below" in values
    assert "'+note" in [r[0] for r in _sheet_rows(book["Summary"])]
    assert not any(
        c.data_type == "f" for s in book.worksheets for r in s.iter_rows() for c in r
    )
    assert math.isfinite(gap.gap)


def test_chinese_pdf_with_the_driver_section(alice, dataset, tmp_path):
    if exports.find_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    filters = _filters(dataset)
    # an English report first: its font subset must not be reused for the next one
    # (reportlab keeps the first font registered under a name or face)
    first = tmp_path / "en.pdf"
    render_report(
        user=alice, survey=dataset.survey, filters=filters, fmt="pdf", out=first
    )
    assert "服务很好" in _pdf_text(first)
    out = tmp_path / "zh.pdf"
    with translation.override("zh-hans"):
        render_report(
            user=alice, survey=dataset.survey, filters=filters, fmt="pdf", out=out
        )
        heading = translation.gettext("Key drivers")
    assert heading != "Key drivers"  # translated in the catalogue
    text = _pdf_text(out)
    assert heading in text  # drawn with the embedded CJK subset
    assert "服务很好" in text
    assert "总体满意度" in text  # the translated outcome in the drivers' summary


def test_the_report_command_says_which_analyses_were_left_out(alice, dataset, tmp_path):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "report",
        survey=dataset.survey.slug,
        format="xlsx",
        out=str(tmp_path / "r.xlsx"),
        stdout=out,
    )
    printed = out.getvalue()
    assert printed.startswith(f"Wrote {tmp_path / 'r.xlsx'}")
    assert "  Gaps: the survey has no expectation/perception questions." in printed
