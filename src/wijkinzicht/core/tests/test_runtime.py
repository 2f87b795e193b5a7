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


def test_a_post_to_a_page_that_only_shows_and_a_stale_form_get_the_house_style_page(client,
                                                                                    django_user_model):
    """An attack pass: a POST to the factsheet PDF gave an empty 405, a form without its CSRF token
    Django's English page that talks about DEBUG."""
    from django.test import Client

    user = django_user_model.objects.create_user("analist", password="geheim-wachtwoord-1")
    client.force_login(user)
    r = client.post("/gebieden/tabel/", {})
    assert r.status_code == 405 and "Niet mogelijk" in r.content.decode() and r["Allow"]
    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/inloggen/", {"username": "x", "password": "y"})
    html = r.content.decode()
    assert r.status_code == 403 and "DEBUG" not in html and "verlopen" in html
