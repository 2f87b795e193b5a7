"""The data subjects of a processing-log entry move from one row each (under an index of random keys:
slow to write, docs/benchmarks.md) into the entry itself, 16 bytes each (core.processing.record).

The hash of a line covered its subjects as text with their organisation; it now covers the packed
bytes. So this migration first checks the existing chain the old way, then packs the subjects and
computes the chain again the new way, and appends one line (activity "beheer") that says so and
whether the old chain was intact -- a rewrite of the log is itself in the log (decision 0014).
Self-contained: it does not import core.processing, which will change again."""

import datetime as dt
import hashlib
import secrets

from django.db import migrations, models
from django.utils import timezone


def _canonical(e, previous_hash: str) -> str:
    def when(t):
        return t.astimezone(dt.UTC).isoformat(timespec="microseconds")

    return "|".join([
        e.trace_id, e.operation_id, e.parent_operation_id, e.name, when(e.start_time), when(e.end_time),
        str(e.status_code), e.processing_activity_id, "" if e.organisation_id is None else str(e.organisation_id),
        e.actor, e.resource, str(e.subjects), previous_hash,
    ])


def _new_hash(e, previous_hash: str, packed: bytes) -> str:
    digest = hashlib.sha256(_canonical(e, previous_hash).encode())
    digest.update(b"\n" + packed)
    return digest.hexdigest()


def pack(apps, schema_editor):
    Entry = apps.get_model("core", "ProcessingLogEntry")
    Subject = apps.get_model("core", "ProcessingLogSubject")
    Checkpoint = apps.get_model("core", "ProcessingLogCheckpoint")
    if not Entry.objects.exists():
        return
    checkpoint = Checkpoint.objects.order_by("-pk").first()
    anchor = checkpoint.last_hash if checkpoint else "0" * 64
    subjects = (Subject.objects.order_by("entry_id", "pk")
                .values_list("entry_id", "data_subject_id", "organisation_id").iterator(chunk_size=20000))
    pending = next(subjects, None)
    old_previous, new_previous, problems, changed = anchor, anchor, 0, []
    for e in Entry.objects.order_by("pk").iterator(chunk_size=2000):
        own = []
        while pending is not None and pending[0] <= e.pk:
            if pending[0] == e.pk:
                own.append((pending[1], pending[2]))
            else:
                problems += 1
            pending = next(subjects, None)
        old = hashlib.sha256(_canonical(e, e.previous_hash).encode())
        old.update("".join(f"\n{s}:{o}" for s, o in own).encode())
        problems += (e.previous_hash != old_previous) + (old.hexdigest() != e.entry_hash)
        old_previous = e.entry_hash
        e.data_subjects = b"".join(bytes.fromhex(s) for s, _ in own)
        e.subjects = len(own)
        e.previous_hash = new_previous
        e.entry_hash = _new_hash(e, new_previous, e.data_subjects)
        new_previous = e.entry_hash
        changed.append(e)
        if len(changed) >= 2000:
            Entry.objects.bulk_update(changed, ["data_subjects", "subjects", "previous_hash", "entry_hash"])
            changed = []
    Entry.objects.bulk_update(changed, ["data_subjects", "subjects", "previous_hash", "entry_hash"])
    now = timezone.now()
    line = Entry(
        trace_id=secrets.token_hex(16), operation_id=secrets.token_hex(8), parent_operation_id="",
        name=("processing_log.repacked: earlier chain intact" if not problems
              else f"processing_log.repacked: earlier chain had {problems} problem(s)")[:100],
        start_time=now, end_time=now, status_code=1 if not problems else 2,
        processing_activity_id="urn:wijkinzicht:verwerkingsactiviteit:beheer", organisation_id=None,
        actor="migration core 0003", resource="wijkinzicht", subjects=0, data_subjects=b"",
    )
    line.previous_hash = new_previous
    line.entry_hash = _new_hash(line, new_previous, b"")
    line.save()


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_processing_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="processinglogentry",
            name="data_subjects",
            field=models.BinaryField(
                default=b"", editable=False, verbose_name="data subjects",
                help_text="The participants, each pseudonymised with a keyed hash (16 bytes), one after another.",
            ),
        ),
        migrations.RunPython(pack, migrations.RunPython.noop),
        migrations.DeleteModel(name="ProcessingLogSubject"),
    ]
