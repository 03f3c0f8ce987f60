"""SVG charts for driver analysis, importance–performance, gaps and path models.

Pure functions: a result object in, an SVG document (a string) out. No plotting
library, no files; every label is XML-escaped, so question wording from users is
safe to embed in a page or a report pack.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

from satisfy.analytics._text import Gettext, english
from satisfy.analytics.drivers import DriverResult
from satisfy.analytics.gaps import GapTable
from satisfy.analytics.ipa import IPAResult
from satisfy.analytics.pls import PLSResult

__all__ = [
    "ECSI_LAYOUT",
    "driver_chart_svg",
    "gap_chart_svg",
    "ipa_chart_svg",
    "path_diagram_svg",
    "quadrant_names",
]

#: The customary ACSI/ECSI diagram: antecedents left, Satisfaction centre,
#: consequences right, as fractions of the drawing area.
ECSI_LAYOUT: dict[str, tuple[float, float]] = {
    "Image": (0.0, 0.05),
    "Expectation": (0.0, 0.55),
    "Quality": (0.25, 1.0),
    "Value": (0.55, 1.0),
    "Satisfaction": (0.5, 0.45),
    "Complaints": (1.0, 0.8),
    "Loyalty": (1.0, 0.05),
}

_FONT = "font-family='Helvetica, Arial, sans-serif'"
_BAR = "#3b6ea8"
_MUTED = "#8a8f98"
_ALERT = "#c0392b"


def quadrant_names(gettext: Gettext = english) -> dict[str, str]:
    """The four quadrants' names, by code, in the caller's language.

    >>> quadrant_names()["concentrate_here"]
    'Concentrate here'
    """
    return {
        "concentrate_here": gettext("Concentrate here"),
        "keep_up_the_good_work": gettext("Keep up the good work"),
        "low_priority": gettext("Low priority"),
        "possible_overkill": gettext("Possible overkill"),
    }


def _label(code: str, labels: Mapping[str, str] | None) -> str:
    return (labels or {}).get(code, code)


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    head = (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}' {_FONT}>"
    )
    return "\n".join([head, f"<title>{escape(title)}</title>", *body, "</svg>"])


def _num(x: float) -> str:
    return f"{x:.1f}"


def driver_chart_svg(
    result: DriverResult,
    *,
    labels: Mapping[str, str] | None = None,
    width: int = 640,
    target_label: str | None = None,
    gettext: Gettext = english,
) -> str:
    """Horizontal bar chart of driver importance (share of R², with intervals).

    Parameters
    ----------
    result
        A :class:`~satisfy.analytics.drivers.DriverResult`.
    labels
        Code → wording shown to people (escaped).
    width
        Width in pixels; the height follows the number of drivers.
    target_label
        The outcome's wording in the title (default: its code).
    gettext
        Translates the chart's own words (see :mod:`satisfy.analytics._text`).

    Returns
    -------
    str
        A standalone SVG document.

    Examples
    --------
    >>> from satisfy.analytics.drivers import key_drivers
    >>> d = {"y": [1, 2, 3, 4, 5, 3], "a": [1, 2, 2, 4, 5, 3], "b": [2, 1, 3, 3, 4, 4]}
    >>> svg = driver_chart_svg(key_drivers(d, "y", ["a", "b"]), labels={"a": "Speed <fast>"})
    >>> svg.startswith("<svg") and "Speed &lt;fast&gt;" in svg
    True
    """
    order = result.ranking()
    row = 28
    left = 180
    right = 60
    top = 44
    height = top + row * len(order) + 30
    plot_w = width - left - right
    hi = max(
        [abs(result.shares[d]) for d in order]
        + (
            [abs(v) for d in order for v in result.shares_ci[d]]
            if result.shares_ci
            else []
        )
        + [1e-9]
    )
    scale = plot_w / hi
    title = gettext("Key drivers of %(target)s") % {
        "target": target_label or result.target
    }
    subtitle = gettext("share of R² (%(method)s), R² = %(r2)s, n = %(n)s") % {
        "method": result.method,
        "r2": f"{result.r2:.2f}",
        "n": result.n,
    }
    body = [
        f"<text x='{left}' y='20' font-size='14' font-weight='bold'>{escape(title)}</text>",
        f"<text x='{left}' y='36' font-size='11' fill='{_MUTED}'>{escape(subtitle)}</text>",
    ]
    for k, d in enumerate(order):
        y = top + k * row
        share = result.shares[d]
        w = max(0.0, share) * scale
        body.append(
            f"<text x='{left - 8}' y='{y + 17}' font-size='12' text-anchor='end'>"
            f"{escape(_label(d, labels))}</text>"
        )
        body.append(
            f"<rect x='{left}' y='{y + 5}' width='{_num(w)}' height='{row - 10}' fill='{_BAR}'>"
            f"<title>{escape(f'{_label(d, labels)}: {share * 100:.1f}%')}</title></rect>"
        )
        if result.shares_ci:
            lo, hi_ci = result.shares_ci[d]
            x1, x2 = left + max(0.0, lo) * scale, left + max(0.0, hi_ci) * scale
            ym = y + row / 2
            body.append(
                f"<line x1='{_num(x1)}' y1='{_num(ym)}' x2='{_num(x2)}' y2='{_num(ym)}' "
                "stroke='#222' stroke-width='1.2'/>"
            )
        end = w
        if result.shares_ci:
            end = max(end, max(0.0, result.shares_ci[d][1]) * scale)
        body.append(
            f"<text x='{_num(left + end + 6)}' y='{y + 17}' font-size='11'>{share * 100:.0f}%</text>"
        )
    return _svg(width, height, title, body)


def ipa_chart_svg(
    ipa: IPAResult,
    *,
    labels: Mapping[str, str] | None = None,
    width: int = 560,
    height: int = 440,
    target_label: str | None = None,
    gettext: Gettext = english,
) -> str:
    """Importance–performance scatter with the quadrant grid and its cut points.

    Parameters
    ----------
    ipa
        An :class:`~satisfy.analytics.ipa.IPAResult`.
    labels
        Code → wording shown to people (escaped).
    width, height
        Size in pixels.
    target_label
        The outcome's wording in the title (default: its code, if any).
    gettext
        Translates the chart's own words (see :mod:`satisfy.analytics._text`).

    Returns
    -------
    str
        A standalone SVG document; "Concentrate here" items are drawn in red.

    Examples
    --------
    >>> from satisfy.analytics.ipa import importance_performance
    >>> r = importance_performance({"a": .2, "b": .5}, {"a": 80, "b": 60})
    >>> "Concentrate here" in ipa_chart_svg(r)
    True
    """
    left, right, top, bottom = 60, 20, 40, 50
    pw, ph = width - left - right, height - top - bottom
    xs = [it.performance for it in ipa.items] + [ipa.performance_cut]
    ys = [it.importance for it in ipa.items] + [ipa.importance_cut]
    if ipa.performance_scale is not None:
        x0, x1 = ipa.performance_scale
    else:
        pad = (max(xs) - min(xs)) * 0.15 or 1.0
        x0, x1 = min(xs) - pad, max(xs) + pad
    ypad = (max(ys) - min(ys)) * 0.15 or 0.05
    y0, y1 = max(0.0, min(ys) - ypad), max(ys) + ypad

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * pw

    def py(y: float) -> float:
        return top + ph - (y - y0) / (y1 - y0) * ph

    target = target_label or ipa.target
    title = (
        gettext("Importance–performance: %(target)s") % {"target": target}
        if target
        else gettext("Importance–performance")
    )
    names = quadrant_names(gettext)
    axis_x = gettext("Performance")
    axis_y = gettext("Importance (%(measure)s)") % {"measure": ipa.importance_measure}
    cuts = gettext("importance cut %(importance)s, performance cut %(performance)s") % {
        "importance": f"{ipa.importance_cut:.3g}",
        "performance": f"{ipa.performance_cut:.3g}",
    }
    cx, cy = px(ipa.performance_cut), py(ipa.importance_cut)
    body = [
        f"<text x='{left}' y='20' font-size='14' font-weight='bold'>{escape(title)}</text>",
        f"<rect x='{left}' y='{top}' width='{pw}' height='{ph}' fill='none' stroke='#ccc'/>",
        f"<line x1='{_num(cx)}' y1='{top}' x2='{_num(cx)}' y2='{top + ph}' stroke='{_MUTED}' stroke-dasharray='4 3'/>",
        f"<line x1='{left}' y1='{_num(cy)}' x2='{left + pw}' y2='{_num(cy)}' stroke='{_MUTED}' stroke-dasharray='4 3'/>",
        f"<text x='{left + 4}' y='{top + 14}' font-size='11' fill='{_ALERT}'>{escape(names['concentrate_here'])}</text>",
        f"<text x='{left + pw - 4}' y='{top + 14}' font-size='11' text-anchor='end' fill='{_MUTED}'>{escape(names['keep_up_the_good_work'])}</text>",
        f"<text x='{left + 4}' y='{top + ph - 6}' font-size='11' fill='{_MUTED}'>{escape(names['low_priority'])}</text>",
        f"<text x='{left + pw - 4}' y='{top + ph - 6}' font-size='11' text-anchor='end' fill='{_MUTED}'>{escape(names['possible_overkill'])}</text>",
        f"<text x='{left + pw / 2}' y='{height - 12}' font-size='12' text-anchor='middle'>{escape(axis_x)}</text>",
        f"<text x='16' y='{top + ph / 2}' font-size='12' text-anchor='middle' "
        f"transform='rotate(-90 16 {top + ph / 2})'>{escape(axis_y)}</text>",
        f"<text x='{left}' y='33' font-size='10' fill='{_MUTED}'>{escape(cuts)}</text>",
    ]
    for value in (x0, ipa.performance_cut, x1):
        body.append(
            f"<text x='{_num(px(value))}' y='{top + ph + 12}' font-size='9' text-anchor='middle' "
            f"fill='{_MUTED}'>{value:.3g}</text>"
        )
    for value in (y0, ipa.importance_cut, y1):
        body.append(
            f"<text x='{left - 4}' y='{_num(py(value) + 3)}' font-size='9' text-anchor='end' "
            f"fill='{_MUTED}'>{value:.2g}</text>"
        )
    for it in ipa.items:
        x, y = px(it.performance), py(it.importance)
        colour = _ALERT if it.quadrant == "concentrate_here" else _BAR
        body.append(
            f"<circle cx='{_num(x)}' cy='{_num(y)}' r='5' fill='{colour}'>"
            f"<title>{escape(f'{_label(it.name, labels)}: {names[it.quadrant]}')}</title></circle>"
        )
        body.append(
            f"<text x='{_num(x + 7)}' y='{_num(y + 4)}' font-size='11'>{escape(_label(it.name, labels))}</text>"
        )
    return _svg(width, height, title, body)


def gap_chart_svg(
    table: GapTable,
    *,
    labels: Mapping[str, str] | None = None,
    width: int = 640,
    gettext: Gettext = english,
) -> str:
    """Diverging bars of ``actual − reference`` gaps per item, with intervals.

    The heading names the table's labels ("Gap: perception − expectation");
    ``gettext`` translates it (see :mod:`satisfy.analytics._text`).

    Parameters
    ----------
    table
        A :class:`~satisfy.analytics.gaps.GapTable`.
    labels
        Code → wording shown to people (escaped).
    width
        Width in pixels.

    Returns
    -------
    str
        A standalone SVG document; a bar is red when its whole interval is below 0.

    Examples
    --------
    >>> from satisfy.analytics.gaps import gap_analysis
    >>> t = gap_analysis({"E": [7, 6, 7], "P": [5, 6, 4]}, {"q": ("E", "P")})
    >>> "<svg" in gap_chart_svg(t)
    True
    """
    names = list(table.items)
    row, left, right, top = 26, 180, 40, 44
    height = top + row * len(names) + 30
    pw = width - left - right
    span = max(
        [abs(v) for g in table.items.values() for v in (g.ci_low, g.ci_high, g.gap)]
        + [1e-9]
    )
    zero = left + pw / 2
    scale = (pw / 2) / span
    title = gettext("Gap: %(actual)s − %(reference)s") % {
        "actual": table.actual_label,
        "reference": table.reference_label,
    }
    body = [
        f"<text x='{left}' y='20' font-size='14' font-weight='bold'>{escape(title)}</text>",
        f"<line x1='{_num(zero)}' y1='{top - 4}' x2='{_num(zero)}' y2='{top + row * len(names)}' stroke='#444'/>",
    ]
    for k, name in enumerate(names):
        g = table.items[name]
        y = top + k * row
        x = zero + min(0.0, g.gap) * scale
        colour = _ALERT if g.ci_high < 0 else (_BAR if g.ci_low > 0 else _MUTED)
        body.append(
            f"<text x='{left - 8}' y='{y + 16}' font-size='12' text-anchor='end'>{escape(_label(name, labels))}</text>"
        )
        body.append(
            f"<rect x='{_num(x)}' y='{y + 5}' width='{_num(abs(g.gap) * scale)}' height='{row - 10}' fill='{colour}'>"
            f"<title>{escape(f'{name}: {g.gap:+.2f} (n = {g.n})')}</title></rect>"
        )
        ym = y + row / 2
        body.append(
            f"<line x1='{_num(zero + g.ci_low * scale)}' y1='{_num(ym)}' x2='{_num(zero + g.ci_high * scale)}' "
            f"y2='{_num(ym)}' stroke='#222'/>"
        )
    return _svg(width, height, title, body)


def _ellipse_exit(
    x: float, y: float, toward_x: float, toward_y: float, rx: float, ry: float
) -> tuple[float, float]:
    dx, dy = toward_x - x, toward_y - y
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    e = 1.0 / math.sqrt((ux / rx) ** 2 + (uy / ry) ** 2)
    return x + ux * e, y + uy * e


def _levels(result: PLSResult) -> dict[str, int]:
    level = dict.fromkeys(result.model.latent_variables, 0)
    changed = True
    while changed:
        changed = False
        for s, t in result.model.paths:
            if level[t] < level[s] + 1:
                level[t] = level[s] + 1
                changed = True
    return level


def path_diagram_svg(
    result: PLSResult,
    *,
    labels: Mapping[str, str] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    width: int = 820,
    height: int = 460,
    gettext: Gettext = english,
) -> str:
    """Path diagram of a PLS model: latent variables, path coefficients, R², index.

    ``gettext`` translates the diagram's own words (see :mod:`satisfy.analytics._text`).

    ACSI/ECSI models use the customary layout (:data:`ECSI_LAYOUT`); other models
    place latent variables in columns by their depth in the inner model, unless
    ``positions`` gives each one as ``(x, y)`` fractions of the drawing area;
    each arrow carries its path coefficient (dashed when the bootstrap interval,
    if any, includes zero); each node shows its 0–100 index and R².

    Parameters
    ----------
    result
        A :class:`~satisfy.analytics.pls.PLSResult`.
    labels
        Latent variable → wording shown to people (escaped).
    positions
        Latent variable → ``(x, y)`` in [0, 1] (left to right, top to bottom).
    width, height
        Size in pixels.

    Returns
    -------
    str
        A standalone SVG document.

    Examples
    --------
    >>> from satisfy.analytics.pls import PathModel, pls_path_model
    >>> d = {"a1": [1, 2, 3, 4, 5], "a2": [2, 2, 3, 5, 5], "b1": [1, 3, 3, 4, 4], "b2": [2, 3, 3, 5, 4]}
    >>> m = PathModel(blocks={"A": ("a1", "a2"), "B": ("b1", "b2")}, paths=(("A", "B"),))
    >>> "marker-end" in path_diagram_svg(pls_path_model(d, m))
    True
    """
    level = _levels(result)
    lvs = result.model.latent_variables
    margin = 30
    preset = positions
    if preset is None and set(lvs) <= set(ECSI_LAYOUT):
        preset = ECSI_LAYOUT
    pos: dict[str, tuple[float, float]] = {}
    if preset is not None:
        missing = [lv for lv in lvs if lv not in preset]
        if missing:
            raise ValueError(f"No position given for {', '.join(missing)}.")
        rx, ry = 62.0, 28.0
        for lv in lvs:
            fx, fy = preset[lv]
            pos[lv] = (
                margin + rx + (width - 2 * (margin + rx)) * float(fx),
                60 + ry + (height - 90 - 2 * ry) * float(fy),
            )
    else:
        depth = max(level.values()) + 1
        columns: dict[int, list[str]] = {}
        for lv in lvs:
            columns.setdefault(level[lv], []).append(lv)
        spacing = (width - 2 * margin) / depth
        rx, ry = min(62.0, spacing * 0.46), 28.0
        lanes = (0.5, 0.85, 0.15)  # a chain zig-zags over three lanes
        for col, members in columns.items():
            x = margin + spacing * (col + 0.5)
            for k, lv in enumerate(members):
                share = (
                    lanes[col % 3] if len(members) == 1 else (k + 0.5) / len(members)
                )
                pos[lv] = (x, 60 + ry + (height - 90 - 2 * ry) * share)
    title = gettext("Path model")
    values = {"scheme": result.scheme, "n": result.n, "gof": f"{result.gof:.2f}"}
    subtitle = (
        gettext("%(scheme)s scheme, standardised indicators, n = %(n)s, GoF = %(gof)s")
        if result.standardized
        else gettext(
            "%(scheme)s scheme, raw-scale indicators, n = %(n)s, GoF = %(gof)s"
        )
    ) % values
    body = [
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='9' "
        "markerHeight='9' markerUnits='userSpaceOnUse' orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#333'/></marker></defs>",
        f"<text x='{margin}' y='24' font-size='14' font-weight='bold'>{escape(title)}</text>",
        f"<text x='{margin}' y='40' font-size='11' fill='{_MUTED}'>"
        f"{escape(subtitle)}</text>",
    ]
    boot = result.bootstrap
    for s, t in result.model.paths:
        (x1, y1), (x2, y2) = pos[s], pos[t]
        # without a preset layout, edges that skip levels bow upwards to clear nodes
        bow = 0.0 if preset is not None else 55.0 * max(0, level[t] - level[s] - 1)
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2 - bow
        sx, sy = _ellipse_exit(x1, y1, cx if bow else x2, cy if bow else y2, rx, ry)
        tx, ty = _ellipse_exit(x2, y2, cx if bow else x1, cy if bow else y1, rx, ry)
        key = f"{s} -> {t}"
        coef = result.paths[key]
        dashed = ""
        if boot is not None and key in boot.paths:
            est = boot.paths[key]
            if est.ci_low <= 0 <= est.ci_high:
                dashed = " stroke-dasharray='5 4'"
        stroke = max(1.0, min(4.0, abs(coef) * 5))
        body.append(
            f"<path d='M{_num(sx)},{_num(sy)} Q{_num(cx)},{_num(cy)} {_num(tx)},{_num(ty)}' "
            f"fill='none' stroke='#333' stroke-width='{stroke:.1f}'{dashed} "
            f"marker-end='url(#arrow)'><title>{escape(f'{key}: {coef:.3f}')}</title></path>"
        )
        mx = 0.25 * sx + 0.5 * cx + 0.25 * tx
        my = 0.25 * sy + 0.5 * cy + 0.25 * ty
        body.append(
            f"<text x='{_num(mx)}' y='{_num(my - 3)}' font-size='11' text-anchor='middle' "
            f"fill='#000' stroke='#fff' stroke-width='3' paint-order='stroke'>{coef:.2f}</text>"
        )
    for lv, (x, y) in pos.items():
        idx = result.index.get(lv)
        r2 = result.r2.get(lv)
        body.append(
            f"<ellipse cx='{_num(x)}' cy='{_num(y)}' rx='{rx}' ry='{ry}' fill='#eef3fa' stroke='{_BAR}' stroke-width='1.5'/>"
        )
        body.append(
            f"<text x='{_num(x)}' y='{_num(y - 4)}' font-size='12' font-weight='bold' text-anchor='middle'>"
            f"{escape(_label(lv, labels))}</text>"
        )
        if idx is not None and r2 is not None:
            detail = gettext("index %(index)s, R² %(r2)s") % {
                "index": f"{idx:.1f}",
                "r2": f"{r2:.2f}",
            }
        elif idx is not None:
            detail = gettext("index %(value)s") % {"value": f"{idx:.1f}"}
        else:
            detail = f"R² {r2:.2f}" if r2 is not None else ""
        if detail:
            body.append(
                f"<text x='{_num(x)}' y='{_num(y + 12)}' font-size='10' text-anchor='middle' fill='#333'>"
                f"{escape(detail)}</text>"
            )
    return _svg(width, height, title, body)
