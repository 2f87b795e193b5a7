"""Abstract base models shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and modification timestamps (aware datetimes)."""

    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When the record was created.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, help_text=_("When the record was last changed.")
    )

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """A background worker that is alive: it rewrites ``seen_at`` every few seconds (core.jobs)."""

    worker_id = models.CharField(
        _("worker id"), max_length=64, unique=True, help_text=_("The worker's own random id.")
    )
    hostname = models.CharField(_("host"), max_length=100, help_text=_("The machine the worker runs on."))
    pid = models.PositiveIntegerField(
        _("process id"), help_text=_("The worker's process id on that machine.")
    )
    started_at = models.DateTimeField(_("started at"), help_text=_("When the worker started."))
    seen_at = models.DateTimeField(_("last seen"), db_index=True, help_text=_("The worker's last heartbeat."))

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


APPEND_ONLY = "the processing log is append-only"


class AppendOnlyQuerySet(models.QuerySet):
    """No update or delete through the application: the processing log is append-only."""

    def update(self, **kwargs):
        raise PermissionError(APPEND_ONLY)

    def delete(self):
        raise PermissionError(APPEND_ONLY)

    def _raw_delete(self, using):
        raise PermissionError(APPEND_ONLY)


class AppendOnlyModel(models.Model):
    """A row that can be added, never changed or deleted through the application."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(APPEND_ONLY)


class ProcessingLogEntry(AppendOnlyModel):
    """One processing in the processing log after Logius' Logboek Dataverwerkingen (core.processing,
    docs/privacy.md), with the standard's fields and its data subjects packed in `data_subjects`
    (16 bytes each) -- entry and subject together are one line per data subject. Entries are only
    ever added; each carries the hash of the entry before it and covers its own subjects, so that a
    changed, inserted or removed entry or subject is found by `wijkinzicht processing-log --verify`."""

    trace_id = models.CharField(
        _("trace id"), max_length=32, help_text=_("16 bytes, hex: the request or command.")
    )
    operation_id = models.CharField(
        _("operation id"), max_length=16, help_text=_("8 bytes, hex: this processing.")
    )
    parent_operation_id = models.CharField(
        _("parent operation id"), max_length=16, blank=True, help_text=_("The calling processing, if any.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What was done, e.g. participants.read."))
    start_time = models.DateTimeField(_("start"), help_text=_("When the processing started."))
    end_time = models.DateTimeField(_("end"), help_text=_("When it ended."))
    status_code = models.PositiveSmallIntegerField(
        _("status"), default=1, help_text=_("0 unknown, 1 OK, 2 error (as in the standard).")
    )
    processing_activity_id = models.CharField(
        _("processing activity"), max_length=200,
        help_text=_("URI of the processing activity in the register (core.processing.REGISTER)."),
    )
    organisation_id = models.BigIntegerField(
        _("organisation"), null=True, help_text=_("The organisation whose records were processed.")
    )
    actor = models.CharField(_("by"), max_length=150, blank=True, help_text=_("User name, key or command."))
    resource = models.CharField(_("resource"), max_length=100, help_text=_("Application and version."))
    subjects = models.PositiveIntegerField(_("data subjects"), default=0, help_text=_("How many."))
    previous_hash = models.CharField(
        _("previous hash"), max_length=64, help_text=_("Hash of the line before.")
    )
    data_subjects = models.BinaryField(
        _("data subjects"), default=b"", editable=False,
        help_text=_("The participants, each pseudonymised with a keyed hash (16 bytes), one after another."),
    )
    entry_hash = models.CharField(_("hash"), max_length=64, unique=True, help_text=_("Hash of this line."))

    class Meta:
        verbose_name = _("processing log line")
        verbose_name_plural = _("processing log")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.start_time:%Y-%m-%d %H:%M} {self.name}"


class ProcessingLogCheckpoint(models.Model):
    """The hash of the last processing-log line removed by the retention command: the anchor the
    remaining chain must start from (so that removing older lines by hand is found too)."""

    last_hash = models.CharField(_("last removed hash"), max_length=64, help_text=_("Anchor of the chain."))
    removed_until = models.DateTimeField(_("removed until"), help_text=_("End of the removed lines."))

    class Meta:
        verbose_name = _("processing log checkpoint")
        verbose_name_plural = _("processing log checkpoints")

    def __str__(self) -> str:
        return self.last_hash[:12]
