from __future__ import annotations

import pytest

from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import submit_response
from satisfy.surveys.answers import parse_answers
from satisfy.surveys.models import ImmutableVersionError, Survey
from satisfy.surveys.services import version_definition

GOOD_ANSWERS = {
    "csat_overall": 5,
    "access": 4,
    "resolution": 5,
    "treatment": 5,
    "ces": 6,
    "nps": 9,
    "repurchase": 4,
    "comment": "Quick and kind.",
}


def _respond(survey, *, key, unit, agent=None):
    definition = version_definition(survey.current_version)
    answers, errors = parse_answers(definition, GOOD_ANSWERS, language="en")
    assert errors == {}
    response, _ = submit_response(survey=survey, answers=answers, idempotency_key=key)
    SurveyResponse.objects.filter(pk=response.pk).update(
        unit=unit, unit_path=unit.path, agent=agent
    )
    return response


def test_pages_ask_for_a_login(client, db):
    r = client.get("/surveys/")
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_admin_creates_and_publishes_from_a_template(client, alice, org):
    client.force_login(alice)
    # given the template picker
    r = client.get("/surveys/new/")
    assert r.status_code == 200
    assert "post-contact" in r.content.decode()

    # when alice creates a draft and publishes it twice
    r = client.post(
        "/surveys/new/",
        {
            "template": "post-contact",
            "slug": "after-call",
            "title": "",
            "unit": org.company.pk,
        },
    )
    assert r.status_code == 302
    survey = Survey.objects.get(slug="after-call")
    assert survey.status == Survey.Status.DRAFT
    assert client.post("/surveys/after-call/publish/").status_code == 302
    assert (
        "Publish a new version"
        not in client.get("/surveys/after-call/").content.decode()
    )
    assert client.post("/surveys/after-call/publish/").status_code == 302

    # then there are two immutable versions and the survey is open
    survey.refresh_from_db()
    assert survey.is_open
    assert [v.number for v in survey.versions.all()] == [1, 2]
    current = survey.current_version
    assert current is not None
    assert current.number == 2
    assert current.questions.filter(code="nps", kind="nps").exists()
    page = client.get("/surveys/after-call/").content.decode()
    assert "csat_overall" in page
    assert "/s/after-call" in page


def test_published_versions_cannot_be_changed(make_survey):
    survey = make_survey()
    version = survey.current_version
    version.definition = {}
    with pytest.raises(ImmutableVersionError):
        version.save()


def test_duplicate_short_name_is_a_form_error(client, alice, org, make_survey):
    make_survey(slug="after-call")
    client.force_login(alice)
    r = client.post(
        "/surveys/new/",
        {"template": "post-contact", "slug": "after-call", "unit": org.company.pk},
    )
    assert r.status_code == 200
    assert "already exists" in r.content.decode()


def test_branch_manager_sees_the_company_survey_but_cannot_manage_it(
    client, bob, make_survey
):
    make_survey()
    client.force_login(bob)
    assert client.get("/surveys/after-call/").status_code == 200
    assert client.post("/surveys/after-call/publish/").status_code == 403
    assert client.get("/surveys/new/").status_code == 403


def test_bob_cannot_see_the_south_branch_responses(client, bob, org, make_survey):
    survey = make_survey()
    north = _respond(survey, key="n1", unit=org.north_team)
    south = _respond(survey, key="s1", unit=org.south_team)
    client.force_login(bob)
    page = client.get("/surveys/after-call/").content.decode()
    assert f"/surveys/after-call/responses/{north.pk}/" in page
    assert f"/surveys/after-call/responses/{south.pk}/" not in page
    assert client.get(f"/surveys/after-call/responses/{north.pk}/").status_code == 200
    assert client.get(f"/surveys/after-call/responses/{south.pk}/").status_code == 404


def test_agent_sees_only_her_own_responses(client, carol, org, make_survey):
    survey = make_survey()
    mine = _respond(survey, key="c1", unit=org.north_team, agent=org.carol_agent)
    other = _respond(survey, key="n2", unit=org.north_team)
    client.force_login(carol)
    assert client.get(f"/surveys/after-call/responses/{mine.pk}/").status_code == 200
    assert client.get(f"/surveys/after-call/responses/{other.pk}/").status_code == 404


def test_mallory_sees_nothing(client, mallory, make_survey):
    survey = make_survey()
    client.force_login(mallory)
    assert "after-call" not in client.get("/surveys/").content.decode()
    assert client.get("/surveys/after-call/").status_code == 404
    assert client.get("/surveys/after-call/definition/").status_code == 404
    assert client.post("/surveys/after-call/publish/").status_code == 404
    assert "no role yet" in client.get("/").content.decode()
    assert survey.versions.count() == 1


def test_authored_html_is_escaped(client, alice, make_survey):
    survey = make_survey()
    Survey.objects.filter(pk=survey.pk).update(title="<script>alert(1)</script>")
    client.force_login(alice)
    page = client.get("/surveys/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_definition_downloads_as_yaml(client, alice, make_survey):
    make_survey()
    client.force_login(alice)
    r = client.get("/surveys/after-call/definition/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/yaml")
    assert "csat_overall" in r.content.decode()


def test_admin_creates_a_personal_invitation_link(client, alice, make_survey):
    survey = make_survey()
    client.force_login(alice)
    r = client.post("/surveys/after-call/invite/", follow=True)
    invitation = survey.invitations.get()
    assert invitation.token in r.content.decode()
