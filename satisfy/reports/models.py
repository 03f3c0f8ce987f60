"""Rollups behind the dashboards, export jobs and scheduled report packs.

A rollup row is one day's histogram of one question (item, part) for one combination
of dimensions. It is the mergeable ``AnswerSummary`` of the metrics library stored as
columns: ``c0`` … ``c10`` count the answers coded 0 … 10 (every scale Satisfy ships:
1–5, 1–7, 0–10, 1–10), ``n_na`` the "not applicable" answers and ``other`` any value
that does not fit (a 0–100 slider): a question with ``other > 0`` is read from the raw
answers instead. Storing plain integer columns lets the database add rows up with one
``SUM … GROUP BY``, so a dashboard never loads answers or rollup rows into memory.

Two grains are kept, both updated in the same transaction that completes a response:

* :class:`DailyRollup` — version × day × question × unit × agent × channel (the detail
  grain the issue asks for; agent and channel filters and agent scorecards read it);
* :class:`DailyUnitRollup` — version × day × question × unit path (the same counts
  summed over agents and channels: about a hundredth of the rows, so the default
  dashboard stays fast at ten million responses).

The pseudo-question ``RESPONSES`` counts complete responses in ``c0``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

RESPONSES = "__responses__"
POINTS = tuple(range(11))
COUNT_FIELDS = tuple(f"c{p}" for p in POINTS)


class RollupCounts(models.Model):
    """The histogram columns shared by both grains."""

    version = models.ForeignKey(
        "surveys.SurveyVersion", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    # The day's week (its Monday) and month (its first day), stored so a trend groups
    # by a plain column: no date function per row (SQLite runs those in Python).
    week = models.DateField()
    month = models.DateField()
    question_code = models.CharField(max_length=64)
    item_code = models.CharField(max_length=64, blank=True, default="")
    part = models.CharField(max_length=12, blank=True, default="")
    unit_path = models.CharField(max_length=255, blank=True, default="")
    c0 = models.PositiveIntegerField(default=0)
    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    c3 = models.PositiveIntegerField(default=0)
    c4 = models.PositiveIntegerField(default=0)
    c5 = models.PositiveIntegerField(default=0)
    c6 = models.PositiveIntegerField(default=0)
    c7 = models.PositiveIntegerField(default=0)
    c8 = models.PositiveIntegerField(default=0)
    c9 = models.PositiveIntegerField(default=0)
    c10 = models.PositiveIntegerField(default=0)
    n_na = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyRollup(RollupCounts):
    """Detail grain: one day × question × unit × agent × channel."""

    # The agent's id, 0 for none: a plain integer keeps the unique key NULL-free on
    # every database (agents are never deleted while responses point at them).
    agent_key = models.PositiveIntegerField(default=0)
    channel = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "version",
                    "day",
                    "question_code",
                    "item_code",
                    "part",
                    "unit_path",
                    "agent_key",
                    "channel",
                ],
                name="unique_daily_rollup",
            )
        ]
        indexes = [
            models.Index(fields=["version", "day", "agent_key"]),
            models.Index(fields=["version", "channel", "day"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.day} {self.question_code} {self.unit_path} agent {self.agent_key}"
        )


class DailyUnitRollup(RollupCounts):
    """Coarse grain: one day × question × unit path (all agents and channels)."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "version",
                    "day",
                    "question_code",
                    "item_code",
                    "part",
                    "unit_path",
                ],
                name="unique_daily_unit_rollup",
            )
        ]
        indexes = [models.Index(fields=["version", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.question_code} {self.unit_path}"


class PendingRollup(models.Model):
    """A completed response whose answers are not yet counted in the rollups.

    Completing a response inserts one row here in the same transaction (an insert
    contends with nothing); :func:`satisfy.reports.rollups.fold_pending_rollups` counts
    a batch of them and deletes their rows in one transaction, so every response is
    counted exactly once.
    """

    response = models.OneToOneField(
        "responses.SurveyResponse",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"pending rollup of response {self.pk}"


class ExportJob(models.Model):
    """One export (xlsx, pdf, docx, csv, sav) run in the background, with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (.xlsx)"
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (.docx)"
        CSV = "csv", "CSV"
        SAV = "sav", "SPSS (.sav)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=8, choices=Format.choices)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(default=0.0)
    rows_total = models.PositiveBigIntegerField(default=0)
    rows_written = models.PositiveBigIntegerField(default=0)
    file_path = models.CharField(max_length=500, blank=True, default="")
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format}, {self.status})"


class ReportSchedule(models.Model):
    """Render one report per unit below ``unit`` and e-mail it to that unit's managers."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    format = models.CharField(
        max_length=8, choices=ExportJob.Format.choices, default=ExportJob.Format.PDF
    )
    # Which level receives a pack: every unit of this kind below ``unit`` (empty: the
    # unit itself and each of its children).
    unit_kind = models.CharField(max_length=20, blank=True, default="")
    active = models.BooleanField(default=True)
    last_period_end = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.frequency} {self.format} pack of {self.survey_id} for {self.unit_id}"


class ReportDelivery(models.Model):
    """One pack sent (or attempted) for one unit and period: sending twice is refused."""

    schedule = models.ForeignKey(
        ReportSchedule, on_delete=models.CASCADE, related_name="deliveries"
    )
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    recipients = models.TextField(blank=True, default="")
    file_path = models.CharField(max_length=500, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "unit", "period_end"], name="unique_pack_delivery"
            )
        ]

    def __str__(self) -> str:
        return f"pack {self.schedule_id} for {self.unit_id} to {self.period_end}"
