"""Fixtures of the interactions tests: a few calls in each branch, and the shared data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from satisfy.analytics.tests.conftest import shared_data_dir
from satisfy.conftest import Org

FEBRUARY = "callcenter/data_anonymous_bank_february.txt"
DAY = datetime.fromisoformat("2024-03-04T00:00:00+00:00")  # a Monday


@pytest.fixture
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / FEBRUARY).is_file():
        pytest.skip(f"reference data not found at {path} (set SATISFY_SHARED_DATA)")
    return path


@pytest.fixture
def make_interaction(org: Org) -> Callable[..., Any]:
    """Create one interaction; by default an answered call in carol's team, by carol."""
    from satisfy.interactions.models import Interaction
    from satisfy.interactions.rollups import mark_changed

    counter = {"n": 0}

    def make(**fields: Any) -> Interaction:
        counter["n"] += 1
        values: dict[str, Any] = {
            "external_id": f"call-{counter['n']}",
            "channel": "voice",
            "queue": "cards",
            "unit": org.north_team,
            "agent": org.carol_agent,
            "arrived_at": DAY + timedelta(hours=10, minutes=counter["n"]),
            "wait_seconds": 10.0,
            "talk_seconds": 200.0,
            "hold_seconds": 0.0,
            "after_call_work_seconds": 30.0,
            "outcome": "answered",
        }
        values.update(fields)
        created = Interaction.objects.create(**values)
        # Written outside the services: queue its day for the KPI rollups.
        mark_changed(created.arrived_at)
        return created

    return make


@pytest.fixture
def calls(org: Org, make_interaction: Callable[..., Any]) -> dict[str, list[Any]]:
    """North: 3 by carol (one within 20 s... two), 1 abandoned; South: 2 by sam."""
    north = [
        make_interaction(wait_seconds=5.0),
        make_interaction(wait_seconds=15.0),
        make_interaction(wait_seconds=60.0),
        make_interaction(
            wait_seconds=90.0, outcome="abandoned_queue", agent=None, talk_seconds=None
        ),
        make_interaction(
            wait_seconds=None, outcome="abandoned_ivr", agent=None, talk_seconds=None
        ),
    ]
    south = [
        make_interaction(
            unit=org.south_team, agent=org.south_agent, queue="loans", wait_seconds=3.0
        ),
        make_interaction(
            unit=org.south_team,
            agent=org.south_agent,
            queue="loans",
            wait_seconds=300.0,
        ),
    ]
    return {"north": north, "south": south}
