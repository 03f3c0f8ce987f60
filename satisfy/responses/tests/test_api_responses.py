from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.distribution.services import create_invitation
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

ANSWERS: dict[str, Any] = {
    "csat_overall": 4,
    "access": 3,
    "resolution": 5,
    "treatment": 4,
    "ces": 6,
    "nps": 8,
    "repurchase": 5,
}


@pytest.fixture
def record(db: None) -> Callable[..., SurveyResponse]:
    """Store a complete response through an invitation for the given unit and agent."""

    def record(
        survey: Survey, *, unit: Any, agent: Any, nps: int = 8
    ) -> SurveyResponse:
        assert survey.current_version is not None
        answers, errors = parse_answers(
            version_definition(survey.current_version),
            {**ANSWERS, "nps": nps},
            language="en",
        )
        assert not errors
        invitation = create_invitation(survey=survey, unit=unit, agent=agent)
        response, _ = submit_response(
            survey=survey, answers=answers, idempotency_key="", invitation=invitation
        )
        return response

    return record


@pytest.fixture
def survey(make_survey: Callable[..., Survey]) -> Survey:
    return make_survey(slug="after-call")


@pytest.fixture
def responses(
    survey: Survey, org: Org, record: Callable[..., SurveyResponse]
) -> dict[str, SurveyResponse]:
    return {
        "carol": record(survey, unit=org.north_team, agent=org.carol_agent, nps=10),
        "north": record(survey, unit=org.north_branch, agent=None, nps=9),
        "south": record(survey, unit=org.south_team, agent=org.south_agent, nps=2),
    }


def _ids(client: Client, url: str = "/api/v1/surveys/after-call/responses") -> set[int]:
    r = client.get(url)
    assert r.status_code == 200
    return {row["id"] for row in r.json()["items"]}


def test_alice_reads_every_response_with_answers_and_dimensions(
    client: Client, alice: User, responses: dict[str, SurveyResponse]
) -> None:
    client.force_login(alice)

    r = client.get("/api/v1/surveys/after-call/responses")

    assert r.json()["count"] == 3
    south = next(row for row in r.json()["items"] if row["id"] == responses["south"].pk)
    assert south["unit"]["code"] == "south-loans"
    assert south["unit_path"] == responses["south"].unit_path
    assert south["agent"] == {
        "id": south["agent"]["id"],
        "code": "sam",
        "name": "Sam Lee",
    }
    assert south["status"] == "complete"
    assert {a["question"]: a["value"] for a in south["answers"]}["nps"] == 2


def test_bob_cannot_see_the_south_branch_responses(
    client: Client, bob: User, responses: dict[str, SurveyResponse]
) -> None:
    client.force_login(bob)

    assert _ids(client) == {responses["carol"].pk, responses["north"].pk}
    assert client.get(f"/api/v1/responses/{responses['south'].pk}").status_code == 404
    assert client.get(f"/api/v1/responses/{responses['north'].pk}").status_code == 200


def test_carol_sees_only_her_own_responses(
    client: Client, carol: User, responses: dict[str, SurveyResponse]
) -> None:
    client.force_login(carol)

    assert _ids(client) == {responses["carol"].pk}
    assert client.get(f"/api/v1/responses/{responses['north'].pk}").status_code == 404


def test_mallory_sees_nothing(
    client: Client, mallory: User, responses: dict[str, SurveyResponse]
) -> None:
    client.force_login(mallory)

    assert client.get("/api/v1/surveys/after-call/responses").status_code == 404
    for response in responses.values():
        assert client.get(f"/api/v1/responses/{response.pk}").status_code == 404


def test_an_unknown_response_is_404(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)

    r = client.get("/api/v1/responses/999999")

    assert r.status_code == 404
    assert r.json() == {"detail": "No such response."}


def test_the_list_pages_with_limit_and_offset(
    client: Client, alice: User, responses: dict[str, SurveyResponse]
) -> None:
    client.force_login(alice)

    first = client.get("/api/v1/surveys/after-call/responses?limit=2").json()
    rest = client.get("/api/v1/surveys/after-call/responses?limit=2&offset=2").json()

    assert (first["count"], len(first["items"]), len(rest["items"])) == (3, 2, 1)
    seen = {row["id"] for row in first["items"] + rest["items"]}
    assert seen == {response.pk for response in responses.values()}


def test_a_page_costs_the_same_queries_for_one_or_many_responses(
    client: Client,
    alice: User,
    survey: Survey,
    org: Org,
    record: Callable[..., SurveyResponse],
    django_assert_num_queries: Any,
) -> None:
    record(survey, unit=org.north_team, agent=org.carol_agent)
    client.force_login(alice)
    # session, user, scope (once per request), survey, count, page, answers
    with django_assert_num_queries(7):
        client.get("/api/v1/surveys/after-call/responses")

    for _ in range(4):
        record(survey, unit=org.south_team, agent=org.south_agent)
    with django_assert_num_queries(7):
        r = client.get("/api/v1/surveys/after-call/responses")
    assert r.json()["count"] == 5


def test_reading_needs_authentication(
    client: Client, responses: dict[str, SurveyResponse]
) -> None:
    assert client.get("/api/v1/surveys/after-call/responses").status_code == 401
    assert client.get(f"/api/v1/responses/{responses['north'].pk}").status_code == 401
