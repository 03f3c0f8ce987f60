"""Waves: create, launch (invitations + outbox), reminders, expiry, open and close."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.distribution.models import ChannelMessage, Invitation, SampleMember, Wave
from satisfy.distribution.services.invitations import (
    NewInvitation,
    build_message,
    create_invitations_bulk,
)
from satisfy.org.models import OrgUnit
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

CHANNELS = ("email", "sms", "web", "qr", "short_code")
OPEN_STATUSES = (
    Invitation.Status.QUEUED,
    Invitation.Status.SENT,
    Invitation.Status.DELIVERED,
    Invitation.Status.OPENED,
    Invitation.Status.STARTED,
)


class WaveError(ValueError):
    """The wave cannot do what was asked (message says why)."""


@transaction.atomic
def create_wave(
    *,
    survey: Survey,
    name: str,
    channels: Sequence[str],
    starts_at: datetime,
    closes_at: datetime,
    reminder_days: Sequence[int] = (),
    unit: OrgUnit | None = None,
    sms_mode: str = "link",
    created_by: User | None = None,
) -> Wave:
    """Create a draft wave of the survey's current published version."""
    if survey.current_version is None:
        raise WaveError("publish the survey before planning a wave")
    unknown = [c for c in channels if c not in CHANNELS]
    if unknown or not channels:
        raise WaveError(
            f"channels must be some of {', '.join(CHANNELS)}, not {list(channels)}"
        )
    if closes_at <= starts_at:
        raise WaveError("the wave must close after it starts")
    if any(day < 1 for day in reminder_days):
        raise WaveError(
            "reminders are sent whole days (1 or more) after the invitation"
        )
    wave_unit = unit or survey.unit
    if not wave_unit.path.startswith(survey.unit.path):
        raise WaveError("a wave's unit must be the survey's unit or below it")
    if sms_mode not in {"link", "reply"}:
        raise WaveError(f"SMS mode must be link or reply, not {sms_mode!r}")
    last = (
        Wave.objects.filter(survey=survey).aggregate(number=Max("number"))["number"]
        or 0
    )
    return Wave.objects.create(
        survey=survey,
        version=survey.current_version,
        number=last + 1,
        name=name,
        unit=wave_unit,
        # The SMS mode travels with the channel: "sms:reply" asks by reply digit.
        channels=[
            f"sms:{sms_mode}" if c == "sms" and sms_mode == "reply" else c
            for c in channels
        ],
        starts_at=starts_at,
        closes_at=closes_at,
        reminder_days=sorted(set(reminder_days)),
        created_by=created_by,
    )


def plan_channels(wave: Wave) -> list[str]:
    """The wave's channels without their SMS mode (``sms:reply`` -> ``sms``)."""
    return [c.split(":")[0] for c in wave.channels]


def sms_mode_of(wave: Wave) -> str:
    return "reply" if "sms:reply" in wave.channels else "link"


@dataclass(frozen=True, slots=True)
class LaunchResult:
    created: int
    already_invited: int


def launch_wave(
    *, wave: Wave, now: datetime | None = None, batch_size: int = 5000
) -> LaunchResult:
    """Invite every sample member not yet invited; messages go out from ``starts_at``.

    Safe to run again (after drawing a top-up sample, or after a crash): members
    whose customer already has an invitation in this wave are skipped.
    """
    launched_at = now or timezone.now()
    if wave.status == Wave.Status.CLOSED:
        raise WaveError("the wave is closed")
    if not wave.samples.exists():
        raise WaveError("draw a sample before launching the wave")
    definition = version_definition(wave.version)
    invited = set(
        Invitation.objects.filter(wave=wave, customer__isnull=False).values_list(
            "customer_id", flat=True
        )
    )
    members = (
        SampleMember.objects.filter(sample__wave=wave)
        .order_by("pk")
        .values_list(
            "customer_id",
            "channel",
            "stratum",
            "interaction_id",
            "interaction__unit_id",
            "interaction__agent_id",
            "customer__email",
            "customer__phone",
            "customer__language",
            "customer__name",
            "customer__unit_id",
        )
    )
    created = skipped = 0
    send_at = max(wave.starts_at, launched_at)
    mode = sms_mode_of(wave)
    batch: list[NewInvitation] = []

    def flush() -> None:
        nonlocal created
        if batch:
            created += create_invitations_bulk(
                survey=wave.survey,
                definition=definition,
                wave=wave,
                items=batch,
                send_at=send_at,
                expires_at=wave.closes_at,
                now=launched_at,
            )
            batch.clear()

    for (
        customer_id,
        channel,
        stratum,
        interaction_id,
        interaction_unit_id,
        agent_id,
        email,
        phone,
        language,
        name,
        customer_unit_id,
    ) in members.iterator(chunk_size=batch_size):
        if customer_id in invited or not channel:
            skipped += 1
            continue
        invited.add(customer_id)
        batch.append(
            NewInvitation(
                customer_id=customer_id,
                channel=channel,
                address=email
                if channel == "email"
                else phone
                if channel == "sms"
                else "",
                language=language,
                customer_name=name,
                stratum=stratum,
                sms_mode=mode if channel == "sms" else "",
                interaction_id=interaction_id,
                unit_id=interaction_unit_id or customer_unit_id,
                agent_id=agent_id,
            )
        )
        if len(batch) >= batch_size:
            flush()
    flush()
    status = (
        Wave.Status.OPEN if wave.starts_at <= launched_at else Wave.Status.SCHEDULED
    )
    Wave.objects.filter(pk=wave.pk).exclude(status=Wave.Status.CLOSED).update(
        status=status, opened_at=launched_at if status == Wave.Status.OPEN else None
    )
    wave.refresh_from_db()
    return LaunchResult(created=created, already_invited=skipped)


def queue_reminders(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Put due reminders in the outbox (once per invitation and reminder number)."""
    at = now or timezone.now()
    queued = 0
    waves = Wave.objects.filter(status=Wave.Status.OPEN).exclude(reminder_days=[])
    for wave in waves.select_related("version"):
        definition = version_definition(wave.version)
        for number, days in enumerate(wave.reminder_days, start=1):
            due = (
                Invitation.objects.filter(
                    wave=wave,
                    channel__in=("email", "sms"),
                    status__in=(
                        Invitation.Status.SENT,
                        Invitation.Status.DELIVERED,
                        Invitation.Status.OPENED,
                    ),
                    reminders_sent__lt=number,
                    sent_at__lte=at - timedelta(days=days),
                    expires_at__gt=at,
                )
                .exclude(
                    messages__purpose=ChannelMessage.Purpose.REMINDER,
                    messages__sequence=number,
                )
                .select_related("customer")[:limit]
            )
            rows = [
                build_message(
                    invitation=invitation,
                    definition=definition,
                    purpose=ChannelMessage.Purpose.REMINDER,
                    sequence=number,
                    due_at=at,
                    now=at,
                    customer_name=invitation.customer.name
                    if invitation.customer
                    else "",
                )
                for invitation in due
            ]
            try:
                with transaction.atomic():
                    ChannelMessage.objects.bulk_create(rows, ignore_conflicts=True)
            except IntegrityError:  # pragma: no cover - ignore_conflicts covers it
                continue
            queued += len(rows)
    return queued


@transaction.atomic
def expire_invitations(*, now: datetime | None = None) -> int:
    """Expire open invitations past their closing time and cancel their messages."""
    at = now or timezone.now()
    expiring = Invitation.objects.filter(
        Q(expires_at__lte=at) | Q(wave__status=Wave.Status.CLOSED),
        status__in=OPEN_STATUSES,
    )
    ids = list(expiring.values_list("pk", flat=True))
    if not ids:
        return 0
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        Invitation.objects.filter(pk__in=chunk, status__in=OPEN_STATUSES).update(
            status=Invitation.Status.EXPIRED, expired_at=at
        )
        ChannelMessage.objects.filter(
            invitation_id__in=chunk, state=ChannelMessage.State.PENDING
        ).update(state=ChannelMessage.State.CANCELLED)
    return len(ids)


def open_due_waves(*, now: datetime | None = None) -> int:
    """Scheduled waves whose start has come become open."""
    at = now or timezone.now()
    return Wave.objects.filter(status=Wave.Status.SCHEDULED, starts_at__lte=at).update(
        status=Wave.Status.OPEN, opened_at=at
    )


def close_due_waves(*, now: datetime | None = None) -> int:
    """Open or scheduled waves past their closing time are closed."""
    at = now or timezone.now()
    return Wave.objects.filter(
        status__in=(Wave.Status.OPEN, Wave.Status.SCHEDULED), closes_at__lte=at
    ).update(status=Wave.Status.CLOSED, closed_at=at)


@transaction.atomic
def close_wave(*, wave: Wave, now: datetime | None = None) -> Wave:
    """Close a wave now: open invitations expire, pending messages are cancelled."""
    at = now or timezone.now()
    Wave.objects.filter(pk=wave.pk).update(status=Wave.Status.CLOSED, closed_at=at)
    expire_invitations(now=at)
    wave.refresh_from_db()
    return wave
