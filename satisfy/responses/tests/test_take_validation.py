"""A page with missing or wrong answers comes back with messages and stores nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from satisfy.responses.models import Answer, SurveyResponse


def test_missing_answers_are_shown_beside_the_fields_and_nothing_is_stored(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    # given
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"

    # when: only the first question answered, one answer out of range
    reply = client.post(url, {"page": "1", "q_csat_overall": "4", "q_access": "9"})

    # then
    html = reply.text
    assert reply.status_code == 200
    assert "<title>Error: " in html
    assert 'class="error-summary"' in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert summary.count("<li>") == 4
    assert 'href="#q-q_access-1"' in summary
    assert "Choose a value from 1 to 5." in summary
    assert 'href="#q-q_csat_overall-1"' not in summary
    # the message sits beside its field and is tied to it
    assert '<p class="error-message" id="q-q_access-error">' in html
    assert 'aria-describedby="q-q_access-error"' in html
    assert re.search(r'name="q_access" value="1" aria-invalid="true"', html)
    assert not re.search(r'name="q_csat_overall" value="\d"[^>]*aria-invalid', html)
    # the valid answer is still chosen on the page shown again
    assert re.search(r'name="q_csat_overall" value="4" checked', html)
    assert not SurveyResponse.objects.exists()
    assert not Answer.objects.exists()


def test_a_too_long_comment_is_refused_with_its_limit(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"
    client.post(
        url,
        {
            "page": "1",
            "q_csat_overall": "4",
            "q_access": "4",
            "q_resolution": "4",
            "q_treatment": "4",
            "q_ces": "4",
        },
    )

    reply = client.post(
        url, {"page": "2", "q_nps": "8", "q_repurchase": "3", "q_comment": "x" * 2001}
    )

    assert reply.status_code == 200
    assert "Please shorten your answer to at most 2000 characters." in reply.text
    assert 'maxlength="2000"' in reply.text
    assert SurveyResponse.objects.get().status == SurveyResponse.Status.PARTIAL
    assert not Answer.objects.filter(question_code__in=["nps", "comment"]).exists()


def test_a_tampered_page_number_leads_back_to_the_right_page(
    client: Client, make_survey: Callable[..., Any], make_invitation: Callable[..., Any]
) -> None:
    invitation = make_invitation(survey=make_survey())
    url = f"/s/{invitation.token}"

    for page in ("0", "99", "abc", ""):
        reply = client.post(url, {"page": page, "q_nps": "10"})
        assert reply.status_code == 303
        assert "page=1" in reply["Location"]
    assert not Answer.objects.exists()
