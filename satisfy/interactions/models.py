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
    # Seconds from this arrival to the same customer's next arrival (any channel,
    # any outcome); NULL when none is stored or the customer is unidentified. Kept
    # by ``satisfy.interactions.next_contacts`` (imports, events, the rebuild).
    next_contact_seconds = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-arrived_at"]
        indexes = [
            models.Index(fields=["unit", "arrived_at"], name="interaction_unit_time"),
            models.Index(fields=["agent", "arrived_at"], name="interaction_agent_time"),
            # finds every contact of a batch's customers (next_contacts)
            models.Index(fields=["customer_key"], name="interaction_customer_key"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.external_id}"


#: Service-level thresholds (seconds) whose counts the rollups keep.
ROLLUP_ANSWER_WITHIN = (10, 15, 20, 30, 45, 60, 90, 120, 180, 300)
#: Short-abandon thresholds (seconds) whose counts and wait sums the rollups keep.
ROLLUP_SHORT_ABANDON = (3, 5, 10)


class InteractionCounts(models.Model):
    """Additive counts and sums of a group of interactions (see ``rollups``).

    Every field of the library's ``QueueSummary`` can be rebuilt from them for any
    threshold in ``ROLLUP_ANSWER_WITHIN`` and short-abandon threshold in
    ``ROLLUP_SHORT_ABANDON`` (or none). Waits count NULL as 0, like the raw query.
    """

    answered = models.IntegerField(default=0)
    abandoned = models.IntegerField(default=0)  # in queue, short ones included
    abandoned_ivr = models.IntegerField(default=0)
    callbacks = models.IntegerField(default=0)
    answered_within_10 = models.IntegerField(default=0)
    answered_within_15 = models.IntegerField(default=0)
    answered_within_20 = models.IntegerField(default=0)
    answered_within_30 = models.IntegerField(default=0)
    answered_within_45 = models.IntegerField(default=0)
    answered_within_60 = models.IntegerField(default=0)
    answered_within_90 = models.IntegerField(default=0)
    answered_within_120 = models.IntegerField(default=0)
    answered_within_180 = models.IntegerField(default=0)
    answered_within_300 = models.IntegerField(default=0)
    abandoned_within_10 = models.IntegerField(default=0)
    abandoned_within_15 = models.IntegerField(default=0)
    abandoned_within_20 = models.IntegerField(default=0)
    abandoned_within_30 = models.IntegerField(default=0)
    abandoned_within_45 = models.IntegerField(default=0)
    abandoned_within_60 = models.IntegerField(default=0)
    abandoned_within_90 = models.IntegerField(default=0)
    abandoned_within_120 = models.IntegerField(default=0)
    abandoned_within_180 = models.IntegerField(default=0)
    abandoned_within_300 = models.IntegerField(default=0)
    short_abandons_3 = models.IntegerField(default=0)
    short_abandons_5 = models.IntegerField(default=0)
    short_abandons_10 = models.IntegerField(default=0)
    # Sums in whole milliseconds: integer sums are exact in any order, so the
    # rollups and the raw query (which sums the same rounded values) agree exactly.
    short_abandon_wait_ms_3 = models.BigIntegerField(default=0)
    short_abandon_wait_ms_5 = models.BigIntegerField(default=0)
    short_abandon_wait_ms_10 = models.BigIntegerField(default=0)
    wait_answered_ms = models.BigIntegerField(default=0)
    wait_abandoned_ms = models.BigIntegerField(default=0)
    handle_ms = models.BigIntegerField(default=0)  # talk + hold + ACW, answered
    talk_known = models.IntegerField(default=0)
    hold_known = models.IntegerField(default=0)
    acw_known = models.IntegerField(default=0)
    transfer_base = models.IntegerField(default=0)
    transferred = models.IntegerField(default=0)
    escalation_base = models.IntegerField(default=0)
    escalated = models.IntegerField(default=0)

    class Meta:
        abstract = True


class InteractionRollup(InteractionCounts):
    """Interactions per local day, 15-minute slot, channel, queue and unit.

    Days and slots are in ``settings.TIME_ZONE`` (like ``Period``): the rollups must
    be rebuilt (``satisfy rebuild_interaction_rollups``) when it changes.
    """

    day = models.DateField()
    slot = models.SmallIntegerField()  # minutes since midnight of the slot's start
    channel = models.CharField(max_length=20)
    queue = models.CharField(max_length=50, blank=True, default="")
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )

    class Meta:
        indexes = [models.Index(fields=["day"], name="interaction_rollup_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.slot} {self.channel} {self.queue}"


class InteractionAgentRollup(InteractionCounts):
    """Interactions per local day, channel, queue, unit and agent (no time slot).

    A slot × agent grain would hold about one row per answered call; per day it stays
    small. Agent tables and the agent role's own figures read this one.
    """

    day = models.DateField()
    channel = models.CharField(max_length=20)
    queue = models.CharField(max_length=50, blank=True, default="")
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    agent = models.ForeignKey(
        "org.Agent",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    agent_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["day"], name="interaction_agent_rollup_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.agent_key or self.agent_id} {self.queue}"


class PendingInteractionDay(models.Model):
    """A local day whose interactions changed after its rollups were built.

    Writers insert one row in their own transaction (an insert contends with
    nothing); ``rollups.fold_pending_days`` rebuilds the days of a batch of rows and
    deletes exactly those rows, the pattern of ``reports.PendingRollup``.
    """

    day = models.DateField()

    def __str__(self) -> str:
        return f"pending interaction rollup of {self.day}"


class AgentStateInterval(models.Model):
    """One agent in one state from ``started_at`` to ``ended_at`` (agent-state data).

    ``state`` is the source system's name, ``state_class`` what occupancy counts it
    as (see ``satisfy.analytics.contact_centre.occupancy``). ``agent_key`` is the
    source's agent id, kept when no ``Agent`` matches; ``unit`` is the row's unit,
    else the agent's team, and scopes the row like an interaction.
    """

    class StateClass(models.TextChoices):
        AVAILABLE = "available", _("Available")
        TALK = "talk", _("Talk")
        HOLD = "hold", _("Hold")
        AFTER_CALL_WORK = "after_call_work", _("After-call work")
        NOT_READY = "not_ready", _("Not ready")
        LOGGED_OUT = "logged_out", _("Logged out")

    agent = models.ForeignKey(
        "org.Agent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="state_intervals",
        db_index=False,
    )
    agent_key = models.CharField(
        _("agent id in the source"), max_length=64, blank=True, default=""
    )
    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    queue = models.CharField(_("queue / type"), max_length=50, blank=True, default="")
    state = models.CharField(_("state in the source"), max_length=64)
    state_class = models.CharField(max_length=20, choices=StateClass.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    import_batch = models.ForeignKey(
        InteractionImport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="agent_states",
    )

    class Meta:
        ordering = ["started_at"]
        indexes = [
            models.Index(fields=["agent", "started_at"], name="agent_state_agent_time"),
            models.Index(fields=["unit", "started_at"], name="agent_state_unit_time"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_key} {self.state} {self.started_at:%Y-%m-%d %H:%M}"
