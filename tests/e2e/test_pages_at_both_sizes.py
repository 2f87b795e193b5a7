"""Pages no browser test visited before issue 14 -- the index, comparable areas, a re-coded buurt,
the organisation, import and participant pages -- at phone (360x740) and desktop (1366x900):
each passes axe-core (WCAG 2.1 AA) and nothing but a table region scrolls sideways."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = (
    ("index", "/gebieden/GM0363/index/?year=2017"),
    ("index without enough figures", "/gebieden/GM0363/index/"),
    ("comparable areas", "/gebieden/GM0363/vergelijkbaar/"),
    ("re-coded buurt", "/gebieden/BU0363AE02/"),
    ("search", "/gebieden/?q=oude+kerk"),
    ("gemeente profile with factsheet", "/gebieden/GM0363/"),
    ("table builder form", "/gebieden/tabel/?areas=GM0363"),
    ("table builder result", "/gebieden/tabel/?areas=GM0363&parts_of=GM0363&indicators=population"
                             "&indicators=woz_mean&indicators=pct_rented&indicators=income_per_inhabitant"),
    ("table builder refusal", "/gebieden/tabel/?areas=Nergenshuizen&indicators=population"),
    ("organisation", "/organisatie/"),
    ("import", "/activiteiten/import/"),
    ("participants", "/activiteiten/deelnemers/"),
    ("start page", "/"),
    ("network: choose an area or programme", "/netwerk/"),
    ("network: ties of your organisation, forms to record a tie and add a party", "/netwerk/banden/"),
    ("signals of the organisation", "/signalen/"),
    ("signal form", "/signalen/nieuw/"),
    ("signal import", "/signalen/importeren/"),
    ("signal report: choose an area", "/signalen/rapport/"),
    ("how themes are suggested", "/signalen/model/"),
)

OVERFLOW = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
  .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


def test_pages_pass_axe_and_fit_the_phone(live_server, browser, cbs_dir, two_organisations, axe_check,
                                          log_in):
    from wijkinzicht.areas.services import boundaries_import, crosswalk_import, kwb_import

    kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    boundaries_import(cbs_dir / "amsterdam_buurten_2022_wgs84.geojson",
                      code_property="BUURTCODE_CBS_2015", name_property="BUURTNAAM_2015")
    crosswalk_import(cbs_dir / "amsterdam_buurt_crosswalk_2015_2022.csv", from_column="BUURTCODE_CBS_2015",
                     to_column="BUURTCODE_CBS_2022", year=2023)
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/inloggen/")
    log_in(page, "a-coordinator")
    session = context.storage_state()
    context.close()
    for width, height in ((360, 740), (1366, 900)):
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height},
                                      storage_state=session)
        page = context.new_page()
        for what, path in PAGES:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (what, response.status)
            axe_check(page, f"{what} at {width} px")
            assert page.evaluate(OVERFLOW) == [], f"{what} scrolls sideways at {width} px"
        context.close()
