"""Reads of the outcomes module. A programme is visible to the members of its owning organisation
and of its partners; measurements stay with the organisation that registered them, and what a
programme page shows of them are group figures from MIN_GROUP people on.

Indicator values are computed live, in a few queries for the whole programme; the figures derived
from measurements are cached under a stamp of the measurements (decision 0010, docs/benchmarks.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkinzicht.activities.models import Attendance, Meeting, Participant
from wijkinzicht.activities.reach import anonymous_key_sum
from wijkinzicht.analysis.evaluation import EvaluationError
from wijkinzicht.analysis.evaluation.person import paired_change
from wijkinzicht.analysis.progress import ProgressResult, progress
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Observation
from wijkinzicht.core import disclosure
from wijkinzicht.core.tenancy import organisation_ids_for

from . import instruments, summaries
from .constants import (
    EDIT_ROLES,
    LAYERS,
    MIN_GROUP,
    VISION_ROLES,
    ElementKind,
    Moment,
    PartyRole,
    ReachMeasure,
    SourceKind,
)
from .models import (
    Element,
    Indicator,
    Link,
    Measurement,
    ModelVersion,
    PersonPair,
    Programme,
    Questionnaire,
    YearFigure,
)


def programmes_for_user(*, user):
    ids = organisation_ids_for(user)
    if not ids:
        return Programme.objects.none()
    return Programme.objects.filter(
        Q(organisation_id__in=ids) | Q(partners__organisation_id__in=ids)
    ).distinct()


def programme_get(*, user, pk: int) -> Programme:
    programme = programmes_for_user(user=user).select_related("organisation").filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


def can_edit(*, user, programme: Programme) -> bool:
    return programme.organisation_id in organisation_ids_for(user, roles=EDIT_ROLES)


def partner_organisation_ids(programme: Programme) -> set[int]:
    """The organisations taking part in the programme, the owner included."""
    return set(programme.partners.values_list("organisation_id", flat=True))


def vision_organisation_ids(*, user, programme: Programme) -> set[int]:
    """The partner organisations of the programme for which the user may state the vision."""
    return partner_organisation_ids(programme) & organisation_ids_for(user, roles=VISION_ROLES)


def measurements_for_user(*, user):
    """The measurements of the user's own organisations, newest first (individual measurements
    never leave the organisation that registered them)."""
    return (
        Measurement.objects.filter(organisation_id__in=organisation_ids_for(user))
        .select_related("participant", "programme")
        .order_by("-date", "-pk")
    )


def measurement_get(*, user, pk: int) -> Measurement:
    """One measurement of the user's own organisations; 404 for any other."""
    measurement = measurements_for_user(user=user).filter(pk=pk).first()
    if measurement is None:
        raise Http404
    return measurement


def measurement_import_get(*, user, pk: int):
    """A queued measurement import, for the person who uploaded it and the coordinators and
    administrators of its organisation (its problems name pseudonyms); 404 for anyone else."""
    from wijkinzicht.parties.constants import Role

    from .models import MeasurementImport

    found = MeasurementImport.objects.defer("data").select_related("organisation", "programme").filter(
        pk=pk, organisation_id__in=organisation_ids_for(user)
    ).first()
    if found is None:
        raise Http404
    managing = organisation_ids_for(user, roles={Role.COORDINATOR, Role.ADMINISTRATOR})
    if found.user_id != user.pk and found.organisation_id not in managing:
        raise Http404
    return found


def element_get(*, user, programme: Programme, pk: int) -> Element:
    element = programme.elements.filter(pk=pk).first()
    if element is None:
        raise Http404
    return element


def link_get(*, programme: Programme, pk: int) -> Link:
    link = programme.links.select_related("source", "target").filter(pk=pk).first()
    if link is None:
        raise Http404
    return link


def indicator_get(*, programme: Programme, pk: int) -> Indicator:
    indicator = (
        Indicator.objects.filter(element__programme=programme, pk=pk).select_related("element").first()
    )
    if indicator is None:
        raise Http404
    return indicator


def version_get(*, programme: Programme, number: int) -> ModelVersion:
    version = programme.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def questionnaires_for(*, programme: Programme | None = None, organisation_ids=()) -> list[Questionnaire]:
    qs = Questionnaire.objects.select_related("organisation")
    if programme is not None:
        qs = qs.filter(organisation__programme_partnerships__programme=programme)
    else:
        qs = qs.filter(organisation_id__in=organisation_ids)
    return list(qs.distinct())


# --- the change model as layers -----------------------------------------------------------------


@dataclass
class Structure:
    """Elements per layer (top: goal) and arrows, from the live model or a version's snapshot."""

    layers: list[tuple[str, str, list[dict]]]  # (kind, label, elements)
    links: list[dict]
    by_id: dict[int, dict]


def structure(data: dict) -> Structure:
    """Layers from snapshot data ({elements, links}); every element gets its arrows in and out."""
    by_id = {e["id"]: {**e, "in": [], "out": []} for e in data["elements"]}
    links = []
    for ln in data["links"]:
        source, target = by_id.get(ln["source"]), by_id.get(ln["target"])
        if source is None or target is None:
            continue
        link = {**ln, "source_title": source["title"], "target_title": target["title"]}
        source["out"].append(link)
        target["in"].append(link)
        links.append(link)
    labels = dict(ElementKind.choices)
    layers = []
    for kind in LAYERS:
        elements = sorted(
            (e for e in by_id.values() if e["kind"] == kind), key=lambda e: (e["position"], e["id"])
        )
        layers.append((kind, str(labels[kind]), elements))
    return Structure(layers=layers, links=links, by_id=by_id)


# --- figures derived from measurements, cached under a stamp of the measurements --------------------

CACHE_SECONDS = 24 * 3600


def _cached(programme: Programme, name: str, params: tuple, compute, token: str | None = None):
    """compute() once per programme, parameters, language and token: by default the stamp of the
    programme's measurements (outcomes/summaries.py brings the summaries up to date first). A new,
    changed or deleted measurement changes the stamp, so nothing stale is shown. The outcome results
    pair up to every measurement of the programme, and they change far less often than the page
    is viewed."""
    if token is None:
        token = summaries.ensure_fresh(programme).stamp
    digest = hashlib.sha256(repr((params, get_language(), token)).encode())
    key = f"outcomes:{programme.pk}:{name}:{digest.hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- indicators: live series and progress -------------------------------------------------------


@dataclass
class Point:
    date: dt.date
    label: str
    value: float | None
    shown: object  # what may be published: the value, "<5" or None
    n: int | None = None  # people behind an instrument value

    @property
    def people(self):
        """The number of people as it may be published: "<5" under MIN_GROUP."""
        return None if self.n is None else disclosure.show(self.n, threshold=MIN_GROUP)


@dataclass
class IndicatorView:
    indicator: Indicator
    points: list[Point]
    progress: ProgressResult
    unit: str = ""
    note: str = ""

    @property
    def status(self) -> str:
        return self.progress.status


def _year_end(year: int, today: dt.date) -> dt.date:
    return min(dt.date(year, 12, 31), today)


def _year(first: int, last: int, field: str = "date") -> Case:
    """The calendar year of a date field as a CASE over date ranges, first to last: plain
    comparisons the database evaluates itself (ExtractYear is a Python function per row on SQLite,
    which made the programme page 1.3 s slower with 200,000 measurements)."""
    whens = [
        When(**{f"{field}__range": (dt.date(y, 1, 1), dt.date(y, 12, 31))}, then=Value(y))
        for y in range(first, last + 1)
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _area_points(indicators: list[Indicator]) -> dict[int, list[Point]]:
    """The yearly figures of each area indicator, through the area's code changes: figures of the
    same area under its other codes (a 1:1 re-coding such as Amsterdam's in 2023) fill the years
    its own code has none (issue 14: an indicator on an old code stopped in 2022 and said "on
    track" for ever)."""
    wanted = {(i.area_id, i.area_indicator_id) for i in indicators}
    if not wanted:
        return {}
    chains = area_selectors.same_area_ids({a for a, _i in wanted})
    q = Q()
    for area_id, ind_id in wanted:
        q |= Q(area_id__in=chains[area_id], indicator_id=ind_id)
    values = defaultdict(dict)
    for area_id, ind_id, year, value in (
        Observation.objects.filter(q).values_list("area_id", "indicator_id", "year", "value")
    ):
        values[(area_id, ind_id)][year] = value
    out = {}
    for i in indicators:
        merged: dict[int, float | None] = {}
        for area_id in reversed(chains[i.area_id]):  # the area's own code last: it wins
            merged.update(values.get((area_id, i.area_indicator_id), {}))
        out[i.pk] = [Point(dt.date(year, 1, 1), str(year), v, v) for year, v in sorted(merged.items())]
    return out


def _visits(programme: Programme, start: dt.date, end: dt.date):
    """The programme's activity ids, and their meetings and attendance between start and end."""
    activity_ids = list(programme.activities.values_list("pk", flat=True))
    meetings = Meeting.objects.filter(activity_id__in=activity_ids, date__range=(start, end))
    attendance = Attendance.objects.filter(activity_id__in=activity_ids, date__range=(start, end))
    return activity_ids, meetings, attendance


def _reach_points(
    programme: Programme, indicators: list[Indicator], today: dt.date
) -> dict[int, list[Point]]:
    if not indicators:
        return {}
    start, end = programme.start_date, min(programme.end_date, today)
    _activity_ids, meetings, attendance = _visits(programme, start, end)
    per_year = defaultdict(dict)
    year = _year(start.year, end.year)
    for row in (
        meetings.annotate(y=year)
        .values("y")
        .annotate(n=Count("pk"), anon=Sum("anonymous_count"))
    ):
        per_year[row["y"]]["meetings"] = row["n"]
        per_year[row["y"]]["anonymous"] = row["anon"] or 0
    for row in (
        attendance.annotate(y=year)
        .values("y")
        .annotate(n=Count("pk"), people=Count("participant_id", distinct=True))
    ):
        per_year[row["y"]]["attendance"] = row["n"]
        per_year[row["y"]]["participants"] = row["people"]
    out = {}
    for indicator in indicators:
        points = []
        for year in range(start.year, end.year + 1):
            counts = per_year.get(year, {})
            if indicator.reach_measure == ReachMeasure.ATTENDANCE:
                value = counts.get("attendance", 0) + counts.get("anonymous", 0)
            else:
                value = counts.get(indicator.reach_measure, 0)
            label = str(year) if dt.date(year, 12, 31) <= today else f"{year} (t/m {today:%d-%m})"
            points.append(Point(_year_end(year, today), label, float(value), disclosure.show(int(value))))
        out[indicator.pk] = points
    return out


def _instrument_points(
    programme: Programme, indicators: list[Indicator], today: dt.date
) -> dict[int, list[Point]]:
    """Mean score per calendar year of the programme's measurements; hidden under MIN_GROUP people.
    Read from the programme's year figures, kept up to date on every write (outcomes/summaries.py):
    per instrument, part and year the number of values, their sum and the number of people."""
    if not indicators:
        return {}
    summaries.ensure_fresh(programme)
    start, end = programme.start_date, min(programme.end_date, today)
    per = defaultdict(list)
    for instrument, part, year, count, total, people in (
        YearFigure.objects.filter(
            programme=programme,
            instrument__in={i.instrument for i in indicators},
            year__range=(start.year, end.year),
        )
        .order_by("year")
        .values_list("instrument", "part", "year", "count", "total", "people")
    ):
        per[(instrument, part)].append((year, total / count, people))
    out = {}
    for indicator in indicators:
        points = []
        for year, mean, n in per.get((indicator.instrument, indicator.instrument_part), []):
            shown = round(mean, 2) if n >= MIN_GROUP else disclosure.SUPPRESSED
            points.append(
                Point(_year_end(year, today), str(year), mean if n >= MIN_GROUP else None, shown, n)
            )
        out[indicator.pk] = points
    return out


def _manual_points(indicators: list[Indicator]) -> dict[int, list[Point]]:
    out = {i.pk: [] for i in indicators}
    for indicator in indicators:
        for mv in indicator.manual_values.all():
            out[indicator.pk].append(Point(mv.date, mv.date.strftime("%d-%m-%Y"), mv.value, mv.value))
    return out


def indicator_views(*, programme: Programme, today: dt.date | None = None) -> dict[int, list[IndicatorView]]:
    """Per element id, its indicators with their live series and progress."""
    today = today or dt.date.today()
    indicators = list(
        Indicator.objects.filter(element__programme=programme)
        .select_related("area", "area_indicator")
        .prefetch_related("manual_values")
    )
    by_source = defaultdict(list)
    for i in indicators:
        by_source[i.source].append(i)
    points = {}
    points.update(_area_points(by_source[SourceKind.AREA]))
    points.update(_reach_points(programme, by_source[SourceKind.REACH], today))
    points.update(_instrument_points(programme, by_source[SourceKind.INSTRUMENT], today))
    points.update(_manual_points(by_source[SourceKind.MANUAL]))
    out = defaultdict(list)
    for i in indicators:
        series = points.get(i.pk, [])
        result = progress(
            baseline=i.baseline_value,
            baseline_date=i.baseline_date,
            target=i.target_value,
            target_date=i.target_date,
            series=[(p.date, p.value) for p in series if p.value is not None],
        )
        unit = i.area_indicator.unit if i.area_indicator_id else ""
        out[i.element_id].append(IndicatorView(i, series, result, unit))
    return out


def outcome_progress(views: list[IndicatorView]) -> str:
    """An outcome's progress from its indicators: unknown without indicators with a status;
    achieved when all are; behind when any is behind; on track otherwise."""
    statuses = [v.status for v in views if v.status != "unknown"]
    if not statuses:
        return "unknown"
    if all(s == "achieved" for s in statuses):
        return "achieved"
    if "behind" in statuses:
        return "behind"
    return "on_track"


# --- roles and visions: where they diverge -------------------------------------------------------


@dataclass
class VisionRow:
    element: Element
    roles: dict[int, str]  # organisation id -> agreed role
    visions: dict[int, object]  # organisation id -> Vision
    flags: list[str] = field(default_factory=list)

    @property
    def spread(self) -> int | None:
        p = [v.priority for v in self.visions.values()]
        return max(p) - min(p) if len(p) >= 2 else None


def visions(*, programme: Programme) -> tuple[list, list[VisionRow]]:
    """Partners (organisation, role) and per outcome the agreed roles, each partner's vision, and
    the points where they diverge, in words."""
    partners = list(programme.partners.select_related("organisation").order_by("organisation__name"))
    names = {p.organisation_id: p.organisation.name for p in partners}
    rows = []
    elements = programme.elements.filter(kind__in=("goal", "outcome")).prefetch_related("roles", "visions")
    for element in sorted(elements, key=lambda e: (LAYERS.index(e.kind), e.position, e.pk)):
        roles = {r.organisation_id: r.role for r in element.roles.all()}
        seen = {v.organisation_id: v for v in element.visions.all()}
        row = VisionRow(element, roles, seen)
        if row.spread is not None and row.spread >= 3:
            hi = max(seen.values(), key=lambda v: v.priority)
            lo = min(seen.values(), key=lambda v: v.priority)
            row.flags.append(
                _("Priorities differ: %(a)s gives %(pa)d, %(b)s gives %(pb)d.")
                % {
                    "a": names.get(hi.organisation_id, "?"),
                    "pa": hi.priority,
                    "b": names.get(lo.organisation_id, "?"),
                    "pb": lo.priority,
                }
            )
        claimed = [o for o, v in seen.items() if v.own_role == PartyRole.RESPONSIBLE]
        if len(claimed) > 1:
            row.flags.append(
                _("Several partners see themselves as responsible: %(names)s.")
                % {"names": ", ".join(sorted(names.get(o, "?") for o in claimed))}
            )
        pointed = {o: v.responsible_id for o, v in seen.items() if v.responsible_id and v.responsible_id != o}
        for a, b in pointed.items():
            if pointed.get(b) == a and a < b:
                row.flags.append(
                    _("%(a)s and %(b)s each think the other is responsible.")
                    % {"a": names.get(a, "?"), "b": names.get(b, "?")}
                )
        named = {v.responsible_id for v in seen.values() if v.responsible_id}
        if len(named) > 1:
            row.flags.append(
                _("Partners name different responsible parties: %(names)s.")
                % {"names": ", ".join(sorted(names.get(o, "?") for o in named))}
            )
        agreed = [o for o, r in roles.items() if r == PartyRole.RESPONSIBLE]
        if seen and not agreed:
            row.flags.append(_("No party has been agreed as responsible."))
        for o, v in seen.items():
            if o in roles and v.own_role != roles[o] and v.own_role != PartyRole.NONE:
                row.flags.append(
                    _("%(a)s sees its own role as “%(own)s”, the agreement says “%(agreed)s”.")
                    % {
                        "a": names.get(o, "?"),
                        "own": PartyRole(v.own_role).label,
                        "agreed": PartyRole(roles[o]).label,
                    }
                )
        rows.append(row)
    return partners, rows


# --- reach and outcome results ------------------------------------------------------------------


def reach_summary(
    *,
    programme: Programme,
    start: dt.date | None = None,
    end: dt.date | None = None,
    today: dt.date | None = None,
    exact: bool = False,
) -> dict:
    """Meetings, attendance and unique participants of the programme's activities between start and
    end (default: its period up to today). Partners see it: unless the user's organisations hold
    every record (`exact`), the counts are published by the cell-key method (core.disclosure)."""
    today = today or dt.date.today()
    start = start or programme.start_date
    end = end or min(programme.end_date, today)
    activity_ids, meetings, attendance = _visits(programme, start, end)
    m = meetings.aggregate(n=Count("pk"), anon=Sum("anonymous_count"), hours=Sum("volunteer_hours"),
                           anon_key=anonymous_key_sum())
    a = attendance.aggregate(n=Count("pk"), key=Sum("record_key"))
    people = Participant.objects.filter(pk__in=attendance.values("participant_id")).aggregate(
        n=Count("pk"), key=Sum("record_key")
    )
    visits = a["n"] + (m["anon"] or 0)
    if exact:
        shown_visits, shown_people = visits, people["n"]
    else:
        shown_visits = disclosure.show_perturbed(visits, int(a["key"] or 0) + int(m["anon_key"] or 0))
        shown_people = disclosure.show_perturbed(people["n"], int(people["key"] or 0))
    return {
        "start": start,
        "end": end,
        "activities": len(activity_ids),
        "meetings": m["n"],
        "attendance": shown_visits,
        "participants": shown_people,
        "volunteer_hours": m["hours"] or 0,
    }


def exact_for(*, user, programme: Programme) -> bool:
    """Whether every record behind the programme's group figures (its measurements and its
    activities' attendance) belongs to the user's own organisations: then the figures are exact and
    any period may be chosen. Everyone else -- the partners -- sees fixed periods and protected
    counts (decision 0014)."""
    mine = organisation_ids_for(user)
    if not mine:
        return False
    owners = set(Measurement.objects.filter(programme=programme).values_list("organisation_id", flat=True)
                 .order_by().distinct())
    owners |= set(programme.activities.values_list("organisation_id", flat=True))
    return owners <= mine


def partner_windows(programme: Programme, today: dt.date | None = None) -> list[tuple]:
    """The periods a partner may choose: the whole history (None, None) and every run of whole
    calendar years within the programme's years up to today."""
    first, last = _programme_years(programme, today)
    years = range(first, last + 1)
    return [(None, None)] + [(dt.date(a, 1, 1), dt.date(b, 12, 31)) for a in years for b in years if b >= a]


def _programme_years(programme: Programme, today: dt.date | None = None) -> tuple[int, int]:
    today = today or dt.date.today()
    first = programme.start_date.year
    return first, max(first, min(programme.end_date, today).year)


def partner_period(programme: Programme, start: dt.date | None, end: dt.date | None,
                   today: dt.date | None = None) -> tuple:
    """A requested period as a partner gets it: whole calendar years within the programme's years
    (no dates: the whole history)."""
    if start is None and end is None:
        return None, None
    first, last = _programme_years(programme, today)
    a = min(max((start or dt.date(first, 1, 1)).year, first), last)
    b = min(max((end or dt.date(last, 12, 31)).year, a), last)
    return dt.date(a, 1, 1), dt.date(b, 12, 31)


def _paired_people(programme: Programme, before: str = Moment.INTAKE):
    """A function giving, for a period, per instrument the set of people who have a pair in it by
    the default pairing (`_pair_up`): the groups behind the results. One read of the programme's
    scored measurements; each period is paired from it in memory."""
    rows = list(summaries.raw_rows(_scored(programme, None, None)))

    def people(start, end) -> dict[str, set]:
        inside = (r for r in rows if (start is None or r[3] >= start) and (end is None or r[3] <= end))
        out: dict[str, set] = defaultdict(set)
        for instrument, participant, _first, _last, _pk in _pair_up(inside, before, "last"):
            out[instrument].add(participant)
        return out

    return people


def partner_results(*, programme: Programme, start=None, end=None, today: dt.date | None = None) -> list:
    """The outcome results a partner sees for one of the periods it may choose, with the default
    pairing and reliability: a result is withheld when, against any other period a partner may
    choose, its group differs by 1 to MIN_GROUP - 1 people -- so that no two answers together give
    away a small group (the attack: one day moved, one person's scores recovered)."""
    start, end = partner_period(programme, start, end, today)
    results = outcome_results(programme=programme, start=start, end=end)
    if not any(r.result is not None for r in results):
        return results
    windows = partner_windows(programme, today)

    def withheld() -> set[str]:
        """The instruments whose group in this period differs from that of another period a partner
        may choose by 1 to MIN_GROUP - 1 people (one read of the programme's measurements)."""
        people = _paired_people(programme)
        mine = people(start, end)
        others = [people(*w) for w in windows if w != (start, end)]
        return {instrument for instrument, group in mine.items()
                if any(0 < len(group ^ other.get(instrument, set())) < MIN_GROUP for other in others)}

    # cached under the measurement stamp, like the results: a partner's page reads it on every view
    hidden = _cached(programme, "partner-withheld", (start, end, windows), withheld)
    guarded = []
    for r in results:
        if r.result is not None and r.instrument in hidden:
            # a copy: the cached result stays as it is for those who see exact figures
            r = dataclasses.replace(r, result=None, note=_(
                "Not shown: another period that partners can choose differs from this one by fewer "
                "than %(n)d people, so comparing the two would show individual scores."
            ) % {"n": MIN_GROUP})
        guarded.append(r)
    return guarded


@dataclass
class OutcomeResult:
    instrument: str
    name: str
    part: str
    before: str
    after: str
    n: int
    result: object | None  # PairedChange, None when fewer than MIN_GROUP people
    reliability: float | None
    reliability_source: str
    higher_is_better: bool
    note: str = ""

    @property
    def people(self):
        """The number of people as it may be published: "<5" under MIN_GROUP."""
        return disclosure.show(self.n, threshold=MIN_GROUP)


# Cronbach's alpha is estimated from at most this many intake answers, spread evenly over the group
ALPHA_SAMPLE = 2000


def _scored(programme: Programme, start, end):
    """The programme's scored measurements in [start, end] as (instrument, participant, moment, date,
    id, score), ordered for `_pair_up`."""
    rows = Measurement.objects.filter(programme=programme, score__isnull=False)
    if start:
        rows = rows.filter(date__gte=start)
    if end:
        rows = rows.filter(date__lte=end)
    return rows.order_by("instrument", "participant_id", "date", "pk").values_list(
        "instrument", "participant_id", "moment", "date", "pk", "score"
    )


def _pair_up(rows, before: str, after: str):
    """The pairing rule, in a single pass over rows ordered by instrument, participant, date and id:
    per person the score of their first `before` measurement and of their last measurement on a
    later date (`after` = "last": any moment; else only that moment). Yields (instrument,
    participant, first score, last score, id of the first)."""
    person = first = last = None
    for instrument, participant, moment, date, pk, score in rows:
        if (instrument, participant) != person:
            if last is not None:
                yield (*person, first[1], last, first[2])
            person, first, last = (instrument, participant), None, None
        if first is None:
            if moment == before:
                first = (date, score, pk)
        elif date > first[0] and (after == "last" or moment == after):
            last = score
    if last is not None:
        yield (*person, first[1], last, first[2])


def _pairs(programme: Programme, start, end, before: str, after: str) -> dict[str, list[tuple]]:
    """Per instrument: (score at the person's first `before` measurement, score at their last
    measurement on a later date (`after` = "last": any moment; else only that moment), id of the
    first), ordered by that id. One ordered read of the programme's scored measurements, paired in
    a single pass: measured faster than window functions in the database (1.3 s on SQLite for
    200,000 measurements, docs/benchmarks.md)."""
    out = defaultdict(list)
    for instrument, _participant, first, last, pk in _pair_up(
        summaries.raw_rows(_scored(programme, start, end)), before, after
    ):
        out[instrument].append((first, last, pk))
    for pairs in out.values():
        pairs.sort(key=lambda p: p[2])
    return out


def outcome_results(
    *,
    programme: Programme,
    start: dt.date | None = None,
    end: dt.date | None = None,
    before: str = Moment.INTAKE,
    after: str = "last",
    reliability: float | None = None,
) -> list[OutcomeResult]:
    """Paired change per instrument over the programme's measurements in [start, end]: each
    person's first measurement at `before` against their last later one (`after` = "last": any
    later moment; or a moment). Shown from MIN_GROUP people on. The reliability of the reliable
    change index is the one given, else Cronbach's alpha of (up to ALPHA_SAMPLE of) the intake
    answers. Cached with the questionnaires' definitions, under the measurement stamp, or for the
    default pairing per instrument under its version (decision 0011)."""
    questionnaires = questionnaires_for(programme=programme)
    params = (start, end, before, after, reliability, [(q.pk, q.updated_at) for q in questionnaires])
    measured = Measurement.objects.filter(programme=programme)
    if (start, end, before, after) != (None, None, Moment.INTAKE, "last"):
        if start:
            measured = measured.filter(date__gte=start)
        if end:
            measured = measured.filter(date__lte=end)

        def compute():
            per = _pairs(programme, start, end, before, after)
            keys = set(measured.order_by().values_list("instrument", flat=True).distinct()) | set(per)
            return [
                result
                for key in sorted(keys)
                if (result := _result(key, per.get(key, []), before, after, reliability, questionnaires))
            ]

        return _cached(programme, "results", params, compute)
    # the whole history, intake against the last later measurement: from the person pairs, cached
    # per instrument under its version, so a new measurement of one instrument leaves the others
    state = summaries.ensure_fresh(programme)
    results = []
    for key in sorted(state.versions):  # the instruments measured

        def compute(key=key):
            return _result(key, _stored_pairs(programme, key), before, after, reliability, questionnaires)

        token = f"{state.generation}:{state.versions.get(key, '')}"
        result = _cached(programme, f"results:{key}", params, compute, token=token)
        if result:
            results.append(result)
    return results


def _stored_pairs(programme: Programme, instrument: str) -> list[tuple]:
    """The pairs of _pairs(programme, None, None, intake, "last")[instrument], read from the
    programme's person pairs (kept up to date on every write, outcomes/summaries.py) instead of its
    measurements."""
    rows = (
        PersonPair.objects.filter(programme=programme, instrument=instrument)
        .order_by("first_id")
        .values_list("first_score", "last_score", "first_id")
    )
    return list(summaries.raw_rows(rows))


def _result(key, pairs, before, after, reliability, questionnaires) -> OutcomeResult | None:
    """The paired change of one instrument from its pairs (score before, score after, id of the
    first measurement); None for an instrument without a total score."""
    try:
        spec = instruments.spec(key, questionnaires)
    except KeyError:
        return None
    if not spec.has_total:
        return None
    n = len(pairs)
    rel, rel_source = reliability, _("given")
    if rel is None and n >= MIN_GROUP:
        step = max(1, n // ALPHA_SAMPLE)
        sample = [p[2] for p in pairs[::step]]
        answers = list(Measurement.objects.filter(pk__in=sample).values_list("answers", flat=True))
        rel = instruments.reliability_from_items(key, answers, questionnaires)
        rel_source = _("Cronbach's alpha of the intake answers") if rel is not None else ""
    result, note = None, ""
    if n >= MIN_GROUP:
        try:
            result = paired_change(
                [p[0] for p in pairs],
                [p[1] for p in pairs],
                higher_is_better=spec.higher_is_better,
                reliability=rel if rel is not None and 0 <= rel < 1 else None,
            )
        except EvaluationError as exc:
            note = str(exc)
    else:
        note = _("Fewer than %(n)d people measured twice: not shown.") % {"n": MIN_GROUP}
    after_label = _("last later measurement") if after == "last" else str(Moment(after).label)
    return OutcomeResult(
        key,
        spec.name,
        "",
        str(Moment(before).label),
        after_label,
        n,
        result,
        rel,
        rel_source,
        spec.higher_is_better,
        note,
    )


def finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))
