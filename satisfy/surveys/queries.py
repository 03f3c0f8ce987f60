from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from satisfy.accounts.models import User
from satisfy.accounts.queries import Scope, scope_for_user
from satisfy.surveys.models import Survey


def _survey_q(scope: Scope) -> Q:
    # A survey is visible when its owning unit is inside the user's scope or above
    # it: a company-wide survey concerns every branch below.
    q = Q(pk__in=[])
    for prefix in (*scope.unit_paths, *scope.agent_unit_paths):
        ancestors = [prefix[: i + 1] for i, char in enumerate(prefix) if char == "/"]
        q |= Q(unit__path__startswith=prefix) | Q(unit__path__in=ancestors)
    return q


def surveys_for_user(user: User) -> QuerySet[Survey]:
    """Surveys the user may see."""
    scope = scope_for_user(user)
    return Survey.objects.filter(_survey_q(scope)).select_related(
        "unit", "current_version"
    )


def get_survey_for_user(user: User, slug: str) -> Survey:
    """One survey by slug, or 404 when it does not exist or is outside the scope."""
    try:
        return surveys_for_user(user).get(slug=slug)
    except Survey.DoesNotExist:
        raise Http404("No such survey.") from None


def can_manage_survey(user: User, survey: Survey) -> bool:
    """Editing and publishing: administrators of the survey's unit (or above)."""
    return scope_for_user(user).can_manage_unit_path(survey.unit.path)
