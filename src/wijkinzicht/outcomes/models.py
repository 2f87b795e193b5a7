"""Programmes, their change model (elements, arrows, versions), roles and visions, indicators and
outcome measurements."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.models import TimeStampedModel

from .constants import ElementKind, ImportState, Moment, PartyRole, ReachMeasure, SourceKind


class Programme(TimeStampedModel):
    """A neighbourhood approach that partners run together, owned by one organisation."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("The organisation that leads the programme and edits its change model."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Name of the programme."))
    description = models.TextField(_("description"), blank=True, help_text=_("What it is about."))
    start_date = models.DateField(_("start date"), help_text=_("First day of the programme."))
    end_date = models.DateField(_("end date"), help_text=_("Last day of the programme."))
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("areas"), related_name="programmes", help_text=_("Where it works.")
    )
    activities = models.ManyToManyField(
        "activities.Activity",
        verbose_name=_("activities"),
        blank=True,
        related_name="programmes",
        help_text=_("Activities (from the activities module) that belong to the programme."),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="programme_period_ordered"
            )
        ]

    def __str__(self):
        return self.name


class ProgrammePartner(TimeStampedModel):
    """A party taking part in a programme, with its role in words (e.g. "financier")."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="partners", help_text=_("The programme.")
    )
    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="programme_partnerships",
        help_text=_("The partner."),
    )
    role = models.CharField(_("role"), max_length=200, blank=True, help_text=_("Its role in the programme."))

    class Meta:
        verbose_name = _("programme partner")
        verbose_name_plural = _("programme partners")
        constraints = [
            models.UniqueConstraint(fields=["programme", "organisation"], name="programme_partner_unique")
        ]

    def __str__(self):
        return f"{self.programme}: {self.organisation}"


class Element(TimeStampedModel):
    """A box of the change model: the goal, an intermediate outcome, an output or an activity."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="elements", help_text=_("The programme.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ElementKind.choices, help_text=_("Layer."))
    title = models.CharField(_("title"), max_length=200, help_text=_("What it is, in a few words."))
    description = models.TextField(_("description"), blank=True, help_text=_("Explanation."))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order within its layer."))
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_model_elements",
        help_text=_("The registered activity this box stands for, if any."),
    )

    class Meta:
        verbose_name = _("change model element")
        verbose_name_plural = _("change model elements")
        ordering = ["programme", "position", "pk"]

    def __str__(self):
        return self.title


class Link(TimeStampedModel):
    """A "leads to" arrow between two elements, with its assumption and rationale."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="links", help_text=_("The programme.")
    )
    source = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="links_out", help_text=_("From (leads to ...).")
    )
    target = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="links_in", help_text=_("To (... is reached by).")
    )
    assumption = models.TextField(_("assumption"), blank=True, help_text=_("What must hold for it to work."))
    rationale = models.TextField(_("rationale"), blank=True, help_text=_("Why we expect it (evidence)."))

    class Meta:
        verbose_name = _("arrow")
        verbose_name_plural = _("arrows")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="link_unique")]


class ModelVersion(models.Model):
    """A snapshot of the whole change model after a change; earlier versions stay readable."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="versions", help_text=_("The programme.")
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("1, 2, 3, ... per programme."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, help_text=_("When."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who made the change."),
    )
    summary = models.CharField(_("change"), max_length=300, help_text=_("What changed."))
    snapshot = models.JSONField(_("snapshot"), help_text=_("Elements and arrows as they were."))

    class Meta:
        verbose_name = _("change model version")
        verbose_name_plural = _("change model versions")
        ordering = ["programme", "-number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="version_unique")]

    def __str__(self):
        return f"{self.programme} v{self.number}"


class OutcomeRole(TimeStampedModel):
    """Agreed division of work: which party is responsible for an outcome, which contribute."""

    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="roles", help_text=_("The outcome.")
    )
    organisation = models.ForeignKey(
        "parties.Organisation", on_delete=models.CASCADE, related_name="+", help_text=_("The party.")
    )
    role = models.CharField(_("role"), max_length=20, choices=PartyRole.choices, help_text=_("Its role."))

    class Meta:
        verbose_name = _("outcome role")
        verbose_name_plural = _("outcome roles")
        constraints = [
            models.UniqueConstraint(fields=["element", "organisation"], name="outcome_role_unique")
        ]


class Vision(TimeStampedModel):
    """One partner's view of one outcome: how important, its own role, who it thinks is responsible."""

    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="visions", help_text=_("The outcome.")
    )
    organisation = models.ForeignKey(
        "parties.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The partner whose view this is."),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (hardly important) to 5 (most important)."),
    )
    own_role = models.CharField(
        _("own role"), max_length=20, choices=PartyRole.choices, help_text=_("The partner's own role.")
    )
    responsible = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("responsible party, in this partner's view"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who this partner thinks is responsible."),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Explanation."))

    class Meta:
        verbose_name = _("vision")
        verbose_name_plural = _("visions")
        constraints = [
            models.UniqueConstraint(fields=["element", "organisation"], name="vision_unique"),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1, priority__lte=5), name="vision_priority"
            ),
        ]


class Indicator(TimeStampedModel):
    """A measurable sign of an outcome, with baseline, target and a live source."""

    element = models.ForeignKey(
        Element, on_delete=models.CASCADE, related_name="indicators", help_text=_("The outcome it measures.")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("What is measured."))
    source = models.CharField(
        _("source"), max_length=20, choices=SourceKind.choices, help_text=_("Where from.")
    )
    area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Area of an area indicator."),
    )
    area_indicator = models.ForeignKey(
        "areas.Indicator",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("CBS indicator of an area indicator."),
    )
    reach_measure = models.CharField(
        _("reach measure"),
        max_length=20,
        choices=ReachMeasure.choices,
        blank=True,
        help_text=_("What is counted over the programme's activities."),
    )
    instrument = models.CharField(
        _("instrument"), max_length=40, blank=True, help_text=_("Instrument key (djg6, djg11, ...).")
    )
    instrument_part = models.CharField(
        _("part"),
        max_length=60,
        blank=True,
        help_text=_("Empty for the total score; a subscale or a ZRM domain otherwise."),
    )
    baseline_value = models.FloatField(_("baseline"), null=True, blank=True, help_text=_("Starting value."))
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True, help_text=_("Date of it."))
    target_value = models.FloatField(_("target"), null=True, blank=True, help_text=_("Value to reach."))
    target_date = models.DateField(_("target date"), null=True, blank=True, help_text=_("When."))
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("Order."))

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["element", "position", "pk"]


class ManualValue(models.Model):
    """A value of a manual series, entered by hand (e.g. from a survey of the partners)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="manual_values", help_text=_("The indicator.")
    )
    date = models.DateField(_("date"), help_text=_("When the value holds."))
    value = models.FloatField(_("value"), help_text=_("The value."))
    note = models.CharField(_("note"), max_length=300, blank=True, help_text=_("Where it comes from."))

    class Meta:
        verbose_name = _("manual value")
        verbose_name_plural = _("manual values")
        ordering = ["indicator", "date"]
        constraints = [models.UniqueConstraint(fields=["indicator", "date"], name="manual_value_unique")]

    def __str__(self):
        return f"{self.indicator_id} {self.date}: {self.value}"


class Questionnaire(TimeStampedModel):
    """A custom Likert questionnaire defined by an administrator of an organisation."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        on_delete=models.PROTECT,
        related_name="questionnaires",
        help_text=_("The organisation that defined it (and may use it)."),
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("Name of the questionnaire."))
    definition = models.JSONField(
        _("definition"),
        help_text=_(
            "lowest, highest, items [{number, text, reverse}], subscales {name: [item numbers]}, "
            "method (mean or sum), min_answered."
        ),
    )

    class Meta:
        verbose_name = _("custom questionnaire")
        verbose_name_plural = _("custom questionnaires")

    def __str__(self):
        return self.name

    @property
    def key(self) -> str:
        return f"q{self.pk}"


class Measurement(TimeStampedModel):
    """One participant's answers to one instrument at one moment, with the scores computed from them."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        on_delete=models.PROTECT,
        related_name="measurements",
        help_text=_("The organisation that measured (and alone sees the person-level record)."),
    )
    participant = models.ForeignKey(
        "activities.Participant",
        on_delete=models.CASCADE,
        related_name="measurements",
        help_text=_("The pseudonymous participant."),
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="measurements",
        help_text=_("The programme the measurement belongs to, if any."),
    )
    instrument = models.CharField(_("instrument"), max_length=40, help_text=_("Instrument key."))
    moment = models.CharField(
        _("moment"), max_length=20, choices=Moment.choices, help_text=_("Which moment.")
    )
    date = models.DateField(_("date"), help_text=_("Day of the measurement."))
    answers = models.JSONField(_("answers"), help_text=_("The answers as given, per item."))
    score = models.FloatField(_("score"), null=True, blank=True, help_text=_("Total, empty where missing."))
    parts = models.JSONField(
        _("part scores"), default=dict, help_text=_("Subscales or domains, empty where missing.")
    )
    category = models.CharField(
        _("category"), max_length=60, blank=True, help_text=_("Category of the total.")
    )

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["-date", "pk"]
        indexes = [
            models.Index(fields=["programme", "instrument", "date"], name="measurement_programme"),
            # covers the ordered read that pairs each person's measurements (selectors._pairs)
            models.Index(
                fields=["programme", "instrument", "participant", "date", "id", "moment", "score"],
                name="measurement_pairing",
            ),
            # the latest change of a programme's measurements, part of the stamp of cached figures
            models.Index(fields=["programme", "updated_at"], name="measurement_changed"),
            models.Index(fields=["participant", "instrument", "date"], name="measurement_person"),
        ]


# --- summaries of a programme's measurements, kept up to date on every write (outcomes/summaries.py) ---


class SummaryState(models.Model):
    """Which measurements a programme's summaries stand for: the stamp of its measurements when the
    summaries were last brought up to date."""

    programme = models.OneToOneField(
        Programme,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="summary_state",
        help_text=_("The programme."),
    )
    stamp = models.CharField(
        _("stamp"), max_length=200, help_text=_("Number, highest id and latest change of its measurements.")
    )
    generation = models.CharField(
        _("generation"), max_length=32, blank=True, help_text=_("New with every rebuild of the summaries.")
    )
    versions = models.JSONField(
        _("versions"),
        default=dict,
        help_text=_("Per instrument measured: new with every write of its measurements."),
    )

    class Meta:
        verbose_name = _("summary state")
        verbose_name_plural = _("summary states")

    def __str__(self):
        return f"{self.programme_id}: {self.stamp}"


class YearFigure(models.Model):
    """Per instrument, part and calendar year: the values of a programme's measurements summed, and
    the number of people with a value (the yearly mean of an instrument indicator)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="year_figures",
        db_index=False,  # the unique constraint's index starts with it
        help_text=_("The programme."),
    )
    instrument = models.CharField(_("instrument"), max_length=40, help_text=_("Instrument key."))
    part = models.CharField(
        _("part"), max_length=60, blank=True, help_text=_("Subscale or domain; empty for the total score.")
    )
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Calendar year of the measurements."))
    count = models.PositiveIntegerField(_("number of values"), help_text=_("Measurements with a value."))
    total = models.FloatField(_("sum"), help_text=_("Sum of their values."))
    people = models.PositiveIntegerField(_("people"), help_text=_("People with a value that year."))

    class Meta:
        verbose_name = _("year figure")
        verbose_name_plural = _("year figures")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument", "part", "year"], name="year_figure_unique"
            )
        ]

    def __str__(self):
        return f"{self.programme_id} {self.instrument} {self.part} {self.year}: {self.count}"


class PersonPair(models.Model):
    """Per instrument and person: the score of their first intake and of their last measurement on a
    later date (the default pairing of the outcome results). The participant and measurement are
    plain ids, not foreign keys: a summary row needs no constraint of its own (a deleted measurement
    or participant changes the stamp, and the next read rebuilds the pairs), and the constraints'
    checks and indexes made a rebuild of 100,000 pairs 2 s slower on PostgreSQL."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="person_pairs",
        db_index=False,  # the unique constraint's index starts with it
        help_text=_("The programme."),
    )
    instrument = models.CharField(_("instrument"), max_length=40, help_text=_("Instrument key."))
    participant_id = models.BigIntegerField(_("participant"), help_text=_("Id of the participant."))
    first_id = models.BigIntegerField(_("intake measurement"), help_text=_("Id of the first intake."))
    first_score = models.FloatField(_("score at intake"), help_text=_("Score of the first intake."))
    last_score = models.FloatField(_("last score"), help_text=_("Score of the last later measurement."))

    class Meta:
        verbose_name = _("person pair")
        verbose_name_plural = _("person pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "instrument", "participant_id"], name="person_pair_unique"
            )
        ]
        indexes = [
            # covers the ordered read of a programme's pairs (selectors._stored_pairs)
            models.Index(
                fields=["programme", "instrument", "first_id", "first_score", "last_score"],
                name="person_pair_read",
            )
        ]

    def __str__(self):
        return f"{self.instrument} {self.participant_id}: {self.first_score} → {self.last_score}"


class MeasurementImport(models.Model):
    """A measurement file too large to import in the web request: stored, imported by a background
    job (core.jobs), all or nothing like a small file. The file is dropped once the job is done."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="measurement_imports",
        help_text=_("The organisation the measurements are imported into."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("Who uploaded the file."),
    )
    instrument = models.CharField(_("instrument"), max_length=40, help_text=_("Instrument key."))
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The programme the measurements belong to, if any."),
    )
    filename = models.CharField(_("file name"), max_length=255, help_text=_("Name of the uploaded file."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Checksum of the uploaded file."))
    state = models.CharField(
        _("status"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED,
        help_text=_("Where the import stands."),
    )
    created = models.DateTimeField(_("uploaded"), auto_now_add=True, help_text=_("When it was uploaded."))
    finished = models.DateTimeField(_("finished"), null=True, blank=True, help_text=_("When it ended."))
    imported = models.PositiveIntegerField(_("imported"), default=0, help_text=_("Measurements written."))
    problems = models.JSONField(
        _("problems"), default=list, blank=True, help_text=_("Why nothing was imported, per row.")
    )
    job_id = models.CharField(_("job"), max_length=64, blank=True, help_text=_("Id of the background job."))
    data = models.BinaryField(_("file"), null=True, help_text=_("The file, until it is imported."))

    class Meta:
        verbose_name = _("measurement import")
        verbose_name_plural = _("measurement imports")

    def __str__(self):
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def waiting(self) -> bool:
        return self.state in (ImportState.QUEUED, ImportState.RUNNING)
