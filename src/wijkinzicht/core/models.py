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
