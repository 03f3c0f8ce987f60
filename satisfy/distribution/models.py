"""Reaching customers: waves, samples, invitations, the outbox and channel sessions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Wave(models.Model):
    """One round of a survey: a version, a sample, a channel plan and a schedule.

    Repeated waves of the same survey are the "repeated evaluations" that reports
    compare; a response knows its wave through ``response.invitation.wave``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, related_name="waves"
    )
    version = models.ForeignKey(
        "surveys.SurveyVersion", on_delete=models.PROTECT, related_name="waves"
    )
    number = models.PositiveIntegerField()
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # Channels in order of preference; each customer gets the first one they can take.
    channels = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    starts_at = models.DateTimeField(_("starts at"))
    reminder_days = models.JSONField(default=list)
    closes_at = models.DateTimeField(_("closes at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "number"], name="unique_wave_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} wave {self.number}"


class Sample(models.Model):
    """A drawn sample: the frame, the design, the seed and what was excluded."""

    class Frame(models.TextChoices):
        CUSTOMERS = "customers", _("Customers")
        INTERACTIONS = "interactions", _("Interactions")

    class Method(models.TextChoices):
        ALL = "all", _("Whole frame (census)")
        SIMPLE = "simple", _("Simple random")
        SYSTEMATIC = "systematic", _("Systematic")
        STRATIFIED = "stratified", _("Stratified")

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="samples")
    frame = models.CharField(
        max_length=20, choices=Frame.choices, default=Frame.CUSTOMERS
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    allocation = models.CharField(max_length=20, blank=True, default="")
    minimum_per_stratum = models.PositiveIntegerField(default=0)
    strata = models.JSONField(default=list)
    filters = models.JSONField(default=dict)
    requested_n = models.PositiveIntegerField(null=True, blank=True)
    seed = models.BigIntegerField()
    population_n = models.PositiveIntegerField(default=0)
    eligible_n = models.PositiveIntegerField(default=0)
    n = models.PositiveIntegerField(default=0)
    exclusions = models.JSONField(default=dict)
    representativeness = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["wave", "created_at"]

    def __str__(self) -> str:
        return f"sample {self.pk} of {self.wave}"


class SampleMember(models.Model):
    """One unit drawn into a sample (a customer, or an interaction and its customer)."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="members")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+"
    )
    interaction = models.ForeignKey(
        "interactions.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    stratum = models.CharField(max_length=200, blank=True, default="")
    weight = models.FloatField(default=1.0)
    channel = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "customer"], name="unique_sample_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sample_id}:{self.customer_id}"


class Invitation(models.Model):
    """A personal invitation to answer one survey: a secret token and a short code."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        IVR = "ivr", _("IVR")
        WEB = "web", _("Web link")
        SHORT_CODE = "short_code", _("Short code")
        QR = "qr", _("QR code")

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
        FAILED = "failed", _("Failed")

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, related_name="invitations"
    )
    wave = models.ForeignKey(
        Wave,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
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
    # Where the message goes (normalised e-mail or E.164 phone), kept as sent.
    address = models.CharField(max_length=254, blank=True, default="")
    stratum = models.CharField(max_length=200, blank=True, default="")
    # SMS: "link" sends the web link; "reply" asks one question answered by a digit.
    sms_mode = models.CharField(max_length=10, blank=True, default="")
    created_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    provider_message_id = models.CharField(
        max_length=200, blank=True, default="", db_index=True
    )
    last_error = models.CharField(max_length=500, blank=True, default="")
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "created_at"]),
            models.Index(fields=["wave", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.survey.slug} {self.short_code}"

    @property
    def response_key(self) -> str:
        """The ``SurveyResponse.key`` of this invitation's one response."""
        return f"inv:{self.pk}"


class ChannelMessage(models.Model):
    """One message in the outbox: rendered, claimed, delivered at most once.

    A row is written before anything is sent (``pending``); a worker claims it
    with a conditional update, delivers it under ``idempotency_key`` and records
    the provider's message id. A worker that dies mid-way leaves a pending row
    whose claim expires, so nothing queued is ever lost.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(max_length=20, choices=Invitation.Channel.choices)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    sequence = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.CharField(max_length=80, unique=True)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=300, blank=True, default="")
    body_text = models.TextField()
    body_html = models.TextField(blank=True, default="")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    due_at = models.DateTimeField()
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True, default="")
    provider_message_id = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "purpose", "sequence"],
                name="one_message_per_purpose",
            )
        ]
        indexes = [models.Index(fields=["state", "channel", "due_at"])]

    def __str__(self) -> str:
        return self.idempotency_key


class InboundMessage(models.Model):
    """An SMS received from a provider webhook; the provider id makes replays no-ops."""

    class Outcome(models.TextChoices):
        ANSWER = "answer", _("Answer stored")
        OPT_OUT = "opt_out", _("Opted out")
        NOT_AN_ANSWER = "not_an_answer", _("Not an answer")
        NO_INVITATION = "no_invitation", _("No open invitation")
        ALREADY_ANSWERED = "already_answered", _("Already answered")

    provider_message_id = models.CharField(max_length=200, unique=True)
    sender = models.CharField(max_length=32)
    body = models.TextField()
    received_at = models.DateTimeField()
    invitation = models.ForeignKey(
        Invitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.provider_message_id


class DeliveryReceipt(models.Model):
    """A delivery status callback (delivered, bounced); replays are no-ops."""

    event_id = models.CharField(max_length=200, unique=True)
    provider_message_id = models.CharField(max_length=200, db_index=True)
    status = models.CharField(max_length=20)
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.event_id


class IvrConfig(models.Model):
    """How a survey runs on the phone: counterbalanced key layouts or not."""

    survey = models.OneToOneField(
        "surveys.Survey", on_delete=models.CASCADE, related_name="ivr_config"
    )
    counterbalance = models.BooleanField(
        _("assign key layouts at random per call"), default=False
    )

    def __str__(self) -> str:
        return f"IVR {self.survey_id}"


class IvrSession(models.Model):
    """One post-call IVR survey: offered, opted in, started, completed."""

    class State(models.TextChoices):
        OFFERED = "offered", pgettext_lazy("IVR survey state", "Offered")
        OPTED_IN = "opted_in", _("Opted in")
        STARTED = "started", _("Started")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")

    call_id = models.CharField(max_length=100, unique=True)
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, related_name="ivr_session"
    )
    layout = models.CharField(max_length=12)
    is_randomised = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="en")
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.OFFERED
    )
    # Digits pressed per question code, kept as pressed (the layout maps them).
    keys = models.JSONField(default=dict)
    offered_at = models.DateTimeField()
    opted_in_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.call_id


class ContactRule(models.Model):
    """Do not survey a customer again within ``days`` (global, or for one survey)."""

    survey = models.OneToOneField(
        "surveys.Survey",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_rule",
    )
    days = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.days} days ({self.survey_id or 'global'})"


class PostContactRule(models.Model):
    """When an interaction ends: whether to survey it, on which channel, how soon."""

    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, related_name="post_contact_rules"
    )
    name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    channel = models.CharField(
        max_length=20, choices=Invitation.Channel.choices, default="sms"
    )
    sms_mode = models.CharField(max_length=10, default="link")
    delay_seconds = models.PositiveIntegerField(default=300)
    sample_rate = models.FloatField(default=1.0)
    outcomes = models.JSONField(default=list)
    queues = models.JSONField(default=list)
    interaction_channels = models.JSONField(default=list)
    min_days_between = models.PositiveIntegerField(default=30)
    seed = models.CharField(max_length=64, default="satisfy")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class TriggerDecision(models.Model):
    """What a post-contact rule decided for one interaction (asked once, kept)."""

    rule = models.ForeignKey(
        PostContactRule, on_delete=models.CASCADE, related_name="decisions"
    )
    interaction = models.ForeignKey(
        "interactions.Interaction", on_delete=models.CASCADE, related_name="+"
    )
    is_selected = models.BooleanField()
    reason = models.CharField(max_length=40)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "interaction"], name="one_decision_per_interaction"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.interaction_id} {self.reason}"
