"""Customer import: validate everything, then all rows or none."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from satisfy.conftest import Org
from satisfy.customers.importing import ColumnMapping
from satisfy.customers.models import Customer
from satisfy.customers.services import import_customers

HEADER = "Customer no,Full name,E-mail,Mobile,Lang,Region,Tier,Consumption level,Consent,Opted out\n"
MAPPING = ColumnMapping.from_dict(
    {
        "external_id": "Customer no",
        "name": "Full name",
        "email": "E-mail",
        "phone": "Mobile",
        "language": "Lang",
        "consent": "Consent",
        "opted_out": "Opted out",
    }
)


def _import(text: str, **kwargs: Any) -> Any:
    return import_customers(
        stream=io.BytesIO(text.encode()),
        filename="customers.csv",
        mapping=MAPPING,
        **kwargs,
    )


def test_a_clean_file_is_normalised_and_keeps_extra_attributes(db: None) -> None:
    report = _import(
        HEADER
        + "A1,Ann Lee, Ann@Example.COM ,020 7946 0018,en,north,gold,high,yes,\n"
        + "A2,王芳,wang@example.cn,+86 138 0013 8000,zh,south,silver,low,是,\n"
        + "A3,Lucía,lucia@example.es,0034 600 000 001,es-MX,east,gold,,sí,yes\n",
        region="GB",
    )

    assert report.ok, report.problems
    assert (report.created, report.updated) == (3, 0)
    ann = Customer.objects.get(external_id="A1")
    assert ann.email == "ann@example.com"
    assert ann.phone == "+442079460018"
    assert ann.attributes == {
        "region": "north",
        "tier": "gold",
        "consumption_level": "high",
    }
    wang = Customer.objects.get(external_id="A2")
    assert (wang.phone, wang.language) == ("+8613800138000", "zh-Hans")
    lucia = Customer.objects.get(external_id="A3")
    assert (lucia.phone, lucia.language) == ("+34600000001", "es")
    assert lucia.opted_out_at is not None


def test_every_problem_is_reported_and_nothing_is_imported(db: None) -> None:
    report = _import(
        HEADER
        + "B1,Good,good@example.com,+447700900123,en,north,gold,,yes,\n"
        + "B2,Bad mail,not-an-email,+447700900124,en,north,gold,,yes,\n"
        + "B3,Bad phone,b3@example.com,12345,en,north,gold,,yes,\n"
        + "B4,Bad lang,b4@example.com,,fr,north,gold,,maybe,\n"
        + "B5,Twin,good@example.com,,en,north,gold,,,\n"
        + ",No id,,,,north,gold,,,\n"
    )

    assert not report.ok
    problems = {(p.row, p.column): p.reason for p in report.problems}
    assert "not an e-mail address" in problems[(3, "E-mail")]
    assert "no country code" in problems[(4, "Mobile")]
    assert "'fr' is not a supported language" in problems[(5, "Lang")]
    assert "not yes or no" in problems[(5, "Consent")]
    assert problems[(6, "e-mail")] == "same e-mail as row 2"
    assert "no external id, e-mail or phone" in problems[(7, "Customer no")]
    assert Customer.objects.count() == 0


def test_unknown_phone_formats_are_reported_per_row(db: None) -> None:
    report = _import(
        HEADER + "P1,x,,+999 1234,en,,,,,\nP2,y,,abc,en,,,,,\n", region="GB"
    )
    assert {(p.row, p.column) for p in report.problems} == {
        (2, "Mobile"),
        (3, "Mobile"),
    }


def test_missing_mapped_column_is_a_header_problem(db: None) -> None:
    report = import_customers(
        stream=io.BytesIO(b"id,mail\n1,a@example.com\n"),
        filename="c.csv",
        mapping=ColumnMapping.from_dict({"external_id": "id", "email": "E-mail"}),
    )
    assert [(p.row, p.column) for p in report.problems] == [(1, "E-mail")]


def test_reimport_updates_by_external_id_email_or_phone(db: None) -> None:
    _import(HEADER + "C1,Ann,ann@example.com,+447700900001,en,north,gold,,,\n")
    mapping = ColumnMapping.from_dict(
        {"email": "E-mail", "phone": "Mobile", "name": "Full name"}
    )
    # no external id in this file: matched by e-mail and by phone
    report = import_customers(
        stream=io.BytesIO(
            b"Full name,E-mail,Mobile,Tier\nAnn Lee,ANN@example.com,,platinum\nBo,,+447700900002,gold\n"
        ),
        filename="update.csv",
        mapping=mapping,
    )
    assert report.ok, report.problems
    assert (report.created, report.updated) == (1, 1)
    ann = Customer.objects.get(external_id="C1")
    assert ann.name == "Ann Lee"
    assert ann.attributes["tier"] == "platinum"
    assert ann.attributes["region"] == "north"
    again = import_customers(
        stream=io.BytesIO(b"Full name,E-mail,Mobile,Tier\nBo,,+447700900002,gold\n"),
        filename="update.csv",
        mapping=mapping,
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_row_matching_two_customers_is_refused(db: None) -> None:
    _import(HEADER + "D1,a,a@example.com,,en,,,,,\nD2,b,b@example.com,,en,,,,,\n")
    report = _import(HEADER + "D1,a,b@example.com,,en,,,,,\n")
    assert not report.ok
    assert "more than one stored customer" in report.problems[0].reason


def test_xlsx_files_import_too(db: None) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customer no", "E-mail", "Mobile", "Region"])
    sheet.append(["X1", "x1@example.com", 447911123456, "north"])
    sheet.append(["X2", "x2@example.com", "+34 600 000 002", "south"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)

    report = import_customers(
        stream=data,
        filename="customers.xlsx",
        mapping=ColumnMapping.from_dict(
            {"external_id": "Customer no", "email": "E-mail", "phone": "Mobile"}
        ),
        region="GB",
    )

    assert report.ok, report.problems
    assert Customer.objects.get(external_id="X2").attributes == {"region": "south"}
    assert Customer.objects.get(external_id="X1").phone == "+447911123456"


def test_semicolon_csv_with_bom_is_read(db: None) -> None:
    text = "\ufeffexternal_id;email;phone\nS1;s1@example.com;+447700900001\n"
    report = import_customers(
        stream=io.BytesIO(text.encode()), filename="c.csv", mapping=ColumnMapping()
    )
    assert report.ok, report.problems
    assert Customer.objects.get().external_id == "S1"


def test_command_reports_problems_and_exits_with_an_error(
    tmp_path: Any, db: None, capsys: Any
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "E1,x,nope,,en,,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command(
            "import_customers",
            str(bad),
            "--map",
            "external_id=Customer no",
            "--map",
            "email=E-mail",
        )
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "E1,x,e1@example.com,,en,,,,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_customers",
        str(good),
        "--map",
        "external_id=Customer no",
        "--map",
        "email=E-mail",
        "--json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["created"] == 1


@pytest.fixture
def upload() -> Callable[..., Any]:
    def make(text: str, name: str = "customers.csv") -> Any:
        data = io.BytesIO(text.encode())
        data.name = name
        return data

    return make


def test_api_import_and_scoped_listing(
    client: Client,
    alice: Any,
    bob: Any,
    mallory: Any,
    org: Org,
    upload: Callable[..., Any],
) -> None:
    client.force_login(alice)
    north = client.post(
        "/api/v1/customers/import",
        {
            "file": upload("external_id,email\nN1,n1@example.com\n"),
            "unit": "north-central",
        },
    )
    south = client.post(
        "/api/v1/customers/import",
        {"file": upload("external_id,email,unit\nS1,s1@example.com,south-coast\n")},
    )
    bad = client.post(
        "/api/v1/customers/import",
        {"file": upload("external_id,email\nZ1,zzz\nZ2,z2@example.com\n")},
    )
    assert north.status_code == 200, north.content
    assert south.json()["created"] == 1
    assert bad.status_code == 422
    assert bad.json()["problems"] == [
        {"row": 2, "column": "email", "reason": "'zzz' is not an e-mail address"}
    ]
    assert not Customer.objects.filter(external_id="Z2").exists()

    client.force_login(bob)
    listed = client.get("/api/v1/customers").json()
    assert [c["external_id"] for c in listed["items"]] == ["N1"]
    assert (
        client.post(
            "/api/v1/customers/import", {"file": upload("external_id\nB1\n")}
        ).status_code
        == 403
    )

    client.force_login(mallory)
    assert client.get("/api/v1/customers").json()["items"] == []
    other = Customer.objects.get(external_id="S1")
    assert client.get(f"/api/v1/customers/{other.pk}").status_code == 404


def test_import_page_shows_every_problem(
    client: Client, alice: Any, upload: Callable[..., Any]
) -> None:
    client.force_login(alice)
    page = client.post(
        "/customers/import/",
        {"file": upload("external_id,email\nP1,bad\n"), "mapping": ""},
    )
    assert page.status_code == 200
    assert "is not an e-mail address" in page.content.decode()
    done = client.post(
        "/customers/import/", {"file": upload("external_id,email\nP1,p1@example.com\n")}
    )
    assert done.status_code == 302
    assert "P1" in client.get("/customers/").content.decode()
