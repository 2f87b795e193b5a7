"""Upload limits and hostile files (issue 12, item 5): the oversized CSV and the XLSX bomb of the
attack, replayed; refused quickly, with bounded memory, naming the limit; nothing written."""

import io
import socket
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.activities import importers
from wijkinzicht.activities.models import ImportBatch, Participant
from wijkinzicht.core.tabular import TableError, read_table


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def zip_bomb(unpacked_mb: int) -> bytes:
    """A valid XLSX whose one sheet unpacks to unpacked_mb MB of empty rows (like the 345 KB file of
    the attack that unpacked to gigabytes), written in chunks so the test itself stays small."""
    good = zipfile.ZipFile(io.BytesIO(_xlsx([["deelnemer", "geboortejaar"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in good.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, good.read(info))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        b'spreadsheetml/2006/main"><sheetData>')
            chunk = b"<row/>" * 100_000
            for _ in range(unpacked_mb * 1_000_000 // len(chunk)):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def test_the_xlsx_bomb_is_refused_before_it_is_unpacked(orgs):
    bomb = zip_bomb(300)
    assert len(bomb) < 1_000_000  # under a megabyte on disk, 300 MB unpacked
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(TableError, match="WIJKINZICHT_XLSX_MAX_UNPACKED_BYTES"):
        importers.import_upload(user=orgs["A"]["coordinator"], organisation=orgs["A"]["org"],
                                kind="participants", filename="bom.xlsx", data=bomb)
    seconds = time.perf_counter() - began
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 2 and peak < 50_000_000, (seconds, peak)
    assert not ImportBatch.objects.exists() and not Participant.objects.exists()


def test_a_sheet_claiming_a_huge_size_is_read_only_as_wide_as_it_is():
    """openpyxl pads every row to the sheet's <dimension>; the reader ignores that claim."""
    data = _xlsx([["deelnemer", "geboortejaar"], ["P1", 1950]])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
            z.writestr(info, body)
    table = read_table("x.xlsx", out.getvalue())
    assert table.header == ["deelnemer", "geboortejaar"] and list(table.rows) == [(2, ["P1", 1950])]


LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                     for i in range(1, 9)) + b"]>")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_xml_entities_in_a_workbook_are_refused(part):
    """Billion laughs (and any DTD: external entities) in any part of the workbook."""
    src = zipfile.ZipFile(io.BytesIO(_xlsx([["deelnemer", "naam"], ["P1", "x"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == part:
                declaration, found, rest = body.partition(b"?>")
                if not found:
                    declaration, rest = b'<?xml version="1.0"', body
                body = declaration + b"?>" + LAUGHS + rest.replace(b"<t>x</t>", b"<t>&lol8;</t>")
            z.writestr(info, body)
    began = time.perf_counter()
    with pytest.raises(TableError, match="XML"):
        list(read_table("x.xlsx", out.getvalue()).rows)
    assert time.perf_counter() - began < 2


def test_too_many_rows_is_an_error_naming_the_limit_and_nothing_is_written(orgs, settings):
    settings.IMPORT_MAX_ROWS = 3
    body = "deelnemer;geboortejaar\n" + "".join(f"P{i};1950\n" for i in range(5))
    with pytest.raises(TableError, match="WIJKINZICHT_IMPORT_MAX_ROWS") as caught:
        importers.import_upload(user=orgs["A"]["coordinator"], organisation=orgs["A"]["org"],
                                kind="participants", filename="p.csv", data=body.encode())
    assert caught.value.row == 5 and not Participant.objects.exists()
    with pytest.raises(TableError, match="WIJKINZICHT_IMPORT_MAX_ROWS"):
        list(read_table("p.xlsx", _xlsx([["deelnemer"], *[[f"P{i}"] for i in range(5)]])).rows)


def test_an_upload_over_the_limit_is_stopped_while_it_streams_in(orgs, settings):
    """The announced length is under the limit plus the form's room, the file is not: the upload
    handler stops it (413, problem+json naming the limit)."""
    settings.UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("p.csv", b"deelnemer;geboortejaar\n" + b"P1;1950\n" * 500)
    r = api(orgs["A"]["coordinator"]).post("/api/v1/imports", {"kind": "participants", "file": upload},
                                           format="multipart")
    assert r.status_code == 413 and r["Content-Type"] == "application/problem+json"
    assert "1 kB" in r.json()["detail"] and "WIJKINZICHT_UPLOAD_MAX_BYTES" in r.json()["detail"]
    assert not ImportBatch.objects.exists()


def test_the_import_page_answers_413_with_a_page_naming_the_limit(client, orgs, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    client.force_login(orgs["A"]["fieldworker"])
    r = client.post("/activiteiten/import/", {
        "organisation": orgs["A"]["org"].pk, "kind": "participants", "mode": "keep_valid",
        "file": SimpleUploadedFile("d.csv", b"x" * 200_000)})
    assert r.status_code == 413 and "WIJKINZICHT_UPLOAD_MAX_BYTES" in r.text and "<main" in r.text


@pytest.mark.django_db(transaction=True)
def test_a_50_mb_upload_is_refused_over_real_http_before_its_body_is_read(live_server, orgs):
    """The attack: a 50 MB participants CSV to /api/v1/imports. Only the headers are sent: the
    server answers 413 at once, without waiting for (or reading) the body."""
    token = api_token_issue(user=orgs["A"]["coordinator"])[1]
    host, port = live_server.url.removeprefix("http://").split(":")
    began = time.perf_counter()
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(
            b"POST /api/v1/imports HTTP/1.1\r\nHost: localhost\r\n"
            b"Authorization: Token " + token.encode() + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=xyz\r\n"
            b"Content-Length: 50000000\r\n\r\n"
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    answer = answer.decode("utf-8")
    assert time.perf_counter() - began < 2
    assert answer.startswith("HTTP/1.1 413") and "WIJKINZICHT_UPLOAD_MAX_BYTES" in answer


def test_a_small_workbook_that_unpacks_large_goes_to_a_job_not_the_web_worker(orgs):
    """An attack pass (issue 15): a 334 kB workbook of 199,000 rows was imported in the request and
    held a web worker for 26 s, because the inline limit looked at the file's size. A workbook now
    counts by its unpacked size (from the zip directory)."""
    from wijkinzicht.core.tabular import work_size

    data = zip_bomb(5)  # 5 MB of rows, some kB as a file
    assert len(data) < 1_000_000 < work_size(data)
    batch = importers.import_upload(user=orgs["A"]["coordinator"], organisation=orgs["A"]["org"],
                                    kind="participants", filename="p.xlsx", data=data)
    assert batch.status == "queued"
    assert work_size(b"deelnemer;geboortejaar\nP1;1980\n") == len(b"deelnemer;geboortejaar\nP1;1980\n")
