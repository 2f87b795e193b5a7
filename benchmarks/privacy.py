"""Issue 12 targets, each in a fresh database (SQLite file and PostgreSQL scratch database):

- the processing log adds under 10 % to the p95 of a participant list of 500 rows
  (GET /api/v1/participants?pageSize=500 through the WSGI application gunicorn runs, 300 requests each
  way) and to a 10,000-row
  participants import -- measured with the log on and, as the reference, with `record` replaced by
  a no-op in the same process, alternating (the imports) or in a shuffled order (the requests);
- the subject report's search (no index on the subjects) over 5,000,000 subject lines;
- a refused oversized upload (50 MB announced to /api/v1/imports over real HTTP, gunicorn) answers
  in under 2 s with under 200 MB extra memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wijkinzicht .venv/bin/python benchmarks/privacy.py
"""

import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _common import bench_pg_url, env_for, scratch_pg_database  # noqa: E402

CHILD = r"""
import json, statistics, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection
from wijkinzicht.activities import importers
from wijkinzicht.activities.models import Participant
from wijkinzicht.core import processing
from wijkinzicht.core.exports import csv_text
from wijkinzicht.parties.services import organisation_create, user_create, membership_grant

org = organisation_create(name="Bench welzijn", kind="welzijn")
user = user_create(username="bench", password="bench-wachtwoord-1")
membership_grant(user=user, organisation=org, role="coordinator")
real_record = processing.record
def off(**kwargs):
    return ""

def switch(on):
    # every caller calls processing.record through the module: replacing it there turns the log off
    processing.record = real_record if on else off

out = {}
# a 10,000-row participants import: a new organisation's file each time (nothing present yet)
times = {True: [], False: []}
for i in range(6):
    on = i % 2 == 0
    switch(on)
    rows = [["deelnemer", "geboortejaar"]] + [[f"R{i}-{n:05d}", 1940 + n % 70] for n in range(10000)]
    data = csv_text(rows).encode()
    t = time.perf_counter()
    b = importers.import_file(user=user, organisation=org, kind="participants", filename="p.csv", data=data)
    times[on].append(time.perf_counter() - t)
    assert b.rows_created == 10000
switch(True)
if connection.vendor == "postgresql":
    with connection.cursor() as c: c.execute("ANALYZE")
out["import_10000_s"] = {"log_on_median": round(statistics.median(times[True]), 3),
                         "log_off_median": round(statistics.median(times[False]), 3)}
# the participant list of 500 rows, p95 over 300 requests each way, in a shuffled order, called
# as gunicorn calls it: the WSGI application of wijkinzicht.config.wsgi (which settles the process)
# with an API token. Not Django's test Client: it connects signal receivers on every request and
# so grows the heap, and the garbage collector's pauses with it (20 ms at request 20, 70 ms at 600).
import io, random
from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.config.wsgi import application
token = api_token_issue(user=user)[1]
def get(path, query):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
               "HTTP_AUTHORIZATION": f"Token {token}", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
               "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": True,
               "wsgi.multiprocess": True, "wsgi.run_once": False}
    status = []
    body = application(environ, lambda s, h, exc_info=None: status.append(s))
    try:
        data = b"".join(body)
    finally:
        body.close()
    return status[0], data
lat = {True: [], False: []}
# on and off in a shuffled order (seeded): strict alternation put CPython's periodic full garbage
# collections all on one side
order = [True, False] * 300
random.Random(12).shuffle(order)
for i, on in enumerate(order):
    switch(on)
    t = time.perf_counter()
    status, data = get("/api/v1/participants", f"pageSize=500&page={1 + i % 5}")
    lat[on].append((time.perf_counter() - t) * 1000)
    assert status.startswith("200") and len(json.loads(data)["results"]) == 500, status
switch(True)
def p95(v):
    v = sorted(v); return round(v[int(0.95 * len(v)) - 1], 1)
out["participant_list_500"] = {"log_on_p95_ms": p95(lat[True]), "log_off_p95_ms": p95(lat[False]),
                               "log_on_median_ms": round(statistics.median(lat[True]), 1),
                               "log_off_median_ms": round(statistics.median(lat[False]), 1)}
from wijkinzicht.core.models import ProcessingLogEntry
out["log_lines"] = ProcessingLogEntry.objects.count()
# the subject report's search: the subjects have no index, so it scans the log. A log of 10,000
# pages of 500 participants (5,000,000 subject lines over 1,000,000 participants: each in 5 of them).
t = time.perf_counter()
for n in range(10000):
    processing.record(name="participants.read", activity="deelnemers", actor="bench", organisation_id=org.pk,
                      subjects=[(org.pk, 10**6 + (n * 500 + k) % 1_000_000) for k in range(500)])
fill = time.perf_counter() - t
if connection.vendor == "postgresql":
    with connection.cursor() as c: c.execute("ANALYZE")
wanted = processing.subject_id(org.pk, 10**6 + 777)
times = []
for _ in range(3):
    t = time.perf_counter(); found = processing.lines_about(wanted); times.append(time.perf_counter() - t)
assert len(found) == 5, len(found)
out["subject_search_5M_lines"] = {"fill_s": round(fill, 1), "search_median_s": round(statistics.median(times), 2),
                                  "entries_found": len(found)}
print(json.dumps(out))
"""


def refused_upload(db_url: str) -> dict:
    """gunicorn on a free port; a client announces 50 MB and sends only the headers."""
    import socket

    env = env_for(db_url)
    subprocess.run([sys.executable, "-m", "wijkinzicht", "migrate", "-v0"], env=env, check=True)
    make_key = ("from wijkinzicht.parties.services import *; from wijkinzicht.accounts.services import "
                "api_token_issue; o=organisation_create(name='B', kind='welzijn'); "
                "u=user_create(username='up', password='bench-wachtwoord-1'); "
                "membership_grant(user=u, organisation=o, role='coordinator'); print(api_token_issue(user=u)[1])")
    key = subprocess.run([sys.executable, "-m", "wijkinzicht", "shell", "-c", make_key], env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                               "wijkinzicht.config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        # warm up: gunicorn loads the application in its worker on the first request
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET /api/v1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            while s.recv(65536):
                pass
        rss_before = _rss_tree(server.pid)
        t = time.perf_counter()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(b"POST /api/v1/imports HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token "
                      + key.encode() + b"\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                      b"Content-Length: 50000000\r\n\r\n" + b"x" * 1_000_000)
            answer = s.recv(200).decode("latin-1")
        seconds = time.perf_counter() - t
        return {"status": answer.split("\r\n")[0], "answer_s": round(seconds, 3),
                "worker_rss_growth_mb": round((_rss_tree(server.pid) - rss_before) / 1e6, 1)}
    finally:
        server.terminate()
        server.wait(timeout=10)


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _rss_tree(pid: int) -> int:
    """Resident memory of gunicorn's master and its workers."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return _rss(pid) + sum(_rss(int(c)) for c in children)


def _child(url: str):
    res = subprocess.run([sys.executable, "-c", CHILD], env=env_for(url), capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(res.stderr[-3000:])
    return res


def main() -> None:
    pg = bench_pg_url()
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", f"sqlite:///{tmp}/bench.sqlite3"))
        for label, url in targets:
            res = _child(url)
            print(f"processing log {label}: {res.stdout.strip().splitlines()[-1]}", flush=True)
        print(f"refused upload SQLite: {json.dumps(refused_upload(f'sqlite:///{tmp}/up.sqlite3'))}", flush=True)
    if pg:
        with scratch_pg_database(pg) as url:
            res = _child(url)
            print(f"processing log PostgreSQL: {res.stdout.strip().splitlines()[-1]}", flush=True)


if __name__ == "__main__":
    main()
