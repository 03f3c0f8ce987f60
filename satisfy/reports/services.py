"""Writes of the reports app: export jobs, rendered reports and scheduled packs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from satisfy.accounts.models import RoleAssignment, User
from satisfy.org.models import Agent, OrgUnit
from satisfy.reports import exports
from satisfy.reports.dashboard import build_dashboard
from satisfy.reports.models import ExportJob, ReportDelivery, ReportSchedule
from satisfy.reports.queries import Filters, Period
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

logger = logging.getLogger(__name__)
FORMATS = ("xlsx", "pdf", "docx", "csv", "sav")


def export_dir() -> Path:
    path = Path(settings.DATA_DIR) / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def filters_from_params(user: User, params: dict[str, Any]) -> Filters:
    """Filters from stored job parameters (ids re-checked against the user's scope)."""
    from satisfy.org.queries import get_agent_for_user, get_unit_for_user

    today = timezone.localdate()
    end = date.fromisoformat(params["end"]) if params.get("end") else today
    start = (
        date.fromisoformat(params["start"])
        if params.get("start")
        else end - timedelta(days=90)
    )
    if start > end:
        raise ValueError(f"the start date {start} is after the end date {end}")
    unit: OrgUnit | None = (
        get_unit_for_user(user, int(params["unit"])) if params.get("unit") else None
    )
    agent: Agent | None = (
        get_agent_for_user(user, int(params["agent"])) if params.get("agent") else None
    )
    return Filters(
        period=Period(start, end),
        unit=unit,
        agent=agent,
        channel=str(params.get("channel", "")),
        queue=str(params.get("queue", "")),
        segment=str(params.get("segment", "")),
        language=str(params.get("language", "")),
        wave_id=int(params["wave"]) if params.get("wave") else None,
    )


@dataclass
class RenderResult:
    path: Path
    rows: int
    raw_rows: int = 0
    total_raw: int = 0
    notes: list[str] = field(default_factory=list)


def render_report(
    *,
    user: User,
    survey: Survey,
    filters: Filters,
    fmt: str,
    out: Path,
    progress: Callable[[int, int], None] | None = None,
    with_raw: bool = True,
) -> RenderResult:
    """Write one report file; the same function serves the web, the CLI and packs."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if survey.current_version is None:
        raise ValueError(f"survey {survey.slug!r} has no published version")
    definition = version_definition(survey.current_version)
    if fmt in {"csv", "sav"}:
        responses, total = exports.raw_source(user, survey, filters)
        columns = exports.data_columns(definition)
        writer = exports.write_csv if fmt == "csv" else exports.write_sav
        written = writer(
            out, responses=responses, columns=columns, total=total, progress=progress
        )
        return RenderResult(out, written, written, total)
    responses, total = (
        exports.raw_source(user, survey, filters)
        if fmt == "xlsx" and with_raw
        else (None, 0)
    )
    if progress is not None and total:
        progress(0, total)  # the row count is known while the analyses run
    dash = build_dashboard(user=user, survey=survey, filters=filters, with_funnel=False)
    analysis = exports.build_analysis(
        user=user, survey=survey, filters=filters, definition=definition
    )
    notes = list(analysis.notes)
    if fmt == "xlsx":
        written = exports.write_xlsx(
            out,
            dash,
            responses=responses,
            columns=exports.data_columns(definition),
            total=total,
            progress=progress,
            analysis=analysis,
        )
        return RenderResult(out, written, written, total, notes)
    if fmt == "pdf":
        return RenderResult(out, exports.write_pdf(out, dash, analysis), notes=notes)
    return RenderResult(out, exports.write_docx(out, dash, analysis), notes=notes)


def start_export(
    *, user: User, survey: Survey, fmt: str, params: dict[str, Any]
) -> ExportJob:
    """Queue an export job (runs at once when jobs are immediate, e.g. in tests)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    job = ExportJob.objects.create(user=user, survey=survey, format=fmt, params=params)
    from satisfy.reports.tasks import run_export_task

    transaction.on_commit(lambda: run_export_task(job.pk))
    return job


def run_export(job_id: int) -> ExportJob:
    """Run one export job, recording progress, the row count and any error."""
    job = ExportJob.objects.select_related("user", "survey").get(pk=job_id)
    if job.status in {ExportJob.Status.DONE, ExportJob.Status.RUNNING}:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    out = export_dir() / f"{job.survey.slug}-{job.pk}.{job.format}"

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(
            rows_written=done,
            rows_total=total,
            progress=(done / total) if total else 0.0,
        )

    try:
        filters = filters_from_params(job.user, job.params)
        result = render_report(
            user=job.user,
            survey=job.survey,
            filters=filters,
            fmt=job.format,
            out=out,
            progress=progress,
        )
    except Exception as exc:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
        )
    else:
        if result.total_raw and result.raw_rows != result.total_raw:
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.FAILED,
                error=(
                    f"{result.raw_rows} of {result.total_raw} responses written: "
                    "the export is incomplete"
                ),
                finished_at=timezone.now(),
            )
        else:
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportJob.Status.DONE,
                progress=1.0,
                rows_written=result.raw_rows or result.rows,
                rows_total=result.total_raw or result.rows,
                file_path=str(out),
                finished_at=timezone.now(),
            )
    job.refresh_from_db()
    return job


# ------------------------------------------------------------------ report packs


def pack_period(frequency: str, today: date) -> Period:
    """The last complete month (or Monday–Sunday week) before ``today``."""
    if frequency == ReportSchedule.Frequency.WEEKLY:
        end = today - timedelta(days=today.weekday() + 1)
        return Period(end - timedelta(days=6), end)
    first = today.replace(day=1)
    end = first - timedelta(days=1)
    return Period(end.replace(day=1), end)


def pack_units(schedule: ReportSchedule) -> list[OrgUnit]:
    """The units that get a pack: of ``unit_kind`` below the unit, else it and its children."""
    below = OrgUnit.objects.filter(path__startswith=schedule.unit.path)
    if schedule.unit_kind:
        return list(below.filter(kind=schedule.unit_kind).order_by("path"))
    return [schedule.unit, *schedule.unit.children.all().order_by("name")]


def unit_managers(unit: OrgUnit) -> list[User]:
    """Users with the unit-manager role on exactly this unit."""
    return list(
        User.objects.filter(
            roles__unit=unit,
            roles__role=RoleAssignment.Role.UNIT_MANAGER,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


@dataclass
class PackResult:
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    lines: list[str] = field(default_factory=list)


def send_report_packs(*, today: date | None = None) -> PackResult:
    """Render and e-mail every due pack; a (schedule, unit, period) is sent once."""
    today = today or timezone.localdate()
    result = PackResult()
    for schedule in ReportSchedule.objects.filter(active=True).select_related(
        "survey", "unit"
    ):
        period = pack_period(schedule.frequency, today)
        if (
            schedule.last_period_end is not None
            and schedule.last_period_end >= period.end
        ):
            continue
        for unit in pack_units(schedule):
            managers = unit_managers(unit)
            if not managers:
                result.skipped += 1
                result.lines.append(
                    f"{unit.code}: no unit manager with an e-mail address"
                )
                continue
            try:
                delivery = ReportDelivery.objects.create(
                    schedule=schedule,
                    unit=unit,
                    period_start=period.start,
                    period_end=period.end,
                    recipients=", ".join(m.email for m in managers),
                )
            except IntegrityError:
                result.skipped += 1
                continue
            out = export_dir() / (
                f"pack-{schedule.survey.slug}-{unit.code}-{period.end.isoformat()}."
                f"{schedule.format}"
            )
            try:
                render_report(
                    user=managers[0],
                    survey=schedule.survey,
                    filters=Filters(period=period, unit=unit),
                    fmt=schedule.format,
                    out=out,
                    with_raw=False,
                )
                message = EmailMessage(
                    subject=f"{schedule.survey.title}: {unit.name}, "
                    f"{period.start.isoformat()} – {period.end.isoformat()}",
                    body=(
                        f"The {schedule.get_frequency_display().lower()} satisfaction "
                        f"report for {unit.name} is attached.\n\n"
                        f"{settings.SITE_URL}/surveys/{schedule.survey.slug}/results/"
                        f"?unit={unit.pk}&start={period.start}&end={period.end}\n"
                    ),
                    to=[m.email for m in managers],
                )
                message.attach_file(str(out))
                message.send()
            except Exception as exc:
                logger.exception("pack for %s failed", unit.code)
                delivery.error = str(exc)[:2000]
                delivery.save(update_fields=["error"])
                result.failed += 1
                result.lines.append(f"{unit.code}: {exc}")
                continue
            delivery.file_path = str(out)
            delivery.sent_at = timezone.now()
            delivery.save(update_fields=["file_path", "sent_at"])
            result.sent += 1
            result.lines.append(f"{unit.code}: sent to {delivery.recipients}")
        schedule.last_period_end = period.end
        schedule.save(update_fields=["last_period_end"])
    return result
