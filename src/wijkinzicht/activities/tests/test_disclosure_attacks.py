"""The disclosure attacks of issue 12, replayed against the reach report (page, CSV, XLSX, API).

Each test fails on the code before the cell-key method: there the attack gave the hidden count
exactly. Record keys are set by hand where a test needs a known, non-zero perturbation."""

import datetime as dt
import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.activities import reach, services
from wijkinzicht.activities.models import Attendance, Meeting, Participant
from wijkinzicht.core import disclosure


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def _key_for(perturbation: int) -> int:
    """A cell key whose perturbation is the given one."""
    return next(k for k in range(0, disclosure.KEY_MODULUS, 1 << 24)
                if int(disclosure.perturbation([k])[0]) == perturbation)


@pytest.fixture
def visits(orgs, activity):
    """A's published coffee morning: 9 people visit on 3 days in November 2025; on 2 November one
    more person comes once (the hidden "<5" cell of the attack)."""
    a = orgs["A"]
    people = [services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=f"v{i}")
              for i in range(10)]
    for day, who in ((3, people[:9]), (10, people[:9]), (17, people[:9]), (2, people[9:])):
        services.meeting_register(user=a["fieldworker"], activity=activity, date=dt.date(2025, 11, day),
                                  participant_ids=[p.pk for p in who], anonymous_count=0)
    return people


def test_differencing_two_overlapping_periods_gives_nothing(orgs, visits):
    """The attack: /api/v1/reach?organisation=A&start=...&end=2025-11-01 against end=2025-11-02; the
    difference was the one visit of 2 November. Outside the organisation both windows become the
    same fixed period: the two answers are the same report."""
    client = api(orgs["B"]["analyst"])
    base = f"/api/v1/reach?organisation={orgs['A']['org'].pk}&start=2024-12-01&end="
    first, second = client.get(base + "2025-11-01").json(), client.get(base + "2025-11-02").json()
    assert first == second and (first["start"], first["end"]) == ("2024-01-01", "2025-12-31")
    moved = client.get(f"/api/v1/reach?organisation={orgs['A']['org'].pk}&start=2024-12-02&end=2025-11-02")
    assert moved.json() == first
    november = [client.get(f"/api/v1/reach?organisation={orgs['A']['org'].pk}&start=2025-11-{a:02d}"
                           f"&end=2025-11-{b:02d}").json() for a, b in ((1, 1), (2, 30), (3, 17))]
    assert all(n == november[0] for n in november) and november[0]["start"] == "2025-11-01"
    # the organisation itself keeps its exact figures for any window
    own = api(orgs["A"]["analyst"])
    a1 = own.get(f"/api/v1/reach?organisation={orgs['A']['org'].pk}&start=2025-11-01&end=2025-11-01").json()
    a2 = own.get(f"/api/v1/reach?organisation={orgs['A']['org'].pk}&start=2025-11-01&end=2025-11-02").json()
    assert a2["attendance"]["total"] - a1["attendance"]["total"] == 1


def test_an_outsider_gets_few_distinct_periods_so_noise_cannot_be_averaged_away():
    """The attack of the review: all 78 whole-month windows of a year, each with its own noise,
    solved by least squares, gave the hidden monthly counts exactly. Every window maps to one of
    17 fixed periods of the year (12 months, 4 quarters, the year)."""
    import calendar

    months = [(dt.date(2025, m, 1), dt.date(2025, m, calendar.monthrange(2025, m)[1])) for m in range(1, 13)]
    windows = [(months[i][0], months[j][1]) for i in range(12) for j in range(i, 12)]
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=d) for d in range(0, 365, 5)]
    windows += [(a, b) for a in days for b in days if a <= b]
    assert len({reach.fixed_period(a, b) for a, b in windows}) == 17

def test_differencing_two_months_gives_the_hidden_count_plus_noise(orgs, visits):
    """October to November against November alone (both whole months): the difference is the
    hidden count plus the difference of two perturbations. With keys chosen to perturb the larger
    cell by +2, the attack is off by 2."""
    Attendance.objects.filter(date=dt.date(2025, 11, 3)).update(record_key=0)
    Attendance.objects.filter(date=dt.date(2025, 11, 10)).update(record_key=0)
    Attendance.objects.filter(date=dt.date(2025, 11, 17)).update(record_key=0)
    hidden = Attendance.objects.get(date=dt.date(2025, 11, 2))
    Attendance.objects.filter(pk=hidden.pk).update(record_key=_key_for(2))
    Meeting.objects.update(record_key=0)
    outsider = orgs["B"]["analyst"]
    small = reach.reach_report(user=outsider, start=dt.date(2025, 11, 3), end=dt.date(2025, 11, 30),
                               organisation=orgs["A"]["org"])
    # the free window 3-30 November is widened to the month: the visit of 2 November is in it
    assert small.start == dt.date(2025, 11, 1)
    true_total = Attendance.objects.count()
    assert small.attendance == true_total + 2 != true_total


def test_area_report_minus_own_report_does_not_give_the_other_organisations_counts(orgs, visits,
                                                                                    amsterdam):
    """The attack: the area report minus one's own exact report gave B's hidden counts (2 and 1)."""
    b = orgs["B"]
    other = services.activity_create(user=b["fieldworker"], organisation=b["org"], title="Spreekuur",
                                     kind="maatschappelijk_werk", area_codes=["BU03630002"],
                                     is_published=True)
    bp = [services.participant_create(user=b["fieldworker"], organisation=b["org"], pseudonym=f"b{i}")
          for i in range(2)]
    services.meeting_register(user=b["fieldworker"], activity=other, date=dt.date(2025, 11, 5),
                              participant_ids=[p.pk for p in bp])
    Attendance.objects.update(record_key=0)
    Meeting.objects.update(record_key=0)
    Attendance.objects.filter(activity=other).update(record_key=_key_for(1) // 2)
    a = orgs["A"]
    area = reach.reach_report(user=a["analyst"], start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30),
                              area=amsterdam)
    own = reach.reach_report(user=a["analyst"], start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30),
                             organisation=a["org"])
    assert not own.suppressed and own.attendance == 28
    assert area.suppressed
    assert area.attendance - own.attendance != 2  # B's two visits are not recovered
    assert area.attendance == 30 + int(disclosure.perturbation([_key_for(1) // 2 * 2])[0])
    rows = {r.title: r for r in area.activities}
    assert rows["Spreekuur"].shown["registered"] == disclosure.SUPPRESSED


def test_another_organisations_internal_activities_appear_only_as_other_activities(orgs, activity, client):
    """The attack: B's view of A's reach listed A's internal activities by title, with meetings and
    hours, on the page, in the CSV, the XLSX and the API."""
    a = orgs["A"]
    secret = services.activity_create(user=a["fieldworker"], organisation=a["org"], title="Geheim overleg",
                                      kind="buurthuis", area_codes=["BU03630000"], is_published=False)
    people = [services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=f"g{i}")
              for i in range(6)]
    for day in (4, 11):
        services.meeting_register(user=a["fieldworker"], activity=secret, date=dt.date(2025, 11, day),
                                  participant_ids=[p.pk for p in people], professional_hours=3)
    services.meeting_register(user=a["fieldworker"], activity=activity, date=dt.date(2025, 11, 5),
                              participant_ids=[p.pk for p in people])
    query = f"organisation={a['org'].pk}&start=2025-11-01&end=2025-11-30"
    outsider = orgs["B"]["analyst"]
    client.force_login(outsider)
    page = client.get(f"/activiteiten/bereik/?{query}").content.decode()
    csv = client.get(f"/activiteiten/bereik/?{query}&export=csv").content.decode("utf-8-sig")
    xlsx_file = client.get(f"/activiteiten/bereik/?{query}&export=xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(xlsx_file))
    xlsx = " ".join(str(c) for ws in book.worksheets for row in ws.values for c in row)
    body = api(outsider).get(f"/api/v1/reach?{query}").content.decode()
    for text in (page, csv, xlsx, body):
        assert "Geheim overleg" not in text
        assert "overige activiteiten" in text.lower() or "other activities" in text.lower()
    r = reach.reach_report(user=outsider, start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30),
                           organisation=a["org"])
    other = next(x for x in r.activities if x.folded)
    assert other.activity_id is None and other.meetings == 2 and other.unique == 6
    # the organisation itself sees its own internal activity by name
    mine = reach.reach_report(user=a["analyst"], start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30),
                              organisation=a["org"])
    assert "Geheim overleg" in [x.title for x in mine.activities]


def test_the_threshold_setting_works(orgs, visits, settings):
    settings.SUPPRESSION_THRESHOLD = 12
    r = reach.reach_report(user=orgs["B"]["analyst"], start=dt.date(2025, 11, 1), end=dt.date(2025, 11, 30),
                           organisation=orgs["A"]["org"])
    assert r.unique == "<12" and r.repeat == "<12"  # 10 people, 9 of them came more than once
    assert isinstance(r.attendance, int) and r.attendance >= 12
    assert "<12" in " ".join(r.notes)


def test_participant_keys_are_random_and_permanent(orgs):
    a = orgs["A"]
    keys = {services.participant_create(user=a["fieldworker"], organisation=a["org"],
                                        pseudonym=f"r{i}").record_key for i in range(20)}
    assert len(keys) == 20 and all(0 <= k < disclosure.KEY_MODULUS for k in keys)
    p = Participant.objects.first()
    before = p.record_key
    services.participant_update(user=a["fieldworker"], participant=p, birth_year=1960, gender="",
                                home_buurt_code="", consent=False, consent_date=None)
    p.refresh_from_db()
    assert p.record_key == before
