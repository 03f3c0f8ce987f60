"""Waves over the API: plan, sample, launch, and response rates by role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from satisfy.conftest import Org
from satisfy.distribution.models import Invitation
from satisfy.distribution.services import deliver_all_due
from satisfy.responses.services import submit_response


@pytest.fixture
def wave_id(
    client: Client,
    alice: Any,
    make_survey: Callable[..., Any],
    make_customer: Callable[..., Any],
    org: Org,
) -> int:
    make_survey(slug="after-call")
    for i in range(6):
        make_customer(
            unit=org.north_branch, attributes={"tier": "gold" if i % 2 else "silver"}
        )
    for i in range(4):
        make_customer(
            unit=org.south_branch, attributes={"tier": "gold" if i % 2 else "silver"}
        )
    client.force_login(alice)
    now = timezone.now()
    r = client.post(
        "/api/v1/distribution/waves",
        {
            "survey": "after-call",
            "name": "Q1",
            "channels": ["email"],
            "starts_at": (now - timedelta(minutes=1)).isoformat(),
            "closes_at": (now + timedelta(days=10)).isoformat(),
            "reminder_days": [3],
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    wave = r.json()["id"]
    sample = client.post(
        f"/api/v1/distribution/waves/{wave}/samples",
        {"method": "stratified", "n": 10, "strata": ["tier"], "seed": 5},
        content_type="application/json",
    )
    assert sample.status_code == 201, sample.content
    assert sample.json()["exclusions"]["opted_out"] == 0
    launch = client.post(f"/api/v1/distribution/waves/{wave}/launch")
    assert launch.json() == {"created": 10, "already_invited": 0}
    deliver_all_due()
    north = Invitation.objects.filter(unit=org.north_branch)
    for invitation in north[:3]:
        submit_response(
            survey=invitation.survey,
            answers={},
            idempotency_key="x",
            invitation=invitation,
        )
    client.logout()
    return int(wave)


def test_alice_sees_the_whole_funnel_by_unit(
    client: Client, alice: Any, wave_id: int
) -> None:
    client.force_login(alice)
    rows = client.get(f"/api/v1/distribution/waves/{wave_id}/rates?by=unit").json()
    by_unit = {row["key"]: row for row in rows}
    assert by_unit["North Central"]["sent"] == 6
    assert by_unit["North Central"]["completed"] == 3
    assert by_unit["North Central"]["response_rate"] == pytest.approx(0.5)
    assert by_unit["South Coast"]["response_rate"] == 0
    total = client.get(f"/api/v1/distribution/waves/{wave_id}/rates").json()[0]
    assert (total["invited"], total["completed"]) == (10, 3)
    strata = client.get(f"/api/v1/distribution/waves/{wave_id}/rates?by=stratum").json()
    assert {row["key"] for row in strata} == {"gold", "silver"}
    waves = client.get("/api/v1/distribution/surveys/after-call/rates").json()
    assert waves[0]["key"] == "1"


def test_bob_sees_only_his_branch(client: Client, bob: Any, wave_id: int) -> None:
    client.force_login(bob)
    rows = client.get(f"/api/v1/distribution/waves/{wave_id}/rates?by=unit").json()
    assert [row["key"] for row in rows] == ["North Central"]
    # bob reads but may not launch or sample
    assert (
        client.post(f"/api/v1/distribution/waves/{wave_id}/launch").status_code == 403
    )


def test_mallory_sees_nothing(client: Client, mallory: Any, wave_id: int) -> None:
    client.force_login(mallory)
    assert client.get(f"/api/v1/distribution/waves/{wave_id}/rates").status_code == 404
    assert client.get("/api/v1/distribution/waves").json() == []


def test_unknown_breakdown_is_422(client: Client, alice: Any, wave_id: int) -> None:
    client.force_login(alice)
    r = client.get(f"/api/v1/distribution/waves/{wave_id}/rates?by=colour")
    assert r.status_code == 422


def test_wave_input_errors_are_422(
    client: Client, alice: Any, make_survey: Callable[..., Any]
) -> None:
    make_survey(slug="after-call")
    client.force_login(alice)
    now = timezone.now()
    r = client.post(
        "/api/v1/distribution/waves",
        {
            "survey": "after-call",
            "name": "x",
            "channels": ["pigeon"],
            "starts_at": now.isoformat(),
            "closes_at": now.isoformat(),
        },
        content_type="application/json",
    )
    assert r.status_code == 422
