"""GET /api/v1/interactions/kpis, /staffing and /{external_id}: numbers and scoping."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from satisfy.conftest import Org

URL = "/api/v1/interactions/kpis"


def _get(client: Client, user: Any, url: str = URL, **params: Any) -> Any:
    client.force_login(user)
    return client.get(url, params)


def test_it_returns_queue_kpis_with_ivr_abandons_left_out(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    r = _get(client, alice, by="queue")

    assert r.status_code == 200, r.content
    body = r.json()
    assert body["total"]["offered"] == 6
    assert body["total"]["abandoned"] == 1
    assert body["excluded"]["abandoned_ivr"] == 1
    cards = next(g for g in body["groups"] if g["key"]["queue"] == "cards")
    assert cards["offered"] == 4
    assert cards["service_level"]["abandoned_as_missed"] == 0.5
    assert cards["service_level"]["abandoned_ignored"] == pytest.approx(2 / 3)
    assert cards["asa_seconds"] == pytest.approx(80 / 3)
    assert cards["aht_seconds"] == pytest.approx(230.0)


def test_bob_sees_only_his_branch(
    client: Client, bob: Any, calls: dict[str, list[Any]]
) -> None:
    body = _get(client, bob, by="queue").json()

    assert [g["key"]["queue"] for g in body["groups"]] == ["cards"]
    assert body["total"]["offered"] == 4


def test_bob_cannot_ask_for_the_south_branch(
    client: Client, bob: Any, org: Org, calls: dict[str, list[Any]]
) -> None:
    r = _get(client, bob, unit=org.south_branch.pk)

    # 404 rather than 403, so a stranger cannot learn that the unit exists
    assert r.status_code == 404


def test_carol_sees_only_the_calls_she_answered(
    client: Client, carol: Any, calls: dict[str, list[Any]]
) -> None:
    body = _get(client, carol, by="agent").json()

    assert body["total"]["offered"] == 3
    assert body["total"]["answered"] == 3
    assert [g["key"]["agent_key"] for g in body["groups"]] == [""]


def test_mallory_sees_nothing(
    client: Client, mallory: Any, calls: dict[str, list[Any]]
) -> None:
    body = _get(client, mallory, by="queue").json()

    assert body["total"]["offered"] == 0
    assert body["groups"] == []
    assert body["outcomes"] == {}


def test_an_interaction_outside_the_scope_is_a_404(
    client: Client, bob: Any, calls: dict[str, list[Any]]
) -> None:
    south = calls["south"][0].external_id
    north = calls["north"][0].external_id

    assert _get(client, bob, f"/api/v1/interactions/{north}").status_code == 200
    assert _get(client, bob, f"/api/v1/interactions/{south}").status_code == 404


def test_kpis_by_interval_and_day(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    body = _get(client, alice, by="day,interval", interval_minutes=60).json()

    assert body["by"] == ["day", "interval"]
    assert [g["key"] for g in body["groups"]] == [
        {"day": "2024-03-04", "interval": "10:00"}
    ]


def test_unknown_groupings_are_named(client: Client, alice: Any, org: Org) -> None:
    r = _get(client, alice, by="planet")

    assert r.status_code == 422
    assert "planet" in r.json()["detail"][0]["msg"]


def test_staffing_per_interval_uses_arrivals_and_aht(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    body = _get(
        client, alice, "/api/v1/interactions/staffing", interval_minutes=60
    ).json()

    [hour] = body["intervals"]
    assert hour["start"] == "10:00"
    assert hour["arrivals_per_day"] == 6
    assert hour["agents"] >= 1


def test_anonymous_callers_get_401(client: Client) -> None:
    assert client.get(URL).status_code == 401


def test_without_a_grouping_the_total_counts_every_call(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    # (an ungrouped raw query once grouped by every column: one call per "group")
    body = _get(client, alice).json()

    assert body["total"]["offered"] == 6
    assert body["total"]["answered"] == 5
    assert body["groups"] == []
