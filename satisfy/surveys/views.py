from __future__ import annotations

from typing import Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from satisfy.accounts.models import User
from satisfy.accounts.queries import scope_for_user
from satisfy.distribution.codes import format_short_code
from satisfy.distribution.services import create_invitation
from satisfy.responses.models import SurveyResponse
from satisfy.responses.queries import get_response_for_user, responses_for_user
from satisfy.surveys.definition import (
    definition_from_dict,
    dump_definition,
    list_templates,
    translate,
)
from satisfy.surveys.forms import NewSurveyForm
from satisfy.surveys.queries import (
    can_manage_survey,
    get_survey_for_user,
    surveys_for_user,
)
from satisfy.surveys.services import (
    SurveyStateError,
    close_survey,
    create_survey_from_template,
    publish_survey,
    version_definition,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _ui_language() -> str:
    language = get_language() or "en"
    return "zh-Hans" if language.lower().startswith("zh") else language.split("-")[0]


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    surveys = surveys_for_user(_user(request)).order_by("-created_at")
    return render(request, "surveys/list.html", {"surveys": surveys})


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    scope = scope_for_user(user)
    if not scope.can_manage_any:
        raise PermissionDenied
    language = _ui_language()
    templates = list_templates()
    choices = [(t.code, translate(t.title, language)) for t in templates]
    form = NewSurveyForm(request.POST or None, templates=choices, scope=scope)
    if request.method == "POST" and form.is_valid():
        survey = create_survey_from_template(
            template_code=form.cleaned_data["template"],
            slug=form.cleaned_data["slug"],
            unit=form.cleaned_data["unit"],
            created_by=user,
            title=form.cleaned_data["title"],
        )
        messages.success(
            request, _("Draft survey created. Review it, then publish it.")
        )
        return redirect("surveys:detail", slug=survey.slug)
    cards = [
        {
            "code": t.code,
            "title": translate(t.title, language),
            "description": translate(t.description, language),
            "questions": sum(1 for _q in t.questions()),
            "languages": t.languages,
        }
        for t in templates
    ]
    return render(request, "surveys/new.html", {"form": form, "templates": cards})


@login_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    language = _ui_language()
    if survey.current_version is not None:
        definition = version_definition(survey.current_version)
    else:
        definition = definition_from_dict(survey.draft_definition, filename=survey.slug)
    pages = [
        {
            "title": translate(page.title, language),
            "questions": [
                {
                    "code": q.code,
                    "type": str(q.type),
                    "dimension": q.dimension or "",
                    "text": translate(q.text, language),
                }
                for q in page.questions
            ],
        }
        for page in definition.pages
    ]
    responses = responses_for_user(user, survey=survey)
    counts = {
        "complete": responses.filter(status=SurveyResponse.Status.COMPLETE).count(),
        "partial": responses.filter(status=SurveyResponse.Status.PARTIAL).count(),
    }
    public_url = ""
    if survey.current_version is not None and survey.current_version.allows_public_link:
        public_url = request.build_absolute_uri(f"/s/{survey.slug}")
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "pages": pages,
            "versions": survey.versions.order_by("-number"),
            "counts": counts,
            "latest": responses.order_by("-started_at")[:25],
            "can_manage": can_manage_survey(user, survey),
            "has_unpublished_changes": survey.current_version is None
            or survey.draft_definition != survey.current_version.definition,
            "public_url": public_url,
        },
    )


@login_required
@require_POST
def survey_publish(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    if not can_manage_survey(user, survey):
        raise PermissionDenied
    try:
        version = publish_survey(survey=survey, published_by=user)
    except SurveyStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Published version %(number)s.") % {"number": version.number}
        )
    return redirect("surveys:detail", slug=slug)


@login_required
@require_POST
def survey_close(request: HttpRequest, slug: str) -> HttpResponse:
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    if not can_manage_survey(user, survey):
        raise PermissionDenied
    close_survey(survey=survey)
    messages.success(request, _("The survey is closed; its answers are kept."))
    return redirect("surveys:detail", slug=slug)


@login_required
@require_POST
def survey_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Create one personal web invitation and show its link and short code."""
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    if not can_manage_survey(user, survey):
        raise PermissionDenied
    if not survey.is_open:
        messages.error(request, _("Publish the survey before inviting anyone."))
        return redirect("surveys:detail", slug=slug)
    invitation = create_invitation(
        survey=survey, language=_ui_language(), unit=survey.unit
    )
    link = request.build_absolute_uri(
        reverse("responses:take", args=[invitation.token])
    )
    messages.success(
        request,
        _("Invitation link: %(link)s · short code %(code)s")
        % {"link": link, "code": format_short_code(invitation.short_code)},
    )
    return redirect("surveys:detail", slug=slug)


@login_required
def survey_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Download the survey definition (current version, else draft) as YAML or JSON."""
    survey = get_survey_for_user(_user(request), slug)
    file_format: Literal["yaml", "json"] = (
        "json" if request.GET.get("format") == "json" else "yaml"
    )
    if survey.current_version is not None:
        definition = version_definition(survey.current_version)
    else:
        definition = definition_from_dict(survey.draft_definition, filename=survey.slug)
    text = dump_definition(definition, format=file_format)
    content_type = "application/json" if file_format == "json" else "application/yaml"
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{survey.slug}.{file_format}"'
    )
    return response


@login_required
def response_detail(request: HttpRequest, slug: str, response_id: int) -> HttpResponse:
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    response = get_response_for_user(user, response_id)
    if response.survey_id != survey.pk:
        raise Http404
    definition = version_definition(response.version)
    language = _ui_language()
    texts = {q.code: translate(q.text, language) for q in definition.questions()}
    answers = [
        {
            "question": texts.get(a.question_code, a.question_code),
            "code": a.question_code,
            "item": a.item_code,
            "part": a.part,
            "choice": a.choice_code,
            "value": a.value,
            "text": a.text_value,
            "is_na": a.is_na,
        }
        for a in response.answers.order_by("pk")
    ]
    return render(
        request,
        "surveys/response_detail.html",
        {"survey": survey, "response": response, "answers": answers},
    )
