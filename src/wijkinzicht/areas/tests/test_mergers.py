"""Gemeente mergers as lineage (issue 14, item 1; decision 0017), on CBS's real lifecycle, names and
dwellings: Westerwolde (2018) is Bellingwedde + Vlagtwedde; Westerkwartier (2019) also took part
of Winsum, so its predecessors do not add up and nothing is linked; Haren went into Groningen,
which kept its code, so it is not linked either."""

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkinzicht.analysis.mergers import Gemeente, find_mergers
from wijkinzicht.areas import selectors
from wijkinzicht.areas.models import Area, AreaLink
from wijkinzicht.areas.services import kwb_import, mergers_import, names_import

LIFECYCLE = "areas/nl_gemeenten_lifecycle_nlextract.csv"
LOOKUP = "areas/nl_gwb_name_lookup_2013_2025.csv"
HOUSING = "nl_kwb_housing_2013_2025.csv"


def _date(text):
    return dt.date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def national(cbs_dir):
    """The whole country from the files, without a database: every merger since 2014."""
    def rows(name):
        with open(cbs_dir / name, encoding="utf-8") as f:
            return list(csv.DictReader(f))

    gemeenten = [Gemeente(r["gemeentecode_gm"], r["gemeentenaam"], _date(r["begindatum"]),
                          _date(r["einddatum"])) for r in rows(LIFECYCLE)]
    names = defaultdict(list)
    for r in rows(LOOKUP):
        if r["level"] in ("wijk", "buurt") and r["name"]:
            names[r["gemeente_code"]].append(r["name"])
    dwellings = {(r["region_code"], int(r["year"])): float(r["woningvoorraad"])
                 for r in rows(HOUSING) if r["region_type"] == "gemeente" and r["woningvoorraad"]}
    return {f.predecessor.name: f for f in find_mergers(gemeenten, names, dwellings, first_year=2014)}


def test_whole_mergers_are_linked_and_partial_ones_are_not(national):
    linked = {name: f.successor.name for name, f in national.items() if f.linked}
    assert linked["Bellingwedde"] == linked["Vlagtwedde"] == "Westerwolde"
    assert linked["Heerhugowaard"] == linked["Langedijk"] == "Dijk en Waard"
    assert {n for n, s in linked.items() if s == "Hoeksche Waard"} == {
        "Binnenmaas", "Cromstrijen", "Korendijk", "Oud-Beijerland", "Strijen"}
    assert linked["Vianen"] == "Vijfheerenlanden"  # across a provincial border
    assert linked["Groesbeek"] == "Berg en Dal"  # a new name and code for the same gemeente
    # Westerkwartier also took Ezinge from Winsum: its four whole predecessors fall 4.2 % short
    for name in ("Grootegast", "Leek", "Marum", "Zuidhorn"):
        f = national[name]
        assert f.successor.name == "Westerkwartier" and not f.linked and f.reason == "dwellings_differ"
        assert f.dwellings_difference == pytest.approx(0.042, abs=0.001)
    assert national["De Friese Meren"].reason == "mid_year"  # re-coded on 1 July 2015
    whole = {n for n, f in national.items() if f.linked and not f.absorbed}
    assert len(whole) == 56


def test_absorptions_into_a_gemeente_that_kept_its_code(national):
    """Haren and Ten Boer went into Groningen (2019), which kept GM0014: an absorption, not a sum."""
    absorbed = {name: f.successor.name for name, f in national.items() if f.absorbed}
    assert absorbed == {
        "Haren": "Groningen", "Ten Boer": "Groningen", "Rijnwaarden": "Zevenaar",
        "Graft-De Rijp": "Alkmaar", "Schermer": "Alkmaar", "Beemster": "Purmerend",
        "Haarlemmerliede en Spaarnwoude": "Haarlemmermeer", "Zeevang": "Edam-Volendam"}
    # Leeuwarden also took part of Littenseradiel in 2018: its jump is 3.4 % more than Leeuwarderadeel
    f = national["Leeuwarderadeel"]
    assert f.successor.name == "Leeuwarden" and not f.linked and f.reason == "dwellings_differ"
    assert f.dwellings_difference == pytest.approx(0.034, abs=0.001)


@pytest.fixture
def groningen(db, cbs_dir, tmp_path):
    """The real housing figures and names of the gemeenten around Westerwolde and Westerkwartier."""
    keep = {"GM0007", "GM0048", "GM1950", "GM0015", "GM0022", "GM0025", "GM0056", "GM1969", "GM0053",
            "GM1966", "GM0014", "GM0017", "GM0009"}
    path = tmp_path / "housing.csv"
    with open(cbs_dir / HOUSING, encoding="utf-8") as src, open(path, "w", encoding="utf-8") as out:
        out.write(src.readline())
        for line in src:
            code = line.split(",")[1]
            if "GM" + code[2:6] in keep:
                out.write(line)
    kwb_import(path)
    names_import(cbs_dir / LOOKUP)


def test_the_import_links_westerwolde_and_the_profile_sums_its_predecessors(groningen, cbs_dir):
    out = io.StringIO()
    call_command("import-mergers", str(cbs_dir / LIFECYCLE), "--list", stdout=out)
    said = out.getvalue()
    assert "GM0007 Bellingwedde -> GM1950 Westerwolde (2018)" in said
    assert "GM0015 Grootegast (2019)" in said and "+4.2%" in said
    links = {(link.predecessor.code, link.successor.code, link.year, link.share, link.kind)
             for link in AreaLink.objects.select_related("predecessor", "successor")}
    assert links == {("GM0007", "GM1950", 2018, 1.0, "recode"), ("GM0048", "GM1950", 2018, 1.0, "recode"),
                     ("GM0017", "GM0014", 2019, 1.0, "absorbed"), ("GM0009", "GM0014", 2019, 1.0, "absorbed")}
    westerwolde = selectors.area_profile(area=Area.objects.get(code="GM1950"))
    assert westerwolde.lineage.back == "sum"
    dwellings = next(p for p in westerwolde.key_figures if p.indicator.key == "dwellings").own.values
    parts = [Area.objects.get(code=c).observations.get(year=2017, indicator__key="dwellings").value
             for c in ("GM0007", "GM0048")]
    assert dwellings[2017].value == sum(parts) and dwellings[2017].via == "GM0007, GM0048"
    rented = next(p for p in westerwolde.key_figures if p.indicator.key == "pct_rented").own.values
    assert min(rented) == 2018  # a share is not summed: it starts again
    bellingwedde = selectors.area_profile(area=Area.objects.get(code="GM0007"))
    assert bellingwedde.lineage.merged and not bellingwedde.lineage.forward
    again = mergers_import(cbs_dir / LIFECYCLE)  # re-importing changes nothing
    assert again.links_created == 0 and again.links_unchanged == 4


def test_groningen_took_in_haren_its_series_is_marked_not_summed(groningen, cbs_dir, client):
    from django.contrib.auth import get_user_model

    mergers_import(cbs_dir / LIFECYCLE)
    groningen = selectors.area_profile(area=Area.objects.get(code="GM0014"))
    lin = groningen.lineage
    assert lin.back == "" and lin.predecessors == [] and lin.grew_in == 2019
    assert sorted(t.area.code for t in lin.took_in) == ["GM0009", "GM0017"]
    dwellings = next(p for p in groningen.key_figures if p.indicator.key == "dwellings").own.values
    assert all(c.via == "" for c in dwellings.values())  # its own figures, never a sum
    fact = next(f for f in selectors.factsheet(groningen) if f.indicator.key == "dwellings")
    assert fact.first_year == 2019  # the change is counted on the larger area only
    haren = selectors.area_profile(area=Area.objects.get(code="GM0017")).lineage
    assert haren.absorbed_into.area.code == "GM0014" and haren.forward == "" and not haren.merged
    assert selectors.same_area_ids({Area.objects.get(code="GM0017").pk}) == {
        Area.objects.get(code="GM0017").pk: [Area.objects.get(code="GM0017").pk]}  # not "the same area"
    client.force_login(get_user_model().objects.create_user("analist", password="geheim-wachtwoord-1"))
    html = client.get("/gebieden/GM0014/").content.decode()
    assert "zijn hierin opgegaan" in html and "/gebieden/GM0017/" in html and "groter gebied" in html
    html = client.get("/gebieden/GM0017/").content.decode()
    assert "/gebieden/GM0014/" in html and "dat zijn code hield" in html


def test_a_broken_lifecycle_file_names_row_and_column_and_writes_nothing(groningen, tmp_path):
    bad = tmp_path / "lifecycle.csv"
    bad.write_text("gemeentecode_gm,gemeentenaam,begindatum,einddatum\nGM0007,Bellingwedde,1968-01-01,2018-13-01\n"
                   "XX12,Nergens,1970-01-01,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-mergers", str(bad), stderr=err)
    assert "rij 2" in err.getvalue().lower() or "row 2" in err.getvalue().lower()
    assert "einddatum" in err.getvalue() and "gemeentecode_gm" in err.getvalue()
    assert not AreaLink.objects.exists()
    (tmp_path / "header.csv").write_text("code,naam\nGM0007,x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import-mergers", str(tmp_path / "header.csv"), stderr=io.StringIO())


@pytest.mark.parametrize("command", ["import-mergers", "import-crosswalk", "import-names", "import-kwb"])
def test_a_missing_file_or_a_folder_is_said_in_dutch(db, tmp_path, command):
    from django.utils import translation

    with translation.override("nl"), pytest.raises(CommandError) as caught:
        call_command(command, str(tmp_path / "weg.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    assert str(caught.value) == f"{tmp_path / 'weg.csv'}: het bestand bestaat niet."
    with translation.override("nl"), pytest.raises(CommandError) as caught:
        call_command(command, str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert "map" in str(caught.value)


def test_attack_pass_duplicates_loose_dates_huge_files_and_an_empty_database(groningen, tmp_path, cbs_dir):
    """An attack pass: duplicate rows gave nonsense counts, '19700101' passed as a date, a huge file
    or /dev/zero was read whole (2.6 GB), a long file took minutes, and a database without figures
    answered 'imported' having decided nothing."""
    from wijkinzicht.areas.importers import ImportFailed

    lines = (cbs_dir / LIFECYCLE).read_text(encoding="utf-8").splitlines()
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("\n".join(lines + lines[1:3]) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        mergers_import(doubled)
    assert "ook op rij 2" in str(caught.value.issues[0]) or "also on row 2" in str(caught.value.issues[0])
    loose = tmp_path / "loose.csv"
    loose.write_text(lines[0] + "\n20,Groningen,GM0003,0003,Appingedam,19700101,\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        mergers_import(loose)
    assert caught.value.issues[0].column == "begindatum"
    huge = tmp_path / "huge.csv"
    huge.write_bytes(b"x" * 2_100_000)
    with pytest.raises(ImportFailed):
        mergers_import(huge)
    with pytest.raises(ImportFailed):
        mergers_import("/dev/zero")
    many = tmp_path / "many.csv"
    many.write_text(lines[0] + "\n" + "".join(f"20,G,GM{n:04d},{n:04d},X{n},1970-01-01,2020-01-01\n"
                                              for n in range(1, 6001)), encoding="utf-8")
    with pytest.raises(ImportFailed) as caught:
        mergers_import(many)
    assert "5000" in str(caught.value.issues[0]).replace(".", "")


def test_without_figures_nothing_is_decided_and_that_is_said(db, cbs_dir):
    from wijkinzicht.areas.importers import ImportFailed

    with pytest.raises(ImportFailed) as caught:
        mergers_import(cbs_dir / LIFECYCLE)
    assert "KWB" in str(caught.value.issues[0])
