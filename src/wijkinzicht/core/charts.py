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
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("chart values must be finite")
    lo, hi = min(lo, hi), max(lo, hi)
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


TARGET_COLOUR = "#b35900"  # dark orange: contrast 4.6:1 on white, unlike any line colour


def _year_ticks(lo: float, hi: float, most: int = 7) -> list[int]:
    """Whole years between lo and hi, every 1, 2, 5 or 10 years: at most `most` labels."""
    span = hi - lo
    step = next((s for s in (1, 2, 5, 10, 20, 50) if span / s < most), 100)
    first = math.ceil(lo / step) * step
    return list(range(int(first), int(hi) + 1, step))


def _legend(entries: list[tuple[str, str, str, str, float]], top: float, left: float,
            width: float) -> list[str]:
    """Legend rows inside the SVG: (label, colour, dash, marker shape, stroke width), two a row."""
    parts, col_w = [], width / 2
    for i, (label, colour, dash, shape, stroke) in enumerate(entries):
        x, y = left + (i % 2) * col_w, top + (i // 2) * 20
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{x:.1f}" x2="{x + 26:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}" '
                     f'stroke-width="{stroke}"{dash_attr}/>')
        if shape:
            parts.append(_marker(shape, x + 13, y, colour))
        parts.append(f'<text x="{x + 32:.1f}" y="{y + 4:.1f}">{escape(label[:40])}</text>')
    return parts


def line_chart(
    *, title: str, lines: Sequence[Line], years: Sequence[float], decimals: int = 0,
    chart_id: str, table_id: str, width: int = 420, height: int = 220,
    background: Sequence[Line] = (), marker_year: float | None = None, zero: bool = True,
    target: float | None = None, target_label: str = "", background_label: str = "",
    marker_label: str = "",
) -> SafeString:
    """An SVG line chart, honest by construction (issue 14, item 4):

    - the time axis is proportional to time: 2017, 2020, 2021 are not equally spaced, and where a
      line has no figure for the years between two points the connection is dotted; an unknown or
      secret value leaves a gap, never a zero;
    - the value axis starts at zero (counts, levels, shares) unless ``zero=False`` -- then, when it
      does not reach zero, the axis shows a break mark;
    - a line with one point is a dot with its value written beside it;
    - every chart with more than one line (or with ``background`` lines) has a legend;
    - ``target`` draws the target as a labelled line; ``marker_year`` a dashed vertical line (e.g.
      the start of an approach, labelled ``marker_label``); ``background`` lines (placebo runs)
      are thin and grey behind the others.
    """
    pad_r, pad_t, pad_b = 14, 14, 30
    values = [v for line in [*lines, *background] for v in line.points.values() if v is not None]
    if target is not None:
        values.append(target)
    if not values or not years:
        return mark_safe("")
    lo, hi = min(values), max(values)
    if zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    if zero and lo > 0:
        lo = 0.0
    # room for the longest value label ("1.000.000" at 13 px), so that none is cut off at the left
    labels = [format_number(t, decimals if abs(t) < 100 else 0) for t in ticks]
    pad_l = max(44, 14 + 8 * max(len(t) for t in labels))
    span = (hi - lo) or 1.0
    legend_entries = []
    for k, line in enumerate(lines):
        colour, dash, shape = STYLES[k % len(STYLES)]
        legend_entries.append((line.label, colour, dash, shape, 2.5))
    if background:
        legend_entries.append((background_label or "", "#8a8a8a", "", "", 1))
    if target is not None:
        legend_entries.append((target_label or "", TARGET_COLOUR, "8 4", "", 2))
    show_legend = len(lines) > 1 or bool(background) or target is not None
    legend_h = (math.ceil(len(legend_entries) / 2) * 20 + 6) if show_legend else 0
    total_h = height + legend_h
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    y0, y1 = min(years), max(years)

    def x_of(year: float) -> float:
        return pad_l + (plot_w * (year - y0) / (y1 - y0) if y1 > y0 else plot_w / 2)

    def y_of(value: float) -> float:
        return pad_t + plot_h * (1 - (value - lo) / span)

    parts = []
    for t in ticks:
        if not lo - 1e-9 <= t <= hi + 1e-9:
            continue
        y = y_of(t)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#6e6e6e" if t == 0 else "#d6d6d6"}"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{escape(format_number(t, decimals if abs(t) < 100 else 0))}</text>')
    if lo > 0:  # the axis does not start at zero: say so with a break mark on it
        yb = pad_t + plot_h
        parts.append(f'<path d="M{pad_l - 5},{yb - 2:.1f}l10,-5M{pad_l - 5},{yb + 3:.1f}l10,-5" '
                     f'stroke="#000" stroke-width="1.5" fill="none"/>')
    for year in (_year_ticks(y0, y1) if y1 > y0 else [y0]):
        x = x_of(year)
        anchor = "end" if x > width - pad_r - 16 else "middle"  # the last label stays inside
        parts.append(f'<text x="{x:.1f}" y="{height - 10}" text-anchor="{anchor}">{int(year)}</text>')
    if marker_year is not None and y0 <= marker_year <= y1:
        x = x_of(marker_year)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_t}" y2="{height - pad_b}" '
                     f'stroke="#000" stroke-dasharray="3 3"/>')
        if marker_label:
            parts.append(f'<text x="{x + 4:.1f}" y="{pad_t + 10}">{escape(marker_label[:30])}</text>')
    if target is not None:
        y = y_of(target)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="8 4"/>')
    for line in background:
        points = [f"{x_of(y):.1f},{y_of(v):.1f}" for y in years if (v := line.points.get(y)) is not None]
        if len(points) > 1:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#b4b4b4" '
                         f'stroke-width="1"/>')
    for k, line in enumerate(lines):
        colour, dash, shape = STYLES[k % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        known = [(y, line.points[y]) for y in years if line.points.get(y) is not None]
        # consecutive points: a line when no year lies between them, a dotted connection when the
        # line has no figure for the years between, nothing across an unknown (secret) value
        previous = None
        segment: list[str] = []
        for year in years:
            if year not in line.points:
                continue
            v = line.points[year]
            if v is None:
                if len(segment) > 1:
                    parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                                 f'stroke-width="2.5"{dash_attr}/>')
                segment, previous = [], None
                continue
            point = f"{x_of(year):.1f},{y_of(v):.1f}"
            if previous is not None and year - previous[0] > 1:
                if len(segment) > 1:
                    parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                                 f'stroke-width="2.5"{dash_attr}/>')
                parts.append(f'<line x1="{x_of(previous[0]):.1f}" y1="{y_of(previous[1]):.1f}" '
                             f'x2="{x_of(year):.1f}" y2="{y_of(v):.1f}" stroke="{colour}" stroke-width="1.5" '
                             f'stroke-dasharray="1 4" class="no-data-between"/>')
                segment = []
            segment.append(point)
            previous = (year, v)
        if len(segment) > 1:
            parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                         f'stroke-width="2.5"{dash_attr}/>')
        for year, v in known:
            parts.append(_marker(shape, x_of(year), y_of(v), colour))
        if len(known) == 1:  # one point: the dot and its value, no line to read a trend from
            year, v = known[0]
            anchor = "end" if x_of(year) > pad_l + plot_w * 0.7 else "start"
            dx = -8 if anchor == "end" else 8
            parts.append(f'<text x="{x_of(year) + dx:.1f}" y="{y_of(v) - 8:.1f}" text-anchor="{anchor}" '
                         f'class="value">{escape(format_number(v, decimals))}</text>')
    if show_legend:
        parts.extend(_legend(legend_entries, height + 8, pad_l - 40, width - pad_l + 40 - pad_r))
    desc = "; ".join(
        f"{ln.label}: " + ", ".join(f"{y} {format_number(v, decimals)}" for y, v in
                                     ln.points.items() if v is not None) for ln in lines)
    if target is not None:
        desc += f"; {target_label or 'target'}: {format_number(target, decimals)}"
    svg = format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" aria-describedby="{}" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id, width, total_h, chart_id, chart_id, table_id, chart_id, title, chart_id, desc,
        mark_safe("".join(parts)),  # noqa: S308 - built above from numbers and escaped text
    )
    return svg


SPARK_MIN_SPAN = 0.2  # a sparkline's height spans at least 20 % of the level it shows


def spark_range(values: Sequence[float]) -> tuple[float, float]:
    """The vertical range of a sparkline: the values' own range, widened symmetrically to at least
    SPARK_MIN_SPAN of their mean size, so that 255.703 -> 256.596 (+0,3 %) draws nearly flat
    instead of as a steep climb, while a rate going from 5 % to 8 % still shows (issue 14)."""
    lo, hi = min(values), max(values)
    level = max(abs(lo), abs(hi))
    least = SPARK_MIN_SPAN * level or 1.0
    if hi - lo < least:
        middle = (hi + lo) / 2
        lo, hi = middle - least / 2, middle + least / 2
    return lo, hi


@dataclass
class SparkLines:
    """A sparkline's geometry in unit coordinates (x 0..1 left to right over the years, y 0..1
    bottom to top over `spark_range`), for any renderer: the web page and the PDF draw the same."""

    solid: list[list[tuple[float, float]]]  # runs of consecutive years
    dotted: list[tuple[tuple[float, float], tuple[float, float]]]  # across years without a figure
    last: tuple[float, float]


def spark_lines(points: dict[int, float | None]) -> SparkLines | None:
    """Years proportional to time, a gap where a figure is unknown (nothing drawn across it), a
    dotted connection across years that have no figure at all; None with fewer than two figures."""
    known = sorted((y, v) for y, v in points.items() if v is not None)
    if len(known) < 2:
        return None
    lo, hi = spark_range([v for _, v in known])
    y0, y1 = known[0][0], known[-1][0]

    def at(year, value):
        return ((year - y0) / (y1 - y0), (value - lo) / (hi - lo))

    solid: list[list[tuple[float, float]]] = []
    dotted = []
    segment: list[tuple[float, float]] = []
    previous = None
    for year in sorted(points):
        v = points[year]
        if v is None or (previous is not None and year - previous > 1):
            if len(segment) > 1:
                solid.append(segment)
            if v is not None and segment:  # no figure for the years between: dotted
                dotted.append((segment[-1], at(year, v)))
            segment = []
        if v is not None:
            segment.append(at(year, v))
        previous = year if v is not None else None
    if len(segment) > 1:
        solid.append(segment)
    return SparkLines(solid, dotted, at(*known[-1]))


def sparkline(points: dict[int, float | None], *, label: str, width: int = 120,
              height: int = 32) -> SafeString:
    """A word-sized trend line (`spark_lines`), the last point marked. Decorative next to the
    numbers that state the trend (`label` says it for screen readers); the scale is `spark_range`,
    not an axis -- the numbers carry the size."""
    lines = spark_lines(points)
    if lines is None:
        return mark_safe("")
    pad = 4

    def xy(point):
        fx, fy = point
        return f"{pad + (width - 2 * pad) * fx:.1f},{pad + (height - 2 * pad) * (1 - fy):.1f}"

    parts = [f'<polyline points="{" ".join(xy(p) for p in run)}" fill="none" stroke="#154273" '
             f'stroke-width="2"/>' for run in lines.solid]
    parts += [f'<polyline points="{xy(a)} {xy(b)}" fill="none" stroke="#154273" stroke-width="1.5" '
              f'stroke-dasharray="1 3"/>' for a, b in lines.dotted]
    last = xy(lines.last).split(",")
    parts.append(f'<circle cx="{last[0]}" cy="{last[1]}" r="3" fill="#154273"/>')
    return format_html(
        '<svg class="spark" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}" '
        'focusable="false">{}</svg>', width, height, width, height, label,
        mark_safe("".join(parts)))  # noqa: S308 - numbers only


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
    # bars grow from zero, up or down: the axis always holds zero
    lo, hi = min(min(known, default=0), 0), max(max(known, default=0), 0)
    if lo == hi:
        hi = 1
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b
    n = len(labels)
    slot = plot_w / n

    def y_of(v: float) -> float:
        return pad_t + plot_h * (hi - v) / (hi - lo)

    parts = []
    for t in ticks:
        y = y_of(t)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#6e6e6e" if t == 0 else "#d6d6d6"}"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{escape(format_number(t, decimals))}</text>")
    step = max(1, math.ceil(n / 12))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = pad_l + i * slot
        if value is not None and value != 0:
            top, bottom = sorted((y_of(value), y_of(0)))
            parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{top:.1f}" '
                         f'width="{slot * 0.7:.1f}" height="{bottom - top:.1f}" fill="#154273"/>')
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


@dataclass
class Interval:
    x: float
    label: str
    low: float | None
    high: float | None
    estimate: float | None = None
    reference: bool = False  # drawn hollow: fixed by construction (an event study's reference period)
    emphasis: bool = False  # drawn in the second colour (e.g. the ordinary interval beside robust ones)


def interval_chart(
    *, title: str, intervals: Sequence[Interval], decimals: int = 0, chart_id: str, table_id: str,
    x_label: str, width: int = 420, height: int = 230, marker_x: float | None = None, marker_label: str = "",
    legend: Sequence[tuple[str, bool]] = (),
) -> SafeString:
    """Estimates with their intervals as vertical bars over a numeric axis (event time, the size of
    a restriction), with the zero line: every point is labelled on the axis, an interval that is
    unknown (empty set) is left out and says so in the description; always shown with its table."""
    pad_r, pad_t, pad_b = 14, 14, 44
    values = [v for i in intervals for v in (i.low, i.high, i.estimate) if v is not None]
    if not values:
        return mark_safe("")
    lo, hi = min(min(values), 0.0), max(max(values), 0.0)
    ticks = _nice_ticks(lo, hi)
    lo, hi = min(ticks[0], lo), max(ticks[-1], hi)
    labels = [format_number(t, decimals if abs(t) < 100 else 0) for t in ticks]
    pad_l = max(44, 14 + 8 * max(len(t) for t in labels))
    span = (hi - lo) or 1.0
    xs = [i.x for i in intervals]
    x0, x1 = min(xs), max(xs)
    gap = (x1 - x0) / max(len(intervals) - 1, 1) if x1 > x0 else 1.0
    x0, x1 = x0 - gap / 2, x1 + gap / 2
    legend_h = (math.ceil(len(legend) / 2) * 20 + 6) if legend else 0
    plot_w, plot_h = width - pad_l - pad_r, height - pad_t - pad_b

    def x_of(x: float) -> float:
        return pad_l + plot_w * (x - x0) / (x1 - x0)

    def y_of(v: float) -> float:
        return pad_t + plot_h * (1 - (v - lo) / span)

    parts = []
    for t, text in zip(ticks, labels, strict=True):
        y = y_of(t)
        parts.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#6e6e6e" if t == 0 else "#d6d6d6"}"/>')
        parts.append(f'<text x="{pad_l - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(text)}</text>')
    step = max(1, math.ceil(len(intervals) / 9))  # at most about nine axis labels
    for k, i in enumerate(intervals):
        if k % step == 0 or i.reference or i.emphasis:
            parts.append(f'<text x="{x_of(i.x):.1f}" y="{height - pad_b + 16}" text-anchor="middle">'
                         f'{escape(i.label[:12])}</text>')
    parts.append(f'<text x="{pad_l + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                 f'{escape(x_label[:60])}</text>')
    if marker_x is not None and x0 <= marker_x <= x1:
        x = x_of(marker_x)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad_t}" y2="{pad_t + plot_h}" '
                     f'stroke="#000" stroke-dasharray="3 3"/>')
        if marker_label:
            parts.append(f'<text x="{x + 4:.1f}" y="{pad_t + 10}">{escape(marker_label[:30])}</text>')
    for i in intervals:
        colour = STYLES[1][0] if i.emphasis else STYLES[0][0]
        x = x_of(i.x)
        if i.low is not None and i.high is not None:
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y_of(i.low):.1f}" y2="{y_of(i.high):.1f}" '
                         f'stroke="{colour}" stroke-width="3"/>')
            for v in (i.low, i.high):
                parts.append(f'<line x1="{x - 5:.1f}" x2="{x + 5:.1f}" y1="{y_of(v):.1f}" y2="{y_of(v):.1f}" '
                             f'stroke="{colour}" stroke-width="2"/>')
        if i.estimate is not None:
            fill = "#fff" if i.reference else colour
            parts.append(f'<circle cx="{x:.1f}" cy="{y_of(i.estimate):.1f}" r="4.5" fill="{fill}" '
                         f'stroke="{colour}" stroke-width="2"/>')
    if legend:
        entries = [(text, STYLES[1][0] if emphasis else STYLES[0][0], "", "", 3) for text, emphasis in legend]
        parts.extend(_legend(entries, height + 8, pad_l - 40, width - pad_l + 40 - pad_r))

    def described(i: Interval) -> str:
        if i.low is None or i.high is None:
            return f"{i.label}: —"
        middle = f" {format_number(i.estimate, decimals)}" if i.estimate is not None else ""
        return f"{i.label}:{middle} [{format_number(i.low, decimals)}; {format_number(i.high, decimals)}]"

    return format_html(
        '<svg class="chart" id="{}" viewBox="0 0 {} {}" width="100%" role="img" '
        'aria-labelledby="{}-title {}-desc" aria-describedby="{}" focusable="false">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id, width, height + legend_h, chart_id, chart_id, table_id, chart_id, title, chart_id,
        "; ".join(described(i) for i in intervals),
        mark_safe("".join(parts)),  # noqa: S308 - built above from numbers and escaped text
    )
