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
