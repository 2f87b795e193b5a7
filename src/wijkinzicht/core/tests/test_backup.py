"""Backup and restore: a round trip gives back every row of every table exactly (on the database
the suite runs on: SQLite and PostgreSQL); damaged, foreign or mismatched archives are refused
before anything changes."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from wijkinzicht.core import backup

pytestmark = pytest.mark.django_db


def fingerprint() -> dict[str, list[tuple]]:
    """Every row of every table in the backup, all columns, in primary-key order."""
    out = {}
    for model in backup._models():
        names = [f.attname for f in model._meta.local_fields]
        out[model._meta.label_lower] = list(model._base_manager.order_by("pk").values_list(*names))
    return out


@pytest.fixture
def filled(amsterdam, two_organisations, api_key):
    """Real CBS figures, organisations with users, an activity with a meeting, 2FA devices, keys."""
    import datetime as dt

    from wijkinzicht.activities import services

    a = two_organisations["A"]
    activity = services.activity_create(
        user=a["fieldworker"], organisation=a["org"], code="KOFFIE", title="Koffieochtend «Zeedijk» ☕",
        kind="buurthuis", themes=["ontmoeting"], target_groups=["ouderen"], weekdays=[2],
        start_time=dt.time(10, 30), is_published=True, area_codes=["BU03630000", "BU03630001"],
        start_date=dt.date(2020, 1, 1), latitude=52.376012345, longitude=4.9005,
    )
    person = services.participant_create(user=a["fieldworker"], organisation=a["org"], pseudonym="p1",
                                         birth_year=1950, home_buurt_code="BU03630000")
    services.meeting_register(user=a["fieldworker"], activity=activity, date=dt.date(2026, 11, 2),
                              participant_ids=[person.pk], anonymous_count=4)
    TOTPDevice.objects.create(user=a["fieldworker"], name="app", confirmed=True)
    api_key(a["coordinator"])
    return a


def test_round_trip_gives_back_every_table(filled, tmp_path):
    before = fingerprint()
    assert sum(len(rows) for rows in before.values()) > 1000  # real data, not an empty database
    path = tmp_path / "backup.zip"
    summary = backup.backup(path)
    assert summary.rows == sum(len(rows) for rows in before.values())
    # the database changes after the backup: rows deleted, changed and added
    from wijkinzicht.activities.models import Activity
    from wijkinzicht.areas.models import Observation

    Observation.objects.filter(pk__in=list(Observation.objects.values_list("pk", flat=True)[:50])).delete()
    Activity.objects.update(title="changed")
    filled["org"].__class__.objects.create(name="Nieuw na de backup", kind="welzijn")
    assert fingerprint() != before
    backup.restore(path)
    assert fingerprint() == before
    # and it goes on working: a new row gets a fresh id after the restored ones
    new = filled["org"].__class__.objects.create(name="Nog een", kind="welzijn")
    assert new.pk > max(pk for pk, *_ in before["parties.organisation"])


def test_the_commands(filled, tmp_path):
    path = tmp_path / "b.zip"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "b.zip" in out.getvalue()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    call_command("restore", str(path), "--check", stdout=out)
    call_command("restore", str(path), "--yes", stdout=out)
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.zip"), "--yes")


def _rewrite(path, target, change):
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, change(item.filename, data))


@pytest.mark.parametrize("damage", ["table", "manifest_version", "migrations", "not_zip", "foreign_zip"])
def test_damaged_or_foreign_archives_change_nothing(filled, tmp_path, damage):
    path = tmp_path / "b.zip"
    backup.backup(path)
    bad = tmp_path / "bad.zip"
    if damage == "table":
        _rewrite(path, bad, lambda name, data: data.replace(b"Koffieochtend", b"Theeochtend")
                 if name.endswith("activities.activity.jsonl") else data)
    elif damage == "manifest_version":
        _rewrite(path, bad, lambda name, data: json.dumps({**json.loads(data), "format_version": 99}).encode()
                 if name == "manifest.json" else data)
    elif damage == "migrations":
        def older(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["migrations"]["accounts"] = []
            return json.dumps(manifest).encode()
        _rewrite(path, bad, older)
    elif damage == "not_zip":
        bad.write_bytes(b"PK\x03\x04 not really a zip")
    else:
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("manifest.json", '{"format": "something else"}')
    from wijkinzicht.activities.models import Activity

    Activity.objects.update(title="after the backup")
    before = fingerprint()
    with pytest.raises(backup.BackupError):
        backup.restore(bad)
    assert fingerprint() == before


@pytest.mark.django_db(transaction=False)
def test_command_line_round_trip_on_a_database_of_its_own(own_database, tmp_path):
    """Outside a test transaction (the snapshot isolation of a real backup), through the CLI."""
    import subprocess

    from .conftest import WIJKINZICHT

    env = own_database
    data = Path(__file__).resolve().parents[4] / "data" / "cbs" / "amsterdam_kwb_2017_full.csv"
    for args in (["import-kwb", str(data)], ["jobs", "--probe", "--no-wait"]):
        done = subprocess.run([WIJKINZICHT, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    for args in (["backup", str(first)], ["restore", str(first), "--yes"], ["backup", str(second)]):
        done = subprocess.run([WIJKINZICHT, *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    tables = [json.loads(zipfile.ZipFile(p).read("manifest.json"))["tables"] for p in (first, second)]
    # the processing log grew by the restore's own line (each backup logs itself after writing)
    log = [t.pop("core.processinglogentry") for t in tables]
    assert (log[0]["rows"], log[1]["rows"]) == (0, 1)
    assert tables[0] == tables[1] and tables[0]["areas.observation"]["rows"] > 10000
