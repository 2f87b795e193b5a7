"""Kinds of tie, where a tie comes from, and what happened to it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TieKind(models.TextChoices):
    COOPERATION = "cooperation", _("cooperation")
    REFERRAL = "referral", _("referral")
    FUNDING = "funding", _("funding")
    CONSULTATION = "consultation", _("consultation")
    SHARED_LOCATION = "shared_location", _("shared location")
    INFORMAL_CONTACT = "informal_contact", _("informal contact")


DIRECTED_KINDS = frozenset({TieKind.REFERRAL, TieKind.FUNDING})  # direction matters: from -> to


class TieOrigin(models.TextChoices):
    DECLARED = "declared", _("declared by a party")
    ACTIVITY = "activity", _("an activity run together")
    PROGRAMME = "programme", _("partners in a programme")


class TieAction(models.TextChoices):
    DECLARED = "declared", _("declared")
    CONFIRMED = "confirmed", _("confirmed by the other party")
    DISPUTED = "disputed", _("disputed by the other party")
    CHANGED = "changed", _("changed")
    ENDED = "ended", _("ended")
    MERGED = "merged", _("moved to a merged party")


EDIT_ROLES = frozenset({"fieldworker", "coordinator", "administrator"})  # who declares and answers ties
# who merges an informal party their organisation added into the party it turned out to be
MERGE_ROLES = frozenset({"coordinator", "administrator"})
