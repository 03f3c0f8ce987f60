"""The report's charts as PNG pictures (matplotlib), for the PDF, DOCX and XLSX.

Trend and dimension charts, and the analysis charts (driver shares, the
importance–performance grid, gaps with intervals, the ECSI path diagram); Chinese
labels use the PDF's CJK font when one is installed.
"""

from __future__ import annotations

import functools
import io
from typing import Any

from django.utils.translation import gettext as _

from satisfy.analytics.charts_drivers import ECSI_LAYOUT
from satisfy.reports.analysis import DriverReport
from satisfy.reports.dashboard import Dashboard
from satisfy.reports.exports.analysis import Analysis, _all_analysis_text, quadrant_name
from satisfy.reports.exports.fonts import FontMissingError, find_cjk_font, needs_cjk
from satisfy.reports.structure import GapReport, IndexReport

ALERT = "#c0392b"
# Width of each chart in PDF and Word documents (millimetres; others 170, 160 in Word).
CHART_WIDTH_MM = {"drivers": 150, "ipa": 125, "gaps": 170, "paths": 170}
BAR = "#3b6ea8"
MUTED = "#8a8f98"


@functools.lru_cache(maxsize=4)
def _matplotlib_cjk_family(path: str) -> str:
    """Register a CJK font with matplotlib; its (Simplified Chinese) family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(path)
    names = sorted(
        {f.name for f in font_manager.fontManager.ttflist if f.fname == path}
    )
    for name in names:
        if name.endswith(" SC"):
            return name
    return (
        names[0] if names else str(font_manager.FontProperties(fname=path).get_name())
    )


def _chart_families(text: str) -> list[str]:
    """Font families for chart labels: DejaVu Sans, plus a CJK font when needed."""
    families = ["DejaVu Sans"]
    if needs_cjk(text):
        try:
            found = find_cjk_font()
        except FontMissingError:
            found = None
        if found is not None:
            families.append(_matplotlib_cjk_family(str(found)))
    return families


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _short(text: str, width: int = 42) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _png_charts(
    dash: Dashboard, analysis: Analysis | None = None, *, dashboard: bool = True
) -> dict[str, bytes]:
    """The report's charts as PNG (matplotlib): trend, dimensions and the analyses.

    The analysis charts draw the same results as the pages' SVG charts (driver
    shares, the importance–performance grid, gaps with intervals, the ECSI path
    diagram). Chinese labels use the CJK font of the PDF when one is installed.
    ``dashboard=False`` leaves out the trend and dimension charts (the XLSX has
    native ones).
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [str(d["dimension"]) for d in dash.dimensions] if dashboard else []
    if analysis is not None:
        labels.append(_all_analysis_text(analysis))
    out: dict[str, bytes] = {}
    with plt.rc_context({"font.family": _chart_families("".join(labels))}):
        if dashboard:
            out.update(_dashboard_charts(dash))
        if analysis is not None:
            out.update(_analysis_charts(analysis))
    return out


def _dashboard_charts(dash: Dashboard) -> dict[str, bytes]:
    import matplotlib.pyplot as plt

    out: dict[str, bytes] = {}
    if dash.trend:
        fig, ax = plt.subplots(figsize=(7, 2.8), dpi=110)
        xs = [r["period"] for r in dash.trend]
        for key, name in (("csi", "CSI"), ("csat", "CSAT %")):
            ys = [None if r[key] is None else r[key].value for r in dash.trend]
            if any(y is not None for y in ys):
                ax.plot(
                    xs,
                    [float("nan") if y is None else y for y in ys],
                    marker="o",
                    label=name,
                )
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.legend(loc="lower left", fontsize=8)
        fig.autofmt_xdate()
        out["trend"] = _png(fig)
    dims = [
        d for d in dash.dimensions if not d["suppressed"] and d["score"] is not None
    ]
    if dims:
        # one bar per question: several questions can share a dimension
        unique = len({d["dimension"] for d in dims}) == len(dims)
        names = [
            str(d["dimension"]) if unique else _short(f"{d['dimension']}: {d['text']}")
            for d in dims
        ]
        fig, ax = plt.subplots(
            figsize=(7, min(9.0, (0.45 if unique else 0.3) * len(dims) + 0.8)), dpi=110
        )
        ax.barh(range(len(dims)), [d["score"].value for d in dims], color="#1f5fa8")
        ax.set_yticks(range(len(dims)), names, fontsize=10 if unique else 7)
        ax.set_xlim(0, 100)
        ax.invert_yaxis()
        for i, d in enumerate(dims):
            ax.text(
                d["score"].value + 1,
                i,
                f"{d['score'].value:.1f}",
                va="center",
                fontsize=8,
            )
        out["dimensions"] = _png(fig)
    return out


def _analysis_charts(analysis: Analysis) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    if analysis.drivers is not None:
        out["drivers"] = _driver_chart(analysis.drivers)
        out["ipa"] = _ipa_chart(analysis.drivers)
    if analysis.gaps is not None and analysis.gaps.item_rows:
        out["gaps"] = _gap_chart(analysis.gaps)
    if analysis.index is not None:
        lvs = analysis.index.result.model.latent_variables
        if all(lv in ECSI_LAYOUT for lv in lvs):
            out["paths"] = _path_chart(analysis.index)
    return out


def _driver_chart(report: DriverReport) -> bytes:
    import matplotlib.pyplot as plt

    result, ipa = report.result, report.ipa
    items = sorted(ipa.items, key=lambda it: it.importance_rank)
    names = [report.labels.get(it.name, it.name) for it in items]
    shares = [100 * result.shares[it.name] for it in items]
    colours = [ALERT if it.quadrant == "concentrate_here" else BAR for it in items]
    xerr = None
    if result.shares_ci is not None:
        xerr = [
            [
                s - 100 * result.shares_ci[it.name][0]
                for s, it in zip(shares, items, strict=True)
            ],
            [
                100 * result.shares_ci[it.name][1] - s
                for s, it in zip(shares, items, strict=True)
            ],
        ]
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(items) + 1.1), dpi=110)
    ax.barh(names, shares, color=colours, xerr=xerr, ecolor="#222")
    ax.invert_yaxis()
    ax.set_xlim(0, max(100.0, max(shares) * 1.15))
    for i, share in enumerate(shares):
        ax.text(share + 1, i, f"{share:.0f}%", va="center", fontsize=8)
    ax.set_xlabel(_("Share of R² %"))
    ax.set_title(
        _("Key drivers (R² = %(r2).2f, n = %(n)s)") % {"r2": result.r2, "n": report.n},
        fontsize=10,
        loc="left",
    )
    return _png(fig)


def _ipa_chart(report: DriverReport) -> bytes:
    import matplotlib.pyplot as plt

    ipa = report.ipa
    xs = [it.performance for it in ipa.items]
    ys = [100 * it.importance for it in ipa.items]
    if ipa.performance_scale is not None:
        x0, x1 = ipa.performance_scale
    else:
        pad = (max(xs) - min(xs)) * 0.15 or 1.0
        x0, x1 = min(xs) - pad, max(xs) + pad
    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=110)
    ax.set_xlim(x0, x1)
    ax.set_ylim(0, max([*ys, 100 * ipa.importance_cut]) * 1.3)
    ax.axvline(ipa.performance_cut, color=MUTED, linestyle="--", linewidth=1)
    ax.axhline(100 * ipa.importance_cut, color=MUTED, linestyle="--", linewidth=1)
    colours = [ALERT if it.quadrant == "concentrate_here" else BAR for it in ipa.items]
    ax.scatter(xs, ys, color=colours, zorder=3)
    # labels alternate right and left (by importance), so near points stay legible
    order = sorted(range(len(xs)), key=lambda k: ys[k])
    for rank, k in enumerate(order):
        right = rank % 2 == 0
        ax.annotate(
            report.labels.get(ipa.items[k].name, ipa.items[k].name),
            (xs[k], ys[k]),
            xytext=(6 if right else -6, 2),
            textcoords="offset points",
            ha="left" if right else "right",
            fontsize=8,
        )
    corners = (
        ("concentrate_here", 0.02, 0.97, "left", "top", ALERT),
        ("keep_up_the_good_work", 0.98, 0.97, "right", "top", MUTED),
        ("low_priority", 0.02, 0.03, "left", "bottom", MUTED),
        ("possible_overkill", 0.98, 0.03, "right", "bottom", MUTED),
    )
    for quadrant, x, y, ha, va, colour in corners:
        ax.text(
            x,
            y,
            quadrant_name(quadrant),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize=8,
            color=colour,
        )
    ax.set_xlabel(_("Performance 0–100"))
    ax.set_ylabel(_("Importance (share of R² %)"))
    ax.set_title(_("Importance–performance grid"), fontsize=10, loc="left")
    return _png(fig)


def _gap_chart(report: GapReport) -> bytes:
    import matplotlib.pyplot as plt

    rows = report.item_rows
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(rows) + 1.2), dpi=110)
    gaps = [g.gap for _name, g in rows]
    colours = [
        ALERT if g.ci_high < 0 else (BAR if g.ci_low > 0 else MUTED) for _n, g in rows
    ]
    ax.barh(
        range(len(rows)),
        gaps,
        color=colours,
        xerr=[
            [g.gap - g.ci_low for _n, g in rows],
            [g.ci_high - g.gap for _n, g in rows],
        ],
        ecolor="#222",
    )
    ax.set_yticks(range(len(rows)), [_short(name) for name, _g in rows], fontsize=7)
    ax.invert_yaxis()
    ax.axvline(0, color="#444", linewidth=1)
    span = max([abs(v) for _n, g in rows for v in (g.ci_low, g.ci_high)] + [0.5])
    ax.set_xlim(-span * 1.1, span * 1.1)
    ax.set_xlabel(
        _("Gap (perception − expectation), %(level)s interval") % {"level": "95%"}
    )
    ax.set_title(
        _("Gaps by item (n = %(n)s)") % {"n": report.n}, fontsize=10, loc="left"
    )
    return _png(fig)


def _path_chart(report: IndexReport) -> bytes:
    import math

    import matplotlib.pyplot as plt
    from matplotlib.patches import Ellipse

    result = report.result
    rx, ry = 0.1, 0.085
    fig, ax = plt.subplots(figsize=(8, 4.6), dpi=110)
    ax.set_xlim(-0.14, 1.14)
    ax.set_ylim(1.14, -0.1)
    ax.axis("off")

    def exit_point(x: float, y: float, tx: float, ty: float) -> tuple[float, float]:
        dx, dy = tx - x, ty - y
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        e = 1.0 / math.sqrt((ux / rx) ** 2 + (uy / ry) ** 2)
        return x + ux * e, y + uy * e

    for source, target in result.model.paths:
        (x1, y1), (x2, y2) = ECSI_LAYOUT[source], ECSI_LAYOUT[target]
        start = exit_point(x1, y1, x2, y2)
        end = exit_point(x2, y2, x1, y1)
        coef = result.paths[f"{source} -> {target}"]
        ax.annotate(
            "",
            xy=end,
            xytext=start,
            arrowprops={
                "arrowstyle": "-|>",
                "color": "#333",
                "linewidth": max(0.8, min(3.5, abs(coef) * 4)),
                "shrinkA": 0,
                "shrinkB": 0,
            },
        )
        ax.text(
            (start[0] + end[0]) / 2,
            (start[1] + end[1]) / 2,
            f"{coef:.2f}",
            fontsize=8,
            ha="center",
            va="center",
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )
    for lv in result.model.latent_variables:
        x, y = ECSI_LAYOUT[lv]
        ax.add_patch(
            Ellipse((x, y), 2 * rx, 2 * ry, facecolor="#dde7f3", edgecolor=BAR)
        )
        index = result.index.get(lv)
        r2 = result.r2.get(lv)
        text = f"{report.label(lv)}\n{'—' if index is None else f'{index:.1f}'}"
        if r2 is not None:
            text += f"\nR² {r2:.2f}"
        ax.text(x, y, text, ha="center", va="center", fontsize=8)
    ax.set_title(
        _("Path model (PLS): indices 0–100, n = %(n)s, GoF = %(gof).2f")
        % {"n": report.n, "gof": result.gof},
        fontsize=10,
        loc="left",
    )
    return _png(fig)
