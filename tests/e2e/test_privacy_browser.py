"""The pages issue 12 touched, as their users see them, on a phone (360 px) and a laptop (1366 px):
another organisation's reach report (protected counts, "overige activiteiten"), a partner's
programme results (fixed periods), the status of a queued measurement import, the register of
processing activities and the answer to an oversized upload. axe-core, no sideways scrolling, no
CSP violation; WIJKINZICHT_SCREENSHOTS=DIR keeps a screenshot of each."""

import datetime as dt
import os

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SIZES = {"phone": (360, 740), "laptop": (1366, 900)}


@pytest.fixture
def shared_world(amsterdam, two_organisations):
    from wijkinzicht.activities import services
    from wijkinzicht.areas.models import Area
    from wijkinzicht.outcomes import services as outcomes
    from wijkinzicht.outcomes.models import MeasurementImport

    a = two_organisations["A"]
    fw = a["fieldworker"]
    org = a["org"]
    public = services.activity_create(
        user=fw, organisation=org, code="KOFFIE", title="Koffieochtend Zeedijk", kind="buurthuis",
        area_codes=["BU03630000"], is_published=True, start_date=dt.date(2024, 1, 1))
    internal = services.activity_create(
        user=fw, organisation=org, code="OVERLEG", title="Casusoverleg", kind="buurthuis",
        area_codes=["BU03630000"], is_published=False)
    people = [services.participant_create(user=fw, organisation=org, pseudonym=f"K-{i}", birth_year=1950 + i,
                                          home_buurt_code="BU03630000") for i in range(12)]
    ids = [p.pk for p in people]
    for day in (dt.date(2025, 10, 7), dt.date(2025, 10, 14), dt.date(2025, 11, 4)):
        services.meeting_register(user=fw, activity=public, date=day, participant_ids=ids, anonymous_count=3)
        services.meeting_register(user=fw, activity=internal, date=day, participant_ids=ids[:7])
    programme = outcomes.programme_create(
        user=a["coordinator"], organisation=org, name="Samen tegen eenzaamheid",
        start_date=dt.date(2024, 1, 1), end_date=dt.date(2026, 12, 31),
        areas=[Area.objects.get(code="GM0363")], activity_ids=[public.pk],
        partners=[(two_organisations["B"]["org"], "uitvoerder")])
    queued = MeasurementImport.objects.create(organisation=a["org"], user=fw, instrument="djg11",
                                              filename="metingen-oktober.csv", sha256="ab" * 32)
    return {"programme": programme, "queued": queued}


def _look(page, axe_check, what: str, shots: str | None, name: str) -> None:
    axe_check(page, what)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > e.clientWidth + 1)
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 40))""",
                         page.viewport_size["width"])
    assert width <= page.viewport_size["width"], f"{what}: {width} px wide: {wide}"
    if shots:
        page.screenshot(path=os.path.join(shots, f"{name}-{page.viewport_size['width']}.png"), full_page=True)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_pages_of_issue_12(live_server, browser, shared_world, axe_check, log_in, csp_violations, size,
                               settings):
    shots = os.environ.get("WIJKINZICHT_SCREENSHOTS")
    width, height = SIZES[size]
    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    page = context.new_page()
    csp_violations(page)
    base = live_server.url
    page.goto(f"{base}/activiteiten/bereik/")
    log_in(page, "b-analyst")
    org_a = shared_world["programme"].organisation_id
    page.goto(f"{base}/activiteiten/bereik/?organisation={org_a}&area=&start=2025-10-02&end=2025-11-03")
    text = page.locator("main").inner_text()
    assert "Casusoverleg" not in text and "overige activiteiten" in text and "01-10-2025" in text
    assert "afwijking" in text
    _look(page, axe_check, "reach report of another organisation", shots, "bereik-andere-organisatie")

    page.goto(f"{base}/programmas/{shared_world['programme'].pk}/resultaten/?start=2025-01-02")
    assert page.get_by_label("Periode").is_visible() and page.locator("input[name=start]").count() == 0
    _look(page, axe_check, "partner results", shots, "resultaten-partner")

    page.goto(f"{base}/privacy/verwerkingen/")
    assert "Register van verwerkingsactiviteiten" in page.locator("h1").inner_text()
    _look(page, axe_check, "register of processing activities", shots, "verwerkingsregister")
    context.close()

    context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": height})
    page = context.new_page()
    csp_violations(page)
    page.goto(f"{base}/programmas/metingen/importen/{shared_world['queued'].pk}/")
    log_in(page, "a-fieldworker")
    assert "achtergrond" in page.locator("main").inner_text()
    _look(page, axe_check, "queued measurement import", shots, "meting-import-status")

    settings.UPLOAD_MAX_BYTES = 1000
    page.goto(f"{base}/activiteiten/import/")
    big = {"name": "groot.csv", "mimeType": "text/csv", "buffer": b"deelnemer\n" + b"K-1\n" * 30000}
    page.get_by_label("Bestand (CSV of XLSX)").set_input_files(files=[big])
    page.get_by_role("button", name="Importeren").click()
    assert "WIJKINZICHT_UPLOAD_MAX_BYTES" in page.locator("main").inner_text()
    _look(page, axe_check, "upload too large", shots, "upload-te-groot")
    context.close()
