"""The analyst's walk of issue 14 at desktop size: Amsterdam -> a buurt whose series runs from 2017
to 2024 across the 2023 re-coding -> its index with coverage -> comparable areas -> the table
builder and its Excel download, with axe on every page."""

import io

import openpyxl
import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_analyst_from_amsterdam_to_a_table_download(live_server, browser, cbs_dir, django_user_model,
                                                    axe_check, log_in, csp_violations):
    from django.core.management import call_command

    from wijkinzicht.areas.services import kwb_import

    kwb_import(cbs_dir / "amsterdam_kwb_2017_full.csv")
    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    call_command("import-crosswalk", str(cbs_dir / "amsterdam_buurt_crosswalk_2015_2022.csv"),
                 "--from-column", "BUURTCODE_CBS_2015", "--to-column", "BUURTCODE_CBS_2022", "--year", "2023",
                 stdout=io.StringIO())
    django_user_model.objects.create_user("analist", password="Een-lang-wachtwoord-42")

    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    csp_violations(page)
    page.goto(f"{live_server.url}/gebieden/")
    log_in(page, "analist", "Een-lang-wachtwoord-42")

    page.get_by_label("Naam of CBS-code").fill("amsterdam")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Amsterdam", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Amsterdam"
    assert page.locator("ul.factsheet li.fact").count() >= 5  # the factsheet comes first
    axe_check(page, "gemeente profile")

    # the wijken of the newest division only; the buurt under its new code
    page.locator("ul.cards").first.get_by_role("link", name="Burgwallen-Oude Zijde", exact=True).click()
    assert "WK0363AE" in page.url
    page.locator("ul.cards").first.get_by_role("link", name="Kop Zeedijk", exact=True).click()
    assert "BU0363AE01" in page.url
    assert "BU03630000" in page.locator(".lineage").inner_text()  # linked to its old code
    population = page.locator("table#kf-table-1").inner_text()
    assert "2017" in population and "2024" in population  # one series across the re-coding
    assert page.locator("table#kf-table-1 abbr.via").count() >= 1
    axe_check(page, "buurt profile across the re-coding")

    page.get_by_role("link", name="Wijkindex").first.click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "indicatoren" in text and ("minstens" in text or "nodig" in text)  # coverage is said
    axe_check(page, "index")
    page.go_back()

    page.get_by_role("link", name="Vergelijkbare gebieden").first.click()
    page.wait_for_load_state()
    assert page.locator("main table").count() >= 1 or page.locator(".error-summary").count() == 1
    axe_check(page, "comparable areas")
    page.go_back()

    page.get_by_role("link", name="Tabel samenstellen").first.click()
    page.wait_for_load_state()
    assert page.get_by_label("Gebieden").input_value() == "BU0363AE01"
    axe_check(page, "table builder form")
    page.get_by_role("button", name="Tabel tonen").click()
    page.wait_for_load_state()
    table = page.locator("table.builder").inner_text()
    assert "2017" in table and "2024" in table
    axe_check(page, "table builder result")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Excel (XLSX, met toelichting)").click()
    download = caught.value
    assert download.suggested_filename == "wijkinzicht-tabel.xlsx"
    with open(download.path(), "rb") as f:
        book = openpyxl.load_workbook(io.BytesIO(f.read()))
    rows = list(book.worksheets[0].values)
    assert rows[0][:5] == ("Code", "Naam", "Niveau", "Gemeente", "Jaar")
    years = {r[4]: r for r in rows[1:] if r[0] == "BU0363AE01"}
    assert {2017, 2024} <= set(years) and years[2017][-1] == "BU03630000"
    assert book.sheetnames == ["Tabel", "Toelichting"]
    context.close()
