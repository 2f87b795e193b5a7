"""Importing signals from a file (CSV, XLSX) or a JSON list, with the same rules and the same
personal-data check as the form. The whole batch is read and checked first; one error anywhere and
nothing is saved, and every error names its row and field."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from wijkinzicht.activities.constants import TargetGroup
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.core.tabular import TableError, read_table

from . import services
from .constants import IMPORT_MAX_ROWS, Novelty, Urgency
from .models import Theme

# column names (Dutch first, English accepted) -> field
COLUMNS = {
    "datum": "observed_on",
    "date": "observed_on",
    "observed_on": "observed_on",
    "observedon": "observed_on",
    "gebied": "area",
    "area": "area",
    "buurt": "area",
    "wijk": "area",
    "tekst": "text",
    "text": "text",
    "signaal": "text",
    "themas": "themes",
    "thema's": "themes",
    "thema": "themes",
    "themes": "themes",
    "theme": "themes",
    "hoofdthema": "main_theme",
    "main_theme": "main_theme",
    "maintheme": "main_theme",
    "doelgroep": "target_group",
    "target_group": "target_group",
    "targetgroup": "target_group",
    "urgentie": "urgency",
    "urgency": "urgency",
    "nieuw_of_aanhoudend": "novelty",
    "nieuw of aanhoudend": "novelty",
    "novelty": "novelty",
}
REQUIRED = ("observed_on", "area", "text", "themes")
FIELD_NAMES = {
    "observed_on": "datum",
    "area": "gebied",
    "text": "tekst",
    "themes": "themas",
    "main_theme": "hoofdthema",
    "target_group": "doelgroep",
    "urgency": "urgentie",
    "novelty": "nieuw_of_aanhoudend",
}


class SignalImportError(ValueError):
    def __init__(self, errors: list[tuple[int | None, str, str]]):
        super().__init__("; ".join(f"{row}: {column}: {message}" for row, column, message in errors[:5]))
        self.errors = errors


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("'%(value)s' is not a date (use YYYY-MM-DD)") % {"value": text[:30]})


def _themes_by_name() -> dict[str, Theme]:
    out = {}
    for theme in Theme.objects.all():
        for name in (theme.key, theme.name, theme.name_en):
            if name:
                out[name.strip().lower()] = theme
    return out


def _choice(value, choices, default):
    text = str(value or "").strip().lower()
    if not text:
        return default
    for key, label in choices:
        if text in (str(key).lower(), str(label).lower()):
            return key
    raise ValueError(
        _("'%(value)s' is not one of: %(options)s")
        % {"value": text[:30], "options": ", ".join(str(k) for k, _label in choices)}
    )


def parse_rows(rows: list[tuple[int, dict]], organisation) -> tuple[list, list]:
    """SignalInputs for rows of {field: value}, and every error (row, column, message): all the
    problems of a row at once, so that the file is mended in one go."""
    themes = _themes_by_name()
    keys = ", ".join(sorted({t.key for t in themes.values() if t.is_active}))
    inputs, errors = [], []
    area_cache: dict[str, object] = {}
    for line, row in rows:
        problems: list[tuple[str, str]] = []
        for name in REQUIRED:
            if not str(row.get(name) or "").strip():
                problems.append((name, _("empty")))
        observed_on = area = main = None
        if str(row.get("observed_on") or "").strip():
            try:
                observed_on = _date(row["observed_on"])
            except ValueError as exc:
                problems.append(("observed_on", str(exc)))
        token = str(row.get("area") or "").strip()[:100]
        if token:
            if token not in area_cache:
                (found,), reasons = area_selectors.resolve_each([token])
                area_cache[token] = (
                    found if found is not None else (reasons[0] if reasons else _("unknown area"))
                )
            area = area_cache[token]
            if isinstance(area, str):
                problems.append(("area", area))
                area = None
        chosen = []
        for part in str(row.get("themes") or "").replace(",", "|").split("|"):
            part = part.strip().lower()
            if not part:
                continue
            if part not in themes:
                problems.append(
                    (
                        "themes",
                        _("unknown theme '%(theme)s' (the keys: %(keys)s)")
                        % {"theme": part[:40], "keys": keys},
                    )
                )
            else:
                chosen.append(themes[part])
        if str(row.get("main_theme") or "").strip():
            main = themes.get(str(row["main_theme"]).strip().lower())
            if main is None:
                problems.append(("main_theme", _("unknown theme")))
        choice = {}
        for name, options, default in (
            ("target_group", TargetGroup.choices, TargetGroup.EVERYONE),
            ("urgency", Urgency.choices, Urgency.NORMAL),
            ("novelty", Novelty.choices, Novelty.NEW),
        ):
            try:
                choice[name] = _choice(row.get(name), options, default)
            except ValueError as exc:
                problems.append((name, str(exc)))
        if not problems:
            data = services.SignalInput(
                area=area,
                observed_on=observed_on,
                text=str(row["text"]),
                themes=chosen,
                main_theme=main,
                **choice,
            )
            try:
                services.validate(organisation, data)
            except services.SignalInputError as exc:
                problems.append((exc.field, exc.message))
            else:
                inputs.append(data)
        errors += [(line, FIELD_NAMES.get(name, name), message) for name, message in problems]
    return inputs, errors


def import_rows(*, user, organisation, rows: list[tuple[int, dict]]) -> list:
    """Check every row, then save all of them in one transaction (or none)."""
    organisation = services._organisation_for(user, organisation)
    if len(rows) > IMPORT_MAX_ROWS:
        raise SignalImportError(
            [(None, "", _("More than %(n)s rows; split the file.") % {"n": IMPORT_MAX_ROWS})]
        )
    if not rows:
        raise SignalImportError([(None, "", _("The file has no rows."))])
    inputs, errors = parse_rows(rows, organisation)
    if errors:
        raise SignalImportError(errors)
    with transaction.atomic():
        return [services._create(user, organisation, data, []) for data in inputs]


def rows_from_file(name: str, data: bytes) -> list[tuple[int, dict]]:
    try:
        table = read_table(name, data, max_rows=IMPORT_MAX_ROWS)
        header = [COLUMNS.get(str(h or "").strip().lower(), "") for h in table.header]
        missing = [FIELD_NAMES[c] for c in REQUIRED if c not in header]
        if missing:
            raise SignalImportError([(1, ", ".join(missing), _("column missing"))])
        rows = []
        for line, cells in table.rows:
            row = {name: cell for name, cell in zip(header, cells, strict=False) if name}
            if any(str(v or "").strip() for v in row.values()):
                rows.append((line, row))
        return rows
    except TableError as exc:
        raise SignalImportError([(exc.row, exc.column or "", str(exc))]) from None


def rows_from_json(items) -> list[tuple[int, dict]]:
    if not isinstance(items, list):
        raise SignalImportError([(None, "", _("Send a list of signals."))])
    rows = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise SignalImportError([(i, "", _("Each signal is an object."))])
        row = {}
        for key, value in item.items():
            name = COLUMNS.get(str(key).lower())
            if name:
                row[name] = "|".join(map(str, value)) if isinstance(value, list) else value
        rows.append((i, row))
    return rows
