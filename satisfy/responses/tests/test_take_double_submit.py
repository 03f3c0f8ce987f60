"""Submitting twice (two tabs, a double click, a replayed POST) leaves one response."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from satisfy.responses.models import Answer, SurveyResponse

PAGE_1 = {
    "page": "1",
    "q_csat_overall": "3",
    "q_access": "3",
    "q_resolution": "3",
    "q_treatment": "3",
    "q_ces": "3",
}
PAGE_2 = {"page": "2", "q_nps": "6", "q_repurchase": "2"}


def test_replaying_the_last_page_shows_the_thank_you_page(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(url, PAGE_1)
    client.post(url, PAGE_2)
    completed_at = SurveyResponse.objects.get().completed_at

    # when: the same POST again, and a changed one
    replay = client.post(url, PAGE_2, follow=True)
    changed = client.post(url, {**PAGE_2, "q_nps": "10"}, follow=True)

    # then
    for reply in (replay, changed):
        assert reply.status_code == 200
        assert "Thank you! Your answers help us serve you better." in reply.text
    response = SurveyResponse.objects.get()
    assert response.completed_at == completed_at
    assert Answer.objects.get(question_code="nps").value == 6


def test_two_tabs_finishing_the_same_invitation_make_one_response(
    make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    first_tab, second_tab = Client(), Client()

    for tab in (first_tab, second_tab):
        tab.post(url, PAGE_1)
    replies = [tab.post(url, PAGE_2, follow=True) for tab in (first_tab, second_tab)]

    assert [reply.status_code for reply in replies] == [200, 200]
    assert all("Thank you" in reply.text for reply in replies)
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.filter(question_code="nps").count() == 1


def test_a_double_click_on_the_first_page_creates_one_response(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"

    first = client.post(url, PAGE_1)
    second = client.post(url, PAGE_1)

    assert first.status_code == second.status_code == 303
    assert SurveyResponse.objects.count() == 1
    assert Answer.objects.filter(question_code="csat_overall").count() == 1


def test_the_thank_you_page_needs_a_completed_response(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())

    early = client.get(f"/s/{invitation.token}/thanks")
    unknown = client.get("/s/nobody-here/thanks")

    assert early.status_code == 302
    assert early["Location"] == f"/s/{invitation.token}"
    assert unknown.status_code == 404
