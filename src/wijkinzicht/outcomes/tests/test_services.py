"""Programmes, the change model and its versions, visions, indicators and measurements through the
services, with the rules each one enforces."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from wijkinzicht.activities import services as activity_services
from wijkinzicht.areas.models import Indicator as AreaIndicator
from wijkinzicht.areas.models import Observation
from wijkinzicht.core.tenancy import TenancyError
from wijkinzicht.outcomes import selectors, services
from wijkinzicht.outcomes.models import Measurement, ModelVersion, PersonPair

from .conftest import djg11_answers, is_fresh, reference, reference_pairs, stored


def test_every_change_makes_a_version_with_the_whole_model(programme, model, orgs):
    versions = list(programme.versions.order_by("number"))
    # created + 4 elements + 3 arrows
    assert [v.number for v in versions] == list(range(1, 9))
    last = versions[-1].snapshot
    assert len(last["elements"]) == 4 and len(last["links"]) == 3
    assert versions[4].snapshot["links"] == []  # version 5: the four elements, no arrows yet
    services.element_update(user=orgs["A"]["coordinator"], element=model["goal"], title="Niemand eenzaam")
    assert programme.versions.first().snapshot["elements"][0]["title"] == "Niemand eenzaam"
    # the earlier version still says what it said
    assert (
        ModelVersion.objects.get(programme=programme, number=8).snapshot["elements"][0]["title"]
        == "Minder eenzaamheid"
    )


def test_programme_update_sets_its_partners_in_one_go(programme, orgs):
    a, b, c = orgs["A"], orgs["B"], orgs["C"]
    fields = {
        "start_date": programme.start_date,
        "end_date": programme.end_date,
        "areas": list(programme.areas.all()),
    }

    def partners():
        return dict(programme.partners.values_list("organisation__name", "role"))

    services.programme_update(
        user=a["coordinator"], programme=programme, name="Nieuw", partners=[(c["org"], "financier")], **fields
    )
    # B left, C joined, the owner stays
    assert partners() == {"Organisatie A": partners()["Organisatie A"], "Organisatie C": "financier"}
    # a bad partner role: the whole change is refused, the name included
    with pytest.raises(ValidationError):
        services.programme_update(
            user=a["coordinator"],
            programme=programme,
            name="Kapot",
            partners=[(b["org"], "x" * 201)],
            **fields,
        )
    programme.refresh_from_db()
    assert programme.name == "Nieuw" and set(partners()) == {"Organisatie A", "Organisatie C"}
    with pytest.raises(TenancyError):
        services.programme_update(user=b["coordinator"], programme=programme, name="Overgenomen", **fields)


def test_arrows_lead_upwards_without_circles_or_doubles(programme, model, orgs):
    user = orgs["A"]["coordinator"]
    with pytest.raises(ValidationError, match="omhoog"):
        services.link_add(
            user=user, programme=programme, source_id=model["goal"].pk, target_id=model["outcome"].pk
        )
    with pytest.raises(ValidationError, match="zichzelf"):
        services.link_add(
            user=user, programme=programme, source_id=model["goal"].pk, target_id=model["goal"].pk
        )
    with pytest.raises(ValidationError, match="bestaat al"):
        services.link_add(
            user=user, programme=programme, source_id=model["output"].pk, target_id=model["outcome"].pk
        )
    second = services.element_add(user=user, programme=programme, kind="outcome", title="Meer zelfvertrouwen")
    services.link_add(user=user, programme=programme, source_id=second.pk, target_id=model["outcome"].pk)
    with pytest.raises(ValidationError, match="cirkel"):
        services.link_add(user=user, programme=programme, source_id=model["outcome"].pk, target_id=second.pk)
    n = programme.versions.count()
    assert programme.versions.count() == n  # refused changes make no version


def test_reordering_within_a_layer(programme, model, orgs):
    user = orgs["A"]["coordinator"]
    second = services.element_add(user=user, programme=programme, kind="outcome", title="Tweede")
    services.element_move(user=user, element=second, step=-1)
    order = list(
        programme.elements.filter(kind="outcome").order_by("position").values_list("title", flat=True)
    )
    assert order == ["Tweede", "Meer sociale contacten"]
    with pytest.raises(ValidationError):
        services.element_move(user=user, element=second, step=-1)


def test_only_editors_of_the_owner_change_the_model(programme, orgs):
    for user in (
        orgs["A"]["fieldworker"],
        orgs["A"]["researcher"],
        orgs["B"]["coordinator"],
        orgs["C"]["administrator"],
    ):
        with pytest.raises(TenancyError):
            services.element_add(user=user, programme=programme, kind="goal", title="Ingebroken")
    assert not programme.elements.exists()


def test_visions_diverge_and_are_reported(programme, model, orgs):
    a, b = orgs["A"], orgs["B"]
    outcome = model["outcome"]
    services.vision_set(
        user=a["coordinator"],
        element=outcome,
        organisation=a["org"],
        priority=5,
        own_role="contributes",
        responsible=b["org"],
    )
    services.vision_set(
        user=b["coordinator"],
        element=outcome,
        organisation=b["org"],
        priority=1,
        own_role="contributes",
        responsible=a["org"],
    )
    services.outcome_role_set(
        user=a["coordinator"], element=outcome, organisation=a["org"], role="responsible"
    )
    _partners, rows = selectors.visions(programme=programme)
    flags = " ".join(next(r for r in rows if r.element.pk == outcome.pk).flags)
    assert "Organisatie A gives 5, Organisatie B gives 1" in flags or "Organisatie A geeft 5" in flags
    assert "each think the other is responsible" in flags or "elk de ander verantwoordelijk" in flags
    assert "agreement says" in flags or "afspraak" in flags


def test_a_partner_states_only_its_own_vision(programme, model, orgs):
    a, b, c = orgs["A"], orgs["B"], orgs["C"]
    with pytest.raises(TenancyError):  # B's coordinator speaking for A
        services.vision_set(
            user=b["coordinator"],
            element=model["outcome"],
            organisation=a["org"],
            priority=3,
            own_role="none",
            responsible=None,
        )
    with pytest.raises(TenancyError):  # C is no partner
        services.vision_set(
            user=c["coordinator"],
            element=model["outcome"],
            organisation=c["org"],
            priority=3,
            own_role="none",
            responsible=None,
        )
    with pytest.raises(TenancyError):  # a fieldworker does not speak for the organisation
        services.vision_set(
            user=b["fieldworker"],
            element=model["outcome"],
            organisation=b["org"],
            priority=3,
            own_role="none",
            responsible=None,
        )
    with pytest.raises(ValidationError) as err:
        services.vision_set(
            user=b["coordinator"],
            element=model["outcome"],
            organisation=b["org"],
            priority=7,
            own_role="boss",
            responsible=c["org"],
        )
    assert set(err.value.message_dict) == {"priority", "own_role", "responsible"}
    with pytest.raises(ValidationError):  # an output gets no vision
        services.vision_set(
            user=b["coordinator"],
            element=model["output"],
            organisation=b["org"],
            priority=3,
            own_role="none",
            responsible=None,
        )


def test_area_indicator_is_live_and_progress_follows_the_rule(programme, model, orgs):
    user = orgs["A"]["coordinator"]
    key = AreaIndicator.objects.get(key="population")
    value = Observation.objects.get(area__code="GM0363", indicator=key, year=2017).value
    indicator = services.indicator_create(
        user=user,
        element=model["goal"],
        name="Inwoners",
        source="area",
        area="gm0363",
        area_indicator="population",
        baseline_value=value - 1000,
        baseline_date=dt.date(2016, 1, 1),
        target_value=value + 10_000,
        target_date=dt.date(2018, 1, 1),
    )
    view = selectors.indicator_views(programme=programme)[model["goal"].pk][0]
    assert view.indicator == indicator
    assert view.progress.latest == value and view.progress.latest_date == dt.date(2017, 1, 1)
    # half way in time, 1000 of 11000 on the way: behind
    assert view.status == "behind"
    # a new CBS figure counts at once (the source is live)
    Observation.objects.filter(area__code="GM0363", indicator=key, year=2017).update(value=value + 20_000)
    assert selectors.indicator_views(programme=programme)[model["goal"].pk][0].status == "achieved"


def test_indicator_fields_are_checked(programme, model, orgs):
    user = orgs["A"]["coordinator"]
    with pytest.raises(ValidationError) as err:
        services.indicator_create(
            user=user,
            element=model["goal"],
            name="",
            source="area",
            area="XX",
            area_indicator="nope",
            baseline_value=1.0,
            baseline_date=None,
            target_value=None,
            target_date=None,
        )
    assert {"name", "area", "area_indicator", "baseline_date"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        services.indicator_create(
            user=user,
            element=model["goal"],
            name="ZRM",
            source="instrument",
            instrument="zrm",
            baseline_value=None,
            baseline_date=None,
            target_value=None,
            target_date=None,
        )
    assert "instrument_part" in err.value.message_dict  # the ZRM has no total
    with pytest.raises(ValidationError):  # an output has no indicators
        services.indicator_create(user=user, element=model["output"], name="x", source="manual")


def test_manual_series_and_reach(programme, model, orgs, activity):
    user = orgs["A"]["coordinator"]
    manual = services.indicator_create(
        user=user,
        element=model["outcome"],
        name="Buurtpanel: contacten",
        source="manual",
        baseline_value=40.0,
        baseline_date=dt.date(2024, 1, 1),
        target_value=60.0,
        target_date=dt.date(2026, 1, 1),
    )
    services.manual_value_set(user=user, indicator=manual, date=dt.date(2025, 1, 1), value=52.0)
    reach = services.indicator_create(
        user=user,
        element=model["outcome"],
        name="Deelnemers",
        source="reach",
        reach_measure="participants",
    )
    a = orgs["A"]
    people = [
        activity_services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=p)
        for p in ("r1", "r2", "r3")
    ]
    activity_services.meeting_register(
        user=a["fieldworker"],
        activity=activity,
        date=dt.date(2024, 3, 5),
        participant_ids=[p.pk for p in people],
        anonymous_count=4,
    )
    views = {
        v.indicator.pk: v
        for v in selectors.indicator_views(programme=programme, today=dt.date(2025, 6, 1))[
            model["outcome"].pk
        ]
    }
    assert views[manual.pk].status == "on_track"  # 52 against 50 expected a year in
    points = views[reach.pk].points
    assert [p.label for p in points] == ["2024", "2025 (t/m 01-06)"]
    assert points[0].value == 3 and points[0].shown == "<5"  # suppressed where partners see it
    with pytest.raises(ValidationError):
        services.manual_value_set(user=user, indicator=reach, date=dt.date(2025, 1, 1), value=1.0)


def _participants(org_users, n):
    return [
        activity_services.participant_create(
            user=org_users["fieldworker"], organisation=org_users["org"], pseudonym=f"m{k}"
        )
        for k in range(n)
    ]


def test_measurements_are_scored_and_paired(programme, orgs):
    a = orgs["A"]
    people = _participants(a, 12)
    for k, p in enumerate(people):
        services.measurement_create(
            user=a["fieldworker"],
            organisation=a["org"],
            pseudonym=p.pseudonym,
            instrument="djg11",
            moment="intake",
            date=dt.date(2024, 2, 1),
            answers=djg11_answers(8 + k % 3),
            programme=programme,
        )
        services.measurement_create(
            user=a["fieldworker"],
            organisation=a["org"],
            pseudonym=p.pseudonym,
            instrument="djg11",
            moment="exit",
            date=dt.date(2025, 2, 1),
            answers=djg11_answers(3 + k % 4),
            programme=programme,
        )
    m = Measurement.objects.filter(instrument="djg11", moment="intake").order_by("pk").first()
    assert (m.score, m.parts, m.category) == (8, {"emotional": 3, "social": 5}, "matig eenzaam")
    (result,) = selectors.outcome_results(programme=programme)
    assert result.n == 12 and result.result is not None
    before = [8 + k % 3 for k in range(12)]
    after = [3 + k % 4 for k in range(12)]
    assert result.result.mean_change == pytest.approx(sum(after) / 12 - sum(before) / 12)
    assert result.result.ci[0] < result.result.mean_change < result.result.ci[1]
    assert result.reliability is not None  # alpha of the intake answers
    # fewer than five people: not shown
    assert selectors.outcome_results(programme=programme, end=dt.date(2024, 12, 31))[0].result is None


def test_pairing_in_the_database_follows_the_rule(programme, orgs):
    """Two intakes, a measurement before the intake, a follow-up and an exit, one on the same day
    as the intake, intake only: the SQL pairing gives what the rule written in Python gives."""
    a = orgs["A"]
    people = _participants(a, 7)
    histories = [
        [("intake", (2024, 2, 1), 2), ("follow_up", (2024, 8, 1), 3), ("exit", (2025, 2, 1), 5)],
        [("intake", (2024, 3, 1), 1), ("intake", (2024, 5, 1), 4), ("exit", (2024, 9, 1), 6)],
        [("other", (2024, 1, 1), 6), ("intake", (2024, 2, 1), 2), ("follow_up", (2024, 6, 1), 4)],
        [("intake", (2024, 2, 1), 3), ("exit", (2024, 2, 1), 6)],  # same day: no later measurement
        [("intake", (2024, 4, 1), 2)],
        [("exit", (2024, 4, 1), 2), ("intake", (2024, 6, 1), 1), ("exit", (2024, 12, 1), 3)],
        [("follow_up", (2024, 4, 1), 2), ("exit", (2024, 6, 1), 4)],  # no intake
    ]
    for person, history in zip(people, histories, strict=True):
        for moment, day, rung in history:
            services.measurement_create(
                user=a["fieldworker"],
                organisation=a["org"],
                pseudonym=person.pseudonym,
                instrument="participatieladder",
                moment=moment,
                date=dt.date(*day),
                answers={"trede": str(rung)},
                programme=programme,
            )
    rows = list(Measurement.objects.filter(programme=programme))
    for before, after in (("intake", "last"), ("intake", "exit"), ("intake", "follow_up"), ("exit", "last")):
        got = selectors._pairs(programme, None, None, before, after).get("participatieladder", [])
        assert got == reference_pairs(rows, before, after), (before, after)
    pairs = selectors._pairs(programme, None, None, "intake", "last")["participatieladder"]
    assert [p[:2] for p in pairs] == [(2, 5), (1, 6), (2, 4), (1, 3)]
    # a period cuts the measurements before pairing
    cut = [r for r in rows if r.date <= dt.date(2024, 8, 31)]
    got = selectors._pairs(programme, None, dt.date(2024, 8, 31), "intake", "last")["participatieladder"]
    assert got == reference_pairs(cut, "intake", "last")


def test_cached_figures_follow_every_change_of_the_measurements(programme, model, orgs, ladder_indicator):
    """Indicator points and paired results are cached under a stamp of the programme's
    measurements: a new, changed or deleted measurement is seen on the next read."""
    a = orgs["A"]
    indicator = ladder_indicator
    people = _participants(a, 7)

    def measure(person, moment, day, rung):
        return services.measurement_create(
            user=a["fieldworker"],
            organisation=a["org"],
            pseudonym=person.pseudonym,
            instrument="participatieladder",
            moment=moment,
            date=day,
            answers={"trede": str(rung)},
            programme=programme,
        )

    for person in people[:6]:
        measure(person, "intake", dt.date(2024, 3, 1), 2)
        measure(person, "exit", dt.date(2025, 3, 1), 4)

    def read():
        (result,) = selectors.outcome_results(programme=programme)
        view = selectors.indicator_views(programme=programme, today=dt.date(2025, 6, 1))[model["outcome"].pk]
        points = next(v for v in view if v.indicator.pk == indicator.pk).points
        series = [(p.label, round(p.value, 4), p.n) for p in points]
        return result.n, round(result.result.mean_change, 4), series

    assert read() == (6, 2.0, [("2024", 2.0, 6), ("2025", 4.0, 6)])
    assert read() == (6, 2.0, [("2024", 2.0, 6), ("2025", 4.0, 6)])  # from the cache
    measure(people[6], "intake", dt.date(2024, 3, 1), 1)
    last = measure(people[6], "exit", dt.date(2025, 3, 1), 6)
    assert read() == (7, round(17 / 7, 4), [("2024", round(13 / 7, 4), 7), ("2025", round(30 / 7, 4), 7)])
    last.score = 4.0  # changed (e.g. corrected by an administrator)
    last.save()
    assert read() == (7, round(15 / 7, 4), [("2024", round(13 / 7, 4), 7), ("2025", 4.0, 7)])
    last.delete()
    assert read()[:2] == (6, 2.0)


def test_measurement_rules(programme, orgs):
    a, b, c = orgs["A"], orgs["B"], orgs["C"]
    _participants(a, 1)
    with pytest.raises(ValidationError) as err:
        services.measurement_create(
            user=a["fieldworker"],
            organisation=a["org"],
            pseudonym="m0",
            instrument="djg11",
            moment="later",
            date=dt.date.today() + dt.timedelta(days=2),
            answers={"djg_1": "jein"},
        )
    assert {"moment", "date", "answers"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError, match="Geen deelnemer"):  # B does not see A's participant ids
        services.measurement_create(
            user=b["fieldworker"],
            organisation=b["org"],
            pseudonym="m0",
            instrument="djg6",
            moment="intake",
            date=dt.date(2025, 1, 1),
            answers={"djg_3": "ja"},
        )
    with pytest.raises(TenancyError):
        services.measurement_create(
            user=b["fieldworker"],
            organisation=a["org"],
            pseudonym="m0",
            instrument="djg6",
            moment="intake",
            date=dt.date(2025, 1, 1),
            answers={"djg_3": "ja"},
        )
    _participants(c, 1)
    with pytest.raises(ValidationError, match="geen partner"):
        services.measurement_create(
            user=c["fieldworker"],
            organisation=c["org"],
            pseudonym="m0",
            instrument="djg6",
            moment="intake",
            date=dt.date(2025, 1, 1),
            answers={"djg_3": "ja"},
            programme=programme,
        )
    assert not Measurement.objects.exists()


def test_import_is_all_or_nothing_and_names_rows(programme, orgs):
    a = orgs["A"]
    _participants(a, 2)
    rows = [
        (2, {"deelnemer": "m0", "moment": "intake", "datum": "2025-01-02", **djg11_answers(4)}),
        (3, {"deelnemer": "m1", "moment": "intake", "datum": "2025-13-02", **djg11_answers(4)}),
        (4, {"deelnemer": "onbekend", "moment": "intake", "datum": "2025-01-02"}),
        (5, {"deelnemer": "m1", "moment": "intake", "datum": "2025-01-02", "djg_5": "=cmd()"}),
    ]
    created, errors = services.measurements_import(
        user=a["fieldworker"], organisation=a["org"], instrument="djg11", rows=rows, programme=programme
    )
    assert created == 0 and len(errors) == 3
    assert errors[0].startswith(("Row 3", "Rij 3")) and "datum" in errors[0]
    assert "onbekend" in errors[1] and "=cmd()" in errors[2]
    assert not Measurement.objects.exists()
    created, errors = services.measurements_import(
        user=a["fieldworker"], organisation=a["org"], instrument="djg11", rows=rows[:1], programme=programme
    )
    assert (created, errors) == (1, [])


def test_a_measurement_is_corrected_or_deleted_by_its_own_organisation(programme, orgs):
    """A correction is scored again and checked like a new measurement; moving it to another
    programme updates both programmes' figures; only measuring roles of the registering
    organisation may correct or delete, never a partner or an analyst."""
    a, b = orgs["A"], orgs["B"]
    people = _participants(a, 6)
    for p in people:
        for moment, day, n in (("intake", dt.date(2024, 2, 1), 8), ("exit", dt.date(2025, 2, 1), 3)):
            services.measurement_create(
                user=a["fieldworker"],
                organisation=a["org"],
                pseudonym=p.pseudonym,
                instrument="djg11",
                moment=moment,
                date=day,
                answers=djg11_answers(n),
                programme=programme,
            )
    other = services.programme_create(
        user=a["coordinator"],
        organisation=a["org"],
        name="Tweede programma",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 12, 31),
        areas=list(programme.areas.all()),
    )
    exit_ = Measurement.objects.filter(participant=people[0], moment="exit").get()
    for user in (b["coordinator"], a["analyst"]):  # a partner; an analyst of the own organisation
        with pytest.raises(TenancyError):
            services.measurement_update(
                user=user,
                measurement=exit_,
                moment="exit",
                date=exit_.date,
                answers=djg11_answers(0),
                programme=programme,
            )
        with pytest.raises(TenancyError):
            services.measurement_delete(user=user, measurement=exit_)
    with pytest.raises(ValidationError) as err:  # checked like a new one: nothing changes
        services.measurement_update(
            user=a["fieldworker"],
            measurement=exit_,
            moment="exit",
            date=dt.date.today() + dt.timedelta(days=3),
            answers=djg11_answers(0),
            programme=programme,
        )
    assert "date" in err.value.message_dict
    assert Measurement.objects.get(pk=exit_.pk).score == 3
    corrected = services.measurement_update(
        user=a["fieldworker"],
        measurement=Measurement.objects.get(pk=exit_.pk),
        moment="exit",
        date=dt.date(2025, 3, 1),
        answers=djg11_answers(10),
        programme=programme,
    )
    assert (corrected.score, corrected.category, corrected.date) == (
        10,
        "ernstig eenzaam",
        dt.date(2025, 3, 1),
    )
    assert is_fresh(programme) and stored(programme) == reference(programme)
    (result,) = selectors.outcome_results(programme=programme)
    assert result.n == 6 and result.result.mean_change == pytest.approx((5 * 3 + 10) / 6 - 8)
    moved = services.measurement_update(
        user=a["coordinator"],
        measurement=corrected,
        moment="exit",
        date=dt.date(2025, 3, 1),
        answers=djg11_answers(10),
        programme=other,
    )
    assert moved.programme == other
    for p in (programme, other):
        assert is_fresh(p) and stored(p) == reference(p)
    assert PersonPair.objects.filter(programme=programme).count() == 5
    assert [r.n for r in selectors.outcome_results(programme=other)] == [0]  # shown: too few people
    services.measurement_delete(user=a["fieldworker"], measurement=Measurement.objects.get(pk=exit_.pk))
    assert not Measurement.objects.filter(pk=exit_.pk).exists()
    assert is_fresh(other) and stored(other) == reference(other) == ({}, {})
    assert selectors.outcome_results(programme=other) == []  # no measurements left: no result


def test_an_area_indicator_runs_on_through_a_re_coding(programme, model, orgs, cbs_dir):
    """Issue 14: an indicator on an Amsterdam buurt's old code stopped at 2022 and said "on track" for
    ever. With the crosswalk imported it runs on under the new code (BU03630001 -> BU0363AE02)."""
    from wijkinzicht.areas.services import crosswalk_import, kwb_import

    kwb_import(cbs_dir / "amsterdam_kwb_2024_subset.csv")
    indicator = services.indicator_create(
        user=orgs["A"]["coordinator"], element=model["goal"], name="Inwoners Oude Kerk", source="area",
        area="BU03630001", area_indicator="population",
    )

    def years():
        view = next(v for v in selectors.indicator_views(programme=programme)[model["goal"].pk]
                    if v.indicator == indicator)
        return [p.label for p in view.points if p.value is not None]

    assert years() == ["2017"]
    crosswalk_import(cbs_dir / "amsterdam_buurt_crosswalk_2015_2022.csv",
                     from_column="BUURTCODE_CBS_2015", to_column="BUURTCODE_CBS_2022", year=2023)
    new = Observation.objects.get(area__code="BU0363AE02", indicator__key="population", year=2024).value
    assert years() == ["2017", "2024"]
    view = next(v for v in selectors.indicator_views(programme=programme)[model["goal"].pk]
                if v.indicator == indicator)
    assert view.progress.latest == new and view.progress.latest_date == dt.date(2024, 1, 1)
