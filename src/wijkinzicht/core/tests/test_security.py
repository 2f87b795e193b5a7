"""Headers on every response, no-store where personal data may be, the production profile's
refusals and a clean `check --deploy`, and private database and secret files."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

WIJKINZICHT = str(Path(sys.executable).with_name("wijkinzicht"))
GOOD_KEY = "k3Jd9-xq2LmP0s8vT7wY6zR5aB4cN1eF0gH9iJ8kL7mN6oP5qR4sT3uV2wX1yZ0a"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/inloggen/", "/sociale-kaart/", "/api/v1/openapi.json", "/bestaat-niet/"])
def test_every_response_carries_the_security_headers(client, path):
    r = client.get(path)
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "camera=()" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_personal_data_responses_are_not_stored(client, two_organisations, api_key):
    user = two_organisations["A"]["fieldworker"]
    anonymous = client.get("/sociale-kaart/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(user)
    for path in ["/activiteiten/", "/activiteiten/deelnemers/", "/account/"]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert "no-store" in r["Cache-Control"], path
    client.logout()
    r = client.get("/api/v1/participants", HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]


def _settings_check(tmp_path, *args, **env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WIJKINZICHT_"))}
    env.pop("DATABASE_URL", None)
    env.update({"WIJKINZICHT_VAR_DIR": str(tmp_path), **env_extra})
    return subprocess.run([WIJKINZICHT, "check", *args], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "unsafe, message",
    [
        ({"WIJKINZICHT_DEBUG": "true"}, "WIJKINZICHT_DEBUG"),
        ({"WIJKINZICHT_SECRET_KEY": "changeme"}, "WIJKINZICHT_SECRET_KEY"),
        ({"WIJKINZICHT_SECRET_KEY": "changeme" * 10}, "WIJKINZICHT_SECRET_KEY"),
        ({"WIJKINZICHT_SECRET_KEY": ""}, "WIJKINZICHT_SECRET_KEY"),
        ({"WIJKINZICHT_ALLOWED_HOSTS": "*"}, "WIJKINZICHT_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, unsafe, message):
    env = {"WIJKINZICHT_ENV": "production", "WIJKINZICHT_SECRET_KEY": GOOD_KEY,
           "WIJKINZICHT_ALLOWED_HOSTS": "wijkinzicht.example.nl", **unsafe}
    done = _settings_check(tmp_path, **env)
    assert done.returncode != 0
    assert "production profile refused" in done.stderr and message in done.stderr


def test_production_passes_check_deploy_without_warnings(tmp_path):
    done = _settings_check(
        tmp_path, "--deploy", "--fail-level", "WARNING", WIJKINZICHT_ENV="production",
        WIJKINZICHT_SECRET_KEY=GOOD_KEY, WIJKINZICHT_ALLOWED_HOSTS="wijkinzicht.example.nl",
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_database_and_secret_files_are_private(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "WIJKINZICHT_"))}
    env.pop("DATABASE_URL", None)
    env["WIJKINZICHT_VAR_DIR"] = str(tmp_path / "var")
    subprocess.run(["sh", "-c", f"umask 022 && {WIJKINZICHT} migrate -v0"], env=env, check=True, timeout=300)
    for name in ["wijkinzicht.sqlite3", "secret_key"]:
        mode = stat.S_IMODE(os.stat(tmp_path / "var" / name).st_mode)
        assert mode == 0o600, (name, oct(mode))
    assert stat.S_IMODE(os.stat(tmp_path / "var").st_mode) == 0o700
