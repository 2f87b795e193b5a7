"""The table builder: areas x indicators x years, as StatLine builds it (issue 14).

A read of public CBS figures like the rest of the areas app (no tenancy filter). The figures of an
area run on through its 1:1 re-codings (`selectors.same_area_ids`), as on its profile; every row
that took figures from another code says which one, so an export never passes a carried figure
off as the area's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .constants import LEVEL_ORDER, ObservationStatus
from .models import Area, Indicator, Observation
from .selectors import Cell, newest_division, same_area_ids

MAX_AREAS = 1000
MAX_CELLS = 250_000  # areas x indicators x years asked for, before anything is read
SECRET = "."  # noqa: S105 -- CBS's own sign for "unknown or secret", never a zero

_SPLIT = re.compile(r"[\n;,\t]+")


class TableRequestError(ValueError):
    """A request the builder refuses, with the form field it is about."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def split_tokens(text: str) -> list[str]:
    """The areas typed in the form: one per line, or separated by commas or semicolons."""
    return [t.strip() for t in _SPLIT.split(text or "") if t.strip()]


def parts_of(area: Area, level: str) -> list[Area]:
    """The wijken or buurten of the newest division within an area (a gemeente's wijken, a
    gemeente's or a wijk's buurten, the country's gemeenten)."""
    if LEVEL_ORDER[level] <= LEVEL_ORDER[area.level]:
        raise TableRequestError("parts_level", _("%(area)s has no parts of that level.") % {
            "area": area.display_name})
    prefix = {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}[level]
    qs = Area.objects.filter(level=level)
    if area.level != "land":
        qs = qs.filter(code__startswith=prefix + area.code[2:])
    elif level == "gemeente":
        qs = qs.filter(children__isnull=False).distinct()  # gemeenten with wijken: not the dissolved
    areas = list(newest_division(qs).select_related("parent").order_by("code"))
    if len(areas) > MAX_AREAS:
        raise TableRequestError("parts_of", _(
            "%(area)s has %(n)s parts of that level; at most %(max)s fit in one table.") % {
            "area": area.display_name, "n": len(areas), "max": MAX_AREAS})
    return areas


@dataclass
class TableRow:
    area: Area
    year: int
    cells: list[Cell | None]
    via: str = ""  # the other code(s) this row's figures come from (a re-coding), "" if its own


@dataclass
class AreaTable:
    areas: list[Area]
    indicators: list[Indicator]
    years: list[int]
    rows: list[TableRow] = field(default_factory=list)

    @property
    def carried(self) -> bool:
        return any(r.via for r in self.rows)

    @property
    def indicator_labels(self) -> list[str]:
        return [column_label(i) for i in self.indicators]

    def header(self) -> list[str]:
        return [_("Code"), _("Name"), _("Level"), _("Gemeente"), _("Year"),
                *[column_label(i) for i in self.indicators], _("Figures of code")]

    def export_rows(self):
        """Header and rows for CSV/XLSX: numbers as numbers, CBS's "." for secret, empty for a
        figure not published, and the code a carried row's figures come from."""
        yield self.header()
        for row in self.rows:
            gemeente = _gemeente_name(row.area)
            yield [row.area.code, row.area.display_name, row.area.get_level_display(), gemeente, row.year,
                   *[(None if c is None else (c.value if c.known else SECRET)) for c in row.cells],
                   row.via]


def column_label(indicator: Indicator) -> str:
    """The label with its unit, unless the label already says it ("... per 1 000 inwoners")."""
    if not indicator.unit or indicator.label.lower().endswith(indicator.unit.lower()):
        return indicator.label
    return f"{indicator.label} ({indicator.unit})"


def _gemeente_name(area: Area) -> str:
    if area.level == "gemeente":
        return area.display_name
    if area.level == "wijk":
        return area.parent.display_name if area.parent else ""
    if area.level == "buurt" and area.parent is not None:
        wijk = area.parent
        return wijk.parent.display_name if wijk.parent_id and wijk.parent else ""
    return ""


def table_years() -> list[int]:
    return sorted(Observation.objects.values_list("year", flat=True).distinct())


def area_table(*, areas: list[Area], indicators: list[Indicator], years: list[int]) -> AreaTable:
    """One row per area and year with any figure, one column per indicator. A year the area's code
    has no figure for takes the figure of the same area under its code before or after a 1:1
    re-coding, and the row says so (`via`)."""
    if not areas:
        raise TableRequestError("areas", _("Choose at least one area."))
    if not indicators:
        raise TableRequestError("indicators", _("Choose at least one indicator."))
    if not years:
        raise TableRequestError("year_from", _("No figures in the chosen years."))
    asked = len(areas) * len(indicators) * len(years)
    if asked > MAX_CELLS:
        raise TableRequestError("indicators", _(
            "%(areas)s areas × %(indicators)s indicators × %(years)s years is %(cells)s cells; at most "
            "%(max)s fit in one table. Choose fewer areas, indicators or years.") % {
            "areas": len(areas), "indicators": len(indicators), "years": len(years),
            "cells": f"{asked:,}".replace(",", "."), "max": f"{MAX_CELLS:,}".replace(",", ".")})
    chains = same_area_ids({a.pk for a in areas})
    members = {m for chain in chains.values() for m in chain}
    column = {ind.pk: k for k, ind in enumerate(indicators)}
    data: dict[tuple[int, int], list[Cell | None]] = {}
    rows = Observation.objects.filter(area_id__in=members, indicator_id__in=list(column), year__in=years)
    rows = rows.values_list("area_id", "indicator_id", "year", "value", "status")
    for area_id, ind_id, year, value, status in rows.iterator(chunk_size=5000):
        data.setdefault((area_id, year), [None] * len(indicators))[column[ind_id]] = Cell(
            value, status == ObservationStatus.SECRET)
    codes = dict(Area.objects.filter(pk__in=members).values_list("pk", "code"))
    table = AreaTable(areas, indicators, years)
    for area in areas:
        for year in years:
            cells: list[Cell | None] = [None] * len(indicators)
            via: set[str] = set()
            for member in chains[area.pk]:  # its own code first: it wins
                found = data.get((member, year))
                if not found:
                    continue
                for k, c in enumerate(found):
                    if cells[k] is None and c is not None:
                        cells[k] = c if member == area.pk else Cell(c.value, c.secret, codes[member])
                        if member != area.pk:
                            via.add(codes[member])
            if any(c is not None for c in cells):
                table.rows.append(TableRow(area, year, cells, ", ".join(sorted(via))))
    return table
