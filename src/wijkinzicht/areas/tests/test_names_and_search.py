"""Every area has its name, and search finds what people type (issue 14, item 1): aliases ("Den
Haag"), accents and case ignored. On the real CBS files in data/cbs/."""

import pytest

from wijkinzicht.areas import selectors
from wijkinzicht.areas.constants import ALIASES, search_key
from wijkinzicht.areas.importers import ImportFailed
from wijkinzicht.areas.models import Area
from wijkinzicht.areas.services import kwb_import, names_import

GEMEENTEN = ("GM0518", "GM0599", "GM0034", "GM0796")


@pytest.fixture
def housing(db, cbs_dir, tmp_path):
    """The real housing series of Den Haag, Rotterdam, Almere and Den Bosch (codes, no names)."""
    lines = (cbs_dir / "nl_kwb_housing_2013_2025.csv").read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [line for line in lines[1:] if "GM" + line.split(",")[1][2:6] in GEMEENTEN]
    subset = tmp_path / "housing.csv"
    subset.write_text("\n".join(keep) + "\n", encoding="utf-8")
    kwb_import(subset)


def test_every_area_gets_its_name_from_the_lookup(housing, cbs_dir):
    unnamed = Area.objects.filter(level="wijk", name="").count()
    assert unnamed > 100  # the housing file has codes only: "WK059901 WK059901"
    report = names_import(cbs_dir / "areas" / "nl_gwb_name_lookup_2013_2025.csv")
    assert report.names_set > 500 and report.unknown_areas > 0
    assert Area.objects.get(code="WK059901").name == "Rotterdam Centrum"
    for level in ("gemeente", "wijk", "buurt"):
        total = Area.objects.filter(level=level).count()
        named = Area.objects.filter(level=level).exclude(name="").count()
        assert named / total > 0.95, (level, named, total)
    again = names_import(cbs_dir / "areas" / "nl_gwb_name_lookup_2013_2025.csv")
    assert again.names_set == 0  # idempotent


def test_search_knows_aliases_accents_and_case(housing, cbs_dir):
    names_import(cbs_dir / "areas" / "nl_gwb_names_2025.csv")
    found = lambda q: {a.code for a in selectors.area_search(q=q)}  # noqa: E731
    assert "GM0518" in found("Den Haag") and "GM0518" in found("den haag")
    assert "GM0518" in found("'s-Gravenhage") and "GM0518" in found("s gravenhage")
    assert "GM0796" in found("Den Bosch")
    assert "BU00341807" in found("lumiere") and "BU00341807" in found("LUMIÈREPARK")
    assert "WK059901" in found("rotterdam centrum") and "WK059901" in found("wk059901")
    assert found("%") == set() and found("_") == set()


def test_every_alias_points_at_a_gemeente_of_2025(cbs_dir):
    text = (cbs_dir / "areas" / "nl_gwb_names_2025.csv").read_text(encoding="utf-8")
    gemeenten = {line.split(",")[2] for line in text.splitlines()[1:] if line.split(",")[1] == "gemeente"}
    assert set(ALIASES.values()) <= gemeenten
    assert all(alias == search_key(alias) for alias in ALIASES)


def test_a_bad_names_file_names_row_and_column_and_writes_nothing(housing, tmp_path):
    bad = tmp_path / "names.csv"
    bad.write_text("code,name,year\nWK059901,Centrum,2025\nXX12,Iets,2025\nWK059903,Delfshaven,twintig\n")
    with pytest.raises(ImportFailed) as exc:
        names_import(bad)
    text = " ".join(str(i) for i in exc.value.issues)
    assert "rij 3, kolom “code”" in text and "rij 4, kolom “year”" in text
    assert Area.objects.get(code="WK059901").name == ""
    bad.write_text("code,naam\nWK059901,Centrum\n")
    with pytest.raises(ImportFailed, match="name"):
        names_import(bad)


def test_a_postcode_finds_the_buurt_it_lies_in(client, orgs_with_activity_and_boundaries):
    """Issue 14: search finds by postcode where coordinates allow (the published activities' own
    postcodes and points; no postcode register is shipped)."""
    client.force_login(orgs_with_activity_and_boundaries)
    html = client.get("/gebieden/", {"q": "1012 AN"}).content.decode()
    assert "Postcode 1012 AN ligt in buurt" in html and "/gebieden/BU03630000/" in html
    assert "op die postcode" in html  # how it was placed
    html = client.get("/gebieden/", {"q": "1012AB"}).content.decode()
    assert "/gebieden/BU03630000/" in html and "Ruwweg geplaatst" in html  # the middle of its four-digit area
    html = client.get("/gebieden/", {"q": "9999 ZZ"}).content.decode()
    assert "niet te plaatsen" in html


@pytest.fixture
def orgs_with_activity_and_boundaries(db, amsterdam_boundaries):
    import datetime as dt

    from django.contrib.auth import get_user_model

    from wijkinzicht.activities import services
    from wijkinzicht.parties.services import membership_grant, organisation_create

    org = organisation_create(name="Welzijn Test", kind="welzijn")
    user = get_user_model().objects.create_user("veldwerker", password="geheim-wachtwoord-1")
    membership_grant(user=user, organisation=org, role="coordinator")
    activity = services.activity_create(
        user=user, organisation=org, code="KOFFIE", title="Koffieochtend Zeedijk", kind="buurthuis",
        themes=["ontmoeting"], target_groups=["ouderen"], weekdays=[2], start_time=dt.time(10),
        end_time=dt.time(12), location_name="Buurthuis De Kop", address="Zeedijk 1", postcode="1012 AN",
        city="Amsterdam", latitude=52.3760, longitude=4.9005, is_free=True, is_published=True,
        area_codes=["BU03630000"], start_date=dt.date(2020, 1, 1))
    assert activity.is_published
    return user
