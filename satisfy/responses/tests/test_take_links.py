"""Which links open a survey, and what the others show (without giving anything away)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.distribution.models import Invitation
from satisfy.responses.models import SurveyResponse
from satisfy.surveys.definition import load_definition
from satisfy.surveys.services import close_survey, create_survey, publish_survey

PAGE_1 = {
    "page": "1",
    "q_csat_overall": "5",
    "q_access": "5",
    "q_resolution": "5",
    "q_treatment": "5",
    "q_ces": "7",
}
PAGE_2 = {"page": "2", "q_nps": "10", "q_repurchase": "5"}

PRIVATE = """\
code: staff-only
version: "1"
title: {en: Staff only}
allow_public_link: false
pages:
  - code: main
    title: {en: Main}
    questions:
      - {code: overall, type: csat, text: {en: Overall}}
"""


def test_an_unknown_and_an_expired_token_get_the_same_404_page(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given
    survey = make_survey()
    expired = make_invitation(
        survey=survey, now=timezone.now() - timedelta(days=40), ttl_days=30
    )

    # when
    unknown_reply = client.get("/s/no-such-token-at-all-0123456789abcdef")
    expired_reply = client.get(f"/s/{expired.token}")

    # then
    assert unknown_reply.status_code == 404
    assert expired_reply.status_code == 404
    assert unknown_reply.content == expired_reply.content
    assert "This link does not work" in unknown_reply.text
    assert "How did we do?" not in expired_reply.text
    assert "Traceback" not in unknown_reply.text
    expired.refresh_from_db()
    assert expired.opened_at is None


def test_posting_to_an_expired_link_stores_nothing(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    expired = make_invitation(
        survey=make_survey(), now=timezone.now() - timedelta(days=2), ttl_days=1
    )

    reply = client.post(f"/s/{expired.token}", PAGE_1)

    assert reply.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_completed_invitation_says_thank_you_again(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(url, PAGE_1)
    client.post(url, PAGE_2)

    reply = Client().get(url)

    assert reply.status_code == 200
    assert "You have already answered this survey" in reply.text
    assert 'name="q_' not in reply.text


def test_a_closed_survey_shows_a_friendly_page(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    survey = make_survey()
    invitation = make_invitation(survey=survey)
    close_survey(survey=survey)

    personal = client.get(f"/s/{invitation.token}")
    public = client.get(f"/s/{survey.slug}")
    posted = client.post(f"/s/{invitation.token}", PAGE_1)

    assert personal.status_code == 410
    assert "This survey is closed" in personal.text
    assert public.status_code == 410
    assert posted.status_code == 410
    assert not SurveyResponse.objects.exists()


def test_a_public_link_opens_when_the_version_allows_it(
    client: Client, make_survey: Callable[..., Any]
) -> None:
    # given
    survey = make_survey()
    url = f"/s/{survey.slug}"

    # when
    first = client.get(url)
    client.post(url, PAGE_1)
    resumed = client.get(url, follow=True)
    other_browser = Client().get(url)

    # then
    assert first.status_code == 200
    assert "Page 1 of 2" in first.text
    response = SurveyResponse.objects.get()
    assert response.key.startswith("pub:")
    assert response.invitation is None
    assert response.customer is None
    assert "Page 2 of 2" in resumed.text
    assert "Page 1 of 2" in other_browser.text


def test_each_browser_on_a_public_link_gets_its_own_response(
    make_survey: Callable[..., Any],
) -> None:
    survey = make_survey()
    url = f"/s/{survey.slug}"

    for _browser in range(2):
        respondent = Client()
        respondent.post(url, PAGE_1)
        reply = respondent.post(url, PAGE_2, follow=True)
        assert "Thank you! Your answers help us serve you better." in reply.text

    assert SurveyResponse.objects.filter(status="complete").count() == 2


def test_a_survey_without_a_public_link_is_not_found_by_its_slug(
    client: Client, org: Org, alice: User
) -> None:
    survey = create_survey(
        definition=load_definition(PRIVATE),
        slug="staff-only",
        unit=org.company,
        created_by=alice,
    )
    publish_survey(survey=survey, published_by=alice)

    reply = client.get("/s/staff-only")
    posted = client.post("/s/staff-only", {"page": "1", "q_overall": "5"})

    assert reply.status_code == 404
    assert "This link does not work" in reply.text
    assert posted.status_code == 404
    assert not SurveyResponse.objects.exists()


def test_a_draft_survey_has_no_public_link(
    client: Client, make_survey: Callable[..., Any]
) -> None:
    make_survey(slug="not-yet", publish=False)

    assert client.get("/s/not-yet").status_code == 404


def test_an_opted_out_invitation_is_treated_as_expired(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.OPTED_OUT
    )

    assert client.get(f"/s/{invitation.token}").status_code == 404
