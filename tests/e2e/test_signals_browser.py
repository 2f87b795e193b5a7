"""Issue 17's browser test: a fieldworker enters a signal whose text names a person; the name is
marked, the fieldworker rephrases it, confirms the suggested theme and saves; a coordinator reviews
it for quoting; the partners' signal report then counts it (through the disclosure layer) and quotes
it. axe-core passes on every page, at 1366 and 360 px, and nothing but a table scrolls sideways."""

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
  .map(e => e.tagName + '.' + e.className).slice(0, 5)"""


@pytest.fixture
def area(two_organisations):
    from wijkinzicht.areas.models import Area
    from wijkinzicht.signals import services
    from wijkinzicht.signals.models import Theme

    gm = Area.objects.create(code="GM0599", level="gemeente", name="Rotterdam")
    wk = Area.objects.create(code="WK059901", level="wijk", name="Rotterdam Centrum", parent=gm)
    bu = Area.objects.create(code="BU05990111", level="buurt", name="Oude Westen", parent=wk)
    a = two_organisations["A"]
    a["org"].areas_served.set([wk])
    lonely = Theme.objects.get(key="eenzaamheid")
    today = timezone.localdate()
    for _ in range(
        10
    ):  # ten earlier signals about loneliness today, so that the quarter so far shows a count
        services.signal_create(
            user=a["coordinator"],
            organisation=a["org"],
            data=services.SignalInput(
                area=bu, observed_on=today, text="Ouderen in de flat zitten veel alleen.", themes=[lonely]
            ),
        )
    return bu


def test_enter_a_signal_rephrase_the_marked_name_and_find_it_in_the_report(
    live_server, browser, area, axe_check, log_in
):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/signalen/nieuw/")
    log_in(page, "a-fieldworker")
    page.get_by_label("Buurt of wijk").select_option("BU05990111")
    text = page.get_by_label("Wat viel u op?")
    text.fill("Mevrouw Jansen voelt zich eenzaam sinds haar man overleed en komt de deur niet meer uit")
    page.get_by_role("button", name="Tekst controleren en thema's voorstellen").click()
    marked = page.locator("mark.pii")
    assert marked.all_inner_texts() == ["Mevrouw Jansen"]
    assert "(naam)" in page.locator("#persoonsgegevens").inner_text()
    axe_check(page, "the signal form with personal data marked")

    text.fill("Een oudere vrouw voelt zich eenzaam sinds haar man overleed en komt de deur niet meer uit")
    page.get_by_role("button", name="Opnieuw controleren").click()
    assert page.locator("mark.pii").count() == 0
    suggestions = page.locator("#suggesties").inner_text()
    assert "Eenzaamheid" in suggestions and "Gaat het ook over" in suggestions  # the lexicon asks
    page.get_by_label("Eenzaamheid").check()
    page.get_by_role("button", name="Signaal opslaan").click()
    assert "Het signaal is opgeslagen." in page.locator("main").inner_text()
    assert "Een oudere vrouw voelt zich eenzaam" in page.locator("blockquote").inner_text()
    axe_check(page, "a saved signal")
    detail = page.url
    context.close()

    # a coordinator of the same organisation reviews the text for quoting
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(detail)
    log_in(page, "a-coordinator")
    page.get_by_role("button", name="Nagelezen: mag geciteerd worden").click()
    assert "Het nalezen is opgeslagen." in page.locator("main").inner_text()

    # the report the partners in the area read: the count, the quote, the trend with its table
    page.goto(f"{live_server.url}/signalen/rapport/WK059901/")
    main = page.locator("main")
    row = page.locator("tr", has=page.get_by_role("link", name="Eenzaamheid"))
    shown = row.locator("td").first.inner_text()
    assert shown.isdigit() and 9 <= int(shown) <= 13  # 11 signals, perturbed by at most 2
    assert "Een oudere vrouw voelt zich eenzaam" in main.inner_text()
    assert "Ouderen in de flat zitten veel alleen." not in main.inner_text()  # not reviewed: not quoted
    axe_check(page, "the signal report")
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert page.evaluate(OVERFLOW) == []
    axe_check(page, "the signal report at 360 px")
    context.close()
