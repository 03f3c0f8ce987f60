from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Interaction(models.Model):
    """A call, chat, email or visit that can be surveyed."""

    class Channel(models.TextChoices):
        VOICE = "voice", _("Voice")
        CHAT = "chat", _("Chat")
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        SOCIAL = "social", _("Social")
        BRANCH = "branch", _("Branch visit")
        WEB = "web", _("Web")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        ABANDONED_QUEUE = "abandoned_queue", _("Abandoned in queue")
        ABANDONED_IVR = "abandoned_ivr", _("Abandoned in IVR")
        CALLBACK = "callback", _("Callback")

    external_id = models.CharField(max_length=100, unique=True)
    channel = models.CharField(
        max_length=20, choices=Channel.choices, default=Channel.VOICE
    )
    queue = models.CharField(_("queue / type"), max_length=50, blank=True, default="")
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agent = models.ForeignKey(
        "org.Agent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions",
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    arrived_at = models.DateTimeField(db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    wait_seconds = models.FloatField(default=0)
    talk_seconds = models.FloatField(default=0)
    hold_seconds = models.FloatField(default=0)
    after_call_work_seconds = models.FloatField(default=0)
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, default=Outcome.ANSWERED
    )
    transfers = models.PositiveSmallIntegerField(default=0)
    is_escalated = models.BooleanField(default=False)
    reason_code = models.CharField(max_length=50, blank=True, default="")
    is_resolved = models.BooleanField(null=True)

    class Meta:
        ordering = ["-arrived_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.external_id}"
