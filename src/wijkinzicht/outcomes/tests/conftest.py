"""Fixtures of the outcomes tests: Amsterdam 2017 (real CBS figures), organisation A owning a
programme with B as partner, and C that takes no part."""

import datetime as dt

import pytest

from wijkinzicht.activities import services as activity_services
from wijkinzicht.areas.models import Area
from wijkinzicht.outcomes import services, summaries
from wijkinzicht.outcomes.models import Measurement, PersonPair, SummaryState, YearFigure


@pytest.fixture
def login(client):
    """login(user) -> the test client, logged in as that user (both factors)."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def orgs(amsterdam, two_organisations):
    from wijkinzicht.parties.constants import OrganisationKind, Role
    from wijkinzicht.parties.services import membership_grant, organisation_create, user_create

    org = organisation_create(name="Organisatie C", kind=OrganisationKind.CORPORATIE)
    c = {"org": org}
    for role in Role.values:
        c[role] = user_create(username=f"c-{role}", password="geheim-wachtwoord-1")
        membership_grant(user=c[role], organisation=org, role=role)
    return {**two_organisations, "C": c}


@pytest.fixture
def activity(orgs):
    return activity_services.activity_create(
        user=orgs["A"]["fieldworker"],
        organisation=orgs["A"]["org"],
        code="KOFFIE",
        title="Koffieochtend Zeedijk",
        kind="buurthuis",
        area_codes=["BU03630000"],
        start_date=dt.date(2024, 1, 1),
    )


@pytest.fixture
def programme(orgs, activity):
    a = orgs["A"]
    return services.programme_create(
        user=a["coordinator"],
        organisation=a["org"],
        name="Samen tegen eenzaamheid",
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2027, 12, 31),
        areas=[Area.objects.get(code="GM0363")],
        activity_ids=[activity.pk],
        partners=[(orgs["B"]["org"], "uitvoerder")],
    )


@pytest.fixture
def model(programme, orgs, activity):
    """Goal <- outcome <- output <- activity, each arrow with an assumption."""
    user = orgs["A"]["coordinator"]
    goal = services.element_add(user=user, programme=programme, kind="goal", title="Minder eenzaamheid")
    outcome = services.element_add(
        user=user, programme=programme, kind="outcome", title="Meer sociale contacten"
    )
    output = services.element_add(
        user=user, programme=programme, kind="output", title="40 ochtenden per jaar"
    )
    act = services.element_add(
        user=user, programme=programme, kind="activity", title="Koffieochtend", activity_id=activity.pk
    )
    services.link_add(
        user=user, programme=programme, source_id=act.pk, target_id=output.pk, assumption="Er komen mensen"
    )
    services.link_add(user=user, programme=programme, source_id=output.pk, target_id=outcome.pk)
    services.link_add(
        user=user,
        programme=programme,
        source_id=outcome.pk,
        target_id=goal.pk,
        rationale="Contact vermindert eenzaamheid",
    )
    return {"goal": goal, "outcome": outcome, "output": output, "activity": act}


@pytest.fixture
def ladder_indicator(model, orgs):
    """An indicator of the model's outcome on the mean rung of the participatieladder."""
    return services.indicator_create(
        user=orgs["A"]["coordinator"],
        element=model["outcome"],
        name="Trede",
        source="instrument",
        instrument="participatieladder",
        baseline_value=2.0,
        baseline_date=dt.date(2024, 1, 1),
        target_value=4.0,
        target_date=dt.date(2026, 1, 1),
    )


def djg11_answers(lonely_points: int) -> dict:
    """Answers to the 11 items with exactly lonely_points lonely answers (positive items first)."""
    answers = {}
    order = [1, 4, 7, 8, 11, 2, 3, 5, 6, 9, 10]
    for k, n in enumerate(order):
        positive = n in (1, 4, 7, 8, 11)
        lonely = k < lonely_points
        answers[f"djg_{n}"] = ("nee" if lonely else "ja") if positive else ("ja" if lonely else "nee")
    return answers


def reference_pairs(rows, before, after):
    """The pairing rule written out plainly: per person, the first `before` measurement (by date,
    then id) against the last measurement on a later date (any moment, or only `after`)."""
    people = {}
    for r in sorted(rows, key=lambda r: (r.date, r.pk)):
        people.setdefault(r.participant_id, []).append(r)
    pairs = []
    for history in people.values():
        first = next((r for r in history if r.moment == before), None)
        if first is None:
            continue
        later = [r for r in history if r.date > first.date and (after == "last" or r.moment == after)]
        if later:
            pairs.append((first.score, later[-1].score, first.pk))
    return sorted(pairs, key=lambda p: p[2])


def reference(programme):
    """Year figures {(instrument, part, year): (values, sum, people)} and pairs {instrument: [...]}
    computed from the programme's measurements as the rules say."""
    rows = list(Measurement.objects.filter(programme=programme))
    cells = {}
    for m in rows:
        for part, value in (("", m.score), *m.parts.items()):
            if value is not None:
                values, people = cells.setdefault((m.instrument, part, m.date.year), ([], set()))
                values.append(value)
                people.add(m.participant_id)
    figures = {key: (len(v), pytest.approx(sum(v)), len(p)) for key, (v, p) in cells.items()}
    pairs = {}
    for instrument in {m.instrument for m in rows}:
        scored = [m for m in rows if m.instrument == instrument and m.score is not None]
        found = reference_pairs(scored, "intake", "last")
        if found:
            pairs[instrument] = found
    return figures, pairs


def stored(programme):
    figures = {
        (f.instrument, f.part, f.year): (f.count, f.total, f.people)
        for f in YearFigure.objects.filter(programme=programme)
    }
    pairs = {}
    for p in PersonPair.objects.filter(programme=programme).order_by("instrument", "first_id"):
        pairs.setdefault(p.instrument, []).append((p.first_score, p.last_score, p.first_id))
    return figures, pairs


def is_fresh(programme) -> bool:
    """The summaries stand for the current measurements (kept up to date, not yet rebuilt)."""
    state = SummaryState.objects.filter(programme=programme).first()
    return state is not None and state.stamp == repr(summaries.stamp(programme))
