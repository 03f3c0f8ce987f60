from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.distribution.services import create_invitation
from satisfy.responses.api import safe_cell
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

URL = "/api/v1/surveys/after-call/responses/export?format=csv"

ANSWERS: dict[str, Any] = {
    "csat_overall": 4,
    "access": "na",
    "resolution": 5,
    "treatment": 4,
    "ces": 6,
    "nps": 8,
    "repurchase": 5,
}


@pytest.fixture
def record(db: None) -> Callable[..., SurveyResponse]:
    def record(
        survey: Survey, *, unit: Any, agent: Any = None, **answers: Any
    ) -> SurveyResponse:
        assert survey.current_version is not None
        parsed, errors = parse_answers(
            version_definition(survey.current_version),
            {**ANSWERS, **answers},
            language="en",
        )
        assert not errors
        invitation = create_invitation(survey=survey, unit=unit, agent=agent)
        response, _ = submit_response(
            survey=survey, answers=parsed, idempotency_key="", invitation=invitation
        )
        return response

    return record


@pytest.fixture
def survey(make_survey: Callable[..., Survey]) -> Survey:
    return make_survey(slug="after-call")


def _rows(response: Any) -> list[dict[str, str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[arg-type]
    return list(csv.DictReader(io.StringIO(text)))


def test_it_writes_one_row_per_response_and_one_column_per_question(
    client: Client,
    alice: User,
    survey: Survey,
    org: Org,
    record: Callable[..., SurveyResponse],
) -> None:
    # given
    stored = record(survey, unit=org.south_team, agent=org.south_agent, comment="Fine")
    client.force_login(alice)

    # when
    r = client.get(URL)

    # then
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert "after-call-responses.csv" in r["Content-Disposition"]
    (row,) = _rows(r)
    assert list(row)[-8:] == [
        "csat_overall",
        "access",
        "resolution",
        "treatment",
        "ces",
        "nps",
        "repurchase",
        "comment",
    ]
    assert row["response_id"] == str(stored.pk)
    assert row["unit"] == "south-loans"
    assert row["agent"] == "sam"
    assert row["status"] == "complete"
    assert (row["nps"], row["access"], row["ces"], row["comment"]) == (
        "8",
        "na",
        "6",
        "Fine",
    )


def test_cells_a_spreadsheet_would_run_are_neutralised(
    client: Client,
    alice: User,
    survey: Survey,
    org: Org,
    record: Callable[..., SurveyResponse],
) -> None:
    record(survey, unit=org.north_team, comment='=HYPERLINK("http://evil","x")')
    record(survey, unit=org.north_team, comment="@SUM(1+1)")
    record(survey, unit=org.north_team, comment="-2+3")
    client.force_login(alice)

    comments = sorted(row["comment"] for row in _rows(client.get(URL)))

    assert comments == ["'-2+3", '\'=HYPERLINK("http://evil","x")', "'@SUM(1+1)"]


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@A1", "\tx", "\rx"])
def test_safe_cell_prefixes_every_formula_trigger(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "fine", "1", "a=b", "'quoted"])
def test_safe_cell_leaves_plain_text_alone(text: str) -> None:
    assert safe_cell(text) == text


def test_bob_cannot_see_the_south_branch_in_the_export(
    client: Client,
    bob: User,
    survey: Survey,
    org: Org,
    record: Callable[..., SurveyResponse],
) -> None:
    north = record(survey, unit=org.north_team)
    record(survey, unit=org.south_team)
    client.force_login(bob)

    rows = _rows(client.get(URL))

    assert [row["response_id"] for row in rows] == [str(north.pk)]


def test_carol_exports_only_her_own(
    client: Client,
    carol: User,
    survey: Survey,
    org: Org,
    record: Callable[..., SurveyResponse],
) -> None:
    hers = record(survey, unit=org.north_team, agent=org.carol_agent)
    record(survey, unit=org.north_team)
    client.force_login(carol)

    rows = _rows(client.get(URL))

    assert [row["response_id"] for row in rows] == [str(hers.pk)]


def test_mallory_cannot_export(
    client: Client,
    mallory: User,
    survey: Survey,
    org: Org,
    record: Callable[..., SurveyResponse],
) -> None:
    record(survey, unit=org.north_team)
    client.force_login(mallory)

    assert client.get(URL).status_code == 404


def test_an_empty_survey_exports_the_header(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)

    r = client.get(URL)

    text = b"".join(r.streaming_content).decode()  # type: ignore[attr-defined]
    assert text.startswith("response_id,survey,version,")
    assert text.count("\n") == 1


def test_only_csv_is_offered(client: Client, alice: User, survey: Survey) -> None:
    client.force_login(alice)

    r = client.get("/api/v1/surveys/after-call/responses/export?format=xlsx")

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "format"]
