"""The demo programmes: one per demo gemeente, with a change model, partners, visions that differ,
live indicators and measurements; loading twice adds nothing."""

import datetime as dt

from wijkinzicht.demo import services
from wijkinzicht.outcomes import selectors
from wijkinzicht.outcomes.models import Measurement, Programme


def test_one_programme_per_demo_gemeente(amsterdam, rotterdam_housing):
    services.load_organisations()
    today = dt.date(2026, 11, 1)
    services.load_activities(say=lambda _m: None, today=today)
    services.load_programmes(say=lambda _m: None, today=today)
    programmes = {p.name: p for p in Programme.objects.all()}
    assert set(programmes) == {name for name, _p, _b in services.DEMO_PROGRAMMES.values()}
    for programme in programmes.values():
        assert programme.partners.count() == 2
        assert programme.elements.filter(kind="goal").count() == 1
        assert programme.links.count() >= 8
        _partners, rows = selectors.visions(programme=programme)
        assert any(r.flags for r in rows)
        assert programme.measurements.count() == 80 * 4
        views = selectors.indicator_views(programme=programme, today=today)
        statuses = [v.status for vs in views.values() for v in vs]
        assert len(statuses) == 4 and any(s != "unknown" for s in statuses)
        (djg, ladder) = sorted(selectors.outcome_results(programme=programme), key=lambda r: r.instrument)
        assert djg.n == 80 and djg.result.mean_change < 0  # the invented approach lowers loneliness
        assert ladder.n == 80 and ladder.result.mean_change > 0
    n = Measurement.objects.count()
    services.load_programmes(say=lambda _m: None, today=today)
    assert Measurement.objects.count() == n and Programme.objects.count() == 2
