"""Report pages beyond the dashboard: waves, templates, averages, response rates, drivers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satisfy.accounts.models import User
from satisfy.analytics import (
    AnswerSummary,
    ScoreResult,
    compare,
    csi,
    describe_drivers,
    driver_chart_svg,
    ipa_chart_svg,
    ipa_from_data,
    mean_score,
    quadrant_names,
)
from satisfy.distribution.models import Wave
from satisfy.distribution.queries import FunnelRow, funnel, invitations_for_user
from satisfy.reports.dashboard import KINDS, headline_scores, ui_language
from satisfy.reports.queries import Filters, Source, summaries
from satisfy.responses.models import Answer
from satisfy.surveys.definition import SurveyDefinition, translate
from satisfy.surveys.models import Survey
from satisfy.surveys.queries import surveys_for_user
from satisfy.surveys.services import version_definition


def series_labels(definition: SurveyDefinition) -> dict[str, str]:
    language = ui_language()
    out: dict[str, str] = {}
    for q in definition.questions():
        out[q.code] = translate(q.text, language)
        for item in q.items:
            out[f"{q.code}.{item.code}"] = (
                f"{translate(q.text, language)} — {translate(item.label, language)}"
            )
    return out


@dataclass
class CompareRow:
    code: str
    label: str
    a: ScoreResult | None
    b: ScoreResult | None
    change: Any
    hidden: bool


def _score_row(
    code: str, label: str, a: ScoreResult | None, b: ScoreResult | None, min_n: int
) -> CompareRow:
    hidden = (a is not None and a.n < min_n) or (b is not None and b.n < min_n)
    change = None
    if a is not None and b is not None and not hidden:
        change = compare(b, a)
    return CompareRow(code, label, a, b, change, hidden)


def wave_comparison(
    *, user: User, survey: Survey, filters: Filters, wave_a: Wave, wave_b: Wave
) -> list[CompareRow]:
    """Every index and question of wave B against wave A: change, interval, test."""
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    min_n: int = settings.SATISFY_MIN_N
    out_sums = []
    for wave in (wave_a, wave_b):
        f = Filters(
            filters.period,
            filters.unit,
            filters.agent,
            filters.channel,
            filters.queue,
            filters.segment,
            filters.language,
            wave.pk,
        )
        out_sums.append(summaries(definition, Source(user, survey, f).histograms()))
    rows: list[CompareRow] = []
    ha, hb = (headline_scores(definition, s) for s in out_sums)
    for kind in KINDS:
        rows.append(_score_row(kind, kind.upper(), ha[kind], hb[kind], min_n))
    labels = series_labels(definition)
    for code in out_sums[0]:
        sa, sb = out_sums[0][code], out_sums[1].get(code)
        a = csi(sa) if sa.n else None
        b = csi(sb) if sb is not None and sb.n else None
        rows.append(_score_row(code, labels.get(code, code), a, b, min_n))
    return rows


def template_analysis(
    *, user: User, survey: Survey, filters: Filters
) -> tuple[list[Survey], list[dict[str, Any]]]:
    """Surveys built from the same template side by side (item scores 0–100)."""
    if not survey.template_code:
        return [survey], []
    siblings = list(
        surveys_for_user(user)
        .filter(template_code=survey.template_code, current_version__isnull=False)
        .order_by("slug")
    )
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    min_n: int = settings.SATISFY_MIN_N
    per_survey: list[dict[str, AnswerSummary]] = []
    for s in siblings:
        d = version_definition(s.current_version)  # type: ignore[arg-type]
        per_survey.append(summaries(d, Source(user, s, filters).histograms()))
    labels = series_labels(definition)
    rows = []
    for code in labels:
        cells: list[dict[str, Any]] = []
        for sums in per_survey:
            found = sums.get(code)
            if found is None or found.n == 0:
                cells.append({"n": 0, "score": None, "hidden": False})
            else:
                cells.append(
                    {"n": found.n, "score": csi(found), "hidden": found.n < min_n}
                )
        if any(c["n"] for c in cells):
            rows.append({"code": code, "label": labels[code], "cells": cells})
    return siblings, rows


DEFAULT_CUTOFFS: list[tuple[str, float]] = [
    ("A", 85.0),
    ("B", 70.0),
    ("C", 55.0),
    ("D", 0.0),
]


def grade(value: float, cutoffs: list[tuple[str, float]]) -> str:
    """The first grade whose lowest score the value reaches (cut-offs best first)."""
    for name, lowest in cutoffs:
        if value >= lowest:
            return name
    return cutoffs[-1][0] if cutoffs else ""


def average_scores(
    *,
    user: User,
    survey: Survey,
    filters: Filters,
    cutoffs: list[tuple[str, float]] | None = None,
) -> list[dict[str, Any]]:
    """Item means (scale units and 0–100) with a grade from configurable cut-offs."""
    cuts = cutoffs or DEFAULT_CUTOFFS
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    min_n: int = settings.SATISFY_MIN_N
    sums = summaries(definition, Source(user, survey, filters).histograms())
    labels = series_labels(definition)
    rows = []
    for code, s in sums.items():
        if s.n == 0:
            continue
        hidden = s.n < min_n
        item = csi(s)
        rows.append(
            {
                "code": code,
                "label": labels.get(code, code),
                "n": s.n,
                "mean": mean_score(s),
                "score": item,
                "grade": "" if hidden else grade(item.value, cuts),
                "hidden": hidden,
                "scale": f"{s.scale.low}–{s.scale.high}",
            }
        )
    return rows


def response_rates(
    *, user: User, survey: Survey, filters: Filters, by: str = "unit"
) -> tuple[FunnelRow | None, list[FunnelRow]]:
    """Invitation funnel and response rate overall and by unit/channel/wave/agent."""
    start, end = filters.period.bounds()
    invitations = invitations_for_user(user).filter(
        survey=survey, created_at__gte=start, created_at__lt=end
    )
    if filters.unit is not None:
        invitations = invitations.filter(unit__path__startswith=filters.unit.path)
    total = funnel(invitations)
    return (total[0] if total and total[0].invited else None), funnel(
        invitations, by=by
    )


DRIVERS = ("access", "resolution", "treatment")


def driver_names() -> dict[str, str]:
    """Short names of the post-contact drivers (ART) in the active language."""
    return {
        "access": _("Access"),
        "resolution": _("Resolution"),
        "treatment": _("Treatment"),
    }


TARGET = "csat_overall"


def respondent_cells(
    *, user: User, survey: Survey, filters: Filters, codes: Sequence[str]
) -> dict[str, np.ndarray]:
    """Respondent × cell values keyed ``question`` or ``question.item.part``.

    Structural analyses need respondent-level data; only the questions asked for are
    read, in one query, as (response id, code, item, part, value) rows. Cells a
    respondent did not answer (or answered "not applicable") are NaN.
    """
    responses = Source(user, survey, filters).responses()
    rows = (
        Answer.objects.filter(
            response__in=responses.values("pk"),
            question_code__in=list(codes),
            is_na=False,
            value__isnull=False,
        )
        .values_list("response_id", "question_code", "item_code", "part", "value")
        .order_by()
    )
    index: dict[int, int] = {}
    cells: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for rid, code, item, part, value in rows.iterator(chunk_size=20000):
        if value is None:  # excluded by the filter; keeps the type exact
            continue
        key = ".".join(p for p in (code, item, part) if p)
        cells[key].append((index.setdefault(rid, len(index)), float(value)))
    out: dict[str, np.ndarray] = {}
    for key, found in cells.items():
        column = np.full(len(index), np.nan)
        for i, v in found:
            column[i] = v
        out[key] = column
    return out


def respondent_matrix(
    *, user: User, survey: Survey, filters: Filters, codes: tuple[str, ...]
) -> dict[str, np.ndarray]:
    """Respondent × question values for a few single questions (NaN where unanswered)."""
    cells = respondent_cells(user=user, survey=survey, filters=filters, codes=codes)
    n = len(next(iter(cells.values()))) if cells else 0
    return {code: cells.get(code, np.full(n, np.nan)) for code in codes}


@dataclass
class DriverReport:
    n: int
    result: Any  # DriverResult
    ipa: Any  # IPAResult
    summary: str
    driver_svg: str
    ipa_svg: str
    labels: dict[str, str]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per driver for the page: name, share of R² with its interval, IPA."""
        names = quadrant_names(_)
        intervals = self.result.shares_ci or {}
        out = []
        for item in self.ipa.items:
            low, high = intervals.get(item.name, (None, None))
            out.append(
                {
                    "name": self.labels.get(item.name, item.name),
                    "share": item.importance,
                    "ci_low": low,
                    "ci_high": high,
                    "rank": item.importance_rank,
                    "performance": item.performance,
                    "quadrant": names.get(item.quadrant, item.quadrant),
                }
            )
        return out


#: Bootstrap resamples of respondents for the driver shares' intervals (about 0.4 s
#: on 7,400 respondents); the seed keeps a page's figures the same on every visit.
DRIVER_BOOTSTRAP = 400
DRIVER_SEED = 20240601


def driver_analysis(
    *,
    user: User,
    survey: Survey,
    filters: Filters,
    target: str = TARGET,
    drivers: tuple[str, ...] = DRIVERS,
) -> DriverReport | None:
    """Key drivers of ``target`` (LMG shares of R²), the IPA grid and a summary."""
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    codes = {q.code for q in definition.questions()}
    if target not in codes or not all(d in codes for d in drivers):
        return None
    data = respondent_matrix(
        user=user, survey=survey, filters=filters, codes=(target, *drivers)
    )
    complete = ~np.isnan(np.column_stack([data[c] for c in (target, *drivers)])).any(
        axis=1
    )
    if complete.sum() < max(30, settings.SATISFY_MIN_N):
        return None
    ipa, result = ipa_from_data(
        data,
        target,
        list(drivers),
        scale=(1, 5),
        bootstrap=DRIVER_BOOTSTRAP,
        random_state=DRIVER_SEED,
    )
    # short names keep the charts readable; the page lists the full questions
    names = driver_names()
    short = {d: names.get(d, d.replace("_", " ").capitalize()) for d in drivers}
    target_label = _("overall satisfaction")
    return DriverReport(
        n=int(complete.sum()),
        result=result,
        ipa=ipa,
        summary=describe_drivers(
            ipa,
            labels=short,
            target_label=target_label,
            gettext=_,
            ngettext=ngettext,
        ),
        driver_svg=driver_chart_svg(
            result, labels=short, target_label=target_label, gettext=_
        ),
        ipa_svg=ipa_chart_svg(ipa, labels=short, target_label=target_label, gettext=_),
        labels=short,
    )
