"""Soak and fault test (make soak): concurrent users for minutes against gunicorn on loopback,
mixing pages, API reads, API writes and file imports; on PostgreSQL the database server is
restarted in the middle. Counts every write the server accepted and checks afterwards that each
one is stored. Bounded: SOAK_USERS threads (50), SOAK_SECONDS (120), 127.0.0.1 only; the servers
it starts are stopped at the end.

    python benchmarks/soak.py postgres   # needs DATABASE_URL or BENCH_PG_URL and root (restart)
    python benchmarks/soak.py sqlite
"""

import base64
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from _common import DATA, OUT, bench_pg_url, env_for, percentile
from urllib3.util.retry import Retry

USERS = int(os.environ.get("SOAK_USERS", "50"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "120"))
PORT = int(os.environ.get("SOAK_PORT", "8766"))
BASE = f"http://127.0.0.1:{PORT}"
BIN = Path(sys.executable).parent

SETUP = """
import django, json, base64
django.setup()
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.parties.services import organisation_create, user_create, membership_grant
org = organisation_create(name="Soak", kind="welzijn")
out = []
for i in range({users}):
    u = user_create(username=f"soak-{{i}}", password="soak-wachtwoord-123")
    membership_grant(user=u, organisation=org, role="fieldworker")
    d = TOTPDevice.objects.create(user=u, name="app", confirmed=True)
    out.append({{"user": u.username, "secret": base64.b32encode(d.bin_key).decode(),
                 "key": api_token_issue(user=u)[1]}})
print(json.dumps({{"org": org.pk, "users": out}}))
"""

CHECK = """
import django, json, sys
django.setup()
from wijkinzicht.activities.models import Participant
wanted = set(json.load(sys.stdin))
have = set(Participant.objects.filter(pseudonym__in=wanted).values_list("pseudonym", flat=True))
print(json.dumps({"accepted": len(wanted), "stored": len(have), "missing": sorted(wanted - have)[:10]}))
"""


def totp(secret: str) -> str:
    from django_otp.oath import TOTP

    t = TOTP(base64.b32decode(secret))
    t.time = time.time()
    return f"{t.token():06d}"


def database(kind: str) -> tuple[str, callable]:
    if kind == "postgres":
        import psycopg

        pg = bench_pg_url()
        if not pg:
            sys.exit("soak postgres: set DATABASE_URL or BENCH_PG_URL to a PostgreSQL server")
        base, _, _ = pg.rpartition("/")
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS wijkinzicht_soak WITH (FORCE)")
            conn.execute("CREATE DATABASE wijkinzicht_soak")
        return base + "/wijkinzicht_soak", lambda: subprocess.run(
            ["pg_ctlcluster", "15", "main", "restart", "-m", "fast"], check=True)
    path = OUT / "soak.sqlite3"
    for p in OUT.glob("soak.sqlite3*"):
        p.unlink()
    return f"sqlite:///{path}", None


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    OUT.mkdir(parents=True, exist_ok=True)
    url, restart = database(kind)
    env = {**env_for(url), "WIJKINZICHT_LOGIN_FAILURE_LIMIT": "1000", "WIJKINZICHT_LOG_LEVEL": "ERROR"}
    wi = str(BIN / "wijkinzicht")
    subprocess.run([wi, "migrate", "-v0"], env=env, check=True)
    subprocess.run([wi, "import-kwb", str(DATA / "amsterdam_kwb_2017_full.csv")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    setup = json.loads(subprocess.run([sys.executable, "-c", SETUP.format(users=USERS)], env=env, check=True,
                                      capture_output=True, text=True).stdout)
    server = subprocess.Popen([str(BIN / "gunicorn"), "wijkinzicht.config.wsgi", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", "4", "--threads", "4", "--log-level", "error"], env=env)
    worker = subprocess.Popen([wi, "worker", "-v0"], env=env)
    results, accepted, lock = [], [], threading.Lock()
    try:
        for _ in range(100):
            try:
                if requests.get(f"{BASE}/inloggen/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        start = time.monotonic()
        stop = start + SECONDS
        window = [None, None]

        def user(i: int, info: dict) -> None:
            s = requests.Session()
            # a kept-alive connection the server has just closed fails the next GET on it; a
            # browser simply sends that GET again on a new one, and so does this client (once)
            s.mount(BASE, requests.adapters.HTTPAdapter(max_retries=Retry(
                total=1, connect=1, read=1, status=0, allowed_methods={"GET"}, raise_on_status=False)))
            s.get(f"{BASE}/inloggen/", timeout=30)
            s.post(f"{BASE}/inloggen/", data={"username": info["user"], "password": "soak-wachtwoord-123",
                   "csrfmiddlewaretoken": s.cookies["csrftoken"]}, headers={"Referer": BASE}, timeout=30)
            r = s.post(f"{BASE}/account/code/", data={"code": totp(info["secret"]),
                       "csrfmiddlewaretoken": s.cookies["csrftoken"]}, headers={"Referer": BASE}, timeout=30)
            assert r.url.rstrip("/") == BASE, f"second step failed for {info['user']}: {r.url}"
            api = {"Authorization": f"Token {info['key']}"}
            rng, n = random.Random(i), 0
            while time.monotonic() < stop:
                n += 1
                choice = rng.random()
                t0 = time.monotonic()
                written: list[str] = []
                try:
                    if choice < 0.35:
                        what = "page"
                        r = s.get(BASE + rng.choice(["/activiteiten/", "/gebieden/GM0363/", "/account/",
                                                     "/sociale-kaart/"]), timeout=30)
                    elif choice < 0.70:
                        what = "api-read"
                        r = requests.get(BASE + rng.choice(["/api/v1/activities", "/api/v1/participants?pageSize=20",
                                                            "/api/v1/areas?level=wijk&parent=GM0363"]),
                                         headers=api, timeout=30)
                    elif choice < 0.95:
                        what = "api-write"
                        name = f"s{i}-{n}"
                        r = requests.post(f"{BASE}/api/v1/participants", json={
                            "participantId": name, "birthYear": 1950 + n % 50, "homeBuurt": "BU03630000"},
                            headers=api, timeout=30)
                        if r.status_code == 201:
                            written = [name]
                    else:
                        what = "import"
                        names = [f"i{i}-{n}-{k}" for k in range(20)]
                        body = "deelnemer;geboortejaar;buurt\n" + "".join(f"{x};1960;BU03630000\n" for x in names)
                        r = requests.post(f"{BASE}/api/v1/imports", headers=api, timeout=60,
                                          data={"kind": "participants", "mode": "all_or_nothing"},
                                          files={"file": ("deelnemers.csv", body.encode(), "text/csv")})
                        if r.status_code == 201 and r.json().get("status") != "rejected":
                            written = names
                    status = r.status_code
                except requests.RequestException as exc:
                    what, status = locals().get("what", "?"), f"conn:{type(exc).__name__}"
                t1 = time.monotonic()
                with lock:
                    results.append((t0 - start, t1 - t0, what, status))
                    accepted.extend(written)

        threads = [threading.Thread(target=user, args=(i, info)) for i, info in enumerate(setup["users"])]
        for th in threads:
            th.start()
        if restart is not None:
            time.sleep(SECONDS / 2)
            window[0] = time.monotonic() - start
            restart()
            window[1] = time.monotonic() - start
        for th in threads:
            th.join()
        elapsed = time.monotonic() - start
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=60)
        worker.wait(timeout=60)
    check = json.loads(subprocess.run([sys.executable, "-c", CHECK], env=env, input=json.dumps(accepted),
                                      check=True, capture_output=True, text=True).stdout)

    def bad(status) -> bool:
        return not isinstance(status, int) or status >= 500

    # the restart window, and the seconds after it in which requests that were already waiting end
    def near(t: float) -> bool:
        return window[0] is not None and window[0] - 1 <= t <= window[1] + 10

    lat = [d * 1000 for t, d, _, s in results if not bad(s)]
    outside = [s for t, _, _, s in results if bad(s) and not near(t)]
    inside = [s for t, _, _, s in results if bad(s) and near(t)]
    counts: dict = {}
    for _, _, what, s in results:
        counts.setdefault(what, {}).setdefault(str(s), 0)
        counts[what][str(s)] += 1
    print("soak:", json.dumps({
        "database": kind, "users": USERS, "seconds": round(elapsed, 1), "requests": len(results),
        "per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(percentile(lat, 0.5), 1), "p95_ms": round(percentile(lat, 0.95), 1),
        "p99_ms": round(percentile(lat, 0.99), 1),
        "errors_outside_restart": len(outside), "errors_during_restart": len(inside),
        "restart_window_s": [round(w, 1) for w in window] if window[0] is not None else None,
        "error_kinds": sorted({str(s) for s in outside + inside}),
        "writes_accepted": check["accepted"], "writes_stored": check["stored"],
        "writes_missing": check["missing"], "by_kind": counts,
    }, indent=1))
    if outside or check["missing"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
