"""Shared helpers of the benchmark scripts: a demo database built once in benchmarks/out."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
DATA = ROOT / "data" / "cbs"


def env_for(db_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": db_url, "WIJKINZICHT_VAR_DIR": str(OUT),
            "DJANGO_SETTINGS_MODULE": "wijkinzicht.config.settings"}


def demo_database() -> str:
    """SQLite URL of a database with the full demo loaded (built on first use)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "demo.sqlite3"
    url = f"sqlite:///{path}"
    marker = OUT / "demo.ready"
    if not marker.exists():
        env = env_for(url)
        subprocess.run([sys.executable, "-m", "wijkinzicht", "migrate", "-v0"], env=env, check=True)
        subprocess.run([sys.executable, "-m", "wijkinzicht", "demo", "--data", str(DATA)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        marker.touch()
    return url


def percentile(values, q):
    s = sorted(values)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def bench_pg_url() -> str:
    """The PostgreSQL server to benchmark on: BENCH_PG_URL, or DATABASE_URL when it is PostgreSQL."""
    db_url = os.environ.get("DATABASE_URL", "")
    return os.environ.get("BENCH_PG_URL") or (db_url if db_url.startswith("postgres") else "")


@contextmanager
def scratch_pg_database(pg_url: str):
    """A fresh database wijkinzicht_bench on the server of pg_url, dropped afterwards; yields its URL."""
    import psycopg

    base, _, _ = pg_url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS wijkinzicht_bench")
        conn.execute("CREATE DATABASE wijkinzicht_bench")
    try:
        yield base + "/wijkinzicht_bench"
    finally:
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS wijkinzicht_bench")
