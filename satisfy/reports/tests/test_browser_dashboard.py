"""The dashboard in Debian's Chromium: screenshots for a person to look at.

Saved under ``test-artifacts/`` (reports-dashboard*.png). The page works without
JavaScript; the browser checks that the SVG charts are laid out and visible.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from satisfy.conftest import BROWSER_MARKS, save_screenshot
from satisfy.reports.tests.conftest import period_query

pytestmark = BROWSER_MARKS


@pytest.fixture
def desktop(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        java_script_enabled=False,
    )
    try:
        yield context
    finally:
        context.close()


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
    save_screenshot(page, "reports-dashboard")
    page.goto(
        f"{live_server.url}/surveys/{slug}/results/scorecard/?{period_query(dataset)}"
    )
    save_screenshot(page, "reports-scorecard")
    page.goto(
        f"{live_server.url}/surveys/{slug}/results/drivers/?{period_query(dataset)}"
    )
    save_screenshot(page, "reports-drivers")
