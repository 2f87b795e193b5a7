"""Pages of the activities module (login) and the public sociale kaart (no login)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core import charts, processing
from wijkinzicht.core.exports import csv_bytes, xlsx_bytes
from wijkinzicht.core.tabular import TableError
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for
from wijkinzicht.parties.models import Organisation
from wijkinzicht.parties.selectors import organisation_list, organisations_for_user

from . import importers, kaart, reach, selectors, services
from .api import rejected_response
from .constants import REGISTER_ROLES, TargetGroup, Theme, Weekday
from .forms import ActivityForm, ImportForm, MeetingForm, ParticipantForm, ReachForm
from .models import Activity, ImportBatch, Meeting, Participant


def _register_organisations(user) -> list[Organisation]:
    return list(organisations_for_user(user=user, roles=REGISTER_ROLES))


def _form_errors(form, exc: ValidationError, aliases: dict | None = None) -> None:
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _get_or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except (
        Activity.DoesNotExist,
        Meeting.DoesNotExist,
        Participant.DoesNotExist,
        ImportBatch.DoesNotExist,
    ) as exc:
        raise Http404 from exc


# ------------------------------------------------------------------ activities


def home(request):
    """The start page: the areas, and for whoever registers meetings their activities of this week
    first, one tap from registering a meeting (issue 14, item 7)."""
    from django.utils import timezone

    from wijkinzicht.areas.forms import SearchForm

    today = timezone.localdate()
    week = None
    if request.user.is_authenticated and _register_organisations(request.user):
        week = selectors.week_for_user(user=request.user, today=today)
    gemeenten = area_selectors.current_gemeenten()
    return render(request, "activities/home.html",
                  {"gemeenten": gemeenten, "form": SearchForm(), "week": week, "today": today})


def activity_list(request):
    activities = selectors.activities_for_user(user=request.user).order_by("title")
    return render(
        request,
        "activities/list.html",
        {
            "activities": activities,
            "can_register": bool(_register_organisations(request.user)),
        },
    )


def _activity_form(request, activity: Activity | None):
    organisations = _register_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    partner_choices = [(o.pk, o.name) for o in organisation_list()]
    initial = None
    if activity is not None:
        initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
        initial.update(
            organisation=activity.organisation_id,
            themes=activity.theme_list,
            target_groups=activity.target_group_list,
            weekdays=activity.weekday_list,
            areas=", ".join(a.code for a in activity.areas.all()),
            partners=[p.pk for p in activity.partners.all()],
        )
    form = ActivityForm(
        request.POST or None, initial=initial, organisations=organisations, partner_choices=partner_choices
    )
    if activity is not None:
        form.fields["organisation"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            if activity is None:
                organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
                activity = services.activity_create(
                    user=request.user,
                    organisation=organisation,
                    area_codes=form.area_codes(),
                    partner_ids=form.cleaned_data["partners"],
                    **form.activity_fields(),
                )
                messages.success(request, _("The activity has been saved."))
            else:
                services.activity_update(
                    user=request.user,
                    activity=activity,
                    area_codes=form.area_codes(),
                    partner_ids=form.cleaned_data["partners"],
                    **form.activity_fields(),
                )
                messages.success(request, _("The changes have been saved."))
            return redirect("activities:detail", pk=activity.pk)
        except TenancyError:
            raise PermissionDenied from None
        except ValidationError as exc:
            _form_errors(form, exc)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


def activity_create(request):
    return _activity_form(request, None)


def activity_edit(request, pk):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    if not selectors.can_register(user=request.user, organisation_id=activity.organisation_id):
        raise PermissionDenied
    return _activity_form(request, activity)


def activity_detail(request, pk):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    meetings = selectors.meetings_for_user(user=request.user).filter(activity=activity).order_by("-date")[:50]
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "meetings": meetings,
            "schedule": kaart.schedule_text(activity),
            "can_register": selectors.can_register(
                user=request.user, organisation_id=activity.organisation_id
            ),
        },
    )


# ------------------------------------------------------------------ meetings


def _meeting_form(request, activity: Activity, meeting: Meeting | None):
    if not selectors.can_register(user=request.user, organisation_id=activity.organisation_id):
        raise PermissionDenied
    recent = selectors.recent_participants(activity=activity)
    present = list(meeting.attendances.select_related("participant")) if meeting else []
    known = {p.pk: p for p in recent} | {a.participant_id: a.participant for a in present}
    choices = [(pk, p.pseudonym) for pk, p in sorted(known.items(), key=lambda kv: kv[1].pseudonym)]
    initial = None
    if meeting is not None:
        initial = {
            "date": meeting.date,
            "participants": [a.participant_id for a in present],
            "anonymous_count": meeting.anonymous_count,
            "volunteers": meeting.volunteers,
            "volunteer_hours": meeting.volunteer_hours,
            "professional_hours": meeting.professional_hours,
            "note": meeting.note,
        }
    form = MeetingForm(request.POST or None, initial=initial, participant_choices=choices)
    if meeting is not None:
        form.fields["date"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        others = form.other_pseudonyms()
        found = dict(
            selectors.participants_for_user(user=request.user)
            .filter(organisation_id=activity.organisation_id, pseudonym__in=others)
            .values_list("pseudonym", "pk")
        )
        unknown = [p for p in others if p not in found]
        if unknown:
            form.add_error(
                "other_participants",
                _("Unknown participant id(s): %(ids)s. Register them first.") % {"ids": ", ".join(unknown)},
            )
        else:
            ids = set(data["participants"]) | set(found.values())
            counts = {
                k: data[k] for k in ("anonymous_count", "volunteers", "volunteer_hours", "professional_hours")
            }
            try:
                if meeting is None:
                    meeting = services.meeting_register(
                        user=request.user,
                        activity=activity,
                        date=data["date"],
                        participant_ids=ids,
                        note=data["note"],
                        **counts,
                    )
                else:
                    services.meeting_update(
                        user=request.user, meeting=meeting, participant_ids=ids, note=data["note"], **counts
                    )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                total = len(ids) + data["anonymous_count"]
                messages.success(
                    request,
                    _("Meeting of %(date)s saved: %(n)d present.")
                    % {"date": data["date"].strftime("%d-%m-%Y"), "n": total},
                )
                return redirect("activities:detail", pk=activity.pk)
    if request.method == "GET":
        processing.record(name="attendance.read", activity="aanwezigheid", user=request.user,
                          subjects=processing.subjects_of(known.values()),
                          organisation_id=activity.organisation_id)
    return render(
        request, "activities/meeting_form.html", {"form": form, "activity": activity, "meeting": meeting}
    )


def meeting_create(request, pk):
    activity = _get_or_404(selectors.activity_get, user=request.user, pk=pk)
    return _meeting_form(request, activity, None)


def meeting_edit(request, pk):
    meeting = _get_or_404(selectors.meeting_get, user=request.user, pk=pk)
    return _meeting_form(request, meeting.activity, meeting)


# ------------------------------------------------------------------ participants


def participant_list(request):
    organisations = _register_organisations(request.user)
    form = ParticipantForm(request.POST or None, organisations=organisations) if organisations else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            organisation = next(o for o in organisations if o.pk == data["organisation"])
            try:
                participant = services.participant_create(
                    user=request.user,
                    organisation=organisation,
                    pseudonym=data["pseudonym"],
                    birth_year=data["birth_year"],
                    gender=data["gender"],
                    home_buurt_code=data["home_buurt"],
                    consent=data["consent"],
                    consent_date=data["consent_date"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Participant %(id)s registered.") % {"id": participant.pseudonym})
                return redirect("activities:participants")
    q = (request.GET.get("q") or "").strip()
    participants = selectors.participants_for_user(user=request.user)
    if q:
        participants = participants.filter(pseudonym__icontains=q)
    page = Paginator(participants.order_by("pseudonym"), 50).get_page(request.GET.get("page"))
    processing.record(name="participants.read", activity="deelnemers", user=request.user,
                      subjects=processing.subjects_of(page.object_list))
    return render(
        request,
        "activities/participants.html",
        {
            "form": form,
            "page": page,
            "q": q,
            "querystring": urlencode({"q": q}) if q else "",
        },
    )


# ------------------------------------------------------------------ imports


def import_upload(request):
    organisations = _register_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if o.pk == data["organisation"])
        upload = data["file"]
        try:
            batch = importers.import_upload(
                user=request.user,
                organisation=organisation,
                kind=data["kind"],
                filename=upload.name,
                data=upload.read(),
                mode=data["mode"],
            )
        except TableError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("activities:import_detail", pk=batch.pk)
    batches = selectors.imports_for_user(user=request.user)[:20]
    return render(request, "activities/import.html", {"form": form, "batches": batches})


def import_detail(request, pk):
    batch = _get_or_404(selectors.import_get, user=request.user, pk=pk)
    return render(
        request,
        "activities/import_detail.html",
        {
            "batch": batch,
            "issues": importers.issue_text(batch, limit=200),
            "may_fix": selectors.may_see_rejected_rows(user=request.user, batch=batch),
        },
    )


def import_rejected(request, pk):
    batch = _get_or_404(selectors.rejected_rows_get, user=request.user, pk=pk)
    processing.record(name="import.rejected_rows.export", activity="imports", user=request.user,
                      organisation_id=batch.organisation_id)
    return rejected_response(batch)


# ------------------------------------------------------------------ reach


def reach_view(request):
    today = dt.date.today()
    organisations = list(organisation_list())
    own = organisation_ids_for(request.user)
    default_org = next((o.pk for o in organisations if o.pk in own), None)
    params = request.GET if "start" in request.GET else None
    form = ReachForm(
        params,
        organisations=organisations,
        initial={
            "organisation": default_org,
            "start": dt.date(today.year - 1, 1, 1),
            "end": dt.date(today.year - 1, 12, 31),
        },
    )
    report = None
    if params is not None and form.is_valid():
        data = form.cleaned_data
        organisation = next((o for o in organisations if o.pk == data["organisation"]), None)
        area = None
        if data["area"]:
            try:
                area = area_selectors.area_get(code=data["area"])
            except Area.DoesNotExist:
                form.add_error("area", _("Unknown area code."))
        if form.is_valid():
            report = reach.reach_report(
                user=request.user,
                start=data["start"],
                end=data["end"],
                organisation=organisation if not area else None,
                area=area,
            )
            export = request.GET.get("export")
            if export in ("csv", "xlsx"):
                return _reach_export(report, export)
    context = {"form": form, "report": report}
    if report is not None:
        context["chart"] = charts.bar_chart(
            title=_("Attendance per month"),
            labels=[m["label"] for m in report.months],
            values=[m["value"] if isinstance(m["total"], int) else None for m in report.months],
            chart_id="chart-months",
            table_id="table-months",
        )
        context["query"] = request.GET.urlencode()
    return render(request, "activities/reach.html", context)


def _reach_export(report, kind: str) -> HttpResponse:
    tables = reach.reach_rows(report)
    name = f"bereik-{report.start:%Y%m%d}-{report.end:%Y%m%d}"
    if kind == "xlsx":
        response = HttpResponse(
            xlsx_bytes(list(tables.items())),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    rows = []
    for title, table in tables.items():
        rows += [[title], *table, []]
    response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# ------------------------------------------------------------------ the public sociale kaart


@login_not_required
def kaart_search(request):
    query, errors = kaart.kaart_query_from(request.GET)
    origin = selectors.postcode_origin(query.postcode) if query.postcode else None
    results = selectors.kaart_search(query, origin=origin)
    page = Paginator(results.prefetch_related("areas"), 20).get_page(request.GET.get("pagina"))
    items = [{"activity": a, "schedule": kaart.schedule_text(a),
              "km": origin.km_to(a.latitude, a.longitude) if origin else None} for a in page]
    gemeenten = selectors.kaart_areas()
    wijken = []
    selected_gemeente = None
    if query.area:
        selected_gemeente = next((g for g in gemeenten if g.code == "GM" + query.area[2:6]), None)
        if selected_gemeente is not None:
            wijken = selectors.kaart_wijken(gemeente=selected_gemeente)
    return render(
        request,
        "activities/kaart.html",
        {
            "query": query,
            "errors": errors,
            "page": page,
            "items": items,
            "origin": origin,
            "maps": kaart.kaart_maps(list(page), start=page.start_index()),
            "themes": Theme.choices,
            "target_groups": TargetGroup.choices,
            "weekdays": Weekday.choices,
            "gemeenten": gemeenten,
            "wijken": wijken,
            "querystring": _without_page(request.GET),
        },
    )


def _without_page(params) -> str:
    copy = params.copy()
    copy.pop("pagina", None)
    return copy.urlencode()


@login_not_required
def kaart_detail(request, pk):
    activity = selectors.published_activities().prefetch_related("areas", "partners").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return render(
        request,
        "activities/kaart_detail.html",
        {
            "activity": activity,
            "schedule": kaart.schedule_text(activity),
            "maps": kaart.kaart_maps([activity]),
        },
    )


@login_not_required
@cache_control(max_age=300, public=True)
def kaart_open_data(request, fmt: str):
    query, errors = kaart.kaart_query_from(request.GET)
    if errors:
        return JsonResponse(
            {
                "title": _("Invalid input"),
                "status": 400,
                "invalidParams": [{"name": k, "reason": " ".join(v)} for k, v in errors.items()],
            },
            status=400,
            content_type="application/problem+json",
        )
    rows = [kaart.feed_row(a) for a in selectors.kaart_search(query).prefetch_related("areas", "partners")]
    if fmt == "json":
        response = JsonResponse(
            {"licence": "CC0 1.0", "count": len(rows), "activities": rows},
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(
            csv_bytes([kaart.FEED_COLUMNS, *[kaart.feed_csv_row(r) for r in rows]]),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="sociale-kaart.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
