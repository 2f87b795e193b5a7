"""Issue 16, items 4, 6 and 7: the network page (questions answered in Dutch, date filter, exports that
say what the page says), the API and its tenancy -- tried by the ends of a tie, a partner in the area
and an organisation that serves elsewhere, also by combining two legitimate answers."""

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from django.test import Client
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.accounts.testing import verified_login
from wijkinzicht.areas.models import Area
from wijkinzicht.network import services
from wijkinzicht.network.models import Party, Tie
from wijkinzicht.parties.services import membership_grant, organisation_create, user_create

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def net(two_organisations):
    """A (welfare) serves the wijk, B (neighbourhood team) a buurt in it, C a buurt elsewhere. A added
    the buurtvaders, the only bridge to a mosque; A and B disagree about one tie."""
    gm = Area.objects.create(code="GM0599", level="gemeente", name="Rotterdam")
    wk = Area.objects.create(code="WK059901", level="wijk", name="Centrum", parent=gm)
    bu = Area.objects.create(code="BU05990111", level="buurt", name="Oude Westen", parent=wk)
    elsewhere = Area.objects.create(code="GM0363", level="gemeente", name="Amsterdam")
    a, b = two_organisations["A"], two_organisations["B"]
    a["org"].areas_served.set([wk])
    b["org"].areas_served.set([bu])
    c = organisation_create(name="Organisatie C", kind="corporatie", area_codes=["GM0363"])
    c_user = user_create(username="c-coordinator", password="geheim-wachtwoord-1")
    membership_grant(user=c_user, organisation=c, role="coordinator")
    fw = a["fieldworker"]
    fathers = services.party_create(
        user=fw, organisation=a["org"], name="Buurtvaders", kind="vrijwilligersgroep", areas=[bu]
    )
    mosque = services.party_create(
        user=fw, organisation=a["org"], name='=HYPERLINK("http://x")', kind="zelforganisatie", areas=[bu]
    )
    own_a, own_b = services.party_for_organisation(a["org"]), services.party_for_organisation(b["org"])
    services.tie_declare(
        user=fw,
        organisation=a["org"],
        source=own_a,
        target=fathers,
        kind="cooperation",
        since=D(2025, 1, 1),
        note="vertrouwelijk: voorzitter ziek",
    )
    services.tie_declare(
        user=fw,
        organisation=a["org"],
        source=fathers,
        target=mosque,
        kind="informal_contact",
        since=D(2025, 6, 1),
    )
    services.tie_declare(
        user=fw, organisation=a["org"], source=own_a, target=own_b, kind="referral", since=D(2024, 1, 1)
    )
    disputed = services.tie_declare(
        user=fw,
        organisation=a["org"],
        source=own_a,
        target=own_b,
        kind="shared_location",
        since=D(2024, 1, 1),
    )
    services.tie_respond(user=b["fieldworker"], organisation=b["org"], tie=disputed, confirm=False)
    return {
        "a": a,
        "b": b,
        "c": c_user,
        "fathers": fathers,
        "mosque": mosque,
        "disputed": disputed,
        "wk": wk,
        "elsewhere": elsewhere,
    }


def _page(user):
    client = Client()
    verified_login(client, user)
    return client


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def test_the_page_answers_the_questions_in_dutch_and_moves_through_time(net):
    page = _page(net["b"]["coordinator"])  # B serves a buurt within the wijk: a partner in the area
    html = page.get("/netwerk/gebied/WK059901/?datum=2025-07-01&sinds=2025-03-01").content.decode()
    assert "Welke informele partijen hebben geen band met een formele partij?" in html
    assert "Wie is de enige brug tussen formele en informele partijen?" in html
    assert "zonder Buurtvaders verliezen 2 formeel–informele paren hun enige verbinding" in html
    assert "Wat is er veranderd sinds 1 maart 2025?" in html and "nieuwe band: Buurtvaders" in html
    assert "vertrouwelijk" not in html  # the private note stays with A
    # half a year earlier the mosque had no tie: it was not yet behind the buurtvaders
    before = page.get("/netwerk/gebied/WK059901/?datum=2025-03-01&sinds=2025-01-01").content.decode()
    assert "zonder Buurtvaders" not in before
    # a date that is not one is said so, and the page still shows today
    wrong = page.get("/netwerk/gebied/WK059901/?datum=morgen")
    assert wrong.status_code == 200 and "Voer een geldige datum in" in wrong.content.decode()


def test_an_organisation_that_does_not_serve_the_area_does_not_see_its_network(net):
    assert _page(net["c"]).get("/netwerk/gebied/WK059901/").status_code == 403
    assert _page(net["c"]).get("/netwerk/gebied/WK059901/netwerk.graphml").status_code == 403
    assert _api(net["c"]).get("/api/v1/network", {"area": "WK059901"}).status_code == 403


def test_the_exports_say_what_the_page_says_and_are_safe_in_a_spreadsheet(net):
    page = _page(net["a"]["analyst"])
    rows = list(
        csv.reader(
            io.StringIO(
                page.get("/netwerk/gebied/WK059901/partijen.csv?datum=2025-07-01").content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert rows[0][0] == "partij" and len(rows) == 5  # A, B, the buurtvaders and the mosque
    assert '\'=HYPERLINK("http://x")' in [r[0] for r in rows]  # a formula stays text
    graphml = page.get("/netwerk/gebied/WK059901/netwerk.graphml?datum=2025-07-01").content
    graph = nx.read_graphml(io.BytesIO(graphml))
    names = nx.get_node_attributes(graph, "name")
    degree = {names[n]: d for n, d in graph.degree()}
    assert degree == {"Organisatie A": 2, "Organisatie B": 1, "Buurtvaders": 2, '=HYPERLINK("http://x")': 1}
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Buurtvaders"][3] == "2"  # the same degree in both files
    # the disputed shared location is not among the ties
    ties = page.get("/netwerk/gebied/WK059901/banden.csv?datum=2025-07-01").content.decode("utf-8-sig")
    assert "gedeelde locatie" not in ties and "doorverwijzing" in ties


def test_a_tie_is_seen_by_its_ends_and_its_note_by_the_declarer_only(net):
    a_ties = _api(net["a"]["fieldworker"]).get("/api/v1/ties").json()["results"]
    b_ties = _api(net["b"]["fieldworker"]).get("/api/v1/ties").json()["results"]
    c_ties = _api(net["c"]).get("/api/v1/ties").json()["results"]
    assert len(a_ties) == 4 and len(b_ties) == 2 and c_ties == []
    assert any(t["note"].startswith("vertrouwelijk") for t in a_ties)
    assert {t["status"] for t in b_ties} == {"unanswered", "disputed"}
    assert all(t["note"] == "" for t in b_ties)
    tie = a_ties[0]["id"]
    assert _api(net["c"]).get(f"/api/v1/ties/{tie}").status_code == 404  # not even its existence
    assert (
        _api(net["c"]).post(f"/api/v1/ties/{tie}/answer", {"confirm": False}, format="json").status_code
        == 404
    )
    assert _api(net["b"]["fieldworker"]).get(f"/api/v1/ties/{2**63}").status_code == 404


def test_only_the_other_end_answers_and_a_disputed_tie_stays(net):
    referral = net["disputed"].pk - 1
    a, b = _api(net["a"]["fieldworker"]), _api(net["b"]["fieldworker"])
    assert a.post(f"/api/v1/ties/{referral}/answer", {"confirm": True}, format="json").status_code == 403
    answer = b.post(f"/api/v1/ties/{referral}/answer", {"confirm": True, "note": "klopt"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "confirmed"
    # B disputes it after all: it stays, marked, and leaves the shared network
    assert (
        b.post(f"/api/v1/ties/{referral}/answer", {"confirm": False}, format="json").json()["status"]
        == "disputed"
    )
    assert b.get(f"/api/v1/ties/{referral}").status_code == 200
    network = b.get("/api/v1/network", {"area": "WK059901", "date": "2025-07-01"}).json()
    degree = {n["name"]: n["degree"] for n in network["nodes"]}
    assert degree["Organisatie B"] == 0
    # the researcher of A reads, but does not answer or end
    researcher = _api(net["a"]["researcher"])
    assert (
        researcher.post(f"/api/v1/ties/{referral}/end", {"until": "2026-01-01"}, format="json").status_code
        == 403
    )


def test_declaring_and_ending_through_the_api_keeps_the_history(net):
    b = _api(net["b"]["coordinator"])
    own_b = services.party_for_organisation(net["b"]["org"]).pk
    bad = b.post(
        "/api/v1/ties",
        {
            "source": own_b,
            "target": net["mosque"].pk,
            "kind": "cooperation",
            "since": "2025-01-01",
            "until": "2024-01-01",
        },
        format="json",
    )
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "until"
    # B does not declare a tie between two parties A added
    assert (
        b.post(
            "/api/v1/ties",
            {
                "source": net["fathers"].pk,
                "target": net["mosque"].pk,
                "kind": "cooperation",
                "since": "2025-01-01",
            },
            format="json",
        ).status_code
        == 403
    )
    made = b.post(
        "/api/v1/ties",
        {
            "source": own_b,
            "target": net["mosque"].pk,
            "kind": "cooperation",
            "since": "2025-01-01",
            "strength": 3,
        },
        format="json",
    )
    # A added the mosque and answers for it
    assert made.status_code == 201 and made.json()["status"] == "unanswered"
    tie = made.json()["id"]
    assert b.post(f"/api/v1/ties/{tie}/answer", {"confirm": True}, format="json").status_code == 403
    answered = _api(net["a"]["fieldworker"]).post(
        f"/api/v1/ties/{tie}/answer", {"confirm": True}, format="json"
    )
    assert answered.json()["status"] == "confirmed"
    ended = b.post(f"/api/v1/ties/{tie}/end", {"until": "2025-09-01"}, format="json").json()
    assert ended["until"] == "2025-09-01"
    # the network on a date before and after the end
    before = b.get("/api/v1/network", {"area": "WK059901", "date": "2025-08-01"}).json()
    after = b.get("/api/v1/network", {"area": "WK059901", "date": "2025-10-01"}).json()
    d_before = {n["name"]: n["degree"] for n in before["nodes"]}
    d_after = {n["name"]: n["degree"] for n in after["nodes"]}
    assert d_before["Organisatie B"] == 2 and d_after["Organisatie B"] == 1  # the referral with A stays
    assert "ties" not in before and "note" not in str(before)  # aggregates, not the tie records


def test_a_party_added_through_the_api_is_flagged_as_a_likely_duplicate(net):
    b = _api(net["b"]["fieldworker"])
    made = b.post(
        "/api/v1/parties",
        {"name": "Stichting Buurtvaders", "kind": "vrijwilligersgroep", "areas": ["BU05990111"]},
        format="json",
    )
    assert made.status_code == 201 and made.json()["likelyDuplicates"] == [net["fathers"].pk]
    formal = b.post("/api/v1/parties", {"name": "Politie", "kind": "politie"}, format="json")
    assert formal.status_code == 400 and formal.json()["invalidParams"][0]["name"] == "kind"
    unknown = b.post(
        "/api/v1/parties", {"name": "X", "kind": "sportvereniging", "areas": ["BU99"]}, format="json"
    )
    assert unknown.status_code == 400
    listed = b.get("/api/v1/parties", {"area": "BU05990111"}).json()["results"]
    assert {p["name"] for p in listed} >= {"Buurtvaders", "Stichting Buurtvaders", "Organisatie A"}
    # B added the twin: B's fieldworker does not merge, A's coordinator neither; B's coordinator does
    twin = made.json()["id"]
    into = {"into": net["fathers"].pk}
    assert b.post(f"/api/v1/parties/{twin}/merge", into, format="json").status_code == 403
    assert (
        _api(net["a"]["coordinator"]).post(f"/api/v1/parties/{twin}/merge", into, format="json").status_code
        == 403
    )
    b_coordinator = _api(net["b"]["coordinator"])
    assert (
        b_coordinator.post(f"/api/v1/parties/{twin}/merge", {"into": 2**62}, format="json").status_code == 400
    )
    merged = b_coordinator.post(f"/api/v1/parties/{twin}/merge", into, format="json")
    assert merged.status_code == 200 and merged.json()["id"] == net["fathers"].pk
    assert b.get(f"/api/v1/parties/{twin}").json()["mergedInto"] == net["fathers"].pk


def test_a_programme_network_is_for_its_members(net, two_organisations):
    from wijkinzicht.outcomes.services import programme_create

    a, b = two_organisations["A"], two_organisations["B"]
    programme = programme_create(
        user=a["coordinator"],
        organisation=a["org"],
        name="Samen",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31),
        areas=[net["wk"]],
        partners=[(b["org"], "uitvoering")],
    )
    html = _page(b["analyst"]).get(f"/netwerk/programma/{programme.pk}/?datum=2025-07-01").content.decode()
    assert "Buurtvaders" in html  # tied to A, a member
    # a party tied to a member only by a disputed tie is not brought in by it
    outsider = services.party_create(
        user=b["fieldworker"], organisation=b["org"], name="Buurtwinkel", kind="ondernemers"
    )
    tie = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=outsider,
        target=services.party_for_organisation(a["org"]),
        kind="cooperation",
        since=D(2025, 1, 1),
    )
    assert "Buurtwinkel" in _page(b["analyst"]).get(f"/netwerk/programma/{programme.pk}/").content.decode()
    services.tie_respond(user=b["fieldworker"], organisation=b["org"], tie=tie, confirm=False)
    assert (
        "Buurtwinkel" not in _page(b["analyst"]).get(f"/netwerk/programma/{programme.pk}/").content.decode()
    )
    assert _page(net["c"]).get(f"/netwerk/programma/{programme.pk}/").status_code == 404


def test_a_fieldworker_records_answers_and_ends_ties_on_the_page(net):
    a_page, b_page = _page(net["a"]["fieldworker"]), _page(net["b"]["fieldworker"])
    listed = b_page.get("/netwerk/banden/").content.decode()
    assert "betwist" in listed and "nog niet beantwoord" in listed and "vertrouwelijk" not in listed
    assert "vertrouwelijk: voorzitter ziek" in a_page.get("/netwerk/banden/").content.decode()
    referral = net["disputed"].pk - 1
    # A declared it: A does not answer it; C does not know it; B confirms it
    assert a_page.post(f"/netwerk/banden/{referral}/antwoord/", {"antwoord": "bevestigen"}).status_code == 403
    assert (
        _page(net["c"]).post(f"/netwerk/banden/{referral}/antwoord/", {"antwoord": "bevestigen"}).status_code
        == 404
    )
    assert b_page.post(f"/netwerk/banden/{referral}/antwoord/", {"antwoord": "bevestigen"}).status_code == 302
    assert services.tie_status(Tie.objects.get(pk=referral)) == "confirmed"
    # A records a tie between the two informal parties it added, with a date the form refuses first
    form = {
        "source": net["mosque"].pk,
        "target": net["fathers"].pk,
        "kind": "shared_location",
        "since": "2025-02-01",
        "until": "2025-01-01",
        "strength": "2",
    }
    refused = a_page.post("/netwerk/banden/nieuw/", form)
    assert refused.status_code == 200 and "de band moet eindigen nadat hij begon" in refused.content.decode()
    assert a_page.post("/netwerk/banden/nieuw/", {**form, "until": ""}).status_code == 302
    tie = Tie.objects.get(kind="shared_location", source=net["mosque"])
    # B may not record ties for parties it did not add (they are not among its choices)
    assert b_page.post("/netwerk/banden/nieuw/", form).status_code == 200
    assert a_page.post(f"/netwerk/banden/{tie.pk}/einde/", {"until": "2025-09-01"}).status_code == 302
    tie.refresh_from_db()
    assert tie.until == D(2025, 9, 1) and [e.action for e in tie.events.all()] == ["declared", "ended"]
    # a researcher reads, but records nothing
    researcher = _page(net["a"]["researcher"])
    assert "Band vastleggen" not in researcher.get("/netwerk/banden/").content.decode()
    assert researcher.post("/netwerk/banden/nieuw/", form).status_code == 403


def test_an_informal_party_is_added_on_the_page_and_its_duplicate_merged(net):
    a = net["a"]
    added = _page(a["fieldworker"]).post(
        "/netwerk/partijen/nieuw/",
        {
            "name": "Stichting Buurtvaders",
            "kind": "vrijwilligersgroep",
            "areas": "BU05990111",
            "organisation": a["org"].pk,
        },
    )
    assert added.status_code == 302
    twin = Party.objects.get(name="Stichting Buurtvaders")
    page = _page(a["coordinator"]).get(added["Location"]).content.decode()
    assert "Buurtvaders" in page and "Samenvoegen met Buurtvaders" in page
    services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=twin,
        target=services.party_for_organisation(a["org"]),
        kind="consultation",
        since=D(2025, 1, 1),
    )
    # a fieldworker does not merge; B, which did not add it, does not either
    assert (
        _page(a["fieldworker"])
        .post(f"/netwerk/partijen/{twin.pk}/samenvoegen/", {"in": net["fathers"].pk})
        .status_code
        == 403
    )
    assert (
        _page(net["b"]["coordinator"])
        .post(f"/netwerk/partijen/{twin.pk}/samenvoegen/", {"in": net["fathers"].pk})
        .status_code
        == 403
    )
    merged = _page(a["coordinator"]).post(
        f"/netwerk/partijen/{twin.pk}/samenvoegen/", {"in": net["fathers"].pk}
    )
    assert merged.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == net["fathers"]
    assert net["fathers"].ties_out.filter(kind="consultation").exists()  # the tie moved, with its history
    # a formal kind, a BSN and an unknown area are refused with the field named
    refused = _page(a["fieldworker"]).post(
        "/netwerk/partijen/nieuw/",
        {
            "name": "X",
            "kind": "sportvereniging",
            "areas": "BU99999999",
            "contact": "",
            "organisation": a["org"].pk,
        },
    )
    assert refused.status_code == 200 and "Onbekende gebiedscode: BU99999999" in refused.content.decode()


def test_the_country_network_is_not_everyones_and_outsiders_plant_nothing(net, two_organisations):
    """An attacker's findings: the country (every area lies within it) showed every network to
    every member; an organisation added parties in areas it does not serve; a disputed tie came back
    declared again."""
    Area.objects.create(code="NL00", level="land", name="Nederland")
    assert _page(net["c"]).get("/netwerk/gebied/NL00/").status_code == 403
    assert _page(net["a"]["analyst"]).get("/netwerk/gebied/NL00/banden.csv").status_code == 403
    assert _api(net["c"]).get("/api/v1/network", {"area": "nl00"}).status_code == 403
    c = _api(net["c"])
    planted = c.post(
        "/api/v1/parties", {"name": "Nep", "kind": "bewonersinitiatief", "areas": ["WK059901"]}, format="json"
    )
    assert planted.status_code == 400 and planted.json()["invalidParams"][0]["name"] == "areas"
    # B serves a buurt: not the wijk around it
    b = _api(net["b"]["fieldworker"])
    assert (
        b.post(
            "/api/v1/parties",
            {"name": "Wijkbreed", "kind": "ondernemers", "areas": ["WK059901"]},
            format="json",
        ).status_code
        == 400
    )
    # the disputed shared location is not declared again over the same period; ended, it may be later
    a = net["a"]
    again = {
        "source": services.party_for_organisation(a["org"]).pk,
        "target": services.party_for_organisation(net["b"]["org"]).pk,
        "kind": "shared_location",
        "since": "2025-06-01",
    }
    refused = _api(a["fieldworker"]).post("/api/v1/ties", again, format="json")
    assert refused.status_code == 400 and refused.json()["invalidParams"][0]["name"] == "kind"
    services.tie_end(user=a["fieldworker"], organisation=a["org"], tie=net["disputed"], until=D(2025, 1, 1))
    assert _api(a["fieldworker"]).post("/api/v1/ties", again, format="json").status_code == 201


def test_an_outsider_does_not_bring_itself_into_a_programme_network(net, two_organisations):
    from wijkinzicht.outcomes.services import programme_create

    a, b = two_organisations["A"], two_organisations["B"]
    programme = programme_create(
        user=a["coordinator"],
        organisation=a["org"],
        name="Samen",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 12, 31),
        areas=[net["wk"]],
        partners=[(b["org"], "uitvoering")],
    )
    c_org = net["c"].memberships.get().organisation
    own_a = services.party_for_organisation(a["org"])
    tie = services.tie_declare(
        user=net["c"],
        organisation=c_org,
        source=services.party_for_organisation(c_org),
        target=own_a,
        kind="consultation",
        since=D(1990, 1, 1),
        until=D(1990, 1, 2),
    )
    url = f"/netwerk/programma/{programme.pk}/banden.csv?datum=2025-07-01"
    assert "Organisatie C" not in _page(b["analyst"]).get(url).content.decode("utf-8-sig")
    shown = _page(b["analyst"]).get(f"/netwerk/programma/{programme.pk}/?datum=2025-07-01").content.decode()
    assert "Organisatie C" not in shown
    # the buurtvaders' tie with the mosque does not touch a member: not the programme's to show
    assert "HYPERLINK" not in shown and "Buurtvaders" in shown
    services.tie_respond(user=a["fieldworker"], organisation=a["org"], tie=tie, confirm=True)
    assert "Organisatie C" in _page(b["analyst"]).get(f"/netwerk/programma/{programme.pk}/").content.decode()


def test_graphml_opens_with_any_name_and_points_from_giver_to_receiver(net):
    a = net["a"]
    services.party_create(
        user=a["fieldworker"],
        organisation=a["org"],
        name="Stuur\x0bteken\x1b[31m",
        kind="ondernemers",
        areas=[net["wk"]],
    )
    graphml = _page(a["analyst"]).get("/netwerk/gebied/WK059901/netwerk.graphml?datum=2025-07-01").content
    graph = nx.read_graphml(io.BytesIO(graphml))
    names = nx.get_node_attributes(graph, "name")
    assert "Stuurteken[31m" in names.values()
    # the referral runs from A to B: the edge's source is A
    root = ET.fromstring(graphml)  # noqa: S314 -- our own export, in a test
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    by_id = {n.get("id"): n.find("g:data[@key='name']", ns).text for n in root.iter(f"{{{ns['g']}}}node")}
    referral = [
        e for e in root.iter(f"{{{ns['g']}}}edge") if e.find("g:data[@key='directed']", ns).text == "true"
    ]
    assert [(by_id[e.get("source")], by_id[e.get("target")]) for e in referral] == [
        ("Organisatie A", "Organisatie B")
    ]


def test_the_filter_says_what_it_shows(net):
    """A newcomer's findings: a link with only a date showed every kind with every box empty, and
    with no box ticked every tie; a network where the worlds never meet said nobody was a bridge as
    if it were robust."""
    page = _page(net["a"]["analyst"])
    html = page.get("/netwerk/gebied/WK059901/?datum=2025-07-01").content.decode()
    assert html.count('name="soort"') == 6 and html.count("checked") == 7  # six kinds and the derived ties
    assert "Geen banden op deze datum" not in html
    none = page.get("/netwerk/gebied/WK059901/?datum=2025-07-01&gekozen=1").content.decode()
    assert "Geen banden op deze datum" in none and 'name="soort"' in none and "checked" not in none
    future = page.get("/netwerk/gebied/WK059901/?datum=2099-01-01").content.decode()
    assert "Kies een datum tot en met vandaag" in future
    # only the referral A -> B: formal and informal parties do not meet at all
    only = page.get("/netwerk/gebied/WK059901/?datum=2025-07-01&gekozen=1&soort=referral").content.decode()
    assert "er is dus nog geen brug" in only and "er is dus nog geen schakel" in only
