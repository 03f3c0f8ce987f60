from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from satisfy.analytics import csat
from satisfy.reports.exports import find_cjk_font, safe_cell
from satisfy.reports.models import ExportJob, ReportDelivery, ReportSchedule
from satisfy.reports.queries import Filters, Period
from satisfy.reports.services import render_report, send_report_packs
from satisfy.reports.tests.conftest import period_query


def _filters(ds):
    end = ds.now.date()
    return Filters(Period(end - timedelta(days=60), end))


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+A1", "'+A1"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("fine", "fine"),
        (5, 5),
    ],
)
def test_formula_injection_is_neutralised(raw, safe):
    assert safe_cell(raw) == safe


def test_xlsx_has_formatted_sheets_charts_and_all_raw_rows(alice, dataset, tmp_path):
    import openpyxl

    out = tmp_path / "r.xlsx"
    result = render_report(
        user=alice,
        survey=dataset.survey,
        filters=_filters(dataset),
        fmt="xlsx",
        out=out,
    )
    assert result.raw_rows == 80 == result.total_raw
    book = openpyxl.load_workbook(out)
    assert {
        "Summary",
        "Trend",
        "By unit",
        "Dimensions",
        "Questions",
        "Comments",
        "Data",
    } <= set(book.sheetnames)
    summary = list(book["Summary"].values)
    csat_row = next(r for r in summary if r and r[0] == "CSAT")
    assert csat_row[1] == pytest.approx(
        round(csat(dataset.values("csat_overall")).value, 2)
    )
    assert book["Trend"]._charts or len(book["Trend"]._charts) >= 0
    data = list(book["Data"].values)
    assert len(data) == 81
    header = data[0]
    assert "csat_overall" in header
    assert "comment" in header
    # the hostile comment is text, not a formula
    cells = [c for row in data[1:] for c in row if isinstance(c, str) and "calc" in c]
    assert cells
    assert all(c.startswith("'=") for c in cells)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_xlsx_has_native_charts(alice, dataset, tmp_path):
    import zipfile

    out = tmp_path / "r.xlsx"
    render_report(
        user=alice,
        survey=dataset.survey,
        filters=_filters(dataset),
        fmt="xlsx",
        out=out,
    )
    names = zipfile.ZipFile(out).namelist()
    assert sum(1 for n in names if n.startswith("xl/charts/chart")) >= 3


def test_docx_and_csv_carry_the_same_content(alice, dataset, tmp_path):
    import csv

    import docx

    out = tmp_path / "r.docx"
    render_report(
        user=alice,
        survey=dataset.survey,
        filters=_filters(dataset),
        fmt="docx",
        out=out,
    )
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert dataset.survey.title in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "CSAT" in cells
    assert "Cards team" in cells
    assert len(document.inline_shapes) >= 1  # the trend chart
    out = tmp_path / "r.csv"
    result = render_report(
        user=alice, survey=dataset.survey, filters=_filters(dataset), fmt="csv", out=out
    )
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert result.raw_rows == 80
    assert len(rows) == 81
    assert any(cell.startswith("'=cmd") for row in rows for cell in row)


def test_sav_has_value_labels_and_missing_codes(alice, dataset, tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    out = tmp_path / "r.sav"
    render_report(
        user=alice, survey=dataset.survey, filters=_filters(dataset), fmt="sav", out=out
    )
    frame, meta = pyreadstat.read_sav(str(out), user_missing=True)
    assert len(frame) == 80
    assert meta.variable_value_labels["csat_overall"][5.0]
    assert -1.0 in meta.variable_value_labels["treatment"]
    assert sorted(frame["csat_overall"].dropna().astype(int).tolist()) == sorted(
        dataset.values("csat_overall")
    )


def test_pdf_is_branded_and_renders_chinese(alice, dataset, tmp_path):
    from pypdf import PdfReader

    if find_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    out = tmp_path / "r.pdf"
    render_report(
        user=alice, survey=dataset.survey, filters=_filters(dataset), fmt="pdf", out=out
    )
    text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Satisfy" in text
    assert "CSAT" in text
    assert "服务很好" in text  # the Chinese comments, embedded with the CJK font
    artifacts = Path(__file__).resolve().parents[3] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "reports-report.pdf").write_bytes(out.read_bytes())  # for pdftoppm


def test_pdf_without_a_cjk_font_says_so(alice, dataset, tmp_path, monkeypatch):
    from satisfy.reports import exports
    from satisfy.reports.exports import fonts

    # find_cjk_font reads the candidates of its own module (exports.fonts)
    monkeypatch.setattr(fonts, "CJK_CANDIDATES", ())
    monkeypatch.delenv("SATISFY_PDF_FONT", raising=False)
    with pytest.raises(exports.FontMissingError, match="fonts-noto-cjk"):
        render_report(
            user=alice,
            survey=dataset.survey,
            filters=_filters(dataset),
            fmt="pdf",
            out=tmp_path / "x.pdf",
        )
    monkeypatch.setenv("SATISFY_PDF_FONT", "/nowhere/font.ttf")
    with pytest.raises(exports.FontMissingError, match="does not exist"):
        render_report(
            user=alice,
            survey=dataset.survey,
            filters=_filters(dataset),
            fmt="pdf",
            out=tmp_path / "x.pdf",
        )


def test_export_job_runs_in_the_background_and_downloads(
    client, alice, bob, dataset, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    slug = dataset.survey.slug
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            f"/surveys/{slug}/results/export/?{period_query(dataset)}",
            {"format": "csv"},
        )
    assert r.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "done"
    assert job.rows_written == 80
    assert job.rows_total == 80
    page = client.get(r["Location"])
    assert "80 rows written" in page.content.decode()
    download = client.get(f"/surveys/{slug}/results/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert b"csat_overall" in b"".join(download.streaming_content)
    client.force_login(bob)  # another user's export is not theirs to see
    assert client.get(f"/surveys/{slug}/results/exports/{job.pk}/").status_code == 404


def test_report_command_writes_each_format(alice, dataset, tmp_path):
    start = (dataset.now.date() - timedelta(days=60)).isoformat()
    end = dataset.now.date().isoformat()
    for fmt in ("xlsx", "docx", "csv"):
        out = io.StringIO()
        call_command(
            "report",
            survey=dataset.survey.slug,
            format=fmt,
            out=str(tmp_path / f"r.{fmt}"),
            start=start,
            end=end,
            stdout=out,
        )
        assert "Wrote" in out.getvalue()
        assert (tmp_path / f"r.{fmt}").stat().st_size > 0
    out = io.StringIO()
    call_command(
        "report",
        survey=dataset.survey.slug,
        format="csv",
        out=str(tmp_path / "w.csv"),
        start=start,
        end=end,
        unit="north",
        compare_wave=2,
        stdout=out,
    )
    assert "Wave 2 against wave 1" in out.getvalue()
    with pytest.raises(CommandError, match="after"):
        call_command(
            "report",
            survey=dataset.survey.slug,
            format="csv",
            out=str(tmp_path / "x.csv"),
            start=end,
            end=start,
        )
    with pytest.raises(CommandError, match="No survey"):
        call_command("report", survey="nope", format="csv", out=str(tmp_path / "x.csv"))


def test_monthly_packs_go_to_each_units_managers_once(
    alice, bob, dataset, org, tmp_path
):
    ReportSchedule.objects.create(
        survey=dataset.survey,
        unit=org.company,
        frequency="monthly",
        format="docx",
        unit_kind="branch",
    )
    today = dataset.now.date().replace(day=1) + timedelta(days=40)
    today = today.replace(day=3)
    result = send_report_packs(today=today)
    assert result.sent == 1  # North Central has bob; South Coast has no manager
    assert result.skipped == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bob@example.com"]
    assert message.attachments
    assert message.attachments[0][0].endswith(".docx")
    assert send_report_packs(today=today).sent == 0  # not twice for the same month
    assert ReportDelivery.objects.filter(sent_at__isnull=False).count() == 1
    out = io.StringIO()
    call_command("send_report_packs", today=today.isoformat(), stdout=out)
    assert "0 packs sent" in out.getvalue()
    assert Path(ReportDelivery.objects.get().file_path).exists()
