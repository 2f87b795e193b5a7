"""Reading a researcher's panel CSV into the engine's Panel, with errors that name the line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from wijkinzicht.analysis.evaluation import EvaluationError, Panel
from wijkinzicht.core.textfile import header_delimiter, read_text

MAX_PANEL_BYTES = 500 * 1024 * 1024


def read_panel_csv(
    path: str | Path, *, unit: str, time: str, outcome: str, covariates: Sequence[str] = (),
    period_columns: Sequence[str] = (),
) -> Panel:
    """A CSV file with a header line; comma, semicolon or tab separated; UTF-8 (with or without
    BOM) or, failing that, CP1252. `period_columns` hold periods (e.g. a cohort column)."""
    path = Path(path)
    text = read_text(path, MAX_PANEL_BYTES, EvaluationError)
    if "\x00" in text:
        raise EvaluationError(f"{path}: not a text file")
    delimiter = header_delimiter(text)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = reader
    if delimiter == ";":  # a Dutch export: 12,5 and 1.234,5 are decimal commas
        numeric = [outcome, *covariates]
        records = (_decimal_commas(row, numeric) for row in reader)
    if not reader.fieldnames:
        raise EvaluationError(f"{path}: the file is empty")
    columns = list(dict.fromkeys(c for c in [unit, time, outcome, *covariates, *period_columns]))
    missing = [c for c in columns if c not in reader.fieldnames]
    if missing:
        raise EvaluationError(
            f"{path}: column(s) {', '.join(missing)} not found; the header has {', '.join(reader.fieldnames)}"
        )
    try:
        return Panel.from_records(
            records, unit=unit, time=time, outcome=outcome,
            covariates=[c for c in dict.fromkeys(covariates) if c not in (outcome, unit, time)],
            period_columns=list(period_columns),
        )
    except csv.Error as exc:
        raise EvaluationError(f"{path}: line {reader.line_num}: {exc}") from None
    except EvaluationError as exc:
        raise EvaluationError(f"{path}: {exc}") from None


_DECIMAL_COMMA = re.compile(r"\s*[-+]?(\d{1,3}(\.\d{3})+|\d+),\d+\s*\Z")


def _decimal_commas(row: dict, columns: Sequence[str]) -> dict:
    """Values with a decimal comma ("12,5", "1.234,5") as the engine reads numbers; values without
    a comma are left as they are (a point is a decimal point)."""
    for column in columns:
        value = row.get(column)
        if isinstance(value, str) and "," in value and _DECIMAL_COMMA.match(value):
            row[column] = value.replace(".", "").replace(",", ".")
    return row


def read_unit_list(path: str | Path) -> list[str]:
    """Units from a file, one per line (a name may hold commas); blank lines and lines starting
    with # are skipped."""
    path = Path(path)
    text = read_text(path, 10 * 1024 * 1024, EvaluationError)
    units = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not units:
        raise EvaluationError(f"{path}: no units in the file")
    return list(dict.fromkeys(units))
