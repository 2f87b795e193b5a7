"""Writes of the activities module: activities, participants, meetings with attendance.

Forms, the API and the importers all come here. Every function checks that the user may
register for the organisation (core.tenancy) and raises ValidationError with a message per
field; nothing is written unless everything is valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wijkinzicht.analysis.text import index_text
from wijkinzicht.areas.constants import normalise_code
from wijkinzicht.areas.models import Area
from wijkinzicht.core import processing
from wijkinzicht.core.tenancy import TenancyError, require_member
from wijkinzicht.parties.models import Organisation

from . import validation as v
from .constants import REGISTER_ROLES, ActivityKind
from .models import Activity, Attendance, Meeting, Participant

ACTIVITY_FIELDS = (
    "title",
    "description",
    "kind",
    "themes",
    "target_groups",
    "resident_led",
    "start_date",
    "end_date",
    "frequency",
    "weekdays",
    "start_time",
    "end_time",
    "location_name",
    "address",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "cost",
    "is_free",
    "accessibility",
    "wheelchair_accessible",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "is_published",
    "informal_partners",
)


def gemeente_code_of(code: str) -> str:
    """GM0363 for BU03630500, WK036305 and GM0363."""
    return "GM" + code[2:6]


def resolve_areas(codes: Iterable[str], *, field: str = "areas") -> tuple[list[Area], Area | None]:
    """Areas for CBS codes (buurt, wijk or gemeente), all in one gemeente; and that gemeente."""
    wanted = []
    for raw in codes:
        code = normalise_code(str(raw))
        if code and code not in wanted:
            wanted.append(code)
    if not wanted:
        return [], None
    found = {a.code: a for a in Area.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValidationError({field: _("Unknown area code(s): %(codes)s.") % {"codes": ", ".join(unknown)}})
    gemeenten = {gemeente_code_of(c) for c in wanted if not c.startswith("NL")}
    if len(gemeenten) != 1:
        raise ValidationError({field: _("The areas of one activity lie in one municipality.")})
    gemeente = Area.objects.filter(code=gemeenten.pop()).first()
    return [found[c] for c in wanted], gemeente


def search_text(activity, organisation_name: str) -> str:
    """What the sociale kaart's word search looks in (analysis.text.index_text): title,
    description, place, organisation, partners, and the themes and target groups in words --
    normalised (no accents or case: "taalcafe" finds Taalcafé) and with their Dutch stems. Takes
    an Activity or anything with its fields (migration activities 0005 passes a historical one)."""
    from django.utils import translation

    from .constants import TargetGroup, Theme
    from .models import _split

    theme_keys, group_keys = _split(activity.themes), _split(activity.target_groups)
    with translation.override("nl"):
        themes = [str(Theme(t).label) for t in theme_keys if t in Theme.values]
        groups = [str(TargetGroup(t).label) for t in group_keys if t in TargetGroup.values]
    parts = [activity.title, activity.description, activity.location_name, activity.address, activity.city,
             activity.postcode, organisation_name, activity.informal_partners,
             *theme_keys, *themes, *group_keys, *groups]
    return index_text(*parts)


def _clean_activity(data: dict) -> dict:
    """Clean the activity fields given (a partial dict for updates); errors per field."""
    errors: dict[str, list[str]] = {}
    out = dict(data)

    def check(name, fn, *args):
        try:
            return fn(*args)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
            return None

    if "title" in data and not (data["title"] or "").strip():
        errors["title"] = [_("A title is required.")]
    if "kind" in data and not data["kind"]:
        errors["kind"] = [_("A type is required.")]
    elif "kind" in data and data["kind"] not in ActivityKind.values:
        errors["kind"] = [
            _("Unknown type “%(value)s”; choose from %(allowed)s.")
            % {"value": data["kind"], "allowed": ", ".join(ActivityKind.values)}
        ]
    for name, fn in (
        ("themes", v.clean_themes),
        ("target_groups", v.clean_target_groups),
        ("weekdays", v.clean_weekdays),
        ("frequency", v.clean_frequency),
        ("postcode", v.clean_postcode),
    ):
        if name in data:
            value = data[name]
            if name in ("themes", "target_groups", "weekdays") and isinstance(value, str):
                value = [p for p in value.replace(";", ",").split(",")] if name != "weekdays" else list(value)
            out[name] = check(name, fn, value)
    if "latitude" in data or "longitude" in data:
        result = check("latitude", v.clean_coordinates, data.get("latitude"), data.get("longitude"))
        if result:
            out["latitude"], out["longitude"] = result
    check("end_date", v.clean_period, data.get("start_date"), data.get("end_date"))
    if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
        errors.setdefault("end_time", []).append(_("The end time lies before the start time."))
    if errors:
        raise ValidationError(errors)
    return out


def _require_register(user, organisation_id: int) -> None:
    require_member(user, organisation_id, roles=REGISTER_ROLES)


@transaction.atomic
def activity_create(
    *,
    user,
    organisation: Organisation,
    code: str = "",
    area_codes: Iterable[str] = (),
    partner_ids: Iterable[int] = (),
    **fields,
) -> Activity:
    """A new activity of organisation (the lead); code defaults to a generated one."""
    _require_register(user, organisation.pk)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    fields.setdefault("kind", "")
    fields.setdefault("title", "")
    cleaned = _clean_activity(fields)
    areas, gemeente = resolve_areas(area_codes)
    code = (code or "").strip()
    if code and Activity.objects.filter(organisation=organisation, code=code).exists():
        raise ValidationError(
            {"code": _("Your organisation already has an activity with code “%(code)s”.") % {"code": code}}
        )
    activity = Activity(organisation=organisation, code=code or "-", gemeente=gemeente, **cleaned)
    activity.search_text = search_text(activity, organisation.name)
    activity.full_clean(exclude=["code", "areas", "partners"])
    activity.save()
    if not code:
        activity.code = f"A{activity.pk}"
        activity.save(update_fields=["code"])
    activity.areas.set(areas)
    _set_partners(activity, partner_ids)
    return activity


def _set_partners(activity: Activity, partner_ids: Iterable[int]) -> None:
    ids = {int(i) for i in partner_ids} - {activity.organisation_id}
    partners = list(Organisation.objects.filter(pk__in=ids))
    if len(partners) != len(ids):
        raise ValidationError({"partners": _("Unknown partner organisation.")})
    activity.partners.set(partners)


@transaction.atomic
def activity_update(
    *,
    user,
    activity: Activity,
    area_codes: Iterable[str] | None = None,
    partner_ids: Iterable[int] | None = None,
    **fields,
) -> Activity:
    """Change an activity of the user's organisation; only the given fields change."""
    _require_register(user, activity.organisation_id)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    merged = {
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "start_time": activity.start_time,
        "end_time": activity.end_time,
        "latitude": activity.latitude,
        "longitude": activity.longitude,
        **fields,
    }
    cleaned = _clean_activity(merged)
    changed = set(fields)
    if changed & {"latitude", "longitude"}:
        changed |= {"latitude", "longitude"}
    for name in changed:
        setattr(activity, name, cleaned[name])
    if area_codes is not None:
        areas, activity.gemeente = resolve_areas(area_codes)
    activity.search_text = search_text(activity, activity.organisation.name)
    activity.full_clean(exclude=["areas", "partners"])
    activity.save()
    if area_codes is not None:
        activity.areas.set(areas)
    if partner_ids is not None:
        _set_partners(activity, partner_ids)
    return activity


def _home_buurt(code: str | None) -> Area | None:
    if not code:
        return None
    code = normalise_code(code)
    area = Area.objects.filter(code=code, level="buurt").first()
    if area is None:
        raise ValidationError(
            {"home_buurt": _("“%(code)s” is not a known buurt code (BU…).") % {"code": code}}
        )
    return area


def _clean_participant(*, pseudonym: str, birth_year, gender: str, consent: bool, consent_date) -> dict:
    errors = {}
    out = {}
    for name, fn, value in (
        ("pseudonym", v.clean_pseudonym, pseudonym),
        ("birth_year", v.clean_birth_year, birth_year),
        ("gender", v.clean_gender, gender),
    ):
        try:
            out[name] = fn(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if consent_date and consent_date > v.today():
        errors["consent_date"] = [_("The consent date lies in the future.")]
    if consent_date and not consent:
        errors["consent_date"] = [_("A consent date is given but consent is not ticked.")]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def participant_create(
    *,
    user,
    organisation: Organisation,
    pseudonym: str,
    birth_year: int | None = None,
    gender: str = "",
    home_buurt_code: str | None = None,
    consent: bool = False,
    consent_date: dt.date | None = None,
) -> Participant:
    """Register a resident under the organisation's own pseudonymous id."""
    _require_register(user, organisation.pk)
    cleaned = _clean_participant(
        pseudonym=pseudonym, birth_year=birth_year, gender=gender, consent=consent, consent_date=consent_date
    )
    buurt = _home_buurt(home_buurt_code)
    if Participant.objects.filter(organisation=organisation, pseudonym=cleaned["pseudonym"]).exists():
        raise ValidationError(
            {
                "pseudonym": _("Your organisation already has a participant “%(id)s”.")
                % {"id": cleaned["pseudonym"]}
            }
        )
    participant = Participant.objects.create(
        organisation=organisation, home_buurt=buurt, consent=consent, consent_date=consent_date, **cleaned
    )
    processing.record(name="participants.create", activity="deelnemers", user=user,
                      subjects=[(organisation.pk, participant.pk)])
    return participant


@transaction.atomic
def participant_update(
    *,
    user,
    participant: Participant,
    birth_year: int | None,
    gender: str,
    home_buurt_code: str | None,
    consent: bool,
    consent_date: dt.date | None,
) -> Participant:
    _require_register(user, participant.organisation_id)
    cleaned = _clean_participant(
        pseudonym=participant.pseudonym,
        birth_year=birth_year,
        gender=gender,
        consent=consent,
        consent_date=consent_date,
    )
    participant.birth_year = cleaned["birth_year"]
    participant.gender = cleaned["gender"]
    participant.home_buurt = _home_buurt(home_buurt_code)
    participant.consent = consent
    participant.consent_date = consent_date
    participant.save()
    processing.record(name="participants.update", activity="deelnemers", user=user,
                      subjects=[(participant.organisation_id, participant.pk)])
    return participant


def _clean_meeting(*, date, anonymous_count, volunteers, volunteer_hours, professional_hours) -> dict:
    errors = {}
    try:
        v.clean_meeting_date(date)
    except ValidationError as exc:
        errors["date"] = exc.messages
    for name, value in (("anonymous_count", anonymous_count), ("volunteers", volunteers)):
        if value is None or value < 0 or value > 100000:
            errors[name] = [_("Give a whole number from 0 to 100,000.")]
    hours = {}
    for name, value, what in (
        ("volunteer_hours", volunteer_hours, _("Volunteer hours")),
        ("professional_hours", professional_hours, _("Professional hours")),
    ):
        try:
            hours[name] = v.clean_hours(value, what)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return {"date": date, "anonymous_count": anonymous_count, "volunteers": volunteers, **hours}


def _participants_of(organisation_id: int, participant_ids: Iterable[int]) -> list[int]:
    ids = {int(i) for i in participant_ids}
    known = set(
        Participant.objects.filter(organisation_id=organisation_id, pk__in=ids).values_list("pk", flat=True)
    )
    if known != ids:
        # someone else's participant or a made-up id: the same answer, so nothing leaks
        raise ValidationError(
            {
                "participants": _("Unknown participant(s): %(ids)s.")
                % {"ids": ", ".join(str(i) for i in sorted(ids - known))}
            }
        )
    return sorted(ids)


def _clean_note(note: str) -> str:
    try:
        return v.clean_free_text(note, _("The note"))[:300]
    except ValidationError as exc:
        raise ValidationError({"note": exc.messages}) from None


@transaction.atomic
def meeting_register(
    *,
    user,
    activity: Activity,
    date: dt.date,
    anonymous_count: int = 0,
    volunteers: int = 0,
    volunteer_hours=0,
    professional_hours=0,
    participant_ids: Iterable[int] = (),
    note: str = "",
) -> Meeting:
    """Register that a meeting of activity took place, with who was there."""
    _require_register(user, activity.organisation_id)
    cleaned = _clean_meeting(
        date=date,
        anonymous_count=anonymous_count,
        volunteers=volunteers,
        volunteer_hours=volunteer_hours,
        professional_hours=professional_hours,
    )
    note = _clean_note(note)
    ids = _participants_of(activity.organisation_id, participant_ids)
    if Meeting.objects.filter(activity=activity, date=date).exists():
        raise ValidationError(
            {
                "date": _("A meeting of this activity on %(date)s is already registered; change that one.")
                % {"date": date.strftime("%d-%m-%Y")}
            }
        )
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                activity=activity,
                organisation_id=activity.organisation_id,
                note=(note or "")[:300],
                **cleaned,
            )
    except IntegrityError as exc:  # a concurrent registration of the same day
        raise ValidationError(
            {"date": _("A meeting of this activity on this day is already registered.")}
        ) from exc
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, participant_id=pid, activity_id=activity.pk, date=date) for pid in ids]
    )
    processing.record(name="attendance.register", activity="aanwezigheid", user=user,
                      subjects=[(activity.organisation_id, pid) for pid in sorted(ids)],
                      organisation_id=activity.organisation_id)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    user,
    meeting: Meeting,
    anonymous_count: int,
    volunteers: int,
    volunteer_hours,
    professional_hours,
    participant_ids: Iterable[int],
    note: str = "",
) -> Meeting:
    """Correct the counts and the list of participants present (the date stays)."""
    _require_register(user, meeting.organisation_id)
    cleaned = _clean_meeting(
        date=meeting.date,
        anonymous_count=anonymous_count,
        volunteers=volunteers,
        volunteer_hours=volunteer_hours,
        professional_hours=professional_hours,
    )
    note = _clean_note(note)
    ids = set(_participants_of(meeting.organisation_id, participant_ids))
    for name, value in cleaned.items():
        setattr(meeting, name, value)
    meeting.note = (note or "")[:300]
    meeting.save()
    present = set(meeting.attendances.values_list("participant_id", flat=True))
    meeting.attendances.filter(participant_id__in=present - ids).delete()
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting, participant_id=pid, activity_id=meeting.activity_id, date=meeting.date
            )
            for pid in sorted(ids - present)
        ]
    )
    processing.record(name="attendance.update", activity="aanwezigheid", user=user,
                      subjects=[(meeting.organisation_id, pid) for pid in sorted(ids | present)],
                      organisation_id=meeting.organisation_id)
    return meeting


def meeting_delete(*, user, meeting: Meeting) -> None:
    _require_register(user, meeting.organisation_id)
    present = sorted(meeting.attendances.values_list("participant_id", flat=True))
    with transaction.atomic():
        meeting.delete()
        processing.record(name="attendance.delete", activity="aanwezigheid", user=user,
                          subjects=[(meeting.organisation_id, pid) for pid in present],
                          organisation_id=meeting.organisation_id)


__all__ = [
    "TenancyError",
    "activity_create",
    "activity_update",
    "meeting_delete",
    "meeting_register",
    "meeting_update",
    "participant_create",
    "participant_update",
    "resolve_areas",
]
