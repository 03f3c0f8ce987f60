"""Bob signs in and reads his branch's operations dashboard in Chromium.

Drives Debian's Chromium through Playwright against pytest-django's live server and
saves screenshots under ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from satisfy.conftest import BROWSER_MARKS, Org, save_screenshot
from satisfy.interactions.tests.conftest import DAY

pytestmark = BROWSER_MARKS


@pytest.fixture
def desktop(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def test_bob_reads_his_branchs_dashboard(
    transactional_db: None,
    live_server: Any,
    org: Org,
    bob: Any,
    make_interaction: Callable[..., Any],
    desktop: Any,
) -> None:
    # given: a day of calls in both branches, busier around noon
    for minute in range(8 * 60, 18 * 60, 7):
        busy = 11 * 60 <= minute < 14 * 60
        make_interaction(
            arrived_at=DAY + timedelta(minutes=minute),
            wait_seconds=45.0 if busy else 8.0,
            outcome="abandoned_queue" if busy and minute % 5 == 0 else "answered",
        )
        make_interaction(
            arrived_at=DAY + timedelta(minutes=minute + 3),
            unit=org.south_team,
            agent=org.south_agent,
            queue="loans",
        )
    page = desktop

    # when
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "bob")
    page.fill("input[name=password]", "correct horse 42")
    page.press("input[name=password]", "Enter")
    page.wait_for_load_state()
    page.click("nav >> text=Operations")
    page.wait_for_selector("h1")
    save_screenshot(page, "operations-dashboard")

    # then
    assert page.locator("h1").inner_text() == "Contact-centre operations"
    assert page.locator("svg.chart").count() == 3
    assert "cards" in page.content()
    assert "loans" not in page.content()
    assert "Sam Lee" not in page.content()
