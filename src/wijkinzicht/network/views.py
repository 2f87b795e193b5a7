"""Network pages: choose an area or programme; the network of an area or a programme with its
picture, tables and findings; CSV and GraphML exports of the same view."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.exports import csv_bytes

from . import presentation, selectors
from .forms import NetworkFilterForm


def _area(code: str) -> Area:
    try:
        return area_selectors.area_get(code=code)
    except Area.DoesNotExist as exc:
        raise Http404(code) from exc


@require_safe
def network_index(request):
    """The areas the user's organisations serve (and the wijken in them) and their programmes."""
    from wijkinzicht.outcomes.selectors import programmes_for_user

    code = (request.GET.get("gebied") or "").strip()
    if code and area_selectors.is_area_code(code) and Area.objects.filter(code=code.upper()).exists():
        return redirect("network:area", code=code.upper())
    served = list(selectors.served_areas(user=request.user))
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
        },
    )


def _view(request, parties):
    form = NetworkFilterForm(request.GET or None)
    at, since, kinds, derived = form.values()
    parties = list(parties)
    ties = selectors.shared_ties(parties=parties, kinds=kinds, derived=derived)
    return form, presentation.build(parties=parties, ties=ties, at=at, since=since)


def _area_allowed(request, area):
    if not selectors.sees_area_network(user=request.user, area=area):
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
    form, view = _view(request, selectors.programme_parties(programme=programme))
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
    _form, view = _view(request, selectors.programme_parties(programme=programme))
    return _export(view, fmt, f"programma-{programme.pk}")
