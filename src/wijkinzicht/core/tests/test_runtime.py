"""The web process settles after loading (core.runtime, decision 0015): every view module is loaded
and what start-up loaded is out of the garbage collector's way."""

import os
import subprocess
import sys


def test_the_wsgi_module_loads_the_views_and_freezes_the_start_up_objects(tmp_path):
    probe = ("import gc, sys; import wijkinzicht.config.wsgi; "
             "print(gc.get_freeze_count(), 'wijkinzicht.activities.views' in sys.modules)")
    env = {**os.environ, "WIJKINZICHT_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000 and views_loaded == "True"
