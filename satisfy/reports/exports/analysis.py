"""The analysis pages as export sections: key drivers, SERVQUAL gaps, ECSI index.

:func:`build_analysis` calls the pages' own builders; a section that does not apply
is replaced by one line saying why (questions not asked, too few answers).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from satisfy.accounts.models import User
from satisfy.analytics.gaps import GapResult
from satisfy.reports.analysis import DriverReport
from satisfy.reports.dashboard import ui_language
from satisfy.reports.queries import Filters, Source
from satisfy.reports.structure import GapReport, IndexReport
from satisfy.responses.models import Answer
from satisfy.surveys.definition import QuestionType, SurveyDefinition, translate
from satisfy.surveys.models import Survey

logger = logging.getLogger(__name__)


@dataclass
class AnalysisTable:
    """One table of an analysis section; ``decimals`` gives each column's precision."""

    title: str | None
    header: list[str]
    rows: list[list[Any]]
    decimals: list[int]


@dataclass
class AnalysisSection:
    """A section of the analysis pages as the exports show it."""

    key: str  # "drivers", "gaps", "index"
    heading: str
    sheet: str
    lines: list[str]
    tables: list[AnalysisTable]
    charts: list[str]  # keys of :func:`_png_charts`


@dataclass
class Analysis:
    """Key drivers, SERVQUAL gaps and the ECSI model for one export.

    A report that does not apply (questions not asked, too few respondents) is
    ``None`` and ``notes`` has one line saying why.
    """

    drivers: DriverReport | None = None
    gaps: GapReport | None = None
    index: IndexReport | None = None
    questions: dict[str, str] = field(default_factory=dict)  # driver → wording
    notes: list[str] = field(default_factory=list)

    def sections(self) -> list[AnalysisSection]:
        out = []
        if self.drivers is not None:
            out.append(driver_section(self.drivers, self.questions))
        if self.gaps is not None:
            out.append(gap_section(self.gaps))
        if self.index is not None:
            out.append(index_section(self.index))
        return out


def _answered(
    user: User, survey: Survey, filters: Filters, codes: Sequence[str], *, all_of: bool
) -> int:
    """Respondents with a value (not "not applicable") for all (or any) of ``codes``.

    One aggregate query; used only to say why an analysis was left out.
    """
    from django.db.models import Count

    responses = Source(user, survey, filters).responses()
    answers = (
        Answer.objects.filter(
            response__in=responses.values("pk"),
            question_code__in=list(codes),
            is_na=False,
            value__isnull=False,
        )
        .order_by()
        .values("response_id")
    )
    if not all_of:
        return answers.distinct().count()
    return (
        answers.annotate(k=Count("question_code", distinct=True))
        .filter(k=len(set(codes)))
        .count()
    )


def _estimate(label: str, notes: list[str], build: Callable[[], Any]) -> Any:
    """Run one analysis builder; a model that cannot be fitted becomes a note."""
    try:
        return build()
    except (ValueError, ArithmeticError, np.linalg.LinAlgError) as exc:
        logger.warning("%s left out of the export: %s", label, exc)
        notes.append(
            _("%(section)s: could not be estimated on these answers (%(error)s).")
            % {"section": label, "error": exc}
        )
        return None


def build_analysis(
    *, user: User, survey: Survey, filters: Filters, definition: SurveyDefinition
) -> Analysis:
    """The three analysis pages' results for these filters (as the pages build them)."""
    from satisfy.analytics import ECSI_MODEL
    from satisfy.reports import analysis, structure

    out = Analysis()
    codes = set(definition.question_codes)
    language = ui_language()

    # key drivers
    label = _("Key drivers")
    needed = (analysis.TARGET, *analysis.DRIVERS)
    if not all(c in codes for c in needed):
        out.notes.append(
            _("%(section)s: not asked in this survey (needs the questions %(codes)s).")
            % {"section": label, "codes": ", ".join(needed)}
        )
    else:
        out.drivers = _estimate(
            label,
            out.notes,
            lambda: analysis.driver_analysis(user=user, survey=survey, filters=filters),
        )
        if out.drivers is not None:
            out.questions = {
                q.code: translate(q.text, language)
                for q in definition.questions()
                if q.code in analysis.DRIVERS
            }
        elif len(out.notes) == 0:
            n = _answered(user, survey, filters, needed, all_of=True)
            out.notes.append(
                _(
                    "%(section)s: not enough complete answers (n = %(n)s, needs %(min)s)."
                )
                % {
                    "section": label,
                    "n": n,
                    "min": max(30, settings.SATISFY_MIN_N),
                }
            )

    # SERVQUAL gaps
    label = _("Gaps")
    before = len(out.notes)
    gap_codes = [
        q.code
        for q in definition.questions()
        if q.type == QuestionType.EXPECTATION_PERCEPTION
    ]
    if not gap_codes:
        out.notes.append(
            _("%(section)s: the survey has no expectation/perception questions.")
            % {"section": label}
        )
    else:
        out.gaps = _estimate(
            label,
            out.notes,
            lambda: structure.gap_report(user=user, survey=survey, filters=filters),
        )
        if out.gaps is None and len(out.notes) == before:
            n = _answered(user, survey, filters, gap_codes, all_of=False)
            if n < settings.SATISFY_MIN_N:
                out.notes.append(
                    _("%(section)s: not enough answers (n = %(n)s, needs %(min)s).")
                    % {"section": label, "n": n, "min": settings.SATISFY_MIN_N}
                )
            else:
                out.notes.append(
                    _("%(section)s: no item has both an expectation and a perception.")
                    % {"section": label}
                )

    # the ECSI index model
    label = _("Index model")
    before = len(out.notes)
    ecsi = [c for items in ECSI_MODEL.blocks.values() for c in items]
    if not all(c in codes for c in ecsi):
        out.notes.append(
            _("%(section)s: the survey does not have the ECSI questions.")
            % {"section": label}
        )
    else:
        out.index = _estimate(
            label,
            out.notes,
            lambda: structure.index_report(user=user, survey=survey, filters=filters),
        )
        if out.index is None and len(out.notes) == before:
            n = _answered(user, survey, filters, ecsi, all_of=True)
            out.notes.append(
                _(
                    "%(section)s: not enough complete answers (n = %(n)s, needs %(min)s)."
                )
                % {"section": label, "n": n, "min": structure.MIN_RESPONDENTS}
            )
    return out


def quadrant_name(quadrant: str) -> str:
    names = {
        "concentrate_here": _("Concentrate here"),
        "keep_up_the_good_work": _("Keep up the good work"),
        "low_priority": _("Low priority"),
        "possible_overkill": _("Possible overkill"),
    }
    return names.get(quadrant, quadrant)


def driver_section(report: DriverReport, questions: dict[str, str]) -> AnalysisSection:
    """Driver importance (LMG share of R²), the IPA grid and focus list, with n."""
    result, ipa = report.result, report.ipa
    label = report.labels
    with_ci = result.shares_ci is not None
    header = [_("Item"), _("Question"), _("Share of R² %")]
    decimals = [0, 0, 1]
    if with_ci:
        header += [_("CI low %"), _("CI high %")]
        decimals += [1, 1]
    header += [
        _("Rank"),
        _("Coefficient"),
        _("Performance 0–100"),
        _("Quadrant"),
        "n",
    ]
    decimals += [0, 3, 1, 0, 0]
    rows: list[list[Any]] = []
    for item in sorted(ipa.items, key=lambda it: it.importance_rank):
        row: list[Any] = [
            label.get(item.name, item.name),
            questions.get(item.name, ""),
            100 * result.shares[item.name],
        ]
        if result.shares_ci is not None:
            low, high = result.shares_ci[item.name]
            row += [100 * low, 100 * high]
        row += [
            item.importance_rank,
            result.coefficients[item.name],
            item.performance,
            quadrant_name(item.quadrant),
            report.n,
        ]
        rows.append(row)
    grid = [
        [
            quadrant_name(q),
            hint,
            ", ".join(
                label.get(it.name, it.name) for it in ipa.items if it.quadrant == q
            )
            or "—",
        ]
        for q, hint in (
            ("concentrate_here", _("high importance, low performance")),
            ("keep_up_the_good_work", _("high importance, high performance")),
            ("low_priority", _("low importance, low performance")),
            ("possible_overkill", _("low importance, high performance")),
        )
    ]
    focus = ", ".join(label.get(f, f) for f in ipa.focus_areas) or _("none")
    lines = [
        report.summary,
        _(
            "Relative importance (LMG: each item's share of the explained variance "
            "R² = %(r2).2f) of the post-contact items for overall satisfaction, over "
            "n = %(n)s respondents who answered all of them."
        )
        % {"r2": result.r2, "n": report.n},
        _(
            "Importance–performance grid: importance cut %(icut).1f%% of R², "
            "performance cut %(pcut).1f out of 100 (%(rule)s)."
        )
        % {
            "icut": 100 * ipa.importance_cut,
            "pcut": ipa.performance_cut,
            "rule": ipa.cut_rule,
        },
        _("Focus areas: %(focus)s.") % {"focus": focus},
    ]
    return AnalysisSection(
        key="drivers",
        heading=_("Key drivers"),
        sheet=_("Key drivers"),
        lines=lines,
        tables=[
            AnalysisTable(_("Driver importance"), header, rows, decimals),
            AnalysisTable(
                _("Importance–performance grid"),
                [_("Quadrant"), _("Meaning"), _("Items")],
                grid,
                [0, 0, 0],
            ),
        ],
        charts=["drivers", "ipa"],
    )


def gap_section(report: GapReport) -> AnalysisSection:
    """Dimension and item gaps (perception − expectation) with paired tests and n."""
    from satisfy.analytics.compare import adjust_p_values

    def row(name: str, g: GapResult) -> list[Any]:
        return [
            name,
            g.n,
            g.mean_reference,
            g.mean_actual,
            g.gap,
            g.ci_low,
            g.ci_high,
            g.t,
            g.p_value,
        ]

    head = [
        _("Expectation"),
        _("Perception"),
        _("Gap"),
        _("CI low"),
        _("CI high"),
        "t",
        "p",
    ]
    dims = [row(name, g) for name, g in report.dimension_rows]
    holm = (
        [float(p) for p in adjust_p_values([g.p_value for _n, g in report.item_rows])]
        if report.item_rows
        else []
    )
    items = [
        [*row(name, g), p] for (name, g), p in zip(report.item_rows, holm, strict=True)
    ]
    tables = []
    if dims:
        tables.append(
            AnalysisTable(
                _("Dimensions"),
                [_("Dimension"), "n", *head],
                dims,
                [0, 0, 2, 2, 2, 2, 2, 2, 4],
            )
        )
    tables.append(
        AnalysisTable(
            _("Items"),
            [_("Item"), "n", *head, _("p (Holm)")],
            items,
            [0, 0, 2, 2, 2, 2, 2, 2, 4, 4],
        )
    )
    return AnalysisSection(
        key="gaps",
        heading=_("Expectation and perception gaps"),
        sheet=_("Gaps"),
        lines=[
            report.summary,
            _(
                "Gap = perception − expectation for each item (SERVQUAL), with a "
                "paired 95%% interval and t-test, over n = %(n)s respondents; item "
                "p-values are also shown Holm-adjusted."
            )
            % {"n": report.n},
        ],
        tables=tables,
        charts=["gaps"],
    )


def index_section(report: IndexReport) -> AnalysisSection:
    """ECSI indices 0–100, R², path coefficients and block reliability, with n."""
    result = report.result
    indices = [[name, value, r2, report.n] for name, value, r2 in report.labelled_rows]
    paths = [
        [label, value, result.effects[key].total if key in result.effects else None]
        for (label, value), key in zip(report.labelled_paths, result.paths, strict=True)
    ]
    reliability = [
        [
            report.label(lv),
            rel.n_indicators,
            rel.alpha_raw,
            rel.composite_reliability,
            rel.rho_a,
            rel.ave,
        ]
        for lv, rel in result.reliability.items()
    ]
    return AnalysisSection(
        key="index",
        heading=_("Satisfaction index model (ECSI)"),
        sheet=_("Index model"),
        lines=[
            report.summary,
            _(
                "PLS path model of the ECSI (image, expectations, quality, value → "
                "satisfaction → complaints, loyalty) over n = %(n)s respondents who "
                "answered every item; indices are rescaled to 0–100 from the 1–10 "
                "scale; GoF %(gof).2f."
            )
            % {"n": report.n, "gof": result.gof},
        ],
        tables=[
            AnalysisTable(
                _("Indices and explained variance"),
                [_("Latent variable"), _("Index 0–100"), "R²", "n"],
                indices,
                [0, 1, 3, 0],
            ),
            AnalysisTable(
                _("Paths"),
                [_("Path"), _("Coefficient"), _("Total effect")],
                paths,
                [0, 3, 3],
            ),
            AnalysisTable(
                _("Reliability"),
                [
                    _("Latent variable"),
                    _("Indicators"),
                    _("Cronbach's alpha"),
                    _("Composite reliability"),
                    "rho_A",
                    "AVE",
                ],
                reliability,
                [0, 0, 3, 3, 3, 3],
            ),
        ],
        charts=["paths"],
    )


def _all_analysis_text(analysis: Analysis) -> str:
    """Every text an analysis section or chart may show (for the CJK font subset)."""
    parts = [*analysis.notes, _("Analyses")]
    for section in analysis.sections():
        parts.extend([section.heading, *section.lines])
        for t in section.tables:
            parts.extend([t.title or "", *t.header])
            for row in t.rows:
                parts.extend(str(v) for v in row if v is not None)
    if analysis.drivers is not None:
        parts.extend(
            quadrant_name(q)
            for q in (
                "concentrate_here",
                "keep_up_the_good_work",
                "low_priority",
                "possible_overkill",
            )
        )
        parts.extend(
            [
                _("Share of R² %"),
                _("Key drivers (R² = %(r2).2f, n = %(n)s)"),
                _("Performance 0–100"),
                _("Importance (share of R² %)"),
                _("Importance–performance grid"),
            ]
        )
    if analysis.gaps is not None:
        parts.extend(
            [
                _("Gap (perception − expectation), %(level)s interval"),
                _("Gaps by item (n = %(n)s)"),
            ]
        )
    if analysis.index is not None:
        parts.append(_("Path model (PLS): indices 0–100, n = %(n)s, GoF = %(gof).2f"))
    return "".join(parts)
