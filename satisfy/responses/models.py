from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyResponse(models.Model):
    """One respondent's answers to one survey version, with a snapshot of dimensions."""

    class Status(models.TextChoices):
        PARTIAL = "partial", _("Partial")
        COMPLETE = "complete", _("Complete")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        IVR = "ivr", _("IVR")
        API = "api", _("API")
        KIOSK = "kiosk", _("Kiosk")

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        "surveys.SurveyVersion", on_delete=models.PROTECT, related_name="responses"
    )
    # One response per key, enforced by the database: "inv:<invitation id>",
    # "pub:<random>" for a public-link session, "api:<idempotency key>".
    key = models.CharField(max_length=160, unique=True)
    invitation = models.OneToOneField(
        "distribution.Invitation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PARTIAL, db_index=True
    )
    language = models.CharField(max_length=10, default="en")
    channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    pages_done = models.PositiveSmallIntegerField(default=0)
    # Snapshot of the dimensions when recorded; later re-organisation never rewrites it.
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit_path = models.CharField(max_length=255, blank=True, default="", db_index=True)
    agent = models.ForeignKey(
        "org.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    queue = models.CharField(max_length=50, blank=True, default="")
    customer_segment = models.CharField(max_length=50, blank=True, default="")
    interaction = models.ForeignKey(
        "interactions.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
    )
    # Empty for anonymous versions: identity is never stored with them.
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["survey", "status", "completed_at"])]

    def __str__(self) -> str:
        return f"response {self.pk} to {self.survey_id}"

    @property
    def duration_seconds(self) -> float | None:
        if self.completed_at is None:
            return None
        return (self.completed_at - self.started_at).total_seconds()


class Answer(models.Model):
    """One answer value, stored long and narrow: codes, never labels."""

    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers"
    )
    question_code = models.CharField(max_length=64)
    item_code = models.CharField(max_length=64, blank=True, default="")
    part = models.CharField(max_length=12, blank=True, default="")
    choice_code = models.CharField(max_length=64, blank=True, default="")
    value = models.FloatField(null=True, blank=True)
    text_value = models.TextField(blank=True, default="")
    is_na = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "response",
                    "question_code",
                    "item_code",
                    "part",
                    "choice_code",
                ],
                name="unique_answer_cell",
            )
        ]
        indexes = [models.Index(fields=["question_code", "value"])]

    def __str__(self) -> str:
        return f"{self.question_code}={self.choice_code or self.value}"
