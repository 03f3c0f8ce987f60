"""The post-contact trigger: an interaction ended; survey it or not, and when."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from satisfy.customers.models import Customer
from satisfy.distribution.models import Invitation, PostContactRule, TriggerDecision
from satisfy.distribution.services.invitations import (
    create_invitation,
    queue_invitation,
)
from satisfy.interactions.models import Interaction
from satisfy.surveys.services import version_definition


def sampled(seed: str, key: str, rate: float) -> bool:
    """Deterministic Bernoulli draw: the same interaction always gets the same answer."""
    if rate >= 1:
        return True
    if rate <= 0:
        return False
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def rules_for(interaction: Interaction) -> list[PostContactRule]:
    """Active rules whose survey covers the interaction's unit."""
    rules = PostContactRule.objects.filter(is_active=True).select_related(
        "survey", "survey__unit", "survey__current_version"
    )
    path = interaction.unit.path if interaction.unit is not None else ""
    return [r for r in rules if not path or path.startswith(r.survey.unit.path)]


@dataclass(frozen=True, slots=True)
class Decision:
    rule: PostContactRule
    is_selected: bool
    reason: str
    invitation: Invitation | None


def _reason(
    rule: PostContactRule,
    interaction: Interaction,
    customer: Customer | None,
    now: datetime,
) -> str:
    if not rule.survey.is_open:
        return "survey_closed"
    if rule.outcomes and interaction.outcome not in rule.outcomes:
        return "outcome"
    if rule.queues and interaction.queue not in rule.queues:
        return "queue"
    if (
        rule.interaction_channels
        and interaction.channel not in rule.interaction_channels
    ):
        return "interaction_channel"
    if customer is None:
        return "no_customer"
    if not customer.may_be_surveyed:
        return "opted_out"
    if rule.channel == "email" and not customer.email:
        return "no_contact"
    if rule.channel == "sms" and not customer.phone:
        return "no_contact"
    if (
        rule.min_days_between
        and Invitation.objects.filter(
            customer=customer,
            created_at__gte=now - timedelta(days=rule.min_days_between),
        )
        .exclude(status=Invitation.Status.FAILED)
        .exists()
    ):
        return "recently_surveyed"
    if not sampled(rule.seed, interaction.external_id, rule.sample_rate):
        return "not_sampled"
    return "selected"


def decide(
    *, rule: PostContactRule, interaction: Interaction, now: datetime | None = None
) -> Decision:
    """Decide once per (rule, interaction); a repeated call returns the first decision."""
    at = now or timezone.now()
    existing = (
        TriggerDecision.objects.filter(rule=rule, interaction=interaction)
        .select_related("invitation")
        .first()
    )
    if existing is not None:
        return Decision(
            rule, existing.is_selected, existing.reason, existing.invitation
        )
    try:
        with transaction.atomic():
            customer = None
            if interaction.customer_id is not None:
                # Locking the customer serialises two calls ending at once, so the
                # once-per-N-days rule cannot be beaten by a race.
                customer = Customer.objects.select_for_update().get(
                    pk=interaction.customer_id
                )
            reason = _reason(rule, interaction, customer, at)
            invitation = None
            if reason == "selected":
                assert customer is not None  # noqa: S101 - _reason checked it
                version = rule.survey.current_version
                assert version is not None  # noqa: S101 - is_open checked it
                send_at = (interaction.ended_at or at) + timedelta(
                    seconds=rule.delay_seconds
                )
                send_at = max(send_at, at)
                invitation = create_invitation(
                    survey=rule.survey,
                    channel=rule.channel,
                    language=customer.language,
                    customer=customer,
                    interaction=interaction,
                    address=customer.email
                    if rule.channel == "email"
                    else customer.phone
                    if rule.channel == "sms"
                    else "",
                    sms_mode=rule.sms_mode if rule.channel == "sms" else "",
                    status=Invitation.Status.QUEUED
                    if rule.channel in ("email", "sms")
                    else Invitation.Status.SENT,
                    now=at,
                )
                if rule.channel in ("email", "sms"):
                    message = queue_invitation(
                        invitation=invitation,
                        definition=version_definition(version),
                        due_at=send_at,
                        now=at,
                    )
                    _schedule_delivery(message.pk, send_at)
            TriggerDecision.objects.create(
                rule=rule,
                interaction=interaction,
                is_selected=invitation is not None,
                reason=reason,
                invitation=invitation,
                decided_at=at,
            )
    except IntegrityError:
        existing = TriggerDecision.objects.select_related("invitation").get(
            rule=rule, interaction=interaction
        )
        return Decision(
            rule, existing.is_selected, existing.reason, existing.invitation
        )
    return Decision(rule, invitation is not None, reason, invitation)


def _schedule_delivery(message_id: int, eta: datetime) -> None:
    # The periodic tick would send it anyway; the task just makes it on time.
    from satisfy.distribution.tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.schedule(args=(message_id,), eta=eta))


@dataclass(frozen=True, slots=True)
class InteractionEnd:
    """What a telephony or CRM system tells us when an interaction ends."""

    external_id: str
    ended_at: datetime
    channel: str = Interaction.Channel.VOICE
    queue: str = ""
    outcome: str = Interaction.Outcome.ANSWERED
    arrived_at: datetime | None = None
    customer_external_id: str = ""
    customer_phone: str = ""
    customer_email: str = ""
    agent_code: str = ""
    unit_code: str = ""


def register_interaction_end(
    *, end: InteractionEnd, now: datetime | None = None
) -> tuple[Interaction, list[Decision]]:
    """Store the interaction (or update its end) and apply every matching rule."""
    from satisfy.org.models import Agent, OrgUnit

    at = now or timezone.now()
    customer = None
    if end.customer_external_id:
        customer = Customer.objects.filter(external_id=end.customer_external_id).first()
    if customer is None and end.customer_phone:
        customer = Customer.objects.filter(phone=end.customer_phone).first()
    if customer is None and end.customer_email:
        customer = Customer.objects.filter(
            email=end.customer_email.strip().lower()
        ).first()
    agent = (
        Agent.objects.filter(code=end.agent_code).select_related("unit").first()
        if end.agent_code
        else None
    )
    unit = OrgUnit.objects.filter(code=end.unit_code).first() if end.unit_code else None
    if unit is None and agent is not None:
        unit = agent.unit
    # TODO(#6): move to satisfy.interactions.services once that app has one.
    interaction, _created = Interaction.objects.update_or_create(
        external_id=end.external_id,
        defaults={
            "channel": end.channel,
            "queue": end.queue,
            "outcome": end.outcome,
            "arrived_at": end.arrived_at or end.ended_at,
            "ended_at": end.ended_at,
            "customer": customer,
            "agent": agent,
            "unit": unit,
        },
    )
    decisions = [
        decide(rule=rule, interaction=interaction, now=at)
        for rule in rules_for(interaction)
    ]
    return interaction, decisions
