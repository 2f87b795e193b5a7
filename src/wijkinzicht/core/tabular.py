"""Reading tabular files as Dutch exports come: CSV (comma, semicolon or tab; UTF-8 with or
without BOM, or CP1252) and XLSX. Rows come with their line number in the file, so that every
error can name it. Pure Python, no Django models.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _


class TableError(ValueError):
    """The file cannot be read as a table; the message says where and why."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list]]  # (line number in the file, cells)
    encoding: str = ""
    delimiter: str = ""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode as UTF-8 (BOM stripped) or, failing that, as CP1252 (Excel's Dutch default)."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of the header line: the most frequent of ';', tab and ','."""
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_text(text: str) -> Table:
    """Parse CSV text; rows with a different number of cells than the header are errors."""
    if not text.strip():
        raise TableError(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except csv.Error as exc:
        raise TableError(_("Row 1 (header) cannot be read: %(error)s") % {"error": exc}, row=1) from exc
    width = len(header)
    ends_with_newline = text.endswith(("\n", "\r"))

    def rows() -> Iterator[tuple[int, list]]:
        try:
            for cells in reader:
                line = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                if len(cells) != width:
                    truncated = len(cells) < width and not ends_with_newline
                    hint = _(" The file seems truncated.") if truncated else ""
                    raise TableError(
                        _("Row %(row)d has %(found)d cells where the header has %(width)d.")
                        % {"row": line, "found": len(cells), "width": width} + hint,
                        row=line,
                    )
                yield line, cells
        except csv.Error as exc:
            raise TableError(
                _("Row %(row)d cannot be read (%(error)s). The file seems truncated or damaged.")
                % {"row": reader.line_num, "error": exc},
                row=reader.line_num,
            ) from exc

    return Table(header=header, rows=rows(), delimiter=delimiter)


def read_xlsx_bytes(data: bytes) -> Table:
    """The first worksheet of an XLSX workbook; the first non-empty row is the header."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("The file is not a readable XLSX workbook (truncated or damaged).")) from exc
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    header: list[str] | None = None
    line = 0
    for values in it:
        line += 1
        if values and any(v not in (None, "") for v in values):
            header = ["" if v is None else str(v).strip() for v in values]
            break
    if header is None:
        raise TableError(_("The workbook is empty."))
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    start = line

    def rows() -> Iterator[tuple[int, list]]:
        n = start
        for values in it:
            n += 1
            cells = list(values[:width]) + [None] * (width - len(values))
            if all(v in (None, "") for v in cells):
                continue
            if any(v not in (None, "") for v in values[width:]):
                raise TableError(
                    _("Row %(row)d has values beyond the last header column.") % {"row": n}, row=n
                )
            yield n, cells

    return Table(header=header, rows=rows(), encoding="xlsx")


def read_table(path: Path | str, data: bytes | None = None) -> Table:
    """Read a CSV, TSV, TXT or XLSX file into a Table."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(_("Cannot read %(path)s: %(error)s")
                             % {"path": path, "error": exc.strerror}) from exc
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return read_xlsx_bytes(data)
    if suffix in (".xls",):
        raise TableError(_("Old .xls workbooks are not supported; save the file as .xlsx or .csv."))
    text, encoding = decode_bytes(data)
    table = read_csv_text(text)
    table.encoding = encoding
    return table
