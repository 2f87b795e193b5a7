"""The table builder (issue 14, item 5): areas x indicators x years on the page and as CSV/XLSX,
following Amsterdam's 2023 re-coding, with every refusal named by field."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from wijkinzicht.areas import selectors, tables
from wijkinzicht.areas.models import Area, Indicator, Observation

from .test_lineage import crosswalk


@pytest.fixture
def analyst_client(client, db):
    client.force_login(get_user_model().objects.create_user("analist", password="geheim-wachtwoord-1"))
    return client


def get(client, **params):
    return client.get("/gebieden/tabel/", params)


def test_first_visit_offers_the_key_figures_and_no_table(analyst_client, amsterdam):
    html = get(analyst_client, areas="GM0363").content.decode()
    assert ">GM0363</textarea>" in html
    assert re.search(r'value="population"[^>]*checked', html)  # a key figure
    assert not re.search(r'value="men"[^>]*checked', html)
    assert "download=xlsx" not in html


def test_a_buurt_runs_on_across_the_re_coding_in_page_csv_and_xlsx(analyst_client, amsterdam_both_codes,
                                                                   cbs_dir):
    crosswalk(cbs_dir)
    params = {"areas": "BU0363AE01", "indicators": ["population", "woz_mean"]}
    html = get(analyst_client, **params).content.decode()
    assert 'class="via"' in html and "BU03630000" in html
    old_2017 = Observation.objects.get(area__code="BU03630000", year=2017, indicator__key="population").value
    new_2024 = Observation.objects.get(area__code="BU0363AE01", year=2024, indicator__key="population").value

    response = get(analyst_client, download="csv", **params)
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:5] == ["Code", "Naam", "Niveau", "Gemeente", "Jaar"]
    assert rows[0][-1] == "Cijfers van code"
    by_year = {r[4]: r for r in rows[1:]}
    assert sorted(by_year) == ["2017", "2024"]
    assert by_year["2017"][5] == str(int(old_2017)) and by_year["2017"][-1] == "BU03630000"
    assert by_year["2024"][5] == str(int(new_2024)) and by_year["2024"][-1] == ""
    assert by_year["2024"][3] == "Amsterdam"

    response = get(analyst_client, download="xlsx", **params)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    values = list(sheet.values)
    assert values[0][4] == "Jaar" and len(values) == 3
    assert {v[4]: v[5] for v in values[1:]} == {2017: old_2017, 2024: new_2024}
    assert "Toelichting" in book.sheetnames


def test_parts_of_a_gemeente_at_buurt_level_are_the_newest_division(analyst_client, amsterdam_both_codes):
    areas = tables.parts_of(Area.objects.get(code="GM0363"), "buurt")
    assert areas and all(a.code.startswith("BU0363") for a in areas)
    newest = max(a.last_year for a in areas)
    assert all(a.last_year == newest for a in areas)  # no pre-2023 codes beside the new ones
    html = get(analyst_client, parts_of="GM0363", parts_level="buurt", indicators=["population"],
               year_from=2024, year_to=2024).content.decode()
    assert f"{len(areas)} gebieden" in html


def test_names_aliases_and_unknown_areas(amsterdam, db):
    found, problems = selectors.resolve_areas(["amsterdam", "GM0363", "Nergenshuizen", "GM9999"])
    assert [a.code for a in found] == ["GM0363"]  # a name and its code are one area
    assert len(problems) == 2 and "Nergenshuizen" in problems[0] and "GM9999" in problems[1]


def test_refusals_name_the_field_and_nothing_is_downloaded(analyst_client, amsterdam):
    response = get(analyst_client, areas="Nergenshuizen", indicators=["population"], download="csv")
    assert response["Content-Type"].startswith("text/html") and "Nergenshuizen" in response.content.decode()
    html = get(analyst_client, areas="", indicators=["population"]).content.decode()
    assert 'role="alert"' in html and "Gebieden" in html
    html = get(analyst_client, areas="GM0363", indicators=["population"], year_from=2024,
               year_to=2017).content.decode()
    assert "ligt voor het eerste" in html
    html = get(analyst_client, areas="GM0363", indicators=["no_such_indicator"]).content.decode()
    assert 'role="alert"' in html


def test_a_table_too_large_is_refused_before_anything_is_read(amsterdam, monkeypatch, db):
    monkeypatch.setattr(tables, "MAX_CELLS", 10)
    areas = list(Area.objects.filter(code__startswith="BU0363")[:5])
    indicators = list(Indicator.objects.all()[:3])
    with pytest.raises(tables.TableRequestError) as caught:
        tables.area_table(areas=areas, indicators=indicators, years=[2017])
    assert caught.value.field == "indicators"


def test_exported_names_cannot_run_as_formulas(analyst_client, amsterdam):
    Area.objects.filter(code="GM0363").update(name="=HYPERLINK(\"http://x\")")
    response = get(analyst_client, areas="GM0363", indicators=["population"], download="csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_attack_pass_repeats_caps_and_the_country(analyst_client, amsterdam_both_codes, monkeypatch):
    """An attack pass: a repeated indicator gave an always-empty column; typed areas plus parts went
    past the cap; the country's buurten answered 'choose at least one area'."""
    text = get(analyst_client, areas="GM0363", indicators=["population", "pct_rented", "population"],
               download="csv").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header.count("Aantal inwoners (aantal)") == 1
    monkeypatch.setattr(tables, "MAX_AREAS", 50)
    html = get(analyst_client, areas="GM0363", parts_of="GM0363", parts_level="buurt",
               indicators=["population"]).content.decode()
    assert "ten hoogste 50" in html and "download=csv" not in html
    html = get(analyst_client, parts_of="NL00", parts_level="buurt",
               indicators=["population"]).content.decode()
    assert "delen van dat niveau" in html  # too many parts, said -- not "choose an area"
    burglary = Indicator.objects.get(key="burglary_per_1000")
    assert tables.column_label(burglary) == burglary.label  # "... per 1 000 inwoners", once
