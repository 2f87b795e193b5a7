"""The programme's summaries (year figures and person pairs, outcomes/summaries.py) against the rules
written out plainly over its measurements: after writes through the services, which keep them up to
date, and after writes that bypass the services, which the next read must notice and rebuild."""

import datetime as dt
import random

import pytest

from wijkinzicht.activities import services as activity_services
from wijkinzicht.activities.models import Participant
from wijkinzicht.outcomes import selectors, services, summaries
from wijkinzicht.outcomes.models import Measurement, SummaryState

from .conftest import djg11_answers, is_fresh, reference, stored

ZRM_DOMAINS = ["zrm_financien", "zrm_huisvesting", "zrm_sociaal_netwerk"]


@pytest.fixture
def people(orgs):
    a = orgs["A"]
    return [
        activity_services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym=f"s{k}")
        for k in range(8)
    ]


def _measure(orgs, programme, person, instrument, moment, day, answers):
    a = orgs["A"]
    return services.measurement_create(
        user=a["fieldworker"],
        organisation=a["org"],
        pseudonym=person.pseudonym,
        instrument=instrument,
        moment=moment,
        date=day,
        answers=answers,
        programme=programme,
    )


def _import(orgs, programme, rows):
    """Import djg11 rows [(line, {column: value})] as A's fieldworker, through the service."""
    return services.measurements_import(
        user=orgs["A"]["fieldworker"],
        organisation=orgs["A"]["org"],
        instrument="djg11",
        rows=rows,
        programme=programme,
    )


def _bypassing(orgs, programme, person, moment, day, rung) -> Measurement:
    """A participatieladder measurement made without the services (not saved)."""
    return Measurement(
        organisation=orgs["A"]["org"],
        participant=person,
        programme=programme,
        instrument="participatieladder",
        moment=moment,
        date=day,
        answers={"trede": str(rung)},
        score=float(rung),
        parts={},
    )


def _answers(rng, instrument):
    if instrument == "participatieladder":
        return {"trede": str(rng.randint(1, 6))}
    if instrument == "zrm":  # some domains left out: missing
        return {d: str(rng.randint(1, 5)) for d in ZRM_DOMAINS if rng.random() < 0.7} or {"zrm_justitie": "3"}
    answers = djg11_answers(rng.randint(0, 11))
    if rng.random() < 0.2:  # an item left out: no scores (decision 0009)
        answers.pop(f"djg_{rng.randint(1, 11)}")
    return answers


def test_writes_through_the_services_keep_the_summaries_exact(programme, orgs, people):
    """Awkward histories (two intakes, a measurement before the intake, intake and exit on one day,
    no intake), missing answers, subscales and domains, single measurements and an import: after
    every write the summaries equal the rules over all measurements, without a rebuild."""
    histories = [
        [("intake", (2024, 2, 1)), ("follow_up", (2024, 8, 1)), ("exit", (2025, 2, 1))],
        [("intake", (2024, 3, 1)), ("intake", (2024, 5, 1)), ("exit", (2024, 9, 1))],
        [("other", (2024, 1, 1)), ("intake", (2024, 2, 1)), ("follow_up", (2024, 6, 1))],
        [("intake", (2024, 2, 1)), ("exit", (2024, 2, 1))],
        [("intake", (2024, 4, 1))],
        [("exit", (2024, 4, 1)), ("intake", (2024, 6, 1)), ("exit", (2024, 12, 1))],
        [("follow_up", (2024, 4, 1)), ("exit", (2025, 6, 1))],
    ]
    rng = random.Random(4)
    for instrument in ("participatieladder", "djg11", "zrm"):
        for person, history in zip(people, histories, strict=False):
            for moment, day in history:
                _measure(
                    orgs, programme, person, instrument, moment, dt.date(*day), _answers(rng, instrument)
                )
                assert is_fresh(programme)
                assert stored(programme) == reference(programme)
    rows = [
        (2, {"deelnemer": "s7", "moment": "intake", "datum": "2024-03-01", **djg11_answers(9)}),
        (3, {"deelnemer": "s7", "moment": "exit", "datum": "2025-03-01", **djg11_answers(2)}),
        (4, {"deelnemer": "s0", "moment": "exit", "datum": "2025-09-01", **djg11_answers(1)}),
        (5, {"deelnemer": "s4", "moment": "follow_up", "datum": "2025-01-01", **djg11_answers(5)}),
    ]
    created, errors = _import(orgs, programme, rows)
    assert (created, errors) == (4, [])
    assert is_fresh(programme)
    assert stored(programme) == reference(programme)
    before = stored(programme)
    summaries._rebuild(programme, summaries._lock(programme))
    assert stored(programme) == before  # kept up to date == rebuilt from scratch


@pytest.mark.parametrize("seed", [1, 2])
def test_a_random_history_of_writes(programme, orgs, people, seed):
    """Measurements of random people, instruments, moments and dates, with now and then a change or
    a deletion that bypasses the services: after each step a read sees exactly what the rules say."""
    rng = random.Random(seed)
    moments = ["intake", "follow_up", "exit", "other"]
    for step in range(40):
        instrument = rng.choice(["participatieladder", "djg11", "zrm"])
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
        _measure(
            orgs,
            programme,
            rng.choice(people),
            instrument,
            rng.choice(moments),
            day,
            _answers(rng, instrument),
        )
        if step % 9 == 8:  # bypassing the services: the stamp changes, the next read rebuilds
            victim = rng.choice(list(Measurement.objects.filter(programme=programme)))
            if rng.random() < 0.5:
                victim.delete()
            else:
                victim.date = victim.date + dt.timedelta(days=200)
                victim.save()
            assert not is_fresh(programme)
        summaries.ensure_fresh(programme)
        assert stored(programme) == reference(programme), step


def test_changes_that_bypass_the_services_are_noticed(programme, model, orgs, people, ladder_indicator):
    """A bulk load, a corrected score, a deleted measurement and a deleted participant change the
    stamp; the page's next read rebuilds the summaries and shows the right figures."""
    indicator = ladder_indicator

    def read():
        views = selectors.indicator_views(programme=programme, today=dt.date(2025, 6, 1))[model["outcome"].pk]
        points = next(v for v in views if v.indicator.pk == indicator.pk).points
        results = selectors.outcome_results(programme=programme)
        return [(p.label, p.shown, p.n) for p in points], [(r.n, r.result is not None) for r in results]

    Measurement.objects.bulk_create(
        _bypassing(orgs, programme, person, moment, day, rung)
        for person in people[:6]
        for moment, day, rung in (("intake", dt.date(2024, 3, 1), 2), ("exit", dt.date(2025, 3, 1), 5))
    )
    assert read() == ([("2024", 2.0, 6), ("2025", 5.0, 6)], [(6, True)])
    assert is_fresh(programme)
    exit_ = Measurement.objects.filter(programme=programme, moment="exit").order_by("pk").first()
    exit_.score = 1.0
    exit_.save()
    assert read() == ([("2024", 2.0, 6), ("2025", 4.33, 6)], [(6, True)])
    Measurement.objects.filter(pk=exit_.pk).delete()
    assert read() == ([("2024", 2.0, 6), ("2025", 5.0, 5)], [(5, True)])
    Participant.objects.filter(pk=people[1].pk).delete()  # its measurements go with it
    assert read() == ([("2024", 2.0, 5), ("2025", "<5", 4)], [(4, False)])  # under five: not shown
    assert stored(programme) == reference(programme)


def test_a_write_that_races_another_leaves_the_rebuild_to_the_next_read(programme, orgs, people):
    """When the number of measurements changed by more than the recorded write did (another process
    wrote at the same moment, bypassing the services), record leaves the summaries stale for the
    next read to rebuild; the next recorded write finds them stale and rebuilds them first."""
    _measure(orgs, programme, people[0], "participatieladder", "intake", dt.date(2024, 2, 1), {"trede": "2"})
    assert is_fresh(programme)

    def write_and_race():
        _bypassing(orgs, programme, people[0], "exit", dt.date(2024, 9, 1), 5).save()
        # the other process, for another person
        _bypassing(orgs, programme, people[1], "intake", dt.date(2024, 9, 1), 3).save()

    summaries.record(programme, {("participatieladder", people[0].pk)}, write_and_race)
    assert not is_fresh(programme)
    summaries.ensure_fresh(programme)
    assert is_fresh(programme) and stored(programme) == reference(programme)
    summaries.record(programme, {("participatieladder", people[0].pk)}, write_and_race)
    assert not is_fresh(programme)
    _measure(orgs, programme, people[2], "participatieladder", "intake", dt.date(2024, 3, 1), {"trede": "1"})
    assert is_fresh(programme) and stored(programme) == reference(programme)
    assert [p[:2] for p in stored(programme)[1]["participatieladder"]] == [(2.0, 5.0)]


def test_a_failed_import_leaves_the_summaries_as_they_were(programme, orgs, people):
    _measure(orgs, programme, people[0], "djg11", "intake", dt.date(2024, 2, 1), djg11_answers(6))
    before = stored(programme)
    rows = [
        (2, {"deelnemer": "s0", "moment": "exit", "datum": "2025-01-02", **djg11_answers(2)}),
        (3, {"deelnemer": "s1", "moment": "exit", "datum": "2025-01-02", "djg_5": "misschien"}),
    ]
    created, errors = _import(orgs, programme, rows)
    assert created == 0 and errors and "misschien" in errors[0]
    assert Measurement.objects.count() == 1
    assert is_fresh(programme) and stored(programme) == before


def test_results_are_cached_per_instrument(programme, orgs, people):
    """A new measurement of one instrument gives that instrument a new version: its result is
    computed again, the other instrument's comes from the cache, and both equal a computation from
    scratch."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for k, person in enumerate(people[:6]):
        for moment, day in (("intake", dt.date(2024, 2, 1)), ("exit", dt.date(2025, 2, 1))):
            lonely = 8 - k % 3 if moment == "intake" else 2 + k % 4
            _measure(orgs, programme, person, "djg11", moment, day, djg11_answers(lonely))
            rung = 2 + k % 2 if moment == "intake" else 4 + k % 3
            _measure(orgs, programme, person, "participatieladder", moment, day, {"trede": str(rung)})

    def summary(results):
        return [(r.instrument, r.n, round(r.result.mean_change, 6), r.reliability) for r in results]

    first = summary(selectors.outcome_results(programme=programme))
    assert [r[:2] for r in first] == [("djg11", 6), ("participatieladder", 6)]
    versions = dict(SummaryState.objects.get(programme=programme).versions)
    _measure(orgs, programme, people[0], "participatieladder", "exit", dt.date(2025, 6, 1), {"trede": "1"})
    now = SummaryState.objects.get(programme=programme).versions
    assert now["djg11"] == versions["djg11"] and now["participatieladder"] != versions["participatieladder"]
    with CaptureQueriesContext(connection) as queries:
        second = summary(selectors.outcome_results(programme=programme))
    read = [q["sql"] for q in queries.captured_queries if "personpair" in q["sql"]]
    assert len(read) == 1 and "participatieladder" in read[0]  # djg11 came from the cache
    assert second[0] == first[0] and second[1] != first[1]
    cache.clear()
    assert summary(selectors.outcome_results(programme=programme)) == second
