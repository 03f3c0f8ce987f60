from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.surveys.models import Survey, SurveyVersion

MakeSurvey = Callable[..., Survey]


def _create(client: Client, **fields: Any) -> Any:
    body = {"template": "post-contact", "slug": "after-call", "unit": "acme", **fields}
    return client.post("/api/v1/surveys", body, content_type="application/json")


# Creating


def test_an_admin_creates_a_draft_survey_from_a_template(
    client: Client, alice: User, org: Org
) -> None:
    client.force_login(alice)

    r = _create(client, unit="north-central", title="After a call")

    assert r.status_code == 201
    body = r.json()
    assert body["slug"] == "after-call"
    assert body["title"] == "After a call"
    assert body["status"] == "draft"
    assert body["unit"] == {
        "id": org.north_branch.pk,
        "code": "north-central",
        "name": "North Central",
    }
    assert body["current_version"] is None
    assert body["versions"] == []
    assert body["definition"] is None
    assert body["draft"]["code"] == "post-contact"
    assert body["can_manage"] is True


def test_the_unit_may_be_given_by_id(client: Client, alice: User, org: Org) -> None:
    client.force_login(alice)

    r = _create(client, unit=org.south_team.pk)

    assert r.status_code == 201
    assert Survey.objects.get(slug="after-call").unit == org.south_team


def test_a_unit_manager_may_not_create_surveys_in_their_branch(
    client: Client, bob: User
) -> None:
    client.force_login(bob)

    r = _create(client, unit="north-central")

    assert r.status_code == 403
    assert not Survey.objects.exists()


def test_bob_cannot_see_the_south_branch_to_create_a_survey_there(
    client: Client, bob: User
) -> None:
    client.force_login(bob)

    r = _create(client, unit="south-coast")

    # 404 rather than 403, so a stranger cannot learn that the unit exists
    assert r.status_code == 404


def test_mallory_cannot_create_surveys(client: Client, mallory: User, org: Org) -> None:
    client.force_login(mallory)

    r = _create(client)

    assert r.status_code == 404
    assert not Survey.objects.exists()


def test_a_taken_slug_is_a_conflict(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call")
    client.force_login(alice)

    r = _create(client, slug="after-call")

    assert r.status_code == 409


def test_bad_fields_are_422_with_their_location(
    client: Client, alice: User, org: Org
) -> None:
    client.force_login(alice)

    r = _create(client, slug="Not A Slug!", template="nope")

    assert r.status_code == 422
    errors = r.json()["detail"]
    assert [e["loc"] for e in errors] == [["body", "payload", "slug"]]
    assert errors[0]["msg"]


def test_an_unknown_template_is_a_field_error(
    client: Client, alice: User, org: Org
) -> None:
    client.force_login(alice)

    r = _create(client, template="nope")

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "payload", "template"]
    assert not Survey.objects.exists()


# Reading


@pytest.fixture
def three_surveys(make_survey: MakeSurvey, org: Org) -> None:
    make_survey(slug="company-wide")
    make_survey(slug="north-only", unit=org.north_branch)
    make_survey(slug="south-only", unit=org.south_branch)


def _slugs(client: Client) -> set[str]:
    r = client.get("/api/v1/surveys")
    assert r.status_code == 200
    return {s["slug"] for s in r.json()["items"]}


@pytest.mark.usefixtures("three_surveys")
def test_alice_lists_every_survey(client: Client, alice: User) -> None:
    client.force_login(alice)

    assert _slugs(client) == {"company-wide", "north-only", "south-only"}


@pytest.mark.usefixtures("three_surveys")
def test_bob_cannot_see_the_south_branch_surveys(client: Client, bob: User) -> None:
    client.force_login(bob)

    assert _slugs(client) == {"company-wide", "north-only"}
    assert client.get("/api/v1/surveys/south-only").status_code == 404


@pytest.mark.usefixtures("three_surveys")
def test_mallory_sees_no_survey(client: Client, mallory: User) -> None:
    client.force_login(mallory)

    r = client.get("/api/v1/surveys")

    assert r.json() == {"items": [], "count": 0}
    for slug in ("company-wide", "north-only", "south-only"):
        assert client.get(f"/api/v1/surveys/{slug}").status_code == 404


def test_the_list_is_paginated(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    for n in range(3):
        make_survey(slug=f"s{n}", publish=False)
    client.force_login(alice)

    r = client.get("/api/v1/surveys?limit=2&offset=2")

    assert r.json()["count"] == 3
    assert len(r.json()["items"]) == 1


def test_a_survey_shows_its_versions_and_current_definition(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call")
    client.force_login(alice)

    r = client.get("/api/v1/surveys/after-call")

    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "open"
    assert body["current_version"] == 1
    assert [v["number"] for v in body["versions"]] == [1]
    assert body["definition"]["code"] == "post-contact"
    assert body["draft"] is not None


def test_a_manager_reads_the_survey_but_not_the_draft(
    client: Client, bob: User, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call")
    client.force_login(bob)

    body = client.get("/api/v1/surveys/after-call").json()

    assert body["draft"] is None
    assert body["can_manage"] is False
    assert body["definition"]["code"] == "post-contact"


# Editing and publishing


def test_publishing_after_editing_makes_a_new_immutable_version(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    # given a published survey
    survey = make_survey(slug="after-call")
    client.force_login(alice)
    draft = client.get("/api/v1/surveys/after-call").json()["draft"]
    first_title = draft["title"]["en"]

    # when the draft is edited and published again
    draft["title"]["en"] = "How was your call?"
    r = client.put(
        "/api/v1/surveys/after-call/draft", draft, content_type="application/json"
    )
    assert r.status_code == 200
    assert r.json()["draft"]["title"]["en"] == "How was your call?"
    r = client.post("/api/v1/surveys/after-call/publish")

    # then version 2 carries the edit and version 1 is unchanged
    assert r.status_code == 201
    assert r.json()["number"] == 2
    v1, v2 = SurveyVersion.objects.filter(survey=survey).order_by("number")
    assert v1.definition["title"]["en"] == first_title
    assert v2.definition["title"]["en"] == "How was your call?"
    assert client.get("/api/v1/surveys/after-call").json()["current_version"] == 2


def test_the_first_publish_opens_the_survey(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call", publish=False)
    client.force_login(alice)

    r = client.post("/api/v1/surveys/after-call/publish")

    assert r.status_code == 201
    assert r.json()["number"] == 1
    assert Survey.objects.get(slug="after-call").status == Survey.Status.OPEN


def test_a_bad_draft_is_422_with_every_problem_and_nothing_stored(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    survey = make_survey(slug="after-call", publish=False)
    before = copy.deepcopy(survey.draft_definition)
    bad = copy.deepcopy(before)
    bad["pages"][0]["questions"][0]["type"] = "telepathy"
    del bad["title"]
    client.force_login(alice)

    r = client.put(
        "/api/v1/surveys/after-call/draft", bad, content_type="application/json"
    )

    assert r.status_code == 422
    locs = [e["loc"] for e in r.json()["detail"]]
    assert ["body", "title"] in locs
    assert ["body", "pages", 0, "questions", 0, "type"] in locs
    assert all(e["msg"] for e in r.json()["detail"])
    survey.refresh_from_db()
    assert survey.draft_definition == before


def test_a_draft_that_is_not_an_object_is_422(
    client: Client, alice: User, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call", publish=False)
    client.force_login(alice)

    r = client.put(
        "/api/v1/surveys/after-call/draft", [1, 2], content_type="application/json"
    )

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"][0] == "body"


def test_bob_may_not_edit_or_publish(
    client: Client, bob: User, make_survey: MakeSurvey
) -> None:
    survey = make_survey(slug="after-call")
    client.force_login(bob)

    put = client.put(
        "/api/v1/surveys/after-call/draft",
        survey.draft_definition,
        content_type="application/json",
    )
    publish = client.post("/api/v1/surveys/after-call/publish")

    assert (put.status_code, publish.status_code) == (403, 403)
    assert survey.versions.count() == 1


def test_mallory_may_not_learn_that_a_survey_exists(
    client: Client, mallory: User, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call")
    client.force_login(mallory)

    assert client.post("/api/v1/surveys/after-call/publish").status_code == 404
    assert (
        client.put(
            "/api/v1/surveys/after-call/draft", {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_unauthenticated_callers_get_401(
    client: Client, make_survey: MakeSurvey
) -> None:
    make_survey(slug="after-call")

    assert client.get("/api/v1/surveys").status_code == 401
    assert client.get("/api/v1/surveys/after-call").status_code == 401
    assert client.post("/api/v1/surveys/after-call/publish").status_code == 401
