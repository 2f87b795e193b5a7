"""Organisations (the tenants) and the membership of people in them, with a role."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.models import TimeStampedModel

from .constants import FORMAL_KINDS, OrganisationKind, Role


class Organisation(TimeStampedModel):
    """A party that works in neighbourhoods and owns the records it registers."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Full name."))
    kind = models.CharField(
        _("kind"), max_length=30, choices=OrganisationKind.choices,
        help_text=_("Kind of party; determines whether it is formal or informal."),
    )
    areas_served = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas served"), blank=True, related_name="organisations",
        help_text=_("Gemeenten, wijken or buurten where the organisation works."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("Public website."))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_formal(self) -> bool:
        return self.kind in FORMAL_KINDS


class Membership(TimeStampedModel):
    """A user works for an organisation in a role; one user may have several memberships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="memberships", help_text=_("The person."),
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="memberships", help_text=_("The organisation the person works for."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, help_text=_("What the person may do.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive memberships give no access.")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"],
                                    name="membership_unique_user_organisation_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"
