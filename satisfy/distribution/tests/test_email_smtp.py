"""E-mail invitations through a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from satisfy.distribution.models import ChannelMessage, Invitation
from satisfy.distribution.services import (
    deliver_all_due,
    draw_sample,
    launch_wave,
    queue_reminders,
)
from satisfy.distribution.tests.smtp_server import free_port, smtp_server


def _body(message: Any, kind: str) -> str:
    part = message.get_body(preferencelist=(kind,))
    assert part is not None
    return str(part.get_content())


@pytest.fixture
def smtp_settings(settings: Any) -> Callable[[int], None]:
    def use(port: int) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 5

    return use


def test_invitations_arrive_with_unsubscribe_headers_in_each_language(
    make_customer: Callable[..., Any],
    make_wave: Callable[..., Any],
    smtp_settings: Callable[[int], None],
) -> None:
    # given
    make_customer(name="Ann", email="ann@example.com", language="en")
    make_customer(name="王芳", email="wang@example.com", language="zh-Hans")
    make_customer(name="Lucía", email="lucia@example.com", language="es")
    wave = make_wave(channels=("email",))
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)

    with smtp_server() as (inbox, port):
        smtp_settings(port)
        # when
        stats = deliver_all_due()

    # then
    assert stats.sent == 3
    by_rcpt = {str(m["To"]): m for m in inbox.messages}
    ann, wang, lucia = (
        by_rcpt["ann@example.com"],
        by_rcpt["wang@example.com"],
        by_rcpt["lucia@example.com"],
    )
    invitation = Invitation.objects.get(address="ann@example.com")
    assert (
        str(ann["List-Unsubscribe"]).strip()
        == f"<https://survey.example.com/distribution/u/{invitation.token}>"
    )
    assert ann["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ann["Message-ID"] == f"<inv{invitation.pk}-invitation0@satisfy.invalid>"
    text = _body(ann, "plain")
    html = _body(ann, "html")
    assert f"https://survey.example.com/s/{invitation.token}" in text
    assert f'href="https://survey.example.com/s/{invitation.token}"' in html
    assert "Dear Ann" in text
    assert "两分钟问卷" in str(wang["Subject"])
    assert "尊敬的王芳" in _body(wang, "plain")
    assert "encuesta de dos minutos" in str(lucia["Subject"])
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SENT
    assert invitation.provider_message_id == ann["Message-ID"]


def test_a_refused_recipient_fails_for_good_and_others_still_go(
    make_customer: Callable[..., Any],
    make_wave: Callable[..., Any],
    smtp_settings: Callable[[int], None],
) -> None:
    make_customer(email="gone@example.com")
    make_customer(email="fine@example.com")
    wave = make_wave()
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)

    with smtp_server() as (inbox, port):
        inbox.refuse.add("gone@example.com")
        smtp_settings(port)
        stats = deliver_all_due()

    assert (stats.sent, stats.failed) == (1, 1)
    gone = Invitation.objects.get(address="gone@example.com")
    assert gone.status == Invitation.Status.FAILED
    assert "550" in gone.last_error
    assert [str(m["To"]) for m in inbox.messages] == ["fine@example.com"]


def test_server_down_means_retry_later_then_delivery_once(
    make_customer: Callable[..., Any],
    make_wave: Callable[..., Any],
    smtp_settings: Callable[[int], None],
) -> None:
    # given: nobody listens on the port
    make_customer(email="ann@example.com")
    wave = make_wave()
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    smtp_settings(free_port())

    # when
    down = deliver_all_due()

    # then: still queued, error visible, retry scheduled with backoff
    assert (down.sent, down.retried) == (0, 1)
    message = ChannelMessage.objects.get()
    assert message.state == ChannelMessage.State.PENDING
    assert message.due_at > timezone.now()
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.QUEUED
    assert invitation.last_error

    # and when the server is back and the retry is due
    with smtp_server() as (inbox, port):
        smtp_settings(port)
        later = timezone.now() + timedelta(minutes=2)
        up = deliver_all_due(now=later)
        again = deliver_all_due(now=later + timedelta(minutes=5))
    assert up.sent == 1
    assert again.claimed == 0
    assert len(inbox.messages) == 1
    assert Invitation.objects.get().status == Invitation.Status.SENT


def test_reminders_go_once_after_the_configured_days(
    make_customer: Callable[..., Any],
    make_wave: Callable[..., Any],
    smtp_settings: Callable[[int], None],
) -> None:
    make_customer(email="ann@example.com")
    make_customer(email="done@example.com")
    wave = make_wave(reminder_days=(3, 7))
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    deliver_all_due()
    Invitation.objects.filter(address="done@example.com").update(
        status=Invitation.Status.COMPLETED, completed_at=timezone.now()
    )

    with smtp_server() as (inbox, port):
        smtp_settings(port)
        day2 = timezone.now() + timedelta(days=2)
        assert queue_reminders(now=day2) == 0
        day4 = timezone.now() + timedelta(days=4)
        assert queue_reminders(now=day4) == 1
        assert queue_reminders(now=day4) == 0
        deliver_all_due(now=day4)

    assert len(inbox.messages) == 1
    assert str(inbox.messages[0]["Subject"]).strip().startswith("Reminder:")
    assert Invitation.objects.get(address="ann@example.com").reminders_sent == 1


@pytest.mark.parametrize(
    ("subject", "text", "html"),
    [
        ("How did we do? – a two-minute survey", "Dear Ann,\nhi\n", "<p>Ann</p>\n"),
        ("两分钟问卷：我们做得怎么样？", "尊敬的王芳：\r\n请回答。\r\n", "<p>王芳</p>"),
        (
            "¿Qué tal lo hicimos? Una encuesta de dos minutos " * 3,
            ".starts with a dot\n\nlast line without newline",
            "<p>Lucía</p>\r\n.\r\n",
        ),
        ("Plain ASCII subject " * 6, "a\rb\n", "<p>x</p>"),
    ],
)
def test_smtp_bytes_read_back_as_what_django_would_send(
    settings: Any, subject: str, text: str, html: str
) -> None:
    """The MIME text written for SMTP parses to the same message as Django's."""
    from email import message_from_bytes, policy

    from django.core.mail import EmailMultiAlternatives, get_connection

    from satisfy.distribution.channels.base import OutgoingMessage
    from satisfy.distribution.channels.email import _mime_bytes

    outgoing = OutgoingMessage(
        idempotency_key="inv7-invitation0",
        channel="email",
        recipient="ann.lee+x@mail.example.com",
        subject=subject,
        body_text=text,
        body_html=html,
        headers={
            "List-Unsubscribe": "<https://survey.example.com/distribution/u/"
            + "t" * 32
            + ">",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    ours = _mime_bytes(outgoing, "<inv7-invitation0@satisfy.invalid>", "S <s@x.org>")
    assert ours is not None
    django = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email="S <s@x.org>",
        to=[outgoing.recipient],
        headers={
            **outgoing.headers,
            "Message-ID": "<inv7-invitation0@satisfy.invalid>",
        },
        connection=get_connection("django.core.mail.backends.smtp.EmailBackend"),
    )
    django.attach_alternative(html, "text/html")
    # What the SMTP backend sends (it passes linesep="\r\n" to Django's own as_bytes).
    theirs = django.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]

    a = message_from_bytes(ours, policy=policy.default)
    b = message_from_bytes(theirs, policy=policy.default)
    names = [k.lower() for k in b if k.lower() != "content-type"]
    assert [k.lower() for k in a if k.lower() != "content-type"] == names
    for name in names:
        if name not in {"date", "subject"}:
            assert str(a[name]) == str(b[name]), name
    # Django's folding loses a trailing space or adds a leading one; ours keeps it.
    assert str(a["subject"]) == subject
    assert str(b["subject"]).strip() == subject.strip()
    assert a.get_content_type() == b.get_content_type() == "multipart/alternative"
    for kind in ("plain", "html"):
        ours_part, theirs_part = (m.get_body(preferencelist=(kind,)) for m in (a, b))
        assert ours_part is not None
        assert theirs_part is not None
        assert ours_part.get_content() == theirs_part.get_content()
        assert (
            ours_part["Content-Transfer-Encoding"]
            == (theirs_part["Content-Transfer-Encoding"])
        )
    assert all(len(line) <= 998 for line in ours.split(b"\r\n"))
    assert b"\n" not in ours.replace(b"\r\n", b"")


def test_smtp_bytes_leave_unusual_messages_to_django() -> None:
    from satisfy.distribution.channels.base import OutgoingMessage
    from satisfy.distribution.channels.email import _mime_bytes

    plain = OutgoingMessage("k", "email", "a@example.com", "S", "t", "<p>h</p>")
    assert _mime_bytes(plain, "<k@x>", "s@x.org") is not None
    for unusual in (
        OutgoingMessage("k", "email", "Ann <a@example.com>", "S", "t", "<p>h</p>"),
        OutgoingMessage("k", "email", "a@bücher.example", "S", "t", "<p>h</p>"),
        OutgoingMessage("k", "email", "a@example.com", "S\nBcc: x", "t", "<p>h</p>"),
        OutgoingMessage("k", "email", "a@example.com", "S", "t", ""),
        OutgoingMessage("k", "email", "a@example.com", "S", "x" * 999, "<p>h</p>"),
    ):
        assert _mime_bytes(unusual, "<k@x>", "s@x.org") is None
