"""The operations dashboard, as each persona sees it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from satisfy.conftest import Org

URL = "/operations/"


def _page(client: Client, user: Any, **params: Any) -> Any:
    client.force_login(user)
    return client.get(URL, params)


def test_alice_sees_every_queue_the_charts_and_the_staffing_plan(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    r = _page(client, alice)

    assert r.status_code == 200
    html = r.content.decode()
    assert "Contact-centre operations" in html
    assert "<svg" in html
    assert "Staffing plan" in html
    assert ">cards<" in html
    assert ">loans<" in html
    assert "Carol Díaz" in html
    assert "Sam Lee" in html
    assert r.context["report"].total.offered == 6
    # the AHT card says what handling time is made of, in words
    parts = r.context["report"].total.aht_components
    assert "talk" in parts
    assert r.context["aht_parts"].startswith("talk")
    assert "after_call_work" not in r.context["aht_parts"]


def test_bob_sees_only_his_branch(
    client: Client, bob: Any, calls: dict[str, list[Any]]
) -> None:
    html = _page(client, bob).content.decode()

    assert ">cards<" in html
    assert ">loans<" not in html
    assert "Sam Lee" not in html


def test_bob_asking_for_the_south_branch_gets_a_404(
    client: Client, bob: Any, org: Org, calls: dict[str, list[Any]]
) -> None:
    assert _page(client, bob, unit=org.south_branch.pk).status_code == 404


def test_carol_sees_only_her_own_calls(
    client: Client, carol: Any, calls: dict[str, list[Any]]
) -> None:
    r = _page(client, carol)

    assert r.context["report"].total.offered == 3
    assert "Sam Lee" not in r.content.decode()


def test_mallory_sees_nothing(
    client: Client, mallory: Any, calls: dict[str, list[Any]]
) -> None:
    r = _page(client, mallory)

    assert r.status_code == 200
    assert r.context["report"].total.offered == 0
    assert "No interactions you may see" in r.content.decode()


def test_filters_change_the_threshold_and_interval(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    r = _page(
        client,
        alice,
        start="2024-03-04",
        end="2024-03-04",
        interval=60,
        answer_within=60,
    )

    report = r.context["report"]
    assert report.settings.answer_within_seconds == 60
    assert [row.label for row in report.intervals] == ["10:00"]
    # waits 5, 15, 60, 3 answered within 60 s of 6 offered (abandon at 90 s)
    assert report.total.service_level.variant("abandoned_as_missed").value == 4 / 6


def test_an_end_before_the_start_is_a_form_error(
    client: Client, alice: Any, calls: dict[str, list[Any]]
) -> None:
    r = _page(client, alice, start="2024-03-05", end="2024-03-04")

    assert r.status_code == 200
    assert "The end is before the start." in r.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    r = client.get(URL)

    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]
