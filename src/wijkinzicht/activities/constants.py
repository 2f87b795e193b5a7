"""Choices of the activities module: kinds, themes, target groups, schedules, import kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    BUURTHUIS = "buurthuis", _("community centre programme")
    OPBOUWWERK = "opbouwwerk", _("community development (opbouwwerk)")
    JONGERENWERK = "jongerenwerk", _("youth work (jongerenwerk)")
    BUURTBEMIDDELING = "buurtbemiddeling", _("neighbour mediation (buurtbemiddeling)")
    COMMUNITY_BUILDING = "community_building", _("community building")
    MAATSCHAPPELIJK_WERK = "maatschappelijk_werk", _("social work (maatschappelijk werk)")
    VRIJWILLIGERSWERK = "vrijwilligerswerk", _("volunteering")
    BEWONERSINITIATIEF = "bewonersinitiatief", _("resident initiative")
    OTHER = "other", _("other")


class Theme(models.TextChoices):
    LONELINESS = "eenzaamheid", _("loneliness")
    POVERTY = "armoede", _("poverty and debts")
    YOUTH = "jeugd", _("youth")
    HEALTH = "gezondheid", _("health")
    SAFETY = "veiligheid", _("safety")
    PARTICIPATION = "participatie", _("participation")
    LANGUAGE = "taal", _("language")
    HOUSING = "wonen", _("housing")
    MEETING = "ontmoeting", _("meeting people")
    EXERCISE = "bewegen", _("sport and exercise")
    PARENTING = "opvoeding", _("parenting")
    WORK = "werk", _("work and income")


class TargetGroup(models.TextChoices):
    EVERYONE = "iedereen", _("everyone")
    CHILDREN = "kinderen", _("children (0-11)")
    YOUTH = "jongeren", _("young people (12-23)")
    PARENTS = "ouders", _("parents")
    ADULTS = "volwassenen", _("adults")
    ELDERLY = "ouderen", _("older people (65+)")
    WOMEN = "vrouwen", _("women")
    NEWCOMERS = "nieuwkomers", _("newcomers and status holders")
    CARERS = "mantelzorgers", _("informal carers")
    DISABILITY = "beperking", _("people with a disability")


class Frequency(models.TextChoices):
    WEEKLY = "wekelijks", _("every week")
    BIWEEKLY = "tweewekelijks", _("every two weeks")
    MONTHLY = "maandelijks", _("every month")
    ONCE = "eenmalig", _("once")
    IRREGULAR = "onregelmatig", _("irregular / on appointment")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class Gender(models.TextChoices):
    WOMAN = "v", _("woman")
    MAN = "m", _("man")
    OTHER = "x", _("other")


class ImportKind(models.TextChoices):
    ACTIVITIES = "activities", _("activities")
    PARTICIPANTS = "participants", _("participants")
    MEETINGS = "meetings", _("meetings")
    ATTENDANCE = "attendance", _("attendance")


class ImportMode(models.TextChoices):
    KEEP_VALID = "keep_valid", _("keep the valid rows, report the bad ones")
    ALL_OR_NOTHING = "all_or_nothing", _("import nothing if any row is bad")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to be imported")
    RUNNING = "running", _("being imported")
    FAILED = "failed", _("the file could not be read")
    IMPORTED = "imported", _("imported")
    PARTIAL = "partial", _("imported, some rows rejected")
    REJECTED = "rejected", _("nothing imported")


# Age groups of the reach report: the CBS population indicators they are divided by.
AGE_GROUPS = (
    ("0-14", 0, 14, "age_0_15"),
    ("15-24", 15, 24, "age_15_25"),
    ("25-44", 25, 44, "age_25_45"),
    ("45-64", 45, 64, "age_45_65"),
    ("65+", 65, 200, "age_65_plus"),
)

# Who may create activities, register meetings and participants and import files; every member
# of the organisation may read its records and reports.
REGISTER_ROLES = {"fieldworker", "coordinator", "administrator"}
