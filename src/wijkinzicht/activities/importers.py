"""Import of activities, participants, meetings and attendance from CSV or XLSX exports of
existing registration systems (column format: docs/activities-import.md).

Every row is checked with the same rules as the forms and the API (validation.py). Bad rows are
reported with row number, column and reason, and returned as a CSV to fix and re-import. The
user chooses: keep the valid rows, or import nothing if any row is bad. Rows are matched on
their keys (activity code, participant id, activity + date, activity + date + participant), so
importing the same file twice adds nothing the second time. Writes are bulk operations in one
transaction: a failure half-way leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wijkinzicht.areas.constants import normalise_code
from wijkinzicht.areas.models import Area
from wijkinzicht.core import processing
from wijkinzicht.core.exports import csv_text
from wijkinzicht.core.personal_data import compact_header, forbidden_header, mask
from wijkinzicht.core.tabular import TableError, read_table
from wijkinzicht.core.tenancy import TenancyError, require_member
from wijkinzicht.core.uploads import too_large_text
from wijkinzicht.parties.models import Organisation

from . import validation as v
from .constants import REGISTER_ROLES, ActivityKind, ImportKind, ImportMode, ImportStatus
from .models import Activity, Attendance, ImportBatch, Meeting, Participant
from .services import gemeente_code_of, search_text

MAX_STORED_ERRORS = 1000
BATCH = 2000

# Columns per kind: required ones first. Names are compared lower-case with spaces and hyphens
# read as underscores; the aliases map common spellings to the documented name.
COLUMNS = {
    ImportKind.ACTIVITIES: (
        ["code", "titel", "type"],
        [
            "omschrijving",
            "themas",
            "doelgroepen",
            "bewonersinitiatief",
            "startdatum",
            "einddatum",
            "frequentie",
            "dagen",
            "begintijd",
            "eindtijd",
            "locatie",
            "adres",
            "postcode",
            "plaats",
            "lat",
            "lon",
            "gebieden",
            "kosten",
            "gratis",
            "toegankelijkheid",
            "rolstoeltoegankelijk",
            "contactpersoon",
            "telefoon",
            "email",
            "website",
            "gepubliceerd",
        ],
    ),
    ImportKind.PARTICIPANTS: (
        ["deelnemer"],
        ["geboortejaar", "geslacht", "buurt", "toestemming", "toestemmingsdatum"],
    ),
    ImportKind.MEETINGS: (
        ["activiteit", "datum"],
        ["aantal_anoniem", "vrijwilligers", "vrijwilligersuren", "professionele_uren", "opmerking"],
    ),
    ImportKind.ATTENDANCE: (["activiteit", "datum", "deelnemer"], []),
}
ALIASES = {
    "thema_s": "themas",
    "thema": "themas",
    "doelgroep": "doelgroepen",
    "deelnemer_id": "deelnemer",
    "deelnemersnummer": "deelnemer",
    "activiteitcode": "activiteit",
    "activiteit_code": "activiteit",
    "e_mail": "email",
    "emailadres": "email",
    "e_mailadres": "email",
    "telefoonnummer": "telefoon",
    "latitude": "lat",
    "longitude": "lon",
    "buurtcode": "buurt",
    "gebied": "gebieden",
    "anoniem": "aantal_anoniem",
    "titel_activiteit": "titel",
    "naam_activiteit": "titel",
}
DAY_WORDS = {
    "ma": 1,
    "maandag": 1,
    "di": 2,
    "dinsdag": 2,
    "wo": 3,
    "woensdag": 3,
    "do": 4,
    "donderdag": 4,
    "vr": 5,
    "vrijdag": 5,
    "za": 6,
    "zaterdag": 6,
    "zo": 7,
    "zondag": 7,
}
TRUE_WORDS = {"ja", "j", "1", "true", "waar", "yes", "y", "x"}
FALSE_WORDS = {"nee", "n", "0", "false", "onwaar", "no", ""}
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_NL = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::\d{2})?$")


class RowError(ValueError):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


@dataclass
class RowIssue:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        """As stored with the import: a value quoted in the message never keeps a BSN."""
        return {"row": self.row, "column": self.column, "message": mask(self.message)}

    def __str__(self) -> str:
        col = _(", column “%(column)s”") % {"column": self.column} if self.column else ""
        return _("Row %(row)d%(col)s: %(message)s") % {"row": self.row, "col": col, "message": self.message}


@dataclass
class Parsed:
    """Rows that passed, keyed for writing, and the rows that did not."""

    header: list[str]
    good: list[tuple[int, dict]] = field(default_factory=list)
    bad: list[tuple[int, list, list[RowIssue]]] = field(default_factory=list)
    total: int = 0
    cells: dict[int, list] = field(default_factory=dict)  # of good rows, where a later check needs them


# ------------------------------------------------------------------ cell parsers


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value, column: str) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    m = _DATE_ISO.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DATE_NL.match(text)
        if m:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        pass
    raise RowError(column, _("“%(value)s” is not a date (use 2025-03-31 or 31-03-2025).") % {"value": text})


def _time(value, column: str) -> dt.time | None:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.datetime):
        return value.time()
    text = _text(value)
    if not text:
        return None
    m = _TIME.match(text)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return dt.time(int(m.group(1)), int(m.group(2)))
    raise RowError(column, _("“%(value)s” is not a time (use 13:30).") % {"value": text})


def _int(value, column: str, *, lo: int = 0, hi: int = 100000) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        raise RowError(column, _("“%(value)s” is not a whole number.") % {"value": text}) from None
    if not lo <= number <= hi:
        raise RowError(
            column, _("%(value)s lies outside %(lo)s to %(hi)s.") % {"value": number, "lo": lo, "hi": hi}
        )
    return number


def _decimal(value, column: str) -> Decimal | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": _text(value)}) from None
    if not number.is_finite() or number < 0 or number > 10000:
        raise RowError(column, _("%(value)s lies outside 0 to 10,000.") % {"value": _text(value)})
    return number.quantize(Decimal("0.01"))


def _float(value, column: str) -> float | None:
    text = _text(value).replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": _text(value)}) from None


def _bool(value, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise RowError(column, _("“%(value)s” is not ja or nee.") % {"value": _text(value)})


def _list(value) -> list[str]:
    return [p.strip() for p in re.split(r"[|,;]", _text(value)) if p.strip()]


def _days(value, column: str) -> list[int]:
    days = []
    for part in _list(value):
        p = part.lower()
        if p in DAY_WORDS:
            days.append(DAY_WORDS[p])
        elif p.isascii() and p.isdigit() and 1 <= int(p) <= 7:
            days.append(int(p))
        else:
            raise RowError(
                column, _("“%(value)s” is not a day (ma, di, wo, do, vr, za, zo or 1-7).") % {"value": part}
            )
    return days


def _validated(column: str, fn: Callable, *args):
    try:
        return fn(*args)
    except ValidationError as exc:
        raise RowError(column, " ".join(exc.messages)) from None


# ------------------------------------------------------------------ reading


def forbidden_columns(header: list[str], columns: list[str]) -> list[str]:
    """The headers of a file that name direct personal data (core.personal_data): every header
    that is not one of the file's own columns (or an alias of one) and contains "bsn", "naam",
    "adres", "mail", "telefoon", "geboortedatum", ... in any spelling."""
    allowed = {compact_header(c) for c in columns}
    allowed |= {compact_header(alias) for alias, target in ALIASES.items() if target in columns}
    return [h for h in header if forbidden_header(h, allowed)]


def normalise_header(name: str) -> str:
    key = re.sub(r"[\s\-']+", "_", str(name).strip().lower()).strip("_")
    return ALIASES.get(key, key)


def _header_map(kind: str, header: list[str]) -> dict[str, int]:
    required, optional = COLUMNS[kind]
    names = [normalise_header(h) for h in header]
    forbidden = forbidden_columns(header, [*required, *optional])
    if forbidden:
        raise TableError(
            _(
                "The file has a column “%(column)s” with direct personal data; remove it. "
                "Wijkinzicht registers residents only under a pseudonymous id, never by BSN or name."
            )
            % {"column": forbidden[0]},
            row=1,
            column=forbidden[0],
        )
    seen: dict[str, int] = {}
    for i, n in enumerate(names):
        if n in seen:
            raise TableError(
                _("Column “%(column)s” occurs twice in the header.") % {"column": header[i]},
                row=1,
                column=header[i],
            )
        seen[n] = i
    missing = [c for c in required if c not in seen]
    if missing:
        raise TableError(
            _("Required column(s) missing: %(columns)s. Found: %(found)s.")
            % {"columns": ", ".join(missing), "found": ", ".join(header)},
            row=1,
        )
    return {n: i for n, i in seen.items() if n in required or n in optional}


class Context:
    """Lookups that rows are checked against, loaded once per file."""

    def __init__(self, organisation: Organisation, kind: str):
        self.organisation = organisation
        self.today = v.today()
        self.activities: dict[str, int] = {}
        self.participants: dict[str, int] = {}
        self.buurten: dict[str, int] = {}
        if kind in (ImportKind.MEETINGS, ImportKind.ATTENDANCE):
            self.activities = dict(
                Activity.objects.filter(organisation=organisation).values_list("code", "pk")
            )
        if kind in (ImportKind.ATTENDANCE, ImportKind.PARTICIPANTS):
            self.participants = dict(
                Participant.objects.filter(organisation=organisation).values_list("pseudonym", "pk")
            )
        if kind == ImportKind.PARTICIPANTS:
            self.buurten = dict(Area.objects.filter(level="buurt").values_list("code", "pk"))


def _get(cells: list, cols: dict[str, int], name: str):
    i = cols.get(name)
    return None if i is None else cells[i]


def _row_participant(cells, cols, ctx: Context) -> tuple[tuple, dict]:
    pseudonym = _validated("deelnemer", v.clean_pseudonym, _text(_get(cells, cols, "deelnemer")))
    birth_year = _validated(
        "geboortejaar",
        v.clean_birth_year,
        _int(_get(cells, cols, "geboortejaar"), "geboortejaar", lo=0, hi=9999),
    )
    gender = _validated("geslacht", v.clean_gender, _text(_get(cells, cols, "geslacht")))
    buurt_code = normalise_code(_text(_get(cells, cols, "buurt")))
    buurt_id = None
    if buurt_code:
        buurt_id = ctx.buurten.get(buurt_code)
        if buurt_id is None:
            raise RowError("buurt", _("“%(code)s” is not a known buurt code (BU…).") % {"code": buurt_code})
    consent = _bool(_get(cells, cols, "toestemming"), "toestemming")
    consent_date = _date(_get(cells, cols, "toestemmingsdatum"), "toestemmingsdatum")
    if consent_date and consent_date > ctx.today:
        raise RowError("toestemmingsdatum", _("The consent date lies in the future."))
    if consent_date and not consent:
        raise RowError("toestemmingsdatum", _("A consent date is given but consent is nee."))
    return (pseudonym,), {
        "pseudonym": pseudonym,
        "birth_year": birth_year,
        "gender": gender,
        "home_buurt_id": buurt_id,
        "consent": consent,
        "consent_date": consent_date,
    }


def _activity_id(cells, cols, ctx: Context) -> int:
    code = _text(_get(cells, cols, "activiteit"))
    if not code:
        raise RowError("activiteit", _("An activity code is required."))
    pk = ctx.activities.get(code)
    if pk is None:
        raise RowError(
            "activiteit",
            _("Your organisation has no activity with code “%(code)s”; import or create the activity first.")
            % {"code": code},
        )
    return pk


def _meeting_date(cells, cols, ctx: Context) -> dt.date:
    date = _date(_get(cells, cols, "datum"), "datum")
    if date is None:
        raise RowError("datum", _("A date is required."))
    return _validated("datum", v.clean_meeting_date, date)


def _row_meeting(cells, cols, ctx: Context) -> tuple[tuple, dict]:
    activity_id = _activity_id(cells, cols, ctx)
    date = _meeting_date(cells, cols, ctx)
    return (activity_id, date), {
        "activity_id": activity_id,
        "date": date,
        "anonymous_count": _int(_get(cells, cols, "aantal_anoniem"), "aantal_anoniem") or 0,
        "volunteers": _int(_get(cells, cols, "vrijwilligers"), "vrijwilligers") or 0,
        "volunteer_hours": _decimal(_get(cells, cols, "vrijwilligersuren"), "vrijwilligersuren")
        or Decimal(0),
        "professional_hours": _decimal(_get(cells, cols, "professionele_uren"), "professionele_uren")
        or Decimal(0),
        "note": _validated("opmerking", v.clean_free_text, _text(_get(cells, cols, "opmerking")),
                           _("The note"))[:300],
    }


def _row_attendance(cells, cols, ctx: Context) -> tuple[tuple, dict]:
    activity_id = _activity_id(cells, cols, ctx)
    date = _meeting_date(cells, cols, ctx)
    pseudonym = _text(_get(cells, cols, "deelnemer"))
    if not pseudonym:
        raise RowError("deelnemer", _("A participant id is required."))
    participant_id = ctx.participants.get(pseudonym)
    if participant_id is None:
        if v.looks_like_bsn(pseudonym):
            raise RowError(
                "deelnemer", _("This looks like a BSN; use the organisation's own pseudonymous id.")
            )
        raise RowError(
            "deelnemer",
            _("Your organisation has no participant “%(id)s”; import the participants first.")
            % {"id": pseudonym},
        )
    return (activity_id, date, participant_id), {
        "activity_id": activity_id,
        "date": date,
        "participant_id": participant_id,
    }


def _row_activity(cells, cols, ctx: Context) -> tuple[tuple, dict]:
    code = _text(_get(cells, cols, "code"))
    if not code:
        raise RowError("code", _("A code is required."))
    if len(code) > 60:
        raise RowError("code", _("A code has at most 60 characters."))
    title = _text(_get(cells, cols, "titel"))
    if not title:
        raise RowError("titel", _("A title is required."))
    kind = _text(_get(cells, cols, "type")).lower().replace(" ", "_")
    if kind not in ActivityKind.values:
        raise RowError(
            "type",
            _("Unknown type “%(value)s”; choose from %(allowed)s.")
            % {"value": kind, "allowed": ", ".join(ActivityKind.values)},
        )
    start = _date(_get(cells, cols, "startdatum"), "startdatum")
    end = _date(_get(cells, cols, "einddatum"), "einddatum")
    _validated("einddatum", v.clean_period, start, end)
    start_time = _time(_get(cells, cols, "begintijd"), "begintijd")
    end_time = _time(_get(cells, cols, "eindtijd"), "eindtijd")
    if start_time and end_time and end_time <= start_time:
        raise RowError("eindtijd", _("The end time lies before the start time."))
    lat = _float(_get(cells, cols, "lat"), "lat")
    lon = _float(_get(cells, cols, "lon"), "lon")
    lat, lon = _validated("lat", v.clean_coordinates, lat, lon)
    codes = [normalise_code(c) for c in _list(_get(cells, cols, "gebieden"))]
    bad_codes = [c for c in codes if not re.match(r"^(GM\d{4}|WK\d{6}|BU\d{8})$", c)]
    if bad_codes:
        raise RowError(
            "gebieden", _("“%(code)s” is not a CBS area code (GM…, WK… or BU…).") % {"code": bad_codes[0]}
        )
    if len({gemeente_code_of(c) for c in codes}) > 1:
        raise RowError("gebieden", _("The areas of one activity lie in one municipality."))
    email = _text(_get(cells, cols, "email"))
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        raise RowError("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
    website = _text(_get(cells, cols, "website"))
    if website and not re.match(r"^https?://\S+$", website):
        raise RowError("website", _("A website starts with http:// or https://."))
    fields = {
        "title": title[:200],
        "kind": kind,
        "description": _text(_get(cells, cols, "omschrijving")),
        "themes": _validated("themas", v.clean_themes, _list(_get(cells, cols, "themas"))),
        "target_groups": _validated(
            "doelgroepen", v.clean_target_groups, _list(_get(cells, cols, "doelgroepen"))
        ),
        "resident_led": _bool(_get(cells, cols, "bewonersinitiatief"), "bewonersinitiatief"),
        "start_date": start,
        "end_date": end,
        "frequency": _validated("frequentie", v.clean_frequency, _text(_get(cells, cols, "frequentie"))),
        "weekdays": v.clean_weekdays(_days(_get(cells, cols, "dagen"), "dagen")),
        "start_time": start_time,
        "end_time": end_time,
        "location_name": _text(_get(cells, cols, "locatie"))[:200],
        "address": _text(_get(cells, cols, "adres"))[:200],
        "postcode": _validated("postcode", v.clean_postcode, _text(_get(cells, cols, "postcode"))),
        "city": _text(_get(cells, cols, "plaats"))[:100],
        "latitude": lat,
        "longitude": lon,
        "cost": _text(_get(cells, cols, "kosten"))[:120],
        "is_free": _bool(_get(cells, cols, "gratis"), "gratis"),
        "accessibility": _text(_get(cells, cols, "toegankelijkheid"))[:300],
        "wheelchair_accessible": _bool(_get(cells, cols, "rolstoeltoegankelijk"), "rolstoeltoegankelijk"),
        "contact_name": _text(_get(cells, cols, "contactpersoon"))[:120],
        "contact_phone": _text(_get(cells, cols, "telefoon"))[:30],
        "contact_email": email,
        "website": website,
        "is_published": _bool(_get(cells, cols, "gepubliceerd"), "gepubliceerd"),
    }
    return (code,), {"code": code, "fields": fields, "area_codes": codes}


ROW_PARSERS = {
    ImportKind.ACTIVITIES: _row_activity,
    ImportKind.PARTICIPANTS: _row_participant,
    ImportKind.MEETINGS: _row_meeting,
    ImportKind.ATTENDANCE: _row_attendance,
}
KEY_COLUMNS = {
    ImportKind.ACTIVITIES: "code",
    ImportKind.PARTICIPANTS: "deelnemer",
    ImportKind.MEETINGS: "datum",
    ImportKind.ATTENDANCE: "deelnemer",
}


def parse_rows(kind: str, table, ctx: Context) -> Parsed:
    cols = _header_map(kind, table.header)
    parse = ROW_PARSERS[kind]
    keep_cells = kind == ImportKind.ACTIVITIES
    parsed = Parsed(header=table.header)
    first_row_of: dict[tuple, int] = {}
    for line, cells in table.rows:
        parsed.total += 1
        try:
            key, values = parse(cells, cols, ctx)
            if key in first_row_of:
                raise RowError(
                    KEY_COLUMNS[kind],
                    _("Same record as row %(row)d; a row may occur only once.") % {"row": first_row_of[key]},
                )
            first_row_of[key] = line
        except RowError as exc:
            parsed.bad.append((line, cells, [RowIssue(line, exc.column, str(exc))]))
            continue
        parsed.good.append((line, values))
        if keep_cells:
            parsed.cells[line] = cells
    return parsed


# ------------------------------------------------------------------ writing


def _write_participants(ctx: Context, rows: list[dict]) -> tuple[int, int]:
    existing = ctx.participants
    new = [Participant(organisation=ctx.organisation, **r) for r in rows if r["pseudonym"] not in existing]
    Participant.objects.bulk_create(new, batch_size=BATCH)
    changed = [r for r in rows if r["pseudonym"] in existing]
    if changed:
        objs = []
        for r in changed:
            p = Participant(pk=existing[r["pseudonym"]], organisation=ctx.organisation, **r)
            objs.append(p)
        Participant.objects.bulk_update(
            objs, ["birth_year", "gender", "home_buurt_id", "consent", "consent_date"], batch_size=BATCH
        )
    return len(new), len(changed)


def _existing_meetings(activity_ids: set[int], dates: list[dt.date]) -> dict[tuple[int, dt.date], int]:
    if not activity_ids:
        return {}
    qs = Meeting.objects.filter(activity_id__in=activity_ids, date__gte=min(dates), date__lte=max(dates))
    return {(a, d): pk for pk, a, d in qs.values_list("pk", "activity_id", "date")}


def _write_meetings(ctx: Context, rows: list[dict]) -> tuple[int, int]:
    existing = _existing_meetings({r["activity_id"] for r in rows}, [r["date"] for r in rows]) if rows else {}
    org = ctx.organisation.pk
    new = [Meeting(organisation_id=org, **r) for r in rows if (r["activity_id"], r["date"]) not in existing]
    Meeting.objects.bulk_create(new, batch_size=BATCH)
    changed = [
        Meeting(pk=existing[(r["activity_id"], r["date"])], organisation_id=org, **r)
        for r in rows
        if (r["activity_id"], r["date"]) in existing
    ]
    Meeting.objects.bulk_update(
        changed,
        ["anonymous_count", "volunteers", "volunteer_hours", "professional_hours", "note"],
        batch_size=BATCH,
    )
    return len(new), len(changed)


def _write_attendance(ctx: Context, rows: list[dict]) -> tuple[int, int]:
    if not rows:
        return 0, 0
    dates = [r["date"] for r in rows]
    activity_ids = {r["activity_id"] for r in rows}
    meetings = _existing_meetings(activity_ids, dates)
    missing = sorted({(r["activity_id"], r["date"]) for r in rows} - set(meetings))
    Meeting.objects.bulk_create(
        [Meeting(organisation_id=ctx.organisation.pk, activity_id=a, date=d) for a, d in missing],
        batch_size=BATCH,
    )
    if missing:
        meetings = _existing_meetings(activity_ids, dates)
    present = set(
        Attendance.objects.filter(activity_id__in=activity_ids, date__gte=min(dates), date__lte=max(dates))
        .values_list("activity_id", "date", "participant_id")
        .iterator(chunk_size=20000)
    )
    new = [
        Attendance(meeting_id=meetings[(r["activity_id"], r["date"])], **r)
        for r in rows
        if (r["activity_id"], r["date"], r["participant_id"]) not in present
    ]
    Attendance.objects.bulk_create(new, batch_size=BATCH)
    return len(new), len(rows) - len(new)


def _write_activities(ctx: Context, rows: list[dict]) -> tuple[int, int]:
    org = ctx.organisation
    existing = {
        a.code: a for a in Activity.objects.filter(organisation=org, code__in=[r["code"] for r in rows])
    }
    all_codes = {c for r in rows for c in r["area_codes"]} | {
        gemeente_code_of(c) for r in rows for c in r["area_codes"]
    }
    areas = {a.code: a for a in Area.objects.filter(code__in=all_codes)}
    created = updated = 0
    for r in rows:
        codes = r["area_codes"]
        activity = existing.get(r["code"]) or Activity(organisation=org, code=r["code"])
        for name, value in r["fields"].items():
            setattr(activity, name, value)
        activity.gemeente = areas.get(gemeente_code_of(codes[0])) if codes else None
        activity.search_text = search_text(activity, org.name)
        if activity.pk:
            updated += 1
        else:
            created += 1
        activity.save()
        activity.areas.set([areas[c] for c in codes])
    return created, updated


WRITERS = {
    ImportKind.ACTIVITIES: _write_activities,
    ImportKind.PARTICIPANTS: _write_participants,
    ImportKind.MEETINGS: _write_meetings,
    ImportKind.ATTENDANCE: _write_attendance,
}


def _unknown_areas(parsed: Parsed) -> None:
    """Activities: area codes that are well-formed but not in the database are row errors."""
    codes = {c for _line, r in parsed.good for c in r["area_codes"]}
    if not codes:
        return
    known = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
    keep = []
    for line, r in parsed.good:
        unknown = [c for c in r["area_codes"] if c not in known]
        if unknown:
            parsed.bad.append(
                (
                    line,
                    parsed.cells[line],
                    [RowIssue(line, "gebieden", _("Unknown area code “%(code)s”.") % {"code": unknown[0]})],
                )
            )
        else:
            keep.append((line, r))
    parsed.good = keep


def _cell_text(value) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return _text(value)


def rejected_csv(parsed: Parsed) -> str:
    """The rejected rows with the original header and a last column 'fout' giving the reason."""
    if not parsed.bad:
        return ""
    rows = [[*parsed.header, "fout"]]
    for _line, cells, issues in sorted(parsed.bad, key=lambda b: b[0]):
        # refused personal data (a BSN, an e-mail address, a telephone number) is not kept
        rows.append([*[mask(_cell_text(c)) for c in cells], "; ".join(str(i) for i in issues)])
    return csv_text(rows)


def import_file(
    *,
    user,
    organisation: Organisation,
    kind: str,
    filename: str,
    data: bytes,
    mode: str = ImportMode.KEEP_VALID,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """Check and import one file; the ImportBatch says what happened. Raises TableError when the file
    as a whole cannot be read (nothing is written then), TenancyError when the user may not import.
    ``batch``: a queued import (a large file, run by a background job) to fill in."""
    _check_request(user=user, organisation=organisation, kind=kind, mode=mode)
    table = read_table(filename or "upload.csv", data)
    ctx = Context(organisation, kind)
    parsed = parse_rows(kind, table, ctx)
    if kind == ImportKind.ACTIVITIES:
        _unknown_areas(parsed)
    if parsed.total == 0:
        raise TableError(_("The file has a header but no rows."))
    parsed.bad.sort(key=lambda b: b[0])
    issues = [i for _line, _cells, row_issues in parsed.bad for i in row_issues]
    write = mode == ImportMode.KEEP_VALID or not parsed.bad
    with transaction.atomic():
        created = updated = 0
        if write and parsed.good:
            written = [r for _line, r in parsed.good]
            created, updated = WRITERS[kind](ctx, written)
            _log_import(user, organisation, kind, written)
        if not write:
            status = ImportStatus.REJECTED
        elif parsed.bad:
            status = ImportStatus.PARTIAL
        else:
            status = ImportStatus.IMPORTED
        values = {
            "status": status,
            "rows_total": parsed.total,
            "rows_created": created,
            "rows_updated": updated,
            "rows_rejected": len(parsed.bad) if write else parsed.total,
            "errors": [i.as_dict() for i in issues[:MAX_STORED_ERRORS]],
            "rejected_file": rejected_csv(parsed),
        }
        if batch is not None:
            ImportBatch.objects.filter(pk=batch.pk).update(**values)
            batch.refresh_from_db()
            return batch
        return ImportBatch.objects.create(
            **_batch_identity(user=user, organisation=organisation, kind=kind, mode=mode,
                              filename=filename, data=data),
            **values,
        )


def _log_import(user, organisation: Organisation, kind: str, rows: list[dict]) -> None:
    """The processing log of an import: one line per participant whose data it wrote."""
    if kind == ImportKind.PARTICIPANTS:
        wanted = {r["pseudonym"] for r in rows}
        ids = [pk for pseudonym, pk in Participant.objects.filter(organisation=organisation)
               .values_list("pseudonym", "pk").iterator(chunk_size=20000) if pseudonym in wanted]
        activity = "deelnemers"
    elif kind == ImportKind.ATTENDANCE:
        ids = sorted({r["participant_id"] for r in rows})
        activity = "aanwezigheid"
    else:
        return
    processing.record(name=f"import.{kind}", activity=activity, user=user,
                      subjects=[(organisation.pk, pk) for pk in ids], organisation_id=organisation.pk)


def _batch_identity(*, user, organisation: Organisation, kind: str, mode: str, filename: str,
                    data: bytes) -> dict:
    """What an import is, whether it runs now or waits for a job: who, what, which file."""
    return {
        "organisation": organisation,
        "user": user if user and user.is_authenticated else None,
        "kind": kind,
        "mode": mode,
        "filename": (filename or "")[:255],
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _check_request(*, user, organisation: Organisation, kind: str, mode: str) -> None:
    require_member(user, organisation.pk, roles=REGISTER_ROLES)
    if kind not in ImportKind.values:
        raise TableError(_("Unknown kind of import “%(kind)s”.") % {"kind": kind})
    if mode not in ImportMode.values:
        raise TableError(_("Unknown import mode “%(mode)s”.") % {"mode": mode})


def import_queue(*, user, organisation: Organisation, kind: str, filename: str, data: bytes,
                 mode: str = ImportMode.KEEP_VALID) -> ImportBatch:
    """Store a large file and queue its import (core.jobs): the web request is free at once.

    The same checks of who and what first; the file itself is read by the job (decision 0012)."""
    from .models import ImportUpload
    from .tasks import run_import

    _check_request(user=user, organisation=organisation, kind=kind, mode=mode)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            **_batch_identity(user=user, organisation=organisation, kind=kind, mode=mode,
                              filename=filename, data=data),
            status=ImportStatus.QUEUED,
        )
        ImportUpload.objects.create(batch=batch, data=data)
        batch.job_id = str(run_import.enqueue(batch_id=batch.pk).id)
        batch.save(update_fields=["job_id"])
    return batch


def import_upload(*, user, organisation: Organisation, kind: str, filename: str, data: bytes,
                  mode: str = ImportMode.KEEP_VALID) -> ImportBatch:
    """An upload from the page or the API: imported now, or, when larger than
    WIJKINZICHT_IMPORT_INLINE_MAX_BYTES (a workbook: unpacked), queued for a background job (status
    "queued")."""
    from django.conf import settings

    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise TableError(too_large_text())
    from wijkinzicht.core.tabular import check_zip, work_size

    if data[:4] == b"PK\x03\x04":
        check_zip(data)  # a bomb is refused here, at once, not by a job
    run = import_queue if work_size(data) > settings.IMPORT_INLINE_MAX_BYTES else import_file
    return run(user=user, organisation=organisation, kind=kind, filename=filename, data=data, mode=mode)


def import_queued_run(*, batch_id: int) -> str:
    """The background job's work: import the stored file into its batch, then drop the file."""
    from .models import ImportUpload

    claimed = ImportBatch.objects.filter(
        pk=batch_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING)
    if not claimed:
        return "already done"
    batch = ImportBatch.objects.select_related("organisation", "user").get(pk=batch_id)
    upload = ImportUpload.objects.get(batch=batch)
    try:
        batch = import_file(user=batch.user, organisation=batch.organisation, kind=batch.kind,
                            filename=batch.filename, data=bytes(upload.data), mode=batch.mode, batch=batch)
    except (TableError, TenancyError) as exc:
        import_failed(batch_id=batch_id, message=str(exc) or "not allowed")
        return ImportStatus.FAILED
    ImportUpload.objects.filter(batch_id=batch_id).delete()
    return batch.status


def import_failed(*, batch_id: int, message: str) -> None:
    from .models import ImportUpload

    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.FAILED, message=message[:2000])
    ImportUpload.objects.filter(batch_id=batch_id).delete()


def issue_text(batch: ImportBatch, limit: int = 50) -> list[str]:
    return [str(RowIssue(e["row"], e["column"], e["message"])) for e in batch.errors[:limit]]
