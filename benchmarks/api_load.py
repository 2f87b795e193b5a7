"""/api/v1/areas/{code}/observations under 20 concurrent clients for 30 s, real gunicorn on loopback.

Bounded: 30 s, 20 client threads, 127.0.0.1 only; the server is stopped at the end.
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from _common import demo_database, env_for, percentile

PORT = int(os.environ.get("BENCH_PORT", "8765"))
CLIENTS, SECONDS = 20, 30
CODES = ["BU03630000", "BU0363AA01", "BU05990110", "GM0363", "WK036300", "BU03630500",
         "GM0599", "BU0363AE01"]


def token(env) -> str:
    code = ("import django; django.setup()\n"
            "from django.contrib.auth import get_user_model\n"
            "from wijkinzicht.accounts.services import api_token_issue\n"
            "print(api_token_issue(user=get_user_model().objects.get(username='ams-analist'))[1])")
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                          text=True).stdout.strip()


def main() -> None:
    env = env_for(demo_database())
    key = token(env)
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen([gunicorn, "wijkinzicht.config.wsgi", "--bind", f"127.0.0.1:{PORT}",
                               "--workers", "2", "--threads", "4", "--log-level", "warning"],
                              env=env)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                c.request("GET", "/api/v1/indicators", headers={"Authorization": f"Token {key}"})
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        lat, errors, lock = [], [0], threading.Lock()
        stop = time.monotonic() + SECONDS

        def client(i: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            n = i
            while time.monotonic() < stop:
                code = CODES[n % len(CODES)]
                n += 1
                t = time.perf_counter()
                try:
                    conn.request("GET", f"/api/v1/areas/{code}/observations?indicator=population",
                                 headers={"Authorization": f"Token {key}"})
                    r = conn.getresponse()
                    body = r.read()
                    ok = r.status == 200 and body.startswith(b"[")
                except OSError:
                    ok = False
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
                with lock:
                    lat.append((time.perf_counter() - t) * 1000)
                    if not ok:
                        errors[0] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        t0 = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - t0
        print("api observations load:", json.dumps({
            "clients": CLIENTS, "seconds": round(elapsed, 1), "requests": len(lat),
            "errors": errors[0], "rps": round(len(lat) / elapsed, 1),
            "median_ms": round(percentile(lat, 0.5), 1), "p95_ms": round(percentile(lat, 0.95), 1)}))
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
