from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from satisfy.accounts.models import User
from satisfy.analytics import (
    AnswerSummary,
    ScoreResult,
    compare,
    csat,
    csi,
    distribution,
    nps,
)
from satisfy.analytics import ces as ces_score
from satisfy.org.models import OrgUnit
from satisfy.org.queries import units_for_user
from satisfy.reports.forms import ResultsFilterForm
from satisfy.reports.queries import (
    Period,
    completed_responses,
    latest_comments,
    question_summaries,
    summaries_by_unit_path,
)
from satisfy.surveys.definition import (
    Question,
    QuestionType,
    SurveyDefinition,
    translate,
)
from satisfy.surveys.queries import get_survey_for_user
from satisfy.surveys.services import version_definition

CSI_DIMENSIONS = {"overall", "access", "resolution", "treatment", "quality", "value"}


def _language() -> str:
    code = get_language() or "en"
    return "zh-Hans" if code.lower().startswith("zh") else code.split("-")[0]


def _first(definition: SurveyDefinition, kind: QuestionType) -> Question | None:
    found = [q for q in definition.questions() if q.type == kind and not q.items]
    overall = [q for q in found if q.dimension == "overall"]
    candidates = overall or found
    return candidates[0] if candidates else None


def _csi_questions(definition: SurveyDefinition) -> list[Question]:
    return [
        q
        for q in definition.questions()
        if q.type in {QuestionType.CSAT, QuestionType.SCALE, QuestionType.RATING}
        and not q.items
        and (q.dimension or "") in CSI_DIMENSIONS
    ]


def _score(
    kind: str, summary: AnswerSummary | list[AnswerSummary], question: Question | None
) -> ScoreResult | None:
    """The library's score of one kind, or None when there is nothing to score."""
    summaries = summary if isinstance(summary, list) else [summary]
    if not summaries or any(s.n == 0 for s in summaries):
        return None
    if kind == "csat":
        return csat(summaries[0])
    if kind == "nps":
        return nps(summaries[0])
    if kind == "ces":
        version = (
            question.ces_version if question is not None and question.ces_version else 2
        )
        return ces_score(summaries[0], version=version)
    return csi(summaries)


def _scores(
    definition: SurveyDefinition, summaries: dict[str, AnswerSummary]
) -> dict[str, ScoreResult | None]:
    out: dict[str, ScoreResult | None] = {}
    for kind, question_type in (
        ("csat", QuestionType.CSAT),
        ("nps", QuestionType.NPS),
        ("ces", QuestionType.CES),
    ):
        question = _first(definition, question_type)
        out[kind] = (
            _score(kind, summaries[question.code], question) if question else None
        )
    items = [
        summaries[q.code] for q in _csi_questions(definition) if q.code in summaries
    ]
    out["csi"] = _score("csi", items, None) if items else None
    return out


def _card(
    kind: str,
    label: str,
    unit: str,
    current: ScoreResult | None,
    previous: ScoreResult | None,
    min_n: int,
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "kind": kind,
        "label": label,
        "unit": unit,
        "result": current,
    }
    card["suppressed"] = current is not None and current.n < min_n
    if (
        current is not None
        and previous is not None
        and current.n >= min_n
        and previous.n >= min_n
    ):
        card["change"] = compare(current, previous)
    return card


@login_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """Headline scores, breakdowns, distributions and comments for one survey."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    survey = get_survey_for_user(user, slug)
    language = _language()
    min_n: int = settings.SATISFY_MIN_N
    units = units_for_user(user)
    requested_unit = request.GET.get("unit", "")
    if requested_unit and not (
        requested_unit.isdigit() and units.filter(pk=int(requested_unit)).exists()
    ):
        raise Http404("No such unit.")  # outside the scope looks like nonexistent
    # Bound even without a query string, so the defaults come from one place: clean().
    form = ResultsFilterForm(request.GET or {}, units=units)
    context: dict[str, Any] = {"survey": survey, "form": form, "min_n": min_n}
    if survey.current_version is None or not form.is_valid():
        return render(request, "reports/results.html", context)
    data = form.cleaned_data
    period = Period(data["start"], data["end"])
    unit: OrgUnit | None = data.get("unit")
    definition = version_definition(survey.current_version)
    responses = completed_responses(user=user, survey=survey, period=period, unit=unit)
    previous = completed_responses(
        user=user, survey=survey, period=period.previous(), unit=unit
    )
    summaries = question_summaries(definition=definition, responses=responses)
    before = question_summaries(definition=definition, responses=previous)
    now_scores, then_scores = (
        _scores(definition, summaries),
        _scores(definition, before),
    )
    labels = {
        "csi": ("CSI", "/100"),
        "csat": ("CSAT", "%"),
        "nps": ("NPS", ""),
        "ces": ("CES", "/7"),
    }
    cards = [
        _card(
            kind,
            labels[kind][0],
            labels[kind][1],
            now_scores[kind],
            then_scores[kind],
            min_n,
        )
        for kind in ("csi", "csat", "nps", "ces")
    ]
    questions = []
    for question in definition.questions():
        summary = summaries.get(question.code)
        if summary is None:
            continue
        dist = distribution(summary) if summary.n else None
        choice_labels = {
            c.value: translate(c.label, language)
            for c in question.choices
            if c.value is not None
        }
        rows = []
        if dist is not None:
            for point, count, share in zip(
                dist.points, dist.counts, dist.shares, strict=True
            ):
                rows.append(
                    {
                        "point": point,
                        "label": choice_labels.get(float(point), str(point)),
                        "count": count,
                        "pct": share * 100,
                    }
                )
        item = csi(summary) if summary.n else None
        questions.append(
            {
                "code": question.code,
                "text": translate(question.text, language),
                "dimension": question.dimension or "",
                "n": summary.n,
                "n_na": sum(c for _code, c in summary.na_counts),
                "score": item,
                "rows": rows,
                "suppressed": summary.n < min_n,
            }
        )
    # Breakdown by the next level down: the chosen unit's children, else the top of the scope.
    visible = list(units)
    visible_ids = {u.pk for u in visible}
    tops = (
        [unit]
        if unit is not None
        else [u for u in visible if u.parent_id not in visible_ids]
    )
    children = [c for top in tops for c in top.children.all().order_by("name")] or tops
    csat_q, nps_q = (
        _first(definition, QuestionType.CSAT),
        _first(definition, QuestionType.NPS),
    )
    codes = [q.code for q in (csat_q, nps_q) if q is not None]
    by_path = summaries_by_unit_path(
        definition=definition, responses=responses, codes=codes
    )
    breakdown = []
    for child in children:
        merged: dict[str, AnswerSummary] = {}
        for path, by_code in by_path.items():
            if path.startswith(child.path):
                for code, s in by_code.items():
                    merged[code] = merged[code] + s if code in merged else s
        row: dict[str, Any] = {"unit": child}
        row["csat"] = (
            _score("csat", merged[csat_q.code], csat_q)
            if csat_q and csat_q.code in merged
            else None
        )
        row["nps"] = (
            _score("nps", merged[nps_q.code], nps_q)
            if nps_q and nps_q.code in merged
            else None
        )
        row["n"] = max(
            (r.n for r in (row["csat"], row["nps"]) if r is not None), default=0
        )
        row["suppressed"] = row["n"] < min_n
        breakdown.append(row)
    context.update(
        {
            "period": period,
            "unit": unit,
            "n_responses": responses.count(),
            "cards": cards,
            "questions": questions,
            "breakdown": breakdown,
            "comments": latest_comments(definition=definition, responses=responses),
        }
    )
    return render(request, "reports/results.html", context)
