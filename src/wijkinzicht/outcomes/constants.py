"""Choices of the outcomes module: change-model elements, roles, indicator sources, moments."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.parties.constants import Role


class ElementKind(models.TextChoices):
    """The layers of a change model, from the long-term goal down to the activities."""

    GOAL = "goal", _("long-term goal")
    OUTCOME = "outcome", _("intermediate outcome")
    OUTPUT = "output", _("output")
    ACTIVITY = "activity", _("activity")


# top to bottom in the diagram; arrows "lead to" the layer above
LAYERS = (ElementKind.GOAL, ElementKind.OUTCOME, ElementKind.OUTPUT, ElementKind.ACTIVITY)


class PartyRole(models.TextChoices):
    RESPONSIBLE = "responsible", _("responsible")
    CONTRIBUTES = "contributes", _("contributes")
    NONE = "none", _("no role")


class SourceKind(models.TextChoices):
    AREA = "area", _("area indicator (CBS)")
    REACH = "reach", _("reach of the programme's activities")
    INSTRUMENT = "instrument", _("instrument scores")
    MANUAL = "manual", _("manual series")


class ReachMeasure(models.TextChoices):
    PARTICIPANTS = "participants", _("unique participants")
    ATTENDANCE = "attendance", _("total attendance")
    MEETINGS = "meetings", _("meetings")


class Moment(models.TextChoices):
    INTAKE = "intake", _("intake")
    FOLLOW_UP = "follow_up", _("follow-up")
    EXIT = "exit", _("exit")
    OTHER = "other", _("other date")


class Progress(models.TextChoices):
    ACHIEVED = "achieved", _("achieved")
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind")
    UNKNOWN = "unknown", _("unknown")


# who may edit a programme, its change model and indicators (of the owning organisation), and
# who may state a partner's vision and register measurements
EDIT_ROLES = frozenset({Role.COORDINATOR, Role.ANALYST, Role.ADMINISTRATOR})
VISION_ROLES = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
MEASURE_ROLES = frozenset({Role.FIELDWORKER, Role.COORDINATOR, Role.ADMINISTRATOR})
# group results of instruments are shown from this many people on (small-cell suppression)
MIN_GROUP = 5


class ImportState(models.TextChoices):
    """Where a measurement file that was too large to import in the web request stands."""

    QUEUED = "queued", _("waiting to be imported")
    RUNNING = "running", _("being imported")
    DONE = "done", _("imported")
    REJECTED = "rejected", _("nothing imported")
