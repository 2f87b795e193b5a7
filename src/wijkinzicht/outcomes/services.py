"""Writes of the outcomes module: programmes and partners, the change model (every change makes a
version), roles and visions, indicators and manual values, measurements.

Pages, the change-model editor's JSON calls, imports and the demo all come here. Each function
checks who may do it (core.tenancy) and raises ValidationError with a message per field; nothing is
written unless everything is valid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkinzicht.activities.importers import forbidden_columns, normalise_header
from wijkinzicht.activities.models import Activity, Participant
from wijkinzicht.areas.constants import normalise_code
from wijkinzicht.areas.models import Area
from wijkinzicht.areas.models import Indicator as AreaIndicator
from wijkinzicht.core import processing
from wijkinzicht.core.personal_data import mask
from wijkinzicht.core.tabular import TableError, read_table
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for, require_member
from wijkinzicht.core.uploads import too_large_text
from wijkinzicht.parties.models import Organisation

from . import instruments, summaries
from .constants import (
    EDIT_ROLES,
    LAYERS,
    MEASURE_ROLES,
    VISION_ROLES,
    ElementKind,
    ImportState,
    Moment,
    PartyRole,
    ReachMeasure,
    SourceKind,
)
from .models import (
    Element,
    Indicator,
    Link,
    ManualValue,
    Measurement,
    MeasurementImport,
    ModelVersion,
    OutcomeRole,
    Programme,
    ProgrammePartner,
    Vision,
)
from .selectors import partner_organisation_ids, questionnaires_for

OUTCOME_KINDS = (ElementKind.GOAL, ElementKind.OUTCOME)


def _require_editor(user, programme: Programme) -> None:
    require_member(user, programme.organisation_id, roles=EDIT_ROLES)


def _text(value, field: str, *, required: bool = True, max_length: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return text


# --- programmes -------------------------------------------------------------------------------


def _programme_fields(name, start_date, end_date, areas) -> str:
    """The checks programmes are created and changed with; returns the cleaned name."""
    name = _text(name, "name")
    _check_period(start_date, end_date)
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    return name


def _check_period(start_date, end_date) -> None:
    if start_date is None:
        raise ValidationError({"start_date": _("This field is required.")})
    if end_date is None:
        raise ValidationError({"end_date": _("This field is required.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end date lies before the start date.")})


def _activities_allowed(user, activity_ids) -> list[Activity]:
    ids = {int(i) for i in activity_ids or []}
    found = list(Activity.objects.filter(pk__in=ids, organisation_id__in=organisation_ids_for(user)))
    if len(found) != len(ids):
        raise ValidationError({"activities": _("An activity was not found among your organisation's.")})
    return found


@transaction.atomic
def programme_create(
    *,
    user,
    organisation: Organisation,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    areas: list[Area],
    description: str = "",
    activity_ids=(),
    partners: list[tuple[Organisation, str]] = (),
) -> Programme:
    require_member(user, organisation.pk, roles=EDIT_ROLES)
    name = _programme_fields(name, start_date, end_date, areas)
    activities = _activities_allowed(user, activity_ids)
    programme = Programme.objects.create(
        organisation=organisation,
        name=name,
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    programme.areas.set(areas)
    programme.activities.set(activities)
    ProgrammePartner.objects.create(programme=programme, organisation=organisation, role=_("lead"))
    for partner, role in partners:
        partner_set(user=user, programme=programme, organisation=partner, role=role)
    _version(programme, user, _("Programme created"))
    return programme


@transaction.atomic
def programme_update(
    *,
    user,
    programme: Programme,
    name: str,
    start_date,
    end_date,
    areas,
    description="",
    activity_ids=(),
    partners: list[tuple[Organisation, str]] | None = None,
) -> Programme:
    """Change a programme; with partners, they become its partners (besides the owner), in the same
    transaction."""
    _require_editor(user, programme)
    programme.name = _programme_fields(name, start_date, end_date, areas)
    programme.start_date, programme.end_date = start_date, end_date
    programme.description = (description or "").strip()
    programme.save()
    programme.areas.set(areas)
    # activities of other organisations that a partner linked stay; the user's own are replaced
    own = organisation_ids_for(user)
    keep = [a for a in programme.activities.all() if a.organisation_id not in own]
    programme.activities.set([*keep, *_activities_allowed(user, activity_ids)])
    if partners is not None:
        for organisation, role in partners:
            partner_set(user=user, programme=programme, organisation=organisation, role=role)
        stay = {o.pk for o, _role in partners} | {programme.organisation_id}
        for organisation_id in partner_organisation_ids(programme) - stay:
            partner_remove(user=user, programme=programme, organisation_id=organisation_id)
    return programme


def partner_set(*, user, programme: Programme, organisation: Organisation, role: str) -> ProgrammePartner:
    _require_editor(user, programme)
    partner, _created = ProgrammePartner.objects.update_or_create(
        programme=programme, organisation=organisation, defaults={"role": _text(role, "role", required=False)}
    )
    return partner


def partner_remove(*, user, programme: Programme, organisation_id: int) -> None:
    _require_editor(user, programme)
    if organisation_id == programme.organisation_id:
        raise ValidationError({"organisation": _("The owning organisation cannot leave its programme.")})
    ProgrammePartner.objects.filter(programme=programme, organisation_id=organisation_id).delete()


# --- change model -----------------------------------------------------------------------------


def snapshot(programme: Programme) -> dict:
    """The change model as plain data: what a version stores and what the editor receives."""
    elements = list(programme.elements.order_by("position", "pk"))
    return {
        "elements": [
            {
                "id": e.pk,
                "kind": e.kind,
                "title": e.title,
                "description": e.description,
                "position": e.position,
                "activity": e.activity_id,
            }
            for e in elements
        ],
        "links": [
            {
                "id": ln.pk,
                "source": ln.source_id,
                "target": ln.target_id,
                "assumption": ln.assumption,
                "rationale": ln.rationale,
            }
            for ln in programme.links.order_by("pk")
        ],
    }


def _version(programme: Programme, user, summary: str) -> ModelVersion:
    # one version number per change, also when two people save at once: lock the programme row
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    last = programme.versions.aggregate(n=Max("number"))["n"] or 0
    return ModelVersion.objects.create(
        programme=programme,
        number=last + 1,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        summary=summary[:300],
        snapshot=snapshot(programme),
    )


def _kind(kind: str) -> str:
    if kind not in ElementKind.values:
        raise ValidationError({"kind": _("Choose goal, intermediate outcome, output or activity.")})
    return kind


@transaction.atomic
def element_add(
    *,
    user,
    programme: Programme,
    kind: str,
    title: str,
    description: str = "",
    activity_id: int | None = None,
) -> Element:
    _require_editor(user, programme)
    kind = _kind(kind)
    title = _text(title, "title")
    activity = None
    if activity_id:
        activity = programme.activities.filter(pk=activity_id).first()
        if activity is None:
            raise ValidationError({"activity": _("Link only activities that belong to the programme.")})
    last = programme.elements.filter(kind=kind).aggregate(p=Max("position"))["p"]
    element = Element.objects.create(
        programme=programme,
        kind=kind,
        title=title,
        description=(description or "").strip(),
        position=0 if last is None else last + 1,
        activity=activity,
    )
    _version(programme, user, _("Added “%(title)s”") % {"title": title})
    return element


@transaction.atomic
def element_update(*, user, element: Element, title: str, description: str = "") -> Element:
    _require_editor(user, element.programme)
    element.title = _text(title, "title")
    element.description = (description or "").strip()
    element.save(update_fields=["title", "description", "updated_at"])
    _version(element.programme, user, _("Changed “%(title)s”") % {"title": element.title})
    return element


@transaction.atomic
def element_delete(*, user, element: Element) -> None:
    programme = element.programme
    _require_editor(user, programme)
    title = element.title
    element.delete()
    _version(programme, user, _("Removed “%(title)s”") % {"title": title})


@transaction.atomic
def element_move(*, user, element: Element, step: int) -> Element:
    """Move an element one place up (step -1) or down (+1) within its layer."""
    programme = element.programme
    _require_editor(user, programme)
    layer = list(programme.elements.filter(kind=element.kind).order_by("position", "pk"))
    i = next(k for k, e in enumerate(layer) if e.pk == element.pk)
    j = i + (1 if step > 0 else -1)
    if not 0 <= j < len(layer):
        raise ValidationError({"position": _("It is already at the edge of its layer.")})
    layer[i], layer[j] = layer[j], layer[i]
    for position, e in enumerate(layer):
        if e.position != position:
            Element.objects.filter(pk=e.pk).update(position=position)
    element.refresh_from_db()
    _version(programme, user, _("Moved “%(title)s”") % {"title": element.title})
    return element


def _reaches(programme: Programme, start: int, goal: int) -> bool:
    """Is there a path of arrows from start to goal?"""
    edges: dict[int, list[int]] = {}
    for s, t in programme.links.values_list("source_id", "target_id"):
        edges.setdefault(s, []).append(t)
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, []))
    return False


@transaction.atomic
def link_add(
    *, user, programme: Programme, source_id: int, target_id: int, assumption: str = "", rationale: str = ""
) -> Link:
    _require_editor(user, programme)
    elements = {e.pk: e for e in programme.elements.filter(pk__in=[source_id, target_id])}
    source, target = elements.get(source_id), elements.get(target_id)
    if source is None or target is None:
        raise ValidationError({"source": _("Both ends must be elements of this change model.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("An element cannot lead to itself.")})
    if LAYERS.index(source.kind) < LAYERS.index(target.kind):
        raise ValidationError(
            {
                "target": _(
                    "An arrow leads upwards: from an activity to an output, an output to an outcome, "
                    "an outcome to the goal."
                )
            }
        )
    if programme.links.filter(source=source, target=target).exists():
        raise ValidationError({"target": _("This arrow already exists.")})
    if _reaches(programme, target.pk, source.pk):
        raise ValidationError({"target": _("This arrow would make a circle.")})
    link = Link.objects.create(
        programme=programme,
        source=source,
        target=target,
        assumption=(assumption or "").strip(),
        rationale=(rationale or "").strip(),
    )
    _version(programme, user, _("Arrow “%(a)s” → “%(b)s”") % {"a": source.title, "b": target.title})
    return link


@transaction.atomic
def link_update(*, user, link: Link, assumption: str, rationale: str) -> Link:
    _require_editor(user, link.programme)
    link.assumption, link.rationale = (assumption or "").strip(), (rationale or "").strip()
    link.save(update_fields=["assumption", "rationale", "updated_at"])
    _version(
        link.programme, user, _("Assumption of “%(a)s” → “%(b)s”") % {"a": link.source, "b": link.target}
    )
    return link


@transaction.atomic
def link_delete(*, user, link: Link) -> None:
    programme = link.programme
    _require_editor(user, programme)
    summary = _("Removed arrow “%(a)s” → “%(b)s”") % {"a": link.source, "b": link.target}
    link.delete()
    _version(programme, user, summary)


# --- roles and visions ------------------------------------------------------------------------


def _outcome(element: Element) -> None:
    if element.kind not in OUTCOME_KINDS:
        raise ValidationError({"element": _("Roles and visions are given for the goal and the outcomes.")})


def outcome_role_set(*, user, element: Element, organisation: Organisation, role: str) -> None:
    _require_editor(user, element.programme)
    _outcome(element)
    if organisation.pk not in partner_organisation_ids(element.programme):
        raise ValidationError({"organisation": _("Only partners of the programme can have a role.")})
    if role not in PartyRole.values:
        raise ValidationError({"role": _("Choose responsible, contributes or no role.")})
    if role == PartyRole.NONE:
        OutcomeRole.objects.filter(element=element, organisation=organisation).delete()
    else:
        OutcomeRole.objects.update_or_create(
            element=element, organisation=organisation, defaults={"role": role}
        )


def vision_set(
    *,
    user,
    element: Element,
    organisation: Organisation,
    priority,
    own_role: str,
    responsible: Organisation | None,
    note: str = "",
) -> Vision:
    """A partner states its view; only its own coordinators and administrators can."""
    require_member(user, organisation.pk, roles=VISION_ROLES)
    _outcome(element)
    partners = partner_organisation_ids(element.programme)
    if organisation.pk not in partners:
        raise TenancyError("not a partner of this programme")
    errors = {}
    try:
        priority = int(priority)
        if not 1 <= priority <= 5:
            raise ValueError
    except (TypeError, ValueError):
        errors["priority"] = _("Give a priority from 1 to 5.")
    if own_role not in PartyRole.values:
        errors["own_role"] = _("Choose responsible, contributes or no role.")
    if responsible is not None and responsible.pk not in partners:
        errors["responsible"] = _("Choose a partner of the programme.")
    if errors:
        raise ValidationError(errors)
    vision, _created = Vision.objects.update_or_create(
        element=element,
        organisation=organisation,
        defaults={
            "priority": priority,
            "own_role": own_role,
            "responsible": responsible,
            "note": note.strip(),
        },
    )
    return vision


# --- indicators -------------------------------------------------------------------------------


def _indicator_fields(programme: Programme, data: dict) -> dict:
    errors = {}
    source = data.get("source")
    fields = {
        "name": (data.get("name") or "").strip(),
        "source": source,
        "area": None,
        "area_indicator": None,
        "reach_measure": "",
        "instrument": "",
        "instrument_part": "",
        "baseline_value": data.get("baseline_value"),
        "baseline_date": data.get("baseline_date"),
        "target_value": data.get("target_value"),
        "target_date": data.get("target_date"),
    }
    if not fields["name"]:
        errors["name"] = _("This field is required.")
    if source == SourceKind.AREA:
        area = Area.objects.filter(code=normalise_code(data.get("area") or "")).first()
        key = AreaIndicator.objects.filter(key=data.get("area_indicator") or "").first()
        if area is None:
            errors["area"] = _("Unknown area code.")
        if key is None:
            errors["area_indicator"] = _("Choose a CBS indicator.")
        fields["area"], fields["area_indicator"] = area, key
    elif source == SourceKind.REACH:
        if data.get("reach_measure") not in ReachMeasure.values:
            errors["reach_measure"] = _("Choose what to count.")
        fields["reach_measure"] = data.get("reach_measure") or ""
    elif source == SourceKind.INSTRUMENT:
        try:
            spec = instruments.spec(data.get("instrument") or "", questionnaires_for(programme=programme))
        except KeyError:
            errors["instrument"] = _("Choose an instrument.")
        else:
            part = data.get("instrument_part") or ""
            if part and part not in dict(spec.parts):
                errors["instrument_part"] = _("This instrument has no such part.")
            elif not part and not spec.has_total:
                errors["instrument_part"] = _("This instrument has no total; choose a part.")
            fields["instrument"], fields["instrument_part"] = spec.key, part
    elif source != SourceKind.MANUAL:
        errors["source"] = _("Choose a source.")
    for value_field, date_field in (("baseline_value", "baseline_date"), ("target_value", "target_date")):
        if (fields[value_field] is None) != (fields[date_field] is None):
            errors[date_field] = _("Give both the value and its date, or neither.")
    if fields["baseline_date"] and fields["target_date"] and fields["target_date"] <= fields["baseline_date"]:
        errors["target_date"] = _("The target date lies after the baseline date.")
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def indicator_create(*, user, element: Element, **data) -> Indicator:
    _require_editor(user, element.programme)
    _outcome(element)
    fields = _indicator_fields(element.programme, data)
    last = element.indicators.aggregate(p=Max("position"))["p"]
    return Indicator.objects.create(element=element, position=0 if last is None else last + 1, **fields)


@transaction.atomic
def indicator_update(*, user, indicator: Indicator, **data) -> Indicator:
    _require_editor(user, indicator.element.programme)
    for name, value in _indicator_fields(indicator.element.programme, data).items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


def indicator_delete(*, user, indicator: Indicator) -> None:
    _require_editor(user, indicator.element.programme)
    indicator.delete()


def manual_value_set(
    *, user, indicator: Indicator, date: dt.date, value: float, note: str = ""
) -> ManualValue:
    _require_editor(user, indicator.element.programme)
    if indicator.source != SourceKind.MANUAL:
        raise ValidationError({"value": _("Only a manual series takes values by hand.")})
    if date is None:
        raise ValidationError({"date": _("This field is required.")})
    if value is None:
        raise ValidationError({"value": _("This field is required.")})
    mv, _created = ManualValue.objects.update_or_create(
        indicator=indicator, date=date, defaults={"value": float(value), "note": (note or "").strip()[:300]}
    )
    return mv


# --- measurements -----------------------------------------------------------------------------


def measurement_create(
    *,
    user,
    organisation: Organisation,
    pseudonym: str,
    instrument: str,
    moment: str,
    date: dt.date,
    answers: dict[str, str],
    programme: Programme | None = None,
) -> Measurement:
    require_member(user, organisation.pk, roles=MEASURE_ROLES)
    participant = Participant.objects.filter(
        organisation=organisation, pseudonym=(pseudonym or "").strip()
    ).first()
    if participant is None:
        raise ValidationError({"participant": _("No participant with this id in your organisation.")})
    context = _MeasurementContext.of(organisation, instrument, programme)
    measurement = _measurement(context, participant, moment, date, answers)
    with transaction.atomic():
        summaries.record(programme, {(measurement.instrument, participant.pk)}, measurement.save)
        _log(user, "measurements.create", [(organisation.pk, participant.pk)])
    return measurement


def _log(user, name: str, subjects: list[tuple[int, int]]) -> None:
    processing.record(name=name, activity="metingen", user=user, subjects=subjects)


def measurement_update(
    *,
    user,
    measurement: Measurement,
    moment: str,
    date: dt.date,
    answers: dict[str, str],
    programme: Programme | None = None,
) -> Measurement:
    """Correct a measurement: its moment, date, answers (scored again) and programme. Only members of
    the organisation that registered it, with a measuring role; the summaries of the programme it
    leaves and of the one it joins are brought up to date."""
    require_member(user, measurement.organisation_id, roles=MEASURE_ROLES)
    old = measurement.programme
    context = _MeasurementContext.of(measurement.organisation, measurement.instrument, programme)
    checked = _measurement(context, measurement.participant, moment, date, answers)
    for name in ("moment", "date", "answers", "score", "parts", "category", "programme"):
        setattr(measurement, name, getattr(checked, name))
    people = {(measurement.instrument, measurement.participant_id)}

    def write():
        measurement.save()
        return measurement

    with transaction.atomic():
        _log(user, "measurements.update", [(measurement.organisation_id, measurement.participant_id)])
        if old is not None and old != programme:
            return summaries.record(old, people, lambda: summaries.record(programme, people, write))
        return summaries.record(programme, people, write)


def measurement_delete(*, user, measurement: Measurement) -> None:
    """Delete a measurement (entered by mistake); same permission as a correction."""
    require_member(user, measurement.organisation_id, roles=MEASURE_ROLES)
    people = {(measurement.instrument, measurement.participant_id)}
    with transaction.atomic():
        _log(user, "measurements.delete", [(measurement.organisation_id, measurement.participant_id)])
        summaries.record(measurement.programme, people, measurement.delete)


@dataclass(frozen=True)
class _MeasurementContext:
    """What every measurement of one form or file shares, looked up once."""

    organisation: Organisation
    programme: Programme | None
    spec: instruments.Spec | None  # None: not an instrument of the organisation
    partner: bool  # the organisation is a partner of the programme (or there is no programme)

    @classmethod
    def of(cls, organisation, instrument: str, programme) -> _MeasurementContext:
        try:
            spec = instruments.spec(instrument, questionnaires_for(organisation_ids=[organisation.pk]))
        except KeyError:
            spec = None
        partner = programme is None or organisation.pk in partner_organisation_ids(programme)
        return cls(organisation, programme, spec, partner)


def _measurement(context: _MeasurementContext, participant, moment, date, answers) -> Measurement:
    """The measurement checked and scored, not yet saved; ValidationError naming the fields."""
    errors = {}
    if moment not in Moment.values:
        errors["moment"] = _("Choose intake, follow-up, exit or other date.")
    if date is None:
        errors["date"] = _("This field is required.")
    elif date > dt.date.today():
        errors["date"] = _("The date lies in the future.")
    if not context.partner:
        errors["programme"] = _("Your organisation is not a partner of this programme.")
    spec = context.spec
    if spec is None:
        errors["instrument"] = _("Choose an instrument.")
        raise ValidationError(errors)
    answers = {q.key: (answers.get(q.key) or "").strip() for q in spec.questions}
    if not any(answers.values()):
        errors["answers"] = _("No question was answered.")
    try:
        total, parts, category = spec.score(answers)
    except instruments.MeasurementError as exc:
        errors["answers"] = str(exc)
    if errors:
        raise ValidationError(errors)
    return Measurement(
        organisation=context.organisation,
        participant=participant,
        programme=context.programme,
        instrument=spec.key,
        moment=moment,
        date=date,
        answers=answers,
        score=total,
        parts=parts,
        category=category,
    )


def measurements_import(
    *,
    user,
    organisation: Organisation,
    instrument: str,
    rows: list[tuple[int, dict]],
    programme: Programme | None = None,
) -> tuple[int, list[str]]:
    """(line, {deelnemer, moment, datum, <question keys>}) from a file: all or nothing. Returns
    (number created, errors naming row and column); with errors nothing is written: every row is
    checked before the measurements are written, in one statement per 2,000 rows."""
    require_member(user, organisation.pk, roles=MEASURE_ROLES)
    participants = dict(Participant.objects.filter(organisation=organisation).values_list("pseudonym", "pk"))
    errors, checked = [], []
    moments = {m.value: m.value for m in Moment} | {str(m.label): m.value for m in Moment}
    context = _MeasurementContext.of(organisation, instrument, programme)
    for number, row in rows:
        pseudonym = (row.get("deelnemer") or "").strip()
        try:
            date = dt.date.fromisoformat((row.get("datum") or "").strip())
        except ValueError:
            errors.append(_("Row %(row)d, column datum: not a date (YYYY-MM-DD).") % {"row": number})
            continue
        if pseudonym not in participants:
            errors.append(
                _("Row %(row)d, column deelnemer: no participant “%(id)s” in your organisation.")
                % {"row": number, "id": mask(pseudonym[:40])}
            )
            continue
        try:
            checked.append(
                _measurement(
                    context,
                    Participant(pk=participants[pseudonym], organisation=organisation),
                    moments.get((row.get("moment") or "").strip().lower(), "?"),
                    date,
                    row,
                )
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                column = {"answers": _("answers")}.get(field, field)
                errors.extend(
                    _("Row %(row)d, %(column)s: %(message)s")
                    % {"row": number, "column": column, "message": m}
                    for m in messages
                )
        if len(errors) >= 50:
            break
    if errors:
        return 0, errors
    people = {(m.instrument, m.participant_id) for m in checked}
    with transaction.atomic():
        summaries.record(programme, people, lambda: Measurement.objects.bulk_create(checked, batch_size=2000))
        _log(user, "measurements.import", sorted({(organisation.pk, m.participant_id) for m in checked}))
    return len(checked), []


def read_measurements(name: str, data: bytes, spec) -> list[tuple[int, dict]]:
    """The rows of a measurement file as (line, {column: text}); TableError for a file that cannot be
    read, has a column with direct personal data or misses a column the instrument needs."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise TableError(too_large_text())
    table = read_table(name, data)
    names = [normalise_header(h) for h in table.header]
    required = ["deelnemer", "moment", "datum", *[q.key for q in spec.questions]]
    forbidden = forbidden_columns(table.header, [*required, "opmerking"])
    if forbidden:
        raise TableError(
            _("The file has a column “%(column)s” with direct personal data; remove it.")
            % {"column": forbidden[0]}
        )
    missing = [c for c in required if c not in names]
    if missing:
        raise TableError(_("Column(s) missing: %(columns)s.") % {"columns": ", ".join(missing)})
    rows = []
    for line, cells in table.rows:
        if not any(str(c).strip() for c in cells if c is not None):
            continue
        row = {}
        for k, n in enumerate(names):
            value = cells[k] if k < len(cells) else ""
            if isinstance(value, dt.datetime):
                value = value.date().isoformat()
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, float) and value.is_integer():
                value = str(int(value))
            row[n] = "" if value is None else str(value)
        rows.append((line, row))
    return rows


@dataclass
class UploadResult:
    """What became of an uploaded measurement file: imported now (created, or problems and nothing
    written), or queued for a background job (`queued`)."""

    created: int = 0
    problems: list[str] | None = None
    queued: MeasurementImport | None = None


def measurements_upload(
    *, user, organisation: Organisation, spec, filename: str, data: bytes, programme: Programme | None = None
) -> UploadResult:
    """A measurement file from the page: imported in the request up to
    WIJKINZICHT_IMPORT_INLINE_MAX_BYTES, larger files by a background job (decision 0012), so that no
    web worker is held by a large file. All or nothing either way."""
    require_member(user, organisation.pk, roles=MEASURE_ROLES)
    if len(data) > settings.UPLOAD_MAX_BYTES:
        return UploadResult(problems=[too_large_text()])
    from wijkinzicht.core.tabular import check_zip, work_size

    if data[:4] == b"PK\x03\x04":
        try:
            check_zip(data)  # a bomb is refused here, at once, not by a job
        except TableError as exc:
            return UploadResult(problems=[str(exc)])
    if work_size(data) > settings.IMPORT_INLINE_MAX_BYTES:  # a workbook by its unpacked size
        from .tasks import run_measurement_import

        with transaction.atomic():
            queued = MeasurementImport.objects.create(
                organisation=organisation,
                user=user,
                instrument=spec.key,
                programme=programme,
                filename=(filename or "")[:255],
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
            )
            queued.job_id = str(run_measurement_import.enqueue(import_id=queued.pk).id)
            queued.save(update_fields=["job_id"])
        return UploadResult(queued=queued)
    try:
        rows = read_measurements(filename, data, spec)
    except TableError as exc:
        return UploadResult(problems=[str(exc)])
    created, problems = measurements_import(
        user=user, organisation=organisation, instrument=spec.key, rows=rows, programme=programme
    )
    return UploadResult(created=created, problems=problems)


def measurement_import_run(*, import_id: int) -> str:
    """The background job's work: read and import the stored file, all or nothing, and record the
    outcome in the same transaction (a retried job finds it done and adds nothing twice)."""
    claimed = MeasurementImport.objects.filter(
        pk=import_id, state__in=[ImportState.QUEUED, ImportState.RUNNING]
    ).update(state=ImportState.RUNNING)
    if not claimed:
        return "already done"
    job = MeasurementImport.objects.select_related("organisation", "programme", "user").get(pk=import_id)
    with transaction.atomic():
        created, problems = 0, []
        try:
            questionnaires = questionnaires_for(organisation_ids=[job.organisation_id])
            spec = instruments.spec(job.instrument, questionnaires)
            rows = read_measurements(job.filename, bytes(job.data or b""), spec)
            created, problems = measurements_import(
                user=job.user, organisation=job.organisation, instrument=spec.key, rows=rows,
                programme=job.programme,
            )
        except KeyError:
            problems = [_("The instrument no longer exists.")]
        except TableError as exc:
            problems = [str(exc)]
        except TenancyError:
            problems = [_("The person who uploaded the file may no longer register measurements here.")]
        state = ImportState.REJECTED if problems else ImportState.DONE
        MeasurementImport.objects.filter(pk=import_id).update(
            state=state, imported=created, problems=problems, finished=timezone.now(), data=None
        )
    return state


def measurement_import_failed(*, import_id: int, message: str) -> None:
    MeasurementImport.objects.filter(pk=import_id).update(
        state=ImportState.REJECTED, problems=[message], finished=timezone.now(), data=None
    )
