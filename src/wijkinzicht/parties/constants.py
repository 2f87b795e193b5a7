"""Kinds of organisation and roles of people in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    # formal
    GEMEENTE = "gemeente", _("municipality")
    WELZIJN = "welzijn", _("welfare / social work organisation")
    WIJKTEAM = "wijkteam", _("neighbourhood team")
    CORPORATIE = "corporatie", _("housing corporation")
    POLITIE = "politie", _("police")
    ZORG = "zorg", _("health care")
    ONDERWIJS = "onderwijs", _("education")
    # informal
    BEWONERSINITIATIEF = "bewonersinitiatief", _("resident initiative")
    VRIJWILLIGERSGROEP = "vrijwilligersgroep", _("volunteer group")
    ZELFORGANISATIE = "zelforganisatie", _("religious or migrant self-organisation")
    SPORTVERENIGING = "sportvereniging", _("sports club")
    ONDERNEMERS = "ondernemers", _("shop owners / local businesses")
    OVERIG_INFORMEEL = "overig_informeel", _("other informal party")


FORMAL_KINDS = frozenset({
    OrganisationKind.GEMEENTE, OrganisationKind.WELZIJN, OrganisationKind.WIJKTEAM,
    OrganisationKind.CORPORATIE, OrganisationKind.POLITIE, OrganisationKind.ZORG,
    OrganisationKind.ONDERWIJS,
})


class Role(models.TextChoices):
    FIELDWORKER = "fieldworker", _("fieldworker")
    COORDINATOR = "coordinator", _("coordinator")
    ANALYST = "analyst", _("analyst")
    RESEARCHER = "researcher", _("researcher")
    ADMINISTRATOR = "administrator", _("administrator")


# Who may see the member list of their own organisation (names and e-mail of colleagues).
ROLES_SEE_MEMBERS = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})
