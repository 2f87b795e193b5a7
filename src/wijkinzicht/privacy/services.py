"""The rights of data subjects and retention (issue 12, item 7; docs/privacy.md).

- `subject_report`: everything held on one participant (a pseudonym in one organisation) and the
  processing log lines about them.
- `erase`: the participant is removed on request. Their visits stay counted -- each becomes an
  anonymous visitor of its meeting -- and their measurements are deleted through the outcome
  summaries, so reach figures, programme results and summaries stay consistent.
- `retention`: what is kept longer than its period is deleted, per data type.

Each writes its own processing log line ("rechten-betrokkenen" or "bewaartermijnen").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from wijkinzicht.activities.models import Attendance, ImportBatch, ImportUpload, Meeting, Participant
from wijkinzicht.core import processing
from wijkinzicht.core.models import ProcessingLogCheckpoint, ProcessingLogEntry
from wijkinzicht.outcomes import summaries
from wijkinzicht.outcomes.models import Measurement, MeasurementImport, Programme

# Retention periods in days (WIJKINZICHT_RETENTION_<TYPE>_DAYS), documented in docs/privacy.md.
RETENTION_TYPES = ("rejected_rows", "uploads", "participants", "job_results", "processing_log")


def retention_days() -> dict[str, int]:
    return dict(settings.RETENTION_DAYS)


def participant_by_pseudonym(organisation_id: int, pseudonym: str) -> Participant:
    return Participant.objects.select_related("organisation", "home_buurt").get(
        organisation_id=organisation_id, pseudonym=pseudonym
    )


def subject_report(participant: Participant, *, actor: str) -> dict:
    """Everything held on the participant, and who processed their data when (the log lines)."""
    subject = processing.subject_id(participant.organisation_id, participant.pk)
    attendance = (
        Attendance.objects.filter(participant=participant)
        .select_related("activity")
        .order_by("date")
        .values_list("date", "activity__title")
    )
    measurements = Measurement.objects.filter(participant=participant).order_by("date", "pk")
    log = processing.lines_about(subject)
    report = {
        "participant": {
            "organisation": participant.organisation.name,
            "pseudonym": participant.pseudonym,
            "birth_year": participant.birth_year,
            "gender": participant.gender,
            "home_buurt": participant.home_buurt.code if participant.home_buurt else None,
            "consent": participant.consent,
            "consent_date": participant.consent_date.isoformat() if participant.consent_date else None,
            "registered": participant.created_at.isoformat(),
        },
        "attendance": [{"date": d.isoformat(), "activity": title} for d, title in attendance],
        "measurements": [
            {"instrument": m.instrument, "moment": m.moment, "date": m.date.isoformat(),
             "answers": m.answers, "score": m.score, "category": m.category,
             "programme": m.programme.name if m.programme_id else None}
            for m in measurements.select_related("programme")
        ],
        "processing_log": [
            {"start": e.start_time.isoformat(), "name": e.name, "by": e.actor, "status": e.status_code,
             "processing_activity": e.processing_activity_id, "trace_id": e.trace_id}
            for e in log
        ],
        "data_subject_id": subject,
    }
    processing.record(name="subject.report", activity="rechten-betrokkenen", actor=actor,
                      subjects=[(participant.organisation_id, participant.pk)])
    return report


@dataclass
class Erased:
    visits: int = 0
    measurements: int = 0
    programmes: list[int] = field(default_factory=list)


def erase(participant: Participant, *, actor: str, name: str = "subject.erase",
          activity: str = "rechten-betrokkenen") -> Erased:
    """Remove the participant. Their visits stay counted as anonymous visitors of the same meetings;
    their measurements are deleted with the programmes' summaries brought up to date; the erasure is
    logged under the pseudonymised subject (the log keeps no pseudonym)."""
    result = Erased()
    with transaction.atomic():
        visits = dict(
            Attendance.objects.filter(participant=participant).values_list("meeting_id").annotate(n=Count("id"))
        )
        for meeting_id, n in visits.items():
            Meeting.objects.filter(pk=meeting_id).update(anonymous_count=F("anonymous_count") + n)
        result.visits = sum(visits.values())
        Attendance.objects.filter(participant=participant).delete()
        measured = Measurement.objects.filter(participant=participant)
        by_programme: dict[int | None, set] = {}
        for instrument, programme_id in measured.values_list("instrument", "programme_id"):
            by_programme.setdefault(programme_id, set()).add((instrument, participant.pk))
        result.measurements = measured.count()
        for programme_id, people in by_programme.items():
            programme = Programme.objects.get(pk=programme_id) if programme_id else None
            summaries.record(
                programme, people,
                lambda programme_id=programme_id: Measurement.objects.filter(
                    participant=participant, programme_id=programme_id).delete(),
            )
        result.programmes = sorted(p for p in by_programme if p)
        processing.record(name=name, activity=activity, actor=actor,
                          subjects=[(participant.organisation_id, participant.pk)])
        participant.delete()
    return result


@dataclass
class Due:
    """What the retention command deletes (or would delete), per data type."""

    counts: dict = field(default_factory=dict)


def retention(*, dry_run: bool = False, actor: str = "wijkinzicht retention",
              now: dt.datetime | None = None) -> Due:
    """Delete what is due per data type (`retention_days`) and log it; `dry_run`: count only."""
    now = now or timezone.now()
    days = retention_days()

    def before(kind: str) -> dt.datetime:
        return now - dt.timedelta(days=days[kind])

    due = Due()
    rejected = ImportBatch.objects.filter(imported_at__lt=before("rejected_rows")).exclude(
        rejected_file="", errors=[])
    stale_problems = MeasurementImport.objects.filter(created__lt=before("rejected_rows")).exclude(
        problems=[])
    uploads = ImportUpload.objects.filter(batch__imported_at__lt=before("uploads"))
    stored = MeasurementImport.objects.filter(created__lt=before("uploads"), data__isnull=False)
    last_seen = Participant.objects.annotate(
        last_visit=Max("attendances__date"), last_measured=Max("measurements__date")
    )
    cutoff = before("participants")
    inactive = [
        p for p in last_seen.filter(created_at__lt=cutoff)
        if max(filter(None, [p.last_visit, p.last_measured]), default=dt.date.min) < cutoff.date()
    ]
    from django_tasks_db.models import DBTaskResult

    jobs = DBTaskResult.objects.filter(finished_at__lt=before("job_results"))
    old_log = ProcessingLogEntry.objects.filter(end_time__lt=before("processing_log"))
    due.counts = {
        "rejected_rows": rejected.count() + stale_problems.count(),
        "uploads": uploads.count() + stored.count(),
        "participants": len(inactive),
        "job_results": jobs.count(),
        "processing_log": old_log.count(),
    }
    if dry_run:
        return due
    with transaction.atomic():
        if due.counts["rejected_rows"]:
            org_ids = sorted(set(rejected.values_list("organisation_id", flat=True)))
            rejected.update(rejected_file="", errors=[])
            stale_problems.update(problems=[])
            for org in org_ids:
                processing.record(name="retention.rejected_rows", activity="bewaartermijnen", actor=actor,
                                  organisation_id=org)
        if due.counts["uploads"]:
            uploads.delete()
            stored.update(data=None)
            processing.record(name="retention.uploads", activity="bewaartermijnen", actor=actor)
        for participant in inactive:
            erase(participant, actor=actor, name="retention.participant", activity="bewaartermijnen")
        if due.counts["job_results"]:
            jobs.delete()
        if due.counts["processing_log"]:
            _prune_log(before("processing_log"), actor=actor)
    return due


def _prune_log(cutoff: dt.datetime, *, actor: str) -> None:
    """Remove the log lines that ended before the cutoff: the oldest part of the chain. The hash of
    the last removed line becomes the checkpoint the rest must start from, and the pruning itself
    is logged. The one path that deletes log lines; raw SQL, as the model refuses deletes."""
    last = ProcessingLogEntry.objects.filter(end_time__lt=cutoff).order_by("-pk").first()
    if last is None:
        return
    entries = connection.ops.quote_name(ProcessingLogEntry._meta.db_table)
    with connection.cursor() as cursor:  # our model's table
        cursor.execute(f"DELETE FROM {entries} WHERE id <= %s", [last.pk])  # noqa: S608
    ProcessingLogCheckpoint.objects.create(last_hash=last.entry_hash, removed_until=last.end_time)
    processing.record(name="retention.processing_log", activity="bewaartermijnen", actor=actor)
