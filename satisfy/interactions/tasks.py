"""Background jobs (huey) of the interactions app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from satisfy.interactions.rollups import fold_pending_days


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def fold_pending_interaction_days_task() -> int:
    """Rebuild the KPI rollups of days changed by live events (reads also fold)."""
    return fold_pending_days()
