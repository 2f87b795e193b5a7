"""Backup and restore of the whole database as one versioned archive (decision 0013).

The archive is a zip file: ``manifest.json`` (format version, the migrations applied, the row
count and SHA-256 of every table) and one JSON-lines file per table, in Django's serialisation
with every value exact (vendor neutral: a SQLite backup restores into PostgreSQL and back).
A backup reads every table inside one transaction, so it is consistent while the product runs
(a snapshot: REPEATABLE READ on PostgreSQL, one read transaction on SQLite in WAL mode).
A restore checks the archive first (format, checksums, migrations equal to this database's),
then, in one transaction, deletes every row of every table in the archive and loads the
archive's rows: all or nothing. Tables are streamed in chunks; memory stays bounded.

Left out: sessions, login-attempt records and the workers' heartbeats (runtime state).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT = "wijkinzicht-backup"
FORMAT_VERSION = 1
CHUNK = 2000
SKIPPED = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog",
           "core.workerheartbeat"}


class BackupError(ValueError):
    """The archive cannot be restored here; the message says why."""


@dataclass
class Summary:
    tables: int
    rows: int


def _models():
    """Every table with data, ours and the libraries' (foreign keys are deferred: order is free)."""
    return [
        m for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed
    ]


def _label(model) -> str:
    return model._meta.label_lower


def _migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _local_fields(model) -> list[str]:
    # many-to-many rows are their own tables here (auto-created through models)
    return [f.name for f in model._meta.local_fields if not f.primary_key]


def backup(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write the archive to ``path`` (replaced atomically when complete)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created": timezone.now().isoformat(),
                "vendor": connections[using].vendor, "tables": {}}
    rows_total = 0
    connection = connections[using]
    outermost = not connection.in_atomic_block  # inside a caller's transaction, theirs holds
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifest["migrations"] = _migrations(using)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for model in _models():
                label = _label(model)
                digest, count = hashlib.sha256(), 0
                with archive.open(f"tables/{label}.jsonl", "w") as raw:
                    queryset = model._base_manager.using(using).order_by("pk")
                    for chunk in _chunks(queryset.iterator(chunk_size=CHUNK)):
                        rows = serializers.serialize("python", chunk, fields=_local_fields(model))
                        data = "".join(json.dumps(r, cls=_Exact, ensure_ascii=False) + "\n"
                                       for r in rows).encode()
                        raw.write(data)
                        digest.update(data)
                        count += len(chunk)
                manifest["tables"][label] = {"rows": count, "sha256": digest.hexdigest()}
                rows_total += count
            archive.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
    tmp.chmod(0o600)  # personal data
    tmp.replace(path)
    return Summary(tables=len(manifest["tables"]), rows=rows_total)


class _Exact(json.JSONEncoder):
    """Every value to the last digit (Django's JSON encoder cuts datetimes to milliseconds)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, dt.timedelta):
            return duration_iso_string(o)
        if isinstance(o, Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def _chunks(iterator: Iterator, size: int = CHUNK) -> Iterator[list]:
    chunk: list = []
    for item in iterator:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def read_manifest(path: Path | str) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BackupError(f"not a Wijkinzicht backup: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a Wijkinzicht backup (no manifest of ours)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format {manifest.get('format_version')} is not supported here "
                          f"(this version reads format {FORMAT_VERSION})")
    return manifest


def verify(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Check format, migrations and every checksum before anything is touched."""
    manifest = read_manifest(path)
    here = _migrations(using)
    if manifest.get("migrations") != here:
        missing = sorted(f"{a}.{n}" for a, ns in manifest.get("migrations", {}).items() for n in ns
                         if n not in here.get(a, []))
        extra = sorted(f"{a}.{n}" for a, ns in here.items() for n in ns
                       if n not in manifest.get("migrations", {}).get(a, []))
        raise BackupError(
            "the backup was made with other migrations than this database has; restore it with the "
            f"version that made it, then upgrade (only in backup: {missing[:5]}; only here: {extra[:5]})")
    known = {_label(m) for m in _models()}
    unknown = sorted(set(manifest["tables"]) - known)
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {unknown[:5]}")
    with zipfile.ZipFile(path) as archive:
        for label, info in manifest["tables"].items():
            digest, count = hashlib.sha256(), 0
            with archive.open(f"tables/{label}.jsonl") as raw:
                for line in raw:
                    digest.update(line)
                    count += 1
            if digest.hexdigest() != info["sha256"] or count != info["rows"]:
                raise BackupError(f"table {label} in the backup is damaged (checksum or row count differs)")
    return manifest


def restore(path: Path | str, *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Replace every table's rows with the archive's, in one transaction."""
    manifest = verify(path, using=using)
    models = {_label(m): m for m in _models()}
    rows_total = 0
    connection = connections[using]
    with transaction.atomic(using=using), zipfile.ZipFile(path) as archive:
        with connection.cursor() as cursor:  # foreign keys are checked at commit (deferred)
            for label in reversed(list(models)):
                table = connection.ops.quote_name(models[label]._meta.db_table)  # our own model names
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        for label, model in models.items():
            if label not in manifest["tables"]:
                continue
            with archive.open(f"tables/{label}.jsonl") as raw:
                lines = io.TextIOWrapper(raw, encoding="utf-8")
                for chunk in _chunks(iter(lines)):
                    rows = [json.loads(line) for line in chunk]
                    found = serializers.deserialize("python", rows, using=using)
                    objects = [d.object for d in found]
                    with _stored_timestamps(model):
                        model._base_manager.using(using).bulk_create(objects, batch_size=500)
                    rows_total += len(objects)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(_no_style(), list(models.values())):
                cursor.execute(sql)
    return Summary(tables=len(manifest["tables"]), rows=rows_total)


@contextmanager
def _stored_timestamps(model):
    """bulk_create would stamp auto_now(_add) fields with the time of the restore; keep the stored."""
    fields = [f for f in model._meta.local_fields
              if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _no_style():
    from django.core.management.color import no_style

    return no_style()
