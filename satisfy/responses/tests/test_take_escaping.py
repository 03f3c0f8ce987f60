"""Text authored in a survey is shown as text, never run as HTML."""

from __future__ import annotations

from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org
from satisfy.distribution.services import create_invitation
from satisfy.surveys.definition import load_definition
from satisfy.surveys.services import create_survey, publish_survey

HOSTILE = """\
code: hostile
version: "1"
title: {en: "<img src=x onerror=alert(2)>Survey"}
intro: {en: "<a href='javascript:alert(3)'>Start</a>"}
thank_you: {en: "<script>alert(6)</script>Bye"}
pages:
  - code: main
    title: {en: "<i>Page</i>"}
    questions:
      - code: overall
        type: single
        text: {en: "<script>alert(1)</script>"}
        help: {en: "<iframe src=//evil.example></iframe>"}
        choices:
          - {code: a, label: {en: "<b onclick=alert(4)>A</b>"}}
          - {code: b, label: {en: "B"}}
      - code: grid
        type: matrix
        text: {en: Grid}
        items:
          - {code: row, label: {en: "<svg onload=alert(5)>"}}
"""


def test_survey_texts_are_escaped(client: Client, org: Org, alice: User) -> None:
    # given
    survey = create_survey(
        definition=load_definition(HOSTILE),
        slug="hostile",
        unit=org.company,
        created_by=alice,
    )
    publish_survey(survey=survey, published_by=alice)
    survey.refresh_from_db()
    url = f"/s/{create_invitation(survey=survey).token}"

    # when
    html = client.get(url).text
    client.post(url, {"page": "1", "q_overall": "a", "q_grid__row": "3"})
    thanks = client.get(f"{url}/thanks").text

    # then
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for raw in ("<img src=x", "<iframe", "<b onclick", "<svg onload", "<i>Page"):
        assert raw not in html
    assert "javascript:alert(3)" not in html.replace(
        "&#x27;javascript:alert(3)&#x27;", ""
    )
    assert "&lt;svg onload=alert(5)&gt;" in html
    assert "<script>alert(6)" not in thanks
    assert "&lt;script&gt;alert(6)&lt;/script&gt;Bye" in thanks
