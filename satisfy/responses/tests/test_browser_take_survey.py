"""A respondent on a phone completes the post-contact survey with the keyboard only.

Drives Debian's Chromium through Playwright against pytest-django's live server and
saves screenshots under ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from satisfy.conftest import BROWSER_MARKS, save_screenshot
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.surveys.definition import load_definition
from satisfy.surveys.services import create_survey, publish_survey

pytestmark = BROWSER_MARKS


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    """A Playwright page the size of a phone, with touch, in English."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def _tab_to(page: Any, name: str, *, limit: int = 60) -> None:
    """Press Tab until the control called ``name`` has the focus."""
    for _press in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement && (document.activeElement.name || '')"
        )
        if focused == name:
            return
    raise AssertionError(f"Tab never reached the control {name!r}")


def _choose(page: Any, name: str, position: int) -> None:
    """Tab into a radio group and pick its ``position``-th option (1-based) with arrows."""
    _tab_to(page, name)
    page.keyboard.press("Space")
    for _step in range(position - 1):
        page.keyboard.press("ArrowRight")


def test_a_phone_user_completes_the_survey_with_the_keyboard(
    transactional_db: None,
    live_server: Any,
    make_survey: Callable[..., Any],
    make_invitation: Callable[..., Any],
    phone: Any,
) -> None:
    # given
    invitation = make_invitation(survey=make_survey())
    page = phone
    page.goto(f"{live_server.url}/s/{invitation.token}")
    save_screenshot(page, "take-survey-phone-page-1")

    # when: page 1 - one answer per group, "not applicable" for resolution
    _choose(page, "q_csat_overall", 4)
    _choose(page, "q_access", 5)
    _choose(page, "q_resolution", 6)
    _choose(page, "q_treatment", 5)
    _choose(page, "q_ces", 6)
    save_screenshot(page, "take-survey-phone-page-1-answered")
    _tab_to(page, "action")
    page.keyboard.press("Enter")
    page.wait_for_url("**/s/*?page=2*")

    # page 2 - first submit without the NPS answer to see the error summary
    _choose(page, "q_repurchase", 4)
    _tab_to(page, "action")
    page.keyboard.press("Enter")
    page.wait_for_selector(".error-summary")
    save_screenshot(page, "take-survey-phone-page-2-error")
    assert page.locator(".error-summary a").count() == 1
    assert page.locator("[name=q_repurchase]:checked").get_attribute("value") == "4"

    _choose(page, "q_nps", 10)  # 0..10, so the tenth box is 9
    _tab_to(page, "q_comment")
    page.keyboard.type("Friendly agent, short wait.")
    save_screenshot(page, "take-survey-phone-page-2-answered")
    _tab_to(page, "action")
    page.keyboard.press("Enter")
    page.wait_for_url("**/thanks*")
    save_screenshot(page, "take-survey-phone-thanks")

    # then
    assert "Thank you! Your answers help us serve you better." in page.content()
    response = SurveyResponse.objects.get()
    assert response.status == SurveyResponse.Status.COMPLETE
    stored = {
        row.question_code: row.choice_code or row.text_value
        for row in Answer.objects.filter(response=response)
    }
    assert stored == {
        "csat_overall": "4",
        "access": "5",
        "resolution": "na",
        "treatment": "5",
        "ces": "6",
        "nps": "9",
        "repurchase": "4",
        "comment": "Friendly agent, short wait.",
    }


GRIDS = """\
code: grids
version: "1"
title: {en: Branch services}
pages:
  - code: grids
    title: {en: Rate our branch}
    questions:
      - code: grid
        type: matrix
        allow_na: true
        text: {en: How satisfied are you with each of these?}
        labels:
          - {en: Very dissatisfied}
          - {en: Dissatisfied}
          - {en: Neutral}
          - {en: Satisfied}
          - {en: Very satisfied}
        items:
          - {code: speed, label: {en: Speed of service}}
          - {code: courtesy, label: {en: Courtesy of staff}}
          - {code: clarity, label: {en: Clear explanations}}
      - code: gap
        type: expectation_perception
        min_value: 1
        max_value: 7
        min_label: {en: Very poor}
        max_label: {en: Excellent}
        text: {en: "What did you expect, and what did you get?"}
        items:
          - {code: reliable, label: {en: Doing what was promised}}
      - code: topics
        type: multiple
        required: false
        text: {en: What was your visit about?}
        choices:
          - {code: cards, label: {en: Cards}}
          - {code: loans, label: {en: Loans}}
"""


def test_grids_form_a_table_on_a_wide_screen_and_stack_on_a_phone(
    transactional_db: None,
    live_server: Any,
    org: Any,
    alice: Any,
    make_invitation: Callable[..., Any],
    phone: Any,
) -> None:
    survey = create_survey(
        definition=load_definition(GRIDS),
        slug="grids",
        unit=org.company,
        created_by=alice,
    )
    publish_survey(survey=survey, published_by=alice)
    survey.refresh_from_db()
    invitation = make_invitation(survey=survey)
    url = f"{live_server.url}/s/{invitation.token}"

    page = phone
    page.goto(url)
    _choose(page, "q_grid__speed", 4)
    save_screenshot(page, "grids-phone")
    assert not page.locator(".matrix-head").is_visible()
    assert page.locator(".matrix-row .cell-face").first.is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    save_screenshot(page, "grids-desktop")
    assert page.locator(".matrix-head").is_visible()
