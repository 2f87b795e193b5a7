"""Reading a researcher's panel CSV into the engine's Panel, with errors that name the line."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from wijkinzicht.analysis.evaluation import EvaluationError, Panel

MAX_PANEL_BYTES = 500 * 1024 * 1024


def read_panel_csv(
    path: str | Path, *, unit: str, time: str, outcome: str, covariates: Sequence[str] = ()
) -> Panel:
    """A CSV file with a header line; comma, semicolon or tab separated; UTF-8 (with or without
    BOM) or, failing that, CP1252."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise EvaluationError(f"{path}: no such file") from None
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_PANEL_BYTES:
        raise EvaluationError(f"{path}: larger than {MAX_PANEL_BYTES // 1024 // 1024} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise EvaluationError(f"{path}: not a text file")
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames:
        raise EvaluationError(f"{path}: the file is empty")
    columns = list(dict.fromkeys(c for c in [unit, time, outcome, *covariates]))
    missing = [c for c in columns if c not in reader.fieldnames]
    if missing:
        raise EvaluationError(
            f"{path}: column(s) {', '.join(missing)} not found; the header has {', '.join(reader.fieldnames)}"
        )
    try:
        return Panel.from_records(
            reader, unit=unit, time=time, outcome=outcome, covariates=[c for c in columns[3:] if c != outcome]
        )
    except csv.Error as exc:
        raise EvaluationError(f"{path}: line {reader.line_num}: {exc}") from None
    except EvaluationError as exc:
        raise EvaluationError(f"{path}: {exc}") from None
