"""The foundation's user story in a real browser.

A CX manager picks a built-in template, creates a survey, publishes it, opens its link
on a phone, answers it, and sees the answer stored.
"""

from __future__ import annotations

from typing import Any

from satisfy.conftest import BROWSER_MARKS, save_screenshot
from satisfy.responses.models import SurveyResponse

pytestmark = BROWSER_MARKS


def test_a_manager_creates_publishes_and_sees_a_phone_answer(
    transactional_db: None, live_server: Any, alice: Any, org: Any, chromium: Any
) -> None:
    desk = chromium.new_context(viewport={"width": 1280, "height": 900}).new_page()

    # alice signs in and creates a survey from the post-contact template
    desk.goto(f"{live_server.url}/surveys/new/")
    desk.fill("#id_username", "alice")
    desk.fill("#id_password", "correct horse 42")
    desk.click("main button[type=submit]")
    desk.wait_for_url("**/surveys/new/")
    desk.select_option("#id_template", "post-contact")
    desk.fill("#id_title", "After your call")
    desk.fill("#id_slug", "after-your-call")
    desk.select_option("#id_unit", str(org.company.pk))
    save_screenshot(desk, "manager-new-survey")
    desk.click("main form button[type=submit]")
    desk.wait_for_url("**/surveys/after-your-call/")

    # she publishes it; the public link appears
    desk.click("form[action$='/publish/'] button")
    desk.wait_for_selector("text=Published version 1.")
    public_link = desk.get_attribute("a[href$='/s/after-your-call']", "href")
    assert public_link is not None
    save_screenshot(desk, "manager-survey-published")

    # a customer opens the link on a phone and answers
    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(public_link)
    for name, value in [
        ("q_csat_overall", "4"),
        ("q_access", "5"),
        ("q_resolution", "4"),
        ("q_treatment", "5"),
        ("q_ces", "6"),
    ]:
        phone.check(f"input[name={name}][value='{value}']")
    phone.click("button[name=action][value=next]")
    phone.wait_for_url("**page=2**")
    phone.check("input[name=q_nps][value='9']")
    phone.check("input[name=q_repurchase][value='5']")
    phone.fill("textarea[name=q_comment]", "Sorted in one call, thank you!")
    phone.click("button[name=action][value=next]")
    phone.wait_for_selector("h1")
    save_screenshot(phone, "manager-flow-phone-thanks")

    # alice sees the stored answer
    desk.goto(f"{live_server.url}/surveys/after-your-call/")
    response = SurveyResponse.objects.get(survey__slug="after-your-call")
    assert response.status == SurveyResponse.Status.COMPLETE
    desk.click(f"a[href$='/responses/{response.pk}/']")
    desk.wait_for_selector("text=Sorted in one call, thank you!")
    save_screenshot(desk, "manager-sees-answer")
    stored = {a.question_code: a.value for a in response.answers.all()}
    assert stored["nps"] == 9
    assert stored["csat_overall"] == 4
