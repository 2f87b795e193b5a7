"""Reading signals: an organisation's own signals; and for the partners in an area, counts per
theme and period, trends with their alarms, bundles, quotes and what is already being done -- the
counts through the disclosure layer (core.disclosure)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet

from wijkinzicht.analysis import surveillance
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.tenancy import scope_to_user
from wijkinzicht.parties.selectors import served_areas

from .constants import EFFORT_WEEKS
from .models import Bundle, Signal, Theme

HISTORY_YEARS = 5


def signals_for_user(*, user) -> QuerySet[Signal]:
    """The signals of the user's organisations (a fieldworker sees their organisation's signals)."""
    return scope_to_user(Signal.objects.all(), user=user).select_related("area", "main_theme", "organisation")


def reportable_areas(*, user) -> list[Area]:
    """Buurten and wijken a signal of the user's organisations can be about: those served and those
    within them, the newest division only."""
    out: dict[int, Area] = {}
    for area in served_areas(user=user):
        if area.level in ("buurt", "wijk"):
            out[area.pk] = area
        if area.level in ("gemeente", "wijk"):
            below = Area.objects.filter(area_selectors.within_area_q(area)).filter(
                level__in=("wijk", "buurt")
            )
            for a in area_selectors.newest_division(below):
                out[a.pk] = a
    return sorted(out.values(), key=lambda a: (a.code[2:8], a.level != "wijk", a.name))


# ---- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Periods:
    """Consecutive weeks (Monday to Sunday) or calendar months ending with the one holding `until`."""

    per: str  # "week" or "maand"
    until: dt.date
    count: int

    def index(self, day: dt.date) -> int:
        """Position of the period holding day (count - 1 for the last); negative before the first."""
        if self.per == "week":
            last_monday = self.until - dt.timedelta(days=self.until.weekday())
            return self.count - 1 - ((last_monday - (day - dt.timedelta(days=day.weekday()))).days // 7)
        return self.count - 1 - ((self.until.year * 12 + self.until.month) - (day.year * 12 + day.month))

    def start(self, i: int) -> dt.date:
        back = self.count - 1 - i
        if self.per == "week":
            return self.until - dt.timedelta(days=self.until.weekday() + 7 * back)
        months = self.until.year * 12 + self.until.month - 1 - back
        return dt.date(months // 12, months % 12 + 1, 1)

    def end(self, i: int) -> dt.date:
        if i + 1 < self.count:
            return self.start(i + 1) - dt.timedelta(days=1)
        if self.per == "week":
            return self.start(i) + dt.timedelta(days=6)
        nxt = self.until.year * 12 + self.until.month
        return dt.date(nxt // 12, nxt % 12 + 1, 1) - dt.timedelta(days=1)

    def label(self, i: int) -> str:
        start = self.start(i)
        if self.per == "week":
            year, week, _ = start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{start.year}-{start.month:02d}"

    @property
    def first(self) -> dt.date:
        return self.start(0)

    @property
    def settings(self) -> surveillance.Settings:
        return surveillance.Settings.weekly() if self.per == "week" else surveillance.Settings.monthly()


def periods_until(per: str, until: dt.date) -> Periods:
    per = "week" if per == "week" else "maand"
    freq = 52 if per == "week" else 12
    settings = surveillance.Settings.weekly() if per == "week" else surveillance.Settings.monthly()
    return Periods(per, until, HISTORY_YEARS * freq + settings.window + settings.gap + freq)


# ---- counts, effort and assessments ---------------------------------------------------------------


@dataclass
class Series:
    area: Area
    theme: Theme
    counts: np.ndarray
    keys: np.ndarray  # per period, the sum of the record keys of its signals (the cell key)
    effort: np.ndarray
    start: int = 0  # the first period of the area's history (its first signal); earlier ones are missing
    assessments: list = field(default_factory=list)  # (period index, Assessment row as dict)


def _rows(areas: list[Area], since: dt.date, until: dt.date):
    q = Q(pk__in=[])
    for area in areas:
        q |= area_selectors.within_area_q(area, "area__")
    signals = Signal.objects.filter(q, observed_on__gte=since, observed_on__lte=until)
    base = list(signals.values_list("pk", "observed_on", "area__code", "reporter_id", "record_key"))
    themes = defaultdict(list)
    through = Signal.themes.through.objects.filter(signal__in=signals).values_list("signal_id", "theme_id")
    for signal_id, theme_id in through:
        themes[signal_id].append(theme_id)
    return base, themes


def _belongs(code: str, area: Area) -> bool:
    return code == area.code or (
        area.level != "buurt" and code[2:].startswith(area.code[2:]) and code[:2] in ("WK", "BU")
    )


def series_for(
    *, areas: list[Area], themes: list[Theme], periods: Periods, assess_last: int = 0
) -> list[Series]:
    """Counts per area x theme x period (a signal counts for each of its themes, in every area it lies
    within), the signalling effort (professionals who reported anything in the area in the last
    EFFORT_WEEKS weeks), and the assessments of the last `assess_last` periods, batched over all series."""
    since = periods.first
    effort_since = since - dt.timedelta(weeks=EFFORT_WEEKS)
    base, signal_themes = _rows(areas, effort_since, periods.until)
    theme_index = {t.pk: j for j, t in enumerate(themes)}
    n = periods.count
    counts = np.zeros((len(areas), len(themes), n))
    keys = np.zeros((len(areas), len(themes), n), dtype=np.uint64)
    day_reports: list[list[tuple[dt.date, int]]] = [[] for _ in areas]
    for pk, day, code, reporter, record_key in base:
        i = periods.index(day)
        for a, area in enumerate(areas):
            if not _belongs(code, area):
                continue
            day_reports[a].append((day, reporter or -pk))
            if 0 <= i < n:
                for theme_id in signal_themes.get(pk, ()):
                    j = theme_index.get(theme_id)
                    if j is not None:
                        counts[a, j, i] += 1
                        keys[a, j, i] += np.uint64(record_key % (1 << 32))
    effort = np.zeros((len(areas), n))
    window = dt.timedelta(weeks=EFFORT_WEEKS)
    for a in range(len(areas)):
        reports = sorted(day_reports[a])
        if not reports:
            continue
        days = np.array([d.toordinal() for d, _ in reports])
        who = np.array([r for _, r in reports])
        for i in range(n):
            end = periods.end(i).toordinal()
            lo = np.searchsorted(days, end - window.days, side="right")
            hi = np.searchsorted(days, end, side="right")
            effort[a, i] = len(set(who[lo:hi].tolist()))
    out = [
        Series(area, theme, counts[a, j], keys[a, j], effort[a])
        for a, area in enumerate(areas)
        for j, theme in enumerate(themes)
    ]
    # an area's history begins with its first signal: the periods before are missing, not zero
    first = [max(0, min(periods.index(d) for d, _ in reports)) if reports else n for reports in day_reports]
    for k, s in enumerate(out):
        s.start = first[k // len(themes)]
    if assess_last and out:
        matrix = np.vstack([s.counts for s in out])
        # a period without any active professional counts as one: nothing was reported there either
        efforts = np.vstack([np.maximum(s.effort, 1.0) for s in out])
        start = np.array([s.start for s in out])
        for t in range(max(0, n - assess_last), n):
            result = surveillance.assess(matrix, efforts, t0=t, settings=periods.settings, start=start)
            for k, s in enumerate(out):
                s.assessments.append(
                    (
                        t,
                        {
                            "observed": int(result.observed[k]),
                            "expected": float(result.expected[k]),
                            "upper": float(result.upper[k]),
                            "alarm": bool(result.alarm[k]),
                            "method": str(result.method[k]),
                            "trend": float(result.trend[k]),
                            "years": int(result.years_used[k]),
                            "effort": float(efforts[k, t]),
                        },
                    )
                )
    return out


def theme_totals(*, area: Area, since: dt.date, until: dt.date) -> dict[int, tuple[int, int]]:
    """Per theme id, the number of signals in the area and period and the sum of their record keys
    (the cell key of the published count)."""
    through = Signal.themes.through.objects.filter(
        area_selectors.within_area_q(area, "signal__area__"),
        signal__observed_on__gte=since,
        signal__observed_on__lte=until,
    ).values_list("theme_id", "signal__record_key")
    out: dict[int, tuple[int, int]] = {}
    for theme_id, key in through:
        count, total = out.get(theme_id, (0, 0))
        out[theme_id] = (count + 1, total + key)
    return out


def reporters(*, area: Area, since: dt.date, until: dt.date) -> int:
    """How many professionals reported anything in the area in the period (the signalling effort)."""
    return (
        Signal.objects.filter(
            area_selectors.within_area_q(area, "area__"), observed_on__gte=since, observed_on__lte=until
        )
        .exclude(reporter=None)
        .values("reporter")
        .distinct()
        .count()
    )


def last_complete(per: str, day: dt.date) -> dt.date:
    """The last day of the last whole week (Sunday) or month up to and including day: a period
    still running is not assessed (it would look low, or, extrapolated, absurd)."""
    if per == "week":
        return day - dt.timedelta(days=(day.weekday() + 1) % 7)
    following = day + dt.timedelta(days=1)
    return day if following.month != day.month else day.replace(day=1) - dt.timedelta(days=1)


def bundles_in(*, area: Area, since: dt.date, until: dt.date) -> QuerySet[Bundle]:
    """Bundles about the area (or a wijk within it / containing it) active in the period, with their
    number of signals and organisations."""
    return (
        Bundle.objects.filter(
            area_selectors.related_area_q(area, "area__"), last_on__gte=since, first_on__lte=until
        )
        .select_related("theme", "area")
        .annotate(
            n_signals=Count("signals", distinct=True),
            n_organisations=Count("signals__organisation", distinct=True),
        )
        .order_by("-last_on", "pk")
    )


def quotes(*, area: Area, theme: Theme, since: dt.date, until: dt.date, limit: int = 3) -> list[Signal]:
    """Reviewed texts without personal data, newest first."""
    return list(
        Signal.objects.filter(
            area_selectors.within_area_q(area, "area__"),
            themes=theme,
            quotable=True,
            personal_data_flags=[],
            observed_on__gte=since,
            observed_on__lte=until,
        )
        .select_related("organisation", "area")
        .order_by("-observed_on", "-pk")[:limit]
    )


def activities_for(*, area: Area, theme: Theme, since: dt.date, until: dt.date, limit: int = 5):
    """Activities in or around the area, running in the period, on a theme that answers to the signal's."""
    from wijkinzicht.activities.models import Activity

    codes = theme.activity_theme_list()
    if not codes:
        return []
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(themes__contains=f",{code},")
    running = (Q(start_date__isnull=True) | Q(start_date__lte=until)) & (
        Q(end_date__isnull=True) | Q(end_date__gte=since)
    )
    return list(
        Activity.objects.filter(q, running, area_selectors.related_area_q(area, "areas__"))
        .select_related("organisation")
        .distinct()
        .order_by("title")[:limit]
    )


def programmes_for(*, area: Area, activities, since: dt.date, until: dt.date):
    from wijkinzicht.outcomes.models import Programme

    return list(
        Programme.objects.filter(activities__in=activities, start_date__lte=until, end_date__gte=since)
        .select_related("organisation")
        .distinct()
        .order_by("name")
    )
