"""Small server-rendered SVG charts for the operations pages (no JavaScript, no CDN).

Every chart has a ``<title>`` and ``role="img"`` with an ``aria-label``; the same
numbers are in a table beside it, so nothing is only in the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 34
COLOURS = ("#2f6db5", "#d9822b", "#3a9a5b", "#b03a48")


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = COLOURS[0]
    kind: str = "bar"  # "bar" or "line"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for power in range(-3, 10):
        for step in (1, 2, 2.5, 5):
            top = step * 10**power
            if top >= value:
                return float(top)
    return value


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}" if value < 1000 else f"{value:,.0f}"


def chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    percent: bool = False,
    y_max: float | None = None,
    target: float | None = None,
    label_every: int = 1,
) -> SafeString:
    """A bar and/or line chart over categorical ``labels``, as inline SVG."""
    n = max(1, len(labels))
    values = [v for s in series for v in s.values if v is not None]
    top = y_max if y_max is not None else _nice_max(max(values, default=0.0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / n

    def y(v: float) -> float:
        return TOP + plot_h - (min(v, top) / top) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        tick = top * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#555">{escape(_fmt(tick, percent))}</text>'
        )
    bars = [s for s in series if s.kind == "bar"]
    width = step * 0.8 / max(1, len(bars))
    for b, s in enumerate(bars):
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x = LEFT + i * step + step * 0.1 + b * width
            parts.append(
                f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{max(width - 1, 1):.1f}" '
                f'height="{TOP + plot_h - y(v):.1f}" fill="{s.colour}">'
                f"<title>{escape(labels[i])}: {escape(_fmt(v, percent))}</title></rect>"
            )
    for s in series:
        if s.kind != "line":
            continue
        points = [
            f"{LEFT + (i + 0.5) * step:.1f},{y(v):.1f}"
            for i, v in enumerate(s.values)
            if v is not None
        ]
        if points:
            parts.append(
                f'<polyline points="{" ".join(points)}" fill="none" '
                f'stroke="{s.colour}" stroke-width="2"/>'
            )
            for i, v in enumerate(s.values):
                if v is not None:
                    parts.append(
                        f'<circle cx="{LEFT + (i + 0.5) * step:.1f}" cy="{y(v):.1f}" '
                        f'r="2.5" fill="{s.colour}"><title>{escape(labels[i])}: '
                        f"{escape(_fmt(v, percent))}</title></circle>"
                    )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" '
            f'y2="{y(target):.1f}" stroke="#b03a48" stroke-dasharray="5,4"/>'
        )
    for i, label in enumerate(labels):
        if i % max(1, label_every):
            continue
        parts.append(
            f'<text x="{LEFT + (i + 0.5) * step:.1f}" y="{HEIGHT - BOTTOM + 14}" '
            f'text-anchor="middle" font-size="11" fill="#555">{escape(label)}</text>'
        )
    # legend
    x = LEFT
    for s in series:
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 12}" width="10" height="10" fill="{s.colour}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 3}" font-size="11" fill="#333">'
            f"{escape(s.name)}</text>"
        )
        x += 24 + 7 * len(s.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def interval_ranges(
    groups: Sequence[tuple[str, float, float | None, float | None]],
    *,
    title: str,
    percent: bool = True,
) -> SafeString:
    """Horizontal dots with interval whiskers: (label, value, low, high) per group."""
    row_h = 22
    height = TOP + row_h * max(1, len(groups)) + 24
    label_w = 190
    plot_w = WIDTH - label_w - RIGHT - 24  # room for the last tick label
    lows = [g[2] for g in groups if g[2] is not None]
    highs = [g[3] for g in groups if g[3] is not None]
    values = [g[1] for g in groups]
    lo = min([*lows, *values, 0.0])
    hi = max([*highs, *values, 1.0 if percent else 0.0])
    span = (hi - lo) or 1.0

    def x(v: float) -> float:
        return label_w + (v - lo) / span * plot_w

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        v = lo + span * i / 4
        parts.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{TOP - 4}" y2="{height - 20}" '
            'stroke="#e3e3e3"/>'
            f'<text x="{x(v):.1f}" y="{height - 6}" text-anchor="middle" font-size="11" '
            f'fill="#555">{escape(_fmt(v, percent))}</text>'
        )
    for i, (label, value, low, high) in enumerate(groups):
        cy = TOP + row_h * i + row_h / 2
        parts.append(
            f'<text x="{label_w - 8}" y="{cy + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#222">{escape(label)}</text>'
        )
        if low is not None and high is not None:
            parts.append(
                f'<line x1="{x(low):.1f}" x2="{x(high):.1f}" y1="{cy:.1f}" y2="{cy:.1f}" '
                f'stroke="{COLOURS[0]}" stroke-width="2"/>'
            )
        parts.append(
            f'<circle cx="{x(value):.1f}" cy="{cy:.1f}" r="4.5" fill="{COLOURS[0]}">'
            f"<title>{escape(label)}: {escape(_fmt(value, percent))}</title></circle>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
