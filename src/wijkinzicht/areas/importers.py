"""Parsing CBS Kerncijfers wijken en buurten (KWB) files into observations, without the database.

Accepted: CSV/TXT (comma, semicolon or tab; decimal point or comma; UTF-8 with or without BOM,
or CP1252), XLSX, and CBS OData JSON ({"value": [...]}) in three header styles (StatLine labels,
OData keys, re-publishers' names; see catalogue.py). A file is read whole before anything is
written; any error stops the import with a message naming row and column.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wijkinzicht.core.tabular import Table, TableError, read_table

from .catalogue import (
    CODE_COLUMNS,
    COLUMN_INDEX,
    GEMEENTE_NAME_COLUMNS,
    IGNORED_COLUMNS,
    INDICATOR_BY_KEY,
    NAME_COLUMNS,
    YEAR_COLUMNS,
    normalise_column,
    plausible_range,
)
from .constants import AREA_CODE_RE, normalise_code

MAX_ERRORS = 25
SECRET_MARKERS = frozenset({"", ".", "x", "-", "?"})  # CBS: "." unknown/secret; "x" secret
_YEAR_RE = re.compile(r"^\s*(\d{4})")


@dataclass(frozen=True)
class Issue:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return (", ".join(where) + ": " if where else "") + self.message


class ImportFailed(Exception):
    """The file was not imported; `issues` says where and why. Nothing was written."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(str(i) for i in issues[:3]))


@dataclass
class AreaRow:
    code: str
    year: int
    name: str
    gemeente_name: str
    row: int


@dataclass
class ParsedKwb:
    """What a KWB file says: areas per year and (code, year, key) -> value (None = secret)."""

    filename: str
    sha256: str
    areas: dict[tuple[str, int], AreaRow] = field(default_factory=dict)
    values: dict[tuple[str, int, str], float | None] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # file column -> indicator key
    unknown_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    duplicate_columns: list[str] = field(default_factory=list)
    not_published: list[tuple[str, int]] = field(default_factory=list)  # (key, year) all empty
    duplicate_rows: int = 0
    not_attributable: int = 0  # rows of CBS's pseudo-area "not attributable" (BU00000000), skipped
    rows: int = 0

    @property
    def years(self) -> list[int]:
        return sorted({y for _, y in self.areas})


def parse_number(text) -> float | None:
    """A CBS cell as float; None for unknown/secret. Raises ValueError for text that is no number.

    Accepts 12.5, 12,5 (decimal comma), 1.234,5 (thousands dot + decimal comma), numbers from
    XLSX cells; rejects nan/inf and Python-only forms such as 1_000.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, int | float):
        value = float(text)
    else:
        s = text.strip()
        if s in SECRET_MARKERS:
            return None
        if "_" in s:
            raise ValueError(text)
        if "," in s:
            if "." in s:
                if s.rfind(",") < s.rfind("."):
                    raise ValueError(text)
                s = s.replace(".", "")
            s = s.replace(",", ".")
        s = s.replace("\u00a0", "").replace(" ", "")
        value = float(s)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_year(value) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and 1800 <= value <= 2200 else None
    m = _YEAR_RE.match(str(value))
    if not m:
        return None
    rest = str(value).strip()[4:]
    if rest and not re.fullmatch(r"(JJ00|\.0+|-\d{2}-\d{2}.*)", rest):
        return None
    return int(m.group(1))


def _odata_table(data: bytes) -> Table:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TableError(_("The JSON cannot be read: %(error)s") % {"error": exc}) from exc
    records = doc.get("value") if isinstance(doc, dict) else doc
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TableError(_('Expected CBS OData JSON: an object with a "value" list of records.'))
    header: list[str] = []
    for rec in records:
        for k in rec:
            if k not in header:
                header.append(k)

    def rows() -> Iterator[tuple[int, list]]:
        for i, rec in enumerate(records, start=1):
            yield i, [rec.get(h) for h in header]

    return Table(header=header, rows=rows(), encoding="json")


def _pick(normalised: list[str], candidates: tuple[str, ...]) -> int | None:
    for cand in candidates:
        if cand in normalised:
            return normalised.index(cand)
    return None


def parse_kwb(path: Path | str, *, year: int | None = None, data: bytes | None = None) -> ParsedKwb:
    """Read a KWB file completely; raise ImportFailed naming row and column on any problem in it
    (and OSError when the file cannot be opened)."""
    path = Path(path)
    if data is None:
        data = path.read_bytes()  # an unreadable file: OSError, said in words by the command
    parsed = ParsedKwb(filename=path.name, sha256=hashlib.sha256(data).hexdigest())
    try:
        if path.suffix.lower() == ".json" or data.lstrip()[:1] in (b"{", b"["):
            table = _odata_table(data)
        else:
            # CBS files loaded by an administrator's command, not uploads: no row limit (the national
            # KWB files have more than 200,000 rows; WIJKINZICHT_IMPORT_MAX_ROWS is for uploads)
            table = read_table(path, data, max_rows=sys.maxsize)
        _parse_table(table, parsed, year)
    except TableError as exc:
        raise ImportFailed([Issue(exc.row, exc.column, str(exc))]) from exc
    return parsed


def _parse_table(table: Table, parsed: ParsedKwb, year_arg: int | None) -> None:
    header = table.header
    norm = [normalise_column(h) for h in header]
    issues: list[Issue] = []

    code_idx = _pick(norm, CODE_COLUMNS)
    if code_idx is None:
        raise ImportFailed([Issue(1, None, _(
            "No column with area codes (such as Codering, code, region_code or WijkenEnBuurten)."))])
    year_idx = _pick(norm, YEAR_COLUMNS)
    if year_idx is None and year_arg is None:
        raise ImportFailed([Issue(1, None, _(
            "No year: the file has no jaar, year or periode column; give --year."))])
    name_idx = _pick(norm, NAME_COLUMNS)
    gem_idx = _pick(norm, GEMEENTE_NAME_COLUMNS)

    value_cols: list[tuple[int, str]] = []
    seen_keys: dict[str, str] = {}
    meta = {code_idx, year_idx, name_idx, gem_idx}
    for i, (raw, n) in enumerate(zip(header, norm, strict=True)):
        if i in meta:
            continue
        key = COLUMN_INDEX.get(n)
        if key is None:
            if n in IGNORED_COLUMNS or n in CODE_COLUMNS or n in NAME_COLUMNS:
                parsed.ignored_columns.append(raw)
            else:
                parsed.unknown_columns.append(raw)
        elif key in seen_keys:
            parsed.duplicate_columns.append(raw)
        else:
            seen_keys[key] = raw
            value_cols.append((i, key))
            parsed.columns[raw] = key

    code_col_name = header[code_idx]
    # A name column whose values are codes (OData "WijkenEnBuurten") is not a name column.
    name_is_code = False
    known_counts: dict[tuple[str, int], int] = {}
    seen_key_years: set[tuple[str, int]] = set()
    values = parsed.values
    areas = parsed.areas
    for line, cells in table.rows:
        parsed.rows += 1
        raw_code = cells[code_idx]
        code = normalise_code("" if raw_code is None else str(raw_code))
        if not AREA_CODE_RE.match(code):
            issues.append(Issue(line, code_col_name, _(
                "“%(value)s” is not a CBS area code (NL00, GM0363, WK036305, BU03630500).")
                % {"value": "" if raw_code is None else str(raw_code).strip()}))
            if len(issues) >= MAX_ERRORS:
                break
            continue
        if code != "NL00" and not code[2:].strip("0"):
            # BU00000000 / WK000000 / GM0000: CBS's and the police's "not attributable to an area"
            # (e.g. crimes without a place), not an area; counted, never created as one
            parsed.not_attributable += 1
            continue
        if year_idx is not None:
            year = parse_year(cells[year_idx])
            if year is None:
                issues.append(Issue(line, header[year_idx], _("“%(value)s” is not a year.")
                                    % {"value": cells[year_idx] or ""}))
                continue
            if year_arg is not None and year != year_arg:
                issues.append(Issue(line, header[year_idx], _(
                    "The row says %(row_year)d but --year says %(arg_year)d.")
                    % {"row_year": year, "arg_year": year_arg}))
                continue
        else:
            year = year_arg
        name = ""
        if name_idx is not None and cells[name_idx] is not None:
            name = str(cells[name_idx]).strip()
            if name_is_code or (AREA_CODE_RE.match(normalise_code(name)) and name.upper() == code):
                name_is_code = True
                name = ""
        gem_name = str(cells[gem_idx]).strip() if gem_idx is not None and cells[gem_idx] else ""

        row_values: dict[str, float | None] = {}
        for i, key in value_cols:
            try:
                value = parse_number(cells[i])
            except (ValueError, TypeError):
                issues.append(Issue(line, header[i], _("“%(value)s” is not a number.")
                                    % {"value": cells[i]}))
                continue
            indicator = INDICATOR_BY_KEY[key]
            lo, hi = plausible_range(indicator)
            if value is not None and not lo <= value <= hi:
                issues.append(Issue(line, header[i], _(
                    "%(value)s is outside the plausible range of this column (%(lo)s to %(hi)s %(unit)s)."
                ) % {"value": cells[i], "lo": number_format(lo, force_grouping=True),
                     "hi": number_format(hi, force_grouping=True), "unit": indicator.unit}))
                continue
            row_values[key] = value
        if len(issues) >= MAX_ERRORS:
            break

        area_key = (code, year)
        previous = areas.get(area_key)
        if previous is not None:
            conflicts = [k for k, v in row_values.items() if values.get((code, year, k), v) != v]
            if conflicts:
                col = next(c for c, k in parsed.columns.items() if k == conflicts[0])
                issues.append(Issue(line, col, _(
                    "%(code)s %(year)d occurs again (first in row %(first)d) with a different "
                    "value.") % {"code": code, "year": year, "first": previous.row}))
            else:
                parsed.duplicate_rows += 1
            continue
        areas[area_key] = AreaRow(code, year, name, gem_name, line)
        for key, value in row_values.items():
            values[(code, year, key)] = value
            seen_key_years.add((key, year))
            if value is not None:
                known_counts[(key, year)] = known_counts.get((key, year), 0) + 1
    if issues:
        raise ImportFailed(issues)
    if not areas:
        raise ImportFailed([Issue(None, None, _("The file has no data rows."))])

    # A column that is empty for every area of a year was not published that year (the long
    # per-region tables have a column for every measure in every year): drop, do not store
    # thousands of "secret" cells.
    empty = {ky for ky in seen_key_years if ky not in known_counts}
    if empty:
        parsed.not_published = sorted(empty)
        for k in [k for k in values if (k[2], k[1]) in empty]:
            del values[k]
