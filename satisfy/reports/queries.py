"""Reads behind the results pages: scoped histograms handed to the library.

Nothing here computes a score. Histograms of answer codes come from the rollups (one
``SUM … GROUP BY``) or, for filters the rollups cannot serve (queue, customer segment,
language, wave), from one aggregate query over the raw answers; both give the same
``AnswerSummary`` to ``satisfy.analytics``, so a page, the API and an export can never
disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from satisfy.accounts.models import User
from satisfy.accounts.queries import Scope, scope_for_user
from satisfy.analytics import AnswerSummary, Scale
from satisfy.org.models import Agent, OrgUnit
from satisfy.reports.models import RESPONSES
from satisfy.reports.rollups import (
    NA_SLOT,
    OTHER_SLOT,
    WIDTH,
    Hist,
    RollupQuery,
    read_histograms,
    slot,
)
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


@dataclass(frozen=True, slots=True)
class Filters:
    """Everything a dashboard, report or export can be narrowed by."""

    period: Period
    unit: OrgUnit | None = None
    agent: Agent | None = None
    channel: str = ""
    queue: str = ""
    segment: str = ""
    language: str = ""
    wave_id: int | None = None

    @property
    def needs_raw(self) -> bool:
        """Filters the rollups do not carry: read the raw answers (one aggregate query)."""
        return bool(self.queue or self.segment or self.language or self.wave_id)

    def with_period(self, period: Period) -> Filters:
        return Filters(
            period,
            self.unit,
            self.agent,
            self.channel,
            self.queue,
            self.segment,
            self.language,
            self.wave_id,
        )

    def as_query(self) -> dict[str, str]:
        """The filters as URL parameters (for drill-down links and exports)."""
        out = {
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
        }
        if self.unit is not None:
            out["unit"] = str(self.unit.pk)
        if self.agent is not None:
            out["agent"] = str(self.agent.pk)
        for name in ("channel", "queue", "segment", "language"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.wave_id:
            out["wave"] = str(self.wave_id)
        return out


def scale_of(question: Question) -> Scale | None:
    """The analytics scale of a closed, ordered question or matrix (None otherwise)."""
    if question.type not in SCALE_TYPES:
        return None
    values = [c.value for c in question.choices if not c.is_na and c.value is not None]
    if not values:
        if question.min_value is None or question.max_value is None:
            return None
        values = [question.min_value, question.max_value]
    return Scale(
        int(min(values)),
        int(max(values)),
        reverse=question.reversed,
        na_codes=(NA_CODE,),
        name=question.code,
    )


def summary_from_hist(hist: Hist | None, scale: Scale) -> AnswerSummary:
    """The library summary of one histogram row (c0..c10, n_na)."""
    if hist is None:
        return AnswerSummary.empty(scale)
    counts = [
        int(hist[p]) if 0 <= p <= 10 else 0 for p in range(scale.low, scale.high + 1)
    ]
    na = {NA_CODE: int(hist[NA_SLOT])} if hist[NA_SLOT] else None
    return AnswerSummary.from_counts(counts, scale=scale, na_counts=na)


def series_key(code: str, item: str = "", part: str = "") -> str:
    """``code``, ``code.item`` or ``code.item.part``: one summary per series."""
    return ".".join(x for x in (code, item, part) if x) if item or part else code


def scope_rollup_q(scope: Scope) -> Q:
    q = scope.unit_q("unit_path")
    if scope.agent_ids:
        q |= Q(agent_key__in=scope.agent_ids)
    return q


def completed_responses(
    *,
    user: User,
    survey: Survey,
    period: Period,
    unit: OrgUnit | None = None,
    filters: Filters | None = None,
) -> QuerySet[SurveyResponse]:
    """Complete responses the user may see, finished within the period (and filters)."""
    start, end = period.bounds()
    rows = responses_for_user(user, survey=survey).filter(
        status=SurveyResponse.Status.COMPLETE,
        completed_at__gte=start,
        completed_at__lt=end,
    )
    if filters is not None:
        unit = unit or filters.unit
        if filters.agent is not None:
            rows = rows.filter(agent=filters.agent)
        if filters.channel:
            rows = rows.filter(channel=filters.channel)
        if filters.queue:
            rows = rows.filter(queue=filters.queue)
        if filters.segment:
            rows = rows.filter(customer_segment=filters.segment)
        if filters.language:
            rows = rows.filter(language=filters.language)
        if filters.wave_id:
            rows = rows.filter(invitation__wave_id=filters.wave_id)
    if unit is not None:
        rows = rows.filter(unit_path__startswith=unit.path)
    return rows


RAW_BY = {
    "unit_path": "response__unit_path",
    "agent_key": "response__agent_id",
    "channel": "response__channel",
}
RAW_PERIOD = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth}


def raw_histograms(
    responses: QuerySet[SurveyResponse],
    *,
    by: Sequence[str] = (),
    period: str = "day",
) -> dict[tuple[Any, ...], Hist]:
    """The same histograms as the rollups, from one aggregate query over the answers."""
    rows = Answer.objects.filter(response__in=responses.values("pk")).filter(
        Q(value__isnull=False) | Q(is_na=True)
    )
    names: list[str] = []
    for name in by:
        if name == "period":
            rows = rows.annotate(bucket=RAW_PERIOD[period]("response__completed_at"))
            names.append("bucket")
        else:
            names.append(RAW_BY[name])
    out: dict[tuple[Any, ...], Hist] = defaultdict(
        lambda: np.zeros(WIDTH, dtype=np.int64)
    )
    values = (
        rows.values_list(*names, "question_code", "item_code", "part", "value", "is_na")
        .annotate(n=Count("id"))
        .order_by()
    )
    width = len(names)
    for row in values:
        *groups, code, item, part, value, is_na, n = row
        where = slot(value, is_na)
        if where is None:
            continue
        key = (*(_as_day(g) for g in groups[:width]), code, item, part)
        out[key][where] += n
    # complete responses per group
    resp = responses.order_by()
    rnames: list[str] = []
    for name in by:
        if name == "period":
            resp = resp.annotate(bucket=RAW_PERIOD[period]("completed_at"))
            rnames.append("bucket")
        else:
            rnames.append(RAW_BY[name].removeprefix("response__"))
    if not rnames:
        total = resp.count()
        if total:
            out[(RESPONSES, "", "")][0] += total
        return dict(out)
    for row in resp.values_list(*rnames).annotate(n=Count("id")).order_by():
        *groups, n = row
        out[(*(_as_day(g) for g in groups), RESPONSES, "", "")][0] += n
    return dict(out)


def _as_day(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


@dataclass
class Source:
    """Where one user's filtered histograms come from (rollups, else raw answers)."""

    user: User
    survey: Survey
    filters: Filters
    force_raw: bool = False  # benchmarks: compute from the raw answers regardless
    scope: Scope = field(init=False)
    used_raw: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.scope = scope_for_user(self.user)

    def _query(self, period: Period) -> RollupQuery:
        f = self.filters
        return RollupQuery(
            version_ids=tuple(self.survey.versions.values_list("pk", flat=True)),
            start=period.start,
            end=period.end,
            scope_q=scope_rollup_q(self.scope),
            unit_path=f.unit.path if f.unit is not None else "",
            agent_ids=(f.agent.pk,) if f.agent is not None else (),
            channels=(f.channel,) if f.channel else (),
            needs_detail=bool(self.scope.agent_ids),
        )

    def responses(self, period: Period | None = None) -> QuerySet[SurveyResponse]:
        return completed_responses(
            user=self.user,
            survey=self.survey,
            period=period or self.filters.period,
            filters=self.filters,
        )

    def histograms(
        self, *, by: Sequence[str] = (), period: str = "day", when: Period | None = None
    ) -> dict[tuple[Any, ...], Hist]:
        """Histograms keyed ``(*by, question, item, part)`` for the filters."""
        span = when or self.filters.period
        if self.scope.sees_nothing:
            return {}
        if not self.filters.needs_raw and not self.force_raw:
            found = read_histograms(self._query(span), by=by, period=period)
            if not any(h[OTHER_SLOT] for h in found.values()):
                return found
        self.used_raw = True
        return raw_histograms(self.responses(span), by=by, period=period)


def summaries(
    definition: SurveyDefinition, hists: dict[tuple[Any, ...], Hist]
) -> dict[str, AnswerSummary]:
    """Per-series summaries from ungrouped histograms (keys ``(question, item, part)``)."""
    out: dict[str, AnswerSummary] = {}
    for question in definition.questions():
        scale = scale_of(question)
        if scale is None:
            continue
        if not question.items:
            out[question.code] = summary_from_hist(
                hists.get((question.code, "", "")), scale
            )
        for item in question.items:
            for (code, item_code, part), hist in hists.items():
                if code == question.code and item_code == item.code:
                    out[series_key(code, item_code, part)] = summary_from_hist(
                        hist, scale
                    )
    return out


def response_count(hists: dict[tuple[Any, ...], Hist]) -> int:
    hist = hists.get((RESPONSES, "", ""))
    return 0 if hist is None else int(hist[0])


def comments(
    *,
    definition: SurveyDefinition,
    responses: QuerySet[SurveyResponse],
    search: str = "",
    question: str = "",
    limit: int = 20,
) -> list[Answer]:
    """The newest open-text answers, optionally containing ``search``."""
    codes = [q.code for q in definition.questions() if q.type == QuestionType.TEXT]
    if question:
        codes = [c for c in codes if c == question]
    if not codes:
        return []
    if search:
        # a search narrows the answers a lot: one query, sorted by the database
        return list(
            Answer.objects.filter(
                response__in=responses.values("pk"),
                question_code__in=codes,
                text_value__icontains=search,
            )
            .select_related("response", "response__unit", "response__agent")
            .order_by("-response__completed_at", "-pk")[:limit]
        )
    # Walk the responses newest first (the completed_at index) in batches and look up
    # their comments, instead of joining every answer of the period and sorting it.
    found: list[Answer] = []
    newest = responses.order_by("-completed_at", "-pk").values_list("pk", flat=True)
    batch = 500
    for start in range(0, 1_000_000_000, batch):
        ids = list(newest[start : start + batch])
        if not ids:
            break
        rows = Answer.objects.filter(
            response_id__in=ids, question_code__in=codes
        ).exclude(text_value="")
        order = {rid: i for i, rid in enumerate(ids)}
        got = sorted(
            rows.select_related("response", "response__unit", "response__agent"),
            key=lambda a: (order[a.response_id], -a.pk),
        )
        found.extend(got)
        if len(found) >= limit:
            break
    return found[:limit]


# kept for callers of the first results page
latest_comments = comments
