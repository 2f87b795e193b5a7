"""Areas through time (issue 14, item 1): Amsterdam's 2023 re-coding from its real crosswalk, and a
merge, a split and a break, each through `wijkinzicht import-crosswalk`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wijkinzicht.areas import selectors
from wijkinzicht.areas.importers import ImportFailed
from wijkinzicht.areas.models import Area, AreaLink
from wijkinzicht.areas.services import crosswalk_import


def crosswalk(cbs_dir, **options):
    out = io.StringIO()
    call_command("import-crosswalk", str(cbs_dir / "amsterdam_buurt_crosswalk_2015_2022.csv"),
                 "--from-column", "BUURTCODE_CBS_2015", "--to-column", "BUURTCODE_CBS_2022", "--year", "2023",
                 stdout=out, **options)
    return out.getvalue()


def population(profile, area):
    prof = next(p for p in profile.key_figures + profile.other_figures if p.indicator.key == "population")
    return {y: (c.value, c.via) for y, c in prof.own.values.items()}


def test_a_1_to_1_re_coding_gives_one_series_from_2017_to_2024(amsterdam_both_codes, cbs_dir):
    """/gebieden/BU03630000/ stopped in 2021 and BU0363AE01 started in 2023, unlinked."""
    said = crosswalk(cbs_dir)
    assert "439 regels, 543 koppelingen nieuw" in said  # 439 buurten and 104 wijk links
    assert "104 koppelingen van wijken en gemeenten afgeleid" in said
    old, new = Area.objects.get(code="BU03630000"), Area.objects.get(code="BU0363AE01")
    assert AreaLink.objects.get(predecessor=old, successor=new).share == 1.0
    back = selectors.area_profile(area=new)
    assert back.lineage.back == "same" and back.lineage.predecessors[0].area == old
    series = population(back, new)
    assert series[2017] == (old.observations.get(year=2017, indicator__key="population").value, "BU03630000")
    assert series[2024][1] == ""  # its own figure
    forward = population(selectors.area_profile(area=old), old)
    assert sorted(forward) == [2017, 2024] and forward[2024][1] == "BU0363AE01"
    # the wijken follow from their buurten: old WK036300 went wholly into new WK0363AE
    wk = AreaLink.objects.get(predecessor__code="WK036300", successor__code="WK0363AE")
    assert wk.share == pytest.approx(1.0) and wk.source.endswith("(buurten)")
    links = AreaLink.objects.count()
    again = crosswalk(cbs_dir)  # re-import changes nothing
    assert "0 koppelingen nieuw, 0 gewijzigd" in again and AreaLink.objects.count() == links


def test_the_profile_page_links_old_and_new_and_marks_carried_figures(client, amsterdam_both_codes, cbs_dir):
    from django.contrib.auth import get_user_model

    crosswalk(cbs_dir)
    client.force_login(get_user_model().objects.create_user("analist", password="geheim-wachtwoord-1"))
    html = client.get("/gebieden/BU0363AE01/").content.decode()
    assert "/gebieden/BU03630000/" in html and 'class="via"' in html
    html = client.get("/gebieden/BU03630000/").content.decode()
    assert "/gebieden/BU0363AE01/" in html


def write(tmp_path, text):
    path = tmp_path / "crosswalk.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_merge_sums_counts_and_restarts_rates(amsterdam_both_codes, tmp_path):
    # two whole old buurten into one new buurt (a constructed crosswalk over real figures)
    crosswalk_import(write(tmp_path, "from_code,to_code,year\nBU03630000,BU0363AE01,2023\n"
                                     "BU03630001,BU0363AE01,2023\n"))
    new = Area.objects.get(code="BU0363AE01")
    profile = selectors.area_profile(area=new)
    assert profile.lineage.back == "sum"
    olds = [Area.objects.get(code=c).observations.get(year=2017, indicator__key="population").value
            for c in ("BU03630000", "BU03630001")]
    assert population(profile, new)[2017] == (sum(olds), "BU03630000, BU03630001")
    rates = [p for p in profile.key_figures + profile.other_figures if p.indicator.unit not in ("aantal",)]
    assert rates and all(2017 not in p.own.values for p in rates if 2024 in p.own.values)


def test_a_split_sums_the_parts_forward_and_partial_shares_break(amsterdam_both_codes, tmp_path):
    crosswalk_import(write(tmp_path, "from_code,to_code,year,share\nBU03630000,BU0363AE01,2023,0.6\n"
                                     "BU03630000,BU0363AE02,2023,0.4\n"))
    old = Area.objects.get(code="BU03630000")
    profile = selectors.area_profile(area=old)
    assert profile.lineage.forward == "sum"
    parts = [Area.objects.get(code=c).observations.get(year=2024, indicator__key="population").value
             for c in ("BU0363AE01", "BU0363AE02")]
    assert population(profile, old)[2024][0] == sum(parts)
    # BU0363AE02 now has one predecessor that gave it only part of itself: a break, nothing carried
    part = selectors.area_profile(area=Area.objects.get(code="BU0363AE02"))
    assert part.lineage.predecessors and part.lineage.back == "" and part.lineage.breaks
    assert 2017 not in population(part, None)


def test_a_bad_crosswalk_names_row_and_column_and_writes_nothing(amsterdam_both_codes, tmp_path):
    cases = [
        ("from_code,to_code,year\nBU03630000,XX,2023\n", "rij 2, kolom “to_code”"),
        ("from_code,to_code,year\nBU03630000,WK0363AE,2023\n", "rij 2, kolom “to_code”"),
        ("from_code,to_code,year,share\nBU03630000,BU0363AE01,2023,1.5\n", "rij 2, kolom “share”"),
        ("from_code,to_code,year\nBU03630000,BU0363AE01,2023\nBU03630000,BU0363AE02,2023\n", "kolom “share”"),
        ("from_code,to_code,year,share\nBU03630000,BU0363AE01,2023,0.7\nBU03630000,BU0363AE02,2023,0.7\n",
         "meer dan 1"),
        ("from_code,to_code,year\nBU03630000,BU0363AE01,twee\n", "rij 2, kolom “year”"),
        ("van,naar\nBU03630000,BU0363AE01\n", "from_code"),
    ]
    for text, expected in cases:
        with pytest.raises(ImportFailed) as exc:
            crosswalk_import(write(tmp_path, text))
        assert expected in " ".join(str(i) for i in exc.value.issues), text
    assert not AreaLink.objects.exists()
    with pytest.raises(CommandError):
        call_command("import-crosswalk", str(write(tmp_path, cases[0][0])), stdout=io.StringIO(),
                     stderr=io.StringIO())


def test_a_year_option_outside_the_range_and_bad_names_are_refused(amsterdam_both_codes, tmp_path):
    """An attack pass: --year -3 crashed on a database constraint, --year 1800 was stored; names with
    a formula, markup or a NUL were stored."""
    from wijkinzicht.areas.services import names_import

    path = write(tmp_path, "from_code,to_code\nBU03630000,BU0363AE01\n")
    for year in (-3, 1800, 99999):
        with pytest.raises(ImportFailed, match="--year"):
            crosswalk_import(path, year=year)
    assert not AreaLink.objects.exists()
    for name in ('=HYPERLINK("http://x")', "<img src=x onerror=alert(1)>", "Kop\x00Zeedijk"):
        names = tmp_path / "names.csv"
        quoted = name.replace('"', '""')
        names.write_text(f'code,name,year\nBU03630000,"{quoted}",2024\n', encoding="utf-8")
        with pytest.raises(ImportFailed, match="rij 2, kolom “name”"):
            names_import(names)
    names.write_text("code,name,year\nBU03630000,Kop Zeedijk,2099\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match="toekomst"):
        names_import(names)
    assert Area.objects.get(code="BU03630000").name == "Kop Zeedijk"


def test_a_repeated_row_is_counted_and_a_conflicting_one_refused(amsterdam_both_codes, tmp_path):
    out = io.StringIO()
    path = write(tmp_path, "from_code,to_code,year\nBU03630000,BU0363AE01,2023\nBU03630000,BU0363AE01,2023\n")
    call_command("import-crosswalk", str(path), stdout=out)
    assert "al gegeven" in out.getvalue() and ": 1" in out.getvalue()
    assert AreaLink.objects.count() >= 1
    AreaLink.objects.all().delete()
    path = write(tmp_path, "from_code,to_code,year\nBU03630000,BU0363AE01,2023\nBU03630000,BU0363AE01,2024\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import-crosswalk", str(path), stdout=io.StringIO(), stderr=err)
    assert "rij 2" in err.getvalue() and "year" in err.getvalue()
    assert not AreaLink.objects.exists()
