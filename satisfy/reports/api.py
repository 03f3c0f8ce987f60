"""The dashboard's numbers as JSON under ``/api/v1/reports`` (scoped like the pages).

Every endpoint takes the dashboard filters as query parameters (``start``, ``end``,
``unit``, ``agent``, ``channel``, ``queue``, ``segment``, ``language``, ``wave``); a
unit, agent, wave or survey outside the caller's scope is a 404, an impossible date
range a 422.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError

from satisfy.accounts.models import User
from satisfy.distribution.models import Wave
from satisfy.distribution.queries import waves_for_user
from satisfy.reports import analysis, scorecard
from satisfy.reports.dashboard import build_dashboard
from satisfy.reports.models import ExportJob
from satisfy.reports.queries import Filters
from satisfy.reports.services import FORMATS, filters_from_params, start_export
from satisfy.surveys.models import Survey
from satisfy.surveys.queries import get_survey_for_user

router = Router(tags=["reports"])


class FilterParams(Schema):
    start: date | None = None
    end: date | None = None
    unit: int | None = None
    agent: int | None = None
    channel: str = ""
    queue: str = ""
    segment: str = ""
    language: str = ""
    wave: int | None = None


def _filters(user: User, survey: Survey, params: FilterParams) -> Filters:
    raw: dict[str, Any] = {
        k: v for k, v in params.dict().items() if v not in (None, "")
    }
    for key in ("start", "end"):
        if key in raw:
            raw[key] = raw[key].isoformat()
    if params.wave is not None:
        _get_wave(user, survey, params.wave)
    try:
        return filters_from_params(user, raw)
    except ValueError as exc:
        raise ValidationError(
            [{"loc": ["query", "start"], "msg": str(exc), "type": "value_error"}]
        ) from None


def _get_wave(user: User, survey: Survey, wave_id: int) -> Wave:
    try:
        return waves_for_user(user).get(pk=wave_id, survey=survey)
    except Wave.DoesNotExist:
        raise Http404("No such wave.") from None


def _survey(request: HttpRequest, slug: str) -> tuple[User, Survey]:
    user = cast(User, request.user)
    survey = get_survey_for_user(user, slug)
    if survey.current_version is None:
        raise Http404("The survey is not published.")
    return user, survey


@router.get("/surveys/{slug}/dashboard")
def dashboard(
    request: HttpRequest, slug: str, params: Query[FilterParams]
) -> dict[str, Any]:
    """Cards, trend, dimensions, distributions, unit breakdown and funnel."""
    user, survey = _survey(request, slug)
    dash = build_dashboard(
        user=user,
        survey=survey,
        filters=_filters(user, survey, params),
        with_comments=False,
    )
    return dash.to_dict()


def _score_row(row: scorecard.ScoreRow) -> dict[str, Any]:
    hidden = row.hidden
    return {
        "code": row.key,
        "name": row.name,
        "depth": row.depth,
        "n": row.n,
        "hidden": hidden,
        "value": None if hidden or row.result is None else row.result.value,
        "ci_low": None if hidden or row.result is None else row.result.ci_low,
        "ci_high": None if hidden or row.result is None else row.result.ci_high,
        "rank": None if hidden else row.rank,
        "rank_of": row.rank_of,
        "shrunken": None if hidden else row.estimate,
        "vs_parent": None
        if hidden or row.vs_parent is None
        else row.vs_parent.to_dict(),
    }


@router.get("/surveys/{slug}/scorecard")
def org_scorecard(
    request: HttpRequest, slug: str, params: Query[FilterParams], metric: str = "csat"
) -> dict[str, Any]:
    """Every visible unit's score, shrinkage rank and test against its parent."""
    user, survey = _survey(request, slug)
    rows = scorecard.org_scorecard(
        user=user, survey=survey, filters=_filters(user, survey, params), metric=metric
    )
    return {"metric": metric, "units": [_score_row(r) for r in rows]}


@router.get("/surveys/{slug}/agents")
def agent_scorecard(
    request: HttpRequest, slug: str, params: Query[FilterParams], metric: str = "csat"
) -> dict[str, Any]:
    """Agents' scores (an agent sees only their own row)."""
    user, survey = _survey(request, slug)
    rows, total = scorecard.agent_scorecard(
        user=user, survey=survey, filters=_filters(user, survey, params), metric=metric
    )
    return {
        "metric": metric,
        "total": None if total is None else total.to_dict(),
        "agents": [_score_row(r) for r in rows],
    }


@router.get("/surveys/{slug}/averages")
def averages(
    request: HttpRequest, slug: str, params: Query[FilterParams]
) -> dict[str, Any]:
    """Item means (scale units and 0–100) with the default grades."""
    user, survey = _survey(request, slug)
    rows = analysis.average_scores(
        user=user, survey=survey, filters=_filters(user, survey, params)
    )
    return {
        "items": [
            {
                "code": r["code"],
                "n": r["n"],
                "hidden": r["hidden"],
                "mean": None if r["hidden"] else r["mean"].value,
                "score": None if r["hidden"] else r["score"].value,
                "grade": r["grade"],
            }
            for r in rows
        ]
    }


@router.get("/surveys/{slug}/drivers")
def drivers(
    request: HttpRequest, slug: str, params: Query[FilterParams]
) -> dict[str, Any]:
    """Key drivers of overall satisfaction (LMG shares of R²) and the IPA quadrants."""
    user, survey = _survey(request, slug)
    report = analysis.driver_analysis(
        user=user, survey=survey, filters=_filters(user, survey, params)
    )
    if report is None:
        return {"n": 0, "drivers": None, "summary": ""}
    return {
        "n": report.n,
        "r2": report.result.r2,
        "shares": report.result.shares,
        "shares_ci": report.result.shares_ci,
        "n_resamples": report.result.n_resamples,
        "summary": report.summary,
    }


class ExportIn(Schema):
    format: str
    start: date | None = None
    end: date | None = None
    unit: int | None = None


@router.post("/surveys/{slug}/exports")
def create_export(request: HttpRequest, slug: str, body: ExportIn) -> dict[str, Any]:
    """Queue an export; poll ``/reports/exports/{id}`` for progress."""
    user, survey = _survey(request, slug)
    if body.format not in FORMATS:
        raise ValidationError(
            [
                {
                    "loc": ["body", "format"],
                    "msg": f"format must be one of {', '.join(FORMATS)}",
                    "type": "value_error",
                }
            ]
        )
    params = FilterParams(start=body.start, end=body.end, unit=body.unit)
    filters = _filters(user, survey, params)
    job = start_export(
        user=user, survey=survey, fmt=body.format, params=filters.as_query()
    )
    return _job(job)


def _job(job: ExportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "format": job.format,
        "status": job.status,
        "progress": job.progress,
        "rows_written": job.rows_written,
        "rows_total": job.rows_total,
        "error": job.error,
    }


@router.get("/exports/{job_id}")
def export_status(request: HttpRequest, job_id: int) -> dict[str, Any]:
    user = cast(User, request.user)
    try:
        job = ExportJob.objects.get(pk=job_id, user=user)
    except ExportJob.DoesNotExist:
        raise Http404("No such export.") from None
    return _job(job)
