"""Network pages: choose an area or programme; the network of an area or a programme with its
picture, tables and findings; CSV and GraphML exports of the same view."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.exports import csv_bytes
from wijkinzicht.core.tenancy import organisation_ids_for
from wijkinzicht.parties import selectors as party_selectors
from wijkinzicht.parties.models import Organisation

from . import presentation, selectors, services
from .constants import EDIT_ROLES
from .forms import NetworkFilterForm, PartyForm, TieDeclareForm, TieEndForm
from .models import Party


def _area(code: str) -> Area:
    try:
        return area_selectors.area_get(code=code)
    except Area.DoesNotExist as exc:
        raise Http404(code) from exc


@require_safe
def network_index(request):
    """The areas the user's organisations serve (and the wijken in them) and their programmes."""
    from wijkinzicht.outcomes.selectors import programmes_for_user

    code = (request.GET.get("gebied") or "").strip()[:100]
    problem = ""
    if code:  # a code or a name, as the evaluation form reads them
        (area,), problems = area_selectors.resolve_each([code])
        if area is not None:
            return redirect("network:area", code=area.code)
        problem = problems[0] if problems else ""
    served = list(party_selectors.served_areas(user=request.user))
    parts = {
        area.code: list(area_selectors.newest_division(area.children.all()).order_by("name"))
        for area in served
        if area.level == "gemeente"
    }
    return render(
        request,
        "network/index.html",
        {
            "served": [(a, parts.get(a.code, [])) for a in served],
            "programmes": programmes_for_user(user=request.user).order_by("name"),
            "code": code,
            "problem": problem,
        },
    )


def _view(request, parties, **narrow):
    """The filter form and the computed view; `narrow` goes to shared_ties (a programme's scope)."""
    form = NetworkFilterForm(request.GET or None)
    at, since, kinds, derived = form.values()
    parties = list(parties)
    ties = selectors.shared_ties(parties=parties, kinds=kinds, derived=derived, **narrow)
    return form, presentation.build(parties=parties, ties=ties, at=at, since=since)


def _programme_view(request, programme):
    scope = selectors.programme_scope(programme=programme)
    return _view(request, scope.parties, keep=scope.keeps, keep_derived=scope.touches)


def _area_allowed(request, area):
    if not party_selectors.serves_area(user=request.user, area=area):
        raise PermissionDenied


@require_safe
def area_network(request, code):
    area = _area(code)
    _area_allowed(request, area)
    form, view = _view(request, selectors.area_parties(area=area))
    return render(
        request,
        "network/network.html",
        {
            "form": form,
            "view": view,
            "title": area.display_name,
            "area": area,
            "exports": _exports(request, "network:area", code=area.code),
        },
    )


@require_safe
def programme_network(request, pk):
    from wijkinzicht.outcomes.selectors import programme_get

    programme = programme_get(user=request.user, pk=pk)
    form, view = _programme_view(request, programme)
    return render(
        request,
        "network/network.html",
        {
            "form": form,
            "view": view,
            "title": programme.name,
            "programme": programme,
            "exports": _exports(request, "network:programme", pk=programme.pk),
        },
    )


def _exports(request, name: str, **kwargs) -> list[tuple[str, str]]:
    query = request.GET.urlencode()
    suffix = f"?{query}" if query else ""
    return [
        (reverse(f"{name}_parties_csv", kwargs=kwargs) + suffix, "parties"),
        (reverse(f"{name}_ties_csv", kwargs=kwargs) + suffix, "ties"),
        (reverse(f"{name}_graphml", kwargs=kwargs) + suffix, "graphml"),
    ]


def _export(view, fmt: str, stem: str) -> HttpResponse:
    day = view.at.isoformat()
    if fmt == "graphml":
        response = HttpResponse(presentation.graphml(view), content_type="application/graphml+xml")
        filename = f"netwerk-{stem}-{day}.graphml"
    else:
        rows = presentation.parties_table(view) if fmt == "parties" else presentation.ties_table(view)
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
        filename = f"{'partijen' if fmt == 'parties' else 'banden'}-{stem}-{day}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def area_export(request, code, fmt):
    area = _area(code)
    _area_allowed(request, area)
    _form, view = _view(request, selectors.area_parties(area=area))
    return _export(view, fmt, area.code)


@require_safe
def programme_export(request, pk, fmt):
    from wijkinzicht.outcomes.selectors import programme_get

    programme = programme_get(user=request.user, pk=pk)
    _form, view = _programme_view(request, programme)
    return _export(view, fmt, f"programma-{programme.pk}")


# --- the ties of your organisation: declare, answer, end; informal parties: add, merge ---------


def _edit_ids(request) -> set[int]:
    return organisation_ids_for(request.user, roles=EDIT_ROLES)


def _tie_forms(request, tie_form=None, party_form=None) -> dict:
    from wijkinzicht.parties.selectors import organisations_for_user

    ids = _edit_ids(request)
    if tie_form is None:
        tie_form = TieDeclareForm(sources=_sources(ids), targets=_targets(request))
    if party_form is None:
        party_form = PartyForm(
            organisations=list(organisations_for_user(user=request.user, roles=EDIT_ROLES))
        )
    ties = selectors.ties_for_user(user=request.user).prefetch_related("events").order_by("-since", "pk")
    own = organisation_ids_for(request.user)
    rows = [
        {
            "tie": tie,
            "status": services.tie_status(tie),
            "note": tie.note if tie.declared_by_id in own else "",
            "answer": any(services.may_answer(tie, i) for i in ids),
            "end": tie.until is None and any(services.may_end(tie, i) for i in ids),
        }
        for tie in ties
    ]
    added = selectors.parties_spoken_for(organisation_ids=own).filter(organisation=None).order_by("name")
    return {
        "rows": rows,
        "tie_form": tie_form,
        "party_form": party_form,
        "can_edit": bool(ids),
        "added": added,
    }


def _sources(ids):
    return list(selectors.parties_spoken_for(organisation_ids=ids).order_by("name"))


def _targets(request):
    return list(selectors.parties_nearby(user=request.user).order_by("name"))


@require_safe
def ties_mine(request):
    return render(request, "network/ties.html", _tie_forms(request))


@require_POST
def tie_declare(request):
    ids = _edit_ids(request)
    if not ids:
        raise PermissionDenied
    form = TieDeclareForm(request.POST, sources=_sources(ids), targets=_targets(request))
    if form.is_valid():
        data = form.cleaned_data
        source = Party.objects.get(pk=data["source"])
        organisation = Organisation.objects.get(
            pk=source.organisation_id if source.organisation_id in ids else source.added_by_id
        )
        try:
            services.tie_declare(
                user=request.user,
                organisation=organisation,
                source=source,
                target=Party.objects.get(pk=data["target"]),
                kind=data["kind"],
                since=data["since"],
                until=data["until"],
                strength=data["strength"],
                note=data["note"],
            )
        except services.NetworkInputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The tie has been recorded; the other party is asked to confirm it."))
            return redirect("network:ties")
    return render(request, "network/ties.html", _tie_forms(request, tie_form=form))


def _tie_of(request, pk):
    tie = selectors.ties_for_user(user=request.user).filter(pk=pk).first()
    if tie is None:
        raise Http404
    return tie


@require_POST
def tie_answer(request, pk):
    tie = _tie_of(request, pk)
    organisation_id = next((i for i in _edit_ids(request) if services.may_answer(tie, i)), None)
    if organisation_id is None:
        raise PermissionDenied
    confirm = request.POST.get("antwoord") == "bevestigen"
    services.tie_respond(
        user=request.user,
        organisation=Organisation.objects.get(pk=organisation_id),
        tie=tie,
        confirm=confirm,
        note=request.POST.get("toelichting", "")[:500],
    )
    messages.success(
        request, _("Confirmed.") if confirm else _("Disputed: the tie stays, marked as disputed.")
    )
    return redirect("network:ties")


@require_POST
def tie_end(request, pk):
    tie = _tie_of(request, pk)
    organisation_id = next((i for i in _edit_ids(request) if services.may_end(tie, i)), None)
    if organisation_id is None:
        raise PermissionDenied
    form = TieEndForm(request.POST)
    if form.is_valid():
        try:
            services.tie_end(
                user=request.user,
                organisation=Organisation.objects.get(pk=organisation_id),
                tie=tie,
                until=form.cleaned_data["until"],
            )
        except services.NetworkInputError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The tie has been ended; it stays in the history."))
    else:
        messages.error(request, _("until: give the first day without the tie"))
    return redirect("network:ties")


@require_POST
def party_add(request):
    from wijkinzicht.parties.selectors import organisations_for_user

    organisations = list(organisations_for_user(user=request.user, roles=EDIT_ROLES))
    if not organisations:
        raise PermissionDenied
    form = PartyForm(request.POST, organisations=organisations)
    if form.is_valid():
        data = form.cleaned_data
        try:
            party = services.party_create(
                user=request.user,
                organisation=next(o for o in organisations if o.pk == data["organisation"]),
                name=data["name"],
                kind=data["kind"],
                areas=data["areas"],
                contact=data["contact"],
                description=data["description"],
            )
        except services.NetworkInputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The party has been added."))
            return redirect("network:party", pk=party.pk)
    return render(request, "network/ties.html", _tie_forms(request, party_form=form))


@require_safe
def party_detail(request, pk):
    party = Party.objects.filter(pk=pk).prefetch_related("areas").first()
    if party is None:
        raise Http404
    can_merge = services.may_merge(request.user, party) and not party.merged_into_id
    return render(
        request,
        "network/party.html",
        {
            "party": party,
            "duplicates": services.likely_duplicates(party) if not party.merged_into_id else [],
            "can_merge": can_merge,
        },
    )


@require_POST
def party_merge(request, pk):
    """`pk` turns out to be the party in the form's `in`: only coordinators and administrators of the
    organisation that added it merge it (403 for everyone else, whatever they send)."""
    duplicate = Party.objects.filter(pk=pk).first()
    if duplicate is None:
        raise Http404
    if not services.may_merge(request.user, duplicate):
        raise PermissionDenied
    chosen = request.POST.get("in", "")
    keep = Party.objects.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) < 19 else None
    if keep is None:
        raise BadRequest("choose the party it turned out to be")
    try:
        services.party_merge(user=request.user, keep=keep, duplicate=duplicate)
    except services.NetworkInputError as exc:
        messages.error(request, str(exc))
        return redirect("network:party", pk=duplicate.pk)
    messages.success(request, _("Merged: its ties and history are now with this party."))
    return redirect("network:party", pk=keep.pk)
