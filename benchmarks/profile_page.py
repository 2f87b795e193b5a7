"""Server time of buurt profile pages with the full demo loaded (Django test client, in process)."""

import subprocess
import sys

from _common import demo_database, env_for

CHILD = r"""
import json, statistics, time, django
django.setup()
from django.conf import settings
settings.ALLOWED_HOSTS = ["*"]
from django.contrib.auth import get_user_model
from django.test import Client
from django.db import connection
from django.test.utils import CaptureQueriesContext
c = Client()
from wijkinzicht.accounts.testing import verified_login
verified_login(c, get_user_model().objects.get(username="ams-analist"))  # both login steps
urls = ["/gebieden/BU03630000/", "/gebieden/BU0363AA01/", "/gebieden/BU05990110/",
        "/gebieden/BU03630500/", "/gebieden/BU0363AE01/"]
for u in urls:  # warm caches once, as a running server would be
    assert c.get(u).status_code == 200
times = []
queries = 0
for i in range(300):
    u = urls[i % len(urls)]
    t = time.perf_counter()
    with CaptureQueriesContext(connection) as q:
        r = c.get(u)
    times.append((time.perf_counter() - t) * 1000)
    queries = max(queries, len(q))
    assert r.status_code == 200
times.sort()
print(json.dumps({"n": len(times), "median_ms": round(statistics.median(times), 1),
                  "p95_ms": round(times[int(0.95 * len(times)) - 1], 1), "max_queries": queries}))
"""


def main() -> None:
    url = demo_database()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env_for(url), check=True,
                         capture_output=True, text=True)
    print("buurt profile page:", out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
