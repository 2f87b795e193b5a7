"""Services of the activities module: every rule, and every tenancy rule tried from outside."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wijkinzicht.activities import services
from wijkinzicht.activities.models import Attendance, Meeting
from wijkinzicht.areas.models import Area
from wijkinzicht.core.tenancy import TenancyError


def test_activity_create_derives_gemeente_code_and_search_text(activity):
    assert activity.gemeente.code == "GM0363"
    assert activity.code == "KOFFIE"
    assert activity.postcode == "1012AN"
    assert activity.weekdays == "24"
    assert activity.theme_list == ["eenzaamheid", "ontmoeting"]
    assert "koffieochtend" in activity.search_text and "organisatie a" in activity.search_text
    assert sorted(a.code for a in activity.areas.all()) == ["BU03630000", "BU03630001"]


def test_activity_without_code_gets_one(orgs):
    a = orgs["A"]
    act = services.activity_create(
        user=a["coordinator"], organisation=a["org"], title="Taalcafé", kind="other"
    )
    assert act.code == f"A{act.pk}"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "sauna"}, "kind"),
        ({"postcode": "12345"}, "postcode"),
        ({"latitude": 48.85, "longitude": 2.35}, "latitude"),
        ({"latitude": 52.3}, "latitude"),
        ({"start_date": dt.date(2025, 5, 1), "end_date": dt.date(2025, 4, 1)}, "end_date"),
        ({"start_time": dt.time(12), "end_time": dt.time(10)}, "end_time"),
        ({"themes": ["eenzaamheid", "astrologie"]}, "themes"),
        ({"weekdays": [0, 8]}, "weekdays"),
    ],
)
def test_activity_rules_name_the_field(orgs, fields, field):
    a = orgs["A"]
    data = {"title": "Iets", "kind": "other", **fields}
    with pytest.raises(ValidationError) as exc:
        services.activity_create(user=a["fieldworker"], organisation=a["org"], **data)
    assert field in exc.value.message_dict


def test_activity_areas_must_exist_and_lie_in_one_gemeente(orgs):
    a = orgs["A"]
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            user=a["fieldworker"], organisation=a["org"], title="X", kind="other", area_codes=["BU03639999"]
        )
    assert "BU03639999" in exc.value.message_dict["areas"][0]
    Area.objects.create(code="BU05990000", level="buurt", name="Rotterdamse buurt")
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            user=a["fieldworker"],
            organisation=a["org"],
            title="X",
            kind="other",
            area_codes=["BU03630000", "BU05990000"],
        )
    assert "areas" in exc.value.message_dict


def test_activity_code_unique_per_organisation(orgs, activity):
    a, b = orgs["A"], orgs["B"]
    with pytest.raises(ValidationError):
        services.activity_create(
            user=a["fieldworker"], organisation=a["org"], code="KOFFIE", title="X", kind="other"
        )
    # another organisation may use the same code
    services.activity_create(
        user=b["fieldworker"], organisation=b["org"], code="KOFFIE", title="X", kind="other"
    )


@pytest.mark.parametrize(
    "who", [("B", "fieldworker"), ("B", "administrator"), ("A", "analyst"), ("A", "researcher")]
)
def test_only_registering_members_create_or_change(orgs, activity, who):
    user = orgs[who[0]][who[1]]
    with pytest.raises(TenancyError):
        services.activity_create(user=user, organisation=orgs["A"]["org"], title="X", kind="other")
    with pytest.raises(TenancyError):
        services.activity_update(user=user, activity=activity, title="Overgenomen")
    with pytest.raises(TenancyError):
        services.participant_create(user=user, organisation=orgs["A"]["org"], pseudonym="zz1")
    with pytest.raises(TenancyError):
        services.meeting_register(user=user, activity=activity, date=dt.date(2024, 1, 2))


def test_activity_update_changes_only_given_fields(orgs, activity):
    services.activity_update(
        user=orgs["A"]["coordinator"],
        activity=activity,
        title="Koffie & krant",
        latitude=52.37,
        longitude=4.90,
    )
    activity.refresh_from_db()
    assert activity.title == "Koffie & krant"
    assert activity.postcode == "1012AN"
    assert (activity.latitude, activity.longitude) == (52.37, 4.90)
    assert "krant" in activity.search_text


@pytest.mark.parametrize(
    ("pseudonym", "ok"),
    [
        ("K-0042", True),
        ("111222333", False),
        ("12345672", False),
        ("123456789", True),
        ("Jan Jansen", False),
        ("", False),
        ("x" * 41, False),
    ],
)
def test_participant_pseudonym_never_a_bsn_or_a_name(orgs, pseudonym, ok):
    a = orgs["A"]
    if ok:
        assert services.participant_create(
            user=a["fieldworker"], organisation=a["org"], pseudonym=pseudonym
        ).pk
    else:
        with pytest.raises(ValidationError) as exc:
            services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=pseudonym)
        assert "pseudonym" in exc.value.message_dict


def test_participant_rules(orgs, participants):
    a = orgs["A"]
    cases = [
        ({"pseudonym": "p1"}, "pseudonym"),
        ({"pseudonym": "q1", "birth_year": 2999}, "birth_year"),
        ({"pseudonym": "q1", "home_buurt_code": "WK036300"}, "home_buurt"),
        ({"pseudonym": "q1", "gender": "onzijdig"}, "gender"),
        ({"pseudonym": "q1", "consent_date": dt.date(2024, 1, 1)}, "consent_date"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            services.participant_create(user=a["fieldworker"], organisation=a["org"], **kwargs)
        assert field in exc.value.message_dict, kwargs
    # the same pseudonym in another organisation is another person
    b = orgs["B"]
    assert services.participant_create(user=b["fieldworker"], organisation=b["org"], pseudonym="p1").pk


def test_meeting_register_copies_activity_and_date_to_attendance(orgs, activity, participants):
    m = services.meeting_register(
        user=orgs["A"]["fieldworker"],
        activity=activity,
        date=dt.date(2024, 3, 5),
        anonymous_count=4,
        volunteers=2,
        volunteer_hours="3.5",
        participant_ids=[participants[0].pk, participants[1].pk],
    )
    rows = list(Attendance.objects.filter(meeting=m).values_list("activity_id", "date"))
    assert rows == [(activity.pk, dt.date(2024, 3, 5))] * 2
    assert m.volunteer_hours == pytest.approx(3.5)


def test_meeting_rules(orgs, activity, participants):
    user = orgs["A"]["fieldworker"]
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.meeting_register(user=user, activity=activity, date=tomorrow)
    assert "date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.meeting_register(user=user, activity=activity, date=dt.date(2024, 1, 2), anonymous_count=-1)
    assert "anonymous_count" in exc.value.message_dict
    services.meeting_register(user=user, activity=activity, date=dt.date(2024, 1, 2))
    with pytest.raises(ValidationError) as exc:
        services.meeting_register(user=user, activity=activity, date=dt.date(2024, 1, 2))
    assert "date" in exc.value.message_dict
    assert Meeting.objects.count() == 1


def test_participant_of_another_organisation_cannot_be_marked_present(orgs, activity):
    b = orgs["B"]
    stranger = services.participant_create(user=b["fieldworker"], organisation=b["org"], pseudonym="b-1")
    with pytest.raises(ValidationError) as exc:
        services.meeting_register(
            user=orgs["A"]["fieldworker"],
            activity=activity,
            date=dt.date(2024, 1, 2),
            participant_ids=[stranger.pk],
        )
    message = exc.value.message_dict["participants"][0]
    with pytest.raises(ValidationError) as unknown:
        services.meeting_register(
            user=orgs["A"]["fieldworker"],
            activity=activity,
            date=dt.date(2024, 1, 2),
            participant_ids=[987654],
        )
    # the same answer as for an id that does not exist: nothing about B's records leaks
    assert message == unknown.value.message_dict["participants"][0].replace("987654", str(stranger.pk))
    assert not Meeting.objects.exists()


def test_meeting_update_replaces_attendance(orgs, activity, participants):
    user = orgs["A"]["fieldworker"]
    m = services.meeting_register(
        user=user,
        activity=activity,
        date=dt.date(2024, 3, 5),
        participant_ids=[participants[0].pk, participants[1].pk],
    )
    services.meeting_update(
        user=user,
        meeting=m,
        anonymous_count=1,
        volunteers=0,
        volunteer_hours=0,
        professional_hours=2,
        participant_ids=[participants[1].pk, participants[2].pk],
    )
    assert set(m.attendances.values_list("participant__pseudonym", flat=True)) == {"p2", "p3"}
    with pytest.raises(TenancyError):
        services.meeting_delete(user=orgs["B"]["administrator"], meeting=m)
    services.meeting_delete(user=user, meeting=m)
    assert not Attendance.objects.exists()
