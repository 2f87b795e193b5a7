"""Enumerations of the areas app."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkinzicht.analysis.text import normalise


class AreaLevel(models.TextChoices):
    LAND = "land", _("country")
    GEMEENTE = "gemeente", _("municipality (gemeente)")
    WIJK = "wijk", _("district (wijk)")
    BUURT = "buurt", _("neighbourhood (buurt)")


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("higher is better")
    HIGHER_WORSE = "higher_worse", _("higher is worse")
    NEUTRAL = "neutral", _("neither better nor worse")


class ObservationStatus(models.TextChoices):
    KNOWN = "known", _("known")
    # CBS publishes "." for "unknown, not applicable or secret"; it is never a zero.
    SECRET = "secret", _("unknown or secret")


class ImportStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    UNCHANGED = "unchanged", _("nothing changed")


# CBS area codes: NL00, GM0363, WK036305 / WK0363AA (Amsterdam since 2023), BU03630500 / BU0363AA01.
AREA_CODE_RE = re.compile(r"^(NL\d{2}|GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
LEVEL_BY_PREFIX = {
    "NL": AreaLevel.LAND,
    "GM": AreaLevel.GEMEENTE,
    "WK": AreaLevel.WIJK,
    "BU": AreaLevel.BUURT,
}
LEVEL_ORDER = {AreaLevel.LAND: 0, AreaLevel.GEMEENTE: 1, AreaLevel.WIJK: 2, AreaLevel.BUURT: 3}
NETHERLANDS_CODE = "NL00"


def normalise_code(raw: str) -> str:
    """Upper-case, strip CBS's padding spaces ("GM0363    ")."""
    return raw.strip().upper()


def level_of(code: str) -> str:
    """The level of a valid area code."""
    return LEVEL_BY_PREFIX[code[:2]]


def parent_code_of(code: str) -> str | None:
    """The parent code, derived from the code itself (BU03630500 -> WK036305 -> GM0363 -> NL00)."""
    prefix = code[:2]
    if prefix == "BU":
        return "WK" + code[2:8]
    if prefix == "WK":
        return "GM" + code[2:6]
    if prefix == "GM":
        return NETHERLANDS_CODE
    return None


def search_key(text: str) -> str:
    """What a name is searched by: lower case, accents and punctuation gone, spaces collapsed
    ("'s-Gravenhage" -> "s gravenhage", "Lumière-park" -> "lumiere park")."""
    return normalise(text)


# Names people use that are not CBS's name (search_key of the alias -> CBS code). Kept small and
# documented (docs/areas.md); every entry is tested to point at an existing gemeente of 2025.
ALIASES: dict[str, str] = {
    "den haag": "GM0518",  # 's-Gravenhage
    "the hague": "GM0518",
    "den bosch": "GM0796",  # 's-Hertogenbosch
}
