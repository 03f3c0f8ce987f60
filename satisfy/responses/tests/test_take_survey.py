"""Completing a survey through a personal invitation link, as a respondent would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from satisfy.distribution.models import Invitation
from satisfy.responses.models import Answer, SurveyResponse

PAGE_1 = {
    "page": "1",
    "q_csat_overall": "4",
    "q_access": "5",
    "q_resolution": "na",
    "q_treatment": "5",
    "q_ces": "6",
}
PAGE_2 = {
    "page": "2",
    "q_nps": "9",
    "q_repurchase": "4",
    "q_comment": "Quick and friendly, thanks.",
}


def test_a_respondent_completes_the_post_contact_survey(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"

    # when
    first = client.get(url, follow=True)
    after_page_1 = client.post(url, PAGE_1)
    second = client.get(after_page_1["Location"])
    after_page_2 = client.post(url, PAGE_2, follow=True)

    # then
    assert first.status_code == 200
    assert "Page 1 of 2" in first.text
    assert '<progress max="2" value="1"' in first.text
    assert "How did we do?" in first.text
    assert after_page_1.status_code == 303
    assert "Page 2 of 2" in second.text
    assert after_page_2.status_code == 200
    assert "Thank you! Your answers help us serve you better." in after_page_2.text
    response = SurveyResponse.objects.get()
    assert response.status == SurveyResponse.Status.COMPLETE
    assert response.key == f"inv:{invitation.pk}"
    stored = {a.question_code: a for a in Answer.objects.filter(response=response)}
    assert set(stored) == {
        "csat_overall",
        "access",
        "resolution",
        "treatment",
        "ces",
        "nps",
        "repurchase",
        "comment",
    }
    assert stored["nps"].value == 9
    assert stored["resolution"].is_na
    assert stored["comment"].text_value == "Quick and friendly, thanks."
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED
    assert invitation.opened_at is not None


def test_opening_the_link_records_the_first_open_only(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())

    client.get(f"/s/{invitation.token}")
    invitation.refresh_from_db()
    first_open = invitation.opened_at
    client.get(f"/s/{invitation.token}")
    invitation.refresh_from_db()

    assert invitation.status == Invitation.Status.OPENED
    assert first_open is not None
    assert invitation.opened_at == first_open
    assert not SurveyResponse.objects.exists()
