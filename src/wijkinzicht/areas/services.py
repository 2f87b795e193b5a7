"""Writes of the areas app: indicator catalogue sync, KWB import, boundary import."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .catalogue import INDICATORS
from .constants import (
    AREA_CODE_RE,
    LEVEL_ORDER,
    ImportStatus,
    ObservationStatus,
    level_of,
    normalise_code,
    parent_code_of,
    search_key,
)
from .importers import ParsedKwb, parse_kwb
from .models import Area, ImportRun, Indicator, Observation

CHUNK = 2000


def indicators_sync() -> dict[str, int]:
    """Create or update the Indicator rows from the catalogue; returns key -> id."""
    existing = {i.key: i for i in Indicator.objects.all()}
    for order, d in enumerate(INDICATORS):
        fields = dict(label_nl=d.label_nl, label_en=d.label_en, unit=d.unit, category=d.category,
                      direction=d.direction, decimals=d.decimals, source=d.source,
                      sort_order=order, is_key_figure=d.key_figure)
        ind = existing.get(d.key)
        if ind is None:
            existing[d.key] = Indicator.objects.create(key=d.key, **fields)
        elif any(getattr(ind, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(ind, k, v)
            ind.save()
    return {k: i.id for k, i in existing.items()}


@dataclass
class KwbReport:
    filename: str
    years: list[int]
    rows: int
    dry_run: bool
    areas_created: int = 0
    areas_updated: int = 0
    observations_created: int = 0
    observations_updated: int = 0
    observations_unchanged: int = 0
    secret_cells: int = 0
    duplicate_rows: int = 0
    not_attributable: int = 0  # rows of the pseudo-area "not attributable" (BU00000000), skipped
    columns: dict[str, str] = field(default_factory=dict)
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    not_published: list[str] = field(default_factory=list)
    import_run_id: int | None = None

    @property
    def changed(self) -> bool:
        return bool(self.areas_created or self.areas_updated or self.observations_created
                     or self.observations_updated)


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _existing_areas(codes: Iterable[str]) -> dict[str, Area]:
    found: dict[str, Area] = {}
    for chunk in _chunks(sorted(set(codes))):
        for area in Area.objects.filter(code__in=chunk).only(
            "id", "code", "name", "name_year", "first_year", "last_year", "parent_id", "level"
        ):
            found[area.code] = area
    return found


def _plan_areas(parsed: ParsedKwb, report: KwbReport) -> tuple[list[Area], list[Area], dict]:
    """Work out which areas to create (parents first) and update."""
    years: dict[str, list[int]] = {}
    names: dict[str, tuple[int, str]] = {}
    gem_names: dict[str, tuple[int, str]] = {}
    for (code, year), row in parsed.areas.items():
        years.setdefault(code, []).append(year)
        if row.name and (code not in names or year >= names[code][0]):
            names[code] = (year, row.name)
        if row.gemeente_name:
            gm = "GM" + code[2:6] if code[:2] in ("GM", "WK", "BU") else None
            if gm and (gm not in gem_names or year >= gem_names[gm][0]):
                gem_names[gm] = (year, row.gemeente_name)
    all_codes = set(years)
    for code in list(all_codes):
        parent = parent_code_of(code)
        while parent and parent not in all_codes:
            all_codes.add(parent)
            parent = parent_code_of(parent)
    existing = _existing_areas(all_codes)

    to_create: list[Area] = []
    to_update: list[Area] = []
    for code in sorted(all_codes, key=lambda c: (LEVEL_ORDER[level_of(c)], c)):
        ys = years.get(code)
        name_year, name = names.get(code) or gem_names.get(code) or (None, "")
        if code == "NL00" and not name:
            name_year, name = None, "Nederland"
        area = existing.get(code)
        if area is None:
            area = Area(code=code, level=level_of(code), name=name, name_year=name_year,
                        first_year=min(ys) if ys else None, last_year=max(ys) if ys else None)
            to_create.append(area)
            existing[code] = area
            continue
        dirty = False
        if name and name != area.name and (area.name_year is None or name_year is None
                                           or name_year >= area.name_year):
            area.name, area.name_year, dirty = name, name_year, True
        if ys:
            lo, hi = min(ys), max(ys)
            if area.first_year is None or lo < area.first_year:
                area.first_year, dirty = lo, True
            if area.last_year is None or hi > area.last_year:
                area.last_year, dirty = hi, True
        if dirty:
            to_update.append(area)
    report.areas_created = len(to_create)
    report.areas_updated = len(to_update)
    return to_create, to_update, existing


AREA_FIELDS = ("name", "name_year", "first_year", "last_year", "parent_id")


def _save_areas(to_create: list[Area], to_update: list[Area], areas: dict[str, Area],
                fields: tuple[str, ...] = AREA_FIELDS) -> None:
    """Create new areas parents first (so each gets its parent at once), then update others."""
    for level in sorted({LEVEL_ORDER[a.level] for a in to_create}):
        batch = [a for a in to_create if LEVEL_ORDER[a.level] == level]
        for area in batch:
            parent_code = parent_code_of(area.code)
            if parent_code and parent_code in areas:
                area.parent_id = areas[parent_code].pk
        Area.objects.bulk_create(batch, batch_size=CHUNK)
    # Existing areas that lack a parent get it now; one pass, keyed by code (no duplicates).
    pending = {a.code: a for a in to_update}
    for code, area in areas.items():
        parent_code = parent_code_of(code)
        if area.parent_id is None and parent_code in areas:
            area.parent_id = areas[parent_code].pk
            pending[code] = area
    to_update = list(pending.values())
    if not to_update:
        return
    # Raw executemany: Django's bulk_update builds a CASE per row and is slow for thousands.
    with connection.cursor() as cursor:
        assignments = ", ".join(f"{f} = %s" for f in fields)
        cursor.executemany(
            f"UPDATE {Area._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608 - names are ours
            [(*(getattr(a, f) for f in fields), a.pk) for a in to_update],
        )


def kwb_import(path: Path | str, *, year: int | None = None, dry_run: bool = False,
               data: bytes | None = None) -> KwbReport:
    """Import a KWB file whole or not at all; re-importing the same file changes nothing.

    Raises importers.ImportFailed (nothing written) when the file is malformed.
    """
    parsed = parse_kwb(path, year=year, data=data)
    report = KwbReport(filename=parsed.filename, years=parsed.years, rows=parsed.rows,
                       dry_run=dry_run, duplicate_rows=parsed.duplicate_rows,
                       not_attributable=parsed.not_attributable,
                       columns=parsed.columns, unknown_columns=parsed.unknown_columns,
                       ignored_columns=parsed.ignored_columns,
                       duplicate_columns=parsed.duplicate_columns,
                       not_published=[f"{k} {y}" for k, y in parsed.not_published])
    with transaction.atomic():
        indicator_ids = indicators_sync() if not dry_run else {
            i.key: i.id for i in Indicator.objects.all()}
        to_create, to_update, areas = _plan_areas(parsed, report)
        inserts, updates = _plan_observations(parsed, areas, indicator_ids, report)
        if dry_run or not report.changed:
            transaction.set_rollback(True)
            return report
        _save_areas(to_create, to_update, areas)
        run = ImportRun.objects.create(filename=parsed.filename, sha256=parsed.sha256,
                                       kind="kwb", status=ImportStatus.APPLIED, report={})
        report.import_run_id = run.id
        _write_observations(inserts, updates, areas, indicator_ids, run.id)
        run.report = asdict(report)
        run.save(update_fields=["report"])
        search_names_sync()
    return report


def _plan_observations(parsed, areas, indicator_ids, report):
    keys = sorted({k for _, _, k in parsed.values})
    years = parsed.years
    existing: dict[tuple[int, int, int], tuple[float | None, str]] = {}
    wanted_ids = [indicator_ids[k] for k in keys if k in indicator_ids]
    if any(a.pk for a in areas.values()):
        qs = Observation.objects.filter(indicator_id__in=wanted_ids, year__in=years).values_list(
            "area_id", "indicator_id", "year", "value", "status")
        for area_id, ind_id, yr, value, status in qs.iterator(chunk_size=20000):
            existing[(area_id, ind_id, yr)] = (value, status)
    inserts: list[tuple[str, str, int, float | None]] = []
    updates: list[tuple[str, str, int, float | None]] = []
    secret = 0
    for (code, yr, key), value in parsed.values.items():
        if value is None:
            secret += 1
        area_id = areas[code].pk
        current = existing.get((area_id, indicator_ids[key], yr)) if area_id else None
        if current is None:
            inserts.append((code, key, yr, value))
        elif current[0] != value:
            updates.append((code, key, yr, value))
        else:
            report.observations_unchanged += 1
    report.secret_cells = secret
    report.observations_created = len(inserts)
    report.observations_updated = len(updates)
    return inserts, updates


def _write_observations(inserts, updates, areas, indicator_ids, run_id: int) -> None:
    table = Observation._meta.db_table
    known, secret = ObservationStatus.KNOWN.value, ObservationStatus.SECRET.value

    def row(code, key, yr, value):
        return (areas[code].pk, indicator_ids[key], yr, value,
                secret if value is None else known, run_id)

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = (f"COPY {table} (area_id, indicator_id, year, value, status, source_run_id) "
                   "FROM STDIN")
            with cursor.cursor.copy(sql) as copy:
                for item in inserts:
                    copy.write_row(row(*item))
        else:
            sql = (f"INSERT INTO {table} (area_id, indicator_id, year, value, status, "  # noqa: S608
                   "source_run_id) VALUES (%s, %s, %s, %s, %s, %s)")
            for chunk in _chunks(inserts, 50000):
                cursor.executemany(sql, [row(*item) for item in chunk])
        if updates:
            sql = (f"UPDATE {table} SET value = %s, status = %s, source_run_id = %s "  # noqa: S608
                   "WHERE area_id = %s AND indicator_id = %s AND year = %s")
            cursor.executemany(sql, [
                (v, secret if v is None else known, run_id, areas[c].pk, indicator_ids[k], y)
                for c, k, y, v in updates])


@dataclass
class BoundaryReport:
    filename: str
    features: int
    dry_run: bool
    areas_created: int = 0
    boundaries_set: int = 0
    boundaries_unchanged: int = 0


def boundaries_import(path: Path | str, *, code_property: str, name_property: str | None = None,
                      dry_run: bool = False, data: bytes | None = None) -> BoundaryReport:
    """Set area boundaries from a GeoJSON FeatureCollection in WGS84, whole or not at all.

    Areas that do not exist yet are created (with their parents), named from name_property.
    Raises importers.ImportFailed naming the feature and property on any problem.
    """
    import hashlib
    import json

    from django.utils.translation import gettext as _

    from wijkinzicht.analysis.geometry import simplify_geometry

    from .constants import AREA_CODE_RE, normalise_code
    from .importers import ImportFailed, Issue

    path = Path(path)
    try:
        raw = path.read_bytes() if data is None else data
        doc = json.loads(raw.decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([Issue(None, None, _("The GeoJSON cannot be read: %(error)s")
                                  % {"error": exc})]) from exc
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise ImportFailed([Issue(None, None, _("Expected a GeoJSON FeatureCollection."))])
    issues: list[Issue] = []
    shapes: dict[str, tuple[str, str]] = {}
    for n, feature in enumerate(features, start=1):
        props = (feature or {}).get("properties") or {}
        if code_property not in props:
            issues.append(Issue(n, code_property, _("Feature %(n)d has no property “%(prop)s”.")
                                % {"n": n, "prop": code_property}))
            continue
        code = normalise_code(str(props[code_property] or ""))
        if not AREA_CODE_RE.match(code):
            issues.append(Issue(n, code_property, _("“%(value)s” is not a CBS area code.")
                                % {"value": props[code_property]}))
            continue
        try:
            geom = simplify_geometry(feature.get("geometry") or {})
        except (ValueError, TypeError, IndexError) as exc:
            issues.append(Issue(n, "geometry", str(exc)))
            continue
        name = str(props.get(name_property) or "").strip() if name_property else ""
        if code in shapes:
            # Several features for one code: merge their polygons.
            prev = json.loads(shapes[code][0])
            geom["coordinates"] = prev["coordinates"] + geom["coordinates"]
        shapes[code] = (json.dumps(geom, separators=(",", ":")), name or shapes.get(code, ("", ""))[1])
        if len(issues) >= 25:
            break
    if issues:
        raise ImportFailed(issues)
    report = BoundaryReport(filename=path.name, features=len(features), dry_run=dry_run)
    with transaction.atomic():
        all_codes = set(shapes)
        for code in list(shapes):
            parent = parent_code_of(code)
            while parent:
                all_codes.add(parent)
                parent = parent_code_of(parent)
        areas = _existing_areas(all_codes)
        new = []
        for code in sorted(all_codes - set(areas), key=lambda c: (LEVEL_ORDER[level_of(c)], c)):
            name = shapes.get(code, ("", ""))[1] or ("Nederland" if code == "NL00" else "")
            areas[code] = Area(code=code, level=level_of(code), name=name)
            new.append(areas[code])
        report.areas_created = len(new)
        current: dict[str, str] = {}
        for chunk in _chunks(sorted(shapes)):
            current.update(Area.objects.filter(code__in=chunk).values_list("code", "geometry"))
        changed = []
        for code, (geometry, _name) in shapes.items():
            area = areas[code]
            if current.get(code) == geometry:
                report.boundaries_unchanged += 1
                continue
            area.geometry = geometry
            changed.append(area)
        report.boundaries_set = len(changed)
        if dry_run or not (new or changed):
            transaction.set_rollback(True)
            return report
        _save_areas(new, [a for a in changed if a.pk], areas, (*AREA_FIELDS, "geometry"))
        ImportRun.objects.create(filename=path.name, sha256=hashlib.sha256(raw).hexdigest(),
                                 kind="boundaries", status=ImportStatus.APPLIED,
                                 report=asdict(report))
        search_names_sync()
    return report


def search_names_sync() -> int:
    """Bring every area's search key in line with its name (or code); returns how many changed.
    Called by each import that sets names (bulk writes do not pass through Area.save)."""
    changed = [(search_key(name or code), pk) for pk, code, name, current
               in Area.objects.values_list("pk", "code", "name", "search_name").iterator(chunk_size=CHUNK)
               if current != search_key(name or code)]
    if changed:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {Area._meta.db_table} SET search_name = %s WHERE id = %s",  # noqa: S608
                               changed)
    return len(changed)


@dataclass
class NamesReport:
    filename: str
    rows: int = 0
    names_set: int = 0
    unchanged: int = 0
    unknown_areas: int = 0  # codes without an area here: not created (a name is not a figure)
    dry_run: bool = False


NAME_YEAR_COLUMNS = ("name_from_year", "year", "jaar")


def _bad_name(name: str) -> bool:
    """A CBS name never holds control characters or markup, nor starts like a formula."""
    from wijkinzicht.core.exports import dangerous

    return any(ord(c) < 32 or c in "<>" for c in name) or dangerous(name)


def names_import(path: Path | str, *, dry_run: bool = False, data: bytes | None = None) -> NamesReport:
    """Names of areas from a CSV with the columns `code` and `name` and a year (`name_from_year`,
    `year` or `jaar`): the name of an existing area is set when the file's year is the same as or
    newer than the year its name came from. Whole or not at all; a problem names its row and column.
    The format (docs/areas.md) is that of data/cbs/areas/nl_gwb_name_lookup_2013_2025.csv and
    nl_gwb_names_2025.csv."""
    import hashlib

    from django.utils.translation import gettext as _

    from wijkinzicht.core.tabular import TableError, decode_bytes, read_csv_text

    from .importers import ImportFailed, Issue

    path = Path(path)
    raw = path.read_bytes() if data is None else data
    try:
        table = read_csv_text(decode_bytes(raw)[0], max_rows=1_000_000)
        header = [h.strip().lower() for h in table.header]
        missing = [c for c in ("code", "name") if c not in header]
        year_column = next((c for c in NAME_YEAR_COLUMNS if c in header), None)
        if missing or year_column is None:
            needed = missing + ([] if year_column else [" / ".join(NAME_YEAR_COLUMNS)])
            raise ImportFailed([Issue(1, None, _("The header lacks the column(s) %(columns)s.")
                                      % {"columns": ", ".join(needed)})])
        at = {c: header.index(c) for c in ("code", "name", year_column)}
        names: dict[str, tuple[int, str]] = {}
        issues: list[Issue] = []
        for line, cells in table.rows:
            code = normalise_code(cells[at["code"]])
            name = cells[at["name"]].strip()
            year_text = cells[at[year_column]].strip()
            if not AREA_CODE_RE.match(code):
                issues.append(Issue(line, "code", _("“%(value)s” is not a CBS area code.")
                                    % {"value": code[:20]}))
            elif not name:
                continue  # no name known for this code: nothing to set
            elif not year_text:
                names.setdefault(code, (0, name))  # a name without a year: any dated name wins
            elif not (year_text.isascii() and year_text.isdigit()) or not 1900 <= int(year_text) <= 2200:
                issues.append(Issue(line, year_column, _("“%(value)s” is not a year.")
                                    % {"value": year_text[:20]}))
            elif len(name) > 200:
                issues.append(Issue(line, "name", _("The name is longer than 200 characters.")))
            elif _bad_name(name):
                issues.append(Issue(line, "name", _(
                    "“%(value)s” is not a name: it holds control characters, markup or a spreadsheet "
                    "formula.") % {"value": name[:40]}))
            elif year_text and int(year_text) > timezone.now().year + 1:
                issues.append(Issue(line, year_column,
                                    _("%(year)s lies in the future.") % {"year": year_text}))
            elif code not in names or int(year_text) >= names[code][0]:
                names[code] = (int(year_text), name)
            if len(issues) >= 25:
                break
    except TableError as exc:
        raise ImportFailed([Issue(exc.row, exc.column, str(exc))]) from exc
    if issues:
        raise ImportFailed(issues)
    report = NamesReport(filename=path.name, rows=len(names), dry_run=dry_run)
    with transaction.atomic():
        existing: dict[str, Area] = {}
        for chunk in _chunks(sorted(names)):
            existing.update({a.code: a for a in Area.objects.filter(code__in=chunk)})
        report.unknown_areas = len(set(names) - set(existing))
        changed = []
        for code, area in existing.items():
            year, name = names[code]
            if area.name == name or (area.name and area.name_year is not None and area.name_year > year):
                report.unchanged += 1
                continue
            area.name, area.name_year = name, year or None
            changed.append(area)
        report.names_set = len(changed)
        if dry_run or not changed:
            transaction.set_rollback(True)
            return report
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {Area._meta.db_table} SET name = %s, name_year = %s WHERE id = %s",  # noqa: S608
                [(a.name, a.name_year, a.pk) for a in changed],
            )
        ImportRun.objects.create(filename=path.name, sha256=hashlib.sha256(raw).hexdigest(), kind="names",
                                 status=ImportStatus.APPLIED, report=asdict(report))
        search_names_sync()
    return report


@dataclass
class CrosswalkReport:
    filename: str
    rows: int = 0
    links_created: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    derived_links: int = 0  # of the parents (wijken, gemeenten) from their buurten
    duplicate_rows: int = 0  # the same link on more than one row: read once
    unknown_areas: list[str] = field(default_factory=list)  # codes without an area here: skipped
    dry_run: bool = False


def crosswalk_import(path: Path | str, *, from_column: str = "from_code", to_column: str = "to_code",
                     year: int | None = None, year_column: str = "year", share_column: str = "share",
                     dry_run: bool = False, data: bytes | None = None) -> CrosswalkReport:
    """Area lineage from a crosswalk CSV (docs/areas.md): one row per (predecessor, successor) with
    the first year of the new division and the share of the predecessor that passed (empty: the
    whole predecessor, allowed only when it has one successor in the file). Links between the
    parents follow from the buurten's (see `_derive_parent_links`). Whole file or nothing; every
    problem names its row and column. Re-importing changes nothing."""

    from django.utils.translation import gettext as _

    from wijkinzicht.core.tabular import TableError, decode_bytes, read_csv_text

    from .importers import ImportFailed, Issue

    path = Path(path)
    if year is not None and not 1900 <= year <= 2200:
        raise ImportFailed([Issue(None, "--year", _("“%(value)s” is not a year.") % {"value": year})])
    raw = path.read_bytes() if data is None else data
    issues: list[Issue] = []
    pairs: dict[tuple[str, str], tuple[int, float | None, int]] = {}
    duplicates = 0
    try:
        table = read_csv_text(decode_bytes(raw)[0], max_rows=1_000_000)
        header = [h.strip() for h in table.header]
        lower = [h.lower() for h in header]
        wanted = [from_column, to_column] + ([] if year is not None else [year_column])
        missing = [c for c in wanted if c.lower() not in lower]
        if missing:
            raise ImportFailed([Issue(1, None, _("The header lacks the column(s) %(columns)s.")
                                      % {"columns": ", ".join(missing)})])
        at = {c: lower.index(c.lower()) for c in wanted}
        share_at = lower.index(share_column.lower()) if share_column.lower() in lower else None
        for line, cells in table.rows:
            old, new = normalise_code(cells[at[from_column]]), normalise_code(cells[at[to_column]])
            for column, code in ((from_column, old), (to_column, new)):
                if not AREA_CODE_RE.match(code):
                    issues.append(Issue(line, column, _("“%(value)s” is not a CBS area code.")
                                        % {"value": code[:20]}))
            if issues and issues[-1].row == line:
                continue
            if level_of(old) != level_of(new) or old == new:
                issues.append(Issue(line, to_column, _("%(new)s cannot succeed %(old)s: same code or another "
                                                       "level.") % {"new": new, "old": old}))
                continue
            row_year = year
            if row_year is None:
                text = cells[at[year_column]].strip()
                if not (text.isascii() and text.isdigit()) or not 1900 <= int(text) <= 2200:
                    issues.append(Issue(line, year_column, _("“%(value)s” is not a year.")
                                        % {"value": text[:20]}))
                    continue
                row_year = int(text)
            share = None
            text = cells[share_at].strip().replace(",", ".") if share_at is not None else ""
            if text:
                try:
                    share = float(text)
                except ValueError:
                    share = -1.0
                if not 0 < share <= 1:
                    issues.append(Issue(line, share_column, _("The share must be more than 0 and at most 1, "
                                                              "not “%(value)s”.") % {"value": text[:20]}))
                    continue
            if (old, new) in pairs:
                first_year, first_share, first_line = pairs[(old, new)]
                if (first_year, first_share) == (row_year, share):
                    duplicates += 1  # the same link twice: counted, read once
                else:
                    issues.append(Issue(line, share_column if first_year == row_year else year_column, _(
                        "%(old)s → %(new)s is also on row %(row)d, with another year or share.")
                        % {"old": old, "new": new, "row": first_line}))
                continue
            pairs[(old, new)] = (row_year, share, line)
            if len(issues) >= 25:
                break
    except TableError as exc:
        raise ImportFailed([Issue(exc.row, exc.column, str(exc))]) from exc
    successors: dict[str, list[tuple[str, str]]] = {}
    for old, new in pairs:
        successors.setdefault(old, []).append((old, new))
    for old, links in successors.items():
        shares = [pairs[p][1] for p in links]
        if len(links) > 1 and any(s is None for s in shares):
            line = min(pairs[p][2] for p in links)
            issues.append(Issue(line, share_column, _("%(old)s has %(n)d successors: give the share of each.")
                                % {"old": old, "n": len(links)}))
        elif sum(s or 1.0 for s in shares) > 1 + 1e-6:
            line = min(pairs[p][2] for p in links)
            issues.append(Issue(line, share_column, _("The shares of %(old)s add up to more than 1.")
                                % {"old": old}))
    if issues:
        raise ImportFailed(issues[:25])
    report = CrosswalkReport(filename=path.name, rows=len(pairs), duplicate_rows=duplicates, dry_run=dry_run)
    with transaction.atomic():
        areas = _existing_areas({c for pair in pairs for c in pair})
        report.unknown_areas = sorted({c for pair in pairs for c in pair} - set(areas))
        wanted_links = {(areas[o].pk, areas[n].pk): (y, 1.0 if s is None else s)
                        for (o, n), (y, s, _line) in pairs.items() if o in areas and n in areas}
        _apply_links(wanted_links, path.name, report)
        report.derived_links = _derive_parent_links(wanted_links, f"{path.name} (buurten)", report)
        if dry_run:
            transaction.set_rollback(True)
            return report
        _record_link_run(path, raw, "crosswalk", report)
    return report


def _record_link_run(path: Path, raw: bytes, kind: str, report) -> None:
    """The ImportRun of a lineage import: applied when it created or changed a link."""
    import hashlib

    ImportRun.objects.create(filename=path.name, sha256=hashlib.sha256(raw).hexdigest(), kind=kind,
                             status=ImportStatus.APPLIED if report.links_created or report.links_updated
                             else ImportStatus.UNCHANGED, report=asdict(report))


def _apply_links(wanted: dict[tuple[int, int], tuple[int, float]], source: str,
                 report: CrosswalkReport, kinds: dict[tuple[int, int], str] | None = None) -> None:
    from .models import AreaLink

    current = {}
    for chunk in _chunks(sorted({o for o, _n in wanted})):
        current.update({(link.predecessor_id, link.successor_id): link
                        for link in AreaLink.objects.filter(predecessor_id__in=chunk)})
    new, changed = [], []
    for (old, succ), (year, share) in wanted.items():
        link = current.get((old, succ))
        kind = (kinds or {}).get((old, succ), "recode")
        if link is None:
            new.append(AreaLink(predecessor_id=old, successor_id=succ, year=year, share=share, source=source,
                                kind=kind))
        elif link.year != year or abs(link.share - share) > 1e-9 or link.kind != kind:
            link.year, link.share, link.source, link.kind = year, share, source, kind
            changed.append(link)
        else:
            report.links_unchanged += 1
    AreaLink.objects.bulk_create(new, batch_size=CHUNK)
    AreaLink.objects.bulk_update(changed, ["year", "share", "source", "kind"], batch_size=CHUNK)
    report.links_created += len(new)
    report.links_updated += len(changed)


def _derive_parent_links(links: dict[tuple[int, int], tuple[int, float]], source: str,
                         report: CrosswalkReport) -> int:
    """Links of the parents from the links of their children, level by level (buurten -> wijken
    -> gemeenten): the share of an old parent that went to a new parent is the inhabitants of its
    linked children that went there (their last year with a population before the change; each
    child counts 1 where none is known) over the inhabitants of all its linked children. Parents
    with the same code are the same area: no link."""
    total = 0
    while links:
        ids = {i for pair in links for i in pair}
        parent_of = dict(Area.objects.filter(pk__in=ids).values_list("pk", "parent_id"))
        year_of = {pair: y for pair, (y, _s) in links.items()}
        first_year = min(year_of.values())
        weights = _population_before({o for o, _n in links}, first_year)
        flows: dict[tuple[int, int], float] = {}
        outflow: dict[int, float] = {}
        years: dict[tuple[int, int], int] = {}
        for (old, new), (year, share) in links.items():
            po, pn = parent_of.get(old), parent_of.get(new)
            if po is None or pn is None:
                continue
            w = weights.get(old, 1.0) * share
            outflow[po] = outflow.get(po, 0.0) + w
            if po != pn:
                flows[(po, pn)] = flows.get((po, pn), 0.0) + w
                years[(po, pn)] = min(years.get((po, pn), year), year)
        parent_links = {pair: (years[pair], min(1.0, flow / outflow[pair[0]]))
                        for pair, flow in flows.items() if outflow.get(pair[0])}
        parent_links = {pair: v for pair, v in parent_links.items() if v[1] > 0}
        if not parent_links:
            break
        _apply_links(parent_links, source, report)
        total += len(parent_links)
        links = parent_links
    return total


def _population_before(area_ids: set[int], year: int) -> dict[int, float]:
    """Inhabitants of each area in its newest year before `year` that has them."""
    out: dict[int, tuple[int, float]] = {}
    rows = Observation.objects.filter(area_id__in=area_ids, indicator__key="population", year__lt=year,
                                      value__isnull=False).values_list("area_id", "year", "value")
    for area_id, yr, value in rows:
        if area_id not in out or yr > out[area_id][0]:
            out[area_id] = (yr, value)
    return {a: v for a, (_y, v) in out.items() if v > 0}


@dataclass
class MergersReport:
    filename: str
    rows: int = 0
    dissolved: int = 0  # gemeenten that ended in the years the figures cover
    links_created: int = 0
    links_updated: int = 0
    links_unchanged: int = 0
    linked: list[str] = field(default_factory=list)  # "GM0007 Bellingwedde -> GM1950 Westerwolde"
    not_linked: list[str] = field(default_factory=list)  # "GM0005 Bedum: <reason>"
    dry_run: bool = False


LIFECYCLE_COLUMNS = ("gemeentecode_gm", "gemeentenaam", "begindatum", "einddatum")
LIFECYCLE_MAX_BYTES = 2_000_000
LIFECYCLE_MAX_ROWS = 5_000
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def mergers_import(path: Path | str, *, dry_run: bool = False, data: bytes | None = None) -> MergersReport:
    """Lineage links for gemeente mergers from CBS's gemeente lifecycle (the columns of
    data/cbs/areas/nl_gemeenten_lifecycle_nlextract.csv, docs/areas.md), decided by the wijk and
    buurt names and the dwellings already imported (`analysis.mergers`, decision 0017). Only
    gemeenten that ended in or after the first year with figures are considered. Whole file or
    nothing; re-importing changes nothing."""
    import datetime as dt

    from django.utils.translation import gettext as _

    from wijkinzicht.analysis.mergers import Gemeente, find_mergers
    from wijkinzicht.core.tabular import TableError, decode_bytes, read_csv_text

    from .importers import ImportFailed, Issue

    path = Path(path)
    if data is None:
        with open(path, "rb") as f:
            raw = f.read(LIFECYCLE_MAX_BYTES + 1)  # never more than that in memory (/dev/zero)
    else:
        raw = data
    if len(raw) > LIFECYCLE_MAX_BYTES:
        raise ImportFailed([Issue(None, None, _(
            "The file is larger than %(mb)s MB; CBS's gemeente lifecycle is about 45 kB.")
            % {"mb": LIFECYCLE_MAX_BYTES // 1_000_000})])
    gemeenten: list[Gemeente] = []
    issues: list[Issue] = []
    seen_rows: dict[tuple[str, str], int] = {}
    try:
        table = read_csv_text(decode_bytes(raw)[0], max_rows=None)
        rows = list(table.rows)  # at most 2 MB of text
        if len(rows) > LIFECYCLE_MAX_ROWS:
            raise ImportFailed([Issue(None, None, _(
                "The file has %(n)s rows; a gemeente lifecycle has at most %(max)s (CBS's, since 1990, has "
                "fewer than 1,000).") % {"n": len(rows), "max": LIFECYCLE_MAX_ROWS})])
        header = [h.strip().lower() for h in table.header]
        missing = [c for c in LIFECYCLE_COLUMNS if c not in header]
        if missing:
            raise ImportFailed([Issue(1, None, _("The header lacks the column(s) %(columns)s.")
                                      % {"columns": ", ".join(missing)})])
        at = {c: header.index(c) for c in LIFECYCLE_COLUMNS}
        for line, cells in rows:
            code = normalise_code(cells[at["gemeentecode_gm"]])
            if not AREA_CODE_RE.match(code) or not code.startswith("GM"):
                issues.append(Issue(line, "gemeentecode_gm", _("“%(value)s” is not a gemeente code.")
                                    % {"value": code[:20]}))
                continue
            dates = []
            for column in ("begindatum", "einddatum"):
                text = cells[at[column]].strip()
                try:
                    if text and not ISO_DATE.match(text):
                        raise ValueError(text)
                    dates.append(dt.date.fromisoformat(text) if text else None)
                except ValueError:
                    issues.append(Issue(line, column, _("“%(value)s” is not a date (YYYY-MM-DD).")
                                        % {"value": text[:20]}))
            key = (code, cells[at["begindatum"]].strip())
            if key in seen_rows:
                issues.append(Issue(line, "gemeentecode_gm", _(
                    "%(code)s with this begin date is also on row %(row)d.")
                    % {"code": code, "row": seen_rows[key]}))
                continue
            seen_rows[key] = line
            if len(dates) < 2:
                continue
            if dates[0] is None:
                issues.append(Issue(line, "begindatum", _("The begin date is missing.")))
            elif dates[1] is not None and dates[1] <= dates[0]:
                issues.append(Issue(line, "einddatum", _("The end date does not come after the begin date.")))
            else:
                name = cells[at["gemeentenaam"]].strip()[:200]
                gemeenten.append(Gemeente(code, name, dates[0], dates[1]))
            if len(issues) >= 25:
                break
    except TableError as exc:
        raise ImportFailed([Issue(exc.row, exc.column, str(exc))]) from exc
    if issues:
        raise ImportFailed(issues)
    first = Observation.objects.filter(area__level="gemeente").order_by("year").values_list(
        "year", flat=True).first()
    report = MergersReport(filename=path.name, rows=len(gemeenten), dry_run=dry_run)
    if first is None:
        raise ImportFailed([Issue(None, None, _(
            "No figures of gemeenten have been imported yet, so nothing can be decided: import the KWB "
            "figures (with dwellings) and the names first (docs/areas.md)."))])
    names: dict[str, list[str]] = {}
    rows = Area.objects.filter(level__in=("wijk", "buurt")).exclude(name="").values_list("code", "name")
    for code, name in rows.iterator(chunk_size=5000):
        names.setdefault("GM" + code[2:6], []).append(name)
    dwellings = {(code, year): value for code, year, value in Observation.objects.filter(
        area__level="gemeente", indicator__key="dwellings", value__isnull=False,
    ).values_list("area__code", "year", "value")}
    findings = find_mergers(gemeenten, names, dwellings, first_year=first + 1)
    report.dissolved = len(findings)
    areas = _existing_areas({c for f in findings for c in (f.predecessor.code,
                                                            f.successor.code if f.successor else "")} - {""})
    reasons = {
        "mid_year": _("ended during a year (the figures follow the division of 1 January)"),
        "no_candidate": _("no gemeente began on the day it ended (taken in by a gemeente that kept its "
                          "code)"),
        "no_names": _("no wijk or buurt names imported for it"),
        "weak_names": _("the place names do not point at one new gemeente"),
        "no_dwellings": _("no dwellings for it or its successor in the years around the change"),
        "dwellings_differ": _("the dwellings do not add up (%(diff)s): part went elsewhere or a predecessor "
                              "is missing"),
    }
    wanted: dict[tuple[int, int], tuple[int, float]] = {}
    kinds: dict[tuple[int, int], str] = {}
    for f in findings:
        p = f.predecessor
        if f.linked and p.code in areas and f.successor.code in areas:
            pair = (areas[p.code].pk, areas[f.successor.code].pk)
            wanted[pair] = (f.year, 1.0)
            kinds[pair] = "absorbed" if f.absorbed else "recode"
            how = " " + _("(taken in; it kept its code)") if f.absorbed else ""
            report.linked.append(f"{p.code} {p.name} -> {f.successor.code} {f.successor.name} "
                                 f"({f.year}){how}")
        else:
            why = _("not among the imported areas") if f.linked else reasons[f.reason]
            if f.reason == "dwellings_differ":
                why = why % {"diff": f"{100 * (f.dwellings_difference or 0):+.1f}%"}
            report.not_linked.append(f"{p.code} {p.name} ({f.year}): {why}")
    with transaction.atomic():
        _apply_links(wanted, f"{path.name} (place names, dwellings)", report, kinds)
        if dry_run:
            transaction.set_rollback(True)
            return report
        _record_link_run(path, raw, "mergers", report)
    return report
