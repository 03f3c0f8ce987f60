from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from satisfy.customers.models import Customer
from satisfy.distribution.codes import new_short_code, new_token
from satisfy.distribution.models import Invitation
from satisfy.interactions.models import Interaction
from satisfy.org.models import Agent, OrgUnit
from satisfy.surveys.models import Survey


def create_invitation(
    *,
    survey: Survey,
    channel: str = Invitation.Channel.WEB,
    language: str = "en",
    customer: Customer | None = None,
    interaction: Interaction | None = None,
    unit: OrgUnit | None = None,
    agent: Agent | None = None,
    now: datetime | None = None,
    ttl_days: int | None = None,
) -> Invitation:
    """Create an invitation with a fresh token and short code (retries a code clash)."""
    created_at = now or timezone.now()
    ttl = settings.SATISFY_INVITATION_TTL_DAYS if ttl_days is None else ttl_days
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Invitation.objects.create(
                    survey=survey,
                    token=new_token(),
                    short_code=new_short_code(),
                    channel=channel,
                    language=language,
                    customer=customer,
                    interaction=interaction,
                    unit=unit or (interaction.unit if interaction else None),
                    agent=agent or (interaction.agent if interaction else None),
                    created_at=created_at,
                    expires_at=created_at + timedelta(days=ttl),
                )
        except IntegrityError:
            continue  # a 40-bit short code clashed; draw again
    raise RuntimeError("Could not draw a unique short code after 5 attempts.")
