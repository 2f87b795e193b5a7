"""Choices and limits of the signals module."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.parties.constants import Role


class Urgency(models.TextChoices):
    LOW = "laag", _("low")
    NORMAL = "normaal", _("normal")
    HIGH = "hoog", _("high")


class Novelty(models.TextChoices):
    NEW = "nieuw", _("new")
    CONTINUING = "aanhoudend", _("continuing")


class ResponseKind(models.TextChoices):
    ACKNOWLEDGED = "erkend", _("acknowledged")
    ACTION = "actie", _("action taken")
    NO_ACTION = "geen_actie", _("no action")


# who reviews texts of their own organisation for quoting, and answers bundles for a municipality
REVIEW_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
RESPONSE_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR, Role.ANALYST})

BUNDLE_GAP_DAYS = 60  # a signal joins a bundle whose latest signal is at most this long ago ...
BUNDLE_SPAN_DAYS = 91  # ... and whose first signal is at most a quarter older: bundles do not run on forever
EFFORT_WEEKS = 13  # a professional is active in an area while they reported there in the last 13 weeks
TEXT_MAX = 2000
IMPORT_MAX_ROWS = 5000
TRAIN_MIN_SIGNALS = 50  # fewer confirmed signals: the lexicon keeps suggesting
