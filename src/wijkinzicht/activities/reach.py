"""The reach report: meetings, attendance, unique participants, repeat visitors and the share of
each buurt's population reached per age group, for an organisation or an area and a period.

Everything is counted in the database with a few GROUP BY queries and finished in numpy, so a
gemeente-year with a million attendance rows takes well under a second (docs/benchmarks.md).
Figures that leave the organisation are published with core.disclosure (cell-key method).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, Count, F, Q, Sum
from django.utils.translation import gettext as _

from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core import disclosure
from wijkinzicht.core.tenancy import organisation_ids_for
from wijkinzicht.parties.models import Organisation

from .constants import AGE_GROUPS
from .models import Activity, Attendance, Meeting, Participant

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass
class ActivityRow:
    activity_id: int
    title: str
    organisation: str
    resident_led: bool
    meetings: int = 0
    registered: int = 0
    anonymous: int = 0
    unique: int = 0
    repeat: int = 0
    volunteer_hours: float = 0.0
    professional_hours: float = 0.0
    folded: bool = False  # "other activities": another organisation's internal activities together
    keys: list = field(default_factory=lambda: [0, 0, 0, 0])  # record-key sums: registered, anonymous,
    # unique, repeat
    shown: dict = field(default_factory=dict)  # published values (counts or "<5")


@dataclass
class BuurtRow:
    area: Area | None  # None: elsewhere or unknown
    counts: list  # per age group, published
    total: object
    population: list  # per age group (None if unknown)
    shares: list  # percentage per age group, or None

    @property
    def cells(self) -> list[tuple]:
        """(published count, share or None) per age group, the unknown-age column last."""
        return list(zip(self.counts, [*self.shares, None], strict=True))


@dataclass
class ReachReport:
    title: str
    start: dt.date
    end: dt.date
    suppressed: bool
    organisations: int
    activities: list[ActivityRow]
    meetings: int
    volunteers: int
    volunteer_hours: float
    professional_hours: float
    registered: object
    anonymous: object
    attendance: object
    unique: object
    repeat: object
    split: list[dict]  # resident-led / professional
    months: list[dict]  # label, registered, anonymous, total (published)
    month_totals: dict
    age_labels: list[str]
    buurten: list[BuurtRow]
    age_totals: list
    population_year: int | None
    notes: list[str] = field(default_factory=list)

    @property
    def activity_count(self) -> int:
        """Activities with a meeting or registered attendance in the period, internal ones included."""
        return sum(s["activities"] for s in self.split)


def _activity_scope(*, organisation: Organisation | None, area: Area | None):
    qs = Activity.objects.all()
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if area is not None:
        if area.level == "gemeente":
            qs = qs.filter(gemeente=area)
        elif area.level == "land":
            pass
        else:
            digits = area.code[2:]
            qs = qs.filter(
                Q(areas__code__startswith="BU" + digits)
                | Q(areas__code__startswith="WK" + digits)
                | Q(areas__code=area.code)
            ).distinct()
    return qs.order_by()


def _per_meeting(activity_sql: str, activity_params, start: dt.date, end: dt.date) -> list:
    """(activity id, date, registered attendance, sum of the attendance rows' record keys) per
    meeting in the period (covering index)."""
    table = Attendance._meta.db_table
    # the table name comes from the model, the subquery from the ORM; values are bound parameters
    sql = (
        f"SELECT activity_id, date, COUNT(*), SUM(record_key) FROM {table} "  # noqa: S608
        f"WHERE date >= %s AND date <= %s AND activity_id IN ({activity_sql}) GROUP BY activity_id, date"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, *activity_params])
        return cursor.fetchall()


def _per_activity_and_participant(activity_sql: str, activity_params, start: dt.date, end: dt.date,
                                  groups: dict[int, list[int]]):
    """From the (activity, participant) visit counts of the period, computed once in the database:
    per activity (unique participants, repeat visitors, and the sums of their record keys), per
    participant (visits, whether they came to a resident-led and to a professional activity), and per
    "other activities" row (`groups`: row key -> the internal activities folded into it; a person
    counts once per row, and repeats with 2 or more visits to its activities in all). Only these
    aggregates leave the database, not the pairs."""
    attendance, activity = Attendance._meta.db_table, Activity._meta.db_table
    participant = Participant._meta.db_table
    folded_sql, folded_params = "", []
    if groups:
        cases, ids = [], []
        for key, activity_ids in groups.items():
            cases.append(f"WHEN activity_id IN ({', '.join(['%s'] * len(activity_ids))}) THEN %s")
            folded_params += [*activity_ids, key]
            ids += activity_ids
        folded_params += ids
        folded_sql = f"""
        UNION ALL
        SELECT 2, f.g, COUNT(*), SUM(CASE WHEN f.n >= 2 THEN 1 ELSE 0 END), SUM(t.record_key),
               SUM(CASE WHEN f.n >= 2 THEN t.record_key ELSE 0 END)
        FROM (SELECT CASE {' '.join(cases)} END AS g, participant_id, SUM(n) AS n FROM pairs
              WHERE activity_id IN ({', '.join(['%s'] * len(ids))}) GROUP BY 1, participant_id) f
        JOIN {participant} t ON t.id = f.participant_id GROUP BY f.g"""  # noqa: S608 - placeholders only
    sql = f"""
        WITH pairs AS MATERIALIZED (
            SELECT activity_id, participant_id, COUNT(*) AS n FROM {attendance}
            WHERE date >= %s AND date <= %s AND activity_id IN ({activity_sql})
            GROUP BY activity_id, participant_id)
        SELECT 0, p.activity_id, COUNT(*), SUM(CASE WHEN p.n >= 2 THEN 1 ELSE 0 END),
               SUM(t.record_key), SUM(CASE WHEN p.n >= 2 THEN t.record_key ELSE 0 END)
        FROM pairs p JOIN {participant} t ON t.id = p.participant_id GROUP BY p.activity_id
        UNION ALL
        SELECT 1, p.participant_id, SUM(p.n), MAX(CASE WHEN a.resident_led THEN 1 ELSE 0 END),
               MIN(CASE WHEN a.resident_led THEN 1 ELSE 0 END), 0
        FROM pairs p JOIN {activity} a ON a.id = p.activity_id GROUP BY p.participant_id
        {folded_sql}
    """  # noqa: S608 - table names from the models, the subquery from the ORM, every value bound
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, *activity_params, *folded_params])
        rows = cursor.fetchall()
    per_activity = [r[1:] for r in rows if r[0] == 0]
    per_participant = np.array([r[1:5] for r in rows if r[0] == 1], dtype=np.int64).reshape(-1, 4)
    folded = [r[1:] for r in rows if r[0] == 2]
    return per_activity, per_participant, folded


def anonymous_key_sum() -> Sum:
    """The cell key of meetings' anonymous visitors, to aggregate over meetings: each meeting
    counts as `record key x number of anonymous visitors` (modulo 2^32 per meeting, so that the
    sum cannot overflow)."""
    return Sum((F("record_key") * F("anonymous_count")) % disclosure.KEY_MODULUS,
               output_field=BigIntegerField())


def fixed_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The fixed reporting period an outsider gets for a free date window: the calendar month,
    quarter or year that holds it (the smallest that does), or the whole calendar years from the
    start's to the end's. Figures leave the organisation only for such periods: a year holds 17 of
    them (12 months, 4 quarters, the year), so that no one can average the noise of many
    overlapping windows away (decision 0014)."""
    if start.year != end.year:
        return dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    if start.month == end.month:
        first = start.replace(day=1)
        following = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first, following - dt.timedelta(days=1)
    quarter = (start.month - 1) // 3
    if quarter == (end.month - 1) // 3:
        first = dt.date(start.year, 3 * quarter + 1, 1)
        following = dt.date(start.year + 1, 1, 1) if quarter == 3 else dt.date(start.year, 3 * quarter + 4, 1)
        return first, following - dt.timedelta(days=1)
    return dt.date(start.year, 1, 1), dt.date(start.year, 12, 31)


class _Publisher:
    """Publishes counts of residents: exact for the organisation itself, else by the cell-key
    method (core.disclosure)."""

    def __init__(self, shared: bool):
        self.shared = shared

    def one(self, count: int, key: int):
        return disclosure.show_perturbed(int(count), int(key)) if self.shared else int(count)

    def table(self, counts, keys):
        return disclosure.perturbed_table(counts, keys) if self.shared else _Exact(counts)


def reach_report(
    *, user, start: dt.date, end: dt.date, organisation: Organisation | None = None, area: Area | None = None
) -> ReachReport:
    """Reach of an organisation's activities (exact for its members) or of all activities in an
    area. Figures that leave the organisation -- another organisation's report, and every area
    report, which holds other organisations' figures -- are published by the cell-key method
    (decision 0014) for a fixed calendar month, quarter or year, and another organisation's
    internal (unpublished) activities appear only together, as "other activities" per organisation."""
    own_ids = organisation_ids_for(user)
    own = organisation is not None and organisation.pk in own_ids
    shared = not own or area is not None
    if shared:
        start, end = fixed_period(start, end)
    publish = _Publisher(shared)
    activities_qs = _activity_scope(organisation=organisation, area=area)
    activities = {
        a.pk: a
        for a in activities_qs.select_related("organisation").only(
            "id", "title", "resident_led", "is_published", "organisation_id", "organisation__name"
        )
    }
    id_sql, id_params = activities_qs.values("id").query.sql_with_params()

    # the row of each activity: its own, or its organisation's "other activities"
    row_of: dict[int, int] = {}
    rows: dict[int, ActivityRow] = {}
    for pk, a in activities.items():
        if shared and not a.is_published and a.organisation_id not in own_ids:
            row_of[pk] = -a.organisation_id
            if -a.organisation_id not in rows:
                rows[-a.organisation_id] = ActivityRow(
                    None, _("other activities"), a.organisation.name, False, folded=True
                )
        else:
            row_of[pk] = pk
            rows[pk] = ActivityRow(pk, a.title, a.organisation.name, a.resident_led)

    # per activity: registered and anonymous attendance with their record-key sums
    n_act = {pk: [0, 0, 0, 0] for pk in activities}  # registered, key, anonymous, key
    n_meetings = dict.fromkeys(activities, 0)
    meeting_qs = Meeting.objects.filter(
        date__gte=start, date__lte=end, activity_id__in=activities_qs.values("id")
    )
    for r in meeting_qs.values("activity_id").annotate(
        n=Count("id"), anon=Sum("anonymous_count"), anon_key=anonymous_key_sum(),
        vh=Sum("volunteer_hours"), ph=Sum("professional_hours"),
    ):
        row = rows[row_of[r["activity_id"]]]
        n_meetings[r["activity_id"]] = r["n"]
        row.meetings += r["n"]
        row.volunteer_hours += float(r["vh"] or 0)
        row.professional_hours += float(r["ph"] or 0)
        n_act[r["activity_id"]][2:] = [r["anon"] or 0, int(r["anon_key"] or 0)]
    totals = meeting_qs.aggregate(v=Sum("volunteers"))

    per_meeting = _per_meeting(id_sql, id_params, start, end)
    for activity_id, _date, n, key in per_meeting:
        n_act[activity_id][0] += n
        n_act[activity_id][1] += int(key or 0)
    for pk, (reg, reg_key, anon, anon_key) in n_act.items():
        row = rows[row_of[pk]]
        row.registered += reg
        row.anonymous += anon
        row.keys[0] += reg_key
        row.keys[1] += anon_key
    groups: dict[int, list[int]] = {}
    for pk, key in row_of.items():
        if key != pk:
            groups.setdefault(key, []).append(pk)
    per_activity, per_participant, folded = _per_activity_and_participant(
        id_sql, id_params, start, end, groups
    )
    for key, unique, repeat, unique_key, repeat_key in [*per_activity, *folded]:
        if row_of.get(key, key) == key:
            row = rows[key]
            row.unique, row.repeat = unique, repeat
            row.keys[2:] = [int(unique_key or 0), int(repeat_key or 0)]
    p_ids, p_visits = per_participant[:, 0], per_participant[:, 1]
    p_led, p_prof = per_participant[:, 2] == 1, per_participant[:, 3] == 0

    org_ids = {a.organisation_id for a in activities.values()}
    people = _people(org_ids)
    p_keys = np.array([people.get(int(p), (0, 0, 0))[2] for p in p_ids], dtype=np.int64)

    activity_rows = sorted(rows.values(), key=lambda r: (r.folded, -r.meetings, r.title))
    activity_rows = [r for r in activity_rows if r.meetings or r.registered]

    # split resident-led / professional: attendance is additive, unique people are not
    split_cells, split_keys, split = [], [], []
    for led, label in ((True, _("resident-led")), (False, _("professional"))):
        subset = [pk for pk, a in activities.items() if a.resident_led == led]
        split_cells.append([sum(n_act[pk][0] for pk in subset), sum(n_act[pk][2] for pk in subset)])
        split_keys.append([sum(n_act[pk][1] for pk in subset), sum(n_act[pk][3] for pk in subset)])
        who = p_led if led else p_prof
        split.append(
            {
                "label": label,
                "activities": len([pk for pk in subset if n_meetings[pk] or n_act[pk][0]]),
                "meetings": sum(n_meetings[pk] for pk in subset),
                "unique": publish.one(int(who.sum()), int(p_keys[who].sum())),
            }
        )
    split_table = publish.table(split_cells, split_keys)
    for i, s in enumerate(split):
        s["registered"], s["anonymous"], s["attendance"] = (
            split_table.cell(i, 0),
            split_table.cell(i, 1),
            split_table.row_total(i),
        )

    _publish_activity_rows(activity_rows, publish)
    months, month_totals = _months(meeting_qs, per_meeting, start, end, publish)
    buurten, age_totals, unique_total, population_year = _by_buurt(
        p_ids, p_keys, people, area=area, end=end, publish=publish
    )

    repeated = p_visits >= 2
    organisations = len(org_ids)
    names = [organisation.name if organisation else "", area.display_name if area else ""]
    title = " – ".join(n for n in names if n) or _("all areas")
    notes = []
    if organisations > 1:
        notes.append(
            _(
                "Participants are counted per organisation: a resident who takes part with two "
                "organisations counts twice in the unique totals."
            )
        )
    if shared:
        limit = disclosure.configured_threshold()
        notes.append(
            _(
                "These figures leave the organisation that registered them: counts under %(limit)d are "
                "shown as “<%(limit)d”, and the other counts of residents have a small fixed deviation "
                "(at most 2) so that no count can be worked out by comparing reports; totals therefore "
                "need not add up exactly, and a total that would still give a small count away is "
                "shown as “x”. The period is the calendar month, quarter or year that holds the "
                "chosen dates."
            )
            % {"limit": limit}
        )
        if any(r.folded for r in activity_rows):
            notes.append(
                _("Internal activities of other organisations are counted together as “other activities”.")
            )
    return ReachReport(
        title=title,
        start=start,
        end=end,
        suppressed=shared,
        organisations=organisations,
        activities=activity_rows,
        meetings=sum(r.meetings for r in activity_rows),
        volunteers=int(totals["v"] or 0),
        volunteer_hours=sum(r.volunteer_hours for r in activity_rows),
        professional_hours=sum(r.professional_hours for r in activity_rows),
        registered=split_table.col_total(0),
        anonymous=split_table.col_total(1),
        attendance=split_table.grand_total(),
        unique=unique_total,
        repeat=publish.one(int(repeated.sum()), int(p_keys[repeated].sum())),
        split=split,
        months=months,
        month_totals=month_totals,
        age_labels=[g[0] for g in AGE_GROUPS],
        buurten=buurten,
        age_totals=age_totals,
        population_year=population_year,
        notes=notes,
    )


def _people(org_ids: set[int]) -> dict[int, tuple[int, int, int]]:
    """Per participant of these organisations: (year of birth or 0, home buurt id or 0, record key)."""
    attrs = Participant.objects.filter(organisation_id__in=org_ids).values_list(
        "id", "birth_year", "home_buurt_id", "record_key"
    )
    return {pk: (by or 0, b or 0, key) for pk, by, b, key in attrs.iterator(chunk_size=20000)}


class _Exact:
    """The interface of disclosure.PerturbedTable without disclosure control, for the organisation itself."""

    def __init__(self, cells):
        self.c = np.asarray(cells, dtype=np.int64).reshape(len(cells), -1) if len(cells) else np.zeros((0, 0))

    def cell(self, i, j):
        return int(self.c[i, j])

    def row_total(self, i):
        return int(self.c[i].sum())

    def col_total(self, j):
        return int(self.c[:, j].sum()) if len(self.c) else 0

    def grand_total(self):
        return int(self.c.sum())


def _publish_activity_rows(rows: list[ActivityRow], publish: _Publisher) -> None:
    table = publish.table([[r.registered, r.anonymous] for r in rows], [r.keys[:2] for r in rows])
    for i, r in enumerate(rows):
        r.shown = {
            "registered": table.cell(i, 0),
            "anonymous": table.cell(i, 1),
            "attendance": table.row_total(i),
            "unique": publish.one(r.unique, r.keys[2]),
            "repeat": publish.one(r.repeat, r.keys[3]),
        }


def _months(meeting_qs, per_meeting: list, start: dt.date, end: dt.date, publish: _Publisher):
    keys = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        keys.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    index = {k: i for i, k in enumerate(keys)}
    cells = [[0, 0] for _ in keys]
    cell_keys = [[0, 0] for _ in keys]
    for r in meeting_qs.values("date").annotate(anon=Sum("anonymous_count"), key=anonymous_key_sum()):
        i = index[(r["date"].year, r["date"].month)]
        cells[i][1] += r["anon"] or 0
        cell_keys[i][1] += int(r["key"] or 0)
    for _activity_id, day, n, key in per_meeting:
        if isinstance(day, str):  # a raw cursor may hand dates back as ISO text
            day = dt.date.fromisoformat(day)
        i = index[(day.year, day.month)]
        cells[i][0] += n
        cell_keys[i][0] += int(key or 0)
    table = publish.table(cells, cell_keys)
    months = []
    for i, (y, m) in enumerate(keys):
        total = table.row_total(i)
        months.append({
            "label": f"{MONTHS[m - 1]} {y}",
            "registered": table.cell(i, 0),
            "anonymous": table.cell(i, 1),
            "total": total,
            # the bar of the chart: the published total (a suppressed month is drawn as nothing)
            "value": total if isinstance(total, int) else 0,
        })
    totals = {"registered": table.col_total(0), "anonymous": table.col_total(1), "total": table.grand_total()}
    return months, totals


def _age_group(age: np.ndarray) -> np.ndarray:
    out = np.full(age.shape, -1)
    for g, (_label, lo, hi, _key) in enumerate(AGE_GROUPS):
        out[(age >= lo) & (age <= hi)] = g
    return out


def _by_buurt(p_ids: np.ndarray, p_keys: np.ndarray, people: dict, *, area: Area | None, end: dt.date,
              publish: _Publisher):
    """Unique participants per home buurt and age group, and the share of the buurt's population."""
    n_groups = len(AGE_GROUPS)
    if len(p_ids) == 0:
        nobody = publish.one(0, 0)
        return [], [nobody] * (n_groups + 1), nobody, None
    info = np.array([people.get(int(p), (0, 0, 0))[:2] for p in p_ids], dtype=np.int64).reshape(-1, 2)
    birth, buurt = info[:, 0], info[:, 1]
    group = np.where(birth > 0, _age_group(end.year - birth), -1)
    buurt_ids = sorted(set(np.unique(buurt).tolist()) - {0})
    buurt_areas = {a.pk: a for a in Area.objects.filter(pk__in=buurt_ids)}
    if area is not None and area.level != "land":
        digits = area.code[2:]
        inside = [pk for pk, a in buurt_areas.items() if a.code[2:].startswith(digits)]
    else:
        inside = list(buurt_areas)
    inside.sort(key=lambda pk: buurt_areas[pk].display_name)
    row_of = {pk: i for i, pk in enumerate(inside)}
    other = len(inside)
    # an extra column for unknown age, a last row for elsewhere/unknown buurt
    cells = np.zeros((len(inside) + 1, n_groups + 1), dtype=np.int64)
    cell_keys = np.zeros((len(inside) + 1, n_groups + 1), dtype=object)
    rows_idx = np.array([row_of.get(int(b), other) for b in buurt], dtype=np.int64)
    cols_idx = np.where(group >= 0, group, n_groups)
    np.add.at(cells, (rows_idx, cols_idx), 1)
    np.add.at(cell_keys, (rows_idx, cols_idx), p_keys.astype(object))
    if cells[other].sum() == 0:
        cells, cell_keys = cells[:other], cell_keys[:other]
    table = publish.table(cells.tolist(), cell_keys.tolist())
    keys = [g[3] for g in AGE_GROUPS]
    pop = area_selectors.latest_values(area_ids=inside, indicator_keys=keys, year=end.year)
    years = [y for (y, _v) in pop.values()]
    buurten = []
    for i in range(len(cells)):
        a = buurt_areas[inside[i]] if i < len(inside) else None
        counts = [table.cell(i, j) for j in range(n_groups + 1)]
        population, shares = [], []
        for j, key in enumerate(keys):
            value = pop.get((a.pk, key)) if a else None
            population.append(int(value[1]) if value else None)
            shown = counts[j]
            if value and value[1] > 0 and isinstance(shown, int):
                shares.append(round(100.0 * shown / value[1], 1))
            else:
                shares.append(None)
        buurten.append(
            BuurtRow(area=a, counts=counts, total=table.row_total(i), population=population, shares=shares)
        )
    age_totals = [table.col_total(j) for j in range(n_groups + 1)]
    return buurten, age_totals, table.grand_total(), (max(years) if years else None)


def reach_rows(report: ReachReport) -> dict[str, list[list]]:
    """The report as plain tables (header first) for CSV and XLSX."""
    summary = [
        [_("Figure"), _("Value")],
        [_("Period"), f"{report.start:%d-%m-%Y} – {report.end:%d-%m-%Y}"],
        [_("Meetings"), report.meetings],
        [_("Attendance, registered participants"), report.registered],
        [_("Attendance, counted anonymously"), report.anonymous],
        [_("Attendance, total"), report.attendance],
        [_("Unique participants"), report.unique],
        [_("Repeat visitors (2 or more visits)"), report.repeat],
        [_("Volunteers (sum over meetings)"), report.volunteers],
        [_("Volunteer hours"), round(report.volunteer_hours, 2)],
        [_("Professional hours"), round(report.professional_hours, 2)],
    ]
    for s in report.split:
        summary.append([_("Attendance, %(kind)s activities") % {"kind": s["label"]}, s["attendance"]])
        summary.append([_("Unique participants, %(kind)s activities") % {"kind": s["label"]}, s["unique"]])
    activities = [
        [
            _("Activity"),
            _("Organisation"),
            _("Resident-led"),
            _("Meetings"),
            _("Registered attendance"),
            _("Anonymous attendance"),
            _("Attendance"),
            _("Unique participants"),
            _("Repeat visitors"),
        ]
    ]
    for r in report.activities:
        activities.append(
            [
                r.title,
                r.organisation,
                _("yes") if r.resident_led else _("no"),
                r.meetings,
                r.shown["registered"],
                r.shown["anonymous"],
                r.shown["attendance"],
                r.shown["unique"],
                r.shown["repeat"],
            ]
        )
    months = [[_("Month"), _("Registered attendance"), _("Anonymous attendance"), _("Attendance")]]
    months += [[m["label"], m["registered"], m["anonymous"], m["total"]] for m in report.months]
    labels = [*report.age_labels, _("age unknown")]
    buurten = [
        [
            _("Buurt code"),
            _("Buurt"),
            *[_("Participants %(age)s") % {"age": g} for g in labels],
            _("Participants"),
            *[_("Share of population %(age)s (%%)") % {"age": g} for g in report.age_labels],
        ]
    ]
    for b in report.buurten:
        buurten.append(
            [
                b.area.code if b.area else "",
                b.area.display_name if b.area else _("elsewhere or unknown"),
                *b.counts,
                b.total,
                *["" if s is None else s for s in b.shares],
            ]
        )
    return {_("Summary"): summary, _("Activities"): activities, _("Months"): months, _("Buurten"): buurten}


def report_json(report: ReachReport) -> dict:
    """The report for the API: every published figure, '<5' where suppressed."""
    return {
        "title": report.title,
        "start": report.start.isoformat(),
        "end": report.end.isoformat(),
        "suppressed": report.suppressed,
        "organisations": report.organisations,
        "meetings": report.meetings,
        "volunteers": report.volunteers,
        "volunteerHours": round(report.volunteer_hours, 2),
        "professionalHours": round(report.professional_hours, 2),
        "attendance": {
            "registered": report.registered,
            "anonymous": report.anonymous,
            "total": report.attendance,
        },
        "uniqueParticipants": report.unique,
        "repeatVisitors": report.repeat,
        "byKind": [
            {
                "kind": "resident_led" if i == 0 else "professional",
                "activities": s["activities"],
                "meetings": s["meetings"],
                "attendance": s["attendance"],
                "uniqueParticipants": s["unique"],
            }
            for i, s in enumerate(report.split)
        ],
        "activities": [
            {
                "id": r.activity_id,
                "title": r.title,
                "organisation": r.organisation,
                "residentLed": r.resident_led,
                "meetings": r.meetings,
                **r.shown,
            }
            for r in report.activities
        ],
        "months": [
            {
                "month": m["label"],
                "registered": m["registered"],
                "anonymous": m["anonymous"],
                "total": m["total"],
            }
            for m in report.months
        ],
        "ageGroups": [*report.age_labels, "unknown"],
        "buurten": [
            {
                "code": b.area.code if b.area else None,
                "name": b.area.display_name if b.area else None,
                "participants": b.counts,
                "total": b.total,
                "population": b.population,
                "sharePercent": b.shares,
            }
            for b in report.buurten
        ],
        "populationYear": report.population_year,
        "notes": report.notes,
    }
