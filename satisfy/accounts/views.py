from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from satisfy.accounts.models import RoleAssignment, User
from satisfy.accounts.queries import scope_for_user
from satisfy.responses.models import SurveyResponse
from satisfy.surveys.queries import surveys_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in start page: what the user may see and the surveys in reach."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    scope = scope_for_user(user)
    results_q = scope.results_q(
        unit_path_field="responses__unit_path", agent_field="responses__agent_id"
    )
    surveys = (
        surveys_for_user(user)
        .annotate(
            completed=Count(
                "responses",
                filter=results_q & Q(responses__status=SurveyResponse.Status.COMPLETE),
            )
        )
        .order_by("-created_at")[:50]
    )
    roles = RoleAssignment.objects.filter(user=user).select_related("unit")
    return render(
        request,
        "satisfy/home.html",
        {"surveys": surveys, "roles": roles, "sees_nothing": scope.sees_nothing},
    )
