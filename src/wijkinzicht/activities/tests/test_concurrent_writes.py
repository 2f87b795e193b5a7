"""Other organisations keep writing while a large import runs (issue 12, item 5; the attack: writes
failed with "database is locked" during a 50 MB upload). Real threads on the real database file
(SQLite in WAL mode with a busy timeout and IMMEDIATE transactions, or PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection

from wijkinzicht.activities import importers, services
from wijkinzicht.activities.models import Participant

pytestmark = pytest.mark.django_db(transaction=True)


def test_writes_of_another_organisation_succeed_during_a_large_import(two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    rows = "deelnemer;geboortejaar\n" + "".join(f"R{i:06d};{1940 + i % 70}\n" for i in range(40_000))
    done = {}

    def import_large():
        try:
            batch = importers.import_file(user=a["fieldworker"], organisation=a["org"], kind="participants",
                                          filename="groot.csv", data=rows.encode())
            done["created"] = batch.rows_created
        finally:
            connection.close()

    worker = threading.Thread(target=import_large)
    worker.start()
    waits, n = [], 0
    while worker.is_alive() or n < 5:
        t = time.perf_counter()
        services.participant_create(user=b["fieldworker"], organisation=b["org"], pseudonym=f"B-{n}")
        waits.append(time.perf_counter() - t)
        n += 1
        time.sleep(0.02)
    worker.join()
    assert done["created"] == 40_000
    assert Participant.objects.filter(organisation=b["org"]).count() == n  # every write of B went in
    assert max(waits) < 10, max(waits)  # well within the 20 s busy timeout
