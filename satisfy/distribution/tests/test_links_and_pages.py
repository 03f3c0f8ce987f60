"""QR codes, the unsubscribe link, and the wave pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xml.etree import ElementTree

from django.test import Client

from satisfy.customers.models import Customer
from satisfy.distribution.models import Invitation
from satisfy.distribution.services import create_invitation, draw_sample, launch_wave


def test_survey_qr_code_as_svg_and_png(
    client: Client, alice: Any, make_survey: Callable[..., Any]
) -> None:
    make_survey(slug="after-call")
    client.force_login(alice)
    svg = client.get("/api/v1/distribution/surveys/after-call/qr.svg")
    png = client.get("/api/v1/distribution/surveys/after-call/qr.png")
    assert svg["Content-Type"] == "image/svg+xml"
    root = ElementTree.fromstring(svg.content)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_invitation_qr_is_scoped(
    client: Client, alice: Any, mallory: Any, make_survey: Callable[..., Any], org: Any
) -> None:
    survey = make_survey(slug="after-call")
    invitation = create_invitation(survey=survey, channel="qr", unit=org.north_team)
    client.force_login(mallory)
    assert (
        client.get(
            f"/api/v1/distribution/invitations/{invitation.pk}/qr.svg"
        ).status_code
        == 404
    )
    client.force_login(alice)
    assert (
        client.get(
            f"/api/v1/distribution/invitations/{invitation.pk}/qr.svg"
        ).status_code
        == 200
    )


def test_one_click_unsubscribe_opts_the_customer_out(
    client: Client, make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    customer = make_customer()
    wave = make_wave()
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    invitation = Invitation.objects.get()

    page = client.get(f"/distribution/u/{invitation.token}")
    done = client.post(
        f"/distribution/u/{invitation.token}", {"List-Unsubscribe": "One-Click"}
    )

    assert page.status_code == 200
    assert done.status_code == 200
    assert Customer.objects.get(pk=customer.pk).opted_out_at is not None
    assert Invitation.objects.get().status == Invitation.Status.OPTED_OUT
    assert client.get("/distribution/u/not-a-token").status_code == 404


def test_wave_pages_plan_sample_launch(
    client: Client,
    alice: Any,
    make_survey: Callable[..., Any],
    make_customer: Callable[..., Any],
) -> None:
    make_survey(slug="after-call")
    for i in range(5):
        make_customer(attributes={"region": "north" if i < 3 else "south"})
    client.force_login(alice)
    assert client.get("/distribution/waves/").status_code == 200
    r = client.post(
        "/distribution/waves/new/",
        {
            "survey": "after-call",
            "name": "Spring",
            "channels": ["email"],
            "sms_mode": "link",
            "starts_at": "2020-01-01T09:00",
            "closes_at": "2099-01-01T09:00",
            "reminder_days": "3, 7",
        },
    )
    assert r.status_code == 302, r.content
    wave_url = r["Location"]
    r = client.post(
        wave_url + "sample/",
        {
            "frame": "customers",
            "method": "stratified",
            "n": "4",
            "strata": "region",
            "allocation": "equal",
            "minimum": "0",
            "seed": "9",
        },
    )
    assert r.status_code == 302
    r = client.post(wave_url + "launch/")
    page = client.get(wave_url)
    html = page.content.decode()
    assert "Representativeness" in html
    assert Invitation.objects.count() == 4


def test_bob_cannot_plan_waves(
    client: Client, bob: Any, make_survey: Callable[..., Any]
) -> None:
    make_survey(slug="after-call")
    client.force_login(bob)
    assert client.get("/distribution/waves/new/").status_code == 403
