"""The profile's factsheet (issue 14, item 5): key figures first with their trend, the map
coloured by a rate, and the one-page PDF."""

import io

import pypdf
import pytest
from django.contrib.auth import get_user_model

from wijkinzicht.areas import selectors
from wijkinzicht.areas.models import Area, Observation
from wijkinzicht.core.templatetags.wijkinzicht import fact_change

from .test_lineage import crosswalk


@pytest.fixture
def analyst_client(client, db):
    client.force_login(get_user_model().objects.create_user("analist", password="geheim-wachtwoord-1"))
    return client


def facts_of(code):
    profile = selectors.area_profile(area=Area.objects.get(code=code))
    return {f.indicator.key: f for f in selectors.factsheet(profile)}


def test_a_fact_is_the_newest_figure_with_its_change_since_the_first(amsterdam_both_codes, cbs_dir):
    crosswalk(cbs_dir)
    facts = facts_of("BU0363AE01")  # a buurt whose 2017 figures are under its old code
    pop = facts["population"]
    first = Observation.objects.get(area__code="BU03630000", year=2017, indicator__key="population").value
    last = Observation.objects.get(area__code="BU0363AE01", year=2024, indicator__key="population").value
    assert (pop.year, pop.cell.value, pop.first_year, pop.first.value) == (2024, last, 2017, first)
    assert pop.first.via == "BU03630000"  # carried across the re-coding, and said so
    assert pop.change == pytest.approx(last / first - 1)
    assert pop.beside == []  # a count is not compared with the wijk or the gemeente


def test_a_share_changes_in_percentage_points_and_is_compared(amsterdam_both_codes, cbs_dir):
    facts = facts_of("GM0363")
    share = next(f for f in facts.values() if f.indicator.unit == "%" and f.change is not None)
    assert share.points and share.change == pytest.approx(share.cell.value - share.first.value)
    assert fact_change(share).endswith("procentpunt")
    buurt = facts_of("BU03630000")["pct_rented"]  # a rate: beside it its wijk and gemeente, same year
    gemeente = Observation.objects.get(area__code="GM0363", year=buurt.year, indicator__key="pct_rented")
    beside = {a.code: c.value for a, c in buurt.beside}
    assert "GM0363" in beside and beside["GM0363"] == gemeente.value


def test_the_profile_shows_the_factsheet_first_and_the_map_by_a_rate(analyst_client, amsterdam):
    html = analyst_client.get("/gebieden/GM0363/").content.decode()
    assert html.index('class="factsheet"') < html.index('id="map"') < html.index('id="trends"')
    assert 'class="spark"' in html or 'class="fact"' in html
    # the map is coloured by population density (a rate), not by the number of inhabitants
    assert 'value="population_density" selected' in html


def test_the_factsheet_pdf_is_one_page_with_the_figures(analyst_client, amsterdam_both_codes, cbs_dir):
    crosswalk(cbs_dir)
    response = analyst_client.get("/gebieden/BU0363AE01/kerncijfers.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    last = Observation.objects.get(area__code="BU0363AE01", year=2024, indicator__key="population").value
    assert "Aantal inwoners" in text and f"{int(last):,}".replace(",", ".") in text
    assert "BU0363AE01" in text and "hercodering" in text  # the carried figures are explained
    gemeente = analyst_client.get("/gebieden/GM0363/kerncijfers.pdf")
    assert len(pypdf.PdfReader(io.BytesIO(gemeente.content)).pages) == 1
    assert analyst_client.get("/gebieden/GM9999/kerncijfers.pdf").status_code == 404


def test_a_stock_that_halves_in_a_year_is_a_new_boundary_not_a_trend(analyst_client, amsterdam_both_codes,
                                                                       cbs_dir, tmp_path):
    """An attack pass: Kop Zeedijk's factsheet said 'dwellings since 2013: -72,7 %' -- 2,839 dwellings
    in 2015 and 739 in 2016 under the same code BU03630000: CBS redrew the buurt."""
    from wijkinzicht.areas.services import kwb_import

    assert selectors.stock_jumps({2014: 2800, 2015: 2839, 2016: 739, 2017: 745}) == [2016]
    assert selectors.stock_jumps({2014: 150, 2015: 900}) == []  # new building from a small base
    assert selectors.stock_jumps({2014: 1000, 2015: 1100, 2016: 1150}) == []
    crosswalk(cbs_dir)
    housing = tmp_path / "housing.csv"
    with open(cbs_dir / "nl_kwb_housing_2013_2025.csv", encoding="utf-8") as src, \
            open(housing, "w", encoding="utf-8") as out:
        out.write(src.readline())
        out.writelines(line for line in src if ",BU03630000," in line or ",BU0363AE01," in line)
    kwb_import(housing)
    profile = selectors.area_profile(area=Area.objects.get(code="BU0363AE01"))
    assert profile.jump == 2016 and profile.break_year == 2016
    fact = next(f for f in selectors.factsheet(profile) if f.indicator.key == "dwellings")
    assert fact.first_year >= 2016 and abs(fact.change) < 0.5  # not -72,7 %
    html = analyst_client.get("/gebieden/BU0363AE01/").content.decode()
    assert "grens" in html and "2016" in html
