"""Leaving mid-way and coming back, and going back a page, keep the answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from satisfy.responses.models import Answer, SurveyResponse


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="([^"]*)" checked', html)


PAGE_1 = {
    "page": "1",
    "q_csat_overall": "2",
    "q_access": "3",
    "q_resolution": "1",
    "q_treatment": "4",
    "q_ces": "2",
}


def test_a_respondent_who_left_resumes_on_the_page_where_they_stopped(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given: page 1 answered in one browser, then the browser was closed
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(url, PAGE_1)

    # when: the link is opened again from another browser
    again = Client().get(url, follow=True)

    # then
    assert again.status_code == 200
    assert "Page 2 of 2" in again.text
    assert 'name="q_nps"' in again.text
    assert SurveyResponse.objects.get().pages_done == 1


def test_a_resumed_survey_cannot_skip_ahead_of_unanswered_pages(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"

    reply = client.get(f"{url}?page=2")
    post = client.post(url, {"page": "2", "q_nps": "10", "q_repurchase": "5"})

    assert reply.status_code == 302
    assert "page=1" in reply["Location"]
    assert post.status_code == 303
    assert not Answer.objects.exists()


def test_back_shows_the_earlier_page_with_its_answers_and_keeps_this_pages(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(url, PAGE_1)

    # when: the NPS is answered, the repurchase question not yet, and Back pressed
    back = client.post(url, {"page": "2", "q_nps": "7", "action": "back"})
    page_1 = client.get(back["Location"])
    page_2 = client.get(f"{url}?page=2")

    # then
    assert back.status_code == 303
    assert "page=1" in back["Location"]
    assert "Page 1 of 2" in page_1.text
    assert _checked(page_1.text, "q_csat_overall") == ["2"]
    assert _checked(page_1.text, "q_ces") == ["2"]
    assert "Please choose an answer." not in page_1.text
    assert _checked(page_2.text, "q_nps") == ["7"]
    assert _checked(page_2.text, "q_repurchase") == []
    assert SurveyResponse.objects.get().status == SurveyResponse.Status.PARTIAL


def test_changing_an_earlier_answer_replaces_it(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(url, PAGE_1)
    client.post(url, {"page": "2", "action": "back"})

    client.post(url, {**PAGE_1, "q_csat_overall": "5"})

    rows = Answer.objects.filter(question_code="csat_overall")
    assert [row.value for row in rows] == [5]
