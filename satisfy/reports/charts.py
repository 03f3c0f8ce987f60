"""Small server-rendered SVG charts for the dashboard (no JavaScript needed).

Every chart carries a ``<title>`` and ``<desc>`` and a text fallback table lives beside
it in the page, so screen readers and text browsers get the numbers too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d68910")


@dataclass(frozen=True, slots=True)
class Series:
    """One line: a name and a value per x label (None = not shown, e.g. small n)."""

    name: str
    values: tuple[float | None, ...]


def _fmt(x: float) -> str:
    return f"{x:.1f}"


def line_chart_svg(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    low: float | None = None,
    high: float | None = None,
    width: int = 640,
    height: int = 240,
) -> str:
    """A line chart of several series over the same labels, as an SVG string."""
    left, right, top, bottom = 44, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    lo = low if low is not None else (min(values) if values else 0.0)
    hi = high if high is not None else (max(values) if values else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" width="100%" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(title)}: "
        + "; ".join(
            f"{escape(s.name)} "
            + ", ".join(
                f"{escape(lab)} {'–' if v is None else _fmt(v)}"
                for lab, v in zip(labels, s.values, strict=False)
            )
            for s in series
        )
        + "</desc>",
    ]
    for k in range(5):
        v = lo + (hi - lo) * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{_fmt(y(v))}" y2="{_fmt(y(v))}" '
            'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{_fmt(y(v) + 4)}" font-size="11" text-anchor="end" '
            f'fill="#555">{v:.0f}</text>'
        )
    step = max(1, len(labels) // 12)
    for i, lab in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{_fmt(x(i))}" y="{height - bottom + 16}" font-size="11" '
                f'text-anchor="middle" fill="#555">{escape(lab)}</text>'
            )
    for j, s in enumerate(series):
        colour = PALETTE[j % len(PALETTE)]
        segment: list[str] = []
        runs: list[list[str]] = []
        for i, point in enumerate(s.values):
            if point is None:
                if segment:
                    runs.append(segment)
                segment = []
                continue
            segment.append(f"{_fmt(x(i))},{_fmt(y(point))}")
            parts.append(
                f'<circle cx="{_fmt(x(i))}" cy="{_fmt(y(point))}" r="3" fill="{colour}">'
                f"<title>{escape(s.name)} {escape(labels[i])}: {_fmt(point)}</title></circle>"
            )
        if segment:
            runs.append(segment)
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(run)}"/>'
                )
        lx = left + j * 120
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{lx + 14}" y="{height - 5}" font-size="11" fill="#333">'
            f"{escape(s.name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    high: float = 100.0,
    width: int = 640,
    unit: str = "",
) -> str:
    """Horizontal bars (one per label), e.g. dimension scores on 0–100."""
    row_h, left, right = 24, 180, 60
    height = row_h * max(len(labels), 1) + 8
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" class="chart" width="100%">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        yy = 4 + i * row_h
        parts.append(
            f'<text x="{left - 8}" y="{yy + 16}" font-size="12" text-anchor="end" '
            f'fill="#333">{escape(lab)}</text>'
        )
        if v is None:
            parts.append(
                f'<text x="{left + 4}" y="{yy + 16}" font-size="12" fill="#888">–</text>'
            )
            continue
        w = max(0.0, min(1.0, v / high)) * plot_w
        parts.append(
            f'<rect x="{left}" y="{yy + 3}" width="{_fmt(w)}" height="{row_h - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(lab)}: {_fmt(v)}{escape(unit)}</title></rect>'
            f'<text x="{_fmt(left + w + 6)}" y="{yy + 16}" font-size="12" fill="#333">'
            f"{_fmt(v)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
