"""Reads behind the results pages: scoped answer histograms handed to the library.

Nothing here computes a score: histograms of answer codes come from one aggregate SQL
query and go to ``satisfy.analytics``, so a page and an export can never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.analytics import AnswerSummary, Scale
from satisfy.org.models import OrgUnit
from satisfy.responses.models import Answer, SurveyResponse
from satisfy.responses.queries import responses_for_user
from satisfy.surveys.definition import Question, QuestionType, SurveyDefinition
from satisfy.surveys.models import Survey

# Stored "not applicable" answers are counted under this code, outside every scale.
NA_CODE = -1.0

SCALE_TYPES = {
    QuestionType.RATING,
    QuestionType.SCALE,
    QuestionType.NPS,
    QuestionType.CSAT,
    QuestionType.CES,
    QuestionType.IMPORTANCE,
}


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1)
        )

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


def question_scale(question: Question) -> Scale | None:
    """The analytics scale of a closed, ordered question (None for other types)."""
    if question.type not in SCALE_TYPES or question.items:
        return None
    values = [c.value for c in question.choices if not c.is_na and c.value is not None]
    if not values:
        return None
    return Scale(
        int(min(values)),
        int(max(values)),
        reverse=question.reversed,
        na_codes=(NA_CODE,),
        name=question.code,
    )


def completed_responses(
    *,
    user: User,
    survey: Survey,
    period: Period,
    unit: OrgUnit | None = None,
) -> QuerySet[SurveyResponse]:
    """Complete responses the user may see, finished within the period (and unit)."""
    start, end = period.bounds()
    rows = responses_for_user(user, survey=survey).filter(
        status=SurveyResponse.Status.COMPLETE,
        completed_at__gte=start,
        completed_at__lt=end,
    )
    if unit is not None:
        rows = rows.filter(unit_path__startswith=unit.path)
    return rows


def question_summaries(
    *, definition: SurveyDefinition, responses: QuerySet[SurveyResponse]
) -> dict[str, AnswerSummary]:
    """One histogram per closed scale question, from a single aggregate query."""
    scales = {q.code: s for q in definition.questions() if (s := question_scale(q))}
    counts: dict[str, dict[float, int]] = defaultdict(dict)
    rows = (
        Answer.objects.filter(
            response__in=responses.values("pk"),
            question_code__in=list(scales),
            item_code="",
        )
        .values_list("question_code", "value", "is_na")
        .annotate(n=Count("id"))
        .order_by()
    )
    for code, value, is_na, n in rows:
        key = NA_CODE if is_na or value is None else float(value)
        counts[code][key] = counts[code].get(key, 0) + n
    summaries: dict[str, AnswerSummary] = {}
    for code, scale in scales.items():
        found = counts.get(code, {})
        points = [
            found.get(float(point), 0) for point in range(scale.low, scale.high + 1)
        ]
        na = {NA_CODE: found[NA_CODE]} if found.get(NA_CODE) else None
        summaries[code] = AnswerSummary.from_counts(points, scale=scale, na_counts=na)
    return summaries


def summaries_by_unit_path(
    *,
    definition: SurveyDefinition,
    responses: QuerySet[SurveyResponse],
    codes: list[str],
) -> dict[str, dict[str, AnswerSummary]]:
    """Histograms per response unit path for the given questions (one query)."""
    scales = {
        q.code: s
        for q in definition.questions()
        if q.code in codes and (s := question_scale(q))
    }
    rows = (
        Answer.objects.filter(
            response__in=responses.values("pk"),
            question_code__in=list(scales),
            item_code="",
        )
        .values_list("response__unit_path", "question_code", "value", "is_na")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, dict[float, int]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for path, code, value, is_na, n in rows:
        key = NA_CODE if is_na or value is None else float(value)
        bucket = counts[path][code]
        bucket[key] = bucket.get(key, 0) + n
    out: dict[str, dict[str, AnswerSummary]] = {}
    for path, by_code in counts.items():
        out[path] = {}
        for code, found in by_code.items():
            scale = scales[code]
            points = [found.get(float(p), 0) for p in range(scale.low, scale.high + 1)]
            na = {NA_CODE: found[NA_CODE]} if found.get(NA_CODE) else None
            out[path][code] = AnswerSummary.from_counts(
                points, scale=scale, na_counts=na
            )
    return out


def latest_comments(
    *,
    definition: SurveyDefinition,
    responses: QuerySet[SurveyResponse],
    limit: int = 20,
) -> list[Answer]:
    """The newest open-text answers."""
    codes = [q.code for q in definition.questions() if q.type == QuestionType.TEXT]
    return list(
        Answer.objects.filter(
            response__in=responses.values("pk"), question_code__in=codes
        )
        .exclude(text_value="")
        .select_related("response", "response__unit", "response__agent")
        .order_by("-response__completed_at")[:limit]
    )
