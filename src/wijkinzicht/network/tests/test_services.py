"""Issue 16, items 1 and 2: parties and ties -- who may add, declare, answer, end and merge, and
that history is appended -- and the network of an area on a date as the analysis reads it. Every
permission rule has a test that tries to break it."""

import datetime as dt

import pytest

from wijkinzicht.analysis import network as analysis
from wijkinzicht.core.tenancy import TenancyError
from wijkinzicht.network import selectors, services
from wijkinzicht.network.constants import TieAction
from wijkinzicht.network.models import Party, Tie, TieEvent

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    mosque = services.party_create(
        user=a["fieldworker"],
        organisation=a["org"],
        name="Moskee Al Fath",
        kind="zelforganisatie",
        description="Gebedshuis met jongerenwerk",
    )
    fathers = services.party_create(
        user=a["fieldworker"], organisation=a["org"], name="Buurtvaders Oost", kind="vrijwilligersgroep"
    )
    return a, b, mosque, fathers


def test_an_informal_party_is_added_and_a_formal_kind_or_a_bsn_is_refused(world):
    a, _b, mosque, _fathers = world
    assert mosque.added_by == a["org"] and not mosque.is_formal and mosque.organisation is None
    with pytest.raises(services.NetworkInputError, match="informele soort"):
        services.party_create(user=a["fieldworker"], organisation=a["org"], name="Gemeente", kind="gemeente")
    with pytest.raises(services.NetworkInputError, match="BSN"):
        services.party_create(
            user=a["fieldworker"],
            organisation=a["org"],
            name="X",
            kind="sportvereniging",
            contact="bel 123456782",
        )
    with pytest.raises(TenancyError):  # a researcher does not edit the network
        services.party_create(user=a["researcher"], organisation=a["org"], name="Y", kind="sportvereniging")


def test_likely_duplicates_are_flagged_and_merging_keeps_ties_and_history(world):
    a, b, mosque, fathers = world
    twin = services.party_create(
        user=a["fieldworker"], organisation=a["org"], name="Stichting Moskee Al-Fath", kind="zelforganisatie"
    )
    assert services.likely_duplicates(twin) == [mosque]
    assert services.likely_duplicates(fathers) == []
    own_a = services.party_for_organisation(a["org"])
    tie = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=own_a,
        target=twin,
        kind="cooperation",
        since=D(2025, 1, 1),
    )
    with pytest.raises(TenancyError):  # a fieldworker does not merge
        services.party_merge(user=a["fieldworker"], keep=mosque, duplicate=twin)
    with pytest.raises(TenancyError):  # another organisation does not merge A's party
        services.party_merge(user=b["coordinator"], keep=mosque, duplicate=twin)
    services.party_merge(user=a["coordinator"], keep=mosque, duplicate=twin)
    tie.refresh_from_db()
    twin.refresh_from_db()
    assert tie.target == mosque and twin.merged_into == mosque
    assert [e.action for e in tie.events.all()] == [TieAction.DECLARED, TieAction.MERGED]
    assert tie.events.first().state["target"] == twin.pk  # the history still says where it came from
    with pytest.raises(services.NetworkInputError, match="samengevoegd"):
        services.tie_declare(
            user=a["fieldworker"],
            organisation=a["org"],
            source=own_a,
            target=twin,
            kind="cooperation",
            since=D(2025, 1, 1),
        )


def test_only_an_end_declares_a_tie_and_only_the_other_end_answers_it(world):
    a, b, mosque, fathers = world
    own_a, own_b = services.party_for_organisation(a["org"]), services.party_for_organisation(b["org"])
    with pytest.raises(TenancyError):  # a tie between two parties B neither is nor added
        services.tie_declare(
            user=b["fieldworker"],
            organisation=b["org"],
            source=mosque,
            target=fathers,
            kind="cooperation",
            since=D(2025, 1, 1),
        )
    # A added both informal parties: it declares their tie for them (they have no users to answer)
    between = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=mosque,
        target=fathers,
        kind="informal_contact",
        since=D(2025, 1, 1),
    )
    assert services.tie_status(between) == "one-sided"
    with pytest.raises(TenancyError):  # nor does B end it
        services.tie_end(user=b["fieldworker"], organisation=b["org"], tie=between, until=D(2025, 6, 1))
    # a tie A declares between its informal party and B: B is the other end and answers it
    with_b = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=mosque,
        target=own_b,
        kind="consultation",
        since=D(2025, 1, 1),
    )
    with pytest.raises(TenancyError):
        services.tie_respond(user=a["fieldworker"], organisation=a["org"], tie=with_b, confirm=True)
    services.tie_respond(user=b["fieldworker"], organisation=b["org"], tie=with_b, confirm=False)
    assert services.tie_status(with_b) == "disputed"
    with pytest.raises(TenancyError):  # in the name of another organisation
        services.tie_declare(
            user=a["fieldworker"],
            organisation=b["org"],
            source=own_b,
            target=mosque,
            kind="cooperation",
            since=D(2025, 1, 1),
        )
    tie = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=own_a,
        target=own_b,
        kind="referral",
        since=D(2025, 3, 1),
        note="alleen voor ons",
    )
    assert tie.directed  # a referral has a direction
    assert services.tie_status(tie) == "unanswered"
    with pytest.raises(TenancyError):  # the declarer does not confirm its own tie
        services.tie_respond(user=a["coordinator"], organisation=a["org"], tie=tie, confirm=True)
    services.tie_respond(
        user=b["fieldworker"], organisation=b["org"], tie=tie, confirm=False, note="kennen we niet"
    )
    assert services.tie_status(tie) == "disputed"
    assert Tie.objects.filter(pk=tie.pk).exists()  # disputed, not deleted
    services.tie_respond(user=b["coordinator"], organisation=b["org"], tie=tie, confirm=True)
    assert services.tie_status(tie) == "confirmed"
    assert [e.action for e in TieEvent.objects.filter(tie=tie)] == ["declared", "disputed", "confirmed"]
    # both ends see the tie; a third organisation does not
    assert tie in selectors.ties_for_user(user=a["fieldworker"])
    assert tie in selectors.ties_for_user(user=b["fieldworker"])
    one_sided = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=own_a,
        target=mosque,
        kind="cooperation",
        since=D(2025, 1, 1),
    )
    assert services.tie_status(one_sided) == "one-sided"  # an informal party has nobody to answer
    assert one_sided not in selectors.ties_for_user(user=b["fieldworker"])


def test_ending_a_tie_keeps_it_and_the_network_is_shown_as_it_was_on_a_date(world):
    a, b, mosque, fathers = world
    own_a, own_b = services.party_for_organisation(a["org"]), services.party_for_organisation(b["org"])
    bridge = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=own_a,
        target=mosque,
        kind="informal_contact",
        since=D(2025, 1, 1),
    )
    services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=own_a,
        target=own_b,
        kind="cooperation",
        since=D(2024, 1, 1),
    )
    with pytest.raises(TenancyError):  # the mosque's tie with A is not B's to end
        services.tie_end(user=b["coordinator"], organisation=b["org"], tie=bridge, until=D(2026, 1, 1))
    with pytest.raises(services.NetworkInputError, match="eindigen nadat hij begon"):
        services.tie_end(user=a["coordinator"], organisation=a["org"], tie=bridge, until=D(2024, 6, 1))
    services.tie_end(user=a["coordinator"], organisation=a["org"], tie=bridge, until=D(2026, 1, 1))
    before = selectors.network_at(at=D(2025, 6, 1))
    after = selectors.network_at(at=D(2026, 6, 1))
    assert len(before.ties) == 2 and len(after.ties) == 1
    found = analysis.metrics(before)["graph"]
    assert found["components"] == 2 and str(fathers.pk) in found["isolates"]
    moved = analysis.change(selectors.network_at(), D(2025, 6, 1), D(2026, 6, 1))
    assert [(t[0], t[1]) for t in moved["lost"]] == [tuple(sorted((str(own_a.pk), str(mosque.pk))))]
    assert str(mosque.pk) in moved["isolated"]


def test_a_disputed_tie_is_left_out_of_the_measures_unless_asked(world):
    a, b, _mosque, _fathers = world
    own_a, own_b = services.party_for_organisation(a["org"]), services.party_for_organisation(b["org"])
    tie = services.tie_declare(
        user=a["fieldworker"],
        organisation=a["org"],
        source=own_a,
        target=own_b,
        kind="cooperation",
        since=D(2025, 1, 1),
    )
    services.tie_respond(user=b["fieldworker"], organisation=b["org"], tie=tie, confirm=False)
    assert selectors.network_at(at=D(2025, 6, 1)).ties == []
    assert len(selectors.network_at(at=D(2025, 6, 1), include_disputed=True).ties) == 1
    assert Party.objects.filter(organisation=a["org"]).count() == 1  # one party per organisation


def test_ties_follow_from_activities_and_programmes_run_together(two_organisations):
    """Issue 16, item 2: derived ties -- the lead and each partner of an activity, every two
    partners of a programme -- over the period they ran, beside the declared ones."""
    from wijkinzicht.activities import services as activities
    from wijkinzicht.areas.models import Area
    from wijkinzicht.outcomes.services import programme_create

    a, b = two_organisations["A"], two_organisations["B"]
    buurt = Area.objects.create(code="BU05990000", level="buurt", name="Rotterdamse buurt")
    activities.activity_create(
        user=a["coordinator"],
        organisation=a["org"],
        title="Taalcafé",
        kind="other",
        partner_ids=[b["org"].pk],
        start_date=D(2025, 1, 1),
        end_date=D(2025, 6, 30),
    )
    programme_create(
        user=a["administrator"],
        organisation=a["org"],
        name="Samen Oost",
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        areas=[buurt],
        partners=[(b["org"], "uitvoering")],
    )
    # every organisation got its party when it was made (signals), serving the areas it serves
    assert services.organisation_parties_sync() == 0
    assert Party.objects.filter(organisation__in=[a["org"], b["org"]]).count() == 2
    own_a, own_b = services.party_for_organisation(a["org"]), services.party_for_organisation(b["org"])
    ties = selectors.derived_ties()
    assert {(t.since, t.until) for t in ties} == {
        (D(2025, 1, 1), D(2025, 7, 1)),
        (D(2026, 1, 1), D(2027, 1, 1)),
    }
    assert all({t.source, t.target} == {str(own_a.pk), str(own_b.pk)} for t in ties)
    assert len(selectors.network_at(at=D(2025, 3, 1), derived=True).ties) == 1
    assert len(selectors.network_at(at=D(2025, 9, 1), derived=True).ties) == 0  # between the two
    assert len(selectors.network_at(at=D(2026, 3, 1)).ties) == 0  # derived ones only when asked
