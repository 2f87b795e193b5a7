"""An analyst sets up an evaluation of a Rotterdam buurt, watches it run in the background and
reads the result: summary, chart with its table, weights and placebo test."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_set_up_run_and_read_an_evaluation(
    live_server, job_worker, page, rotterdam_housing, two_organisations, axe_check, log_in
):
    page.goto(f"{live_server.url}/evaluaties/")
    log_in(page, "a-analyst")

    page.get_by_role("link", name="Nieuwe evaluatie").click()
    axe_check(page, "evaluation form")
    page.get_by_label("Naam").fill("Wijkaanpak Centrum")
    page.get_by_label("Gebieden met de aanpak").fill("BU05990110")
    page.get_by_label("Startjaar").fill("2019")
    page.get_by_label("Uitkomstindicator").select_option("pct_rented")
    page.get_by_label("alle andere gebieden van hetzelfde niveau in dezelfde gemeente").check()
    page.get_by_label("Voorspeller 1", exact=True).select_option("dwellings")
    page.get_by_label("Voorspeller 1 vanaf jaar").fill("2013")
    page.get_by_label("Voorspeller 1 tot en met jaar").fill("2018")
    page.get_by_role("button", name="Berekenen").click()

    # the page follows the background job (run by the worker) and shows the result when it is done
    page.get_by_role("heading", name="Samenvatting").wait_for(timeout=120_000)
    assert "Vanaf 2019" in page.locator("#summary-title + p").inner_text()
    chart = page.locator("svg#chart-trend")
    assert chart.is_visible()
    assert page.locator(f"table#{chart.get_attribute('aria-describedby')}").is_visible()
    assert "2025" in page.locator("table#table-trend").inner_text()
    weights = page.get_by_role("table", name="Gebieden waaruit de vergelijking bestaat")
    assert weights.locator("tbody tr").count() >= 1
    assert page.get_by_role("heading", name="Placebotoets").is_visible()
    axe_check(page, "evaluation result")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
