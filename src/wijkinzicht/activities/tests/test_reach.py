"""The reach report: hand-counted figures for the organisation itself; for others counts under 5
suppressed and the rest perturbed by at most 2 (cell-key method, decision 0014)."""

import datetime as dt

import pytest

from wijkinzicht.activities import reach, services
from wijkinzicht.core.disclosure import SUPPRESSED

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


@pytest.fixture
def meetings(orgs, activity, participants):
    """Three meetings: p1 comes three times, p2 twice, p3-p6 once; anonymous 4 + 0 + 7."""
    user = orgs["A"]["fieldworker"]
    p = {x.pseudonym: x.pk for x in participants}
    services.meeting_register(
        user=user,
        activity=activity,
        date=dt.date(2024, 3, 5),
        anonymous_count=4,
        volunteers=2,
        volunteer_hours=3,
        participant_ids=[p["p1"], p["p2"], p["p3"]],
    )
    services.meeting_register(
        user=user,
        activity=activity,
        date=dt.date(2024, 3, 12),
        professional_hours=2,
        participant_ids=[p["p1"], p["p2"], p["p4"]],
    )
    services.meeting_register(
        user=user,
        activity=activity,
        date=dt.date(2024, 4, 2),
        anonymous_count=7,
        participant_ids=[p["p1"], p["p5"], p["p6"]],
    )
    # outside the period: not counted
    services.meeting_register(
        user=user,
        activity=activity,
        date=dt.date(2023, 12, 19),
        anonymous_count=50,
        participant_ids=[p["p3"]],
    )


def test_exact_report_for_own_organisation(orgs, meetings):
    a = orgs["A"]
    r = reach.reach_report(user=a["analyst"], start=START, end=END, organisation=a["org"])
    assert not r.suppressed
    assert (r.meetings, r.registered, r.anonymous, r.attendance) == (3, 9, 11, 20)
    assert (r.unique, r.repeat) == (6, 2)
    assert (r.volunteers, r.volunteer_hours, r.professional_hours) == (2, 3.0, 2.0)
    assert [(m["label"], m["total"]) for m in r.months[2:4]] == [("mrt 2024", 10), ("apr 2024", 10)]
    rows = {b.area.code if b.area else None: b for b in r.buurten}
    # age at the end of 2024: p1 84, p2 79 -> 65+; p4 34 -> 25-44 (Kop Zeedijk); p3 74, p5 39 (Oude Kerk)
    assert rows["BU03630000"].counts == [0, 0, 1, 0, 2, 0]
    assert rows["BU03630001"].counts == [0, 0, 1, 0, 1, 0]
    assert rows[None].counts == [0, 0, 0, 0, 0, 1]
    # share of the population: Kop Zeedijk had 65 inhabitants aged 65+ in CBS 2017 -> 2 / 65
    assert rows["BU03630000"].shares[4] == pytest.approx(round(100 * 2 / 65, 1))
    assert r.population_year == 2017
    assert r.split[0]["unique"] == 0 and r.split[1]["unique"] == 6


def near(shown, true) -> bool:
    """A perturbed count: within 2 of the true one, never under the threshold."""
    return isinstance(shown, int) and abs(shown - true) <= 2 and shown >= 5


def test_another_organisation_sees_only_protected_aggregates(orgs, meetings):
    r = reach.reach_report(user=orgs["B"]["analyst"], start=START, end=END, organisation=orgs["A"]["org"])
    assert r.suppressed
    assert near(r.attendance, 20) and near(r.unique, 6)
    assert r.repeat == SUPPRESSED
    rows = {b.area.code if b.area else None: b for b in r.buurten}
    assert all(c == SUPPRESSED for c in rows["BU03630000"].counts)
    assert all(s is None for s in rows["BU03630000"].shares)
    # March: 6 registered + 4 anonymous: the 4 is hidden, the 6 and the 10 carry their own noise
    march = r.months[2]
    assert near(march["registered"], 6) and march["anonymous"] == SUPPRESSED and near(march["total"], 10)
    assert not any(isinstance(m["total"], int) and m["total"] < 5 for m in r.months)
    json = reach.report_json(r)
    assert json["repeatVisitors"] == SUPPRESSED
    # the same records always give the same figures
    again = reach.reach_report(user=orgs["B"]["analyst"], start=START, end=END, organisation=orgs["A"]["org"])
    assert reach.report_json(again) == json


def test_area_report_is_suppressed_even_for_members(orgs, meetings, amsterdam):
    r = reach.reach_report(user=orgs["A"]["analyst"], start=START, end=END, area=amsterdam)
    assert r.suppressed and r.meetings == 3 and near(r.attendance, 20)


def test_area_report_adds_organisations(orgs, meetings, amsterdam):
    b = orgs["B"]
    other = services.activity_create(
        user=b["fieldworker"],
        organisation=b["org"],
        title="Spreekuur",
        kind="maatschappelijk_werk",
        area_codes=["BU03630002"],
    )
    services.meeting_register(
        user=b["fieldworker"], activity=other, date=dt.date(2024, 5, 1), anonymous_count=30
    )
    r = reach.reach_report(user=b["analyst"], start=START, end=END, area=amsterdam)
    assert r.organisations == 2 and near(r.attendance, 50) and r.notes
    wijk = reach.reach_report(
        user=b["analyst"], start=START, end=END, area=amsterdam.children.get(code="WK036300")
    )
    assert wijk.meetings == 4
    assert reach.reach_report(user=b["analyst"], start=START, end=END, organisation=b["org"]).attendance == 30


def test_rows_for_export(orgs, meetings):
    r = reach.reach_report(user=orgs["A"]["analyst"], start=START, end=END, organisation=orgs["A"]["org"])
    tables = reach.reach_rows(r)
    assert len(tables) == 4
    activities = list(tables.values())[1]
    assert activities[1][0] == "Koffieochtend Zeedijk" and activities[1][6] == 20
