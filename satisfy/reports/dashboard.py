"""One survey's dashboard, computed once and shown as a page, JSON or an export.

:func:`build_dashboard` reads scoped histograms (rollups, else one aggregate query over
the raw answers) and hands them to ``satisfy.analytics``; the page, ``/api/v1`` and the
XLSX/PDF/DOCX exports all render the :class:`Dashboard` it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from satisfy.accounts.models import User
from satisfy.analytics import (
    AnswerSummary,
    ComparisonResult,
    ScoreResult,
    compare,
    csat,
    csi,
    distribution,
    nps,
)
from satisfy.analytics import ces as ces_score
from satisfy.distribution.queries import FunnelRow, funnel, invitations_for_user
from satisfy.org.models import OrgUnit
from satisfy.org.queries import units_for_user
from satisfy.reports.charts import Series, bar_chart_svg, line_chart_svg
from satisfy.reports.queries import (
    Filters,
    Source,
    comments,
    response_count,
    series_key,
    summaries,
)
from satisfy.reports.rollups import Hist
from satisfy.surveys.definition import (
    Question,
    QuestionType,
    SurveyDefinition,
    translate,
)
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

CSI_DIMENSIONS = {"overall", "access", "resolution", "treatment", "quality", "value"}
KINDS = ("csi", "csat", "nps", "ces")
LABELS = {
    "csi": ("CSI", "/100"),
    "csat": ("CSAT", "%"),
    "nps": ("NPS", ""),
    "ces": ("CES", ""),
}


def ui_language() -> str:
    code = get_language() or "en"
    return "zh-Hans" if code.lower().startswith("zh") else code.split("-")[0]


def first_question(definition: SurveyDefinition, kind: QuestionType) -> Question | None:
    found = [q for q in definition.questions() if q.type == kind and not q.items]
    overall = [q for q in found if q.dimension == "overall"]
    candidates = overall or found
    return candidates[0] if candidates else None


def csi_questions(definition: SurveyDefinition) -> list[Question]:
    return [
        q
        for q in definition.questions()
        if q.type in {QuestionType.CSAT, QuestionType.SCALE, QuestionType.RATING}
        and not q.items
        and (q.dimension or "") in CSI_DIMENSIONS
    ]


def score(
    kind: str, data: AnswerSummary | list[AnswerSummary], question: Question | None
) -> ScoreResult | None:
    """The library's score of one kind, or None when there is nothing to score."""
    items = data if isinstance(data, list) else [data]
    items = [s for s in items if s.n > 0]
    if not items:
        return None
    if kind == "csat":
        return csat(items[0])
    if kind == "nps":
        return nps(items[0])
    if kind == "ces":
        version = question.ces_version if question and question.ces_version else 2
        return ces_score(items[0], version=version)
    if kind == "mean":
        return csi(items[0])
    return csi(items)


def headline_scores(
    definition: SurveyDefinition, sums: dict[str, AnswerSummary]
) -> dict[str, ScoreResult | None]:
    """CSI, CSAT, NPS and CES of one set of summaries."""
    out: dict[str, ScoreResult | None] = {}
    for kind, qtype in (
        ("csat", QuestionType.CSAT),
        ("nps", QuestionType.NPS),
        ("ces", QuestionType.CES),
    ):
        q = first_question(definition, qtype)
        out[kind] = score(kind, sums[q.code], q) if q and q.code in sums else None
    items = [sums[q.code] for q in csi_questions(definition) if q.code in sums]
    out["csi"] = score("csi", items, None) if items else None
    return out


@dataclass
class Card:
    kind: str
    label: str
    unit: str
    result: ScoreResult | None
    previous: ScoreResult | None
    change: ComparisonResult | None
    suppressed: bool


@dataclass
class Dashboard:
    """Everything one dashboard shows; plain data for templates, JSON and exports."""

    survey: Survey
    definition: SurveyDefinition
    filters: Filters
    min_n: int
    n_responses: int
    cards: list[Card]
    trend: list[dict[str, Any]]
    trend_period: str
    dimensions: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    breakdown: list[dict[str, Any]]
    funnel: FunnelRow | None
    comments: list[Any]
    source: str
    summaries: dict[str, AnswerSummary] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return self.n_responses == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON for the API (the same numbers as the page)."""

        def res(r: ScoreResult | None) -> dict[str, Any] | None:
            return None if r is None else r.to_dict()

        return {
            "survey": self.survey.slug,
            "period": {
                "start": self.filters.period.start.isoformat(),
                "end": self.filters.period.end.isoformat(),
            },
            "filters": self.filters.as_query(),
            "min_n": self.min_n,
            "n_responses": self.n_responses,
            "source": self.source,
            "cards": [
                {
                    "kind": c.kind,
                    "suppressed": c.suppressed,
                    "result": None if c.suppressed else res(c.result),
                    "n": c.result.n if c.result else 0,
                    "change": None
                    if c.change is None or c.suppressed
                    else c.change.to_dict(),
                }
                for c in self.cards
            ],
            "trend": [
                {
                    "period": row["period"].isoformat(),
                    "n": row["n"],
                    **{k: (None if row[k] is None else row[k].value) for k in KINDS},
                }
                for row in self.trend
            ],
            "dimensions": [
                {
                    "dimension": d["dimension"],
                    "n": d["n"],
                    "score": None if d["suppressed"] else res(d["score"]),
                }
                for d in self.dimensions
            ],
            "questions": [
                {
                    "code": q["code"],
                    "n": q["n"],
                    "n_na": q["n_na"],
                    "suppressed": q["suppressed"],
                    "score": None if q["suppressed"] else res(q["score"]),
                    "distribution": []
                    if q["suppressed"]
                    else [
                        {"value": r["point"], "count": r["count"], "share": r["share"]}
                        for r in q["rows"]
                    ],
                }
                for q in self.questions
            ],
            "breakdown": [
                {
                    "unit": row["unit"].code,
                    "name": row["unit"].name,
                    "n": row["n"],
                    "suppressed": row["suppressed"],
                    **{
                        k: (None if row["suppressed"] else res(row[k]))
                        for k in ("csat", "nps", "csi")
                    },
                }
                for row in self.breakdown
            ],
            "funnel": None
            if self.funnel is None
            else {
                "invited": self.funnel.invited,
                "sent": self.funnel.sent,
                "reached": self.funnel.reached,
                "started": self.funnel.started,
                "completed": self.funnel.completed,
                "response_rate": self.funnel.response_rate,
                "completion_rate": self.funnel.completion_rate,
            },
        }


def collapse(
    grid: dict[tuple[Any, ...], Hist], keep: tuple[int, ...]
) -> dict[tuple[Any, ...], Hist]:
    """Sum grouped histograms down to the group positions in ``keep`` (plus the cell)."""
    out: dict[tuple[Any, ...], Hist] = {}
    width = 2  # groups in the grid key: unit path, period
    for key, hist in grid.items():
        short = (*(key[i] for i in keep), *key[width:])
        out[short] = out[short] + hist if short in out else hist.copy()
    return out


def _trend_period(filters: Filters, requested: str) -> str:
    if requested in {"week", "month"}:
        return requested
    return "week" if filters.period.days <= 120 else "month"


def build_dashboard(
    *,
    user: User,
    survey: Survey,
    filters: Filters,
    trend: str = "auto",
    comment_search: str = "",
    with_comments: bool = True,
    with_funnel: bool = True,
    force_raw: bool = False,
) -> Dashboard:
    """Compute the dashboard of one survey for one user and set of filters."""
    version = survey.current_version
    if version is None:
        raise ValueError(f"survey {survey.slug!r} has no published version")
    definition = version_definition(version)
    language = ui_language()
    min_n: int = settings.SATISFY_MIN_N
    source = Source(user, survey, filters, force_raw=force_raw)

    # One grouped read (unit path × trend period) serves the cards, the trend and the
    # unit breakdown; the previous period is a second read.
    period = _trend_period(filters, trend)
    grid = source.histograms(by=("unit_path", "period"), period=period)
    now_h = collapse(grid, ())
    before_h = source.histograms(when=filters.period.previous())
    sums = summaries(definition, now_h)
    before = summaries(definition, before_h)
    now_scores = headline_scores(definition, sums)
    then_scores = headline_scores(definition, before)
    cards = []
    for kind in KINDS:
        cur, prev = now_scores[kind], then_scores[kind]
        change = None
        if cur is not None and prev is not None and cur.n >= min_n and prev.n >= min_n:
            change = compare(cur, prev)
        cards.append(
            Card(
                kind=kind,
                label=LABELS[kind][0],
                unit=LABELS[kind][1],
                result=cur,
                previous=prev,
                change=change,
                suppressed=cur is not None and cur.n < min_n,
            )
        )

    # Trend by week or month: one grouped query.
    grouped = collapse(grid, (1,))
    buckets: dict[date, dict[tuple[Any, ...], Any]] = {}
    for key, hist in grouped.items():
        buckets.setdefault(key[0], {})[key[1:]] = hist
    trend_rows = []
    for bucket in sorted(buckets):
        h = buckets[bucket]
        scores = headline_scores(definition, summaries(definition, h))
        n = response_count(h)
        trend_rows.append(
            {
                "period": bucket,
                "n": n,
                **{
                    k: (v if v is not None and v.n >= min_n else None)
                    for k, v in scores.items()
                },
            }
        )

    # Dimensions (ART and friends): each CSI item's 0–100 score.
    dimensions = []
    for q in csi_questions(definition):
        s = sums.get(q.code)
        if s is None:
            continue
        result = score("mean", s, q)
        dimensions.append(
            {
                "dimension": q.dimension or q.code,
                "code": q.code,
                "text": translate(q.text, language),
                "n": s.n,
                "score": result,
                "suppressed": s.n < min_n,
            }
        )

    # Every closed question's full distribution (matrix items too).
    questions = []
    for q in definition.questions():
        series = (
            [(q.code, "")]
            if not q.items
            else [
                (series_key(q.code, item.code), translate(item.label, language))
                for item in q.items
            ]
        )
        labels = {
            c.value: translate(c.label, language)
            for c in q.choices
            if c.value is not None and not c.is_na
        }
        for skey, item_label in series:
            s = sums.get(skey)
            if s is None:
                continue
            rows = []
            if s.n:
                dist = distribution(s)
                for point, count, share in zip(
                    dist.points, dist.counts, dist.shares, strict=True
                ):
                    rows.append(
                        {
                            "point": float(point),
                            "label": labels.get(float(point), str(int(point))),
                            "count": int(count),
                            "share": float(share),
                            "pct": float(share) * 100,
                        }
                    )
            questions.append(
                {
                    "code": skey,
                    "question_code": q.code,
                    "text": translate(q.text, language)
                    + (f" — {item_label}" if item_label else ""),
                    "dimension": q.dimension or "",
                    "n": s.n,
                    "n_na": s.n_na,
                    "score": csi(s) if s.n else None,
                    "rows": rows,
                    "suppressed": 0 < s.n < min_n,
                }
            )

    breakdown = unit_breakdown(
        user=user,
        definition=definition,
        source=source,
        unit=filters.unit,
        min_n=min_n,
        by_path=collapse(grid, (0,)),
    )

    funnel_row = None
    if with_funnel:
        start, end = filters.period.bounds()
        invitations = invitations_for_user(user).filter(
            survey=survey, created_at__gte=start, created_at__lt=end
        )
        if filters.unit is not None:
            invitations = invitations.filter(unit__path__startswith=filters.unit.path)
        if filters.agent is not None:
            invitations = invitations.filter(agent=filters.agent)
        if filters.wave_id:
            invitations = invitations.filter(wave_id=filters.wave_id)
        found = funnel(invitations)
        funnel_row = found[0] if found and found[0].invited else None

    found_comments = (
        comments(
            definition=definition,
            responses=source.responses(),
            search=comment_search,
        )
        if with_comments
        else []
    )

    dash = Dashboard(
        survey=survey,
        definition=definition,
        filters=filters,
        min_n=min_n,
        n_responses=response_count(now_h),
        cards=cards,
        trend=trend_rows,
        trend_period=period,
        dimensions=dimensions,
        questions=questions,
        breakdown=breakdown,
        funnel=funnel_row,
        comments=found_comments,
        source="answers" if source.used_raw else "rollups",
        summaries=sums,
    )
    dash.charts = charts_for(dash)
    return dash


def unit_breakdown(
    *,
    user: User,
    definition: SurveyDefinition,
    source: Source,
    unit: OrgUnit | None,
    min_n: int,
    by_path: dict[tuple[Any, ...], Hist] | None = None,
) -> list[dict[str, Any]]:
    """Scores of the next level down: the chosen unit's children, else the scope's tops."""
    units = list(units_for_user(user))
    visible_ids = {u.pk for u in units}
    tops = (
        [unit]
        if unit is not None
        else [u for u in units if u.parent_id not in visible_ids]
    )
    children = [c for top in tops for c in top.children.all().order_by("name")] or tops
    if not children:
        return []
    if by_path is None:
        by_path = source.histograms(by=("unit_path",))
    merged: dict[int, dict[tuple[Any, ...], Any]] = {}
    for key, hist in by_path.items():
        path = key[0]
        for child in children:
            if path.startswith(child.path):
                cell = merged.setdefault(child.pk, {})
                if key[1:] in cell:
                    cell[key[1:]] = cell[key[1:]] + hist
                else:
                    cell[key[1:]] = hist
    rows = []
    for child in children:
        h = merged.get(child.pk, {})
        scores = headline_scores(definition, summaries(definition, h))
        n = response_count(h)
        rows.append(
            {
                "unit": child,
                "n": n,
                "csat": scores["csat"],
                "nps": scores["nps"],
                "csi": scores["csi"],
                "ces": scores["ces"],
                "suppressed": 0 < n < min_n,
            }
        )
    return rows


def charts_for(dash: Dashboard) -> dict[str, str]:
    """SVG trend and dimension charts."""
    out: dict[str, str] = {}
    if dash.trend:
        fmt = "%Y-%m" if dash.trend_period == "month" else "%m-%d"
        labels = [row["period"].strftime(fmt) for row in dash.trend]
        series = [
            Series(
                LABELS[k][0],
                tuple(None if r[k] is None else r[k].value for r in dash.trend),
            )
            for k in ("csi", "csat")
            if any(r[k] is not None for r in dash.trend)
        ]
        if series:
            out["trend"] = line_chart_svg(
                labels, series, title=_("CSI and CSAT over time"), low=0, high=100
            )
        nps_series = [
            Series(
                "NPS",
                tuple(None if r["nps"] is None else r["nps"].value for r in dash.trend),
            )
        ]
        if any(v is not None for v in nps_series[0].values):
            out["trend_nps"] = line_chart_svg(
                labels, nps_series, title=_("NPS over time"), low=-100, high=100
            )
    if dash.dimensions:
        out["dimensions"] = bar_chart_svg(
            [d["dimension"] for d in dash.dimensions],
            [
                None if d["suppressed"] or d["score"] is None else d["score"].value
                for d in dash.dimensions
            ],
            title=_("Score by dimension (0–100)"),
        )
    return out
