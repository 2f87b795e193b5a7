"""Shared helpers of the benchmark scripts: a demo database built once in benchmarks/out."""

import os
import subprocess
import sys
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
