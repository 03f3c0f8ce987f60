from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.org.models import Agent, OrgUnit


def units_for_user(user: User) -> QuerySet[OrgUnit]:
    """Org units the user may read (their subtrees)."""
    scope = scope_for_user(user)
    return OrgUnit.objects.filter(scope.unit_q("path"))


def get_unit_for_user(user: User, unit_id: int) -> OrgUnit:
    """The unit, or 404 when it does not exist or is outside the user's scope."""
    try:
        return units_for_user(user).get(pk=unit_id)
    except OrgUnit.DoesNotExist:
        raise Http404("No such unit.") from None


def agents_for_user(user: User) -> QuerySet[Agent]:
    """Agents the user may see: those in their units, or themselves for an agent."""
    scope = scope_for_user(user)
    return Agent.objects.filter(
        scope.results_q(unit_path_field="unit__path", agent_field="pk")
    ).select_related("unit")


def get_agent_for_user(user: User, agent_id: int) -> Agent:
    """The agent, or 404 when it is outside the user's scope."""
    try:
        return agents_for_user(user).get(pk=agent_id)
    except Agent.DoesNotExist:
        raise Http404("No such agent.") from None
