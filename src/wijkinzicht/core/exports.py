"""Writing tables as CSV (semicolon, UTF-8 with BOM, as Dutch Excel opens it) and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "@", "\t", "\r")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection)."""
    if value is None:
        return ""
    if (
        isinstance(value, str)
        and value
        and (value.startswith(_FORMULA_START) or (value[0] == "-" and not value[1:2].isdigit()))
    ):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence], *, delimiter: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


def csv_bytes(rows: Iterable[Sequence], *, delimiter: str = ";") -> bytes:
    return ("\ufeff" + csv_text(rows, delimiter=delimiter)).encode("utf-8")


def xlsx_bytes(sheets: Sequence[tuple[str, Iterable[Sequence]]]) -> bytes:
    """One worksheet per (title, rows); the first row of each is its header, in bold."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title=_sheet_title(title))
        for i, row in enumerate(rows):
            if i == 0:
                cells = []
                for value in row:
                    cell = WriteOnlyCell(ws, value=value)
                    cell.font = bold
                    cells.append(cell)
                ws.append(cells)
            else:
                ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Blad"
