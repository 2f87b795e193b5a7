"""Writing tables as CSV (semicolon, UTF-8 with BOM, as Dutch Excel opens it) and XLSX.

Every table that leaves the application as a spreadsheet goes through here, and every cell is
made harmless (issue 12, docs/privacy.md): text a spreadsheet would read as a formula or a DDE
command -- starting with "=", "+", "-", "@", a tab or a carriage return, also after leading
spaces or line breaks -- gets a leading apostrophe in CSV, and every text cell of an XLSX workbook
is written with the text type (never as a formula) and the quote prefix, so that Excel does not
reinterpret it when the cell is edited. Numbers stay numbers; text that is a plain number
("-5", "+3,2") is left as it is because no spreadsheet runs it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_LEADING_BLANKS = " \u00a0\u3000\f\v"
# a cell whose first character is none of these is harmless (the quick test of large files)
RISKY_FIRST = frozenset(_TRIGGERS) | frozenset(_LEADING_BLANKS)
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?\Z")


def dangerous(text: str) -> bool:
    """Whether a spreadsheet could treat the text as a formula or command."""
    stripped = text.lstrip(_LEADING_BLANKS)
    if not stripped:
        return False
    if stripped.startswith(("\t", "\r", "\n")) or text.startswith(("\t", "\r", "\n")):
        return True
    return stripped.startswith(_TRIGGERS) and not _PLAIN_NUMBER.match(stripped)


def safe_cell(value, *, decimal_comma: bool = False):
    """A cell for CSV: text that a spreadsheet would run gets a leading apostrophe; a whole number
    stored as a float is written without ".0" (Dutch Excel read "1201.0" as 12010), and with
    `decimal_comma` (the ";"-separated Dutch variant) a fraction is written 12,5."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return repr(value).replace(".", ",") if decimal_comma else value
    if isinstance(value, Decimal) and decimal_comma:
        return str(value).replace(".", ",")
    if isinstance(value, str) and dangerous(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence], *, delimiter: str = ";", lineterminator: str = "\r\n") -> str:
    buffer = io.StringIO()
    write_csv(buffer, rows, delimiter=delimiter, lineterminator=lineterminator)
    return buffer.getvalue()


def write_csv(f, rows: Iterable[Sequence], *, delimiter: str = ";", lineterminator: str = "\r\n") -> None:
    """Write rows as CSV to an open text file (or an HttpResponse), every cell through safe_cell.
    A ";"-separated file is the Dutch variant: its fractions get a decimal comma."""
    writer = csv.writer(f, delimiter=delimiter, lineterminator=lineterminator)
    comma = delimiter == ";"
    for row in rows:
        writer.writerow([safe_cell(v, decimal_comma=comma) for v in row])


def csv_bytes(rows: Iterable[Sequence], *, delimiter: str = ";") -> bytes:
    return ("\ufeff" + csv_text(rows, delimiter=delimiter)).encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Sequence]]]) -> bytes:
    """One worksheet per (title, rows); the first row of each is its header, in bold. Text is
    always written as text (data type "s", quote prefix), never as a formula."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title=_sheet_title(title))
        for i, row in enumerate(rows):
            cells = []
            for value in row:
                cell = WriteOnlyCell(ws, value=_xlsx_value(value))
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                if i == 0:
                    cell.font = bold
                cells.append(cell)
            ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(value: str) -> str:
    """The text without the control characters XML 1.0 forbids (an XLSX or GraphML file with one
    does not open)."""
    return _ILLEGAL_XML.sub("", value)


def _xlsx_value(value):
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    if not isinstance(value, str):
        value = str(value)
    return xml_text(value)


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\'":
        title = title.replace(ch, " ")
    return title.strip()[:31] or "Blad"
