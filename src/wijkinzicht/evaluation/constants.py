"""Choices of the evaluation module."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    SYNTH = "synth", _("synthetic control")
    SDID = "sdid", _("synthetic difference-in-differences")
    DID = "did", _("difference-in-differences")


class DonorPool(models.TextChoices):
    COMPARABLE = "comparable", _("the most comparable areas (same level, anywhere in the country)")
    MUNICIPALITY = "municipality", _("all other areas of the same level in the same municipality")
    LIST = "list", _("areas I list myself")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


# Who may create and run evaluations; every member of the organisation may read them.
EVALUATION_ROLES = {"analyst", "researcher", "coordinator", "administrator"}
