"""Every question type renders with accessible controls and its answers are stored."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.distribution.services import create_invitation
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.definition import load_definition
from satisfy.surveys.models import Survey
from satisfy.surveys.services import create_survey, publish_survey

EVERY_TYPE = """\
code: every-type
version: "1"
title: {en: Every question type}
pages:
  - code: scales
    title: {en: Scales}
    questions:
      - {code: overall, type: csat, text: {en: Overall satisfaction}}
      - code: recommend
        type: nps
        allow_na: true
        text: {en: Would you recommend us?}
      - {code: effort, type: ces, ces_version: 2, text: {en: It was easy}}
      - {code: stars, type: rating, min_value: 1, max_value: 5, text: {en: Stars}}
      - {code: score, type: scale, min_value: 1, max_value: 10, text: {en: Score}}
      - {code: weight, type: importance, text: {en: How important is speed?}}
  - code: choices
    title: {en: Choices}
    questions:
      - code: channel
        type: single
        text: {en: Channel}
        choices:
          - {code: phone, label: {en: Phone}}
          - {code: chat, label: {en: Chat}}
      - code: topics
        type: multiple
        max_choices: 2
        allow_na: true
        text: {en: Topics}
        choices:
          - {code: billing, label: {en: Billing}}
          - {code: cards, label: {en: Cards}}
          - {code: loans, label: {en: Loans}}
      - {code: name, type: text, multiline: false, max_length: 40, required: false, text: {en: Nickname}}
  - code: grids
    title: {en: Grids}
    questions:
      - code: grid
        type: matrix
        allow_na: true
        text: {en: Rate each}
        items:
          - {code: speed, label: {en: Speed}}
          - {code: courtesy, label: {en: Courtesy}}
      - code: gap
        type: expectation_perception
        min_value: 1
        max_value: 7
        text: {en: Expected and experienced}
        items:
          - {code: reliable, label: {en: Reliable}}
          - {code: quick, label: {en: Quick}}
"""

ANSWERS: dict[str, dict[str, str | list[str]]] = {
    "1": {
        "q_overall": "5",
        "q_recommend": "na",
        "q_effort": "7",
        "q_stars": "4",
        "q_score": "8",
        "q_weight": "5",
    },
    "2": {"q_channel": "chat", "q_topics": ["billing", "loans"], "q_name": "Bo"},
    "3": {
        "q_grid__speed": "4",
        "q_grid__courtesy": "na",
        "q_gap__reliable__expectation": "6",
        "q_gap__reliable__perception": "5",
        "q_gap__quick__expectation": "7",
        "q_gap__quick__perception": "3",
    },
}


def _publish(text: str, *, slug: str, org: Org, alice: User) -> Survey:
    survey = create_survey(
        definition=load_definition(text), slug=slug, unit=org.company, created_by=alice
    )
    publish_survey(survey=survey, published_by=alice)
    survey.refresh_from_db()
    return survey


@pytest.fixture
def url(org: Org, alice: User) -> str:
    survey = _publish(EVERY_TYPE, slug="every-type", org=org, alice=alice)
    invitation = create_invitation(survey=survey, unit=org.north_team)
    return f"/s/{invitation.token}"


def _page(client: Client, url: str, number: int) -> str:
    return client.get(f"{url}?page={number}").text


def test_scales_render_as_radio_groups_inside_fieldsets(
    client: Client, url: str
) -> None:
    html = _page(client, url, 1)

    assert html.count("<fieldset") == 6
    assert html.count("<legend") == 6
    assert len(re.findall(r'type="radio"[^>]*name="q_recommend"', html)) == 12
    assert 'class="boxes points-11"' in html
    assert "0 = Not at all likely" in html
    assert "10 = Extremely likely" in html
    assert 'class="boxes points-10"' in html
    assert ">Very satisfied</span>" in html
    assert ">Strongly agree</span>" in html
    assert ">Extremely important</span>" in html
    for radio in re.findall(r'<input type="radio" id="([^"]+)"', html):
        assert f'for="{radio}"' in html  # every radio button has its own label


def test_choices_and_text_render_with_labels_and_limits(
    client: Client, url: str
) -> None:
    client.post(url, {"page": "1", **ANSWERS["1"]})

    html = _page(client, url, 2)

    assert len(re.findall(r'type="checkbox"[^>]*name="q_topics"', html)) == 4
    assert len(re.findall(r'type="radio"[^>]*name="q_channel"', html)) == 2
    assert re.search(
        r'<input type="text" id="q-q_name" name="q_name"[^>]*maxlength="40"', html
    )
    assert '<label class="question-text" for="q-q_name">' in html
    assert "(optional)" in html


def test_grids_get_one_radio_group_per_row(client: Client, url: str) -> None:
    client.post(url, {"page": "1", **ANSWERS["1"]})
    client.post(url, {"page": "2", **ANSWERS["2"]})

    html = _page(client, url, 3)

    assert html.count('role="radiogroup"') == 2 + 4
    assert len(re.findall(r'name="q_grid__speed"', html)) == 6
    assert len(re.findall(r'name="q_gap__quick__perception"', html)) == 7
    assert "What I expected" in html
    assert "What I experienced" in html


def test_answers_to_every_type_are_stored(client: Client, url: str) -> None:
    # when
    for number, answers in ANSWERS.items():
        reply = client.post(url, {"page": number, **answers})
        assert reply.status_code == 303, reply.text

    # then
    response = SurveyResponse.objects.get()
    assert response.status == SurveyResponse.Status.COMPLETE
    rows = {
        (a.question_code, a.item_code, a.part, a.choice_code)
        for a in Answer.objects.filter(response=response)
    }
    assert ("recommend", "", "", "na") in rows
    assert ("topics", "", "", "billing") in rows
    assert ("topics", "", "", "loans") in rows
    assert ("grid", "courtesy", "", "na") in rows
    assert ("gap", "quick", "perception", "3") in rows
    assert (
        Answer.objects.get(response=response, question_code="name").text_value == "Bo"
    )


def test_stored_answers_are_checked_again_when_a_page_is_revisited(
    client: Client, url: str
) -> None:
    client.post(url, {"page": "1", **ANSWERS["1"]})
    client.post(url, {"page": "2", **ANSWERS["2"]})

    html = _page(client, url, 2)

    assert re.search(r'value="chat" checked', html)
    assert re.search(r'value="billing" checked', html)
    assert re.search(r'value="loans" checked', html)
    assert not re.search(r'value="cards" checked', html)
    assert 'value="Bo"' in html


def test_every_page_is_valid_html_for_the_parser(client: Client, url: str) -> None:
    from html.parser import HTMLParser

    ids: list[str] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, Any]]) -> None:
            ids.extend(value for name, value in attrs if name == "id")

    client.post(url, {"page": "1", **ANSWERS["1"]})
    client.post(url, {"page": "2", **ANSWERS["2"]})
    for number in (1, 2, 3):
        ids.clear()
        Collector().feed(_page(client, url, number))
        assert len(ids) == len(set(ids)), f"duplicate ids on page {number}"
