"""Issue 3 targets: import of 100,000 attendance rows, the reach report of a gemeente-year with
1,000,000 attendance rows in the database, and the sociale kaart search over 20,000 published
activities (p95). Each runs in a fresh database, on SQLite and, when BENCH_PG_URL or a postgres
DATABASE_URL is given, on PostgreSQL (scratch database wijkinzicht_bench, dropped afterwards).

The issue names no reference tool. As the floor for the import, the same rows are written into a
bare table without any check: executemany on SQLite, COPY on PostgreSQL.
"""

import json
import subprocess
import sys
import tempfile

from _common import DATA, OUT, bench_pg_url, env_for, scratch_pg_database

CHILD = r"""
import datetime as dt, json, random, statistics, sys, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
from wijkinzicht.areas.services import kwb_import
from wijkinzicht.parties.services import organisation_create, user_create, membership_grant
from wijkinzicht.activities import importers, reach, services
from wijkinzicht.activities.models import Activity, Attendance, Meeting, Participant
from wijkinzicht.areas.models import Area
from wijkinzicht.core.exports import csv_text

part, data_dir = sys.argv[1], sys.argv[2]
kwb_import(data_dir + "/amsterdam_kwb_2017_full.csv")
rng = random.Random(3)
org = organisation_create(name="Bench welzijn", kind="welzijn")
user = user_create(username="bench", password="bench-wachtwoord-1")
membership_grant(user=user, organisation=org, role="coordinator")
buurten = list(Area.objects.filter(level="buurt", code__startswith="BU0363").values_list("code", flat=True))
out = {}

def activities(n, published=False):
    acts = []
    themes = ["eenzaamheid", "armoede", "jeugd", "gezondheid", "taal", "ontmoeting", "bewegen"]
    words = ["koffie", "taal", "huiswerk", "moestuin", "wandelen", "eten", "sport", "spreekuur", "muziek", "naaien"]
    gm = Area.objects.get(code="GM0363")
    for i in range(n):
        title = f"{rng.choice(words).capitalize()} {rng.choice(words)} {i}"
        acts.append(Activity(organisation=org, code=f"B{i}", title=title, kind="buurthuis",
                             themes="," + ",".join(rng.sample(themes, 2)) + ",", target_groups=",iedereen,",
                             weekdays=str(rng.randint(1, 7)), postcode=f"10{rng.randint(10, 99)}AB",
                             gemeente=gm, is_published=published, latitude=52.37, longitude=4.9,
                             search_text=f"{title} buurthuis amsterdam".lower()))
    Activity.objects.bulk_create(acts, batch_size=2000)
    ids = list(Activity.objects.filter(organisation=org).values_list("pk", flat=True))
    area_ids = dict(Area.objects.filter(code__in=buurten).values_list("code", "pk"))
    through = Activity.areas.through
    through.objects.bulk_create([through(activity_id=a, area_id=area_ids[rng.choice(buurten)]) for a in ids],
                                batch_size=5000)
    return ids

def participants(n):
    Participant.objects.bulk_create([Participant(organisation=org, pseudonym=f"P{i:06d}", birth_year=rng.randint(1930, 2015),
                                                 home_buurt_id=None) for i in range(n)], batch_size=5000)
    ids = dict(Area.objects.filter(code__in=buurten).values_list("code", "pk"))
    objs = list(Participant.objects.filter(organisation=org))
    for p in objs:
        p.home_buurt_id = ids[rng.choice(buurten)]
    Participant.objects.bulk_update(objs, ["home_buurt_id"], batch_size=5000)
    return [p.pk for p in objs]

if part == "import":
    activities(20)
    participants(2000)
    rows = [["activiteit", "datum", "deelnemer"]]
    start = dt.date(2025, 1, 6)
    for a in range(20):
        for w in range(50):
            day = (start + dt.timedelta(days=7 * w + a % 5)).isoformat()
            for p in rng.sample(range(2000), 100):
                rows.append([f"B{a}", day, f"P{p:06d}"])
    data = csv_text(rows).encode()
    t = time.perf_counter()
    b = importers.import_file(user=user, organisation=org, kind="attendance", filename="a.csv", data=data)
    out["import_s"] = round(time.perf_counter() - t, 2)
    out["rows"] = b.rows_total; out["created"] = b.rows_created; out["meetings"] = Meeting.objects.count()
    t = time.perf_counter()
    b = importers.import_file(user=user, organisation=org, kind="attendance", filename="a.csv", data=data)
    out["reimport_s"] = round(time.perf_counter() - t, 2); out["reimport_created"] = b.rows_created
    # the floor: the same 100,000 rows into a bare table, no lookups, no checks
    with connection.cursor() as c:
        c.execute("CREATE TABLE bench_floor (activity varchar(60), day date, participant varchar(40))")
        t = time.perf_counter()
        if connection.vendor == "postgresql":
            with c.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                for r in rows[1:]:
                    copy.write_row(r)
        else:
            c.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s)", rows[1:])
        out["floor_s"] = round(time.perf_counter() - t, 2)

elif part == "reach":
    acts = activities(200)
    pids = participants(20000)
    start = dt.date(2025, 1, 1)
    t = time.perf_counter()
    meetings = []
    for a in acts:
        for w in range(52):
            meetings.append(Meeting(activity_id=a, organisation=org, date=start + dt.timedelta(days=7 * w + a % 7),
                                    anonymous_count=rng.randint(0, 10)))
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    meetings = list(Meeting.objects.values_list("pk", "activity_id", "date"))
    per = 1_000_000 // len(meetings) + 1
    # "regulars": every activity has its own 120 regulars (drawn from all 20,000 participants) and
    # each meeting is visited by 97 of them, as at a real buurthuis; "random": every meeting draws
    # its visitors from all participants, so that nearly every visit is a new (activity, person)
    # pair -- the worst case for the report, which counts pairs.
    mix = sys.argv[3] if len(sys.argv) > 3 else "regulars"
    regulars = {a: rng.sample(pids, 120) for a in acts}
    batch, n = [], 0
    for m, a, d in meetings:
        for p in rng.sample(regulars[a] if mix == "regulars" else pids, per):
            batch.append(Attendance(meeting_id=m, participant_id=p, activity_id=a, date=d))
            n += 1
            if n >= 1_000_000: break
        if len(batch) >= 50000:
            Attendance.objects.bulk_create(batch); batch = []
        if n >= 1_000_000: break
    Attendance.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as c: c.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    out["setup_s"] = round(time.perf_counter() - t, 1)
    out["attendance_rows"] = Attendance.objects.count()
    out["mix"] = mix
    gm = Area.objects.get(code="GM0363")
    # the same report seen by another organisation: counts by the cell-key method, whole months,
    # the (unpublished) activities folded into "other activities" -- beside the exact one
    other = organisation_create(name="Bench partner", kind="wijkteam")
    outsider = user_create(username="bench-partner", password="bench-wachtwoord-1")
    membership_grant(user=outsider, organisation=other, role="analyst")
    for label, who, kwargs in (("organisation", user, {"organisation": org}),
                               ("organisation_seen_by_another", outsider, {"organisation": org}),
                               ("gemeente", user, {"area": gm})):
        times = []
        for _ in range(6):
            t = time.perf_counter()
            r = reach.reach_report(user=who, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), **kwargs)
            times.append(time.perf_counter() - t)
        out[label] = {"first_s": round(times[0], 3), "median_s": round(statistics.median(times[1:]), 3),
                      "attendance": r.attendance, "unique": r.unique, "suppressed": r.suppressed}

elif part == "kaart":
    activities(20000, published=True)
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    c = Client()
    wijken = list(Area.objects.filter(level="wijk", code__startswith="WK0363").values_list("code", flat=True))
    queries = [{}, {"q": "koffie"}, {"q": "taal wandelen"}, {"thema": "eenzaamheid"}, {"dag": "3"},
               {"thema": "jeugd", "dag": "5"}, {"postcode": "1012"}, {"area": "GM0363", "q": "moestuin"}]
    queries += [{"area": w} for w in wijken[:8]]
    c.get("/sociale-kaart/")
    times = []
    for i in range(240):
        q = queries[i % len(queries)]
        if i >= len(queries):
            q = {**q, "pagina": str(1 + i % 3)}
        t = time.perf_counter()
        r = c.get("/sociale-kaart/", q)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200
    times.sort()
    out = {"requests": len(times), "median_ms": round(statistics.median(times), 1),
           "p95_ms": round(times[int(0.95 * len(times)) - 1], 1), "max_ms": round(times[-1], 1),
           "published": Activity.objects.filter(is_published=True).count()}
print(json.dumps(out))
"""


def run(part: str, db_url: str) -> dict:
    part, _, mix = part.partition(":")
    res = subprocess.run([sys.executable, "-c", CHILD, part, str(DATA), mix or "regulars"], env=env_for(db_url),
                         check=True,
                         capture_output=True, text=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    parts = sys.argv[1:] or ["import", "reach", "reach:random", "kaart"]
    pg = bench_pg_url()
    for part in parts:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"activities {part} SQLite: {run(part, f'sqlite:///{tmp}/bench.sqlite3')}", flush=True)
        if pg:
            with scratch_pg_database(pg) as url:
                print(f"activities {part} PostgreSQL: {run(part, url)}", flush=True)


if __name__ == "__main__":
    main()
