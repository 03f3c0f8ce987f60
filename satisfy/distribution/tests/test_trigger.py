"""Post-contact trigger: eligibility, sampling rate, frequency, delay."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from satisfy.conftest import Org
from satisfy.distribution.models import ChannelMessage, Invitation, PostContactRule
from satisfy.distribution.services import deliver_all_due
from satisfy.distribution.services.trigger import sampled

URL = "/api/v1/distribution/interactions/ended"


@pytest.fixture
def rule(client: Client, alice: Any, make_survey: Callable[..., Any]) -> dict[str, Any]:
    make_survey(slug="after-call")
    client.force_login(alice)
    r = client.post(
        "/api/v1/distribution/rules",
        {
            "survey": "after-call",
            "name": "Cards calls",
            "channel": "sms",
            "queues": ["cards"],
            "sample_rate": 1.0,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    return dict(r.json())


def _end(client: Client, external_id: str, **fields: Any) -> Any:
    body = {
        "external_id": external_id,
        "ended_at": timezone.now().isoformat(),
        "queue": "cards",
        "agent_code": "carol",
        **fields,
    }
    return client.post(URL, body, content_type="application/json")


def test_an_answered_call_gets_an_sms_after_five_minutes(
    client: Client, rule: dict[str, Any], make_customer: Callable[..., Any], org: Org
) -> None:
    make_customer(external_id="K1", phone="+447700900001")

    r = _end(client, "call-1", customer_external_id="K1")

    assert r.status_code == 200, r.content
    decision = r.json()["decisions"][0]
    assert decision["selected"] is True
    assert decision["reason"] == "selected"
    invitation = Invitation.objects.get(pk=decision["invitation"])
    assert invitation.unit == org.north_team
    assert invitation.agent == org.carol_agent
    message = ChannelMessage.objects.get(invitation=invitation)
    delay = (message.due_at - timezone.now()).total_seconds()
    assert 280 < delay <= 300
    # not due yet: nothing goes out now, it does after the delay
    assert deliver_all_due().sent == 0
    assert deliver_all_due(now=timezone.now() + timedelta(minutes=6)).sent == 1


def test_abandoned_calls_other_queues_and_opted_out_customers_are_skipped(
    client: Client, rule: dict[str, Any], make_customer: Callable[..., Any]
) -> None:
    make_customer(external_id="K1")
    make_customer(external_id="K2", opted_out_at=timezone.now())
    reasons = [
        _end(client, "a", customer_external_id="K1", outcome="abandoned_queue").json()[
            "decisions"
        ][0]["reason"],
        _end(client, "b", customer_external_id="K1", queue="loans").json()["decisions"][
            0
        ]["reason"],
        _end(client, "c", customer_external_id="K2").json()["decisions"][0]["reason"],
        _end(client, "d").json()["decisions"][0]["reason"],
    ]
    assert reasons == ["outcome", "queue", "opted_out", "no_customer"]
    assert Invitation.objects.count() == 0


def test_at_most_one_survey_per_customer_per_30_days_and_repeats_are_idempotent(
    client: Client, rule: dict[str, Any], make_customer: Callable[..., Any]
) -> None:
    make_customer(external_id="K1", phone="+447700900001")
    first = _end(client, "call-1", customer_external_id="K1").json()["decisions"][0]
    repeat = _end(client, "call-1", customer_external_id="K1").json()["decisions"][0]
    second = _end(client, "call-2", customer_external_id="K1").json()["decisions"][0]

    assert first["selected"] is True
    assert repeat == first
    assert second["reason"] == "recently_surveyed"
    assert Invitation.objects.count() == 1


def test_sampling_rate_selects_about_that_share_deterministically() -> None:
    picks = [sampled("seed", f"call-{i}", 0.2) for i in range(5000)]
    assert 0.18 < sum(picks) / 5000 < 0.22
    assert picks == [sampled("seed", f"call-{i}", 0.2) for i in range(5000)]


def test_rate_rule_through_the_api(
    client: Client, rule: dict[str, Any], make_customer: Callable[..., Any]
) -> None:
    PostContactRule.objects.update(sample_rate=0.2, min_days_between=0)
    for i in range(200):
        make_customer(external_id=f"R{i}", phone=f"+4477009{i:05d}")
    selected = sum(
        _end(client, f"call-{i}", customer_external_id=f"R{i}").json()["decisions"][0][
            "selected"
        ]
        for i in range(200)
    )
    assert 20 <= selected <= 60


def test_only_administrators_register_interactions(
    client: Client, bob: Any, mallory: Any
) -> None:
    for user in (bob, mallory):
        client.force_login(user)
        assert _end(client, "x").status_code == 403
    client.logout()
    assert _end(client, "x").status_code == 401


def test_bad_outcome_is_422(client: Client, rule: dict[str, Any]) -> None:
    r = _end(client, "x", outcome="exploded")
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "outcome"]
