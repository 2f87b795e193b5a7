"""The processing log (issue 12, item 7): each personal-data route writes its lines, lines cannot be
changed through the application, tampering is found, and the subject report, the erasure and the
retention command work and are logged themselves."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from rest_framework.test import APIClient

from wijkinzicht.accounts.services import api_token_issue
from wijkinzicht.activities import importers, reach
from wijkinzicht.activities.models import Attendance, Participant
from wijkinzicht.core import processing
from wijkinzicht.core.models import ProcessingLogEntry
from wijkinzicht.outcomes import selectors as outcome_selectors
from wijkinzicht.outcomes.models import Measurement, PersonPair
from wijkinzicht.privacy import services


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)[1]}")
    return client


def lines_since(mark: int, name: str | None = None):
    qs = ProcessingLogEntry.objects.filter(pk__gt=mark)
    return list(qs.filter(name=name) if name else qs)


def subjects_since(mark: int, name: str) -> list[str]:
    """The data subjects of the lines written since the mark: one per line of the standard."""
    entries = ProcessingLogEntry.objects.filter(pk__gt=mark, name=name)
    return sorted(s for entry in entries for s in processing.unpack_subjects(entry.data_subjects))


def mark() -> int:
    last = ProcessingLogEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def subject(p) -> str:
    return processing.subject_id(p.organisation_id, p.pk)


ROUTES = [
    # (who, how, name of the lines, which participants: "all" of the world or an index)
    ("fieldworker", lambda c, a, w: c.get("/activiteiten/deelnemers/"), "participants.read", "all"),
    ("analyst", lambda c, a, w: a.get("/api/v1/participants"), "participants.read", "all"),
    ("analyst", lambda c, a, w: a.get(f"/api/v1/participants/{w['people'][1].pk}"), "participants.read", 1),
    ("analyst", lambda c, a, w: a.get(f"/api/v1/meetings/{w['meetings'][0].pk}"), "attendance.read", "all"),
    ("analyst", lambda c, a, w: a.get("/api/v1/meetings"), "attendance.read", "all"),
    ("fieldworker", lambda c, a, w: c.get(f"/activiteiten/bijeenkomsten/{w['meetings'][0].pk}/"),
     "attendance.read", "all"),
    ("fieldworker", lambda c, a, w: c.get("/programmas/metingen/"), "measurements.read", 0),
    ("fieldworker", lambda c, a, w: c.get(f"/programmas/metingen/{Measurement.objects.first().pk}/"),
     "measurements.read", 0),
    ("fieldworker", lambda c, a, w: a.patch(f"/api/v1/participants/{w['people'][2].pk}", {"birthYear": 1951},
                                            format="json"), "participants.update", 2),
    ("fieldworker", lambda c, a, w: a.delete(f"/api/v1/meetings/{w['meetings'][1].pk}"), "attendance.delete",
     "all"),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r[2] + str(i) for i, r in enumerate(ROUTES)])
def test_each_personal_data_route_writes_one_line_per_participant(orgs, world, client, route):
    role, call, name, who = route
    user = orgs["A"][role]
    client.force_login(user)
    before = mark()
    response = call(client, api(user), world)
    assert response.status_code in (200, 204), response.status_code
    lines = lines_since(before, name)
    expected = world["people"] if who == "all" else [world["people"][who]]
    assert subjects_since(before, name) == sorted(subject(p) for p in expected)
    line = lines[0]
    assert line.actor == user.username and line.status_code == processing.STATUS_OK
    assert line.processing_activity_id.startswith(processing.URI_PREFIX)
    assert len(line.trace_id) == 32 and len(line.operation_id) == 16 and line.end_time >= line.start_time
    assert "k1" not in str(line.__dict__)  # the pseudonym itself is never in the log
    assert line.subjects == len(expected)


def test_writes_through_services_and_imports_are_logged(orgs, world):
    a = orgs["A"]
    before = mark()
    batch = importers.import_file(user=a["fieldworker"], organisation=a["org"], kind="attendance",
                                  filename="a.csv", data=b"activiteit;datum;deelnemer\nKOFFIE;2024-04-02;k1\n"
                                                         b"KOFFIE;2024-04-02;k2\n")
    assert batch.rows_created == 2
    assert subjects_since(before, "import.attendance") == sorted(subject(p) for p in world["people"][:2])
    importers.import_file(user=a["fieldworker"], organisation=a["org"], kind="participants", filename="p.csv",
                          data=b"deelnemer;geboortejaar\nk9;1960\nkapot;x\n")
    assert len(lines_since(before, "import.participants")) == 1


def test_a_traceparent_header_is_the_trace(orgs, world):
    trace = "4bf92f3577b34da6a3ce929d0e0e4736"
    client = api(orgs["A"]["analyst"])
    before = mark()
    client.get("/api/v1/participants", HTTP_TRACEPARENT=f"00-{trace}-00f067aa0ba902b7-01")
    assert {line.trace_id for line in lines_since(before)} == {trace}
    client.get("/api/v1/participants", HTTP_TRACEPARENT="nonsense")
    assert len({line.trace_id for line in lines_since(before)}) == 2


def test_lines_cannot_be_changed_or_removed_through_the_application(orgs, world):
    line = ProcessingLogEntry.objects.first()
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.filter(pk=line.pk).update(actor="someone else")
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        line.save()
    with pytest.raises(PermissionError):
        line.delete()
    with pytest.raises(PermissionError):
        ProcessingLogEntry.objects.update(data_subjects=b"")
    from django.contrib import admin

    assert ProcessingLogEntry not in admin.site._registry


@pytest.mark.parametrize("tamper", ["change", "remove", "insert", "subject_changed", "subject_removed"])
def test_tampering_outside_the_application_is_found(orgs, world, tamper):
    assert processing.verify() == []
    out = io.StringIO()
    call_command("processing-log", "--verify", stdout=out)
    assert "intact" in out.getvalue() or "intact" in out.getvalue().lower()
    table = ProcessingLogEntry._meta.db_table
    middle = ProcessingLogEntry.objects.order_by("pk")[3]
    with_subjects = ProcessingLogEntry.objects.filter(subjects__gte=2).order_by("pk").first()
    with connection.cursor() as cursor:
        if tamper == "subject_changed":  # one participant's subject swapped for another's
            packed = bytes(with_subjects.data_subjects)
            cursor.execute(f"UPDATE {table} SET data_subjects = %s WHERE id = %s",  # noqa: S608
                           [packed[16:32] + packed[16:], with_subjects.pk])
        elif tamper == "subject_removed":  # the count is in the hash too: change both
            packed = bytes(with_subjects.data_subjects)
            cursor.execute(f"UPDATE {table} SET data_subjects = %s, subjects = subjects - 1 WHERE id = %s",  # noqa: S608
                           [packed[16:], with_subjects.pk])
        elif tamper == "change":
            cursor.execute(f"UPDATE {table} SET actor = %s WHERE id = %s", ["nobody", middle.pk])  # noqa: S608
        elif tamper == "remove":
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [middle.pk])  # noqa: S608
        else:
            columns = ", ".join([
                "trace_id", "operation_id", "parent_operation_id", "name", "start_time", "end_time",
                "status_code", "processing_activity_id", "organisation_id", "actor", "resource", "subjects",
                "previous_hash", "data_subjects"])
            cursor.execute(
                f"INSERT INTO {table} ({columns}, entry_hash) "  # noqa: S608 - the model's own table
                f"SELECT {columns}, %s FROM {table} WHERE id = %s", ["f" * 64, middle.pk])
    assert processing.verify()
    with pytest.raises(CommandError):
        call_command("processing-log", "--verify", stdout=io.StringIO(), stderr=io.StringIO())


def test_lines_about_a_subject_match_whole_subjects_only(orgs, world):
    """The subjects are packed without an index and searched for as bytes: 16 bytes that straddle
    two subjects of one entry are not a subject of it."""
    k1, k2 = world["people"][0], world["people"][1]
    before = mark()
    processing.record(name="test.read", activity="deelnemers", actor="test", subjects=[
        (k1.organisation_id, k1.pk), (k2.organisation_id, k2.pk)])
    line = lines_since(before)[0]
    packed = bytes(line.data_subjects)
    straddling = (packed[8:16] + packed[16:24]).hex()
    assert line not in processing.lines_about(straddling)
    assert line in processing.lines_about(subject(k1)) and line in processing.lines_about(subject(k2))
    assert processing.lines_about("not hex") == [] and processing.lines_about("ab" * 8) == []


def test_the_migration_to_packed_subjects_keeps_every_line_and_the_chain(transactional_db):
    """core 0003 checks the old chain, packs the subjects, chains the lines again and logs that."""
    import hashlib

    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0002_processing_log")])
    apps = executor.loader.project_state([("core", "0002_processing_log")]).apps
    Entry = apps.get_model("core", "ProcessingLogEntry")
    Subject = apps.get_model("core", "ProcessingLogSubject")
    previous, expected = "0" * 64, {}
    now = dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC)
    for n in range(3):
        subjects = [(hashlib.md5(f"{n}-{i}".encode()).hexdigest(), 7) for i in range(n)]  # noqa: S324
        e = Entry(trace_id="t" * 32, operation_id=f"{n:016d}", parent_operation_id="",
                  name="participants.read", start_time=now, end_time=now, status_code=1, organisation_id=7,
                  actor="a", resource="r", processing_activity_id=processing.URI_PREFIX + "deelnemers",
                  subjects=n, previous_hash=previous)
        digest = hashlib.sha256(processing._canonical(e).encode())
        digest.update("".join(f"\n{s}:{o}" for s, o in subjects).encode())
        e.entry_hash = previous = digest.hexdigest()
        e.save()
        for s_, o in subjects:
            Subject.objects.create(entry_id=e.pk, data_subject_id=s_, organisation_id=o)
        expected[e.pk] = [s_ for s_, _ in subjects]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    lines = list(ProcessingLogEntry.objects.order_by("pk"))
    assert {line.pk: processing.unpack_subjects(line.data_subjects) for line in lines[:3]} == expected
    assert lines[-1].name == "processing_log.repacked: earlier chain intact"
    assert processing.verify() == []


def test_subject_report_holds_everything_and_is_logged(orgs, world):
    k1 = world["people"][0]
    out = io.StringIO()
    before = mark()
    call_command("subject-report", "--organisation", str(orgs["A"]["org"].pk), "k1", stdout=out)
    import json

    report = json.loads(out.getvalue())
    assert report["participant"]["pseudonym"] == "k1"
    assert [v["date"] for v in report["attendance"]] == ["2024-03-05", "2024-03-12"]
    assert [m["moment"] for m in report["measurements"]] == ["intake", "exit"]
    names = {line["name"] for line in report["processing_log"]}
    assert {"participants.create", "attendance.register", "measurements.create"} <= names
    assert subjects_since(before, "subject.report") == [subject(k1)]
    with pytest.raises(CommandError):
        call_command("subject-report", "--organisation", str(orgs["B"]["org"].pk), "k1", stdout=io.StringIO())


def test_erasure_keeps_aggregates_and_summaries_consistent(orgs, world):
    a = orgs["A"]
    k1 = world["people"][0]
    period = {"start": dt.date(2024, 1, 1), "end": dt.date(2024, 12, 31), "organisation": a["org"]}
    before_report = reach.reach_report(user=a["analyst"], **period)
    assert before_report.attendance == 10 and before_report.unique == 3
    assert outcome_selectors.outcome_results(programme=world["programme"])[0].n == 1
    with pytest.raises(CommandError):
        call_command("erase", "--organisation", str(a["org"].pk), "k1", stdout=io.StringIO())
    assert Participant.objects.filter(pk=k1.pk).exists()  # nothing without --yes
    mark_before = mark()
    call_command("erase", "--organisation", str(a["org"].pk), "k1", "--yes", stdout=io.StringIO())
    assert not Participant.objects.filter(pk=k1.pk).exists()
    assert not Attendance.objects.filter(participant_id=k1.pk).exists()
    assert not Measurement.objects.filter(participant_id=k1.pk).exists()
    after = reach.reach_report(user=a["analyst"], **period)
    assert after.attendance == 10 and after.unique == 2 and after.anonymous == before_report.anonymous + 2
    assert not PersonPair.objects.filter(participant_id=k1.pk).exists()
    assert outcome_selectors.outcome_results(programme=world["programme"]) == [] or \
        outcome_selectors.outcome_results(programme=world["programme"])[0].n == 0
    assert subjects_since(mark_before, "subject.erase") == [subject(k1)]
    assert processing.verify() == []


def test_retention_deletes_what_is_due_and_logs_it(orgs, world):
    a = orgs["A"]
    batch = importers.import_file(user=a["fieldworker"], organisation=a["org"], kind="participants",
                                  filename="p.csv", data=b"deelnemer;geboortejaar\nBSN 111.222.333;1960\n")
    assert batch.rejected_file
    today = services.retention(dry_run=True)
    assert today.counts == {"rejected_rows": 0, "uploads": 0, "participants": 0, "job_results": 0,
                            "processing_log": 0}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=800)
    due = services.retention(dry_run=True, now=later)
    assert due.counts["rejected_rows"] == 1 and due.counts["participants"] == 3
    assert Participant.objects.count() == 3  # a dry run deletes nothing
    before = mark()
    services.retention(now=later)
    batch.refresh_from_db()
    assert batch.rejected_file == "" and batch.errors == [] and batch.rows_rejected == 1
    assert Participant.objects.count() == 0 and Attendance.objects.count() == 0
    assert len(subjects_since(before, "retention.participant")) == 3
    assert len(lines_since(before, "retention.rejected_rows")) == 1
    # the processing log itself: its old part removed, the chain still verifies from the checkpoint
    much_later = later + dt.timedelta(days=2000)
    services.retention(now=much_later)
    assert ProcessingLogEntry.objects.filter(name="retention.processing_log").count() == 1
    assert processing.verify() == []
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "participants" in out.getvalue()


def test_entries_removed_from_the_end_are_found_with_a_head_kept_elsewhere(orgs, world):
    """The review's finding: deleting the newest entries leaves an intact, shorter chain. The head
    printed by the command and kept outside the database shows it."""
    out = io.StringIO()
    call_command("processing-log", stdout=out)
    import re

    head = re.search(r"\b[0-9a-f]{64}\b", out.getvalue()).group()
    call_command("processing-log", "--expect-head", head, stdout=io.StringIO())
    table = ProcessingLogEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = (SELECT MAX(id) FROM {table})")  # noqa: S608
    assert processing.verify() == []  # the chain alone cannot tell
    with pytest.raises(CommandError):
        call_command("processing-log", "--expect-head", head, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_with_1_when_the_log_was_tampered_with(orgs, world, tmp_path):
    """Through the real command line, as a cron job runs it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    table = ProcessingLogEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET actor = 'x' WHERE id = (SELECT MIN(id) FROM {table})")  # noqa: S608
    if connection.vendor != "sqlite":
        pytest.skip("the child process reads the test database by its file")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}"}
    done = subprocess.run([str(Path(sys.executable).with_name("wijkinzicht")), "processing-log", "--verify"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
