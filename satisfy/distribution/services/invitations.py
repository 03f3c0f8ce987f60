from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from satisfy.customers.models import Customer
from satisfy.distribution.channels.render import render_message
from satisfy.distribution.codes import new_short_code, new_token
from satisfy.distribution.models import ChannelMessage, Invitation, Wave
from satisfy.interactions.models import Interaction
from satisfy.org.models import Agent, OrgUnit
from satisfy.surveys.definition import SurveyDefinition
from satisfy.surveys.models import Survey

SENDING_CHANNELS = {Invitation.Channel.EMAIL, Invitation.Channel.SMS}
"""Channels whose invitations go out as messages; the others are handed out."""


def create_invitation(
    *,
    survey: Survey,
    channel: str = Invitation.Channel.WEB,
    language: str = "en",
    customer: Customer | None = None,
    interaction: Interaction | None = None,
    unit: OrgUnit | None = None,
    agent: Agent | None = None,
    now: datetime | None = None,
    ttl_days: int | None = None,
    wave: Wave | None = None,
    address: str = "",
    sms_mode: str = "",
    status: str = Invitation.Status.QUEUED,
    expires_at: datetime | None = None,
) -> Invitation:
    """Create an invitation with a fresh token and short code (retries a code clash)."""
    created_at = now or timezone.now()
    ttl = settings.SATISFY_INVITATION_TTL_DAYS if ttl_days is None else ttl_days
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Invitation.objects.create(
                    survey=survey,
                    wave=wave,
                    token=new_token(),
                    short_code=new_short_code(),
                    channel=channel,
                    language=language,
                    customer=customer,
                    interaction=interaction,
                    unit=unit or (interaction.unit if interaction else None),
                    agent=agent or (interaction.agent if interaction else None),
                    address=address,
                    sms_mode=sms_mode,
                    status=status,
                    sent_at=created_at if status == Invitation.Status.SENT else None,
                    created_at=created_at,
                    expires_at=expires_at or created_at + timedelta(days=ttl),
                )
        except IntegrityError:
            continue  # a 40-bit short code clashed; draw again
    raise RuntimeError("Could not draw a unique short code after 5 attempts.")


def idempotency_key(invitation_id: int, purpose: str, sequence: int) -> str:
    return f"inv{invitation_id}-{purpose}{sequence}"


def build_message(
    *,
    invitation: Invitation,
    definition: SurveyDefinition,
    purpose: str,
    sequence: int,
    due_at: datetime,
    now: datetime,
    customer_name: str = "",
) -> ChannelMessage:
    """Render (not save) the outbox row of an invitation or reminder."""
    rendered = render_message(
        definition=definition,
        channel=invitation.channel,
        language=invitation.language,
        token=invitation.token,
        short_code=invitation.short_code,
        customer_name=customer_name,
        closes_at=invitation.expires_at,
        is_reminder=purpose == ChannelMessage.Purpose.REMINDER,
        sms_mode=invitation.sms_mode or "link",
    )
    return ChannelMessage(
        invitation=invitation,
        channel=invitation.channel,
        purpose=purpose,
        sequence=sequence,
        idempotency_key=idempotency_key(invitation.pk, purpose, sequence),
        recipient=invitation.address,
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        due_at=due_at,
        created_at=now,
    )


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """What a bulk insert needs to know about one invitation."""

    customer: Customer
    channel: str
    address: str
    stratum: str = ""
    sms_mode: str = ""
    interaction: Interaction | None = None
    unit: OrgUnit | None = None
    agent: Agent | None = None


def _unique_codes(count: int) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.update(new_short_code() for _ in range(count - len(codes)))
    fresh = list(codes)
    taken: set[str] = set()
    for start in range(0, len(fresh), 900):
        taken.update(
            Invitation.objects.filter(
                short_code__in=fresh[start : start + 900]
            ).values_list("short_code", flat=True)
        )
    if taken:
        fresh = [c for c in fresh if c not in taken] + _unique_codes(len(taken))
    return fresh


@transaction.atomic
def create_invitations_bulk(
    *,
    survey: Survey,
    definition: SurveyDefinition,
    wave: Wave | None,
    items: Sequence[NewInvitation],
    send_at: datetime,
    expires_at: datetime,
    now: datetime | None = None,
    batch_size: int = 2000,
) -> list[Invitation]:
    """Create many invitations and, for e-mail and SMS, their rendered outbox rows."""
    created_at = now or timezone.now()
    codes = _unique_codes(len(items))
    invitations = [
        Invitation(
            survey=survey,
            wave=wave,
            token=secrets.token_urlsafe(24),
            short_code=code,
            channel=item.channel,
            language=item.customer.language,
            customer=item.customer,
            interaction=item.interaction,
            unit=item.unit or item.customer.unit,
            agent=item.agent,
            address=item.address,
            stratum=item.stratum,
            sms_mode=item.sms_mode,
            status=Invitation.Status.QUEUED
            if item.channel in SENDING_CHANNELS
            else Invitation.Status.SENT,
            sent_at=None if item.channel in SENDING_CHANNELS else created_at,
            created_at=created_at,
            expires_at=expires_at,
        )
        for item, code in zip(items, codes, strict=True)
    ]
    Invitation.objects.bulk_create(invitations, batch_size=batch_size)
    messages = [
        build_message(
            invitation=invitation,
            definition=definition,
            purpose=ChannelMessage.Purpose.INVITATION,
            sequence=0,
            due_at=send_at,
            now=created_at,
            customer_name=item.customer.name,
        )
        for invitation, item in zip(invitations, items, strict=True)
        if invitation.channel in SENDING_CHANNELS
    ]
    ChannelMessage.objects.bulk_create(messages, batch_size=batch_size)
    return invitations


def queue_invitation(
    *,
    invitation: Invitation,
    definition: SurveyDefinition,
    due_at: datetime,
    now: datetime | None = None,
) -> ChannelMessage:
    """Put an existing e-mail or SMS invitation in the outbox (once)."""
    created_at = now or timezone.now()
    message = build_message(
        invitation=invitation,
        definition=definition,
        purpose=ChannelMessage.Purpose.INVITATION,
        sequence=0,
        due_at=due_at,
        now=created_at,
        customer_name=invitation.customer.name if invitation.customer else "",
    )
    existing = ChannelMessage.objects.filter(
        idempotency_key=message.idempotency_key
    ).first()
    if existing is not None:
        return existing
    message.save()
    return message
