"""The processing log (issue 12, item 7; docs/privacy.md): who processed which resident's data,
when, why and with what result, after Logius' standard *Logboek Dataverwerkingen*.

Every read, export, change and deletion of participant-level data -- pages, API, exports,
imports, commands -- calls `record`, which writes one line per data subject with the standard's
fields: trace id (the request or command), operation id, name, start and end, status, the
processing activity (a URI into `REGISTER`, the register of processing activities kept here and
shown at /privacy/verwerkingen/), and the pseudonymised subject (a keyed hash of the participant,
never the pseudonym itself). An entry holds the fields once and its data subjects packed (16 bytes
each): entry and subject together are the standard's line. Lines are append-only
(core.models.AppendOnlyQuerySet) and chained: each entry holds the SHA-256 of the entry before and
covers its subjects, so `wijkinzicht processing-log --verify` finds any line that was changed,
inserted or removed outside the application.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64
STATUS_UNKNOWN, STATUS_OK, STATUS_ERROR = 0, 1, 2
URI_PREFIX = "urn:wijkinzicht:verwerkingsactiviteit:"


@dataclass(frozen=True)
class ProcessingActivity:
    """An entry of the register of processing activities (AVG art. 30)."""

    name: str
    purpose: str
    data: str
    who: str
    retention: str

    def uri(self, key: str) -> str:
        return URI_PREFIX + key


REGISTER: dict[str, ProcessingActivity] = {
    "deelnemers": ProcessingActivity(
        _("Registering participants"),
        _("Knowing who takes part in activities, to count reach per age group and buurt."),
        _("Pseudonymous id, year of birth, gender, home buurt, consent."),
        _("Members of the organisation that registered the participant."),
        _("Until 2 years after the last attendance or measurement, then erased."),
    ),
    "aanwezigheid": ProcessingActivity(
        _("Registering attendance"),
        _("Counting meetings, visits and repeat visitors of activities."),
        _("Which participant was present at which meeting."),
        _("Members of the organisation that registered it."),
        _("As long as the participant is kept; after erasure a visit counts as anonymous."),
    ),
    "metingen": ProcessingActivity(
        _("Outcome measurements"),
        _("Following how participants fare (loneliness, participation) in a programme."),
        _("Answers to questionnaires and the scores computed from them."),
        _("Members of the organisation that registered the measurement."),
        _("As long as the participant is kept."),
    ),
    "imports": ProcessingActivity(
        _("Importing files"),
        _("Registering many participants, visits or measurements at once."),
        _("The rows of the file; rejected rows are kept to be fixed."),
        _("The person who imported and the coordinators of the organisation."),
        _("Rejected rows 14 days; uploaded files until imported, at most 14 days."),
    ),
    "samenstelling": ProcessingActivity(
        _("Composition of a change"),
        _("Splitting an area's change in an outcome into stayers, entrants and leavers, from a file the "
          "analyst uploads."),
        _("A pseudonymous person panel (id, period, area, outcome), read once and not kept."),
        _("The analyst who uploads it; the page shows only group figures."),
        _("Not kept: the file is read in memory and discarded."),
    ),
    "rechten-betrokkenen": ProcessingActivity(
        _("Rights of data subjects"),
        _("Answering a request for access (subject report) or erasure."),
        _("Everything held on the participant and the processing log lines about them."),
        _("Administrators."),
        _("The log of the request: as the processing log."),
    ),
    "bewaartermijnen": ProcessingActivity(
        _("Retention"),
        _("Deleting what is kept longer than needed."),
        _("Data past its retention period."),
        _("The retention command (administrators)."),
        _("The log of the deletion: as the processing log."),
    ),
    "beheer": ProcessingActivity(
        _("Backup and restore"),
        _("Keeping the data safe against loss."),
        _("The whole database."),
        _("Administrators of the installation."),
        _("As the backups are kept by the operator."),
    ),
}

_trace = contextvars.ContextVar("wijkinzicht_trace", default="")


def new_trace() -> str:
    return secrets.token_hex(16)


def set_trace(trace_id: str | None = None) -> contextvars.Token:
    """Start a trace (a request, a command, a job); `record` uses it until reset."""
    return _trace.set(trace_id or new_trace())


def reset_trace(token: contextvars.Token) -> None:
    _trace.reset(token)


def current_trace() -> str:
    return _trace.get() or new_trace()


_keys: dict[str, bytes] = {}


def _subject_key() -> bytes:
    secret = settings.SECRET_KEY
    if secret not in _keys:
        _keys[secret] = hashlib.sha256(b"wijkinzicht processing log subject\x00" + secret.encode()).digest()
    return _keys[secret]


SUBJECT_BYTES = 16


def subject_digest(organisation_id: int, participant_id: int, key: bytes | None = None) -> bytes:
    """The pseudonymised data subject: a keyed hash (BLAKE2b, 128 bits) of the participant
    (organisation and row id), so that the log neither holds the organisation's pseudonym nor can be
    joined to it without the key (`key`: `_subject_key()`, looked up once for many)."""
    message = f"{int(organisation_id)}:{int(participant_id)}".encode()
    return hashlib.blake2b(message, key=key or _subject_key(), digest_size=SUBJECT_BYTES).digest()


def subject_id(organisation_id: int, participant_id: int) -> str:
    """The data subject as shown and searched for: the digest in hex (32 characters)."""
    return subject_digest(organisation_id, participant_id).hex()


def unpack_subjects(packed: bytes) -> list[str]:
    """The data subjects of an entry, in hex, in their order."""
    packed = bytes(packed)
    return [packed[i:i + SUBJECT_BYTES].hex() for i in range(0, len(packed), SUBJECT_BYTES)]


def actor_of(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.get_username()[:150]


def _resource() -> str:
    from wijkinzicht import __version__

    return f"wijkinzicht {__version__}"[:100]


def _canonical(entry) -> str:
    def when(t: dt.datetime) -> str:
        return t.astimezone(dt.UTC).isoformat(timespec="microseconds")

    return "|".join([
        entry.trace_id, entry.operation_id, entry.parent_operation_id, entry.name, when(entry.start_time),
        when(entry.end_time), str(entry.status_code), entry.processing_activity_id,
        "" if entry.organisation_id is None else str(entry.organisation_id), entry.actor, entry.resource,
        str(entry.subjects), entry.previous_hash,
    ])


def line_hash(entry) -> str:
    """The hash of an entry: its fields, the hash of the entry before it, and its data subjects."""
    digest = hashlib.sha256(_canonical(entry).encode())
    digest.update(b"\n" + bytes(entry.data_subjects))
    return digest.hexdigest()


def _lock_chain() -> None:
    """One writer at a time extends the chain: SQLite's IMMEDIATE transactions already serialise
    writers; PostgreSQL takes a transaction-level advisory lock. The line is committed before the
    response goes out: a read that was answered is never missing from the log."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(2026113012)")


def record(
    *,
    name: str,
    activity: str,
    user=None,
    actor: str = "",
    subjects: Iterable[tuple[int, int]] = (),
    organisation_id: int | None = None,
    status: int = STATUS_OK,
    start: dt.datetime | None = None,
    parent_operation_id: str = "",
) -> str:
    """Write one processing to the log with its data subjects ((organisation id, participant id)
    pairs): one line per data subject, or one line without a subject when there is none (an export
    of rejected rows, a backup). One row whatever the number of subjects: they are packed into the
    entry (16 bytes each; not one row each, as a row per subject under an index of random keys cost
    a page of 500 participants 18 ms on SQLite once the log held 200,000 subjects, and PostgreSQL's
    round trips and index work 4 ms, docs/benchmarks.md). Returns the operation id."""
    from .models import ProcessingLogEntry

    if activity not in REGISTER:
        raise KeyError(f"processing activity {activity!r} is not in the register")
    now = timezone.now()
    key = _subject_key()
    packed = b"".join(subject_digest(org, pk, key) for org, pk in dict.fromkeys(subjects))
    entry = ProcessingLogEntry(
        trace_id=current_trace(), operation_id=secrets.token_hex(8), parent_operation_id=parent_operation_id,
        name=name[:100], start_time=start or now, end_time=now, status_code=status,
        processing_activity_id=REGISTER[activity].uri(activity), organisation_id=organisation_id,
        actor=(actor or actor_of(user))[:150], resource=_resource(), subjects=len(packed) // SUBJECT_BYTES,
        data_subjects=packed,
    )
    with transaction.atomic():
        _lock_chain()
        last = ProcessingLogEntry.objects.order_by("-pk").values_list("entry_hash", flat=True).first()
        entry.previous_hash = last or _anchor()
        entry.entry_hash = line_hash(entry)
        entry.save()
    return entry.operation_id


def _anchor() -> str:
    from .models import ProcessingLogCheckpoint

    checkpoint = ProcessingLogCheckpoint.objects.order_by("-pk").first()
    return checkpoint.last_hash if checkpoint else GENESIS


def verify() -> list[str]:
    """The problems of the chain: an entry whose hash does not match its fields and subjects, or
    that does not follow the entry before (or the retention checkpoint). Empty when intact."""
    from .models import ProcessingLogEntry

    problems = []
    previous = _anchor()
    for entry in ProcessingLogEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous:
            problems.append(f"line {entry.pk}: does not follow the line before (removed or inserted lines)")
        if line_hash(entry) != entry.entry_hash or len(entry.data_subjects) != entry.subjects * SUBJECT_BYTES:
            problems.append(f"line {entry.pk}: its content or its data subjects were changed")
        previous = entry.entry_hash
    return problems


def lines_about(subject: str) -> list:
    """The entries of a data subject (hex), oldest first. The subjects have no index (see `record`):
    the database scans the packed subjects for the 16 bytes, and a match is kept only where it falls
    on a subject's boundary. A rare request (an administrator answering a data subject), measured in
    docs/benchmarks.md."""
    from .models import ProcessingLogEntry

    try:
        needle = bytes.fromhex(subject)
    except ValueError:
        return []
    if len(needle) != SUBJECT_BYTES:
        return []
    if connection.vendor == "postgresql":
        condition = "position(%s::bytea in data_subjects) > 0"
    else:
        condition = "instr(data_subjects, %s) > 0"
    candidates = ProcessingLogEntry.objects.filter(
        RawSQL(condition, [needle], output_field=BooleanField())).order_by("pk")  # noqa: S611 - constant SQL
    return [
        entry for entry in candidates
        if any(bytes(entry.data_subjects)[i:i + SUBJECT_BYTES] == needle
               for i in range(0, len(entry.data_subjects), SUBJECT_BYTES))
    ]


def subjects_of(participants) -> list[tuple[int, int]]:
    """(organisation id, participant id) of participants (objects or value dicts)."""
    out = []
    for p in participants:
        if isinstance(p, dict):
            out.append((p["organisation_id"], p["id"]))
        else:
            out.append((p.organisation_id, p.pk))
    return out
