"""Import nl_kwb_housing_2013_2025.csv (220,352 rows x 4 measures) into an empty database.

Prints wall time and peak memory for SQLite, and for PostgreSQL when BENCH_PG_URL or a
postgres DATABASE_URL is given (a scratch database wijkinzicht_bench is created and dropped).
"""

import json
import subprocess
import sys
import tempfile

from _common import DATA, OUT, bench_pg_url, env_for, scratch_pg_database

CHILD = r"""
import json, resource, sys, time, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from wijkinzicht.areas.services import kwb_import
t = time.perf_counter()
r = kwb_import(sys.argv[1])
wall = time.perf_counter() - t
t = time.perf_counter()
again = kwb_import(sys.argv[1])
wall2 = time.perf_counter() - t
print(json.dumps({"wall_s": round(wall, 2), "reimport_s": round(wall2, 2),
                  "observations": r.observations_created, "areas": r.areas_created,
                  "reimport_changed": again.changed,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def run(db_url: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(DATA / "nl_kwb_housing_2013_2025.csv")],
                         env=env_for(db_url), check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        res = run(f"sqlite:///{tmp}/bench.sqlite3")
    print(f"import housing SQLite: {res}")
    pg = bench_pg_url()
    if pg:
        with scratch_pg_database(pg) as url:
            print(f"import housing PostgreSQL: {run(url)}")


if __name__ == "__main__":
    main()
