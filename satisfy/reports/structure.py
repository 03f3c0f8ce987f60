"""Gap analysis and the ACSI/ECSI structural model on a survey's answers.

Both need respondent-level values of a few dozen cells, read in one query; the
arithmetic is the library's (``gap_analysis``, ``pls_path_model``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from satisfy.accounts.models import User
from satisfy.analytics import (
    ECSI_MODEL,
    describe_gaps,
    describe_index,
    gap_analysis,
    pls_path_model,
)
from satisfy.analytics.charts_drivers import (
    ECSI_LAYOUT,
    gap_chart_svg,
    path_diagram_svg,
)
from satisfy.analytics.gaps import GapResult
from satisfy.analytics.pls import PLSResult
from satisfy.reports.analysis import respondent_cells
from satisfy.reports.dashboard import ui_language
from satisfy.reports.queries import Filters
from satisfy.surveys.definition import QuestionType, translate
from satisfy.surveys.models import Survey
from satisfy.surveys.services import version_definition

# Fewer complete respondents than this and a structural model is not estimated.
MIN_RESPONDENTS = 30


@dataclass
class GapReport:
    n: int
    dimension_rows: list[tuple[str, GapResult]]
    item_rows: list[tuple[str, GapResult]]
    summary: str
    svg: str


def gap_report(*, user: User, survey: Survey, filters: Filters) -> GapReport | None:
    """SERVQUAL gaps (perception − expectation) per item and per dimension."""
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    language = ui_language()
    questions = [
        q
        for q in definition.questions()
        if q.type == QuestionType.EXPECTATION_PERCEPTION
    ]
    if not questions:
        return None
    data = respondent_cells(
        user=user, survey=survey, filters=filters, codes=[q.code for q in questions]
    )
    pairs: dict[str, tuple[str, str]] = {}
    dimensions: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for question in questions:
        labels[question.code] = translate(question.text, language)
        for item in question.items:
            name = f"{question.code}.{item.code}"
            expectation, perception = f"{name}.expectation", f"{name}.perception"
            if expectation in data and perception in data:
                pairs[name] = (expectation, perception)
                dimensions.setdefault(question.code, []).append(name)
                labels[name] = translate(item.label, language)
    if not pairs:
        return None
    n = len(next(iter(data.values())))
    if n < settings.SATISFY_MIN_N:
        return None
    table = gap_analysis(
        data,
        pairs,
        dimensions=dimensions,
        reference_label=_("expectation"),
        actual_label=_("perception"),
    )
    return GapReport(
        n=n,
        dimension_rows=[(labels.get(k, k), g) for k, g in table.dimensions.items()],
        item_rows=[(labels.get(k, k), g) for k, g in table.items.items()],
        summary=describe_gaps(table, labels=labels, gettext=_),
        svg=gap_chart_svg(table, labels=labels, gettext=_),
    )


def latent_labels() -> dict[str, str]:
    """The ECSI latent variables' names in the active language."""
    return {
        "Image": pgettext("ECSI latent variable", "Image"),
        "Expectation": pgettext("ECSI latent variable", "Expectation"),
        "Quality": pgettext("ECSI latent variable", "Quality"),
        "Value": pgettext("ECSI latent variable", "Value"),
        "Satisfaction": pgettext("ECSI latent variable", "Satisfaction"),
        "Complaints": pgettext("ECSI latent variable", "Complaints"),
        "Loyalty": pgettext("ECSI latent variable", "Loyalty"),
    }


@dataclass
class IndexReport:
    n: int
    result: PLSResult
    rows: list[tuple[str, float | None, float | None]]  # latent variable, index, R²
    summary: str
    svg: str
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, latent: str) -> str:
        """The latent variable's name in the active language."""
        return self.labels.get(latent, latent)

    @property
    def labelled_rows(self) -> list[tuple[str, float | None, float | None]]:
        """``rows`` with the latent variables' names translated (for people)."""
        return [(self.label(lv), value, r2) for lv, value, r2 in self.rows]

    @property
    def labelled_paths(self) -> list[tuple[str, float]]:
        """Path coefficients as ("Quality → Satisfaction", coefficient), translated."""
        out = []
        for key, value in self.result.paths.items():
            source, _arrow, target = key.partition(" -> ")
            out.append((f"{self.label(source)} → {self.label(target)}", value))
        return out


def index_report(*, user: User, survey: Survey, filters: Filters) -> IndexReport | None:
    """The ECSI model (or ACSI without image items) fitted by PLS, with 0–100 indices."""
    definition = version_definition(survey.current_version)  # type: ignore[arg-type]
    codes = [c for items in ECSI_MODEL.blocks.values() for c in items]
    if not all(code in definition.question_codes for code in codes):
        return None
    data = respondent_cells(user=user, survey=survey, filters=filters, codes=codes)
    if any(code not in data for code in codes):
        return None
    complete = ~np.isnan(np.column_stack([data[c] for c in codes])).any(axis=1)
    if int(complete.sum()) < MIN_RESPONDENTS:
        return None
    rows = {c: data[c][complete] for c in codes}
    result = pls_path_model(rows, ECSI_MODEL)
    labels = latent_labels()
    return IndexReport(
        n=int(complete.sum()),
        result=result,
        rows=[(lv, value, result.r2.get(lv)) for lv, value in result.index.items()],
        summary=describe_index(result, labels=labels, gettext=_),
        svg=path_diagram_svg(result, labels=labels, positions=ECSI_LAYOUT, gettext=_),
        labels=labels,
    )
