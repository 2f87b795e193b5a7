"""Reading tabular files as Dutch exports come: CSV (comma, semicolon or tab; UTF-8 with or
without BOM, or CP1252) and XLSX. Rows come with their line number in the file, so that every
error can name it. Pure Python, no Django models.

Hostile files are refused before they cost much: an XLSX workbook is a zip, and its unpacked size
is checked from the zip's directory before openpyxl opens it (zipfile never unpacks an entry past
its declared size, so the check holds for lying headers too); the XML is parsed with defusedxml
where openpyxl uses it, and since openpyxl reads the sheets with the standard library's parser, every
XML part is refused outright when its prolog declares a DTD or an entity (no spreadsheet program
writes one); rows are read only up to 256 columns, whatever the sheet's dimension claims; and no
file yields more data rows than the row limit (WIJKINZICHT_IMPORT_MAX_ROWS).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from .textfile import decode_bytes  # the importers read it through this module too


class TableError(ValueError):
    """The file cannot be read as a table; the message says where and why."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column


MAX_COLUMNS = 256
MAX_ZIP_ENTRIES = 2000


def _row_limit(max_rows: int | None) -> int:
    if max_rows is not None:
        return max_rows
    from django.conf import settings

    return settings.IMPORT_MAX_ROWS


def _too_many_rows(limit: int, line: int) -> TableError:
    return TableError(
        _("The file has more than %(limit)s data rows (limit: setting WIJKINZICHT_IMPORT_MAX_ROWS); "
          "split it into smaller files.") % {"limit": f"{limit:,}".replace(",", ".")},
        row=line,
    )


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, list]]  # (line number in the file, cells)
    encoding: str = ""
    delimiter: str = ""


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of the header line: the most frequent of ';', tab and ','."""
    counts = {d: first_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv_text(text: str, *, max_rows: int | None = None) -> Table:
    """Parse CSV text; rows with a different number of cells than the header are errors."""
    limit = _row_limit(max_rows)
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
        count = 0
        try:
            for cells in reader:
                line = reader.line_num
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                count += 1
                if count > limit:
                    raise _too_many_rows(limit, line)
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


# what openpyxl and zipfile raise on damaged input (ParseError is a SyntaxError)
_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError, EOFError,
               zipfile.LargeZipFile, NotImplementedError, SyntaxError, AttributeError, zlib.error)


def _damaged() -> TableError:
    return TableError(_("The file is not a readable XLSX workbook (truncated or damaged)."))


def work_size(data: bytes) -> int:
    """How much there is to read: a workbook's unpacked size (from its zip directory, nothing
    unpacked), else the file's size. Decides whether an import runs in the request: a 334 kB
    workbook of 199,000 rows took a web worker 26 s (an attack pass, issue 15)."""
    if data[:4] != b"PK\x03\x04":
        return len(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return max(len(data), sum(e.file_size for e in archive.infolist()))
    except _UNREADABLE:
        return len(data)


def check_zip(data: bytes, *, max_unpacked: int | None = None) -> None:
    """Refuse a workbook whose entries unpack to more than the limit, before anything is unpacked."""
    if max_unpacked is None:
        from django.conf import settings

        max_unpacked = settings.XLSX_MAX_UNPACKED_BYTES
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except TableError:
        raise
    except _UNREADABLE as exc:
        raise _damaged() from exc
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > max_unpacked:
        raise TableError(
            _("The workbook unpacks to more than %(limit)s MB (setting WIJKINZICHT_XLSX_MAX_UNPACKED_BYTES); "
              "save it as CSV or split it.") % {"limit": max_unpacked // 1_000_000}
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    with archive.open(entry) as part:
                        if _declares_entities(part.read(_PROLOG_MAX)):
                            raise TableError(
                                _("The workbook contains XML declarations that are not allowed (%(part)s).")
                                % {"part": entry.filename[:80]}
                            )
    except TableError:
        raise
    except _UNREADABLE as exc:
        raise _damaged() from exc


_ROOT_START = re.compile(rb"<[A-Za-z_]")
_PROLOG_MAX = 65536


def _declares_entities(head: bytes) -> bool:
    """Whether the start of an XML part declares a DTD or entities before its root element (or has
    no root element within the first 64 KB, which no real workbook part does)."""
    root = _ROOT_START.search(head)
    prolog = head[: root.start()] if root else head
    return root is None and len(head) >= _PROLOG_MAX or b"<!" in prolog.replace(b"<!--", b"")


def read_xlsx_bytes(data: bytes, *, max_rows: int | None = None, max_unpacked: int | None = None) -> Table:
    """The first worksheet of an XLSX workbook; the first non-empty row is the header."""
    import openpyxl

    limit = _row_limit(max_rows)
    check_zip(data, max_unpacked=max_unpacked)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # a sheet's own claim of its size must not make every row that wide
        it = ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        header: list[str] | None = None
        line = 0
        for values in it:
            line += 1
            if line > limit:
                raise _too_many_rows(limit, line)
            if values and any(v not in (None, "") for v in values):
                header = ["" if v is None else str(v).strip() for v in values]
                break
    except TableError:
        raise
    except _UNREADABLE as exc:
        raise _damaged() from exc
    if header is None:
        raise TableError(_("The workbook is empty."))
    while header and header[-1] == "":
        header.pop()
    width = len(header)
    start = line

    def rows() -> Iterator[tuple[int, list]]:
        n, count = start, 0
        try:
            for values in it:
                n += 1
                count += 1  # empty rows count too: a sheet of millions of them costs time as well
                if count > limit:
                    raise _too_many_rows(limit, n)
                cells = list(values[:width]) + [None] * (width - len(values))
                if all(v in (None, "") for v in cells):
                    continue
                if any(v not in (None, "") for v in values[width:]):
                    raise TableError(
                        _("Row %(row)d has values beyond the last header column.") % {"row": n}, row=n
                    )
                yield n, cells
        except TableError:
            raise
        except _UNREADABLE as exc:
            raise TableError(
                _("Row %(row)d cannot be read; the workbook seems damaged.") % {"row": n + 1}, row=n + 1
            ) from exc

    return Table(header=header, rows=rows(), encoding="xlsx")


def read_table(path: Path | str, data: bytes | None = None, *, max_rows: int | None = None) -> Table:
    """Read a CSV, TSV, TXT or XLSX file into a Table (at most max_rows data rows: by default
    the setting WIJKINZICHT_IMPORT_MAX_ROWS)."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(_("Cannot read %(path)s: %(error)s")
                             % {"path": path, "error": exc.strerror}) from exc
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
        return read_xlsx_bytes(data, max_rows=max_rows)
    if suffix in (".xls",):
        raise TableError(_("Old .xls workbooks are not supported; save the file as .xlsx or .csv."))
    text, encoding = decode_bytes(data)
    table = read_csv_text(text, max_rows=max_rows)
    table.encoding = encoding
    return table
