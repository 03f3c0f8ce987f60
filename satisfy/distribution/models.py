from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """A personal invitation to answer one survey: a secret token and a short code."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        IVR = "ivr", _("IVR")
        WEB = "web", _("Web link")
        SHORT_CODE = "short_code", _("Short code")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        OPENED = "opened", _("Opened")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired")
        OPTED_OUT = "opted_out", _("Opted out")

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, related_name="invitations"
    )
    # At least 128 random bits, URL-safe; unique and never NULL.
    token = models.CharField(max_length=64, unique=True)
    short_code = models.CharField(max_length=12, unique=True)
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interaction = models.ForeignKey(
        "interactions.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "org.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.survey.slug} {self.short_code}"
