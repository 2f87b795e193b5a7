"""Issue 4 target: the programme page with 50 outcomes and 200,000 measurements behind its
indicators opens in under 1 s (server time, Django test client in process). Two figures: "cold",
the first view after a new measurement (registered through the service, which brings the
programme's summaries up to date, decision 0011), when the outcome results are computed again from
the person pairs; and "warm", later views with nothing changed, when they come from the cache under
the measurements' stamp (decision 0010). Also reported: the first view after the bulk load, which
bypasses the services, so that the view rebuilds the summaries from all measurements. A fresh database on SQLite and, when BENCH_PG_URL or a postgres DATABASE_URL is
given, on PostgreSQL (scratch database wijkinzicht_bench, dropped afterwards).

The 50 outcomes carry one indicator each: 30 on the mean djg11 score, 5 on its emotional subscale,
5 on the participatieladder, 4 on reach, 3 on a CBS figure and 3 manual series. The 200,000
measurements are 50,000 participants measured with djg11 and the participatieladder at intake and
exit (answers generated, scored with the instrument code)."""

import json
import subprocess
import sys
import tempfile

from _common import DATA, OUT, bench_pg_url, env_for, scratch_pg_database

CHILD = r"""
import datetime as dt, json, random, statistics, sys, time, django
django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
from django.core.management import call_command
call_command("migrate", verbosity=0)
import numpy as np
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wijkinzicht.analysis.instruments import DJG11, score_codes
from wijkinzicht.activities.models import Participant
from wijkinzicht.areas.models import Area
from wijkinzicht.areas.services import kwb_import
from wijkinzicht.outcomes import services
from wijkinzicht.outcomes.models import Measurement
from wijkinzicht.parties.services import membership_grant, organisation_create, user_create

from wijkinzicht.outcomes.models import Programme
from django.contrib.auth import get_user_model

if Programme.objects.filter(name="Bench").exists():  # a database kept from an earlier run (--keep)
    programme, user = Programme.objects.get(name="Bench"), get_user_model().objects.get(username="bench")
else:
    programme, user = None, None
t0 = time.perf_counter()
if programme is None:
    kwb_import(sys.argv[1] + "/amsterdam_kwb_2017_full.csv")
    rng = np.random.default_rng(5)
    org = organisation_create(name="Bench welzijn", kind="welzijn")
    user = user_create(username="bench", password="bench-wachtwoord-1")
    membership_grant(user=user, organisation=org, role="coordinator")
    start = dt.date(2024, 1, 1)
    programme = services.programme_create(user=user, organisation=org, name="Bench", start_date=start,
                                          end_date=dt.date(2027, 12, 31), areas=[Area.objects.get(code="GM0363")])
    goal = services.element_add(user=user, programme=programme, kind="goal", title="Doel")
    kinds = ["djg11"] * 30 + ["djg11:emotional"] * 5 + ["participatieladder"] * 5 + ["reach"] * 4 + ["area"] * 3 + ["manual"] * 3
    for k, kind in enumerate(kinds[:49]):
        e = services.element_add(user=user, programme=programme, kind="outcome", title=f"Uitkomst {k + 1}")
        services.link_add(user=user, programme=programme, source_id=e.pk, target_id=goal.pk, assumption="aanname")
    for k, (e, kind) in enumerate(zip(programme.elements.order_by("pk"), kinds)):
        common = dict(baseline_value=5.0, baseline_date=start, target_value=4.0, target_date=dt.date(2027, 1, 1))
        if kind.startswith("djg11") or kind == "participatieladder":
            inst, _, part = kind.partition(":")
            services.indicator_create(user=user, element=e, name=f"I{k}", source="instrument", instrument=inst,
                                      instrument_part=part, **common)
        elif kind == "reach":
            services.indicator_create(user=user, element=e, name=f"I{k}", source="reach", reach_measure="participants", **common)
        elif kind == "area":
            services.indicator_create(user=user, element=e, name=f"I{k}", source="area", area="GM0363",
                                      area_indicator="population", **common)
        else:
            i = services.indicator_create(user=user, element=e, name=f"I{k}", source="manual", **common)
            services.manual_value_set(user=user, indicator=i, date=dt.date(2025, 1, 1), value=4.6)
    n_people = 50_000
    Participant.objects.bulk_create([Participant(organisation=org, pseudonym=f"P{i:06d}") for i in range(n_people)],
                                    batch_size=5000)
    people = list(Participant.objects.filter(organisation=org).values_list("pk", flat=True))
    codes = rng.integers(0, 5, size=(2 * n_people, 11))
    scores = score_codes(DJG11, codes)
    words = ["ja!", "ja", "min of meer", "nee", "nee!"]
    rows = []
    for k, pk in enumerate(people):
        for j, (moment, day) in enumerate((("intake", dt.date(2024, 2, 1)), ("exit", dt.date(2025, 2, 1)))):
            r = 2 * k + j
            answers = {f"djg_{n}": words[c] for n, c in zip(range(1, 12), codes[r].tolist())}
            rows.append(Measurement(organisation=org, participant_id=pk, programme=programme, instrument="djg11",
                                    moment=moment, date=day, answers=answers, score=float(scores.total[r]),
                                    parts={"emotional": int(scores.emotional[r]), "social": int(scores.social[r])},
                                    category=DJG11.categories[scores.category[r]][2]))
            rung = int(rng.integers(1, 7))
            rows.append(Measurement(organisation=org, participant_id=pk, programme=programme,
                                    instrument="participatieladder", moment=moment, date=day, answers={"trede": str(rung)},
                                    score=float(rung), parts={}, category=""))
    Measurement.objects.bulk_create(rows, batch_size=5000)
    assert Measurement.objects.count() == 200_000
    del rows, codes, scores  # a server process does not hold the loader's 200,000 objects
    if connection.vendor == "postgresql":  # what autovacuum does soon after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE outcomes_measurement")
setup_s = time.perf_counter() - t0
import gc
gc.collect()
c = Client()
from wijkinzicht.accounts.testing import verified_login
verified_login(c, user)  # both login steps
url = f"/programmas/{programme.pk}/"
t = time.perf_counter()
r = c.get(url)  # after the bulk load (which bypasses the services): the summaries are rebuilt
rebuild_ms = (time.perf_counter() - t) * 1000
assert r.status_code == 200 and r.content.count(b'class="outcome"') == 50, r.content.count(b'class="outcome"')
def timed():
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        r = c.get(url)
    assert r.status_code == 200
    return (time.perf_counter() - t) * 1000, len(q), r


# cold: the first view after a new measurement, registered through the service, alternately of
# djg11 and of the participatieladder (the cached results are computed again)
org = programme.organisation
people = list(Participant.objects.filter(organisation=org).values_list("pseudonym", flat=True)[:6])
cold = []
djg_answers = {f"djg_{n}": "ja" for n in range(1, 12)}
for k, pseudonym in enumerate(people):
    instrument, answers = ("djg11", djg_answers) if k % 2 == 0 else ("participatieladder", {"trede": "4"})
    services.measurement_create(user=user, organisation=org, pseudonym=pseudonym, instrument=instrument,
                                moment="follow_up", date=dt.date(2025, 6, 1 + k), answers=answers,
                                programme=programme)
    cold.append(timed()[0])
# warm: later views, nothing changed
times, queries = [], 0
for _ in range(15):
    ms, n, r = timed()
    times.append(ms)
    queries = max(queries, n)
times.sort()
# reference, in the same run: the page's figures computed from all measurements, as the page did
# before decision 0011 (the pairing pass and one GROUP BY), and checked against the summaries
from django.db.models import Avg, Count
from wijkinzicht.outcomes import selectors
from wijkinzicht.outcomes.models import YearFigure
reference = []
for _ in range(3):
    t = time.perf_counter()
    pairs = selectors._pairs(programme, None, None, "intake", "last")
    years = list(Measurement.objects.filter(programme=programme, score__isnull=False)
                 .annotate(y=selectors._year(2024, 2026)).values("instrument", "y")
                 .annotate(mean=Avg("score"), people=Count("participant_id", distinct=True)).order_by())
    reference.append((time.perf_counter() - t) * 1000)
assert {key: selectors._stored_pairs(programme, key) for key in pairs} == dict(pairs)
stored = {(f.instrument, f.year): (f.total / f.count, f.people) for f in YearFigure.objects.filter(part="")}
assert len(stored) == len(years) and all(
    abs(stored[(y["instrument"], y["y"])][0] - y["mean"]) < 1e-9 and stored[(y["instrument"], y["y"])][1] == y["people"]
    for y in years)
print(json.dumps({"n": len(times), "median_ms": round(statistics.median(times), 1),
                  "p95_ms": round(times[int(0.95 * len(times)) - 1], 1), "max_ms": round(times[-1], 1),
                  "cold_ms": [round(ms) for ms in cold], "cold_median_ms": round(statistics.median(cold), 1),
                  "queries": queries, "bytes": len(r.content), "setup_s": round(setup_s, 1),
                  "first_view_after_bulk_load_ms": round(rebuild_ms),
                  "reference_from_measurements_ms": [round(ms) for ms in reference]}))
"""


def run(db_url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(DATA)], env=env_for(db_url), check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if "--keep" in sys.argv:  # for profiling: build the SQLite database once, in benchmarks/out
        OUT.mkdir(parents=True, exist_ok=True)
        print("programme page, SQLite (kept):", run(f"sqlite:///{OUT}/programme_page.sqlite3"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        print("programme page, SQLite:", run(f"sqlite:///{tmp}/bench.sqlite3"))
    pg = bench_pg_url()
    if pg:
        with scratch_pg_database(pg) as url:
            print("programme page, PostgreSQL:", run(url))


if __name__ == "__main__":
    main()
