from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InteractionImport(models.Model):
    """One imported file: what was read, stored, excluded and tolerated."""

    source = models.CharField(_("file"), max_length=255)
    format = models.CharField(_("format"), max_length=30)
    rows_read = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    # {"phantom": 9, "abandoned_ivr": 120}: what the KPIs leave out, and why.
    excluded = models.JSONField(default=dict, blank=True)
    warning_count = models.PositiveIntegerField(default=0)
    # The first warnings by row ({"row", "column", "value", "message"}).
    warnings = models.JSONField(default=list, blank=True)
    unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} ({self.imported} interactions)"


class Interaction(models.Model):
    """A call, chat, email or visit that can be surveyed.

    Durations are seconds; NULL means "not recorded" (an abandoned call has no talk
    time), which the KPIs treat differently from 0. ``customer_key`` and
    ``agent_key`` are the source system's identifiers, kept when no ``Customer`` or
    ``Agent`` row matches, so repeat contacts and agent tables work on raw logs.
    """

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
    # Indexed by the (unit, arrived_at) and (agent, arrived_at) indexes below.
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    agent = models.ForeignKey(
        "org.Agent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interactions",
        db_index=False,
    )
    agent_key = models.CharField(
        _("agent id in the source"), max_length=64, blank=True, default=""
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    customer_key = models.CharField(
        _("customer id in the source"), max_length=100, blank=True, default=""
    )
    arrived_at = models.DateTimeField(db_index=True)
    ivr_exited_at = models.DateTimeField(null=True, blank=True)
    queue_started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ivr_seconds = models.FloatField(null=True, blank=True)
    wait_seconds = models.FloatField(null=True, blank=True, default=0)
    talk_seconds = models.FloatField(null=True, blank=True, default=0)
    hold_seconds = models.FloatField(null=True, blank=True, default=0)
    after_call_work_seconds = models.FloatField(null=True, blank=True, default=0)
    outcome = models.CharField(
        max_length=20, choices=Outcome.choices, default=Outcome.ANSWERED
    )
    transfers = models.PositiveSmallIntegerField(null=True, blank=True, default=0)
    is_escalated = models.BooleanField(null=True, blank=True, default=False)
    reason_code = models.CharField(max_length=50, blank=True, default="")
    is_resolved = models.BooleanField(null=True)
    priority = models.SmallIntegerField(null=True, blank=True)
    import_batch = models.ForeignKey(
        InteractionImport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="interactions",
    )

    class Meta:
        ordering = ["-arrived_at"]
        indexes = [
            models.Index(fields=["unit", "arrived_at"], name="interaction_unit_time"),
            models.Index(fields=["agent", "arrived_at"], name="interaction_agent_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.external_id}"
