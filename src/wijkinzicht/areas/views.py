"""Area pages: home, search, profile with charts and map, index, comparable areas."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wijkinzicht.core.exports import csv_bytes, xlsx_bytes

from . import selectors, tables
from .forms import ComparableForm, IndexForm, MapForm, SearchForm, TableForm
from .models import Area

# The map of a profile's parts, by default: the first of these with figures for the parts.
DEFAULT_MAP_INDICATORS = ("population_density", "pct_low_income_households", "pct_rented", "population")


def _area_or_404(code: str) -> Area:
    try:
        return selectors.area_get(code=code)
    except Area.DoesNotExist as exc:
        raise Http404(code) from exc


def search(request):
    form = SearchForm(request.GET or None)
    results = place = None
    if form.is_valid():
        q = form.cleaned_data["q"]
        code = q.strip().upper()
        if (q and selectors.is_area_code(q) and not form.cleaned_data["level"]
                and Area.objects.filter(code=code).exists()):
            return redirect("areas:profile", code=code)
        if selectors.POSTCODE_RE.match(q):  # a postcode: the buurt it lies in, where it can be placed
            place = selectors.postcode_place(q) or "unknown"
        else:
            qs = selectors.area_search(q=q, level=form.cleaned_data["level"] or None)
            results = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "areas/search.html", {"form": form, "results": results, "place": place})


def profile(request, code):
    area = _area_or_404(code)
    profile = selectors.area_profile(area=area)
    map_data = map_form = None
    # Gemeente and wijk: a map of their parts; buurt: a map of its wijk with the buurt marked.
    map_parent = area if profile.children else area.parent
    if map_parent is not None and map_parent.level in ("gemeente", "wijk"):
        indicators = selectors.indicators_all()
        map_form = MapForm(request.GET or None, indicators=indicators)
        key, year = "", None
        if map_form.is_valid():
            key = map_form.cleaned_data["indicator"] or key
            year = map_form.cleaned_data["year"]
        # coloured by a rate by default: a count mostly shows which parts are large
        for candidate in ([key] if key else list(DEFAULT_MAP_INDICATORS)):
            indicator = next((i for i in indicators if i.key == candidate), None)
            if indicator is not None:
                map_data = selectors.area_map(parent=map_parent, indicator=indicator, year=year)
                if map_data is not None:
                    break
        if map_data is not None and not key:
            map_form = MapForm(initial={"indicator": map_data.indicator.key, "year": map_data.year},
                               indicators=indicators)
    comparable = None
    keys, year = selectors.comparable_defaults(area=area)
    if keys and area.level in ("buurt", "wijk", "gemeente"):
        try:
            comparable = selectors.comparable_areas(area=area, indicator_keys=keys, year=year,
                                                    k=5)
        except ValueError:
            comparable = None
    return render(request, "areas/profile.html", {
        "area": area, "profile": profile, "facts": selectors.factsheet(profile),
        "map": map_data, "map_form": map_form,
        "comparable": comparable,
    })


def index(request, code):
    area = _area_or_404(code)
    form = IndexForm(request.GET or None)
    years = selectors.index_years(area=area)
    report = None
    if years and (form.is_valid() or not request.GET):
        data = form.cleaned_data if form.is_bound else {}
        year = data.get("year") if data.get("year") in years else years[-1]
        if data.get("year") and data["year"] not in years:
            form.add_error("year", _("There are no figures for %(asked)s; %(year)s is shown.")
                           % {"asked": data["year"], "year": year})
        if area.level in ("gemeente", "land"):
            default_ref = area
        else:
            ancestors = selectors.area_ancestors(area=area)
            default_ref = next((a for a in ancestors if a.level == "gemeente"), area)
        reference = default_ref
        if data.get("reference"):
            try:
                reference = selectors.area_get(code=data["reference"])
            except Area.DoesNotExist:
                reference = None
                form.add_error("reference", _("No area has the code %(code)s.") % {"code": data["reference"]})
        if reference is not None:
            report = selectors.area_index(area=area, year=year, reference=reference,
                                          base_year=data.get("base_year"))
    return render(request, "areas/index.html", {"area": area, "form": form, "report": report, "years": years})


def comparable(request, code):
    area = _area_or_404(code)
    indicators = [i for i in selectors.indicators_all() if i.unit not in selectors.COUNT_UNITS]
    form = ComparableForm(request.GET or None, indicators=indicators)
    choice = selectors.comparable_choice(area=area)
    keys, year = choice.keys, choice.year
    result = None
    error = ""
    k = 10
    within = None
    if form.is_bound and form.is_valid():
        keys = form.cleaned_data["indicators"] or keys
        year = form.cleaned_data["year"] or year
        k = form.cleaned_data["k"] or k
        if form.cleaned_data["within"]:
            try:
                within = selectors.area_get(code=form.cleaned_data["within"])
            except Area.DoesNotExist:
                form.add_error("within", _("No area has the code %(code)s.")
                               % {"code": form.cleaned_data["within"]})
            else:
                if not selectors.lies_within(area=area, within=within):
                    form.add_error("within", _(
                        "%(area)s (%(code)s) does not lie within %(within)s (%(within_code)s): give an area "
                        "of a higher level that contains it.")
                        % {"area": area.display_name, "code": area.code, "within": within.display_name,
                           "within_code": within.code})
                    within = None
    elif not form.is_bound:
        form = ComparableForm(initial={"indicators": keys, "year": year, "k": k},
                              indicators=indicators)
    if keys and year and not form.errors:
        try:
            result = selectors.comparable_areas(area=area, indicator_keys=keys, year=year, k=k,
                                                within=within)
        except ValueError:
            error = _("%(area)s has no known value for every chosen indicator in %(year)s.") % {
                "area": area.display_name, "year": year}
    if not keys and not error:
        error = _("%(area)s has none of the indicators to compare on that other areas of its level have.") % {
            "area": area.display_name}
    chosen_by_default = not (form.is_bound and form.cleaned_data.get("indicators"))
    labels = {i.key: i.label for i in indicators}
    return render(request, "areas/comparable.html", {
        "area": area, "form": form, "result": result, "error": error,
        "choice": choice if chosen_by_default else None,
        "left_out": [(labels.get(k, k), share) for k, share in choice.left_out],
    })


PREVIEW_ROWS = 200
DOWNLOADS = {"csv": ";", "csv-comma": ",", "xlsx": ""}


@require_safe
def table(request):
    """The table builder: areas x indicators x years on the page (the first rows) and as CSV
    (Dutch: ";" and decimal comma; or "," and point) or XLSX with an explanation sheet."""
    indicators = selectors.indicators_all()
    by_key = {i.key: i for i in indicators}
    if "indicators" not in request.GET:  # first visit, or a link from a profile: the key figures
        form = TableForm(initial={"areas": request.GET.get("areas", ""),
                                  "parts_of": request.GET.get("parts_of", ""),
                                  "indicators": [i.key for i in indicators if i.is_key_figure]},
                         indicators=indicators)
        return render(request, "areas/table.html", {"form": form, "result": None})
    form = TableForm(request.GET, indicators=indicators)
    result, problems = None, []
    if form.is_valid():
        data = form.cleaned_data
        try:
            tokens = list(dict.fromkeys(tables.split_tokens(data["areas"])))  # each once
            areas, problems = selectors.resolve_areas(tokens)
            if data["parts_of"]:
                try:
                    whole = selectors.area_get(code=data["parts_of"])
                except Area.DoesNotExist:
                    raise tables.TableRequestError("parts_of", _("No area has the code %(code)s.")
                                                   % {"code": data["parts_of"]}) from None
                next_level = {"land": "gemeente", "gemeente": "wijk"}.get(whole.level, "buurt")
                level = data["parts_level"] or next_level
                known = {a.code for a in areas}
                areas += [a for a in tables.parts_of(whole, level) if a.code not in known]
            if len(areas) > tables.MAX_AREAS:  # typed and parts together
                raise tables.TableRequestError("areas", _("Give at most %(n)s areas.")
                                               % {"n": tables.MAX_AREAS})
            years = [y for y in tables.table_years()
                     if (data["year_from"] is None or y >= data["year_from"])
                     and (data["year_to"] is None or y <= data["year_to"])]
            chosen = [by_key[k] for k in dict.fromkeys(data["indicators"])]  # a repeated one once
            if problems:
                form.add_error("areas", problems)
            else:
                result = tables.area_table(areas=areas, indicators=chosen, years=years)
        except tables.TableRequestError as exc:
            form.add_error(exc.field, exc.message)
    download = request.GET.get("download", "")
    if result is not None and download in DOWNLOADS:
        return _table_download(result, download)
    query = request.GET.copy()
    query.pop("download", None)
    return render(request, "areas/table.html", {
        "form": form, "result": result,
        "preview": [(row, list(zip(row.cells, [i.decimals for i in result.indicators], strict=True)))
                    for row in result.rows[:PREVIEW_ROWS]] if result else [],
        "query": query.urlencode()})


def _table_download(result, kind: str) -> HttpResponse:
    name = "wijkinzicht-tabel"
    if kind == "xlsx":
        notes = [[_("Explanation")],
                 [_("Sources: per indicator below; CBS figures under CC BY 4.0, through Wijkinzicht.")],
                 [_("Empty: no figure published. “.”: unknown or secret (CBS's own sign), never a zero.")],
                 [_("“Figures of code”: the row's figures are those of the same area under its code "
                    "before or after a re-coding (a 1:1 link); empty when they are the area's own.")],
                 [_("The year is the edition of CBS's Kerncijfers wijken en buurten; for income, benefits, "
                    "WOZ values and crime CBS gives each topic its own reference date or reporting year "
                    "(see CBS's table notes). CBS rounds some figures; the newest year can be provisional.")],
                 [],
                 [_("Indicator"), _("Unit"), _("Source")],
                 *[[i.label, i.unit, i.source] for i in result.indicators]]
        response = HttpResponse(
            xlsx_bytes([(_("Table"), result.export_rows()), (_("Explanation"), notes)]),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    response = HttpResponse(csv_bytes(result.export_rows(), delimiter=DOWNLOADS[kind]),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_safe
def factsheet(request, code):
    """The profile's key figures on one printable A4 page (PDF)."""
    from .pdf import factsheet_pdf

    area = _area_or_404(code)
    profile = selectors.area_profile(area=area)
    response = HttpResponse(factsheet_pdf(area, profile, selectors.factsheet(profile)),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kerncijfers-{area.code}.pdf"'
    return response
