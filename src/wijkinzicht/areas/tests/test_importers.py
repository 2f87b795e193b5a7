"""The KWB importer on every header style of the real CBS files, and on malformed files."""

import csv
import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from wijkinzicht.areas.constants import ObservationStatus
from wijkinzicht.areas.importers import ImportFailed, parse_kwb, parse_number
from wijkinzicht.areas.models import Area, ImportRun, Observation
from wijkinzicht.areas.services import kwb_import


def value(code, key, year):
    return Observation.objects.get(area__code=code, indicator__key=key, year=year)


def db_state():
    return (Area.objects.count(), Observation.objects.count(), ImportRun.objects.count(),
            sorted(Observation.objects.values_list("area_id", "indicator_id", "year", "value")))


# ------------------------------------------------------------------ header styles

@pytest.mark.django_db
def test_statline_labels_amsterdam_2017(cbs_dir):
    report = kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    assert report.years == [2017]
    assert value("GM0363", "population", 2017).value == 844947  # SOURCES.md spot check
    assert value("GM0363", "woz_mean", 2017).value == 290
    assert value("NL00", "population", 2017).value == 17081507
    assert value("GM0363", "pct_corporation_rented", 2017).value == 42
    assert value("GM0363", "social_assistance_persons", 2017).value == 42610
    assert Area.objects.get(code="BU03630000").name == "Kop Zeedijk"
    # hierarchy derived from the codes
    buurt = Area.objects.select_related("parent__parent__parent").get(code="BU03630000")
    assert buurt.parent.code == "WK036300"
    assert buurt.parent.parent.code == "GM0363"
    assert buurt.parent.parent.parent.code == "NL00"
    assert buurt.level == "buurt" and buurt.first_year == 2017 == buurt.last_year
    # unknown columns are listed, not silently dropped
    assert "Energie Gemiddeld aardgasverbruik Gemiddeld aardgasverbruik totaal m" in report.unknown_columns


@pytest.mark.django_db
def test_secret_cells_are_never_zero(cbs_dir):
    kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    secret = Observation.objects.filter(status=ObservationStatus.SECRET)
    assert secret.exists()
    assert not secret.exclude(value__isnull=True).exists()
    assert not Observation.objects.filter(status=ObservationStatus.KNOWN, value__isnull=True).exists()


@pytest.mark.django_db
def test_odata_keys_amsterdam_2021_and_rotterdam_2017(cbs_dir):
    kwb_import(cbs_dir / "amsterdam_kwb_2021_subset_odata.csv")
    assert value("GM0363", "population", 2021).value == 873338
    assert value("BU03630000", "households", 2021).value == 770
    report = kwb_import(cbs_dir / "rotterdam_kwb2017_subset.csv")
    assert value("BU05990110", "income_per_inhabitant", 2017).value == 37.4
    assert value("BU05990110", "pct_owner_occupied", 2017).value == 36
    assert report.unknown_columns == ["k_65JaarrOfOude_12"]  # the re-publisher's typo column


@pytest.mark.django_db
def test_republisher_names_and_new_amsterdam_codes(cbs_dir):
    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    assert value("GM0363", "population", 2024).value == 931298
    assert value("GM0363", "woz_mean", 2024).value == 498
    a = Area.objects.select_related("parent").get(code="BU0363AA01")
    assert a.parent.code == "WK0363AA" and a.name == "Planciusbuurt-Noord"


@pytest.mark.django_db
def test_long_per_region_table(cbs_dir, tmp_path):
    # a real slice of the long table: every year of Rotterdam and the country
    src = (cbs_dir / "nl_kwb_housing_2013_2025.csv").read_text().splitlines()
    rows = [src[0]] + [r for r in src[1:] if ",NL00," in r or "0599" in r.split(",")[1]]
    path = tmp_path / "housing_rotterdam.csv"
    path.write_text("\n".join(rows) + "\n")
    report = kwb_import(path)
    assert report.years == list(range(2013, 2026))
    assert value("BU05990110", "dwellings", 2013).value == 8625  # SOURCES.md spot checks
    assert value("BU05990110", "dwellings", 2025).value == 11147
    assert value("BU05990110", "woz_mean", 2016).value == 182
    assert value("BU05990110", "woz_mean", 2025).value == 426
    # WOZ was not in the 2013 table at all: not stored as thousands of secrets
    assert "woz_mean 2013" in report.not_published
    assert not Observation.objects.filter(indicator__key="woz_mean", year=2013).exists()


@pytest.mark.django_db
def test_police_table_with_periode(cbs_dir):
    kwb_import(cbs_dir / "nl_buurten_registered_crime_2024.csv")
    assert value("BU00140000", "crimes_registered", 2024).value == 2665  # the file's second row


@pytest.mark.django_db
def test_year_option_for_file_without_year(cbs_dir):
    with pytest.raises(ImportFailed) as exc:
        kwb_import(cbs_dir / "nl_buurten_kwb2017_subset.csv")
    assert "--year" in str(exc.value.issues[0])
    kwb_import(cbs_dir / "nl_buurten_kwb2017_subset.csv", year=2017)
    assert value("BU16800000", "population", 2017).value == 3395


def _dutch_excel_export(cbs_dir, encoding, bom=False):
    """The Amsterdam 2020 file as Dutch Excel writes it: semicolons, decimal commas."""
    with open(cbs_dir / "amsterdam_kwb_2020_subset.csv", newline="") as f:
        rows = list(csv.reader(f))
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(rows[0])
    for r in rows[1:]:
        w.writerow([c.replace(".", ",") if c.replace(".", "").isdigit() else (c or ".")
                    for c in r])
    text = out.getvalue()
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


@pytest.mark.django_db
@pytest.mark.parametrize("encoding,bom", [("utf-8", True), ("utf-8", False), ("cp1252", False)])
def test_semicolon_decimal_comma_encodings(cbs_dir, tmp_path, encoding, bom):
    path = tmp_path / "kwb2020.csv"
    path.write_bytes(_dutch_excel_export(cbs_dir, encoding, bom))
    kwb_import(path)
    assert value("GM0363", "household_size", 2020).value == 1.8
    assert value("GM0363", "income_per_inhabitant", 2020).value == 32.4
    assert value("GM0363", "population", 2020).value == 872757


@pytest.mark.django_db
def test_xlsx(cbs_dir, tmp_path):
    with open(cbs_dir / "amsterdam_kwb_2023_income_subset.csv", newline="") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(rows[0])
    for r in rows[1:]:
        ws.append([float(c) if c.replace(".", "").isdigit() else (c or None) for c in r])
    path = tmp_path / "kwb2023.xlsx"
    wb.save(path)
    kwb_import(path)
    assert value("GM0363", "income_per_inhabitant", 2023).value == 38.6
    assert value("GM0363", "pct_low_income_households", 2023).value == 9.7
    assert value("BU0363AA01", "income_per_inhabitant", 2023).status == ObservationStatus.SECRET


@pytest.mark.django_db
def test_odata_json(cbs_dir, tmp_path):
    with open(cbs_dir / "rotterdam_kwb2017_subset.csv", newline="") as f:
        records = list(csv.DictReader(f))
    doc = {"odata.metadata": "…", "value": [
        {k: (float(v) if v and k not in ("WijkenEnBuurten",) else (v or None))
         for k, v in r.items()} | {"WijkenEnBuurten": r["WijkenEnBuurten"].ljust(10),
                                   "Perioden": "2017JJ00"}
        for r in records]}
    for rec in doc["value"]:
        del rec["jaar"]
    path = tmp_path / "odata.json"
    path.write_text(json.dumps(doc))
    kwb_import(path)
    assert value("BU05990110", "income_per_inhabitant", 2017).value == 37.4


# ------------------------------------------------------------------ idempotence and dry run

@pytest.mark.django_db
def test_reimport_changes_nothing(cbs_dir):
    first = kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    before = db_state()
    again = kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    assert not again.changed and again.observations_unchanged == first.observations_created
    assert db_state() == before


@pytest.mark.django_db
def test_dry_run_writes_nothing(cbs_dir):
    before = db_state()
    report = kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv", dry_run=True)
    assert report.observations_created > 20000
    assert db_state() == before


@pytest.mark.django_db
def test_changed_value_is_updated(cbs_dir, tmp_path):
    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    text = (cbs_dir / "amsterdam_kwb_2024_subset.csv").read_text()
    path = tmp_path / "corrected.csv"
    path.write_text(text.replace("2024,Amsterdam,Amsterdam,GM0363,931298.0",
                                 "2024,Amsterdam,Amsterdam,GM0363,931300.0"))
    report = kwb_import(path)
    assert report.observations_updated == 1 and report.observations_created == 0
    assert value("GM0363", "population", 2024).value == 931300


# ------------------------------------------------------------------ malformed files

HEADER = "jaar,naam,code,Bevolking Aantal inwoners aantal,Wonen Woningvoorraad aantal\n"


def _fails(tmp_path, content, name="bad.csv", **kw):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = db_state()
    with pytest.raises(ImportFailed) as exc:
        kwb_import(path, **kw)
    assert db_state() == before, "database must be untouched"
    return [str(i) for i in exc.value.issues], exc.value.issues


@pytest.mark.django_db
def test_no_code_column(tmp_path):
    msgs, _ = _fails(tmp_path, "jaar,naam,Bevolking Aantal inwoners aantal\n2017,X,5\n")
    assert "area codes" in msgs[0] or "gebiedscodes" in msgs[0]


@pytest.mark.django_db
def test_text_in_number_column_names_row_and_column(tmp_path):
    _, issues = _fails(tmp_path, HEADER + "2017,A,GM0363,844947,428035\n2017,B,WK036300,veel,10\n")
    assert issues[0].row == 3 and issues[0].column == "Bevolking Aantal inwoners aantal"
    assert "veel" in issues[0].message


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["1e308", "-5", "1e9"])
def test_implausible_values_are_refused_with_row_and_column(tmp_path, value):
    """A population of 1e308 imported once and then made the profile page fail (issue 13)."""
    _, issues = _fails(tmp_path, HEADER + f"2017,A,GM0363,844947,428035\n2017,B,WK036300,{value},10\n")
    assert issues[0].row == 3 and issues[0].column == "Bevolking Aantal inwoners aantal"
    assert value in issues[0].message and "25000000" in issues[0].message.replace(".", "")
    assert not Observation.objects.exists()


@pytest.mark.django_db
def test_conflicting_duplicate_rows(tmp_path):
    _, issues = _fails(tmp_path, HEADER + "2017,A,GM0363,844947,1\n2017,A,GM0363,844948,1\n")
    assert issues[0].row == 3 and "2" in issues[0].message


@pytest.mark.django_db
def test_identical_duplicate_rows_are_fine(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + "2017,A,GM0363,844947,1\n2017,A,GM0363,844947,1\n")
    assert kwb_import(path).duplicate_rows == 1


@pytest.mark.django_db
def test_no_year(tmp_path):
    msgs, _ = _fails(tmp_path, "naam,code,Bevolking Aantal inwoners aantal\nA,GM0363,5\n")
    assert "--year" in msgs[0]


@pytest.mark.django_db
def test_year_conflicts_with_option(tmp_path):
    _, issues = _fails(tmp_path, HEADER + "2017,A,GM0363,1,1\n", year=2018)
    assert issues[0].row == 2 and issues[0].column == "jaar"


@pytest.mark.django_db
def test_truncated_file(cbs_dir, tmp_path):
    data = (cbs_dir / "amsterdam_kwb_2017_full.csv").read_bytes()
    _, issues = _fails(tmp_path, data[: len(data) // 2])
    assert issues[0].row is not None and issues[0].row > 100


@pytest.mark.django_db
def test_truncated_inside_quotes(tmp_path):
    _, issues = _fails(tmp_path, HEADER + '2017,"Kop Zeedijk,GM0363,1,1\n')
    assert issues[0].row is not None


@pytest.mark.django_db
def test_truncated_xlsx(cbs_dir, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["jaar", "code", "Bevolking Aantal inwoners aantal"])
    wb.active.append([2017, "GM0363", 5])
    buf = io.BytesIO()
    wb.save(buf)
    msgs, _ = _fails(tmp_path, buf.getvalue()[:-200], name="bad.xlsx")
    assert "XLSX" in msgs[0]


@pytest.mark.django_db
def test_invalid_area_code(tmp_path):
    _, issues = _fails(tmp_path, HEADER + "2017,A,Amsterdam,1,1\n")
    assert issues[0].row == 2 and issues[0].column == "code"


@pytest.mark.django_db
@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage", b"jaar,code\n",
                                     b"{not json", b'{"value": 3}'])
def test_hostile_input_gives_clear_error(tmp_path, content):
    name = "bad.json" if content.startswith(b"{") else "bad.csv"
    msgs, _ = _fails(tmp_path, content, name=name)
    assert msgs and all(m for m in msgs)


@pytest.mark.django_db
def test_second_bad_row_rolls_back_whole_file(cbs_dir, tmp_path):
    text = (cbs_dir / "amsterdam_kwb_2024_subset.csv").read_text().splitlines()
    text[400] = text[400].replace(",1.0", ",één", 1)
    _, issues = _fails(tmp_path, "\n".join(text) + "\n")
    assert issues[0].row == 401


# ------------------------------------------------------------------ the command line

@pytest.mark.django_db
def test_cli_reports_and_exits_non_zero_on_error(cbs_dir, tmp_path, capsys):
    call_command("import-kwb", str(cbs_dir / "amsterdam_kwb_2024_subset.csv"), "--dry-run")
    out = capsys.readouterr().out
    assert "2024" in out and Observation.objects.count() == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2017,A,GM0363,x1,1\n")
    with pytest.raises(CommandError):
        call_command("import-kwb", str(bad))
    err = capsys.readouterr().err
    assert "2" in err and "Bevolking Aantal inwoners aantal" in err


def test_cli_exit_code_in_a_real_process(tmp_path):
    import os
    import subprocess
    import sys

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2017,A,GM0363,x1,1\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "WIJKINZICHT_VAR_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "wijkinzicht", "migrate", "-v0"], env=env, check=True)
    proc = subprocess.run([sys.executable, "-m", "wijkinzicht", "import-kwb", str(bad)], env=env,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "x1" in proc.stderr


@pytest.mark.parametrize("text,expected", [
    ("12.5", 12.5), ("12,5", 12.5), ("1.234,5", 1234.5), (" 7 ", 7.0), (".", None), ("", None),
    (None, None), (3, 3.0), (2.5, 2.5),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["nan", "inf", "1_000", "abc", "1,234.5", True])
def test_parse_number_rejects(text):
    with pytest.raises((ValueError, TypeError)):
        parse_number(text)


def test_parse_is_pure_and_reads_odata_codes_with_padding(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Perioden;WijkenEnBuurten;AantalInwoners_5\n2024JJ00;GM0363    ;931298\n")
    parsed = parse_kwb(path)
    assert parsed.values[("GM0363", 2024, "population")] == 931298


def test_the_upload_row_limit_does_not_apply_to_cbs_files(db, cbs_dir, settings):
    """WIJKINZICHT_IMPORT_MAX_ROWS guards uploads; the national KWB files of the demo have more than
    200,000 rows and are loaded by an administrator's command (the demo broke on it once)."""
    from wijkinzicht.areas.models import Area
    from wijkinzicht.areas.services import kwb_import

    settings.IMPORT_MAX_ROWS = 5
    report = kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    assert report.rows > 5 and Area.objects.filter(code="GM0363").exists()


def test_the_not_attributable_pseudo_area_is_skipped_not_created(db, cbs_dir):
    """An attack pass: "GM0000 GM0000" stood among the gemeenten, made from the police's
    BU00000000 (crimes without a place) in the crime file."""
    from wijkinzicht.areas.models import Area
    from wijkinzicht.areas.services import kwb_import

    report = kwb_import(cbs_dir / "nl_buurten_registered_crime_2024.csv")
    assert report.not_attributable == 1
    assert not Area.objects.filter(code__in=["BU00000000", "WK000000", "GM0000"]).exists()
    assert Area.objects.filter(code="BU00140000").exists()
