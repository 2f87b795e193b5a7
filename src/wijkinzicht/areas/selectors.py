"""Reads of the areas app: search, profiles, maps, the neighbourhood index, comparable areas.

Area figures are public CBS statistics, so no tenancy filter applies here.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from wijkinzicht.analysis import index as index_lib
from wijkinzicht.analysis.geometry import BBox, Projection, bbox_of, polygons_of
from wijkinzicht.analysis.similarity import SimilarityResult, nearest

from .constants import (
    ALIASES,
    AREA_CODE_RE,
    LEVEL_ORDER,
    AreaLevel,
    ObservationStatus,
    normalise_code,
    parent_code_of,
    search_key,
)
from .models import Area, ImportRun, Indicator, Observation

# Counts and sizes: they add up over areas (so a merge can sum them) and are never compared with
# larger areas (Amsterdam's land area beside Nederland's says nothing). Rates, shares and averages
# are compared and never summed.
COUNT_UNITS = frozenset({"aantal", "ha"})


def area_get(*, code: str) -> Area:
    """The area with this CBS code (case and padding ignored); raises Area.DoesNotExist."""
    return Area.objects.select_related("parent").get(code=normalise_code(code))


def area_search(*, q: str = "", level: str | None = None, parent: str | None = None) -> QuerySet[Area]:
    """Areas whose name or code matches q, optionally of one level or under one parent. The name
    is matched without accents, case or punctuation ("den haag" also finds 's-Gravenhage through
    constants.ALIASES; "lumiere" finds Lumièrepark)."""
    qs = Area.objects.select_related("parent")
    q = (q or "").strip()
    if q:
        key = search_key(q)
        cond = Q(code__startswith=normalise_code(q))
        if key:
            cond |= Q(search_name__contains=key)
            # an alias that starts with what was typed (3 letters at least), or that was typed whole
            aliased = [code for alias, code in ALIASES.items()
                       if (len(key) >= 3 and alias.startswith(key)) or alias in key]
            if aliased:
                cond |= Q(code__in=aliased)
        qs = qs.filter(cond)
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=normalise_code(parent))
    order = ["name", "code"] if q else ["code"]
    return qs.order_by(*order)


def resolve_areas(tokens: list[str], *, max_tokens: int = 1000) -> tuple[list[Area], list[str]]:
    """The areas meant by codes or names, in the order given, each once; and one message per token
    that names no area or more than one (see `resolve_each`)."""
    found, problems = resolve_each(tokens, max_tokens=max_tokens)
    out: list[Area] = []
    seen: set[str] = set()
    for area in found:
        if area is not None and area.code not in seen:
            seen.add(area.code)
            out.append(area)
    return out, problems


def resolve_each(tokens: list[str], *, max_tokens: int = 1000) -> tuple[list[Area | None], list[str]]:
    """Per token the area its code or name means (None where none or more than one), and one
    message per such token. A name is taken when exactly one area of the newest division has it at
    the highest level that has it ("Amsterdam" is the gemeente); aliases count ("Den Haag")."""
    if len(tokens) > max_tokens:
        return [None] * len(tokens), [_("Give at most %(n)s areas.") % {"n": max_tokens}]
    codes = {normalise_code(t) for t in tokens if AREA_CODE_RE.match(normalise_code(t))}
    by_code = {a.code: a for a in Area.objects.filter(code__in=codes).select_related("parent")}
    keys = {search_key(t) for t in tokens if not AREA_CODE_RE.match(normalise_code(t))}
    keys.discard("")
    alias_codes = {ALIASES[k] for k in keys if k in ALIASES}
    named: dict[str, list[Area]] = {}
    if keys:
        candidates = Area.objects.filter(Q(search_name__in=keys) | Q(code__in=alias_codes))
        for a in candidates.select_related("parent"):
            for key in {a.search_name} | {k for k, c in ALIASES.items() if c == a.code}:
                named.setdefault(key, []).append(a)
    out: list[Area | None] = []
    problems: list[str] = []
    said: set[str] = set()
    for token in tokens:
        code = normalise_code(token)
        if AREA_CODE_RE.match(code):
            area = by_code.get(code)
            if area is None:
                problems.append(_("“%(token)s”: no area has this code.") % {"token": token})
        else:
            area, problem = _one_by_name(token, named.get(search_key(token), []))
            if area is None and problem not in said:  # a repeated name: said once
                said.add(problem)
                problems.append(problem)
        out.append(area)
    return out, problems


def _one_by_name(token: str, found: list[Area]) -> tuple[Area | None, str]:
    if not found:
        return None, _("“%(token)s”: no area has this name; give its CBS code.") % {"token": token}
    newest = max((a.last_year or 0 for a in found), default=0)
    current = [a for a in found if a.last_year is None or a.last_year >= newest] or found
    top = min(LEVEL_ORDER[a.level] for a in current)
    best = [a for a in current if LEVEL_ORDER[a.level] == top]
    if len(best) == 1:
        return best[0], ""
    return None, _("“%(token)s”: %(n)s areas have this name (%(codes)s); give the CBS code.") % {
        "token": token, "n": len(best), "codes": ", ".join(sorted(a.code for a in best)[:6])}


# Where a postcode lies. Wijkinzicht ships no postcode register; an app that knows postcodes with
# coordinates (the sociale kaart's published activities) registers a locator at start-up, so that
# this app depends on none of them. A locator: postcode -> (latitude, longitude, basis) or None,
# basis "postcode" (that very postcode), "area" (middle of its four-digit area) or "nearby".
POSTCODE_LOCATORS: list = []
POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")


@dataclass
class PostcodePlace:
    postcode: str
    basis: str
    area: Area | None  # the buurt the point lies in, where boundaries are known


def postcode_place(text: str) -> PostcodePlace | None:
    """The buurt a Dutch postcode lies in, where a locator knows the postcode's point and a buurt
    boundary contains it; None when the text is no postcode or no locator places it."""
    if not POSTCODE_RE.match(text or ""):
        return None
    for locate in POSTCODE_LOCATORS:
        found = locate(text)
        if found is not None:
            latitude, longitude, basis = found
            return PostcodePlace(text.strip().upper(), basis, area_at(latitude=latitude, longitude=longitude))
    return None


def area_at(*, latitude: float, longitude: float) -> Area | None:
    """The buurt of the newest division whose boundary contains the point (None without one)."""
    from wijkinzicht.analysis.geometry import contains

    for code, box, polygons in _buurt_boundaries(_data_version()):
        if box.min_x <= longitude <= box.max_x and box.min_y <= latitude <= box.max_y and contains(
                polygons, longitude, latitude):
            return Area.objects.select_related("parent__parent").get(code=code)
    return None


@lru_cache(maxsize=2)
def _buurt_boundaries(version: tuple) -> list[tuple[str, BBox, list]]:
    rows = Area.objects.filter(level=AreaLevel.BUURT).exclude(geometry="").order_by("-last_year", "code")
    out = []
    for code, geometry in rows.values_list("code", "geometry").iterator(chunk_size=2000):
        polygons = _polygons(geometry)
        box = bbox_of([polygons])
        if box is not None:
            out.append((code, box, polygons))
    return out


def newest_division(qs: QuerySet[Area]) -> QuerySet[Area]:
    """The areas of the newest division among qs: codes that ended before it (Amsterdam's wijken
    before its 2023 re-coding) are left out."""
    newest = qs.aggregate(n=Max("last_year"))["n"]
    if newest is not None:
        qs = qs.filter(Q(last_year__gte=newest) | Q(last_year__isnull=True))
    return qs


def current_gemeenten() -> QuerySet[Area]:
    """The gemeenten of the newest division that have wijken or buurten: not the dissolved ones."""
    newest = Area.objects.filter(level=AreaLevel.GEMEENTE).aggregate(n=Max("last_year"))["n"]
    qs = Area.objects.filter(level=AreaLevel.GEMEENTE, children__isnull=False)
    if newest is not None:
        qs = qs.filter(Q(last_year__gte=newest) | Q(last_year__isnull=True))
    return qs.distinct().order_by("name", "code")


def indicators_all() -> list[Indicator]:
    return list(Indicator.objects.all())


def area_ancestors(*, area: Area) -> list[Area]:
    """Parent, grandparent, ... up to the country, nearest first (one query)."""
    codes = []
    code = parent_code_of(area.code)
    while code:
        codes.append(code)
        code = parent_code_of(code)
    found = {a.code: a for a in Area.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


@dataclass
class Cell:
    value: float | None
    secret: bool = False
    via: str = ""  # carried over a re-coding: the code(s) of the area(s) the value is from

    @property
    def known(self) -> bool:
        return self.value is not None


@dataclass
class Series:
    area: Area
    values: dict[int, Cell]


@dataclass
class IndicatorProfile:
    indicator: Indicator
    years: list[int]
    series: list[Series]  # the area first, then the comparison areas with any data
    comparable: bool  # False for counts: comparing absolute numbers across levels misleads

    @property
    def own(self) -> Series:
        return self.series[0]


@dataclass
class Linked:
    area: Area
    share: float
    year: int


@dataclass
class Lineage:
    """An area's predecessors and successors (AreaLink), and whether its series runs on across
    the change: `back` / `forward` say how ("same": one area, all of it, 1:1 -- every figure;
    "sum": whole areas merged into it or split from it -- counts only, summed), "" for a break."""

    predecessors: list[Linked] = field(default_factory=list)
    successors: list[Linked] = field(default_factory=list)
    back: str = ""
    forward: str = ""
    took_in: list[Linked] = field(default_factory=list)  # areas it absorbed, keeping its code
    absorbed_into: Linked | None = None  # the area that took it in, keeping its code

    @property
    def grew_in(self) -> int | None:
        """The first year its code covers a larger area (it took in others), if it did."""
        return min((t.year for t in self.took_in), default=None)

    @property
    def any(self) -> bool:
        return bool(self.predecessors or self.successors or self.took_in or self.absorbed_into)

    @property
    def merged(self) -> bool:
        """Went whole into one area together with others (a gemeente merger): its own series
        ends, and the successor's counts before the change are the sum that includes it."""
        return (len(self.successors) == 1 and not self.forward
                and abs(self.successors[0].share - 1) < 1e-9)

    @property
    def breaks(self) -> bool:
        return bool(self.predecessors and not self.back) or bool(self.successors and not self.forward)


def area_lineage(*, area: Area) -> Lineage:
    """The links of the area and how its series continues (see Lineage)."""
    from .models import AreaLink

    every = list(AreaLink.objects.filter(Q(successor=area) | Q(predecessor=area)).select_related(
        "predecessor", "successor"))
    links = [link for link in every if link.kind != "absorbed"]
    lineage = Lineage(
        took_in=[Linked(link.predecessor, link.share, link.year) for link in every
                 if link.kind == "absorbed" and link.successor_id == area.pk],
        absorbed_into=next((Linked(link.successor, link.share, link.year) for link in every
                            if link.kind == "absorbed" and link.predecessor_id == area.pk), None),
        predecessors=[Linked(link.predecessor, link.share, link.year) for link in links
                      if link.successor_id == area.pk],
        successors=[Linked(link.successor, link.share, link.year) for link in links
                    if link.predecessor_id == area.pk],
    )
    if lineage.predecessors:
        others = AreaLink.objects.filter(predecessor__in=[p.area for p in lineage.predecessors]).exclude(
            successor=area).exclude(kind="absorbed").exists()
        whole = all(abs(p.share - 1) < 1e-9 for p in lineage.predecessors) and not others
        if whole:
            lineage.back = "same" if len(lineage.predecessors) == 1 else "sum"
    if lineage.successors:
        others = AreaLink.objects.filter(successor__in=[s.area for s in lineage.successors]).exclude(
            predecessor=area).exclude(kind="absorbed").exists()
        total = sum(s.share for s in lineage.successors)
        if not others and abs(total - 1) < 1e-9:  # the successors are exactly the old area's parts
            lineage.forward = "same" if len(lineage.successors) == 1 else "sum"
    return lineage


def same_area_ids(area_ids: set[int]) -> dict[int, list[int]]:
    """Per area, the ids of the same area under its other codes: the areas linked to it 1:1
    (one link of share 1 where neither end has another), before and after, followed along the
    chain; the area itself first. What a series of figures may run on through (decision 0016)."""
    from .models import AreaLink

    links = list(AreaLink.objects.exclude(kind="absorbed").values_list("predecessor_id", "successor_id",
                                                                       "share"))
    outs, ins = defaultdict(list), defaultdict(list)
    for old, new, share in links:
        outs[old].append((new, share))
        ins[new].append((old, share))
    one_to_one = {(old, new) for old, new, share in links
                  if abs(share - 1) < 1e-9 and len(outs[old]) == 1 and len(ins[new]) == 1}
    after = {old: new for old, new in one_to_one}
    before = {new: old for old, new in one_to_one}
    out = {}
    for area_id in area_ids:
        chain, a = [area_id], area_id
        while a in after and after[a] not in chain:
            a = after[a]
            chain.append(a)
        a = area_id
        while a in before and before[a] not in chain:
            a = before[a]
            chain.append(a)
        out[area_id] = chain
    return out


def same_area_codes(code: str) -> list[str]:
    """The code and the codes of the same area before and after its 1:1 re-codings (`same_area_ids`);
    just the code when no such area is known."""
    area = Area.objects.filter(code=code).only("pk").first()
    if area is None:
        return [code]
    chain = same_area_ids({area.pk})[area.pk]
    codes = dict(Area.objects.filter(pk__in=chain).values_list("pk", "code"))
    return [codes[pk] for pk in chain if pk in codes]


@dataclass
class Profile:
    area: Area
    ancestors: list[Area]
    children: list[Area]
    key_figures: list[IndicatorProfile]
    other_figures: list[IndicatorProfile]
    years: list[int]
    lineage: Lineage = field(default_factory=Lineage)
    former_children: list[Area] = field(default_factory=list)  # codes that ended before the newest division
    jump: int | None = None  # the newest year its stock of dwellings halved or doubled (see stock_jumps)

    @property
    def break_year(self) -> int | None:
        """From when its figures are about the area as it is now: after taking in other areas
        or after a boundary change under the same code, whichever is later."""
        years = [y for y in (self.lineage.grew_in, self.jump) if y is not None]
        return max(years) if years else None


def _observations(area_ids: list[int], indicator_ids: list[int] | None = None):
    qs = Observation.objects.filter(area_id__in=area_ids)
    if indicator_ids is not None:
        qs = qs.filter(indicator_id__in=indicator_ids)
    return qs.values_list("area_id", "indicator_id", "year", "value", "status")


def area_profile(*, area: Area) -> Profile:
    """Every figure of the area for every year, with the wijk, gemeente and country beside it, and
    carried across a re-coding where the lineage allows it (`area_lineage`)."""
    ancestors = area_ancestors(area=area)
    lineage = area_lineage(area=area)
    compare = list(ancestors)
    back = [p.area for p in lineage.predecessors] if lineage.back else []
    forward = [s.area for s in lineage.successors] if lineage.forward else []
    ids = [area.id] + [a.id for a in compare] + [a.id for a in back + forward]
    data: dict[tuple[int, int], dict[int, Cell]] = {}
    for area_id, ind_id, year, value, status in _observations(ids):
        data.setdefault((ind_id, area_id), {})[year] = Cell(
            value, status == ObservationStatus.SECRET)
    indicators = indicators_all()
    key, other = [], []
    all_years: set[int] = set()
    for ind in indicators:
        own = dict(data.get((ind.id, area.id)) or {})
        for linked, how in ((back, lineage.back), (forward, lineage.forward)):
            if linked and (how == "same" or ind.unit in COUNT_UNITS):
                _carry(own, [data.get((ind.id, a.id)) or {} for a in linked], linked)
        if not own:
            continue
        years = sorted(own)
        all_years.update(years)
        comparable = ind.unit not in COUNT_UNITS
        series = [Series(area, own)]
        if comparable:
            for a in compare:
                vals = data.get((ind.id, a.id))
                if vals and any(y in vals for y in years):
                    series.append(Series(a, {y: vals[y] for y in years if y in vals}))
        prof = IndicatorProfile(ind, years, series, comparable)
        (key if ind.is_key_figure else other).append(prof)
    children = list(area.children.order_by("name", "code").only(
        "code", "name", "level", "first_year", "last_year", "parent_id"))
    # the parts of the newest division first; codes that ended before it (Amsterdam's wijken
    # before 2023) are listed apart, so no part shows twice under an old and a new code
    newest = max((c.last_year for c in children if c.last_year), default=None)
    current = [c for c in children if newest is None or c.last_year is None or c.last_year >= newest]
    former = [c for c in children if c not in current]
    profile = Profile(area, ancestors, current, key, other, sorted(all_years), lineage, former)
    stock = next((p for p in key + other if p.indicator.key == "dwellings"), None)
    if stock is not None:
        jumps = stock_jumps({y: c.value for y, c in stock.own.values.items() if c.known})
        profile.jump = jumps[-1] if jumps else None
    return profile


JUMP_MIN_DWELLINGS = 200


def stock_jumps(values: dict[int, float]) -> list[int]:
    """Years in which a stock of dwellings halved or more than doubled from the year before (both
    years at least JUMP_MIN_DWELLINGS): building and demolition do not do that in a year, a new
    boundary under the same code does (CBS re-drew 20 to 60 buurten a year, 2014-2025)."""
    out = []
    for year in sorted(values):
        before = values.get(year - 1)
        now = values[year]
        if before is None or min(before, now) < JUMP_MIN_DWELLINGS:
            continue
        if now < 0.5 * before or now > 2 * before:
            out.append(year)
    return out


@dataclass
class Fact:
    """One key figure in the profile's factsheet: the newest known figure, where its series
    started, and the same figure of the wijk, gemeente and country for rates (not for counts)."""

    indicator: Indicator
    year: int
    cell: Cell
    first_year: int | None = None
    first: Cell | None = None
    change: float | None = None  # relative change (counts, levels) or difference in points (%)
    points: bool = False  # change is in percentage points
    beside: list[tuple[Area, Cell]] = field(default_factory=list)
    series: dict[int, float | None] = field(default_factory=dict)


def factsheet(profile: Profile) -> list[Fact]:
    """The key figures in one screen: per indicator the newest year with a figure (a secret one
    is said as secret), its trend since the first known year, and the comparison areas that year."""
    facts = []
    grew = profile.break_year  # it took in other areas or got a new boundary: its trend starts again
    for prof in profile.key_figures:
        own = prof.own.values
        if grew is not None and any(y >= grew for y in own):
            own = {y: c for y, c in own.items() if y >= grew}
        year = max(own)
        fact = Fact(prof.indicator, year, own[year],
                    series={y: (c.value if c.known else None) for y, c in own.items()})
        known = [y for y in sorted(own) if own[y].known]
        if len(known) >= 2 and own[year].known:
            fact.first_year, fact.first = known[0], own[known[0]]
            if prof.indicator.unit == "%":
                fact.change, fact.points = own[year].value - fact.first.value, True
            elif fact.first.value:
                fact.change = own[year].value / fact.first.value - 1
        if prof.comparable:
            fact.beside = [(s.area, s.values[year]) for s in prof.series[1:] if year in s.values]
        facts.append(fact)
    return facts


def _carry(own: dict[int, Cell], linked: list[dict[int, Cell]], areas: list[Area]) -> None:
    """Years the area has no figure for, from the linked areas: their value (one area) or their
    sum (several, only when every one of them is known that year)."""
    via = ", ".join(a.code for a in areas)
    for year in sorted({y for values in linked for y in values} - set(own)):
        cells = [values.get(year) for values in linked]
        if any(c is None for c in cells):
            continue
        if len(cells) == 1:
            own[year] = Cell(cells[0].value, cells[0].secret, via)
        elif all(c.known for c in cells):
            own[year] = Cell(sum(c.value for c in cells), False, via)


# ---------------------------------------------------------------- maps

PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")  # sequential, 5 classes
TEXT_ON = ("#000", "#000", "#000", "#fff", "#fff")


@lru_cache(maxsize=20000)
def _polygons(geometry: str):
    return polygons_of(json.loads(geometry))


@dataclass
class MapArea:
    area: Area
    cell: Cell
    path: str = ""
    colour: str = ""


@dataclass
class LegendClass:
    lower: float
    upper: float
    colour: str
    count: int


@dataclass
class MapData:
    parent: Area
    indicator: Indicator
    year: int
    years: list[int]
    items: list[MapArea]
    legend: list[LegendClass]
    width: float = 0
    height: float = 0
    drawn: int = 0


def map_years(*, parent: Area, indicator: Indicator) -> list[int]:
    return sorted(Observation.objects.filter(area__parent=parent, indicator=indicator)
                  .values_list("year", flat=True).distinct())


def area_map(*, parent: Area, indicator: Indicator, year: int | None = None) -> MapData | None:
    """Child areas of parent valid in year, coloured by the indicator (quantile classes)."""
    years = map_years(parent=parent, indicator=indicator)
    if not years:
        return None
    if year not in years:
        year = years[-1]
    values = {a: (v, s) for a, v, s in Observation.objects.filter(
        area__parent=parent, indicator=indicator, year=year).values_list("area_id", "value", "status")}
    children = list(Area.objects.filter(parent=parent, id__in=list(values)).order_by("name", "code"))
    items = [MapArea(c, Cell(values[c.id][0], values[c.id][1] == ObservationStatus.SECRET))
             for c in children]
    known = sorted(i.cell.value for i in items if i.cell.known)
    return _drawn(MapData(parent, indicator, year, years, items, _quantile_classes(known)))


def _drawn(result: MapData) -> MapData:
    """Colour the items by the legend's classes and project their boundaries (a wijk without its
    own boundary is drawn as the union of its buurten)."""
    for item in result.items:
        if item.cell.known:
            for k, cls in enumerate(result.legend):
                if item.cell.value <= cls.upper or k == len(result.legend) - 1:
                    item.colour = cls.colour
                    cls.count += 1
                    break
    geoms: dict[int, list] = {}
    for item in result.items:
        if item.area.geometry:
            geoms[item.area.id] = _polygons(item.area.geometry)
    missing = [i.area.id for i in result.items if i.area.id not in geoms]
    if missing:
        for parent_id, geometry in Area.objects.filter(parent_id__in=missing).exclude(
                geometry="").values_list("parent_id", "geometry"):
            geoms.setdefault(parent_id, []).extend(_polygons(geometry))
    box = bbox_of(geoms.values())
    if box is not None:
        proj = Projection(box, width=640)
        result.width, result.height = proj.width, proj.height
        for item in result.items:
            if item.area.id in geoms:
                item.path = proj.path(geoms[item.area.id])
                result.drawn += 1
    return result


def _quantile_classes(known: list[float], n: int = 5) -> list[LegendClass]:
    if not known:
        return []
    qs = np.quantile(np.asarray(known), np.linspace(0, 1, n + 1))
    bounds = sorted(set(float(q) for q in qs))
    if len(bounds) == 1:
        return [LegendClass(bounds[0], bounds[0], PALETTE[2], 0)]
    classes = []
    colours = PALETTE if len(bounds) - 1 == n else PALETTE[: len(bounds) - 1]
    for i in range(len(bounds) - 1):
        classes.append(LegendClass(bounds[i], bounds[i + 1], colours[i], 0))
    return classes


# ---------------------------------------------------------------- neighbourhood index

# Directions are documented choices (docs/neighbourhood-index.md): the mean WOZ value is context --
# dearer houses are not a better neighbourhood for the people who live there -- and is shown, not
# scored. Each pillar needs more than half of its scored indicators (index_lib.Pillar.minimum).
PILLARS: tuple[index_lib.Pillar, ...] = (
    index_lib.Pillar("social", (
        index_lib.IndexIndicator("income_per_inhabitant", index_lib.HIGHER_BETTER),
        index_lib.IndexIndicator("pct_low_income_households", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("pct_households_social_minimum", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("social_assistance_per_1000", index_lib.HIGHER_WORSE),
    )),
    index_lib.Pillar("physical", (
        index_lib.IndexIndicator("woz_mean", index_lib.CONTEXT),
        index_lib.IndexIndicator("pct_uninhabited", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("distance_gp", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("distance_supermarket", index_lib.HIGHER_WORSE),
    )),
    index_lib.Pillar("safety", (
        index_lib.IndexIndicator("burglary_per_1000", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("violence_per_1000", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("vandalism_per_1000", index_lib.HIGHER_WORSE),
        index_lib.IndexIndicator("crimes_per_1000", index_lib.HIGHER_WORSE),
    )),
)
# Derived rates: counts are not comparable between areas of different size.
DERIVED = {
    "social_assistance_per_1000": ("social_assistance_persons", "population", 1000.0),
    "crimes_per_1000": ("crimes_registered", "population", 1000.0),
}
PILLAR_KEYS = [i.key for p in PILLARS for i in p.indicators]


def _values_for(area_ids: list[int], year: int) -> dict[int, dict[str, float | None]]:
    """key -> value per area for the index indicators (derived rates computed)."""
    needed = {k for k in PILLAR_KEYS if k not in DERIVED}
    for num, den, _scale in DERIVED.values():
        needed.update((num, den))
    rows = Observation.objects.filter(area_id__in=area_ids, year=year,
                                      indicator__key__in=needed).values_list(
        "area_id", "indicator__key", "value")
    out: dict[int, dict[str, float | None]] = {a: {} for a in area_ids}
    for area_id, key, value in rows:
        out[area_id][key] = value
    for vals in out.values():
        for key, (num, den, factor) in DERIVED.items():
            n, d = vals.get(num), vals.get(den)
            vals[key] = n / d * factor if n is not None and d else None
    return out


@dataclass
class IndexYear:
    year: int
    result: index_lib.IndexResult


@dataclass
class IndexReport:
    area: Area
    year: int
    reference: Area
    base_year: int
    result: index_lib.IndexResult
    references: dict[str, index_lib.Reference | None]
    indicators: dict[str, Indicator | None] = field(default_factory=dict)
    available_years: list[int] = field(default_factory=list)
    base_year_chosen: bool = False  # the default: the newest year the reference fully supports
    reference_complete: bool = False  # the reference supports every scored indicator in the base year
    over_years: list[IndexYear] = field(default_factory=list)
    children: list[tuple[Area, index_lib.IndexResult]] = field(default_factory=list)
    map: MapData | None = None

    @property
    def ranking(self) -> list[tuple[Area, index_lib.IndexResult]]:
        """The child areas with an index, best first; those without follow by name."""
        scored = sorted((c for c in self.children if c[1].score is not None), key=lambda c: -c[1].score)
        return scored + [c for c in self.children if c[1].score is None]


def index_years(*, area: Area) -> list[int]:
    return sorted(Observation.objects.filter(
        area=area, indicator__key__in=PILLAR_KEYS + [v[0] for v in DERIVED.values()]
    ).values_list("year", flat=True).distinct())


def _references(reference: Area, base_year: int) -> dict[str, index_lib.Reference | None]:
    ref_children = list(reference.children.filter(
        Q(first_year__lte=base_year) | Q(first_year__isnull=True)).values_list("id", flat=True))
    ref_data = _values_for([reference.id, *ref_children], base_year)
    return {
        key: index_lib.reference_from([ref_data[c].get(key) for c in ref_children],
                                      ref_data[reference.id].get(key))
        for key in PILLAR_KEYS
    }


def index_base_year(*, reference: Area) -> int | None:
    """The default base year: the newest in which the reference supports every scored indicator
    (its value and a spread over its parts), else the newest with the most (index_lib)."""
    coverage = {y: index_lib.reference_coverage(_references(reference, y), PILLARS)
                for y in index_years(area=reference)}
    return index_lib.default_base_year(coverage, PILLARS)


INDEX_INDICATOR = Indicator(key="wijkindex", unit="score", decimals=0)  # the index map's "indicator"
INDEX_BANDS = (  # the Wijkprofiel's reading (index_lib.band_of), less to more favourable
    (-math.inf, 70.0, "#d6604d"), (70.0, 90.0, "#f4a582"), (90.0, 110.0, "#d9d9d9"),
    (110.0, math.inf, "#92c5de"),
)


def area_index(*, area: Area, year: int, reference: Area, base_year: int | None = None) -> IndexReport:
    """The Wijkprofiel-style index of area in year against reference in base_year (default:
    `index_base_year`), with the index over the years and of each child area (ranking and map)."""
    chosen = base_year is None
    if base_year is None:
        base_year = index_base_year(reference=reference) or year
    references = _references(reference, base_year)
    years = index_years(area=area)
    by_year = _values_for([area.id], year)[area.id]
    result = index_lib.compute_index(by_year, references, PILLARS)
    over_years = [
        IndexYear(y, index_lib.compute_index(_values_for([area.id], y)[area.id], references, PILLARS))
        for y in years
    ]
    children = list(Area.objects.filter(parent=area).filter(
        Q(first_year__lte=year) | Q(first_year__isnull=True)).filter(
        Q(last_year__gte=year) | Q(last_year__isnull=True)).order_by("name", "code"))
    child_values = _values_for([c.id for c in children], year)
    scored = [(c, index_lib.compute_index(child_values[c.id], references, PILLARS)) for c in children]
    scored = [(c, r) for c, r in scored if any(p.known for p in r.pillars)]
    index_map = None
    if scored:
        items = [MapArea(c, Cell(r.score, False)) for c, r in scored]
        legend = [LegendClass(lo, hi, colour, 0) for lo, hi, colour in INDEX_BANDS]
        index_map = _drawn(MapData(area, INDEX_INDICATOR, year, [year], items, legend))
    indicators = {i.key: i for i in Indicator.objects.filter(key__in=PILLAR_KEYS)}
    return IndexReport(
        area, year, reference, base_year, result, references, {k: indicators.get(k) for k in PILLAR_KEYS},
        years, base_year_chosen=chosen,
        reference_complete=index_lib.reference_coverage(references, PILLARS)
        == sum(len(p.scored) for p in PILLARS),
        over_years=over_years, children=scored, map=index_map,
    )


# ---------------------------------------------------------------- comparable areas

DEFAULT_COMPARABLE = ("income_per_inhabitant", "woz_mean", "pct_rented", "household_size",
                      "population_density")


MIN_COVERAGE = 0.8  # an indicator is used by default only when this share of the areas has it


@dataclass
class ComparableChoice:
    """The default comparison: the year and indicators with coverage, and what was left out why."""

    year: int | None
    keys: list[str]
    left_out: list[tuple[str, float]] = field(default_factory=list)  # (key, share of areas with it)
    areas: int = 0  # areas of the level with any of the indicators that year

    @property
    def weak(self) -> bool:
        return 0 < len(self.keys) < 3


@lru_cache(maxsize=16)
def _coverage(level: str, prefix: str, version: tuple) -> dict[int, tuple[int, dict[str, int]]]:
    """Per year: the areas of the level with any default indicator, and per indicator how many
    have a known value. Two queries; cached per data version."""
    base = Observation.objects.filter(area__level=level, area__code__startswith=prefix,
                                      indicator__key__in=DEFAULT_COMPARABLE, status=ObservationStatus.KNOWN)
    totals = dict(base.values_list("year").annotate(n=Count("area_id", distinct=True)))
    out: dict[int, tuple[int, dict[str, int]]] = {y: (n, {}) for y, n in totals.items()}
    for year, key, n in base.values_list("year", "indicator__key").annotate(n=Count("id")):
        out[year][1][key] = n
    return out


def comparable_choice(*, area: Area) -> ComparableChoice:
    """The newest year with the most default indicators that both the area and at least
    MIN_COVERAGE of the areas of its level have; the others are named with their coverage."""
    rows = Observation.objects.filter(area=area, indicator__key__in=DEFAULT_COMPARABLE,
                                      status=ObservationStatus.KNOWN).values_list("indicator__key", "year")
    own: dict[int, set[str]] = {}
    for key, year in rows:
        own.setdefault(year, set()).add(key)
    if not own:
        return ComparableChoice(None, [])
    coverage = _coverage(area.level, area.code[:2], _data_version())
    best = None
    for year, keys in own.items():
        total, counts = coverage.get(year, (0, {}))
        shares = {k: counts.get(k, 0) / total if total else 0.0 for k in keys}
        kept = [k for k in DEFAULT_COMPARABLE if k in keys and shares[k] >= MIN_COVERAGE]
        left = [(k, shares[k]) for k in DEFAULT_COMPARABLE if k in keys and shares[k] < MIN_COVERAGE]
        candidate = ComparableChoice(year, kept, left, total)
        if best is None or (len(kept), year) > (len(best.keys), best.year):
            best = candidate
    return best


def comparable_defaults(*, area: Area) -> tuple[list[str], int | None]:
    """Default indicators and year (`comparable_choice`)."""
    choice = comparable_choice(area=area)
    return choice.keys, choice.year


@dataclass
class Comparable:
    area: Area
    year: int
    indicators: list[Indicator]
    result: SimilarityResult
    areas: dict[str, Area]
    within: Area | None


def comparable_areas(*, area: Area, indicator_keys: list[str], year: int, k: int = 10,
                     within: Area | None = None, exclude: frozenset[str] = frozenset()
                     ) -> Comparable:
    """The k areas of the same level nearest to area on the standardised indicators."""
    indicators = list(Indicator.objects.filter(key__in=indicator_keys))
    indicators.sort(key=lambda i: indicator_keys.index(i.key))
    if len(indicators) != len(indicator_keys):
        unknown = set(indicator_keys) - {i.key for i in indicators}
        raise ValueError(f"unknown indicators: {', '.join(sorted(unknown))}")
    prefix = _code_prefix(area=area, within=within) if (
        within is not None and within.level != AreaLevel.LAND) else area.code[:2]
    units, matrix = _comparison_matrix(level=area.level, year=year,
                                       indicator_ids=tuple(i.id for i in indicators),
                                       prefix=prefix, version=_data_version())
    result = nearest(area.code, units, matrix, [i.key for i in indicators], k=k, exclude=exclude)
    found = {a.code: a for a in Area.objects.filter(code__in=[n.unit for n in result.neighbours])
             .select_related("parent__parent")}
    return Comparable(area, year, indicators, result, found, within)


def _data_version() -> tuple:
    """Changes whenever figures are imported: id and time of the newest import run."""
    return ImportRun.objects.order_by("-id").values_list("id", "imported_at").first() or (0, None)


@lru_cache(maxsize=64)
def _comparison_matrix(*, level: str, year: int, indicator_ids: tuple[int, ...], prefix: str,
                       version: tuple) -> tuple[list[str], np.ndarray]:
    """Codes and values (NaN unknown) of all areas of a level in a year; cached per data version."""
    ind_pos = {ind_id: j for j, ind_id in enumerate(indicator_ids)}
    qs = Observation.objects.filter(indicator_id__in=indicator_ids, year=year, area__level=level,
                                    area__code__startswith=prefix)
    cells: dict[str, list[float]] = {}
    for code, ind_id, value in qs.values_list("area__code", "indicator_id", "value"):
        row = cells.setdefault(code, [math.nan] * len(indicator_ids))
        row[ind_pos[ind_id]] = math.nan if value is None else value
    units = sorted(cells)
    matrix = np.array([cells[u] for u in units], dtype=float).reshape(len(units), len(indicator_ids))
    matrix.setflags(write=False)
    return units, matrix


def lies_within(*, area: Area, within: Area) -> bool:
    """Whether `within` is the country, or a gemeente or wijk above the area that contains it."""
    if within.level == AreaLevel.LAND:
        return area.level != AreaLevel.LAND
    return (LEVEL_ORDER[within.level] < LEVEL_ORDER[area.level] and within.level != AreaLevel.BUURT
            and area.code[2:].startswith(within.code[2:]))


def related_area_q(area: Area, prefix: str = "") -> Q:
    """Areas that lie within `area` or contain it, by CBS code (GM0599 > WK059901 > BU05990110);
    for the country, every area."""
    if area.level == AreaLevel.LAND:
        return Q()
    digits = area.code[2:]
    q = Q(**{f"{prefix}code": area.code})
    for level, length in (("GM", 4), ("WK", 6)):
        if len(digits) > length:
            q |= Q(**{f"{prefix}code": level + digits[:length]})
    for level in ("WK", "BU"):
        q |= Q(**{f"{prefix}code__startswith": level + digits})
    return q


def within_area_q(area: Area, prefix: str = "") -> Q:
    """The area itself and the areas within it (its wijken and buurten), by CBS code."""
    if area.level == AreaLevel.LAND:
        return Q()
    digits = area.code[2:]
    q = Q(**{f"{prefix}code": area.code})
    for level in ("WK", "BU"):
        q |= Q(**{f"{prefix}code__startswith": level + digits})
    return q


def _code_prefix(*, area: Area, within: Area) -> str:
    """Codes below a gemeente or wijk share its digits: within GM0363, buurten are BU0363...."""
    return area.code[:2] + within.code[2:]


def is_area_code(text: str) -> bool:
    return bool(AREA_CODE_RE.match(normalise_code(text)))


def areas_by_code(*, codes: list[str]) -> dict[str, Area]:
    return {a.code: a for a in Area.objects.filter(code__in=codes)}


def areas_of_level(*, level: str, code_prefix: str = "") -> list[str]:
    """Codes of all areas of a level, optionally only those whose code starts with a prefix."""
    qs = Area.objects.filter(level=level)
    if code_prefix:
        qs = qs.filter(code__startswith=code_prefix)
    return list(qs.order_by("code").values_list("code", flat=True))


def bordering_areas(*, areas: list[Area]) -> set[str]:
    """Codes of the areas of the same level that border any of ``areas`` (by their boundaries)."""
    from wijkinzicht.analysis.geometry import borders

    shapes = [_polygons(a.geometry) for a in areas if a.geometry]
    if not shapes or len({a.level for a in areas}) != 1:
        return set()
    box = bbox_of(shapes)
    pad = 0.01  # about a kilometre: candidates must lie near the treated areas at all
    own = {a.code for a in areas}
    found = set()
    candidates = Area.objects.filter(level=areas[0].level).exclude(geometry="").exclude(code__in=own)
    for code, geometry in candidates.values_list("code", "geometry").iterator(chunk_size=500):
        polys = _polygons(geometry)
        other = bbox_of([polys])
        if other is None or other.min_x > box.max_x + pad or other.max_x < box.min_x - pad or \
                other.min_y > box.max_y + pad or other.max_y < box.min_y - pad:
            continue
        if any(borders(shape, polys) for shape in shapes):
            found.add(code)
    return found


def indicator_series(*, codes: list[str], indicator_keys: list[str]) -> list[tuple[str, str, int, float]]:
    """(area code, indicator key, year, value) of every known figure of those areas -- through
    their code changes: a year the code itself has no figure for takes the figure of the same area
    under its other codes (1:1 links, `same_area_ids`), so a series does not stop at a re-coding."""
    ids = dict(Area.objects.filter(code__in=codes).values_list("pk", "code"))
    chains = same_area_ids(set(ids))
    members = {other for chain in chains.values() for other in chain}
    rows = Observation.objects.filter(
        area_id__in=members, indicator__key__in=indicator_keys, status=ObservationStatus.KNOWN
    ).values_list("area_id", "indicator__key", "year", "value")
    found: dict[int, list[tuple[str, int, float]]] = defaultdict(list)
    for area_id, key, year, value in rows.iterator(chunk_size=5000):
        found[area_id].append((key, int(year), float(value)))
    out = []
    for pk, code in ids.items():
        seen: set[tuple[str, int]] = set()
        for other in chains[pk]:  # its own code first: it wins
            for key, year, value in found.get(other, ()):
                if (key, year) not in seen:
                    seen.add((key, year))
                    out.append((code, key, year, value))
    return out


def same_area_groups(codes: list[str]) -> list[list[str]]:
    """The codes grouped by area: codes that are the same area under another code (1:1 links)
    share a group. An evaluation keeps one code per area, so no area is its own comparison."""
    ids = dict(Area.objects.filter(code__in=codes).values_list("code", "pk"))
    chains = same_area_ids(set(ids.values()))
    group_of: dict[int, int] = {}
    groups: list[list[str]] = []
    for code in codes:
        pk = ids.get(code)
        if pk is None:
            groups.append([code])
            continue
        known = next((group_of[m] for m in chains[pk] if m in group_of), None)
        if known is None:
            group_of[pk] = len(groups)
            groups.append([code])
        else:
            group_of[pk] = known
            groups[known].append(code)
    return groups


def data_stamp() -> tuple:
    """Id and time of the newest import: a cache key that changes whenever figures change (the
    time too, as an id can come back after a rolled-back import)."""
    return _data_version()


def data_version() -> int:
    """Id of the newest import: results computed before it may be out of date."""
    return ImportRun.objects.order_by("-id").values_list("id", flat=True).first() or 0


def latest_values(
    *, area_ids: list[int], indicator_keys: list[str], year: int
) -> dict[tuple[int, str], tuple[int, float]]:
    """Per (area id, indicator key) the most recent known value in or before year, with its year."""
    rows = (Observation.objects.filter(area_id__in=area_ids, indicator__key__in=indicator_keys,
                                       year__lte=year, value__isnull=False)
            .order_by("year").values_list("area_id", "indicator__key", "year", "value"))
    out: dict[tuple[int, str], tuple[int, float]] = {}
    for area_id, key, y, value in rows:
        out[(area_id, key)] = (y, value)
    return out


@dataclass(frozen=True)
class BuurtShape:
    code: str
    name: str
    polygons: list
    bbox: BBox


def buurt_shapes(*, gemeente_code: str) -> list[BuurtShape]:
    """The buurten of a gemeente's newest division that have a boundary, with their names: what
    the sociale kaart draws under its markers. Cached per data version."""
    return _buurt_shapes(gemeente_code, _data_version())


@lru_cache(maxsize=32)
def _buurt_shapes(gemeente_code: str, version: tuple) -> list[BuurtShape]:
    qs = Area.objects.filter(level=AreaLevel.BUURT, code__startswith="BU" + gemeente_code[2:])
    qs = newest_division(qs.exclude(geometry=""))
    out = []
    for code, name, geometry in qs.values_list("code", "name", "geometry"):
        polygons = _polygons(geometry)
        box = bbox_of([polygons])
        if box is not None:
            out.append(BuurtShape(code, name or code, polygons, box))
    return out


@dataclass
class Outline:
    """The buurt boundaries of a gemeente as one SVG path, with the projection that drew it."""

    projection: Projection
    path: str


def gemeente_outline(*, gemeente_code: str, width: int = 640) -> Outline | None:
    """Buurt boundaries of a gemeente projected to an SVG path; None without boundaries. Cached
    per data version, because the sociale kaart draws it on every search."""
    return _gemeente_outline(gemeente_code, width, _data_version())


@lru_cache(maxsize=32)
def _gemeente_outline(gemeente_code: str, width: int, version: tuple) -> Outline | None:
    buurten = Area.objects.filter(level=AreaLevel.BUURT, code__startswith="BU" + gemeente_code[2:])
    shapes = [_polygons(g) for g in buurten.exclude(geometry="").values_list("geometry", flat=True)]
    box = bbox_of(shapes)
    if box is None:
        return None
    projection = Projection(box, width=width)
    return Outline(projection, "".join(projection.path(s) for s in shapes))
