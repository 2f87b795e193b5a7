"""Activities, their meetings and attendance, pseudonymous participants and import batches."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.core.disclosure import new_record_key
from wijkinzicht.core.models import TimeStampedModel

from .constants import (
    ActivityKind,
    Frequency,
    Gender,
    ImportKind,
    ImportMode,
    ImportStatus,
    TargetGroup,
    Theme,
)


def _split(value: str) -> list[str]:
    return [v for v in value.strip(",").split(",") if v]


class Activity(TimeStampedModel):
    """Something an organisation offers or does in a neighbourhood, once or recurring."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("The organisation that runs the activity and owns its records."),
    )
    partners = models.ManyToManyField(
        "parties.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="partner_activities",
        help_text=_("Registered organisations that take part."),
    )
    informal_partners = models.CharField(
        _("other partners"),
        max_length=300,
        blank=True,
        help_text=_("Partners that are not registered, e.g. a residents' group, separated by commas."),
    )
    code = models.CharField(
        _("code"),
        max_length=60,
        help_text=_("The organisation's own identifier, used to match imports; unique per organisation."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("Short name residents recognise."))
    description = models.TextField(_("description"), blank=True, help_text=_("What happens, for whom."))
    kind = models.CharField(
        _("type"),
        max_length=30,
        choices=ActivityKind.choices,
        help_text=_("Type of activity or intervention."),
    )
    themes = models.CharField(
        _("themes"), max_length=300, blank=True, help_text=_("Theme codes, stored as ',a,b,'.")
    )
    target_groups = models.CharField(
        _("target groups"), max_length=300, blank=True, help_text=_("Target group codes, stored as ',a,b,'.")
    )
    resident_led = models.BooleanField(
        _("resident-led"),
        default=False,
        help_text=_("Run by residents themselves rather than by professionals."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True, help_text=_("First day."))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Last day, if known."))
    frequency = models.CharField(
        _("frequency"),
        max_length=20,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        help_text=_("How often it takes place."),
    )
    weekdays = models.CharField(
        _("days of the week"),
        max_length=7,
        blank=True,
        help_text=_("ISO weekday numbers, Monday = 1, e.g. '24'."),
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True, help_text=_("Usual start."))
    end_time = models.TimeField(_("end time"), null=True, blank=True, help_text=_("Usual end."))
    location_name = models.CharField(
        _("location"), max_length=200, blank=True, help_text=_("Name of the place, e.g. a community centre.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True, help_text=_("Street and number."))
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        db_index=True,
        help_text=_("Dutch postcode, stored as '1234AB'."),
    )
    city = models.CharField(_("place"), max_length=100, blank=True, help_text=_("Town or city."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True, help_text=_("WGS84."))
    longitude = models.FloatField(_("longitude"), null=True, blank=True, help_text=_("WGS84."))
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas"),
        blank=True,
        related_name="activities",
        help_text=_("Buurten or wijken where the activity takes place or that it serves."),
    )
    gemeente = models.ForeignKey(
        "areas.Area",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Gemeente of the areas, derived when the activity is saved."),
    )
    cost = models.CharField(
        _("cost"), max_length=120, blank=True, help_text=_("What a participant pays, e.g. '€ 2 per time'.")
    )
    is_free = models.BooleanField(
        _("free of charge"), default=False, help_text=_("Participation costs nothing.")
    )
    accessibility = models.CharField(
        _("accessibility"),
        max_length=300,
        blank=True,
        help_text=_("E.g. wheelchair accessible, hearing loop, language support."),
    )
    wheelchair_accessible = models.BooleanField(
        _("wheelchair accessible"),
        default=False,
        help_text=_("The location can be reached in a wheelchair."),
    )
    contact_name = models.CharField(
        _("contact person"), max_length=120, blank=True, help_text=_("Name shown on the sociale kaart.")
    )
    contact_phone = models.CharField(_("telephone"), max_length=30, blank=True, help_text=_("Public number."))
    contact_email = models.EmailField(_("e-mail"), blank=True, help_text=_("Public address."))
    website = models.URLField(_("website"), blank=True, help_text=_("Page with more information."))
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Shown on the public sociale kaart."),
    )
    search_text = models.TextField(
        _("search text"),
        blank=True,
        editable=False,
        help_text=_("Lower-case title, description, location and organisation, for free-text search."),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="activity_unique_code"),
        ]
        indexes = [models.Index(fields=["is_published", "title"]), models.Index(fields=["gemeente"])]

    def __str__(self) -> str:
        return self.title

    @property
    def theme_list(self) -> list[str]:
        return _split(self.themes)

    @property
    def target_group_list(self) -> list[str]:
        return _split(self.target_groups)

    @property
    def weekday_list(self) -> list[int]:
        return [int(d) for d in self.weekdays]

    def get_theme_labels(self) -> list[str]:
        return [str(Theme(t).label) for t in self.theme_list if t in Theme.values]

    def get_target_group_labels(self) -> list[str]:
        return [str(TargetGroup(t).label) for t in self.target_group_list if t in TargetGroup.values]


def record_key_field() -> models.BigIntegerField:
    """A record's permanent random key for the cell-key method (core.disclosure, decision 0014):
    participants, meetings and attendance rows each carry one."""
    return models.BigIntegerField(
        _("record key"),
        default=new_record_key,
        editable=False,
        help_text=_("Permanent random key for disclosure control (cell-key method, core.disclosure)."),
    )


class Participant(TimeStampedModel):
    """A resident known to one organisation by a pseudonym the organisation chooses; never a BSN."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="participants",
        help_text=_("The organisation that registered the participant."),
    )
    pseudonym = models.CharField(
        _("participant id"),
        max_length=40,
        help_text=_("The organisation's own id for this person; not a name, not a BSN."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900)],
        help_text=_("For age groups in the reach figures."),
    )
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True, help_text=_("Optional.")
    )
    home_buurt = models.ForeignKey(
        "areas.Area",
        verbose_name=_("home buurt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The buurt where the person lives, for the reach per buurt."),
    )
    consent = models.BooleanField(
        _("consent"),
        default=False,
        help_text=_("The person agreed to being registered for this purpose."),
    )
    consent_date = models.DateField(
        _("consent date"), null=True, blank=True, help_text=_("When consent was given.")
    )
    record_key = record_key_field()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pseudonym"], name="participant_unique_pseudonym"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym


class Meeting(TimeStampedModel):
    """One session of an activity on one day: anonymous count, volunteers and hours."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="meetings",
        help_text=_("The activity."),
    )
    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Owner, the activity's lead organisation (kept here for fast scoping)."),
    )
    date = models.DateField(_("date"), help_text=_("Day of the meeting; not in the future."))
    anonymous_count = models.PositiveIntegerField(
        _("attendees counted anonymously"),
        default=0,
        help_text=_("People present who are not registered as participants."),
    )
    volunteers = models.PositiveIntegerField(
        _("volunteers"), default=0, help_text=_("Number of volunteers who helped.")
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(10000)],
        help_text=_("Hours of all volunteers together."),
    )
    professional_hours = models.DecimalField(
        _("professional hours"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(10000)],
        help_text=_("Hours of paid staff together."),
    )
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("Short remark; no personal details.")
    )
    record_key = record_key_field()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="meeting_unique_activity_date")
        ]
        indexes = [models.Index(fields=["organisation", "date"])]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%d-%m-%Y}"


class Attendance(models.Model):
    """A registered participant was present at a meeting (date and activity copied for fast reports)."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendances",
        help_text=_("The meeting."),
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendances",
        help_text=_("Who was present."),
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Copy of the meeting's activity."),
    )
    date = models.DateField(_("date"), help_text=_("Copy of the meeting's date."))
    record_key = record_key_field()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "participant"], name="attendance_unique"),
        ]
        # the reach report reads attendance per meeting (activity, date, with the record keys) and
        # per pair (activity, participant); both indexes cover their query, so no table row is read
        indexes = [
            models.Index(
                fields=["activity", "date", "participant", "record_key"], name="attendance_per_meeting"
            ),
            models.Index(fields=["activity", "participant", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.meeting_id}"


class ImportBatch(models.Model):
    """One uploaded file: what was imported, which rows were rejected and why."""

    organisation = models.ForeignKey(
        "parties.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The organisation the rows were imported for."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who imported the file."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ImportKind.choices, help_text=_("What the file holds.")
    )
    mode = models.CharField(
        _("mode"),
        max_length=20,
        choices=ImportMode.choices,
        help_text=_("What happens when some rows are bad."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, help_text=_("Outcome.")
    )
    filename = models.CharField(_("file name"), max_length=255, help_text=_("Name of the uploaded file."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Checksum of the file."))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True, help_text=_("When."))
    rows_total = models.PositiveIntegerField(_("rows"), default=0, help_text=_("Data rows in the file."))
    rows_created = models.PositiveIntegerField(_("rows added"), default=0, help_text=_("New records."))
    rows_updated = models.PositiveIntegerField(
        _("rows updated"), default=0, help_text=_("Existing records changed or already present.")
    )
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0, help_text=_("Bad rows."))
    errors = models.JSONField(
        _("errors"), default=list, help_text=_("Row, column and reason of each rejected row (first 1,000).")
    )
    rejected_file = models.TextField(
        _("rejected rows"),
        blank=True,
        help_text=_("The rejected rows as CSV with a column giving the reason."),
    )
    message = models.TextField(
        _("message"), blank=True, help_text=_("Why the file as a whole could not be read.")
    )
    job_id = models.CharField(
        _("job"), max_length=64, blank=True, help_text=_("The background job that imports a large file.")
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_kind_display()})"


class ImportUpload(models.Model):
    """A large uploaded file waiting for its background job; deleted once imported."""

    batch = models.OneToOneField(
        ImportBatch,
        verbose_name=_("import"),
        on_delete=models.CASCADE,
        related_name="upload",
        help_text=_("The import the file belongs to."),
    )
    data = models.BinaryField(_("file"), help_text=_("The file as uploaded."))

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")

    def __str__(self) -> str:
        return str(self.batch)
