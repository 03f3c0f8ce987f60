"""POST /api/v1/interactions/events: a call's life, stored live, then surveyed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from satisfy.conftest import Org
from satisfy.customers.models import Customer
from satisfy.distribution.models import TriggerDecision
from satisfy.interactions.models import Interaction

URL = "/api/v1/interactions/events"


def _post(client: Client, **body: Any) -> Any:
    return client.post(URL, body, content_type="application/json")


def test_a_call_is_built_from_its_events_and_handed_to_the_trigger(
    client: Client, alice: Any, org: Org, make_survey: Callable[..., Any]
) -> None:
    # given
    make_survey(slug="after-call")
    client.force_login(alice)
    rule = client.post(
        "/api/v1/distribution/rules",
        {"survey": "after-call", "name": "All calls", "channel": "sms"},
        content_type="application/json",
    )
    assert rule.status_code == 201, rule.content
    Customer.objects.create(external_id="K1", phone="+447700900001")

    # when
    for event, at in (
        ("arrived", "2024-03-04T10:00:00Z"),
        ("ivr_exited", "2024-03-04T10:00:30Z"),
        ("queued", "2024-03-04T10:00:31Z"),
        ("answered", "2024-03-04T10:01:16Z"),
    ):
        r = _post(
            client,
            external_id="live-1",
            event=event,
            at=at,
            queue="cards",
            agent_code="carol",
            customer_external_id="K1",
        )
        assert r.status_code == 200, r.content
        assert r.json()["decisions"] == []
    r = _post(
        client,
        external_id="live-1",
        event="ended",
        at="2024-03-04T10:05:16Z",
        transfers=1,
    )

    # then
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["interaction"]["outcome"] == "answered"
    assert body["interaction"]["wait_seconds"] == 45.0
    assert body["interaction"]["talk_seconds"] == 240.0
    assert body["interaction"]["transfers"] == 1
    assert body["decisions"][0]["selected"] is True
    stored = Interaction.objects.get(external_id="live-1")
    assert stored.ivr_seconds == 30.0
    assert stored.unit == org.north_team
    assert stored.customer is not None
    assert stored.customer.external_id == "K1"
    assert TriggerDecision.objects.filter(interaction=stored).count() == 1


def test_a_caller_who_hangs_up_in_the_menu_is_an_ivr_abandon(
    client: Client, alice: Any, org: Org
) -> None:
    client.force_login(alice)
    _post(
        client,
        external_id="live-2",
        event="arrived",
        at="2024-03-04T10:00:00Z",
        unit_code="north-cards",
    )

    r = _post(
        client, external_id="live-2", event="abandoned", at="2024-03-04T10:00:20Z"
    )

    assert r.status_code == 200, r.content
    assert r.json()["interaction"]["outcome"] == "abandoned_ivr"
    assert r.json()["interaction"]["wait_seconds"] is None


def test_an_event_before_the_arrival_is_rejected(
    client: Client, alice: Any, org: Org
) -> None:
    client.force_login(alice)
    _post(
        client,
        external_id="x",
        event="arrived",
        at="2024-03-04T10:00:00Z",
        unit_code="north-cards",
    )

    r = _post(client, external_id="x", event="answered", at="2024-03-04T09:00:00Z")

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "at"]


def test_only_administrators_send_events(
    client: Client, bob: Any, mallory: Any, org: Org
) -> None:
    for user in (bob, mallory):
        client.force_login(user)
        r = _post(
            client,
            external_id="y",
            event="arrived",
            at="2024-03-04T10:00:00Z",
            unit_code="north-cards",
        )
        assert r.status_code == 403
    assert not Interaction.objects.filter(external_id="y").exists()


def test_unknown_events_are_named(client: Client, alice: Any, org: Org) -> None:
    client.force_login(alice)

    r = _post(client, external_id="z", event="teleported", at="2024-03-04T10:00:00Z")

    assert r.status_code == 422
    assert "teleported" in r.json()["detail"][0]["msg"]


def test_an_event_that_cannot_be_placed_in_the_tree_stores_nothing(
    client: Client, alice: Any, org: Org
) -> None:
    client.force_login(alice)

    r = _post(client, external_id="nowhere", event="arrived", at="2024-03-04T10:00:00Z")

    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "unit_code"]
    assert not Interaction.objects.filter(external_id="nowhere").exists()
