"""The dashboard as rows and title lines, shared by the XLSX, PDF and DOCX writers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from satisfy.reports.dashboard import Dashboard


def card_rows(dash: Dashboard) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for c in dash.cards:
        if c.result is None:
            rows.append([c.label, None, 0, None, None, None, None, _("no answers")])
            continue
        if c.suppressed:
            rows.append(
                [
                    c.label,
                    None,
                    c.result.n,
                    None,
                    None,
                    None,
                    None,
                    _("fewer than %(n)s answers") % {"n": dash.min_n},
                ]
            )
            continue
        ch = c.change
        rows.append(
            [
                c.label,
                round(c.result.value, 2),
                c.result.n,
                round(c.result.ci_low, 2),
                round(c.result.ci_high, 2),
                None if ch is None else round(ch.difference, 2),
                None if ch is None else round(ch.p_value, 4),
                ""
                if ch is None
                else (_("significant") if ch.is_significant else _("within noise")),
            ]
        )
    return rows


CARD_HEAD = ["Index", "Value", "n", "CI low", "CI high", "Change", "p", "Significance"]
TREND_HEAD = ["Period", "Responses", "CSI", "CSAT %", "NPS", "CES"]
UNIT_HEAD = ["Unit", "Responses", "CSAT %", "NPS", "CSI"]
DIM_HEAD = ["Dimension", "Question", "n", "Score 0–100", "CI low", "CI high"]
QUESTION_HEAD = ["Question", "Answer", "Value", "Count", "Share %"]


def trend_rows(dash: Dashboard) -> list[list[Any]]:
    return [
        [
            r["period"].isoformat(),
            r["n"],
            *(
                None if r[k] is None else round(r[k].value, 2)
                for k in ("csi", "csat", "nps", "ces")
            ),
        ]
        for r in dash.trend
    ]


def unit_rows(dash: Dashboard) -> list[list[Any]]:
    out = []
    for r in dash.breakdown:
        if r["suppressed"]:
            out.append([r["unit"].name, r["n"], None, None, None])
        else:
            out.append(
                [
                    r["unit"].name,
                    r["n"],
                    *(
                        None if r[k] is None else round(r[k].value, 2)
                        for k in ("csat", "nps", "csi")
                    ),
                ]
            )
    return out


def dimension_rows(dash: Dashboard) -> list[list[Any]]:
    return [
        [
            d["dimension"],
            d["text"],
            d["n"],
            *(
                [None, None, None]
                if d["suppressed"] or d["score"] is None
                else [
                    round(d["score"].value, 2),
                    round(d["score"].ci_low, 2),
                    round(d["score"].ci_high, 2),
                ]
            ),
        ]
        for d in dash.dimensions
    ]


def question_rows(dash: Dashboard) -> list[list[Any]]:
    out: list[list[Any]] = []
    for q in dash.questions:
        if q["suppressed"]:
            out.append(
                [
                    q["text"],
                    _("fewer than %(n)s answers") % {"n": dash.min_n},
                    None,
                    q["n"],
                    None,
                ]
            )
            continue
        for r in q["rows"]:
            out.append(
                [q["text"], r["label"], r["point"], r["count"], round(r["pct"], 1)]
            )
        if q["n_na"]:
            out.append([q["text"], _("Not applicable"), None, q["n_na"], None])
    return out


def comment_rows(dash: Dashboard) -> list[list[Any]]:
    return [
        [
            c.response.completed_at.date().isoformat()
            if c.response.completed_at
            else "",
            c.response.unit.name if c.response.unit else "",
            c.text_value,
        ]
        for c in dash.comments
    ]


def title_lines(dash: Dashboard) -> list[str]:
    f = dash.filters
    lines = [
        f"{dash.survey.title}",
        _("%(start)s to %(end)s · %(n)s completed responses")
        % {
            "start": f.period.start.isoformat(),
            "end": f.period.end.isoformat(),
            "n": dash.n_responses,
        },
    ]
    if f.unit is not None:
        lines.append(_("Unit: %(unit)s") % {"unit": f.unit.name})
    if f.wave_id:
        lines.append(_("Wave %(id)s") % {"id": f.wave_id})
    return lines


def fmt_value(v: Any, decimals: int = 1) -> str:
    """A table cell as text (floats with ``decimals`` places; blanks for None/NaN)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return f"{v:.{decimals}f}"
    return str(v)
