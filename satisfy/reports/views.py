"""Result pages: dashboard, drill-down, scorecards, reports and exports.

Every page reads through ``*_for_user`` queries: a survey, unit, agent, wave or export
outside the user's scope is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from satisfy.accounts.models import User
from satisfy.distribution.models import Wave
from satisfy.distribution.queries import waves_for_user
from satisfy.org.queries import agents_for_user, units_for_user
from satisfy.reports import analysis, scorecard, structure
from satisfy.reports.dashboard import build_dashboard
from satisfy.reports.forms import ExportForm, GradeForm, ResultsFilterForm
from satisfy.reports.models import ExportJob
from satisfy.reports.queries import Filters, Source
from satisfy.reports.services import start_export
from satisfy.surveys.models import Survey
from satisfy.surveys.queries import get_survey_for_user


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _check_ids(request: HttpRequest, name: str, allowed: Any) -> None:
    """A unit/agent id outside the scope (or not a number) is a 404, not a form error."""
    raw = request.GET.get(name, "")
    if raw and not (raw.isdigit() and allowed.filter(pk=int(raw)).exists()):
        raise Http404(f"No such {name}.")


def _wave(
    request: HttpRequest, user: User, survey: Survey, name: str = "wave"
) -> Wave | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such wave.")
    try:
        return waves_for_user(user).get(pk=int(raw), survey=survey)
    except Wave.DoesNotExist:
        raise Http404("No such wave.") from None


def _setup(
    request: HttpRequest, slug: str
) -> tuple[User, Survey, ResultsFilterForm, Filters | None, dict[str, Any]]:
    """Survey, bound filter form and (when valid) the filters of a results page."""
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    units = units_for_user(user)
    agents = agents_for_user(user)
    _check_ids(request, "unit", units)
    _check_ids(request, "agent", agents)
    wave = _wave(request, user, survey)
    form = ResultsFilterForm(request.GET or {}, units=units, agents=agents)
    context: dict[str, Any] = {
        "survey": survey,
        "form": form,
        "min_n": settings.SATISFY_MIN_N,
        "wave": wave,
    }
    filters = None
    if survey.current_version is not None and form.is_valid():
        filters = form.filters(wave_id=wave.pk if wave else None)
        context["filters"] = filters
        context["period"] = filters.period
        context["unit"] = filters.unit
        context["query"] = request.GET.urlencode()
        context["base_query"] = _base_query(filters)
    return user, survey, form, filters, context


@login_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Headline cards, trend, dimensions, distributions, breakdown, funnel, comments."""
    user, survey, form, filters, context = _setup(request, slug)
    if filters is None:
        return render(request, "reports/results.html", context)
    dash = build_dashboard(
        user=user,
        survey=survey,
        filters=filters,
        trend=form.cleaned_data.get("trend") or "auto",
        comment_search=(form.cleaned_data.get("q") or "").strip(),
    )
    context.update(
        {
            "dash": dash,
            "n_responses": dash.n_responses,
            "cards": [
                {
                    "kind": c.kind,
                    "label": c.label,
                    "unit": c.unit,
                    "result": c.result,
                    "change": c.change,
                    "suppressed": c.suppressed,
                }
                for c in dash.cards
            ],
            "questions": dash.questions,
            "breakdown": dash.breakdown,
            "comments": dash.comments,
            "waves": waves_for_user(user).filter(survey=survey).order_by("number"),
        }
    )
    return render(request, "reports/results.html", context)


def _base_query(filters: Filters) -> str:
    from urllib.parse import urlencode

    return urlencode(filters.as_query())


@login_required
def response_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The responses behind a number: same filters, plus question and answer value."""
    user, survey, _form, filters, context = _setup(request, slug)
    if filters is None:
        return render(request, "reports/responses.html", context)
    rows = Source(user, survey, filters).responses()
    question = request.GET.get("question", "")
    value = request.GET.get("value", "")
    if question:
        code, _sep, item = question.partition(".")
        answer_q = Q(answers__question_code=code, answers__item_code=item)
        if value == "na":
            answer_q &= Q(answers__is_na=True)
        elif value:
            try:
                answer_q &= Q(answers__value=float(value), answers__is_na=False)
            except ValueError:
                raise Http404("No such answer value.") from None
        rows = rows.filter(answer_q)
    rows = rows.order_by("-completed_at", "-pk").distinct()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "question": question,
            "value": value,
            "total": page.paginator.count,
        }
    )
    return render(request, "reports/responses.html", context)


@login_required
def org_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    metric = request.GET.get("metric", "csat")
    if metric not in scorecard.METRICS:
        metric = "csat"
    context["metric"] = metric
    if filters is not None:
        context["rows"] = scorecard.org_scorecard(
            user=user, survey=survey, filters=filters, metric=metric
        )
    return render(request, "reports/scorecard.html", context)


@login_required
def agent_scorecard(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    metric = request.GET.get("metric", "csat")
    if metric not in scorecard.METRICS:
        metric = "csat"
    context["metric"] = metric
    if filters is not None:
        rows, total = scorecard.agent_scorecard(
            user=user, survey=survey, filters=filters, metric=metric
        )
        context.update({"rows": rows, "total": total})
    return render(request, "reports/agents.html", context)


@login_required
def wave_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    waves = list(waves_for_user(user).filter(survey=survey).order_by("number"))
    context["waves"] = waves
    a = _wave(request, user, survey, "a")
    b = _wave(request, user, survey, "b")
    if a is None and b is None and len(waves) >= 2:
        a, b = waves[-2], waves[-1]
    context.update({"a": a, "b": b})
    if filters is not None and a is not None and b is not None:
        context["rows"] = analysis.wave_comparison(
            user=user, survey=survey, filters=filters, wave_a=a, wave_b=b
        )
    return render(request, "reports/waves.html", context)


@login_required
def template_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    if filters is not None:
        surveys, rows = analysis.template_analysis(
            user=user, survey=survey, filters=filters
        )
        context.update({"surveys": surveys, "rows": rows})
    return render(request, "reports/templates.html", context)


@login_required
def average_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    grades = GradeForm(request.GET or None)
    context["grades"] = grades
    if filters is not None:
        cutoffs = (
            grades.cleaned_data["cutoffs"]
            if grades.is_bound and grades.is_valid()
            else None
        )
        if not grades.is_bound or grades.is_valid():
            context["rows"] = analysis.average_scores(
                user=user, survey=survey, filters=filters, cutoffs=cutoffs
            )
            context["cutoffs"] = cutoffs or analysis.DEFAULT_CUTOFFS
    return render(request, "reports/averages.html", context)


@login_required
def rate_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    by = request.GET.get("by", "unit")
    if by not in {"unit", "channel", "wave", "agent", "language", "stratum"}:
        by = "unit"
    context["by"] = by
    if filters is not None:
        total, rows = analysis.response_rates(
            user=user, survey=survey, filters=filters, by=by
        )
        context.update({"total": total, "rows": rows})
    return render(request, "reports/rates.html", context)


@login_required
def gap_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    if filters is not None:
        context["gaps"] = structure.gap_report(
            user=user, survey=survey, filters=filters
        )
    return render(request, "reports/gaps.html", context)


@login_required
def index_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    if filters is not None:
        context["index"] = structure.index_report(
            user=user, survey=survey, filters=filters
        )
    return render(request, "reports/index.html", context)


@login_required
def driver_report(request: HttpRequest, slug: str) -> HttpResponse:
    user, survey, _form, filters, context = _setup(request, slug)
    if filters is not None:
        context["drivers"] = analysis.driver_analysis(
            user=user, survey=survey, filters=filters
        )
    return render(request, "reports/drivers.html", context)


@login_required
@require_POST
def export_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Queue an export of the dashboard with the page's filters; show its progress."""
    user, survey, _form, filters, _context = _setup(request, slug)
    form = ExportForm(request.POST)
    if filters is None or not form.is_valid():
        raise Http404("Nothing to export with these filters.")
    params = filters.as_query()
    job = start_export(
        user=user, survey=survey, fmt=form.cleaned_data["format"], params=params
    )
    return redirect(reverse("reports:export", args=[survey.slug, job.pk]))


def _job(user: User, survey: Survey, job_id: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=job_id, user=user, survey=survey)
    except ExportJob.DoesNotExist:
        raise Http404("No such export.") from None


@login_required
def export_status(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    job = _job(user, survey, job_id)
    return render(request, "reports/export.html", {"survey": survey, "job": job})


@login_required
def export_download(
    request: HttpRequest, slug: str, job_id: int
) -> HttpResponse | FileResponse:
    user = _user(request)
    survey = get_survey_for_user(user, slug)
    job = _job(user, survey, job_id)
    if job.status != ExportJob.Status.DONE or not job.file_path:
        raise Http404("The export is not ready.")
    path = Path(job.file_path)
    if not path.exists():
        raise Http404("The export file is gone.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
