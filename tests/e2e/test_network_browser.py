"""Issue 16's browser test: open an area's network, filter it by date (with the time slider and the
date field), click the broker in the picture, read its roles and the finding that names it; axe-core
passes and nothing breaks the Content-Security-Policy (cytoscape is served by the application)."""

import datetime as dt

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
D = dt.date


@pytest.fixture
def network(two_organisations):
    from wijkinzicht.areas.models import Area
    from wijkinzicht.network import services

    gm = Area.objects.create(code="GM0599", level="gemeente", name="Rotterdam")
    wk = Area.objects.create(code="WK059901", level="wijk", name="Rotterdam Centrum", parent=gm)
    a, b = two_organisations["A"], two_organisations["B"]
    a["org"].areas_served.set([wk])
    b["org"].areas_served.set([wk])
    fw = a["fieldworker"]
    own_a, own_b = services.party_for_organisation(a["org"]), services.party_for_organisation(b["org"])
    fathers = services.party_create(
        user=fw, organisation=a["org"], name="Buurtvaders", kind="vrijwilligersgroep", areas=[wk]
    )
    mosque = services.party_create(
        user=fw, organisation=a["org"], name="Moskeecomité", kind="zelforganisatie", areas=[wk]
    )
    club = services.party_create(
        user=fw, organisation=a["org"], name="Voetbalclub", kind="sportvereniging", areas=[wk]
    )
    for source, target, kind, since in (
        (own_a, own_b, "referral", D(2025, 1, 1)),
        (own_a, fathers, "cooperation", D(2025, 1, 1)),
        (fathers, mosque, "informal_contact", D(2025, 6, 1)),
        (fathers, club, "cooperation", D(2025, 6, 1)),
    ):
        services.tie_declare(
            user=fw, organisation=a["org"], source=source, target=target, kind=kind, since=since
        )
    return fathers


def test_open_an_areas_network_filter_by_date_click_the_broker_and_read_the_finding(
    live_server, page, network, axe_check, log_in
):
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/netwerk/gebied/WK059901/?datum=2025-03-01&sinds=2025-01-01")
    log_in(page, "a-analyst")
    page.wait_for_selector("#network-picture[data-ready]")
    axe_check(page, "the network page")
    # in March the buurtvaders were nobody's only bridge yet
    findings = page.locator(".findings")
    assert "zonder Buurtvaders" not in findings.inner_text()

    # the time slider: its last step is the newest month; moving it reloads the network for that month
    slider = page.locator("#network-slider")
    last = int(slider.get_attribute("max"))
    slider.focus()
    page.keyboard.press("End")  # the arrow keys (and Home/End) choose a month; Enter shows it
    assert slider.input_value() == str(last)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#network-picture[data-ready]")
    assert "datum=" in page.url
    # and the date field, for an exact day
    page.get_by_label("Netwerk op").fill("2025-07-01")
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_selector("#network-picture[data-ready]")
    assert "Getoond zoals het was op 1 juli 2025" in page.locator("main").inner_text()

    # click the broker in the picture: its ties and roles appear beside it
    page.locator("#network-picture").scroll_into_view_if_needed()
    # cytoscape reads the container's place again after the scroll event: let two frames pass
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    point = page.evaluate(
        "id => { const box = document.getElementById('network-picture');"
        " const p = box.cy.getElementById('p' + id).renderedPosition();"
        " const r = box.getBoundingClientRect(); return {x: r.left + p.x, y: r.top + p.y}; }",
        str(network.pk),
    )
    page.mouse.click(point["x"], point["y"])
    panel = page.locator("#party-panel")
    panel.wait_for(state="visible")
    assert panel.locator("h3").inner_text() == "Buurtvaders"
    roles = panel.locator("#party-panel-roles").inner_text()
    # A -> buurtvaders -> mosque or club: gatekeeper; back: representative; mosque <-> club: coordinator
    assert roles.split("\n") == ["coördinator: 2", "vertegenwoordiger: 2", "poortwachter: 2"]
    assert "Moskeecomité (informeel contact)" in panel.locator("#party-panel-ties").inner_text()

    # the finding that names it, in words, with the measure explained
    text = findings.inner_text()
    assert "zonder Buurtvaders verliezen 4 formeel–informele paren hun enige verbinding" in text
    assert "Zo is het gemeten: Een partij is de enige brug" in text
    axe_check(page, "the network page with a party chosen")

    # on a phone: the same page fits 360 px (only the tables scroll sideways) and passes axe
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    page.wait_for_selector("#network-picture[data-ready]")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >"
        " window.innerWidth + 1 && !e.closest('.table-scroll')).map(e => e.tagName + '.' + e.className)"
    )
    assert wide == []
    axe_check(page, "the network page at 360 px")
