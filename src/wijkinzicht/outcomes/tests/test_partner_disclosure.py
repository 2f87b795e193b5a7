"""Partner views of programme results (issue 12, item 2), the attack replayed: a partner moved the
start of /programmas/1/resultaten/?...&start= by one day and got one participant's exact scores
(n 6 -> 5: 6 x 6.33 - 5 x 6.40 = 6)."""

import datetime as dt

import pytest

from wijkinzicht.activities import services as activity_services
from wijkinzicht.outcomes import selectors, services

from .conftest import djg11_answers


@pytest.fixture
def six_people(orgs, programme):
    """A measures six people: intake in March 2024, follow-up in June 2024 -- the sixth person's
    follow-up only in January 2025."""
    a = orgs["A"]
    for i in range(6):
        pseudonym = f"z{i}"
        activity_services.participant_create(user=a["fieldworker"], organisation=a["org"],
                                             pseudonym=pseudonym)
        follow_up = dt.date(2025, 1, 10) if i == 5 else dt.date(2024, 6, 1)
        for moment, day, lonely in (("intake", dt.date(2024, 3, 1 + i), 8), ("follow_up", follow_up, 2 + i)):
            services.measurement_create(user=a["fieldworker"], organisation=a["org"], pseudonym=pseudonym,
                                        instrument="djg11", moment=moment, date=day,
                                        answers=djg11_answers(lonely), programme=programme)


def _numbers(text: str) -> str:
    start = text.index("<main")
    return text[start:]


def test_a_free_date_window_is_not_offered_to_partners(login, orgs, programme, six_people):
    client = login(orgs["B"]["analyst"])
    base = f"/programmas/{programme.pk}/resultaten/"
    answers = [_numbers(client.get(base + q).text)
               for q in ("", "?start=2024-03-01", "?start=2024-03-02&end=2024-12-31", "?after=follow_up",
                         "?reliability=0.1")]
    assert all(a == answers[0] for a in answers)  # the free parameters do nothing for a partner
    assert 'name="start"' not in answers[0] and 'name="period"' in answers[0]


def test_no_two_periods_a_partner_can_choose_differ_by_fewer_than_five_people(orgs, programme, six_people):
    """Whole history: 6 people; 2024: 5 (the sixth follow-up is in 2025). Both differ by one
    person, so neither is shown to a partner; the owner, who registered all of it, sees both."""
    today = dt.date(2025, 6, 1)
    for window in selectors.partner_windows(programme, today):
        for r in selectors.partner_results(programme=programme, start=window[0], end=window[1], today=today):
            assert r.result is None, window
    exact = selectors.outcome_results(programme=programme)
    assert exact[0].n == 6 and exact[0].result is not None
    only_2024 = selectors.outcome_results(programme=programme, start=dt.date(2024, 1, 1),
                                          end=dt.date(2024, 12, 31))
    assert only_2024[0].n == 5 and only_2024[0].result is not None
    # the withheld copy did not change the cached result of the owner
    assert selectors.outcome_results(programme=programme)[0].result is not None


def test_owner_with_all_records_keeps_exact_free_windows(login, orgs, programme, six_people):
    page = login(orgs["A"]["analyst"]).get(f"/programmas/{programme.pk}/resultaten/?start=2024-01-01"
                                           "&end=2024-12-31&before=intake&after=last")
    assert 'name="start"' in page.text and ">5<" in page.text


def test_partner_periods_are_whole_years_in_the_report(login, orgs, programme, six_people):
    url = f"/programmas/{programme.pk}/rapport/?van=2024-03-02&tot=2024-06-30"
    page = login(orgs["B"]["analyst"]).get(url)
    assert page.status_code == 200 and "01-01-2024" in page.text and "31-12-2024" in page.text
    assert "02-03-2024" not in page.text


def test_a_low_reliability_is_shown_with_a_warning_and_the_shares_come_first(login, orgs, programme,
                                                                           six_people):
    """Issue 14: Cronbach's alpha 0,34 was shown without a warning, and the improved / unchanged /
    worsened column was off-screen on a phone (now the third column)."""
    client = login(orgs["A"]["analyst"])
    query = "?before=intake&after=last&reliability="
    html = client.get(f"/programmas/{programme.pk}/resultaten/{query}0.34").text
    assert "de betrouwbaarheid is 0,34, onder 0,70" in html and "laag: zie hieronder" in html
    head = html[html.index("<thead>"):html.index("</thead>")]
    assert head.index("Verbeterd / gelijk / verslechterd") < head.index("Gemiddelde verandering")
    fine = client.get(f"/programmas/{programme.pk}/resultaten/{query}0.85").text
    assert "onder 0,70" not in fine
