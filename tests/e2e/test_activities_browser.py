"""A fieldworker registers a meeting on a phone-sized screen and finds it back in the reach
figures; a resident searches the public sociale kaart. Every page passes axe-core."""

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def offer(amsterdam_boundaries, two_organisations):
    from wijkinzicht.activities import services

    a = two_organisations["A"]
    activity = services.activity_create(
        user=a["fieldworker"],
        organisation=a["org"],
        code="KOFFIE",
        title="Koffieochtend Zeedijk",
        kind="buurthuis",
        themes=["eenzaamheid", "ontmoeting"],
        target_groups=["ouderen"],
        weekdays=[2, 4],
        start_time=dt.time(10),
        end_time=dt.time(12),
        location_name="Buurthuis De Kop",
        address="Zeedijk 1",
        postcode="1012AN",
        city="Amsterdam",
        latitude=52.3760,
        longitude=4.9005,
        is_free=True,
        wheelchair_accessible=True,
        contact_phone="020 123 45 67",
        is_published=True,
        area_codes=["BU03630000"],
    )
    for pseudonym, year in (("K-1", 1944), ("K-2", 1950)):
        services.participant_create(
            user=a["fieldworker"],
            organisation=a["org"],
            pseudonym=pseudonym,
            birth_year=year,
            home_buurt_code="BU03630000",
            consent=True,
        )
    return activity


def test_register_a_meeting_and_find_it_in_the_reach_figures(
    live_server, browser, offer, axe_check, log_in, csp_violations
):
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    csp_violations(page)
    page.goto(f"{live_server.url}/activiteiten/")
    log_in(page, "a-fieldworker")
    axe_check(page, "activity list")
    page.get_by_role("link", name=re.compile(r"^Bijeenkomst registreren\W+Koffieochtend Zeedijk$")).click()
    day = dt.date.today() - dt.timedelta(days=1)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Andere aanwezige deelnemers (nummers)").fill("K-1, K-2")
    page.get_by_label("Anoniem getelde aanwezigen").fill("6")
    axe_check(page, "meeting form")
    page.get_by_role("button", name="Opslaan").click()
    assert "8 aanwezig" in page.get_by_role("status").inner_text()
    axe_check(page, "activity page")

    # on a phone the main menu is folded behind its button (issue 14, item 7)
    assert not page.get_by_role("link", name="Activiteiten", exact=True).is_visible()
    page.get_by_role("button", name="Menu").click()
    axe_check(page, "open menu")
    page.get_by_role("link", name="Activiteiten", exact=True).click()
    page.get_by_role("link", name="Bereikrapportage").click()
    page.get_by_label("Organisatie").select_option(label="Organisatie A")
    page.get_by_label("Van").fill(day.replace(day=1).isoformat())
    page.get_by_label("Tot en met").fill(day.isoformat())
    page.get_by_role("button", name="Tonen").click()
    summary = page.get_by_role("table", name="Samenvatting")
    row = summary.get_by_role("row", name="Aanwezigheid, totaal")
    assert row.get_by_role("cell").first.inner_text() == "8"
    assert summary.get_by_role("row", name="Unieke deelnemers").get_by_role("cell").first.inner_text() == "2"
    chart = page.locator("svg#chart-months")
    assert page.locator(f"table#{chart.get_attribute('aria-describedby')}").is_visible()
    axe_check(page, "reach report")
    context.close()


def test_resident_searches_the_sociale_kaart(live_server, page, offer, axe_check):
    page.goto(f"{live_server.url}/sociale-kaart/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Sociale kaart")
    axe_check(page, "sociale kaart")
    page.get_by_label("Thema").select_option(label="eenzaamheid")
    page.get_by_label("Dag").select_option(label="dinsdag")
    page.get_by_label("Postcode").fill("1012")
    page.get_by_role("button", name="Zoeken").click()
    assert "1 activiteit gevonden" in page.get_by_role("status").inner_text()
    # keyboard: the map point is a link that can be reached and followed
    point = page.locator(".kaart-map a").first
    point.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Koffieochtend Zeedijk").wait_for()
    assert "rolstoeltoegankelijk" in page.content()
    axe_check(page, "activity on the sociale kaart")
    page.goto(f"{live_server.url}/sociale-kaart/?dag=1")
    assert "0 activiteiten gevonden" in page.get_by_role("status").inner_text()
