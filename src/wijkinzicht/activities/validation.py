"""Field rules shared by forms, the API and the importers: one message per field, in Dutch.

Each function takes a parsed value and returns it cleaned, or raises ValidationError naming
what is wrong. The importers call the same functions per row, so a file and a form reject the
same input with the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkinzicht.core import personal_data

from .constants import Frequency, Gender, TargetGroup, Theme

POSTCODE_RE = re.compile(r"^([1-9]\d{3})\s?([A-Za-z]{2})$")
PSEUDONYM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,39}$")
NL_LATITUDE = (50.7, 53.6)
NL_LONGITUDE = (3.3, 7.3)


def today() -> dt.date:
    return timezone.localdate()


def looks_like_bsn(text: str) -> bool:
    """A BSN in any notation (core.personal_data): dots, dashes, spaces, prefixes such as "BSN"."""
    return personal_data.find_bsn(text) is not None


BSN_MESSAGE = gettext_lazy("This looks like a BSN (it passes the eleven-test); use the organisation's own "
                    "pseudonymous id, never a BSN.")


def clean_pseudonym(value: str) -> str:
    """A participant's id: the organisation's own code. Never a BSN in any notation, an e-mail
    address, a telephone number or anything that could be a name (the value is not repeated in
    the message: it may be the BSN itself)."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("A participant id is required."))
    if looks_like_bsn(value):
        raise ValidationError(str(BSN_MESSAGE))
    if personal_data.find_email(value) or personal_data.find_phone(value):
        raise ValidationError(_("A participant id may not be an e-mail address or a telephone number."))
    if personal_data.name_like_id(value):
        raise ValidationError(
            _("A participant id needs at least one digit and may not look like a name (such as "
              "p.de.vries); use a code such as K-0042.")
        )
    if not PSEUDONYM_RE.match(value):
        raise ValidationError(
            _(
                "A participant id has at most 40 letters, digits, dots, hyphens or underscores, "
                "without spaces (so that no name is used as id)."
            )
        )
    return value


def clean_free_text(value: str, what: str) -> str:
    """A free-text field about participants (a meeting's note): no BSN, e-mail address or
    telephone number in it. Names cannot be recognised in free text; the form says not to write them."""
    value = (value or "").strip()
    found = personal_data.personal_data_in(value)
    if found:
        kinds = {"bsn": _("a BSN"), "email": _("an e-mail address"), "phone": _("a telephone number")}
        raise ValidationError(
            _("%(what)s contains %(kind)s; write no personal data of residents here.")
            % {"what": what, "kind": kinds[found]}
        )
    return value


def clean_birth_year(value: int | None) -> int | None:
    if value is None:
        return None
    this_year = today().year
    if not 1900 <= value <= this_year:
        raise ValidationError(_("Year of birth must lie between 1900 and %(year)d.") % {"year": this_year})
    return value


def clean_gender(value: str) -> str:
    value = (value or "").strip().lower()
    aliases = {"vrouw": "v", "f": "v", "woman": "v", "man": "m", "anders": "x", "other": "x", "": ""}
    value = aliases.get(value, value)
    if value and value not in Gender.values:
        raise ValidationError(_("Gender must be v, m, x or empty."))
    return value


def clean_meeting_date(value: dt.date) -> dt.date:
    if value > today():
        raise ValidationError(
            _("The date %(date)s lies in the future; register meetings that took place.")
            % {"date": value.strftime("%d-%m-%Y")}
        )
    if value.year < 2000:
        raise ValidationError(_("The date %(date)s lies before 2000.") % {"date": value.strftime("%d-%m-%Y")})
    return value


def clean_postcode(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    m = POSTCODE_RE.match(value)
    if not m:
        raise ValidationError(_("“%(value)s” is not a Dutch postcode (1234 AB).") % {"value": value})
    return f"{m.group(1)}{m.group(2).upper()}"


def clean_coordinates(latitude: float | None, longitude: float | None) -> tuple[float | None, float | None]:
    if (latitude is None) != (longitude is None):
        raise ValidationError(_("Give both latitude and longitude, or neither."))
    if latitude is None:
        return None, None
    if not (NL_LATITUDE[0] <= latitude <= NL_LATITUDE[1] and NL_LONGITUDE[0] <= longitude <= NL_LONGITUDE[1]):
        raise ValidationError(
            _("The coordinates %(lat)s, %(lon)s lie outside the Netherlands (WGS84 degrees).")
            % {"lat": latitude, "lon": longitude}
        )
    return latitude, longitude


def _clean_codes(values, allowed: list[str], what: str) -> str:
    cleaned = []
    for v in values:
        v = str(v).strip().lower()
        if not v:
            continue
        if v not in allowed:
            raise ValidationError(
                _("Unknown %(what)s “%(value)s”; choose from %(allowed)s.")
                % {"what": what, "value": v, "allowed": ", ".join(allowed)}
            )
        if v not in cleaned:
            cleaned.append(v)
    return "," + ",".join(cleaned) + "," if cleaned else ""


def clean_themes(values) -> str:
    return _clean_codes(values, list(Theme.values), _("theme"))


def clean_target_groups(values) -> str:
    return _clean_codes(values, list(TargetGroup.values), _("target group"))


def clean_weekdays(values) -> str:
    try:
        days = sorted({int(v) for v in values if str(v).strip()})
    except (TypeError, ValueError):
        days = [0]
    if any(d < 1 or d > 7 for d in days):
        raise ValidationError(_("Days of the week are numbered 1 (Monday) to 7 (Sunday)."))
    return "".join(str(d) for d in days)


def clean_frequency(value: str) -> str:
    value = (value or Frequency.WEEKLY).strip().lower()
    if value not in Frequency.values:
        raise ValidationError(
            _("Unknown frequency “%(value)s”; choose from %(allowed)s.")
            % {"value": value, "allowed": ", ".join(Frequency.values)}
        )
    return value


def clean_period(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationError(_("The end date lies before the start date."))


def clean_hours(value, what: str) -> Decimal:
    if value is None or value == "":
        return Decimal(0)
    try:
        value = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("%(what)s must be a number.") % {"what": what}) from None
    if not value.is_finite() or value < 0 or value > 10000:
        raise ValidationError(_("%(what)s must lie between 0 and 10,000.") % {"what": what})
    return value.quantize(Decimal("0.01"))
