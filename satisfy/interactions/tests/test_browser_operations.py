"""Bob signs in and reads his branch's operations dashboard in Chromium.

Drives Debian's Chromium through Playwright against pytest-django's live server and
saves screenshots under ``test-artifacts/`` for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from satisfy.conftest import Org
from satisfy.interactions.tests.conftest import DAY

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed at /usr/bin/chromium",
    ),
]


@pytest.fixture
def desktop() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB"
        )
        page = context.new_page()
        try:
            yield page
        finally:
            context.close()
            browser.close()
            connections.close_all()


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
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "operations-dashboard.png"), full_page=True)

    # then
    assert page.locator("h1").inner_text() == "Contact-centre operations"
    assert page.locator("svg.chart").count() == 3
    assert "cards" in page.content()
    assert "loans" not in page.content()
    assert "Sam Lee" not in page.content()
