"""Live interaction events from a telephony, chat or CRM system.

Each event creates or updates one interaction (by ``external_id``), queues its
day for the KPI rollups (``rollups.mark_changed``) and, when it creates the
interaction or changes its arrival or customer, recomputes that customer's gaps to
the next contact (``next_contacts.refresh_customers``); an ``ended`` or ``abandoned``
event also hands the interaction to the post-contact survey trigger
(``satisfy.distribution.services.register_interaction_end``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction

from satisfy.customers.models import Customer
from satisfy.interactions.models import Interaction
from satisfy.interactions.next_contacts import clear, identity, refresh_customers
from satisfy.interactions.rollups import mark_changed
from satisfy.org.models import Agent, OrgUnit

#: Event name -> the timestamp field it sets.
EVENTS: dict[str, str] = {
    "arrived": "arrived_at",
    "ivr_exited": "ivr_exited_at",
    "queued": "queue_started_at",
    "answered": "answered_at",
    "ended": "ended_at",
    "abandoned": "ended_at",
}
ENDING_EVENTS = frozenset({"ended", "abandoned"})


class EventError(ValueError):
    """An event that cannot be applied; ``field`` names the offending input."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class InteractionEvent:
    """One lifecycle event; fields left None keep the stored value."""

    external_id: str
    event: str
    at: datetime
    channel: str | None = None
    queue: str | None = None
    unit_code: str | None = None
    agent_code: str | None = None
    customer_external_id: str | None = None
    customer_phone: str | None = None
    customer_email: str | None = None
    customer_key: str | None = None
    outcome: str | None = None
    wait_seconds: float | None = None
    talk_seconds: float | None = None
    hold_seconds: float | None = None
    after_call_work_seconds: float | None = None
    transfers: int | None = None
    is_escalated: bool | None = None
    reason_code: str | None = None
    is_resolved: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max(0.0, (later - earlier).total_seconds())


def _customer(event: InteractionEvent) -> Customer | None:
    if event.customer_external_id:
        found = Customer.objects.filter(external_id=event.customer_external_id).first()
        if found is not None:
            return found
    if event.customer_phone:
        found = Customer.objects.filter(phone=event.customer_phone).first()
        if found is not None:
            return found
    if event.customer_email:
        return Customer.objects.filter(
            email=event.customer_email.strip().lower()
        ).first()
    return None


def _derive(interaction: Interaction, event: InteractionEvent) -> None:
    """Fill the outcome and the durations the timestamps imply, unless given."""
    i = interaction
    if event.event == "answered" or (event.event == "ended" and i.answered_at):
        i.outcome = event.outcome or Interaction.Outcome.ANSWERED
    elif event.event == "abandoned":
        i.outcome = event.outcome or (
            Interaction.Outcome.ABANDONED_QUEUE
            if i.queue_started_at is not None
            else Interaction.Outcome.ABANDONED_IVR
        )
    elif event.outcome:
        i.outcome = event.outcome
    queue_start = i.queue_started_at or i.ivr_exited_at or i.arrived_at
    if event.wait_seconds is None:
        if i.answered_at is not None:
            i.wait_seconds = _seconds(i.answered_at, queue_start)
        elif i.outcome == Interaction.Outcome.ABANDONED_QUEUE and i.ended_at:
            i.wait_seconds = _seconds(i.ended_at, queue_start)
        elif i.outcome == Interaction.Outcome.ABANDONED_IVR:
            i.wait_seconds = None
    if i.ivr_exited_at is not None and i.ivr_seconds is None:
        i.ivr_seconds = _seconds(i.ivr_exited_at, i.arrived_at)
    if (
        event.talk_seconds is None
        and event.event == "ended"
        and i.answered_at is not None
        and i.ended_at is not None
    ):
        # Without a talk time the whole answered span counts, less any hold given.
        i.talk_seconds = max(
            0.0, (_seconds(i.ended_at, i.answered_at) or 0.0) - (i.hold_seconds or 0.0)
        )
    if i.outcome != Interaction.Outcome.ANSWERED and event.talk_seconds is None:
        i.talk_seconds = None
        i.hold_seconds = None if event.hold_seconds is None else i.hold_seconds
        i.after_call_work_seconds = (
            None if event.after_call_work_seconds is None else i.after_call_work_seconds
        )


@transaction.atomic
def record_interaction_event(*, event: InteractionEvent) -> tuple[Interaction, bool]:
    """Create or update the interaction an event belongs to; True when created.

    Does not run the survey trigger (see :func:`apply_interaction_event`).
    """
    if event.event not in EVENTS:
        raise EventError(
            "event", f"unknown event {event.event!r}; use one of {', '.join(EVENTS)}"
        )
    if event.channel is not None and event.channel not in Interaction.Channel.values:
        raise EventError(
            "channel", f"use one of {', '.join(Interaction.Channel.values)}"
        )
    if event.outcome is not None and event.outcome not in Interaction.Outcome.values:
        raise EventError(
            "outcome", f"use one of {', '.join(Interaction.Outcome.values)}"
        )
    interaction = (
        Interaction.objects.select_for_update()
        .filter(external_id=event.external_id)
        .first()
    )
    created = interaction is None
    arrived_before = None if interaction is None else interaction.arrived_at
    customer_before = (
        None
        if interaction is None
        else identity(interaction.customer_key, interaction.customer_id)
    )
    if interaction is None:
        interaction = Interaction(
            external_id=event.external_id,
            arrived_at=event.at,
            wait_seconds=None,
            talk_seconds=None,
            hold_seconds=None,
            after_call_work_seconds=None,
            transfers=None,
            is_escalated=None,
        )
    setattr(interaction, EVENTS[event.event], event.at)
    if event.at < interaction.arrived_at:
        if event.event == "arrived":
            interaction.arrived_at = event.at
        else:
            raise EventError(
                "at", f"the {event.event} time is before the arrival of the interaction"
            )
    agent = None
    if event.agent_code:
        agent = Agent.objects.filter(code=event.agent_code).first()
        interaction.agent_key = event.agent_code
        interaction.agent = agent
    if event.unit_code:
        unit = OrgUnit.objects.filter(code=event.unit_code).first()
        if unit is None:
            raise EventError("unit_code", f"no org unit with code {event.unit_code!r}")
        interaction.unit = unit
    elif interaction.unit_id is None and agent is not None:
        interaction.unit_id = agent.unit_id
    customer = _customer(event)
    if customer is not None:
        interaction.customer = customer
        interaction.customer_key = interaction.customer_key or customer.external_id
    for name in (
        "channel",
        "queue",
        "customer_key",
        "wait_seconds",
        "talk_seconds",
        "hold_seconds",
        "after_call_work_seconds",
        "transfers",
        "is_escalated",
        "reason_code",
        "is_resolved",
    ):
        value = getattr(event, name)
        if value is not None:
            setattr(interaction, name, value)
    _derive(interaction, event)
    interaction.save()
    # The KPI rollups of the day (and of the former day, if the arrival moved) are
    # recomputed by the next fold, before any rollup read.
    mark_changed(arrived_before, interaction.arrived_at)
    # The gap to the customer's next contact, of this contact and of the customer's
    # previous one (and of the former customer's, when the event changed it).
    customer_after = identity(interaction.customer_key, interaction.customer_id)
    if (
        created
        or arrived_before != interaction.arrived_at
        or customer_before != customer_after
    ):
        refresh_customers({customer_before, customer_after})
        if customer_after is None:
            clear([interaction.pk])
    return interaction, created


def apply_interaction_event(
    *, event: InteractionEvent
) -> tuple[Interaction, list[Any]]:
    """Record the event; when it ends the interaction, run the post-contact trigger.

    Returns the interaction and the trigger's decisions (empty before the end).
    """
    from satisfy.distribution.services import InteractionEnd, register_interaction_end

    with transaction.atomic():
        interaction, _created = record_interaction_event(event=event)
        if event.event not in ENDING_EVENTS:
            return interaction, []
        customer = interaction.customer
        _stored, decisions = register_interaction_end(
            end=InteractionEnd(
                external_id=interaction.external_id,
                ended_at=interaction.ended_at or event.at,
                channel=interaction.channel,
                queue=interaction.queue,
                outcome=interaction.outcome,
                arrived_at=interaction.arrived_at,
                customer_external_id=customer.external_id if customer else "",
                agent_code=interaction.agent.code if interaction.agent else "",
                unit_code=interaction.unit.code if interaction.unit else "",
            )
        )
    interaction.refresh_from_db()
    return interaction, list(decisions)
