"""SMS: the HTTP provider adapter, the file outbox, and the signed webhooks."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from satisfy.customers.models import Customer
from satisfy.distribution.api import sign
from satisfy.distribution.models import ChannelMessage, InboundMessage, Invitation
from satisfy.distribution.services import deliver_all_due, draw_sample, launch_wave
from satisfy.distribution.tests.conftest import WEBHOOK_SECRET
from satisfy.distribution.tests.sms_provider import sms_gateway
from satisfy.distribution.tests.smtp_server import free_port
from satisfy.responses.models import Answer, SurveyResponse

INBOUND = "/api/v1/distribution/webhooks/sms/inbound"
STATUS = "/api/v1/distribution/webhooks/sms/status"


def _post(
    client: Client, url: str, payload: dict[str, Any], secret: str = WEBHOOK_SECRET
) -> Any:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return client.post(
        url, body, content_type="application/json", headers=sign(secret, body)
    )


@pytest.fixture
def reply_wave(make_customer: Callable[..., Any], make_wave: Callable[..., Any]) -> Any:
    make_customer(phone="+447700900001", language="en")
    make_customer(phone="+8613800138000", language="zh-Hans")
    make_customer(phone="+34600000001", language="es")
    wave = make_wave(channels=("sms",), sms_mode="reply")
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    deliver_all_due()
    return wave


def test_file_outbox_writes_one_message_per_invitation_in_the_customer_language(
    reply_wave: Any, settings: Any
) -> None:
    files = sorted(Path(settings.SATISFY_SMS_OUTBOX_DIR).glob("*.json"))
    texts = {
        json.loads(f.read_text())["to"]: json.loads(f.read_text())["text"]
        for f in files
    }
    assert len(files) == 3
    assert "Reply 1 (Very dissatisfied) to 5 (Very satisfied)" in texts["+447700900001"]
    assert "请回复1（非常不满意）到5（非常满意）" in texts["+8613800138000"]
    assert (
        "Responda de 1 (Muy insatisfecho) a 5 (Muy satisfecho)" in texts["+34600000001"]
    )
    assert Invitation.objects.filter(status=Invitation.Status.SENT).count() == 3


@pytest.mark.parametrize(
    ("sender", "text", "value"),
    [
        ("+447700900001", "4", 4.0),
        ("+447700900001", " five!", 5.0),
        ("+8613800138000", "５", 5.0),
        ("+8613800138000", "三分", 3.0),
        ("+34600000001", "dos", 2.0),
    ],
)
def test_a_reply_digit_is_stored_as_the_answer(
    client: Client, reply_wave: Any, sender: str, text: str, value: float
) -> None:
    r = _post(client, INBOUND, {"id": "m-1", "from": sender, "text": text})

    assert r.status_code == 200
    assert r.json() == {"id": "m-1", "outcome": "answer", "duplicate": False}
    invitation = Invitation.objects.get(address=sender)
    response = SurveyResponse.objects.get(key=f"inv:{invitation.pk}")
    assert response.status == SurveyResponse.Status.COMPLETE
    assert response.channel == SurveyResponse.Channel.SMS
    answer = Answer.objects.get(response=response)
    assert (answer.question_code, answer.value) == ("csat_overall", value)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.COMPLETED
    assert response.invitation is not None
    assert response.invitation.wave == reply_wave


def test_duplicate_deliveries_are_processed_once(
    client: Client, reply_wave: Any
) -> None:
    first = _post(client, INBOUND, {"id": "m-9", "from": "+447700900001", "text": "2"})
    second = _post(client, INBOUND, {"id": "m-9", "from": "+447700900001", "text": "2"})

    assert first.json()["duplicate"] is False
    assert second.json() == {"id": "m-9", "outcome": "answer", "duplicate": True}
    assert SurveyResponse.objects.count() == 1
    assert InboundMessage.objects.count() == 1


def test_a_reply_that_is_not_an_answer_is_recorded_and_ignored(
    client: Client, reply_wave: Any
) -> None:
    for number, text in enumerate(["what is this?", "9", "", "👍"]):
        r = _post(
            client,
            INBOUND,
            {"id": f"x-{number}", "from": "+447700900001", "text": text},
        )
        assert r.status_code == 200
        assert r.json()["outcome"] == "not_an_answer"
    assert SurveyResponse.objects.count() == 0
    assert (
        Invitation.objects.get(address="+447700900001").status == Invitation.Status.SENT
    )


@pytest.mark.parametrize(
    ("sender", "word"),
    [("+447700900001", "STOP"), ("+8613800138000", "退订"), ("+34600000001", "Baja")],
)
def test_opt_out_keywords_in_three_languages(
    client: Client, reply_wave: Any, sender: str, word: str
) -> None:
    r = _post(client, INBOUND, {"id": "o-1", "from": sender, "text": word})

    assert r.json()["outcome"] == "opt_out"
    assert Invitation.objects.get(address=sender).status == Invitation.Status.OPTED_OUT
    assert Customer.objects.get(phone=sender).opted_out_at is not None


def test_unknown_sender_is_recorded(client: Client, reply_wave: Any) -> None:
    r = _post(client, INBOUND, {"id": "u-1", "from": "+15555550100", "text": "5"})
    assert r.json()["outcome"] == "no_invitation"


def test_webhooks_need_a_valid_signature(client: Client, reply_wave: Any) -> None:
    body = json.dumps({"id": "s-1", "from": "+447700900001", "text": "5"}).encode()
    wrong = client.post(
        INBOUND, body, content_type="application/json", headers=sign("guess", body)
    )
    missing = client.post(INBOUND, body, content_type="application/json")
    old = client.post(
        INBOUND,
        body,
        content_type="application/json",
        headers=sign(
            WEBHOOK_SECRET, body, timestamp=int(timezone.now().timestamp()) - 3600
        ),
    )
    assert (wrong.status_code, missing.status_code, old.status_code) == (401, 401, 401)
    assert InboundMessage.objects.count() == 0


def test_malformed_webhook_bodies_are_422_or_400(
    client: Client, reply_wave: Any
) -> None:
    assert _post(client, INBOUND, {"from": "+447700900001"}).status_code == 422
    raw = b"not json"
    assert (
        client.post(
            INBOUND,
            raw,
            content_type="application/json",
            headers=sign(WEBHOOK_SECRET, raw),
        ).status_code
        == 400
    )


def test_delivery_receipts_update_the_funnel_once(
    client: Client, reply_wave: Any
) -> None:
    invitation = Invitation.objects.get(address="+447700900001")
    payload = {
        "event_id": "e-1",
        "message_id": invitation.provider_message_id,
        "status": "delivered",
    }

    first = _post(client, STATUS, payload)
    second = _post(client, STATUS, payload)
    bounced = _post(
        client,
        STATUS,
        {
            "event_id": "e-2",
            "message_id": Invitation.objects.get(
                address="+34600000001"
            ).provider_message_id,
            "status": "bounced",
        },
    )

    assert first.json()["duplicate"] is False
    assert second.json()["duplicate"] is True
    assert bounced.status_code == 200
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DELIVERED
    assert invitation.delivered_at is not None
    assert (
        Invitation.objects.get(address="+34600000001").status
        == Invitation.Status.BOUNCED
    )


def test_http_provider_gets_json_auth_and_idempotency_key(
    settings: Any, make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    make_customer(phone="+447700900001")
    wave = make_wave(channels=("sms",))
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    with sms_gateway() as (gateway, url):
        settings.SATISFY_SMS_PROVIDER = "http"
        settings.SATISFY_SMS_URL = url
        settings.SATISFY_SMS_TOKEN = "gw-token"
        stats = deliver_all_due()

    assert stats.sent == 1
    assert gateway.received[0]["to"] == "+447700900001"
    assert "https://survey.example.com/s/" in gateway.received[0]["text"]
    assert gateway.headers[0]["Authorization"] == "Bearer gw-token"
    invitation = Invitation.objects.get()
    assert gateway.headers[0]["Idempotency-Key"] == f"inv{invitation.pk}-invitation0"
    assert invitation.provider_message_id == "gw-1"


def test_provider_errors_are_retried_with_backoff_then_fail_for_good(
    settings: Any, make_customer: Callable[..., Any], make_wave: Callable[..., Any]
) -> None:
    make_customer(phone="+447700900001")
    make_customer(phone="+447700900002")
    wave = make_wave(channels=("sms",))
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    settings.SATISFY_SMS_PROVIDER = "http"
    settings.SATISFY_SEND_MAX_ATTEMPTS = "3"
    now = timezone.now()
    with sms_gateway() as (gateway, url):
        settings.SATISFY_SMS_URL = url
        gateway.fail_with = 503
        assert deliver_all_due(now=now).retried == 2
        assert ChannelMessage.objects.filter(state="pending", attempts=1).count() == 2
        # provider down entirely: connection refused
        settings.SATISFY_SMS_URL = f"http://127.0.0.1:{free_port()}/messages"
        assert deliver_all_due(now=now + timedelta(minutes=5)).retried == 2
        settings.SATISFY_SMS_URL = url
        gateway.fail_with = None
        third = deliver_all_due(now=now + timedelta(minutes=30))
    assert third.sent == 2
    assert len(gateway.received) == 2
    assert set(Invitation.objects.values_list("status", flat=True)) == {"sent"}

    # a permanent refusal is recorded on the invitation
    make_customer(phone="+447700900003")
    draw_sample(wave=wave, method="all")
    launch_wave(wave=wave)
    with sms_gateway() as (gateway, url):
        settings.SATISFY_SMS_URL = url
        gateway.fail_with = 400
        stats = deliver_all_due()
    assert stats.failed == 1
    failed = Invitation.objects.get(address="+447700900003")
    assert failed.status == Invitation.Status.FAILED
    assert "400" in failed.last_error
