"""Deliver the outbox: claim due messages, send each once, record what happened.

Crash safety: a message is claimed by a conditional update (and ``SELECT … FOR
UPDATE SKIP LOCKED`` on PostgreSQL) that sets ``claimed_until``; it becomes
``sent`` only after the provider accepted it. A worker killed in between leaves
the row ``pending``; once the claim expires another worker sends it again with
the same idempotency key (file outbox and HTTP provider drop the copy, e-mail
keeps the same Message-ID).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from satisfy.distribution.channels.base import (
    ChannelAdapter,
    ChannelError,
    OutgoingMessage,
    PermanentChannelError,
    get_adapter,
)
from satisfy.distribution.channels.render import unsubscribe_link
from satisfy.distribution.config import lease_seconds, max_attempts, send_rate
from satisfy.distribution.models import ChannelMessage, Invitation

logger = logging.getLogger(__name__)

CLOSED_STATUSES = {
    Invitation.Status.COMPLETED,
    Invitation.Status.EXPIRED,
    Invitation.Status.OPTED_OUT,
    Invitation.Status.FAILED,
    Invitation.Status.BOUNCED,
}
AdapterFactory = Callable[[str], ChannelAdapter]


@dataclass
class DeliveryStats:
    """What one delivery pass did."""

    claimed: int = 0
    sent: int = 0
    duplicates: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """Wait before retry ``attempts``: 1, 2, 4 … minutes, at most one hour."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 3600))


class Throttle:
    """At most ``rate`` calls per second from this worker (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.next_at = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = max(self.next_at, now) + self.interval


def _claimable(now: datetime) -> Q:
    return Q(state=ChannelMessage.State.PENDING, due_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def claim_due(
    *,
    now: datetime,
    limit: int,
    channel: str | None = None,
    message_ids: Iterable[int] | None = None,
) -> list[ChannelMessage]:
    """Reserve up to ``limit`` due messages for this worker."""
    with transaction.atomic():
        candidates = ChannelMessage.objects.filter(_claimable(now))
        if channel:
            candidates = candidates.filter(channel=channel)
        if message_ids is not None:
            candidates = candidates.filter(pk__in=list(message_ids))
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(
            candidates.order_by("due_at", "pk").values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # The conditional update is the claim: a row someone else took is skipped.
        ChannelMessage.objects.filter(_claimable(now), pk__in=ids).update(
            claimed_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
        )
        claimed = list(
            ChannelMessage.objects.filter(pk__in=ids, claimed_until__gt=now)
            .select_related("invitation", "invitation__customer")
            .order_by("due_at", "pk")
        )
    return claimed


def _outgoing(message: ChannelMessage) -> OutgoingMessage:
    headers: dict[str, str] = {}
    if message.channel == Invitation.Channel.EMAIL:
        link = unsubscribe_link(message.invitation.token)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return OutgoingMessage(
        idempotency_key=message.idempotency_key,
        channel=message.channel,
        recipient=message.recipient,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        headers=headers,
    )


def _should_cancel(message: ChannelMessage) -> bool:
    invitation = message.invitation
    if invitation.status in CLOSED_STATUSES:
        return True
    if message.purpose == ChannelMessage.Purpose.REMINDER and invitation.status in {
        Invitation.Status.STARTED,
        Invitation.Status.COMPLETED,
    }:
        return True
    customer = invitation.customer
    return customer is not None and not customer.may_be_surveyed


def _cancel(message: ChannelMessage) -> None:
    ChannelMessage.objects.filter(
        pk=message.pk, state=ChannelMessage.State.PENDING
    ).update(state=ChannelMessage.State.CANCELLED, claimed_until=None)


_MESSAGE_TABLE = ChannelMessage._meta.db_table
_INVITATION_TABLE = Invitation._meta.db_table
# One message is recorded per transaction, right after the provider accepted it;
# plain statements because the ORM's query building cost more than the database.
_MARK_MESSAGE_SENT = (
    f'UPDATE "{_MESSAGE_TABLE}" SET "state" = %s, "sent_at" = %s, '  # noqa: S608 - fixed names
    '"provider_message_id" = %s, "claimed_until" = NULL, "last_error" = \'\' '
    'WHERE "id" = %s'
)
_MARK_INVITATION_SENT = (
    f'UPDATE "{_INVITATION_TABLE}" SET "status" = %s, "sent_at" = %s, '  # noqa: S608 - fixed names
    '"provider_message_id" = %s, "last_error" = \'\' WHERE "id" = %s AND "status" = %s'
)
_COUNT_REMINDER = (
    f'UPDATE "{_INVITATION_TABLE}" SET "reminders_sent" = %s '  # noqa: S608 - fixed names
    'WHERE "id" = %s AND "reminders_sent" < %s'
)


def _record_sent(message: ChannelMessage, provider_id: str, now: datetime) -> None:
    sent_at = connection.ops.adapt_datetimefield_value(now)
    if message.purpose == ChannelMessage.Purpose.INVITATION:
        invitation_sql = _MARK_INVITATION_SENT
        invitation_params: list[Any] = [
            Invitation.Status.SENT,
            sent_at,
            provider_id,
            message.invitation_id,
            Invitation.Status.QUEUED,
        ]
    else:
        invitation_sql = _COUNT_REMINDER
        invitation_params = [message.sequence, message.invitation_id, message.sequence]
    message_params = [ChannelMessage.State.SENT, sent_at, provider_id, message.pk]
    if connection.vendor == "postgresql":
        # One statement is one transaction and one round trip: a data-modifying
        # WITH always runs to completion, together with the main statement.
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH sent AS ({_MARK_MESSAGE_SENT}) {invitation_sql}",
                message_params + invitation_params,
            )
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_MARK_MESSAGE_SENT, message_params)
        cursor.execute(invitation_sql, invitation_params)


@transaction.atomic
def _record_failure(
    message: ChannelMessage, error: ChannelError, now: datetime
) -> bool:
    """Schedule a retry, or fail for good; True when it will be retried."""
    text = str(error)[:500]
    permanent = isinstance(error, PermanentChannelError)
    if not permanent and message.attempts < max_attempts():
        ChannelMessage.objects.filter(pk=message.pk).update(
            claimed_until=None, due_at=now + backoff(message.attempts), last_error=text
        )
        Invitation.objects.filter(pk=message.invitation_id).update(last_error=text)
        return True
    ChannelMessage.objects.filter(pk=message.pk).update(
        state=ChannelMessage.State.FAILED, claimed_until=None, last_error=text
    )
    if message.purpose == ChannelMessage.Purpose.INVITATION:
        Invitation.objects.filter(
            pk=message.invitation_id, status=Invitation.Status.QUEUED
        ).update(status=Invitation.Status.FAILED, failed_at=now, last_error=text)
    return False


def deliver_due(
    *,
    now: datetime | None = None,
    limit: int = 500,
    channel: str | None = None,
    message_ids: Iterable[int] | None = None,
    adapter_factory: AdapterFactory = get_adapter,
) -> DeliveryStats:
    """Claim and send one batch of due messages; returns counts."""
    started = now or timezone.now()
    stats = DeliveryStats()
    claimed = claim_due(
        now=started, limit=limit, channel=channel, message_ids=message_ids
    )
    stats.claimed = len(claimed)
    by_channel: dict[str, list[ChannelMessage]] = defaultdict(list)
    for message in claimed:
        by_channel[message.channel].append(message)
    for name, messages in by_channel.items():
        throttle = Throttle(send_rate(name))
        adapter = adapter_factory(name)
        try:
            adapter.open()
        except ChannelError as exc:
            for message in messages:
                if _record_failure(message, exc, timezone.now()):
                    stats.retried += 1
                else:
                    stats.failed += 1
            stats.errors.append(str(exc))
            continue
        try:
            for message in messages:
                if _should_cancel(message):
                    _cancel(message)
                    stats.cancelled += 1
                    continue
                throttle.wait()
                try:
                    result = adapter.send(_outgoing(message))
                except ChannelError as exc:
                    logger.warning(
                        "sending %s failed: %s", message.idempotency_key, exc
                    )
                    stats.errors.append(f"{message.idempotency_key}: {exc}")
                    if _record_failure(message, exc, timezone.now()):
                        stats.retried += 1
                    else:
                        stats.failed += 1
                    continue
                _record_sent(message, result.provider_message_id, timezone.now())
                stats.sent += 1
                stats.duplicates += int(result.duplicate)
        finally:
            adapter.close()
    return stats


def deliver_all_due(
    *,
    now: datetime | None = None,
    batch_size: int = 500,
    channel: str | None = None,
    adapter_factory: AdapterFactory = get_adapter,
    max_batches: int | None = None,
) -> DeliveryStats:
    """Run delivery passes until nothing is due (or ``max_batches`` ran)."""
    total = DeliveryStats()
    batches = 0
    while max_batches is None or batches < max_batches:
        stats = deliver_due(
            now=now, limit=batch_size, channel=channel, adapter_factory=adapter_factory
        )
        batches += 1
        for name in ("claimed", "sent", "duplicates", "retried", "failed", "cancelled"):
            setattr(total, name, getattr(total, name) + getattr(stats, name))
        total.errors.extend(stats.errors)
        if stats.claimed == 0 or stats.claimed == stats.retried + stats.failed:
            break
    return total
