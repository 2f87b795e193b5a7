"""Fixtures of the activities tests: Amsterdam 2017 (real CBS figures), organisations A and B."""

import datetime as dt

import pytest

from wijkinzicht.activities import services


@pytest.fixture
def orgs(amsterdam, two_organisations):
    return two_organisations


@pytest.fixture
def activity(orgs):
    """A weekly coffee morning of organisation A in two Amsterdam buurten, published."""
    a = orgs["A"]
    return services.activity_create(
        user=a["fieldworker"],
        organisation=a["org"],
        code="KOFFIE",
        title="Koffieochtend Zeedijk",
        kind="buurthuis",
        themes=["eenzaamheid", "ontmoeting"],
        target_groups=["ouderen"],
        weekdays=[2, 4],
        start_time=dt.time(10),
        end_time=dt.time(12),
        location_name="Buurthuis De Kop",
        address="Zeedijk 1",
        postcode="1012 AN",
        city="Amsterdam",
        latitude=52.3760,
        longitude=4.9005,
        is_free=True,
        is_published=True,
        area_codes=["BU03630000", "BU03630001"],
        start_date=dt.date(2020, 1, 1),
    )


@pytest.fixture
def participants(orgs):
    """Six participants of A: three aged 65+, two 25-44, one of unknown age; buurten Kop Zeedijk/Oude Kerk."""
    a = orgs["A"]
    specs = [
        ("p1", 1940, "BU03630000"),
        ("p2", 1945, "BU03630000"),
        ("p3", 1950, "BU03630001"),
        ("p4", 1990, "BU03630000"),
        ("p5", 1985, "BU03630001"),
        ("p6", None, None),
    ]
    return [
        services.participant_create(
            user=a["fieldworker"],
            organisation=a["org"],
            pseudonym=p,
            birth_year=y,
            home_buurt_code=b,
            consent=True,
        )
        for p, y, b in specs
    ]
