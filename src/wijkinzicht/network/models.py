"""Parties (the foundation's organisations and informal parties without users) and the ties
between them, with their history appended, never edited away."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.models import TimeStampedModel
from wijkinzicht.parties.constants import FORMAL_KINDS, OrganisationKind

from .constants import TieAction, TieKind, TieOrigin


class Party(TimeStampedModel):
    """A party in a neighbourhood's network: an organisation of the foundation, or an informal
    party without users (a resident initiative, buurtvaders, a mosque, a sports club)."""

    name = models.CharField(_("name"), max_length=200, help_text=_("The name people know it by."))
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=OrganisationKind.choices,
        help_text=_("Kind of party; determines whether it is formal or informal."),
    )
    organisation = models.OneToOneField(
        "parties.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="network_party",
        help_text=_("The organisation of the foundation this party is, if any."),
    )
    added_by = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation that added this informal party."),
    )
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas served"),
        blank=True,
        related_name="+",
        help_text=_("Buurten, wijken or gemeenten where the party works."),
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("How to reach the party (public: an address, a website, a phone)."),
    )
    description = models.TextField(
        _("description"), blank=True, max_length=2000, help_text=_("What the party does (public).")
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        help_text=_("The party this one turned out to be; its ties moved there."),
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_formal(self) -> bool:
        return self.kind in FORMAL_KINDS


class Tie(TimeStampedModel):
    """Two parties work together (or one refers to or funds the other). A tie is ended, never
    deleted; what happened to it is in its events."""

    source = models.ForeignKey(
        Party,
        verbose_name=_("from"),
        on_delete=models.PROTECT,
        related_name="ties_out",
        help_text=_("One end; the giver for a referral or funding."),
    )
    target = models.ForeignKey(
        Party,
        verbose_name=_("to"),
        on_delete=models.PROTECT,
        related_name="ties_in",
        help_text=_("The other end; the receiver for a referral or funding."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=TieKind.choices, help_text=_("What the tie is.")
    )
    directed = models.BooleanField(
        _("directed"), default=False, help_text=_("From the first party to the second (referral, funding).")
    )
    strength = models.PositiveSmallIntegerField(
        _("strength"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 occasional, 2 regular, 3 close."),
    )
    since = models.DateField(_("since"), help_text=_("First day of the tie."))
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("First day without the tie; empty while it lasts.")
    )
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas"),
        blank=True,
        related_name="+",
        help_text=_("Where the two work together."),
    )
    origin = models.CharField(
        _("origin"),
        max_length=20,
        choices=TieOrigin.choices,
        default=TieOrigin.DECLARED,
        help_text=_("Declared by a party, or derived from records."),
    )
    declared_by = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("declared by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation that declared the tie."),
    )
    note = models.TextField(
        _("private note"),
        blank=True,
        max_length=2000,
        help_text=_("Seen only by the organisation that declared the tie."),
    )

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        ordering = ["-since", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="tie_two_parties"),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True) | models.Q(until__gt=models.F("since")),
                name="tie_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} – {self.target} ({self.get_kind_display()})"

    def last_answer(self) -> str | None:
        """The other end's last answer, confirmed or disputed; None while it has not answered.
        Reads the events as prefetched."""
        answers = [
            e.action for e in self.events.all() if e.action in (TieAction.CONFIRMED, TieAction.DISPUTED)
        ]
        return answers[-1] if answers else None


class TieEvent(models.Model):
    """One thing that happened to a tie; appended, never changed."""

    tie = models.ForeignKey(
        Tie,
        verbose_name=_("tie"),
        on_delete=models.CASCADE,
        related_name="events",
        help_text=_("The tie it happened to."),
    )
    action = models.CharField(
        _("action"), max_length=20, choices=TieAction.choices, help_text=_("What happened.")
    )
    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("by organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organisation that did it."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who did it."),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, help_text=_("When it was recorded."))
    state = models.JSONField(_("state"), default=dict, help_text=_("The tie's fields after the event."))
    note = models.CharField(_("note"), max_length=500, blank=True, help_text=_("Why, in a few words."))

    class Meta:
        verbose_name = _("tie event")
        verbose_name_plural = _("tie events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.tie_id} {self.action}"
