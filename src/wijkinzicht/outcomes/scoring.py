"""Batch scoring of researchers' survey files with the instruments of analysis.instruments.

The whole file is read and checked before anything is written; an answer that is not valid for
the instrument is an error naming its row and column, and then no output file is made. All input
columns pass through unchanged. Added: for djg6 and djg11 score, emotional, social and category (empty
where the missing-data rule says missing); for participatieladder score (the rung) and category
(its name); for zrm the name of the level of every domain (`<domain column>_niveau`), because the
ZRM has no summed total.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import operator
import os
import tempfile
from pathlib import Path

import numpy as np
from django.utils.translation import gettext as _

from wijkinzicht.analysis.instruments import (
    DJG6,
    DJG11,
    PARTICIPATIELADDER,
    ZRM,
    AnswerError,
    LevelError,
    LevelInstrument,
    answer_code,
)
from wijkinzicht.analysis.instruments.answers import ANSWER_WORDS
from wijkinzicht.analysis.instruments.djg import Instrument, score_codes
from wijkinzicht.core.exports import RISKY_FIRST, dangerous, write_csv
from wijkinzicht.core.tabular import decode_bytes, sniff_delimiter

INSTRUMENTS = {"djg6": DJG6, "djg11": DJG11, "participatieladder": PARTICIPATIELADDER, "zrm": ZRM}
MAX_ERRORS = 20
# as text, through lookup tables indexed by value + 1 (so that -1, missing, is "")
_NUMBERS = ["", *[str(v) for v in range(64)]]


def added_columns(spec) -> list[str]:
    if isinstance(spec, Instrument):
        return ["score", "emotional", "social", "category"]
    if spec is ZRM:
        return [f"{column}_niveau" for column in spec.columns]
    return ["score", "category"]


def _code(spec, answer: str) -> int:
    """The code of one cell; AnswerError or LevelError when the instrument does not know it."""
    return answer_code(answer) if isinstance(spec, Instrument) else spec.level(answer)


def _invalid_message(spec, line: int, column: str, value: str) -> str:
    if isinstance(spec, LevelInstrument):
        return _("Row %(row)d, column %(column)s: “%(value)s” is not a level (1 to %(n)d, or empty).") % {
            "row": line,
            "column": column,
            "value": value[:40],
            "n": len(spec.levels),
        }
    return _("Row %(row)d, column %(column)s: “%(value)s” is not an answer (%(words)s, or empty).") % {
        "row": line,
        "column": column,
        "value": value[:40],
        "words": ", ".join(ANSWER_WORDS),
    }


def _scored(spec, codes: np.ndarray) -> list[list[str]]:
    """The added columns, as text, for an (n, items) array of codes."""
    if isinstance(spec, Instrument):
        scores = score_codes(spec, codes)
        names_of = ["", *[label for _lo, _hi, label in spec.categories]]
        return [
            [_NUMBERS[v + 1] for v in scores.total.tolist()],
            [_NUMBERS[v + 1] for v in scores.emotional.tolist()],
            [_NUMBERS[v + 1] for v in scores.social.tolist()],
            [names_of[v + 1] for v in scores.category.tolist()],
        ]
    if spec is ZRM:
        return [spec.labels(codes[:, k]) for k in range(codes.shape[1])]
    return [[_NUMBERS[v + 1] for v in codes[:, 0].tolist()], spec.labels(codes[:, 0])]


class ScoreError(ValueError):
    """The file cannot be scored; the message names every problem found (rows, columns)."""


@contextlib.contextmanager
def _without_cycle_collection():
    """Reading a file makes millions of small lists that hold no cycles; the cycle collector
    would walk all of them again and again as they pile up (measured: 12.0 s with it, 5.2 s
    without for a million djg11 rows). Reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def score_file(instrument: str, source: Path, out: Path | None = None, *, stdout=None) -> int:
    """Score source and write the result to out (or stdout); returns the number of rows."""
    with _without_cycle_collection():
        return _score_file(INSTRUMENTS[instrument], source, out, stdout)


def _score_file(spec, source: Path, out: Path | None, stdout) -> int:
    try:
        data = Path(source).read_bytes()
    except OSError as exc:
        raise ScoreError(
            _("Cannot read %(path)s: %(error)s") % {"path": source, "error": exc.strerror}
        ) from exc
    text, _encoding = decode_bytes(data)
    if not text.strip():
        raise ScoreError(_("The file is empty."))
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    # without a quote character no cell can hold a delimiter or a line break: split the text directly,
    # several times faster than the csv module; otherwise read it as full CSV
    plain = '"' not in text
    records = _plain_records(text, delimiter) if plain else _csv_records(text, delimiter)
    try:
        _line, header = next(records)
    except (StopIteration, csv.Error) as exc:
        raise ScoreError(_("The header cannot be read.")) from exc
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in spec.columns if c not in names]
    if missing:
        raise ScoreError(_("Column(s) missing: %(columns)s.") % {"columns": ", ".join(missing)})
    added = added_columns(spec)
    clash = [c for c in added if c in names]
    if clash:
        raise ScoreError(
            _("The file already has a column %(columns)s; rename it first.") % {"columns": ", ".join(clash)}
        )
    positions = [names.index(c) for c in spec.columns]
    width = len(header)
    if len(positions) == 1:  # itemgetter of one index gives the cell, not a tuple
        only = positions[0]

        def pick(cells):
            return (cells[only],)
    else:
        pick = operator.itemgetter(*positions)
    rows: list[list[str]] = []
    lines: list[int] = []
    answers: list[str] = []  # the item cells of all rows, row after row
    errors: list[str] = []
    try:
        for line, cells in records:
            if len(cells) != width:
                if not cells or cells == [""]:
                    continue
                errors.append(
                    _("Row %(row)d has %(found)d cells where the header has %(width)d.")
                    % {"row": line, "found": len(cells), "width": width}
                )
                if len(errors) >= MAX_ERRORS:
                    break
                continue
            answers.extend(pick(cells))
            rows.append(cells)
            lines.append(line)
    except _UnreadableRow as exc:
        errors.append(_("Row %(row)d cannot be read (%(error)s).") % {"row": exc.line, "error": exc.reason})
    # each distinct answer is read once; then one C-level pass maps every cell to its code
    codes_of: dict[str, int] = {}
    invalid = set()
    for answer in set(answers):
        try:
            codes_of[answer] = _code(spec, answer)
        except (AnswerError, LevelError):
            invalid.add(answer)
    if invalid:
        n_items = len(spec.columns)
        for k, answer in enumerate(answers):
            if answer in invalid and len(errors) < MAX_ERRORS:
                errors.append(_invalid_message(spec, lines[k // n_items], spec.columns[k % n_items], answer))
    if errors:
        raise ScoreError("\n".join(sorted(errors, key=_row_of)))
    codes = np.fromiter(map(codes_of.__getitem__, answers), dtype=np.int8, count=len(answers))
    columns = _scored(spec, codes.reshape(-1, len(spec.columns)))
    _write(
        out,
        stdout,
        delimiter,
        plain,
        [*header, *added],
        (cells + list(added) for cells, added in zip(rows, zip(*columns, strict=True), strict=True)),
    )
    return len(rows)


class _UnreadableRow(Exception):
    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def _plain_records(text: str, delimiter: str):
    """(line number, cells) of a file without quotes."""
    for number, raw in enumerate(text.split("\n"), start=1):
        yield number, raw.rstrip("\r").split(delimiter)


def _csv_records(text: str, delimiter: str):
    """(line number, cells) of a CSV file with quoted cells."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        raise _UnreadableRow(reader.line_num, str(exc)) from exc


def _row_of(message: str) -> int:
    digits = "".join(ch if ch.isdigit() else " " for ch in message).split()
    return int(digits[0]) if digits else 0


def _write(out: Path | None, stdout, delimiter: str, plain: bool, header: list[str], rows) -> None:
    if out is None:
        _write_rows(stdout, delimiter, plain, header, rows)
        return
    out = Path(out)
    # write beside the target and rename, so that a failure never leaves half a file
    fd, tmp = tempfile.mkstemp(dir=out.parent if str(out.parent) else ".", prefix=".score-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            _write_rows(f, delimiter, plain, header, rows)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_rows(f, delimiter: str, plain: bool, header: list[str], rows) -> None:
    if plain:  # no cell holds a quote, a delimiter or a line break: nothing needs quoting
        f.write(delimiter.join(header) + "\n")
        f.writelines(delimiter.join(map(_safe, r)) + "\n" for r in rows)
        return
    write_csv(f, [header, *rows], delimiter=delimiter, lineterminator="\n")


def _safe(cell: str) -> str:
    """The plain path's cells through the export guard (core.exports): a pseudonym such as
    "=HYPERLINK(...)" must not become a formula in the scored file."""
    return "'" + cell if cell[:1] in RISKY_FIRST and dangerous(cell) else cell
