from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.responses.models import SurveyResponse
from satisfy.surveys.models import Survey


def responses_for_user(
    user: User, *, survey: Survey | None = None
) -> QuerySet[SurveyResponse]:
    """Responses whose unit snapshot is in the user's subtrees, or their own as an agent."""
    scope = scope_for_user(user)
    rows = SurveyResponse.objects.filter(
        scope.results_q(unit_path_field="unit_path", agent_field="agent_id")
    )
    if survey is not None:
        rows = rows.filter(survey=survey)
    return rows.select_related("unit", "agent", "version")


def get_response_for_user(user: User, response_id: int) -> SurveyResponse:
    """One response, or 404 outside the user's scope."""
    try:
        return responses_for_user(user).get(pk=response_id)
    except SurveyResponse.DoesNotExist:
        raise Http404("No such response.") from None
