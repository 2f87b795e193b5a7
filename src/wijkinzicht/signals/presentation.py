"""The signal report of an area and period: per theme its count (through the disclosure layer),
the change, the trend with its alarm limit, the alarms with their rule in words, bundles with the
municipality's answers, reviewed quotes, and the activities and programmes that already answer to
it. The page, the CSV and the PDF are made from the same Report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.charts import format_number
from wijkinzicht.core.disclosure import configured_threshold, show_perturbed

from . import selectors
from .models import Theme


@dataclass
class Alarm:
    area: Area
    theme: Theme
    period: str
    shown: int | str
    rule: str


@dataclass
class Point:
    label: str  # the period's code (2026-10, 2026-W44), for the CSV
    shown: int | str
    expected: str
    upper: str
    alarm: bool
    effort: int | str
    upper_value: float | None = None
    title: str = ""  # the period in words, for the page
    missing: bool = False  # before the area's first signal: no data, not zero


@dataclass
class ThemeRow:
    theme: Theme
    shown: int | str
    previous: int | str
    change: str
    points: list[Point]
    alarms: list[Alarm]
    method: str
    chart: SafeString
    quotes: list = field(default_factory=list)
    bundles: list = field(default_factory=list)
    activities: list = field(default_factory=list)
    programmes: list = field(default_factory=list)


@dataclass
class Report:
    area: Area
    since: dt.date
    until: dt.date
    per: str
    rows: list[ThemeRow]
    alarms: list[Alarm]
    threshold: int
    bundles: list
    complete_until: dt.date  # the end of the last whole week or month: trends and alarms stop there
    reporters: int = 0  # professionals who reported in the area in the period
    reporters_before: int = 0  # ... and in the period of the same length before it
    judged: int = 0  # whole periods in the report's period that were judged for unusual rises
    unjudged: int = 0  # ... and those with too little history to judge
    period_label: str = ""  # the calendar period in words ("oktober 2026", "kwartaal 4 van 2026")


def period_title(periods, t: int) -> str:
    """A period in words: "oktober 2026", or "week 44 (26-10 – 1-11-2026)"."""
    start, end = periods.start(t), periods.end(t)
    if periods.per == "maand":
        return date_format(start, "F Y")
    return _("week %(week)s (%(start)s – %(end)s)") % {
        "week": start.isocalendar()[1],
        "start": date_format(start, "j-n"),
        "end": date_format(end, "j-n-Y"),
    }


def method_text(method: str) -> str:
    return {
        "farrington": _(
            "improved Farrington method (quasi-Poisson with season; a trend only from three years of history)"
        ),
        "ears-c1": _("EARS C1 (short history)"),
        "ears-c2": _("EARS C2 (short history)"),
        "ears-c3": _("EARS C3 (short history)"),
        "": _("too little history for an assessment"),
    }.get(method, method)


def rule_text(a: dict, *, period: str, per: str) -> str:
    """Why an alarm was raised, in words."""
    values = {
        "period": period,
        "observed": a["observed"],
        "expected": format_number(a["expected"], 1),
        "upper": format_number(a["upper"], 0),
        "effort": format_number(a["effort"], 0),
        "history": ngettext("the past year", "the past %(years)s years", a["years"]) % {"years": a["years"]},
    }
    if a["method"] == "farrington":
        text = (
            _(
                "In %(period)s more signals came in than the alarm limit of %(upper)s. The limit is what "
                "%(history)s at the same time of year lead one to expect (%(expected)s), with room for "
                "chance (99th percentile of a negative binomial) and for the season, for the %(effort)s "
                "professionals who reported in the area in the 13 weeks up to then."
            )
            % values
        )
    else:
        text = (
            _(
                "In %(period)s more signals came in than the alarm limit of %(upper)s: three standard "
                "deviations above the mean of the periods before (%(expected)s), for the %(effort)s "
                "professionals who reported in the area in the 13 weeks up to then. The history is still "
                "short, so this is a rough check."
            )
            % values
        )
    return text + " " + _("No alarm is given on fewer than %(n)s signals.") % {"n": configured_threshold()}


def bar_chart(points: list[Point], *, title: str, chart_id: str, table_id: str) -> SafeString:
    """Bars for the (published) counts, a step line for the alarm limit, alarms in red with a mark;
    suppressed counts as a low hatched bar labelled with the threshold. The table beside it holds
    the same figures."""
    if not points:
        return mark_safe("")
    width, height, pad_l, pad_b, pad_t = 560, 200, 40, 30, 12
    values = [p.shown for p in points if isinstance(p.shown, int)]
    uppers = [p.upper_value for p in points if p.upper_value is not None]
    top = max([configured_threshold(), *values, *uppers]) * 1.15
    step = (width - pad_l - 6) / len(points)
    plot_h = height - pad_b - pad_t

    def y(v: float) -> float:
        return pad_t + plot_h * (1 - v / top)

    parts = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{table_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line x1="{pad_l}" y1="{y(0):.1f}" x2="{width - 4}" y2="{y(0):.1f}" stroke="#4a4a4a"/>',
    ]
    for tick in (0, top / 1.15 / 2, top / 1.15):
        parts.append(
            f'<text x="{pad_l - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="15">'
            f"{round(tick)}</text>"
        )
    limit_path = []
    for i, p in enumerate(points):
        x = pad_l + i * step
        if p.missing:
            pass
        elif isinstance(p.shown, int):
            colour = "#b00020" if p.alarm else "#154273"
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y(p.shown):.1f}" width="{max(step - 2, 1):.1f}" '
                f'height="{y(0) - y(p.shown):.1f}" fill="{colour}"/>'
            )
        else:
            h = y(0) - y(configured_threshold() / 2)
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{y(0) - h:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                f'fill="#c9d6e6"/>'
            )
        if p.upper_value is not None:
            u = p.upper_value
            limit_path.append(
                f"{'M' if not limit_path else 'L'}{x:.1f},{y(u):.1f} L{x + step:.1f},{y(u):.1f}"
            )
        if p.alarm:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{pad_t + 9}" text-anchor="middle" font-size="12" '
                f'fill="#b00020">▲</text>'
            )
    if limit_path:
        parts.append(
            f'<path d="{" ".join(limit_path)}" fill="none" stroke="#e17000" stroke-width="2" '
            f'stroke-dasharray="6 3"/>'
        )
    every = max(1, len(points) // 4)
    for i in range(0, len(points), every):
        x = pad_l + i * step + step / 2
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="15">'
            f"{escape(points[i].label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text in it went through escape()


def _change(now: int, before: int, shown_now, shown_before) -> str:
    if isinstance(shown_before, str):
        return _("the period before had fewer than %(n)s") % {"n": configured_threshold()}
    if isinstance(shown_now, str):
        return _("fewer than %(n)s; the period before %(before)s") % {
            "n": configured_threshold(),
            "before": shown_before,
        }
    diff = shown_now - shown_before
    if diff == 0:
        return _("as many as the period before")
    if diff > 0:
        return _("%(n)s more than the period before") % {"n": diff}
    return _("%(n)s fewer than the period before") % {"n": -diff}


def build(
    *, area: Area, since: dt.date, until: dt.date, per: str = "maand", previous: tuple | None = None
) -> Report:
    """The report of an area for the days since..until (a calendar period, signals.periods) compared
    with `previous` (default: as many days just before)."""
    themes = list(Theme.objects.filter(is_active=True))
    per = "week" if per == "week" else "maand"
    complete = selectors.last_complete(per, until)
    periods = selectors.periods_until(per, complete)
    lo = max(0, periods.index(max(since, periods.first)))
    hi = periods.count
    if complete < since:  # a period shorter than one whole week or month: the last whole one is shown
        lo = hi - 1
    shown_periods = max(hi - lo, 12 if per == "maand" else 26)
    first_shown = max(0, hi - shown_periods)
    # the alarm scan: the area itself and, for a gemeente, its wijken
    areas = [area]
    if area.level == "gemeente":
        wijken = area_selectors.newest_division(
            Area.objects.filter(level="wijk", code__startswith="WK" + area.code[2:])
        )
        areas += list(wijken)
    series = selectors.series_for(areas=areas, themes=themes, periods=periods, assess_last=hi - lo)
    by_key = {(s.area.pk, s.theme.pk): s for s in series}
    alarms: list[Alarm] = []
    for s in series:
        for t, a in s.assessments:
            if a["alarm"]:
                alarms.append(
                    Alarm(
                        s.area,
                        s.theme,
                        period_title(periods, t),
                        show_perturbed(int(s.counts[t]), int(s.keys[t])),
                        rule_text(a, period=period_title(periods, t), per=per),
                    )
                )
    own = by_key[(area.pk, themes[0].pk)] if themes else None
    unjudged = sum(1 for _t, a in own.assessments if not a["method"]) if own else 0
    bundles = list(selectors.bundles_in(area=area, since=since, until=until))
    length = (until - since).days + 1
    now = selectors.theme_totals(area=area, since=since, until=until)
    previous = previous or (since - dt.timedelta(days=length), since - dt.timedelta(days=1))
    before = selectors.theme_totals(area=area, since=previous[0], until=previous[1])
    rows = []
    for theme in themes:
        s = by_key[(area.pk, theme.pk)]
        count, key = now.get(theme.pk, (0, 0))
        count_before, key_before = before.get(theme.pk, (0, 0))
        shown, shown_before = show_perturbed(count, key), show_perturbed(count_before, key_before)
        assessed = dict(s.assessments)
        points = []
        for t in range(first_shown, hi):
            a = assessed.get(t)
            judged = bool(a and a["method"])
            missing = t < s.start
            points.append(
                Point(
                    periods.label(t),
                    "–" if missing else show_perturbed(int(s.counts[t]), int(s.keys[t])),
                    format_number(a["expected"], 1) if judged else "–",
                    format_number(a["upper"], 0) if judged else "–",
                    bool(a and a["alarm"]),
                    "–" if missing else int(s.effort[t]),
                    float(a["upper"]) if judged else None,
                    period_title(periods, t),
                    missing,
                )
            )
        methods = {a["method"] for _t, a in s.assessments}
        acts = selectors.activities_for(area=area, theme=theme, since=since, until=until)
        rows.append(
            ThemeRow(
                theme=theme,
                shown=shown,
                previous=shown_before,
                change=_change(count, count_before, shown, shown_before),
                points=points,
                alarms=[a for a in alarms if a.theme.pk == theme.pk],
                method=method_text(sorted(methods)[-1] if methods else ""),
                chart=bar_chart(
                    points,
                    title=_("Signals on %(theme)s per %(per)s in %(area)s")
                    % {
                        "theme": theme.name,
                        "per": _("week") if per == "week" else _("month"),
                        "area": area.name,
                    },
                    chart_id=f"grafiek-{theme.key}",
                    table_id=f"tabel-{theme.key}",
                ),
                quotes=selectors.quotes(area=area, theme=theme, since=since, until=until),
                bundles=[b for b in bundles if b.theme_id == theme.pk],
                activities=acts,
                programmes=selectors.programmes_for(area=area, activities=acts, since=since, until=until),
            )
        )
    rows.sort(key=lambda r: (-(r.shown if isinstance(r.shown, int) else 0), -len(r.alarms), r.theme.order))
    return Report(
        area,
        since,
        until,
        per,
        rows,
        alarms,
        configured_threshold(),
        bundles,
        complete,
        selectors.reporters(area=area, since=since, until=until),
        selectors.reporters(area=area, since=previous[0], until=previous[1]),
        (len(own.assessments) - unjudged) if own else 0,
        unjudged,
    )


def for_period(*, area: Area, period, per: str) -> Report:
    """The report of an area for a calendar period (signals.periods.ReportPeriod), compared with the
    period before it: what the page, its exports and the API show."""
    report = build(
        area=area,
        since=period.since,
        until=period.until,
        per=per,
        previous=(period.previous_since, period.previous_until),
    )
    report.period_label = period.label
    return report


def csv_rows(report: Report) -> list[list]:
    """The report's figures as table rows (the CSV download)."""
    out = [
        [
            _("area"),
            _("theme"),
            _("theme key"),
            _("period"),
            _("signals"),
            _("expected"),
            _("alarm limit"),
            _("alarm"),
            _("active reporting professionals"),
        ]
    ]
    for row in report.rows:
        for p in row.points:
            out.append(
                [
                    report.area.code,
                    row.theme.name,
                    row.theme.key,
                    p.label,
                    "" if p.missing else p.shown,
                    "" if p.expected == "–" else p.expected,
                    "" if p.upper == "–" else p.upper,
                    _("yes") if p.alarm else _("no"),
                    "" if p.missing else p.effort,
                ]
            )
    return out
