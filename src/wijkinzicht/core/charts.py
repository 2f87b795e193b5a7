"""Small server-side SVG charts: no JavaScript, no CDN, always shown with their table."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Distinguishable without colour: every line has its own dash pattern and marker shape.
STYLES = (
    ("#154273", "", "circle"),        # the area itself: solid, dark blue (NL Design System)
    ("#a90061", "6 3", "square"),     # wijk
    ("#39870c", "2 3", "triangle"),   # gemeente
    ("#5c5c5c", "10 4 2 4", "diamond"),  # Nederland
)


@dataclass
class Line:
    label: str
    points: dict[int, float | None]


def format_number(value: float | None, decimals: int = 0) -> str:
    """Dutch number format: 12.345,6."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def _nice_ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if hi == lo:
        hi = lo + (abs(lo) or 1)
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 0.5:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (f'<path d="M{x:.1f},{y - 4.5:.1f}L{x + 4.5:.1f},{y + 3.5:.1f}'
                f'L{x - 4.5:.1f},{y + 3.5:.1f}Z" fill="{colour}"/>')
    if shape == "diamond":
        return (f'<path d="M{x:.1f},{y - 5:.1f}L{x + 5:.1f},{y:.1f}L{x:.1f},{y + 5:.1f}'
                f'L{x - 5:.1f},{y:.1f}Z" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart(
    *, title: str, lines: Sequence[Line], years: Sequence[int], decimals: int = 0,
    chart_id: str, table_id: str, width: int = 520, height: int = 220,
    background: Sequence[Line] = (), marker_year: int | None = None,
) -> SafeString:
    """An SVG line chart; points that are unknown/secret leave a gap, never a zero.

    ``background`` lines (e.g. placebo runs) are drawn thin and grey behind the others, without
    markers; ``marker_year`` draws a dashed vertical line (e.g. the start of an approach)."""
    pad_l, pad_r, pad_t, pad_b = 64, 12, 12, 28
    values = [v for line in [*lines, *background] for v in line.points.values() if v is not None]
    if not values or not years:
        return mark_safe("")
    lo, hi = min(values), max(values)
    if lo >= 0 and lo < (hi - lo):
        lo = 0.0
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    span = (hi - lo) or 1.0
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = len(years)

    def x_of(year: int) -> float:
        return pad_l + (plot_w * (years.index(year) / (n - 1)) if n > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        return pad_t + plot_h * (1 - (value - lo) / span)

    parts = []
    for t in ticks:
        y = y_of(t)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#d6d6d6"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(format_number(t, decimals if abs(t) < 100 else 0))}</text>')
    step = max(1, math.ceil(n / 8))
    for i, year in enumerate(years):
        if i % step == 0 or i == n - 1:
            parts.append(f'<text x="{x_of(year):.1f}" y="{height - 8}" text-anchor="middle">'
                         f"{year}</text>")
    if marker_year is not None and marker_year in years:
        x = x_of(marker_year)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_t}" y2="{height - pad_b}" '
                     f'stroke="#000" stroke-dasharray="3 3"/>')
    for line in background:
        points = [f"{x_of(y):.1f},{y_of(v):.1f}" for y in years if (v := line.points.get(y)) is not None]
        if len(points) > 1:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#b4b4b4" '
                         f'stroke-width="1"/>')
    for k, line in enumerate(lines):
        colour, dash, shape = STYLES[k % len(STYLES)]
        segment: list[str] = []
        segments: list[list[str]] = []
        for year in years:
            v = line.points.get(year)
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x_of(year):.1f},{y_of(v):.1f}")
        if segment:
            segments.append(segment)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for seg in segments:
            if len(seg) > 1:
                parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{colour}" '
                             f'stroke-width="2.5"{dash_attr}/>')
        for year in years:
            v = line.points.get(year)
            if v is not None:
                parts.append(_marker(shape, x_of(year), y_of(v), colour))
    desc = "; ".join(
        f"{ln.label}: " + ", ".join(f"{y} {format_number(v, decimals)}" for y, v in
                                     ln.points.items() if v is not None) for ln in lines)
    svg = format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" aria-describedby="{}" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id, width, height, chart_id, chart_id, table_id, chart_id, title, chart_id, desc,
        mark_safe("".join(parts)),  # noqa: S308 - built above from numbers and escaped text
    )
    return svg


def bar_chart(
    *, title: str, labels: Sequence[str], values: Sequence[float | None], chart_id: str, table_id: str,
    width: int = 520, height: int = 220, decimals: int = 0,
) -> SafeString:
    """An SVG bar chart of one series; an unknown or suppressed value draws no bar (never a zero).

    Used where a table of the same numbers stands beside it (aria-describedby points at it)."""
    pad_l, pad_r, pad_t, pad_b = 56, 8, 12, 28
    known = [v for v in values if v is not None]
    if not labels:
        return mark_safe("")
    hi = max(known, default=0) or 1
    ticks = _nice_ticks(0, hi)
    hi = max(ticks[-1], hi)
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = len(labels)
    slot = plot_w / n
    parts = []
    for t in ticks:
        y = pad_t + plot_h * (1 - t / hi)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d6d6d6"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(format_number(t, decimals))}</text>")
    step = max(1, math.ceil(n / 12))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = pad_l + i * slot
        if value is not None and value > 0:
            h = plot_h * value / hi
            parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{pad_t + plot_h - h:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="#154273"/>')
        if i % step == 0:
            parts.append(f'<text x="{x + slot / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                         f"{escape(label)}</text>")
    desc = "; ".join(f"{label}: {format_number(v, decimals) if v is not None else '?'}"
                     for label, v in zip(labels, values, strict=True))
    return format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" aria-describedby="{}" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id, width, height, chart_id, chart_id, table_id, chart_id, title, chart_id, desc,
        mark_safe("".join(parts)),  # noqa: S308 - built above from numbers and escaped text
    )
