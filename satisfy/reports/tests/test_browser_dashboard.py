"""The dashboard in Debian's Chromium: screenshots for a person to look at.

Saved under ``test-artifacts/`` (reports-dashboard*.png). The page works without
JavaScript; the browser checks that the SVG charts are laid out and visible.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from satisfy.reports.tests.conftest import period_query

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
            viewport={"width": 1280, "height": 900},
            locale="en-GB",
            java_script_enabled=False,
        )
        try:
            yield context
        finally:
            context.close()
            browser.close()
            connections.close_all()


def test_dashboard_in_chromium(
    transactional_db, live_server, client, alice, dataset, desktop
):
    client.force_login(alice)
    desktop.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = desktop.new_page()
    slug = dataset.survey.slug
    page.goto(
        f"{live_server.url}/surveys/{slug}/results/?{period_query(dataset)}&trend=week"
    )
    assert page.locator("h2#card-csat").is_visible()
    assert page.locator("svg.chart").count() >= 2
    box = page.locator("svg.chart").first.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] > 100
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "reports-dashboard.png"), full_page=True)
    page.goto(
        f"{live_server.url}/surveys/{slug}/results/scorecard/?{period_query(dataset)}"
    )
    page.screenshot(path=str(ARTIFACTS / "reports-scorecard.png"), full_page=True)
    page.goto(
        f"{live_server.url}/surveys/{slug}/results/drivers/?{period_query(dataset)}"
    )
    page.screenshot(path=str(ARTIFACTS / "reports-drivers.png"), full_page=True)
