"""Import of CSV and XLSX files: good files, malformed files, hostile files, re-imports."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from wijkinzicht.activities import importers
from wijkinzicht.activities.models import Activity, Attendance, ImportBatch, Meeting, Participant
from wijkinzicht.core.tabular import TableError
from wijkinzicht.core.tenancy import TenancyError


def _csv(rows, delimiter=";") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _import(orgs, kind, data, *, mode="keep_valid", filename="bestand.csv", who="fieldworker"):
    a = orgs["A"]
    return importers.import_file(
        user=a[who], organisation=a["org"], kind=kind, filename=filename, data=data, mode=mode
    )


@pytest.fixture
def many_participants(orgs):
    rows = [["deelnemer", "geboortejaar", "geslacht", "buurt", "toestemming"]]
    rows += [
        [f"D{i:04d}", 1940 + i % 70, "vmx"[i % 3], "BU03630000" if i % 2 else "BU03630001", "ja"]
        for i in range(200)
    ]
    batch = _import(orgs, "participants", _csv(rows))
    assert batch.status == "imported", batch.errors
    return batch


def test_participants_import_and_reimport_creates_no_duplicates(orgs, many_participants):
    assert Participant.objects.count() == 200
    assert many_participants.rows_created == 200
    rows = [["Deelnemer ID", "Geboortejaar"], ["D0001", "1950"], ["D0002", "1951"]]
    again = _import(orgs, "participants", _csv(rows, delimiter=","))
    assert (again.rows_created, again.rows_updated) == (0, 2)
    assert Participant.objects.count() == 200
    assert Participant.objects.get(pseudonym="D0001").birth_year == 1950


def _attendance_rows():
    start = dt.date(2024, 1, 1)
    rows = [["activiteit", "datum", "deelnemer"]]
    for d in range(50):
        day = (start + dt.timedelta(days=7 * d)).isoformat()
        rows += [["KOFFIE", day, f"D{i:04d}"] for i in range(200)]
    return rows


def test_ten_thousand_attendance_rows_with_three_bad_ones(orgs, activity, many_participants):
    rows = _attendance_rows()
    assert len(rows) == 10_001
    rows[101][1] = (dt.date.today() + dt.timedelta(days=3)).isoformat()  # future date, file row 102
    rows[5000][2] = "ONBEKEND"  # unknown participant, file row 5001
    rows[9999][1] = "31-02-2024"  # not a date, file row 10000
    batch = _import(orgs, "attendance", _csv(rows))
    assert batch.status == "partial"
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (10_000, 9_997, 3)
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (102, "datum"),
        (5001, "deelnemer"),
        (10000, "datum"),
    ]
    assert "ONBEKEND" in batch.errors[1]["message"]
    assert Attendance.objects.count() == 9_997
    assert Meeting.objects.count() == 50  # the meeting of the future date was never made
    # the rejected rows come back as a file with the reason; fixed, it imports cleanly
    rejected = list(csv.reader(io.StringIO(batch.rejected_file), delimiter=";"))
    assert rejected[0] == ["activiteit", "datum", "deelnemer", "fout"]
    assert [r[:3] for r in rejected[1:]] == [rows[101], rows[5000], rows[9999]]
    original = _attendance_rows()
    fixed = [rejected[0][:3], original[101], original[5000], original[9999]]
    again = _import(orgs, "attendance", _csv(fixed))
    assert again.status == "imported"
    assert Attendance.objects.count() == 10_000
    # importing the original file again adds nothing
    third = _import(orgs, "attendance", _csv(rows))
    assert third.rows_created == 0 and third.rows_updated == 9_997
    assert Attendance.objects.count() == 10_000


def test_all_or_nothing_writes_nothing(orgs, activity, many_participants):
    rows = _attendance_rows()[:301]
    rows[7][2] = "111222333"
    batch = _import(orgs, "attendance", _csv(rows), mode="all_or_nothing")
    assert batch.status == "rejected"
    assert batch.rows_created == 0 and batch.rows_rejected == 300
    assert "BSN" in batch.errors[0]["message"]
    assert not Attendance.objects.exists() and not Meeting.objects.exists()


def test_duplicate_rows_in_one_file(orgs, activity, many_participants):
    rows = [
        ["activiteit", "datum", "deelnemer"],
        ["KOFFIE", "2024-01-02", "D0001"],
        ["KOFFIE", "02-01-2024", "D0001"],
    ]
    batch = _import(orgs, "attendance", _csv(rows))
    assert batch.rows_created == 1
    assert batch.errors[0]["row"] == 3 and "2" in batch.errors[0]["message"]
    rows = [["deelnemer"], ["X1"], ["X1"]]
    batch = _import(orgs, "participants", _csv(rows))
    assert batch.errors == [{"row": 3, "column": "deelnemer", "message": batch.errors[0]["message"]}]


ACTIVITY_HEADER = [
    "code",
    "titel",
    "type",
    "themas",
    "dagen",
    "begintijd",
    "gebieden",
    "gratis",
    "gepubliceerd",
    "lat",
    "lon",
    "postcode",
]


def test_activities_import_with_wrong_types_and_unknown_areas(orgs):
    rows = [
        ACTIVITY_HEADER,
        [
            "T1",
            "Taalcafé",
            "buurthuis",
            "taal|ontmoeting",
            "ma|wo",
            "14:00",
            "BU03630000",
            "ja",
            "ja",
            "52,37",
            "4,90",
            "1012 AB",
        ],
        ["T2", "Huiswerkklas", "huiswerk", "jeugd", "di", "15:00", "BU03630000", "ja", "ja", "", "", ""],
        ["T3", "Yoga", "other", "bewegen", "do", "25:00", "BU03630000", "nee", "ja", "", "", ""],
        ["T4", "Wandelen", "other", "bewegen", "vr", "10:00", "BU03639999", "nee", "ja", "", "", ""],
        ["T5", "Schaken", "other", "ontmoeting", "zondag", "10:00", "", "misschien", "ja", "", "", ""],
        ["T6", "Koor", "other", "ontmoeting", "za", "10:00", "", "nee", "ja", "", "", "AB 1234"],
        ["T1", "Dubbel", "other", "", "", "", "", "", "", "", "", ""],
    ]
    batch = _import(orgs, "activities", _csv(rows))
    got = {(e["row"], e["column"]) for e in batch.errors}
    assert got == {
        (3, "type"),
        (4, "begintijd"),
        (5, "gebieden"),
        (6, "gratis"),
        (7, "postcode"),
        (8, "code"),
    }
    t1 = Activity.objects.get(code="T1")
    assert (t1.weekdays, t1.postcode, t1.latitude, t1.gemeente.code) == ("13", "1012AB", 52.37, "GM0363")
    assert t1.theme_list == ["taal", "ontmoeting"]
    # re-import updates, adds nothing
    again = _import(orgs, "activities", _csv(rows[:2]))
    assert (again.rows_created, again.rows_updated) == (0, 1)
    assert Activity.objects.filter(organisation=orgs["A"]["org"]).count() == 1


def test_meetings_import_upserts_counts(orgs, activity):
    rows = [
        ["activiteit", "datum", "aantal_anoniem", "vrijwilligers", "vrijwilligersuren"],
        ["KOFFIE", "2024-02-06", "12", "2", "4,5"],
        ["KOFFIE", "2024-02-13", "9", "1", "2"],
        ["KOFFIE", "2024-02-20", "-3", "1", "2"],
        ["ONBEKEND", "2024-02-20", "3", "1", "2"],
        ["KOFFIE", "2024-02-27", "drie", "1", "2"],
    ]
    batch = _import(orgs, "meetings", _csv(rows))
    assert [(e["row"], e["column"]) for e in batch.errors] == [
        (4, "aantal_anoniem"),
        (5, "activiteit"),
        (6, "aantal_anoniem"),
    ]
    assert Meeting.objects.get(date=dt.date(2024, 2, 6)).volunteer_hours == pytest.approx(4.5)
    rows[1][2] = "14"
    _import(orgs, "meetings", _csv(rows[:2]))
    assert Meeting.objects.get(date=dt.date(2024, 2, 6)).anonymous_count == 14
    assert Meeting.objects.count() == 2


def test_xlsx_import(orgs, activity):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["deelnemer", "geboortejaar", "toestemming", "toestemmingsdatum"])
    ws.append(["X-1", 1950, "ja", dt.datetime(2024, 1, 5)])
    ws.append(["X-2", "negentien", "ja", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    batch = _import(orgs, "participants", buffer.getvalue(), filename="deelnemers.xlsx")
    assert (
        batch.rows_created == 1
        and batch.errors[0]["row"] == 3
        and batch.errors[0]["column"] == "geboortejaar"
    )
    assert Participant.objects.get(pseudonym="X-1").consent_date == dt.date(2024, 1, 5)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"deelnemer;geboortejaar\n", "no rows"),
        (b"geboortejaar\n1950\n", "deelnemer"),
        (b"deelnemer;bsn\nX1;111222333\n", "bsn"),
        (b"deelnemer;Naam\nX1;Jan\n", "Naam"),
        (b"deelnemer;deelnemer\nX1;X2\n", "twice"),
        (b"deelnemer;geboortejaar\nX1;1950;extra\n", "Row 2"),
        (b"PK\x03\x04garbage", "XLSX"),
        (b'deelnemer;geboortejaar\n"X1;1950\n', "Row"),
    ],
)
def test_malformed_files_are_refused_whole(orgs, data, words):
    from django.utils import translation

    with translation.override("en"), pytest.raises(TableError) as exc:
        _import(orgs, "participants", data)
    assert words.lower() in str(exc.value).lower()
    assert not Participant.objects.exists() and not ImportBatch.objects.exists()


def test_only_registering_members_import(orgs):
    for user in (orgs["B"]["fieldworker"], orgs["A"]["analyst"]):
        with pytest.raises(TenancyError):
            importers.import_file(
                user=user,
                organisation=orgs["A"]["org"],
                kind="participants",
                filename="x.csv",
                data=b"deelnemer\nX1\n",
            )
    assert not Participant.objects.exists()


def test_attendance_refers_only_to_own_organisation(orgs, activity):
    from wijkinzicht.activities import services

    b = orgs["B"]
    services.participant_create(user=b["fieldworker"], organisation=b["org"], pseudonym="B-1")
    batch = importers.import_file(
        user=b["fieldworker"],
        organisation=b["org"],
        kind="attendance",
        filename="x.csv",
        data=b"activiteit;datum;deelnemer\nKOFFIE;2024-01-02;B-1\n",
    )
    # B cannot attach its participants to A's activity by guessing the code
    assert batch.rows_created == 0 and batch.errors[0]["column"] == "activiteit"
    assert not Attendance.objects.exists()


def test_rejected_file_neutralises_spreadsheet_formulas(orgs):
    batch = _import(orgs, "participants", _csv([["deelnemer", "geboortejaar"], ['=HYPERLINK("x")', "1950"]]))
    assert batch.rows_rejected == 1
    assert "'=HYPERLINK" in batch.rejected_file
