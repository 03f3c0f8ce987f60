"""Display logic is evaluated on the server: hidden questions and empty pages are skipped."""

from __future__ import annotations

import pytest
from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.distribution.services import create_invitation
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.definition import load_definition
from satisfy.surveys.services import create_survey, publish_survey

BRANCHING = """\
code: branching
version: "1"
title: {en: Branch visit}
pages:
  - code: visit
    title: {en: Your visit}
    questions:
      - code: visited
        type: single
        text: {en: Did you visit a branch?}
        choices:
          - {code: "yes", label: {en: "Yes"}}
          - {code: "no", label: {en: "No"}}
      - code: why_not
        type: text
        text: {en: Why not?}
        show_if: {question: visited, equals: ["no"]}
  - code: branch
    title: {en: The branch}
    questions:
      - code: branch_rating
        type: csat
        text: {en: How was the branch?}
        show_if: {question: visited, equals: ["yes"]}
      - code: queue_time
        type: rating
        text: {en: How was the queue?}
        show_if: {question: branch_rating, max: 2}
  - code: end
    title: {en: Overall}
    questions:
      - {code: overall, type: csat, text: {en: "Overall, how satisfied are you?"}}
"""


@pytest.fixture
def url(org: Org, alice: User) -> str:
    survey = create_survey(
        definition=load_definition(BRANCHING),
        slug="branching",
        unit=org.company,
        created_by=alice,
    )
    publish_survey(survey=survey, published_by=alice)
    survey.refresh_from_db()
    return f"/s/{create_invitation(survey=survey).token}"


def test_a_hidden_question_is_not_shown(client: Client, url: str) -> None:
    html = client.get(url).text

    assert "Did you visit a branch?" in html
    assert "Why not?" not in html
    assert 'name="q_why_not"' not in html
    assert "Page 1 of 3" in html


def test_an_answer_that_reveals_a_question_on_the_same_page_shows_it_first(
    client: Client, url: str
) -> None:
    # when: "no" is chosen on a page that did not show the follow-up yet
    reply = client.post(url, {"page": "1", "shown": "visited", "q_visited": "no"})

    # then: the page comes back with the new question, not an error
    assert reply.status_code == 200
    assert "Why not?" in reply.text
    assert "brought up another question" in reply.text
    assert 'class="error-summary"' not in reply.text
    assert not SurveyResponse.objects.exists()


def test_a_page_whose_questions_are_all_hidden_is_skipped(
    client: Client, url: str
) -> None:
    # when
    reply = client.post(
        url,
        {
            "page": "1",
            "shown": "visited why_not",
            "q_visited": "no",
            "q_why_not": "Too far away",
        },
    )
    last = client.get(reply["Location"])

    # then
    assert "page=3" in reply["Location"]
    assert "Overall, how satisfied are you?" in last.text
    assert "Page 2 of 2" in last.text
    assert client.get(url.replace("/s/", "/s/") + "?page=2").status_code == 302


def test_a_chain_of_conditions_follows_the_answers(client: Client, url: str) -> None:
    client.post(url, {"page": "1", "shown": "visited", "q_visited": "yes"})

    page_2 = client.get(f"{url}?page=2").text
    low = client.post(
        url, {"page": "2", "shown": "branch_rating", "q_branch_rating": "1"}
    )

    assert "How was the branch?" in page_2
    assert "How was the queue?" not in page_2
    assert low.status_code == 200
    assert "How was the queue?" in low.text


def test_answers_left_on_a_path_not_taken_are_dropped_on_completion(
    client: Client, url: str
) -> None:
    # given: the branch path answered, then the first answer changed to "no"
    client.post(url, {"page": "1", "q_visited": "yes"})
    client.post(url, {"page": "2", "q_branch_rating": "4"})
    client.post(url, {"page": "3", "action": "back"})
    client.post(url, {"page": "2", "action": "back"})

    # when
    client.post(url, {"page": "1", "q_visited": "no", "q_why_not": "Changed my mind"})
    done = client.post(url, {"page": "3", "q_overall": "5"}, follow=True)

    # then
    assert "Thank you" in done.text
    response = SurveyResponse.objects.get()
    assert response.status == SurveyResponse.Status.COMPLETE
    codes = set(
        Answer.objects.filter(response=response).values_list("question_code", flat=True)
    )
    assert codes == {"visited", "why_not", "overall"}
