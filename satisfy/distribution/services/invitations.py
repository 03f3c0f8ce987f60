from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
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
    """What a bulk insert needs to know about one invitation (plain ids, no models)."""

    customer_id: int
    channel: str
    address: str
    language: str = "en"
    customer_name: str = ""
    stratum: str = ""
    sms_mode: str = ""
    interaction_id: int | None = None
    unit_id: int | None = None
    agent_id: int | None = None


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


def insert_sql(model: type[models.Model], columns: Sequence[str]) -> str:
    """``INSERT INTO <table> (<columns>) VALUES (%s, …)`` for ``executemany``."""
    names = ", ".join(f'"{column}"' for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f'INSERT INTO "{model._meta.db_table}" ({names}) VALUES ({marks})'  # noqa: S608 - fixed names


INVITATION_COLUMNS = (
    "survey_id", "wave_id", "token", "short_code", "channel", "language", "status",
    "customer_id", "interaction_id", "unit_id", "agent_id", "address", "stratum",
    "sms_mode", "created_at", "sent_at", "expires_at", "provider_message_id",
    "last_error", "reminders_sent",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "invitation_id", "channel", "purpose", "sequence", "idempotency_key", "recipient",
    "subject", "body_text", "body_html", "state", "due_at", "attempts", "last_error",
    "provider_message_id", "created_at",
)  # fmt: skip


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
) -> int:
    """Create many invitations and, for e-mail and SMS, their rendered outbox rows.

    Rows go in with ``executemany``: building a Django object per row costs more
    than rendering and inserting it, and a wave can hold 100,000 invitations.
    """
    created_at = now or timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    created, expires, due = adapt(created_at), adapt(expires_at), adapt(send_at)
    codes = _unique_codes(len(items))
    tokens = [secrets.token_urlsafe(24) for _ in items]
    rows = []
    for item, token, code in zip(items, tokens, codes, strict=True):
        sending = item.channel in SENDING_CHANNELS
        rows.append(
            (
                survey.pk,
                wave.pk if wave is not None else None,
                token,
                code,
                item.channel,
                item.language,
                Invitation.Status.QUEUED if sending else Invitation.Status.SENT,
                item.customer_id,
                item.interaction_id,
                item.unit_id,
                item.agent_id,
                item.address,
                item.stratum,
                item.sms_mode,
                created,
                None if sending else created,
                expires,
                "",
                "",
                0,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(insert_sql(Invitation, INVITATION_COLUMNS), rows)
    ids: dict[str, int] = {}
    for start in range(0, len(tokens), 900):
        ids.update(
            (token, pk)
            for pk, token in Invitation.objects.filter(
                token__in=tokens[start : start + 900]
            ).values_list("pk", "token")
        )
    messages = []
    for item, token, code in zip(items, tokens, codes, strict=True):
        if item.channel not in SENDING_CHANNELS:
            continue
        rendered = render_message(
            definition=definition,
            channel=item.channel,
            language=item.language,
            token=token,
            short_code=code,
            customer_name=item.customer_name,
            closes_at=expires_at,
            sms_mode=item.sms_mode or "link",
        )
        pk = ids[token]
        messages.append(
            (
                pk,
                item.channel,
                ChannelMessage.Purpose.INVITATION,
                0,
                idempotency_key(pk, ChannelMessage.Purpose.INVITATION, 0),
                item.address,
                rendered.subject,
                rendered.text,
                rendered.html,
                ChannelMessage.State.PENDING,
                due,
                0,
                "",
                "",
                created,
            )
        )
    if messages:
        with connection.cursor() as cursor:
            cursor.executemany(insert_sql(ChannelMessage, MESSAGE_COLUMNS), messages)
    return len(rows)


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
