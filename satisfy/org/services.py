from __future__ import annotations

from django.db import transaction

from satisfy.accounts.models import User
from satisfy.org.models import Agent, OrgUnit


@transaction.atomic
def create_unit(
    *, name: str, code: str, kind: str, parent: OrgUnit | None = None
) -> OrgUnit:
    """Create an org unit below ``parent`` (or a root) and set its path."""
    unit = OrgUnit.objects.create(name=name, code=code, kind=kind, parent=parent)
    prefix = parent.path if parent is not None else "/"
    unit.path = f"{prefix}{unit.pk}/"
    unit.depth = 0 if parent is None else parent.depth + 1
    unit.save(update_fields=["path", "depth"])
    return unit


@transaction.atomic
def create_agent(
    *, code: str, name: str, unit: OrgUnit, user: User | None = None
) -> Agent:
    """Create an agent in a unit (usually a team), optionally linked to a login."""
    return Agent.objects.create(code=code, name=name, unit=unit, user=user)
