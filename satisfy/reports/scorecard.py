"""Organisation and agent scorecards: scores, shrinkage ranks, suppression, significance.

Each unit's score is the library's score of its subtree's merged summaries. Ranks come
from ``shrink_rank`` (empirical Bayes) among the units of the same kind, so a branch with
six answers is not ranked first on luck. Small cells are hidden with ``suppress``
(minimum n and complementary suppression within each set of siblings, whose parent
total is published). Each unit is compared with the *rest* of its parent (parent minus
the unit: independent samples).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings

from satisfy.accounts.models import User
from satisfy.analytics import AnswerSummary, ScoreResult, compare, shrink_rank, suppress
from satisfy.org.models import Agent, OrgUnit
from satisfy.org.queries import agents_for_user, units_for_user
from satisfy.reports.dashboard import first_question, score
from satisfy.reports.queries import Filters, Source, response_count, summaries
from satisfy.reports.rollups import Hist
from satisfy.surveys.definition import Question, QuestionType, SurveyDefinition
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

METRICS = {"csat": QuestionType.CSAT, "nps": QuestionType.NPS, "ces": QuestionType.CES}


@dataclass
class ScoreRow:
    """One unit or agent on a scorecard."""

    key: str
    name: str
    depth: int
    n: int
    result: ScoreResult | None
    rank: int | None
    rank_of: int
    estimate: float | None
    hidden: bool
    vs_parent: Any  # ComparisonResult | None
    obj: Any


def _merge(cells: list[dict[tuple[Any, ...], Hist]]) -> dict[tuple[Any, ...], Hist]:
    out: dict[tuple[Any, ...], Hist] = {}
    for cell in cells:
        for k, h in cell.items():
            out[k] = out[k] + h if k in out else h.copy()
    return out


def _metric_question(
    definition: SurveyDefinition, metric: str
) -> tuple[Question | None, str]:
    kind = metric if metric in METRICS else "csat"
    return first_question(definition, METRICS[kind]), kind


def _rank(
    rows: list[ScoreRow], sums: list[AnswerSummary | None], kind: str, min_n: int
) -> None:
    """Shrinkage ranks among rows with at least ``min_n`` answers, in place."""
    usable = [
        i
        for i, (r, s) in enumerate(zip(rows, sums, strict=True))
        if s is not None and r.result is not None and s.n >= min_n and not r.hidden
    ]
    if len(usable) < 2:
        return
    labels = [str(i) for i in usable]
    if kind == "csat":
        x = np.array([rows[i].result.value / 100 * sums[i].n for i in usable])  # type: ignore[union-attr]
        n = np.array([sums[i].n for i in usable])  # type: ignore[union-attr]
        ranking = shrink_rank(np.round(x), n, labels=labels)
        scale_back = 100.0
    else:
        means = []
        sds = []
        n_list = []
        for i in usable:
            s = sums[i]
            if s is None:
                continue
            pts = np.arange(s.scale.low, s.scale.high + 1, dtype=float)
            c = s.counts.astype(float)
            m = float((pts * c).sum() / c.sum())
            var = float(((pts - m) ** 2 * c).sum() / max(c.sum() - 1, 1))
            means.append(m)
            sds.append(max(var, 1e-9) ** 0.5)
            n_list.append(int(c.sum()))
        ranking = shrink_rank(
            np.array(means),
            np.array(n_list),
            labels=labels,
            method="normal",
            sd=np.array(sds),
        )
        scale_back = 1.0
    for unit in ranking.units:
        row = rows[int(unit.label)]
        row.rank = unit.rank
        row.rank_of = len(usable)
        row.estimate = unit.estimate * scale_back


def org_scorecard(
    *, user: User, survey: Survey, filters: Filters, metric: str = "csat"
) -> list[ScoreRow]:
    """Every visible unit (below the filter's unit) with its score, rank and test."""
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    min_n: int = settings.SATISFY_MIN_N
    question, kind = _metric_question(definition, metric)
    units = list(units_for_user(user).order_by("path"))
    if filters.unit is not None:
        units = [u for u in units if u.path.startswith(filters.unit.path)]
    source = Source(
        user,
        survey,
        Filters(
            filters.period,
            None,
            filters.agent,
            filters.channel,
            filters.queue,
            filters.segment,
            filters.language,
            filters.wave_id,
        ),
    )
    by_path: dict[str, dict[tuple[Any, ...], Hist]] = defaultdict(dict)
    for key, hist in source.histograms(by=("unit_path",)).items():
        by_path[key[0]][key[1:]] = hist
    subtree: dict[int, dict[tuple[Any, ...], Hist]] = {}
    for u in units:
        subtree[u.pk] = _merge([h for p, h in by_path.items() if p.startswith(u.path)])
    top_depth = min((u.path.count("/") for u in units), default=0)
    rows: list[ScoreRow] = []
    unit_sums: list[AnswerSummary | None] = []
    for u in units:
        sums = summaries(definition, subtree[u.pk])
        s = sums.get(question.code) if question else None
        result = score(kind, s, question) if s is not None else None
        rows.append(
            ScoreRow(
                key=u.code,
                name=u.name,
                depth=u.path.count("/") - top_depth,
                n=s.n if s is not None else 0,
                result=result,
                rank=None,
                rank_of=0,
                estimate=None,
                hidden=False,
                vs_parent=None,
                obj=u,
            )
        )
        unit_sums.append(s)
    index = {u.pk: i for i, u in enumerate(units)}
    # suppression among siblings (the parent's total is published)
    siblings: dict[int | None, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        siblings[u.parent_id if u.parent_id in index else None].append(i)
    for group in siblings.values():
        counts = [rows[i].n for i in group]
        hidden = suppress(counts, min_n=min_n).hidden
        for i, h in zip(group, hidden, strict=True):
            rows[i].hidden = bool(h)
    # significance against the rest of the parent
    for i, u in enumerate(units):
        p = index.get(u.parent_id) if u.parent_id is not None else None
        s = unit_sums[i]
        if p is None or s is None or rows[i].hidden or rows[i].result is None:
            continue
        ps = unit_sums[p]
        if ps is None:
            continue
        rest = ps - s
        if s.n >= min_n and rest.n >= min_n:
            rest_score = score(kind, rest, question)
            if rest_score is not None:
                rows[i].vs_parent = compare(rows[i].result, rest_score)
    # shrinkage ranks among units of the same kind
    by_kind: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by_kind[u.kind].append(i)
    for group in by_kind.values():
        sub = [rows[i] for i in group]
        _rank(sub, [unit_sums[i] for i in group], kind, min_n)
    return rows


def agent_scorecard(
    *, user: User, survey: Survey, filters: Filters, metric: str = "csat"
) -> tuple[list[ScoreRow], ScoreResult | None]:
    """Agents the user may see with scores and shrinkage ranks, plus the team total."""
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    min_n: int = settings.SATISFY_MIN_N
    question, kind = _metric_question(definition, metric)
    agents = agents_for_user(user)
    if filters.unit is not None:
        agents = agents.filter(unit__path__startswith=filters.unit.path)
    agent_list: list[Agent] = list(agents.order_by("name"))
    source = Source(user, survey, filters)
    by_agent: dict[int, dict[tuple[Any, ...], Hist]] = defaultdict(dict)
    for key, hist in source.histograms(by=("agent_key",)).items():
        by_agent[int(key[0] or 0)][key[1:]] = hist
    rows: list[ScoreRow] = []
    sums_list: list[AnswerSummary | None] = []
    for a in agent_list:
        sums = summaries(definition, by_agent.get(a.pk, {}))
        s = sums.get(question.code) if question else None
        n = response_count(by_agent.get(a.pk, {}))
        result = score(kind, s, question) if s is not None else None
        rows.append(
            ScoreRow(
                key=a.code,
                name=a.name,
                depth=0,
                n=s.n if s is not None else n,
                result=result,
                rank=None,
                rank_of=0,
                estimate=None,
                hidden=s is not None and 0 < s.n < min_n,
                vs_parent=None,
                obj=a,
            )
        )
        sums_list.append(s)
    total_sum = [s for s in sums_list if s is not None]
    total = (
        score(kind, sum(total_sum[1:], total_sum[0]), question) if total_sum else None
    )
    _rank(rows, sums_list, kind, min_n)
    # each agent against the rest of the agents shown
    if total_sum:
        everything = sum(total_sum[1:], total_sum[0])
        for row, s in zip(rows, sums_list, strict=True):
            if s is None or row.hidden or row.result is None or s.n < min_n:
                continue
            rest = everything - s
            if rest.n >= min_n:
                other = score(kind, rest, question)
                if other is not None:
                    row.vs_parent = compare(row.result, other)
    return rows, total


def unit_for_rows(rows: list[ScoreRow]) -> list[OrgUnit]:
    return [r.obj for r in rows if isinstance(r.obj, OrgUnit)]
