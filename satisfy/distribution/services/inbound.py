"""What comes back: SMS replies, delivery receipts, unsubscribes, link opens."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from satisfy.customers.models import Customer
from satisfy.customers.normalise import InvalidValueError, normalise_phone
from satisfy.customers.services import opt_out_customer
from satisfy.distribution.channels.render import reply_question
from satisfy.distribution.models import (
    ChannelMessage,
    DeliveryReceipt,
    InboundMessage,
    Invitation,
)
from satisfy.distribution.replies import parse_reply
from satisfy.responses.models import SurveyResponse
from satisfy.responses.services import ResponseClosedError, submit_response
from satisfy.surveys.answers import AnswerValue
from satisfy.surveys.services import version_definition

ANSWERABLE = (
    Invitation.Status.SENT,
    Invitation.Status.DELIVERED,
    Invitation.Status.OPENED,
)


@transaction.atomic
def opt_out_invitation(*, invitation: Invitation, now: datetime | None = None) -> None:
    """The customer asked to stop: the invitation, its messages and the customer."""
    at = now or timezone.now()
    Invitation.objects.filter(pk=invitation.pk).exclude(
        status=Invitation.Status.COMPLETED
    ).update(status=Invitation.Status.OPTED_OUT, opted_out_at=at)
    ChannelMessage.objects.filter(
        invitation=invitation, state=ChannelMessage.State.PENDING
    ).update(state=ChannelMessage.State.CANCELLED)
    if invitation.customer is not None:
        opt_out_customer(customer=invitation.customer, now=at)


def _open_sms_invitation(phone: str, at: datetime) -> Invitation | None:
    return (
        Invitation.objects.filter(
            channel=Invitation.Channel.SMS,
            address=phone,
            status__in=ANSWERABLE,
            expires_at__gt=at,
        )
        .select_related("survey", "survey__current_version", "customer", "wave")
        .order_by("-sent_at", "-pk")
        .first()
    )


def receive_sms(
    *,
    provider_message_id: str,
    sender: str,
    body: str,
    received_at: datetime | None = None,
) -> tuple[InboundMessage, bool]:
    """Handle one inbound SMS once; returns (record, created). Never raises on content."""
    at = received_at or timezone.now()
    existing = InboundMessage.objects.filter(
        provider_message_id=provider_message_id
    ).first()
    if existing is not None:
        return existing, False
    try:
        phone = normalise_phone(sender)
    except InvalidValueError:
        phone = sender.strip()[:32]
    parsed = parse_reply(body)
    invitation = _open_sms_invitation(phone, at)
    try:
        with transaction.atomic():
            record = InboundMessage.objects.create(
                provider_message_id=provider_message_id,
                sender=phone,
                body=body[:2000],
                received_at=at,
                invitation=invitation,
                outcome=InboundMessage.Outcome.NOT_AN_ANSWER,
            )
            outcome = _act(parsed.kind, parsed.number, invitation, phone, at)
            InboundMessage.objects.filter(pk=record.pk).update(outcome=outcome)
            record.outcome = outcome
    except IntegrityError:
        # The same delivery arrived twice at once; the other request handled it.
        return InboundMessage.objects.get(
            provider_message_id=provider_message_id
        ), False
    return record, True


def _act(
    kind: str,
    number: int | None,
    invitation: Invitation | None,
    phone: str,
    at: datetime,
) -> str:
    if kind == "opt_out":
        if invitation is not None:
            opt_out_invitation(invitation=invitation, now=at)
        for customer in Customer.objects.filter(phone=phone, opted_out_at__isnull=True):
            opt_out_customer(customer=customer, now=at)
        return InboundMessage.Outcome.OPT_OUT
    if invitation is None:
        return InboundMessage.Outcome.NO_INVITATION
    if kind != "answer" or invitation.sms_mode != "reply" or number is None:
        return InboundMessage.Outcome.NOT_AN_ANSWER
    version = (
        invitation.wave.version
        if invitation.wave
        else invitation.survey.current_version
    )
    if version is None:
        return InboundMessage.Outcome.NOT_AN_ANSWER
    question = reply_question(version_definition(version))
    if question is None:
        return InboundMessage.Outcome.NOT_AN_ANSWER
    choice = next((c for c in question.answer_choices if c.code == str(number)), None)
    if choice is None:
        return InboundMessage.Outcome.NOT_AN_ANSWER
    try:
        _response, created = submit_response(
            survey=invitation.survey,
            answers={
                question.code: (
                    AnswerValue(
                        question_code=question.code,
                        choice_code=choice.code,
                        value=choice.value,
                    ),
                )
            },
            idempotency_key=f"sms:{invitation.pk}",
            invitation=invitation,
            language=invitation.language,
            channel=SurveyResponse.Channel.SMS,
            now=at,
        )
    except ResponseClosedError:
        return InboundMessage.Outcome.NOT_AN_ANSWER
    return (
        InboundMessage.Outcome.ANSWER
        if created
        else InboundMessage.Outcome.ALREADY_ANSWERED
    )


RECEIPT_STATUSES = {"delivered", "bounced", "failed", "undelivered"}


def record_receipt(
    *,
    event_id: str,
    provider_message_id: str,
    status: str,
    received_at: datetime | None = None,
) -> bool:
    """Apply a delivery receipt once; False for a replayed event."""
    at = received_at or timezone.now()
    if status not in RECEIPT_STATUSES:
        raise ValueError(f"unknown delivery status {status!r}")
    try:
        with transaction.atomic():
            DeliveryReceipt.objects.create(
                event_id=event_id,
                provider_message_id=provider_message_id,
                status=status,
                received_at=at,
            )
            invitations = Invitation.objects.filter(
                Q(provider_message_id=provider_message_id)
                | Q(
                    messages__provider_message_id=provider_message_id,
                    messages__purpose=ChannelMessage.Purpose.INVITATION,
                )
            ).distinct()
            if status == "delivered":
                Invitation.objects.filter(
                    pk__in=invitations.values("pk"), status=Invitation.Status.SENT
                ).update(status=Invitation.Status.DELIVERED, delivered_at=at)
            else:
                Invitation.objects.filter(
                    pk__in=invitations.values("pk"),
                    status__in=(Invitation.Status.SENT, Invitation.Status.DELIVERED),
                ).update(status=Invitation.Status.BOUNCED, bounced_at=at)
    except IntegrityError:
        return False
    return True


def record_open(*, invitation: Invitation, now: datetime | None = None) -> None:
    """The link was opened (the survey page records starts itself)."""
    Invitation.objects.filter(
        pk=invitation.pk,
        status__in=(
            Invitation.Status.SENT,
            Invitation.Status.DELIVERED,
            Invitation.Status.QUEUED,
        ),
        opened_at__isnull=True,
    ).update(status=Invitation.Status.OPENED, opened_at=now or timezone.now())
