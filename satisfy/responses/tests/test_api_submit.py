from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.models import Survey
from satisfy.surveys.services import close_survey

MakeSurvey = Callable[..., Survey]

URL = "/api/v1/surveys/after-call/responses"

ANSWERS: dict[str, Any] = {
    "csat_overall": 5,
    "access": "na",
    "resolution": 4,
    "treatment": 5,
    "ces": 6,
    "nps": 9,
    "repurchase": 4,
    "comment": "Quick and kind.",
}


def _post(client: Client, body: dict[str, Any], **headers: str) -> Any:
    return client.post(URL, body, content_type="application/json", headers=headers)


def _body(key: str = "call-1", **fields: Any) -> dict[str, Any]:
    return {"answers": ANSWERS, "idempotency_key": key, "channel": "ivr", **fields}


@pytest.fixture
def survey(make_survey: MakeSurvey) -> Survey:
    return make_survey(slug="after-call")


def test_a_new_response_is_201_with_its_answers(
    client: Client, alice: User, survey: Survey, org: Org
) -> None:
    client.force_login(alice)

    r = _post(client, _body(language="es"))

    assert r.status_code == 201
    body = r.json()
    assert body["survey"] == "after-call"
    assert body["version"] == 1
    assert body["status"] == "complete"
    assert body["channel"] == "ivr"
    assert body["language"] == "es"
    assert body["unit"]["code"] == "acme"
    answers = {a["question"]: a for a in body["answers"]}
    assert answers["nps"]["value"] == 9
    assert answers["access"]["is_na"] is True
    assert answers["comment"]["text"] == "Quick and kind."
    assert SurveyResponse.objects.get().pk == body["id"]


def test_the_same_key_twice_stores_one_response_and_answers_200(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)

    first = _post(client, _body("call-1"))
    again = _post(client, _body("call-1"))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == len(ANSWERS)


def test_the_key_may_come_in_the_idempotency_key_header(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)
    body = {"answers": ANSWERS}

    first = _post(client, body, **{"Idempotency-Key": "sms-77"})
    again = _post(client, body, **{"Idempotency-Key": "sms-77"})
    other = _post(client, body, **{"Idempotency-Key": "sms-78"})

    assert [r.status_code for r in (first, again, other)] == [201, 200, 201]
    assert SurveyResponse.objects.count() == 2


def test_a_missing_key_is_422(client: Client, alice: User, survey: Survey) -> None:
    client.force_login(alice)

    r = _post(client, {"answers": ANSWERS})

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "idempotency_key"]


def test_a_header_and_body_key_that_differ_are_422(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)

    r = _post(client, _body("a"), **{"Idempotency-Key": "b"})

    assert r.status_code == 422
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    ("answers", "loc"),
    [
        ({"nps": 11}, ["body", "answers", "nps"]),  # out of range
        ({"nps": "lots"}, ["body", "answers", "nps"]),  # wrong type
        ({"csat_overall": [1, 2]}, ["body", "answers", "csat_overall"]),  # wrong shape
        ({"comment": 5}, ["body", "answers", "comment"]),  # a number for a text
        ({"mood": 3}, ["body", "answers", "mood"]),  # unknown code
    ],
)
def test_invalid_answers_are_422_and_store_nothing(
    client: Client,
    alice: User,
    survey: Survey,
    answers: dict[str, Any],
    loc: list[str],
) -> None:
    client.force_login(alice)

    r = _post(client, {"answers": {**ANSWERS, **answers}, "idempotency_key": "k"})

    assert r.status_code == 422
    errors = r.json()["detail"]
    assert loc in [e["loc"] for e in errors]
    assert all(e["msg"] for e in errors)
    assert not SurveyResponse.objects.exists()
    assert not Answer.objects.exists()


def test_errors_come_in_the_respondents_language(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)

    r = _post(client, _body(answers={**ANSWERS, "nps": 12}, language="es"))

    assert r.json()["detail"][0]["msg"].startswith("Elija un valor")


def test_a_missing_required_answer_is_422(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)
    answers = {k: v for k, v in ANSWERS.items() if k != "csat_overall"}

    r = _post(client, _body(answers=answers))

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "answers", "csat_overall"]


def test_a_bad_channel_is_422(client: Client, alice: User, survey: Survey) -> None:
    client.force_login(alice)

    r = _post(client, _body(channel="pigeon"))

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "payload", "channel"]


def test_a_closed_survey_takes_no_answers(
    client: Client, alice: User, survey: Survey
) -> None:
    close_survey(survey=survey)
    client.force_login(alice)

    r = _post(client, _body())

    assert r.status_code == 409
    assert not SurveyResponse.objects.exists()


def test_an_invitation_gives_the_response_its_unit_and_agent(
    client: Client,
    alice: User,
    survey: Survey,
    org: Org,
    make_invitation: Callable[..., Any],
) -> None:
    invitation = make_invitation(
        survey=survey, unit=org.south_team, agent=org.south_agent
    )
    client.force_login(alice)

    r = _post(client, _body(invitation_token=invitation.token))
    again = _post(client, _body("another-key", invitation_token=invitation.token))

    assert r.status_code == 201
    assert r.json()["unit"]["code"] == "south-loans"
    assert r.json()["agent"]["code"] == "sam"
    # The invitation is single-use: a second submission returns the first response.
    assert again.status_code == 200
    assert again.json()["id"] == r.json()["id"]


def test_an_unknown_invitation_is_422(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)

    r = _post(client, _body(invitation_token="not-a-token"))

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "invitation_token"]


def test_only_the_surveys_administrators_submit(
    client: Client, bob: User, carol: User, survey: Survey
) -> None:
    for user in (bob, carol):
        client.force_login(user)
        assert _post(client, _body()).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_mallory_cannot_submit(client: Client, mallory: User, survey: Survey) -> None:
    client.force_login(mallory)

    assert _post(client, _body()).status_code == 404


def test_a_survey_outside_the_callers_scope_is_404_and_one_above_it_403(
    client: Client, bob: User, org: Org, make_survey: MakeSurvey
) -> None:
    # bob manages the north branch: a south survey does not exist for him, a
    # company-wide one is visible (above his subtree) but not his to fill in.
    make_survey(slug="south-call", unit=org.south_branch)
    make_survey(slug="after-call")
    client.force_login(bob)

    south = client.post(
        "/api/v1/surveys/south-call/responses",
        _body(),
        content_type="application/json",
    )
    unknown = client.post(
        "/api/v1/surveys/no-such-survey/responses",
        _body(),
        content_type="application/json",
    )

    assert (south.status_code, unknown.status_code) == (404, 404)
    assert south.json() == unknown.json() == {"detail": "No such survey."}
    assert _post(client, _body()).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_unauthenticated_submissions_are_401(client: Client, survey: Survey) -> None:
    assert _post(client, _body()).status_code == 401


def test_a_body_larger_than_the_limit_is_413(
    client: Client, alice: User, survey: Survey
) -> None:
    client.force_login(alice)
    limit = settings.SATISFY_MAX_REQUEST_BYTES

    r = _post(client, _body(answers={**ANSWERS, "comment": "x" * (limit + 1)}))

    assert r.status_code == 413
    assert not SurveyResponse.objects.exists()


@override_settings(DEBUG=True)
def test_an_unexpected_error_is_500_without_a_stack_trace(
    client: Client, alice: User, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(**kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("satisfy.responses.api.submit_response", explode)
    client.force_login(alice)

    r = _post(client, _body())

    assert r.status_code == 500
    assert r.json() == {"detail": "Internal server error."}
    assert b"Traceback" not in r.content
    assert b"secret internals" not in r.content


def test_a_submit_takes_a_fixed_number_of_queries(
    client: Client,
    alice: User,
    survey: Survey,
    django_assert_num_queries: Any,
) -> None:
    client.force_login(alice)
    _post(client, _body("warm-up"))  # session and token caches are per request anyway

    with django_assert_num_queries(QUERIES_PER_SUBMIT):
        assert _post(client, _body("call-2")).status_code == 201
    with django_assert_num_queries(QUERIES_PER_REPEAT):
        assert _post(client, _body("call-2")).status_code == 200


# Pinned so that a change to the submit path shows up here. A new response:
# session + user (2), scope (remembered for the request) and survey (2); then
# responses.services.submit_response: savepoint, the INSERTs of the complete response,
# its answers and its rollup queue row (reports), release; on PostgreSQL the three
# INSERTs are one statement (3), elsewhere three (5). The answers in the body are the
# rows just inserted, not read back.
QUERIES_PER_SUBMIT = 7 if connection.vendor == "postgresql" else 9
QUERIES_PER_REPEAT = 11


def _in_memory_sqlite() -> bool:
    name = str(settings.DATABASES["default"].get("TEST", {}).get("NAME") or "")
    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and (
        not name or "memory" in name
    )


@pytest.mark.skipif(
    _in_memory_sqlite(),
    reason=(
        "shared-cache in-memory SQLite answers 'table is locked' instead of waiting; "
        "the file database waits (busy_timeout), see benchmarks/submit_responses.py"
    ),
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_one_key_store_one_response(
    alice: User, make_survey: MakeSurvey
) -> None:
    # given
    make_survey(slug="after-call")
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    ids: list[int] = []

    def post() -> None:
        client = Client()
        client.force_login(alice)
        barrier.wait()
        try:
            r = _post(client, _body("same-key"))
            statuses.append(r.status_code)
            ids.append(r.json()["id"])
        finally:
            connection.close()

    # when two clients send the same key at the same moment
    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then one was stored, both got it
    assert sorted(statuses) == [200, 201]
    assert ids[0] == ids[1]
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.count() == len(ANSWERS)


def test_the_body_may_name_the_unit_and_agent_the_answers_are_about(
    client: Client, alice: User, survey: Survey, org: Org
) -> None:
    client.force_login(alice)

    by_agent = _post(client, _body("call-a", agent="sam"))
    by_unit = _post(client, _body("call-b", unit="north-cards"))
    by_id = _post(client, _body("call-c", unit=org.north_team.pk, agent="carol"))

    assert by_agent.status_code == 201
    # the unit defaults to the agent's
    assert by_agent.json()["unit"]["code"] == "south-loans"
    assert by_agent.json()["agent"]["code"] == "sam"
    assert by_agent.json()["unit_path"] == org.south_team.path
    assert by_unit.json()["unit"]["code"] == "north-cards"
    assert by_unit.json()["agent"] is None
    assert by_id.json()["unit"]["code"] == "north-cards"
    assert by_id.json()["agent"]["code"] == "carol"
    stored = SurveyResponse.objects.get(pk=by_agent.json()["id"])
    assert (stored.unit_id, stored.agent_id) == (org.south_team.pk, org.south_agent.pk)


def test_a_unit_or_agent_outside_the_surveys_subtree_is_422(
    client: Client, alice: User, make_survey: MakeSurvey, org: Org
) -> None:
    make_survey(slug="after-call", unit=org.north)
    client.force_login(alice)

    for field, value in (
        ("unit", "south-loans"),
        ("unit", "nowhere"),
        ("agent", "sam"),
    ):
        r = _post(client, _body(f"k-{field}-{value}", **{field: value}))
        assert r.status_code == 422, (field, value)
        assert r.json()["detail"][0]["loc"] == ["body", field]
    assert not SurveyResponse.objects.exists()


GRIDS = """\
code: grids
version: "1"
title: {en: Grids}
pages:
  - code: one
    title: {en: One}
    questions:
      - {code: zz_last, type: csat, text: {en: Overall}}
      - code: topics
        type: multiple
        text: {en: Topics}
        choices:
          - {code: loans, label: {en: Loans}}
          - {code: billing, label: {en: Billing}}
          - {code: cards, label: {en: Cards}}
      - code: gap
        type: expectation_perception
        min_value: 1
        max_value: 7
        text: {en: Expected and experienced}
        items:
          - {code: reliable, label: {en: Reliable}}
          - {code: quick_2, label: {en: Quick}}
          - {code: quick, label: {en: Quick}}
"""


def test_the_201_body_lists_the_answers_as_a_later_read_does(
    client: Client, alice: User, org: Org
) -> None:
    # The new response's answers come from the rows just inserted, not a read:
    # they must be the same rows in the same order as GET gives.
    from satisfy.surveys.definition import load_definition
    from satisfy.surveys.services import create_survey, publish_survey

    survey = create_survey(
        definition=load_definition(GRIDS), slug="grids", unit=org.company,
        created_by=alice,
    )  # fmt: skip
    publish_survey(survey=survey, published_by=alice)
    client.force_login(alice)
    answers = {
        "zz_last": 4,
        "topics": ["loans", "cards", "billing"],
        "gap": {
            "reliable": {"expectation": 6, "perception": 5},
            "quick_2": {"expectation": 7, "perception": 3},
            "quick": {"expectation": 2, "perception": 1},
        },
    }
    created = client.post(
        "/api/v1/surveys/grids/responses",
        {"answers": answers, "idempotency_key": "g-1"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    read = client.get(f"/api/v1/responses/{body['id']}")
    assert read.status_code == 200
    assert body == read.json()
    assert len(body["answers"]) == 1 + 3 + 6
    assert [a["question"] for a in body["answers"]][:4] == ["gap"] * 4
