"""Make sure the PostgreSQL server of DATABASE_URL answers; start a local cluster if it does not.

Used by `make test-postgres`: on the project machines PostgreSQL is installed from Debian's
packages but may have stopped.
"""

import glob
import os
import shutil
import subprocess
import sys
import time

import environ


def _can_connect(cfg: dict) -> bool:
    import psycopg

    try:
        psycopg.connect(host=cfg.get("HOST") or None, port=cfg.get("PORT") or None,
                        user=cfg.get("USER") or None, password=cfg.get("PASSWORD") or None,
                        dbname="postgres", connect_timeout=3).close()
        return True
    except psycopg.OperationalError:
        return False


def main() -> int:
    cfg = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    if _can_connect(cfg):
        return 0
    local = (cfg.get("HOST") or "localhost") in ("localhost", "127.0.0.1", "")
    if local and shutil.which("pg_ctlcluster"):
        for version_dir in sorted(glob.glob("/etc/postgresql/*")):
            version = os.path.basename(version_dir)
            print(f"Starting PostgreSQL {version} cluster 'main'", file=sys.stderr)
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main",
                            "start"], check=False)
        for _ in range(20):
            if _can_connect(cfg):
                return 0
            time.sleep(0.5)
    print("PostgreSQL at DATABASE_URL does not answer.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
