"""Background jobs (huey): exports and the daily check for due report packs."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from satisfy.reports.rollups import fold_pending_rollups
from satisfy.reports.services import run_export, send_report_packs


@db_task()  # type: ignore[untyped-decorator]
def run_export_task(job_id: int) -> str:
    """Write one export file; progress and the row count are kept on the job."""
    return str(run_export(job_id).status)


@db_periodic_task(crontab(hour="6", minute="15"))  # type: ignore[untyped-decorator]
def send_report_packs_task() -> int:
    """Send every due weekly or monthly pack (each unit and period only once)."""
    return send_report_packs().sent


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def fold_pending_rollups_task() -> int:
    """Count responses completed since the last fold (pages also fold before reading)."""
    return fold_pending_rollups()
