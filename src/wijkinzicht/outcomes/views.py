"""Programme pages, the change-model editor, indicators, visions, measurements and the report.

The editor's forms work without JavaScript (they post and come back to the page); with it,
outcomes/static/outcomes/editor.js sends the same forms with fetch and swaps in the redrawn model
that the server returns, so nothing reloads."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from wijkinzicht.activities.models import Activity
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.constants import normalise_code
from wijkinzicht.core import processing
from wijkinzicht.core.exports import csv_bytes, xlsx_bytes
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for
from wijkinzicht.parties.models import Organisation
from wijkinzicht.parties.selectors import organisations_for_user

from . import diagram, instruments, presentation, selectors, services
from .constants import EDIT_ROLES, MEASURE_ROLES, Progress, SourceKind
from .forms import (
    AnalysisForm,
    ElementEditForm,
    ElementForm,
    IndicatorForm,
    LinkEditForm,
    LinkForm,
    ManualValueForm,
    MeasurementEditForm,
    MeasurementForm,
    MeasurementImportForm,
    PartnerAnalysisForm,
    ProgrammeForm,
    RoleForm,
    VisionForm,
)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: at its field, or at the top of the form."""
    for field, errs in _errors(exc).items():
        for e in errs:
            form.add_error(field if field in form.fields else None, e)


# ------------------------------------------------------------------ programmes


def programme_list(request):
    programmes = selectors.programmes_for_user(user=request.user).select_related("organisation")
    return render(
        request,
        "outcomes/list.html",
        {"programmes": programmes, "can_create": bool(organisation_ids_for(request.user, roles=EDIT_ROLES))},
    )


def _parse_partners(text: str) -> tuple[list[tuple[Organisation, str]], list[str]]:
    partners, problems = [], []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        name, _sep, role = line.partition(":")
        org = Organisation.objects.filter(name__iexact=name.strip()).first()
        if org is None:
            problems.append(
                _("Line %(n)d: no organisation called “%(name)s”.") % {"n": number, "name": name.strip()[:80]}
            )
        else:
            partners.append((org, role.strip()))
    return partners, problems


def _programme_form(request, programme=None):
    organisations = list(organisations_for_user(user=request.user, roles=EDIT_ROLES))
    if programme is not None:
        organisations = [o for o in organisations if o.pk == programme.organisation_id]
    if not organisations:
        raise PermissionDenied
    activities = Activity.objects.filter(organisation_id__in=[o.pk for o in organisations]).order_by("title")
    initial = None
    if programme is not None:
        initial = {
            "organisation": programme.organisation_id,
            "name": programme.name,
            "description": programme.description,
            "start_date": programme.start_date,
            "end_date": programme.end_date,
            "areas": ", ".join(a.code for a in programme.areas.all()),
            "activities": list(programme.activities.values_list("pk", flat=True)),
            "partners": "\n".join(
                f"{p.organisation.name}: {p.role}"
                for p in programme.partners.select_related("organisation")
                if p.organisation_id != programme.organisation_id
            ),
        }
    form = ProgrammeForm(
        request.POST or None, initial=initial, organisations=organisations, activities=activities
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = [normalise_code(c) for c in re.split(r"[,;\s]+", data["areas"]) if c.strip()]
        areas = area_selectors.areas_by_code(codes=codes)
        partners, problems = _parse_partners(data["partners"])
        unknown = [c for c in codes if c not in areas]
        if unknown:
            form.add_error("areas", _("Unknown area code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        for p in problems:
            form.add_error("partners", p)
        if not form.errors:
            organisation = next(o for o in organisations if o.pk == data["organisation"])
            fields = {
                "name": data["name"],
                "description": data["description"],
                "start_date": data["start_date"],
                "end_date": data["end_date"],
                "areas": list(areas.values()),
                "activity_ids": data["activities"],
            }
            try:
                if programme is None:
                    programme = services.programme_create(
                        user=request.user, organisation=organisation, partners=partners, **fields
                    )
                else:
                    services.programme_update(
                        user=request.user, programme=programme, partners=partners, **fields
                    )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The programme has been saved."))
                return redirect("outcomes:detail", pk=programme.pk)
    return render(request, "outcomes/programme_form.html", {"form": form, "programme": programme})


def programme_create(request):
    return _programme_form(request)


def _editable(request, pk):
    """The programme, for a user who may edit it (404 if they cannot see it, 403 if they cannot edit)."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    if not selectors.can_edit(user=request.user, programme=programme):
        raise PermissionDenied
    return programme


def programme_edit(request, pk):
    return _programme_form(request, _editable(request, pk))


def programme_detail(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    context = presentation.programme_page(programme=programme, user=request.user)
    return render(request, "outcomes/detail.html", context)


# ------------------------------------------------------------------ change model editor


def _editor_context(request, programme, *, link_form=None, element_form=None):
    structure = presentation.live_structure(programme)
    return {
        "programme": programme,
        "structure": structure,
        "numbers": diagram.numbering(structure),
        "svg": presentation.model_svg(programme, structure),
        "element_form": element_form or ElementForm(activities=programme.activities.all()),
        "link_form": link_form or LinkForm(elements=presentation.numbered_elements(structure)),
        "version": programme.versions.first(),
        "editable": True,
    }


def model_edit(request, pk):
    return render(request, "outcomes/editor.html", _editor_context(request, _editable(request, pk)))


def _editor_response(request, programme, *, error: ValidationError | None = None, message: str = ""):
    """After an edit: JSON with the redrawn model for the editor script, or back to the page."""
    if _wants_json(request):
        if error is not None:
            return JsonResponse({"ok": False, "errors": _errors(error)}, status=400)
        context = _editor_context(request, programme)
        return JsonResponse(
            {
                "ok": True,
                "message": message,
                "version": context["version"].number if context["version"] else 0,
                "html": render_to_string("outcomes/_editor_live.html", context, request=request),
            }
        )
    if error is not None:
        for errs in _errors(error).values():
            for e in errs:
                messages.error(request, e)
    elif message:
        messages.success(request, message)
    return redirect("outcomes:model_edit", pk=programme.pk)


def _form_error(form) -> ValidationError:
    return ValidationError({f: [str(e) for e in errs] for f, errs in form.errors.items()})


@require_POST
def element_add(request, pk):
    programme = _editable(request, pk)
    form = ElementForm(request.POST, activities=programme.activities.all())
    if not form.is_valid():
        return _editor_response(request, programme, error=_form_error(form))
    try:
        element = services.element_add(
            user=request.user,
            programme=programme,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            activity_id=form.cleaned_data["activity"],
        )
    except ValidationError as exc:
        return _editor_response(request, programme, error=exc)
    return _editor_response(request, programme, message=_("Added “%(title)s”.") % {"title": element.title})


@require_POST
def element_edit(request, pk, element_pk):
    programme = _editable(request, pk)
    element = selectors.element_get(user=request.user, programme=programme, pk=element_pk)
    form = ElementEditForm(request.POST)
    if not form.is_valid():
        return _editor_response(request, programme, error=_form_error(form))
    try:
        services.element_update(user=request.user, element=element, **form.cleaned_data)
    except ValidationError as exc:
        return _editor_response(request, programme, error=exc)
    return _editor_response(request, programme, message=_("Saved “%(title)s”.") % {"title": element.title})


@require_POST
def element_move(request, pk, element_pk):
    programme = _editable(request, pk)
    element = selectors.element_get(user=request.user, programme=programme, pk=element_pk)
    try:
        services.element_move(
            user=request.user, element=element, step=-1 if request.POST.get("step") == "up" else 1
        )
    except ValidationError as exc:
        return _editor_response(request, programme, error=exc)
    return _editor_response(request, programme, message=_("Moved “%(title)s”.") % {"title": element.title})


@require_POST
def element_delete(request, pk, element_pk):
    programme = _editable(request, pk)
    element = selectors.element_get(user=request.user, programme=programme, pk=element_pk)
    title = element.title
    services.element_delete(user=request.user, element=element)
    return _editor_response(request, programme, message=_("Removed “%(title)s”.") % {"title": title})


@require_POST
def link_add(request, pk):
    programme = _editable(request, pk)
    elements = presentation.numbered_elements(presentation.live_structure(programme))
    form = LinkForm(request.POST, elements=elements)
    if not form.is_valid():
        return _editor_response(request, programme, error=_form_error(form))
    try:
        services.link_add(
            user=request.user,
            programme=programme,
            source_id=form.cleaned_data["source"],
            target_id=form.cleaned_data["target"],
            assumption=form.cleaned_data["assumption"],
            rationale=form.cleaned_data["rationale"],
        )
    except ValidationError as exc:
        return _editor_response(request, programme, error=exc)
    return _editor_response(request, programme, message=_("Arrow added."))


@require_POST
def link_edit(request, pk, link_pk):
    programme = _editable(request, pk)
    link = selectors.link_get(programme=programme, pk=link_pk)
    form = LinkEditForm(request.POST)
    if not form.is_valid():
        return _editor_response(request, programme, error=_form_error(form))
    services.link_update(user=request.user, link=link, **form.cleaned_data)
    return _editor_response(request, programme, message=_("Arrow saved."))


@require_POST
def link_delete(request, pk, link_pk):
    programme = _editable(request, pk)
    services.link_delete(user=request.user, link=selectors.link_get(programme=programme, pk=link_pk))
    return _editor_response(request, programme, message=_("Arrow removed."))


# ------------------------------------------------------------------ versions and exports


def versions(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    return render(
        request,
        "outcomes/versions.html",
        {"programme": programme, "versions": programme.versions.select_related("created_by")},
    )


def version_detail(request, pk, number):
    programme = selectors.programme_get(user=request.user, pk=pk)
    version = selectors.version_get(programme=programme, number=number)
    structure = selectors.structure(version.snapshot)
    return render(
        request,
        "outcomes/version.html",
        {
            "programme": programme,
            "version": version,
            "structure": structure,
            "numbers": diagram.numbering(structure),
            "svg": diagram.svg(
                structure,
                title=_("Change model of %(name)s, version %(n)d")
                % {"name": programme.name, "n": version.number},
            ),
        },
    )


def model_export(request, pk, fmt):
    programme = selectors.programme_get(user=request.user, pk=pk)
    number = request.GET.get("versie")
    if number and number.isdigit():
        structure = selectors.structure(
            selectors.version_get(programme=programme, number=int(number)).snapshot
        )
        suffix = f"-v{number}"
    else:
        structure = presentation.live_structure(programme)
        suffix = ""
    name = f"veranderingsmodel-{programme.pk}{suffix}"
    if fmt == "svg":
        body = diagram.svg(structure, title=programme.name).encode("utf-8")
        response = HttpResponse(body, content_type="image/svg+xml")
    else:
        elements, arrows = diagram.rows(structure)
        if fmt == "csv":
            rows = [[_("Elements")], *elements, [], [_("Arrows")], *arrows]
            response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_bytes([(_("Elements"), elements), (_("Arrows"), arrows)]),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# ------------------------------------------------------------------ outcomes: roles, visions, indicators


def outcome_detail(request, pk, element_pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    element = selectors.element_get(user=request.user, programme=programme, pk=element_pk)
    if element.kind not in services.OUTCOME_KINDS:
        raise Http404
    can_edit = selectors.can_edit(user=request.user, programme=programme)
    partners = [
        p.organisation
        for p in programme.partners.select_related("organisation").order_by("organisation__name")
    ]
    own_ids = selectors.vision_organisation_ids(user=request.user, programme=programme)
    own = [o for o in partners if o.pk in own_ids]
    role_form = RoleForm(partners=partners, prefix="role")
    vision_form = VisionForm(own=own, partners=partners, prefix="vision")
    if request.method == "POST":
        try:
            if "role-organisation" in request.POST:
                if not can_edit:
                    raise PermissionDenied
                role_form = RoleForm(request.POST, partners=partners, prefix="role")
                if role_form.is_valid():
                    org = next(o for o in partners if o.pk == role_form.cleaned_data["organisation"])
                    services.outcome_role_set(
                        user=request.user,
                        element=element,
                        organisation=org,
                        role=role_form.cleaned_data["role"],
                    )
                    messages.success(request, _("The role has been saved."))
                    return redirect("outcomes:outcome", pk=pk, element_pk=element_pk)
            elif "vision-organisation" in request.POST:
                vision_form = VisionForm(request.POST, own=own, partners=partners, prefix="vision")
                if vision_form.is_valid():
                    data = vision_form.cleaned_data
                    org = next(o for o in own if o.pk == data["organisation"])
                    responsible = next((o for o in partners if o.pk == data["responsible"]), None)
                    services.vision_set(
                        user=request.user,
                        element=element,
                        organisation=org,
                        priority=data["priority"],
                        own_role=data["own_role"],
                        responsible=responsible,
                        note=data["note"],
                    )
                    messages.success(request, _("Your vision has been saved."))
                    return redirect("outcomes:outcome", pk=pk, element_pk=element_pk)
        except TenancyError:
            raise PermissionDenied from None
        except ValidationError as exc:
            target = role_form if "role-organisation" in request.POST else vision_form
            _add_errors(target, exc)
    context = presentation.outcome_page(programme=programme, element=element, user=request.user)
    context.update(
        {"role_form": role_form, "vision_form": vision_form if own else None, "can_edit": can_edit}
    )
    return render(request, "outcomes/outcome.html", context)


def _indicator_form(request, programme, data=None, initial=None):
    questionnaires = selectors.questionnaires_for(programme=programme)
    choices = instruments.choices(questionnaires)
    parts = []
    for key, _name in choices:
        s = instruments.spec(key, questionnaires)
        parts += [(p, f"{s.name}: {label}") for p, label in s.parts]
    return IndicatorForm(
        data,
        initial=initial,
        area_indicators=area_selectors.indicators_all(),
        instruments=choices,
        parts=parts,
    )


def indicator_create(request, pk, element_pk):
    programme = _editable(request, pk)
    element = selectors.element_get(user=request.user, programme=programme, pk=element_pk)
    codes = list(programme.areas.values_list("code", flat=True))
    form = _indicator_form(
        request,
        programme,
        request.POST or None,
        initial={"area": codes[0] if codes else "", "source": "area"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(user=request.user, element=element, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The indicator has been added."))
            return redirect("outcomes:indicator", pk=pk, indicator_pk=indicator.pk)
    return render(
        request, "outcomes/indicator_form.html", {"programme": programme, "element": element, "form": form}
    )


def indicator_edit(request, pk, indicator_pk):
    programme = _editable(request, pk)
    indicator = selectors.indicator_get(programme=programme, pk=indicator_pk)
    initial = {
        "name": indicator.name,
        "source": indicator.source,
        "area": indicator.area.code if indicator.area_id else "",
        "area_indicator": indicator.area_indicator.key if indicator.area_indicator_id else "",
        "reach_measure": indicator.reach_measure,
        "instrument": indicator.instrument,
        "instrument_part": indicator.instrument_part,
        "baseline_value": indicator.baseline_value,
        "baseline_date": indicator.baseline_date,
        "target_value": indicator.target_value,
        "target_date": indicator.target_date,
    }
    form = _indicator_form(request, programme, request.POST or None, initial=initial)
    if request.method == "POST" and "delete" in request.POST:
        services.indicator_delete(user=request.user, indicator=indicator)
        messages.success(request, _("The indicator has been removed."))
        return redirect("outcomes:outcome", pk=pk, element_pk=indicator.element_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(user=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The indicator has been saved."))
            return redirect("outcomes:indicator", pk=pk, indicator_pk=indicator.pk)
    return render(
        request,
        "outcomes/indicator_form.html",
        {"programme": programme, "element": indicator.element, "form": form, "indicator": indicator},
    )


def indicator_detail(request, pk, indicator_pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    indicator = selectors.indicator_get(programme=programme, pk=indicator_pk)
    can_edit = selectors.can_edit(user=request.user, programme=programme)
    form = None
    if indicator.source == SourceKind.MANUAL and can_edit:
        form = ManualValueForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.manual_value_set(user=request.user, indicator=indicator, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The value has been saved."))
                return redirect("outcomes:indicator", pk=pk, indicator_pk=indicator.pk)
    context = presentation.indicator_page(programme=programme, indicator=indicator)
    context.update({"form": form, "can_edit": can_edit})
    return render(request, "outcomes/indicator.html", context)


# ------------------------------------------------------------------ report


def report(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    start, end = presentation.report_period(request.GET, programme)
    context = presentation.report(programme=programme, user=request.user, start=start, end=end)
    return render(request, "outcomes/report.html", context)


def report_pdf(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    start, end = presentation.report_period(request.GET, programme)
    from .pdf import programme_pdf

    context = presentation.report(programme=programme, user=request.user, start=start, end=end)
    response = HttpResponse(programme_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="programma-{programme.pk}-rapport.pdf"'
    return response


# ------------------------------------------------------------------ measurements


def _measuring(request):
    organisations = list(organisations_for_user(user=request.user, roles=MEASURE_ROLES))
    if not organisations:
        raise PermissionDenied
    return organisations


def measurement_list(request):
    ids = organisation_ids_for(request.user)
    correctable = organisation_ids_for(request.user, roles=MEASURE_ROLES)
    measurements = list(selectors.measurements_for_user(user=request.user)[:100])
    processing.record(name="measurements.read", activity="metingen", user=request.user,
                      subjects=[(m.organisation_id, m.participant_id) for m in measurements])
    return render(
        request,
        "outcomes/measurements.html",
        {
            "measurements": measurements,
            "instruments": instruments.choices(selectors.questionnaires_for(organisation_ids=ids)),
            "can_measure": bool(correctable),
            "correctable": correctable,
            "note": instruments.MONITORING_NOTE,
        },
    )


def measurement_create(request, instrument):
    organisations = _measuring(request)
    questionnaires = selectors.questionnaires_for(organisation_ids=[o.pk for o in organisations])
    try:
        spec = instruments.spec(instrument, questionnaires)
    except KeyError:
        raise Http404 from None
    programmes = selectors.programmes_for_user(user=request.user)
    form = MeasurementForm(
        request.POST or None,
        organisations=organisations,
        programmes=programmes,
        questions=spec.questions,
        initial={"programme": request.GET.get("programma")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        programme = next((p for p in programmes if p.pk == data["programme"]), None)
        try:
            m = services.measurement_create(
                user=request.user,
                organisation=organisation,
                pseudonym=data["participant"],
                instrument=spec.key,
                moment=data["moment"],
                date=data["date"],
                answers={q.key: data.get(q.key, "") for q in spec.questions},
                programme=programme,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _measurement_saved(request, m, _("Measurement saved: %(result)s."))
    return _measurement_page(request, form, spec)


def _measurement_saved(request, measurement, message: str):
    """Back to the list, with the result in the message (category, else score)."""
    m = measurement
    shown = m.category or (m.score if m.score is not None else _("no total"))
    messages.success(request, message % {"result": shown})
    return redirect("outcomes:measurements")


def _measurement_page(request, form, spec, measurement=None):
    """The form of a new (measurement None) or corrected measurement."""
    return render(
        request,
        "outcomes/measurement_form.html",
        {
            "form": form,
            "spec": spec,
            "measurement": measurement,
            "note": instruments.MONITORING_NOTE,
            "question_fields": [form[q.key] for q in spec.questions],
        },
    )


def _correctable(request, measurement_pk):
    """The measurement, if the user may correct it: 404 outside their organisations, 403 without a
    measuring role in the one that registered it."""
    measurement = selectors.measurement_get(user=request.user, pk=measurement_pk)
    if measurement.organisation_id not in organisation_ids_for(request.user, roles=MEASURE_ROLES):
        raise PermissionDenied
    return measurement


def measurement_edit(request, measurement_pk):
    measurement = _correctable(request, measurement_pk)
    if request.method == "GET":
        processing.record(name="measurements.read", activity="metingen", user=request.user,
                          subjects=[(measurement.organisation_id, measurement.participant_id)])
    questionnaires = selectors.questionnaires_for(organisation_ids=[measurement.organisation_id])
    try:
        spec = instruments.spec(measurement.instrument, questionnaires)
    except KeyError:
        raise Http404 from None
    programmes = selectors.programmes_for_user(user=request.user)
    initial = {
        "programme": measurement.programme_id,
        "moment": measurement.moment,
        "date": measurement.date,
        **measurement.answers,
    }
    form = MeasurementEditForm(
        request.POST or None, programmes=programmes, questions=spec.questions, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            m = services.measurement_update(
                user=request.user,
                measurement=measurement,
                moment=data["moment"],
                date=data["date"],
                answers={q.key: data.get(q.key, "") for q in spec.questions},
                programme=next((p for p in programmes if p.pk == data["programme"]), None),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _measurement_saved(request, m, _("Measurement corrected: %(result)s."))
    return _measurement_page(request, form, spec, measurement)


@require_http_methods(["GET", "POST"])
def measurement_delete(request, measurement_pk):
    measurement = _correctable(request, measurement_pk)
    if request.method == "POST":
        services.measurement_delete(user=request.user, measurement=measurement)
        messages.success(request, _("Measurement deleted."))
        return redirect("outcomes:measurements")
    return render(request, "outcomes/measurement_delete.html", {"measurement": measurement})


def measurement_import(request, instrument):
    organisations = _measuring(request)
    questionnaires = selectors.questionnaires_for(organisation_ids=[o.pk for o in organisations])
    try:
        spec = instruments.spec(instrument, questionnaires)
    except KeyError:
        raise Http404 from None
    programmes = selectors.programmes_for_user(user=request.user)
    form = MeasurementImportForm(
        request.POST or None, request.FILES or None, organisations=organisations, programmes=programmes
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.measurements_upload(
            user=request.user,
            organisation=next(o for o in organisations if o.pk == form.cleaned_data["organisation"]),
            spec=spec,
            filename=upload.name,
            data=upload.read(),
            programme=next((p for p in programmes if p.pk == form.cleaned_data["programme"]), None),
        )
        if result.queued is not None:
            return redirect("outcomes:measurement_import_status", result.queued.pk)
        problems = result.problems
        if not problems:
            messages.success(request, _("%(n)d measurements imported.") % {"n": result.created})
            return redirect("outcomes:measurements")
    return render(
        request,
        "outcomes/measurement_import.html",
        {"form": form, "spec": spec, "problems": problems, "note": instruments.MONITORING_NOTE},
    )


def measurement_import_status(request, pk):
    found = selectors.measurement_import_get(user=request.user, pk=pk)
    questionnaires = selectors.questionnaires_for(organisation_ids=[found.organisation_id])
    try:
        name = instruments.spec(found.instrument, questionnaires).name
    except KeyError:
        name = found.instrument
    return render(
        request,
        "outcomes/measurement_import_status.html",
        {"found": found, "instrument_name": name, "refresh": found.waiting},
    )


def analysis(request, pk):
    """Outcome results: any period, pairing and reliability for those who hold every record; fixed
    periods with the default pairing for partners (decision 0014)."""
    programme = selectors.programme_get(user=request.user, pk=pk)
    if selectors.exact_for(user=request.user, programme=programme):
        form = AnalysisForm(request.GET or None)
        kwargs = {}
        if form.is_valid():
            kwargs = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        results = selectors.outcome_results(programme=programme, **kwargs)
    else:
        form = PartnerAnalysisForm(request.GET or None, windows=selectors.partner_windows(programme))
        start, end = form.window()
        results = selectors.partner_results(programme=programme, start=start, end=end)
    return render(
        request,
        "outcomes/analysis.html",
        {
            "programme": programme,
            "form": form,
            "exact": isinstance(form, AnalysisForm),
            "results": results,
            "note": instruments.MONITORING_NOTE,
            "progress_labels": dict(Progress.choices),
        },
    )
