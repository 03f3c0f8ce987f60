from __future__ import annotations

from django.test import Client

from satisfy.accounts.models import User
from satisfy.conftest import Org


def _codes(client: Client) -> list[str]:
    r = client.get("/api/v1/units")
    assert r.status_code == 200
    return [unit["code"] for unit in r.json()]


def test_alice_lists_the_whole_tree_in_order(
    client: Client, alice: User, org: Org
) -> None:
    client.force_login(alice)

    r = client.get("/api/v1/units")

    assert r.json()[0] == {
        "id": org.company.pk,
        "code": "acme",
        "name": "Acme Support",
        "kind": "company",
        "parent_id": None,
        "path": org.company.path,
        "depth": 0,
    }
    assert len(r.json()) == 7


def test_bob_cannot_see_the_south_branch(client: Client, bob: User) -> None:
    client.force_login(bob)

    assert _codes(client) == ["north-central", "north-cards"]


def test_an_agent_lists_no_units(client: Client, carol: User) -> None:
    client.force_login(carol)

    assert _codes(client) == []


def test_mallory_sees_nothing(client: Client, mallory: User, org: Org) -> None:
    client.force_login(mallory)

    assert _codes(client) == []


def test_units_need_authentication(client: Client, org: Org) -> None:
    assert client.get("/api/v1/units").status_code == 401
