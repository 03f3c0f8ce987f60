"""Background jobs (huey): delivery, reminders, expiry, scheduled waves.

Every job reads its work from the database, so a lost or repeated job costs
nothing: the minute tick finds whatever is due.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from satisfy.distribution.models import Wave
from satisfy.distribution.services import (
    close_due_waves,
    deliver_all_due,
    deliver_due,
    expire_invitations,
    launch_wave,
    open_due_waves,
    queue_reminders,
)

logger = logging.getLogger(__name__)


@db_task()  # type: ignore[untyped-decorator]
def deliver_message(message_id: int) -> int:
    """Send one outbox message now if it is due (the post-contact delay ends)."""
    return deliver_due(message_ids=[message_id], limit=1).sent


@db_task()  # type: ignore[untyped-decorator]
def launch_wave_task(wave_id: int) -> int:
    """Create a wave's invitations in the background, then send what is due."""
    wave = Wave.objects.get(pk=wave_id)
    result = launch_wave(wave=wave)
    deliver_all_due(max_batches=20)
    return result.created


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def tick() -> dict[str, int]:
    """Every minute: open and close waves, queue reminders, expire, send what is due."""
    opened = open_due_waves()
    reminders = queue_reminders()
    stats = deliver_all_due(max_batches=20)
    closed = close_due_waves()
    expired = expire_invitations()
    summary = {
        "opened": opened,
        "reminders": reminders,
        "sent": stats.sent,
        "retried": stats.retried,
        "failed": stats.failed,
        "closed": closed,
        "expired": expired,
    }
    if any(summary.values()):
        logger.info("distribution tick: %s", summary)
    return summary
