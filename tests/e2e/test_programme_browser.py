"""A coordinator builds a small change model in the browser (add, link, reorder without a page
reload), binds an indicator to an outcome and sees its progress; the programme page passes axe-core
and the change model downloads as PNG."""

import datetime as dt
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def programme(amsterdam, two_organisations):
    from wijkinzicht.areas.models import Area
    from wijkinzicht.outcomes import services

    a = two_organisations["A"]
    return services.programme_create(
        user=a["coordinator"],
        organisation=a["org"],
        name="Samen in de Oude Kerk",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2027, 12, 31),
        areas=[Area.objects.get(code="GM0363")],
        partners=[(two_organisations["B"]["org"], "uitvoerder")],
    )


def add_element(page, layer: str, title: str):
    form = page.locator("#element-form")
    form.get_by_label("Laag").select_option(label=layer)
    form.get_by_label("Titel").fill(title)
    form.get_by_role("button", name="Element toevoegen").click()
    page.locator("#cm-status").get_by_text(f"“{title}” toegevoegd").wait_for()


def test_build_a_change_model_bind_an_indicator_and_see_progress(
    live_server, page, programme, axe_check, log_in
):
    page.goto(f"{live_server.url}/programmas/{programme.pk}/")
    log_in(page, "a-coordinator")
    page.get_by_role("link", name="Veranderingsmodel bewerken").click()
    axe_check(page, "change-model editor")

    # a marker on the window survives only if the page never reloads
    page.evaluate("window.notReloaded = true")
    add_element(page, "langetermijndoel", "Minder eenzaamheid")
    add_element(page, "tussenliggende uitkomst", "Meer contact in de buurt")
    add_element(page, "tussenliggende uitkomst", "Bewoners kennen elkaar")
    add_element(page, "activiteit", "Buurtmaaltijd")

    link = page.locator("#link-form")
    link.get_by_label("Van").select_option(label="U1 Meer contact in de buurt")
    link.get_by_label("leidt tot").select_option(label="D1 Minder eenzaamheid")
    link.get_by_label("Aanname").fill("Wie mensen kent, voelt zich minder alleen")
    link.get_by_role("button", name="Pijl toevoegen").click()
    page.locator("#cm-status").get_by_text("Pijl toegevoegd").wait_for()
    # an arrow downwards is refused with the reason, nothing changes
    link = page.locator("#link-form")
    link.get_by_label("Van").select_option(label="D1 Minder eenzaamheid")
    link.get_by_label("leidt tot").select_option(label="A1 Buurtmaaltijd")
    link.get_by_role("button", name="Pijl toevoegen").click()
    page.locator("#cm-status").get_by_text("Een pijl wijst omhoog").wait_for()

    # reorder: the second outcome moves up and becomes U1
    page.get_by_role("button", name="“Bewoners kennen elkaar” omhoog").click()
    page.locator("#cm-status").get_by_text("verplaatst").wait_for()
    outline = page.locator("ol.outline").inner_text()
    assert outline.index("U1 Bewoners kennen elkaar") < outline.index("U2 Meer contact in de buurt")
    assert "leidt tot D1 Minder eenzaamheid; aanname: Wie mensen kent" in outline
    assert page.evaluate("window.notReloaded") is True
    svg = page.locator("#cm-live svg")
    assert "Minder eenzaamheid" in svg.inner_html() and svg.locator("polyline").count() == 1

    # bind a manual indicator to the outcome and enter a value: its progress shows
    page.get_by_role("link", name=programme.name).click()
    page.get_by_role("link", name="Meer contact in de buurt").click()
    page.get_by_role("link", name="Indicator koppelen").click()
    page.get_by_label("Naam").fill("Bewoners met contact (buurtpanel)")
    page.get_by_label("handmatige reeks").check()
    page.get_by_label("Nulmeting: waarde").fill("40")
    page.get_by_label("Nulmeting: datum").fill("2024-01-01")
    page.get_by_label("Streefwaarde").fill("60")
    page.get_by_label("Streefdatum").fill("2027-01-01")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_label("Datum").fill("2025-01-01")
    page.get_by_label("Waarde", exact=True).fill("49")
    page.get_by_role("button", name="Waarde opslaan").click()
    assert page.locator("h1 .progress").inner_text() == "op koers"

    page.get_by_role("link", name="Meer contact in de buurt").click()
    page.get_by_role("link", name=f"← {programme.name}").click()
    row = page.get_by_role("row", name="Bewoners met contact (buurtpanel)")
    assert "op koers" in row.inner_text() and "49" in row.inner_text()
    axe_check(page, "programme page")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PNG").click()
    path = download.value.path()
    assert download.value.suggested_filename.endswith(".png")
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_register_then_correct_and_delete_a_measurement(live_server, page, programme, axe_check, log_in):
    """The date fields show their dates in the browser (a date input ignores a Dutch "01-03-2025"),
    a correction is scored again, and a deletion asks first. Every page passes axe-core."""
    from wijkinzicht.activities import services as activity_services
    from wijkinzicht.outcomes.models import Measurement

    fieldworker = programme.organisation.memberships.get(role="fieldworker").user
    activity_services.participant_create(
        user=fieldworker, organisation=programme.organisation, pseudonym="deelnemer-12"
    )
    page.goto(f"{live_server.url}/programmas/metingen/participatieladder/nieuw/")
    log_in(page, "a-fieldworker")
    assert page.get_by_label("Datum").input_value() == dt.date.today().isoformat()  # today, shown
    page.get_by_label("Deelnemernummer").fill("deelnemer-12")
    page.get_by_label("Programma").select_option(label="Samen in de Oude Kerk")
    page.get_by_label("Datum").fill("2025-03-01")
    page.get_by_label("Trede op de participatieladder").select_option(value="2")
    page.get_by_role("button", name="Meting opslaan").click()
    page.get_by_text("Meting opgeslagen").wait_for()
    axe_check(page, "measurement list")
    page.get_by_role("link", name="Corrigeren deelnemer-12 01-03-2025").click()
    assert page.get_by_label("Datum").input_value() == "2025-03-01"  # the stored date, not empty
    axe_check(page, "measurement correction")
    page.get_by_label("Trede op de participatieladder").select_option(value="3")
    page.get_by_role("button", name="Meting opslaan").click()
    page.get_by_text("Meting gecorrigeerd").wait_for()
    m = Measurement.objects.get()
    assert (m.score, m.date) == (3, dt.date(2025, 3, 1))
    page.get_by_role("link", name="Corrigeren deelnemer-12 01-03-2025").click()
    page.get_by_role("link", name="Deze meting verwijderen").click()
    axe_check(page, "delete confirmation")
    page.get_by_role("button", name="Meting verwijderen").click()
    page.get_by_text("Meting verwijderd").wait_for()
    assert not Measurement.objects.exists()
