"""Fixtures of the core tests."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

WIJKINZICHT = str(Path(sys.executable).with_name("wijkinzicht"))


@pytest.fixture
def own_database(tmp_path):
    """Environment for child processes: a fresh, migrated database (SQLite, or PostgreSQL when the
    suite runs there), short heartbeats so that a lost worker is noticed within seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(WIJKINZICHT_VAR_DIR=str(tmp_path), WIJKINZICHT_JOB_HEARTBEAT="0.2",
               WIJKINZICHT_JOB_STALE_AFTER="1.5", WIJKINZICHT_LOG_LEVEL="ERROR")
    url = os.environ.get("DATABASE_URL", "")
    name = None
    if url.startswith("postgres"):
        import psycopg

        base, _, _db = url.rpartition("/")
        name = f"wijkinzicht_jobs_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{base}/{name}"
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run([WIJKINZICHT, "migrate", "-v0"], env=env, check=True, timeout=300)
    yield env
    if name:
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
