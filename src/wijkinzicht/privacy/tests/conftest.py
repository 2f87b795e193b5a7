"""Fixtures of the privacy tests: Amsterdam 2017, organisations A and B, A's activity with visits
and a programme with measurements."""

import datetime as dt

import pytest

from wijkinzicht.activities import services as activity_services
from wijkinzicht.areas.models import Area
from wijkinzicht.outcomes import services as outcome_services
from wijkinzicht.outcomes.tests.conftest import djg11_answers


@pytest.fixture
def orgs(amsterdam, two_organisations):
    return two_organisations


@pytest.fixture
def world(orgs):
    """A's coffee morning with three participants (two meetings), and a programme in which k1 has an
    intake and an exit measurement."""
    a = orgs["A"]
    activity = activity_services.activity_create(
        user=a["fieldworker"], organisation=a["org"], code="KOFFIE", title="Koffieochtend",
        kind="buurthuis", area_codes=["BU03630000"], start_date=dt.date(2024, 1, 1), is_published=True,
    )
    people = [activity_services.participant_create(user=a["fieldworker"], organisation=a["org"],
                                                   pseudonym=f"k{i}", birth_year=1950) for i in (1, 2, 3)]
    meetings = [activity_services.meeting_register(user=a["fieldworker"], activity=activity, date=day,
                                                   participant_ids=[p.pk for p in people], anonymous_count=2)
                for day in (dt.date(2024, 3, 5), dt.date(2024, 3, 12))]
    programme = outcome_services.programme_create(
        user=a["coordinator"], organisation=a["org"], name="Samen", start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31), areas=[Area.objects.get(code="GM0363")], activity_ids=[activity.pk],
        partners=[],
    )
    for moment, day, lonely in (("intake", dt.date(2024, 3, 1), 9), ("exit", dt.date(2024, 9, 1), 3)):
        outcome_services.measurement_create(user=a["fieldworker"], organisation=a["org"], pseudonym="k1",
                                            instrument="djg11", moment=moment, date=day,
                                            answers=djg11_answers(lonely), programme=programme)
    return {"activity": activity, "people": people, "meetings": meetings, "programme": programme}
