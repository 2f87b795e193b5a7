"""An analyst logs in, opens Amsterdam, goes to a buurt and finds the chart, its table and the map."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_open_amsterdam_go_to_buurt(live_server, page, cbs_dir, django_user_model, axe_check,
                                          log_in):
    from wijkinzicht.areas.services import boundaries_import, kwb_import

    kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    boundaries_import(cbs_dir / "amsterdam_buurten_2022_wgs84.geojson",
                      code_property="BUURTCODE_CBS_2015", name_property="BUURTNAAM_2015")
    django_user_model.objects.create_user("analist", password="Een-lang-wachtwoord-42")

    page.goto(f"{live_server.url}/")
    assert "/inloggen/" in page.url
    log_in(page, "analist", "Een-lang-wachtwoord-42")

    page.get_by_label("Naam of CBS-code").fill("Amsterdam")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Amsterdam", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amsterdam"
    assert page.locator("svg.map path").count() > 90  # the wijken, drawn from their buurten
    axe_check(page, "gemeente profile")

    page.get_by_role("link", name="Burgwallen-Oude Zijde", exact=True).first.click()
    page.get_by_role("link", name="Kop Zeedijk", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Kop Zeedijk"

    chart = page.locator("svg.chart").first
    assert chart.is_visible()
    table_id = chart.get_attribute("aria-describedby")
    table = page.locator(f"table#{table_id}")
    assert table.is_visible() and "2017" in table.inner_text()
    assert page.locator("svg.map a.current").count() == 1  # the buurt, marked on its wijk's map
    assert page.locator("table#map-table").is_visible()
    axe_check(page, "buurt profile")
    page.screenshot(path=str(cbs_dir.parent.parent / "var" / "e2e-buurt.png"), full_page=False)
