"""Field signals (module 5): what professionals notice in a neighbourhood, the managed list of
themes, bundles of similar signals across organisations, the municipality's answers to a bundle
(appended, never edited), and the versions of the theme classifier."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.activities.constants import TargetGroup
from wijkinzicht.core.disclosure import new_record_key
from wijkinzicht.core.models import AppendOnlyModel, TimeStampedModel

from .constants import Novelty, ResponseKind, Urgency


class Theme(models.Model):
    """A theme of the managed list. The key is stable: signals, bundles and classifier versions
    refer to it, so a name can change without breaking anything."""

    key = models.SlugField(
        _("key"), max_length=50, unique=True, help_text=_("Stable key; never changes once in use.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Dutch name shown in the product."))
    name_en = models.CharField(_("English name"), max_length=100, blank=True, help_text=_("English name."))
    description = models.CharField(
        _("description"), max_length=300, blank=True, help_text=_("What belongs to this theme.")
    )
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("The theme's lexicon: one word or phrase per line; suggests the theme from day one."),
    )
    activity_themes = models.CharField(
        _("activity themes"),
        max_length=200,
        blank=True,
        help_text=_(
            "Theme codes of activities that answer to it, comma separated (links the report to them)."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0, help_text=_("Position in lists."))
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Offered for new signals."))

    class Meta:
        verbose_name = _("signal theme")
        verbose_name_plural = _("signal themes")
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]

    def activity_theme_list(self) -> list[str]:
        return [code.strip() for code in self.activity_themes.split(",") if code.strip()]

    def display_name(self, language: str | None = None) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Bundle(TimeStampedModel):
    """Similar signals of one or more organisations: one theme, one wijk, signals no more than
    BUNDLE_GAP_DAYS apart (decision 0025)."""

    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="bundles",
        help_text=_("The main theme of the bundled signals."),
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The wijk the signals are about."),
    )
    first_on = models.DateField(_("first signal"), help_text=_("Date of the earliest signal."))
    last_on = models.DateField(_("last signal"), help_text=_("Date of the latest signal."))

    class Meta:
        verbose_name = _("bundle of signals")
        verbose_name_plural = _("bundles of signals")
        ordering = ["-last_on", "pk"]
        indexes = [models.Index(fields=["area", "theme", "last_on"], name="bundle_area_theme_last")]

    def __str__(self) -> str:
        return f"{self.theme} – {self.area} ({self.first_on} – {self.last_on})"


class Signal(TimeStampedModel):
    """What a professional noticed about a neighbourhood — never about a person."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="signals",
        help_text=_("The organisation that reported the signal."),
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The professional who reported it."),
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The buurt or wijk the signal is about."),
    )
    observed_on = models.DateField(_("date"), help_text=_("When it was noticed."))
    text = models.TextField(
        _("what was noticed"),
        max_length=2000,
        help_text=_("About the neighbourhood, never about a person: no names, addresses or numbers."),
    )
    themes = models.ManyToManyField(
        Theme,
        verbose_name=_("themes"),
        related_name="signals",
        help_text=_("Themes, as confirmed by the reporter."),
    )
    main_theme = models.ForeignKey(
        Theme,
        verbose_name=_("main theme"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The theme the signal is mostly about; it decides the bundle."),
    )
    target_group = models.CharField(
        _("target group"),
        max_length=30,
        choices=TargetGroup.choices,
        default=TargetGroup.EVERYONE,
        help_text=_("Whom it concerns."),
    )
    urgency = models.CharField(
        _("urgency"),
        max_length=10,
        choices=Urgency.choices,
        default=Urgency.NORMAL,
        help_text=_("How soon something should happen."),
    )
    novelty = models.CharField(
        _("new or continuing"),
        max_length=12,
        choices=Novelty.choices,
        default=Novelty.NEW,
        help_text=_("Whether this is new or has been going on."),
    )
    personal_data_flags = models.JSONField(
        _("personal-data findings kept"),
        default=list,
        blank=True,
        help_text=_(
            "Findings of the personal-data check the reporter declared not to be personal data; such a "
            "text is never quoted, shared or used for training."
        ),
    )
    quotable = models.BooleanField(
        _("may be quoted"),
        default=False,
        help_text=_("Reviewed by a coordinator: the text may be quoted in the signal report."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who reviewed the text for quoting."),
    )
    suggestions = models.JSONField(
        _("suggested themes"),
        default=list,
        blank=True,
        help_text=_("What the classifier suggested when the signal was entered: theme key and confidence."),
    )
    classifier_version = models.PositiveIntegerField(
        _("classifier version"),
        null=True,
        blank=True,
        help_text=_("The classifier version that made the suggestions (none: the lexicon)."),
    )
    bundle = models.ForeignKey(
        Bundle,
        verbose_name=_("bundle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
        help_text=_("The bundle of similar signals it belongs to."),
    )
    record_key = models.BigIntegerField(
        _("record key"),
        default=new_record_key,
        editable=False,
        help_text=_("Permanent random key for disclosure control (cell-key method, core.disclosure)."),
    )

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-observed_on", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "observed_on"], name="signal_org_date"),
            models.Index(fields=["area", "observed_on"], name="signal_area_date"),
        ]

    def __str__(self) -> str:
        return f"{self.observed_on} {self.area_id}: {self.text[:40]}"

    @property
    def shareable(self) -> bool:
        """Whether the text may leave the organisation (quotes) or train the classifier."""
        return not self.personal_data_flags


class BundleResponse(AppendOnlyModel):
    """The municipality's answer to a bundle. Appended, never edited: a new answer follows the old."""

    bundle = models.ForeignKey(
        Bundle,
        verbose_name=_("bundle"),
        on_delete=models.PROTECT,
        related_name="responses",
        help_text=_("The bundle answered."),
    )
    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The municipality that answered."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who recorded the answer."),
    )
    kind = models.CharField(
        _("answer"), max_length=20, choices=ResponseKind.choices, help_text=_("What the municipality does.")
    )
    text = models.TextField(
        _("explanation"),
        max_length=2000,
        help_text=_("What is done, or why nothing is done."),
    )
    created_at = models.DateTimeField(
        _("recorded at"), auto_now_add=True, help_text=_("When it was recorded.")
    )

    class Meta:
        verbose_name = _("answer to a bundle")
        verbose_name_plural = _("answers to bundles")
        ordering = ["bundle", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.bundle_id}: {self.kind}"


class ClassifierVersion(models.Model):
    """One trained version of the theme classifier. One version is active; rolling back makes an
    earlier one active again. The model itself is a numpy archive without pickles."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("training")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    version = models.PositiveIntegerField(_("version"), unique=True, help_text=_("1, 2, 3, ..."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        help_text=_("Where the training stands."),
    )
    is_active = models.BooleanField(
        _("active"), default=False, help_text=_("The version that suggests themes.")
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When training was asked.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who asked for the training."),
    )
    rows = models.PositiveIntegerField(_("signals used"), default=0, help_text=_("Signals it learnt from."))
    model = models.BinaryField(
        _("model"), null=True, blank=True, editable=False, help_text=_("The model archive.")
    )
    report = models.JSONField(
        _("report"),
        default=dict,
        blank=True,
        help_text=_("Cross-validated figures per theme, beside the lexicon and the majority class."),
    )
    error = models.CharField(_("error"), max_length=500, blank=True, help_text=_("Why training failed."))
    job_id = models.CharField(_("job"), max_length=64, blank=True, help_text=_("The background job."))

    class Meta:
        verbose_name = _("classifier version")
        verbose_name_plural = _("classifier versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="one_active_classifier"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"
