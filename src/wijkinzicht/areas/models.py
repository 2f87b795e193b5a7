"""Areas of the CBS hierarchy, indicators and yearly observations."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.models import TimeStampedModel

from .constants import AreaLevel, Direction, ImportStatus, ObservationStatus


class Area(TimeStampedModel):
    """A CBS area: land, gemeente, wijk or buurt, identified by its CBS code."""

    code = models.CharField(
        _("code"), max_length=10, unique=True,
        help_text=_("CBS code such as GM0363, WK036305 or BU03630500."),
    )
    level = models.CharField(
        _("level"), max_length=10, choices=AreaLevel.choices, db_index=True,
        help_text=_("Level in the CBS hierarchy, derived from the code."),
    )
    name = models.CharField(
        _("name"), max_length=200, blank=True,
        help_text=_("Name as published by CBS in the most recent imported year."),
    )
    search_name = models.CharField(
        _("search key"), max_length=200, blank=True, db_index=True, editable=False,
        help_text=_("The name without accents, case and punctuation (constants.search_key)."),
    )
    name_year = models.PositiveSmallIntegerField(
        _("year of name"), null=True, blank=True,
        help_text=_("Year of the file the name was taken from; newer files win."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
        help_text=_("The wijk of a buurt, the gemeente of a wijk, the country of a gemeente."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("first year"), null=True, blank=True,
        help_text=_("First year of the CBS area division in which this code occurs."),
    )
    last_year = models.PositiveSmallIntegerField(
        _("last year"), null=True, blank=True,
        help_text=_("Last year of the CBS area division in which this code occurs."),
    )
    geometry = models.TextField(
        _("boundary"), blank=True,
        help_text=_("Boundary as a GeoJSON geometry in WGS84 (simplified for display)."),
    )

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "level"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        return self.name or self.code

    @property
    def years_label(self) -> str:
        if self.first_year is None:
            return ""
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"


class Indicator(models.Model):
    """A neighbourhood figure with a stable key, whatever CBS calls the column in a given year."""

    key = models.SlugField(
        _("key"), max_length=60, unique=True,
        help_text=_("Stable identifier, e.g. population or woz_mean."),
    )
    label_nl = models.CharField(_("Dutch label"), max_length=200, help_text=_("Label in Dutch."))
    label_en = models.CharField(_("English label"), max_length=200, help_text=_("Label in English."))
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("Unit, e.g. 'aantal', '%' or 'x 1 000 euro'.")
    )
    category = models.CharField(
        _("category"), max_length=40, help_text=_("Theme such as population, housing, income.")
    )
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.NEUTRAL,
        help_text=_("Whether a higher value is better, worse or neither for residents."),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), default=0, help_text=_("Number of decimals to show.")
    )
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Publisher and table of the figures.")
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Position in lists and profiles.")
    )
    is_key_figure = models.BooleanField(
        _("key figure"), default=False, help_text=_("Shown on every area profile.")
    )

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_order", "key"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "nl").startswith("en") else self.label_nl

    @property
    def own_reference_period(self) -> bool:
        """Whether CBS's KWB edition of a year reports this figure for another reference date or
        reporting year (income, benefits, crime, WOZ value): said beside the figure."""
        return self.category in ("inkomen", "sociale zekerheid", "veiligheid") or self.key == "woz_mean"


class ImportRun(models.Model):
    """One applied import of a CBS file: what it changed and what it did not understand."""

    filename = models.CharField(_("file name"), max_length=255, help_text=_("Name of the imported file."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Checksum of the file."))
    kind = models.CharField(
        _("kind"), max_length=20, default="kwb", help_text=_("kwb, boundaries, names or crosswalk.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, help_text=_("Outcome of the run.")
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True, help_text=_("When."))
    report = models.JSONField(_("report"), default=dict, help_text=_("Counts and warnings."))

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d %H:%M})"


class Observation(models.Model):
    """The value of one indicator for one area in one year (the year of the area division)."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="observations",
        help_text=_("The area the figure describes."),
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT,
        related_name="observations", help_text=_("What was measured."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("KWB year: the year of the area division.")
    )
    value = models.FloatField(
        _("value"), null=True, blank=True,
        help_text=_("The published value; empty when CBS published '.' (unknown or secret)."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ObservationStatus.choices,
        default=ObservationStatus.KNOWN, help_text=_("Known, or unknown/secret.")
    )
    source_run = models.ForeignKey(
        ImportRun, verbose_name=_("import run"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", help_text=_("The import that set the value."),
    )

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "year"], name="observation_unique_area_indicator_year"
            ),
            models.CheckConstraint(
                condition=(models.Q(status="known", value__isnull=False)
                           | models.Q(status="secret", value__isnull=True)),
                name="observation_value_matches_status",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self) -> str:
        return f"{self.area_id} {self.indicator_id} {self.year}"


class AreaLink(models.Model):
    """Lineage: part of a predecessor area went to a successor when CBS re-coded or re-divided
    (Amsterdam's 2023 re-coding, a gemeente merger). `share` is the part of the predecessor that
    passed (1.0: all of it). Written by `wijkinzicht import-crosswalk` (docs/areas.md); a wijk's
    and gemeente's links follow from their buurten's (areas.services.crosswalk_import)."""

    predecessor = models.ForeignKey(
        Area, verbose_name=_("predecessor"), on_delete=models.CASCADE, related_name="successor_links",
        help_text=_("The area before the change."),
    )
    successor = models.ForeignKey(
        Area, verbose_name=_("successor"), on_delete=models.CASCADE, related_name="predecessor_links",
        help_text=_("The area after the change."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), help_text=_("First year of the area division with the successor."),
    )
    share = models.FloatField(
        _("share"), help_text=_("Part of the predecessor that passed to the successor, 0 to 1."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True, help_text=_("File or rule."))
    kind = models.CharField(
        _("kind"), max_length=10, default="recode", choices=[
            ("recode", _("new code or new area (re-coding, merger into a new gemeente)")),
            ("absorbed", _("taken in by an area that kept its code")),
        ],
        help_text=_("An absorbed area does not make its successor's series a sum: the successor "
                    "covers a larger area from the year on."),
    )

    class Meta:
        verbose_name = _("area link")
        verbose_name_plural = _("area links")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="area_link_unique"),
            models.CheckConstraint(condition=models.Q(share__gt=0) & models.Q(share__lte=1),
                                   name="area_link_share_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} -> {self.successor_id} ({self.share:.2f})"
