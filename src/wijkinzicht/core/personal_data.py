"""Recognising direct personal data that must never be stored (issue 12, item 6; docs/privacy.md).

Pure Python, no Django. Wijkinzicht registers residents under a pseudonymous id that the
organisation chooses; a BSN, a name, an e-mail address or a telephone number must not get in,
neither as an id, nor in a free-text field, nor as a column of an imported file.

- A BSN is found in any notation: digits with dots, dashes, spaces, slashes or underscores between
  them ("111.222.333", "111-222-333") and with any prefix ("BSN111222333", "bsn: 111 222 333"),
  when its 8 or 9 digits pass the eleven-test (an 8-digit BSN has a leading zero left off) and it
  is not written as a date ("2024-01-02" also has 8 digits).
- An id must contain a digit: an id of letters only ("Pieter.de.Vries", "JanJansen") is what a
  name looks like; an id with a Dutch name particle between parts ("p.de.vries1") is refused too.
- E-mail addresses and Dutch telephone numbers (06-12345678, 020 123 4567, +31 6 1234 5678).
- A column header is compared after lower-casing, dropping accents and every separator, so that
  "BSN-nummer", "Naam deelnemer", "geboorte datum" and "E-mailadres client" are all recognised;
  a header is allowed only when it is exactly one of the columns the file may have.
"""

from __future__ import annotations

import re
import unicodedata

_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9](?:[\s.\-_/]?[0-9]){6,8}(?![0-9])")
_DATE = re.compile(r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})\Z")
_EMAIL = re.compile(r"[^\s@<>()\[\],;:\"]+@[^\s@<>()\[\],;:\"]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![0-9+])(?:\+31|0031|0)[\s.\-()]*[1-9](?:[\s.\-()]*[0-9]){8}(?![0-9])")
_PARTICLES = {"de", "den", "der", "van", "ter", "ten", "te", "het", "t", "la", "le", "du", "von", "vd", "v"}
_ID_PARTS = re.compile(r"[._\-\s]+")

# Substrings of a normalised header that mark direct identifiers of a resident.
FORBIDDEN_HEADER_PARTS = (
    "bsn", "burgerservice", "sofinummer", "sofinr",
    "naam", "name",
    "geboortedatum", "geboortedag", "gebdat", "birthdate", "dateofbirth",
    "adres", "address", "straat", "street", "huisnummer", "postcode", "zipcode",
    "mail",
    "telefoon", "telnr", "phone", "mobiel", "gsm",
)
# Short headers that are personal data on their own ("tel.", "dob"), compared whole.
FORBIDDEN_HEADERS = frozenset({"dob", "tel", "mob", "geb", "gebdd"})


def eleven_test(digits: str) -> bool:
    """The BSN eleven-test on 8 or 9 digits (8: a leading zero left off). 000000000 is no BSN."""
    if len(digits) not in (8, 9) or not digits.isdigit() or not digits.strip("0"):
        return False
    digits = digits.zfill(9)
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total % 11 == 0


def _plain(text: str) -> str:
    """Full-width and other compatibility forms as their plain letters and digits ("１１１" -> "111");
    other scripts' digits as ASCII digits."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(str(unicodedata.digit(ch, ch)) if ch.isdigit() and not ch.isascii() else ch for ch in text)


def find_bsn(text: str) -> str | None:
    """The first BSN-like number in the text, in any notation, as its digits; None if there is none."""
    for match in _DIGIT_RUN.finditer(_plain(text)):
        if _is_bsn(match.group()):
            return re.sub(r"[^0-9]", "", match.group())
    return None


def _is_bsn(run: str) -> bool:
    """A run of digits (with separators) is a BSN when it passes the eleven-test and is not
    written as a date (2024-01-02 has 8 digits too)."""
    return eleven_test(re.sub(r"[^0-9]", "", run)) and not _DATE.match(run)


def find_email(text: str) -> bool:
    return bool(_EMAIL.search(_plain(text)))


def find_phone(text: str) -> bool:
    return bool(_PHONE.search(_plain(text)))


def name_like_id(text: str) -> bool:
    """An id that could be a person's name: no digit at all, or a name particle between parts."""
    if not any(ch.isdigit() for ch in text):
        return True
    parts = [p.lower() for p in _ID_PARTS.split(text) if p]
    return len(parts) >= 3 and any(p in _PARTICLES for p in parts[1:-1])


def personal_data_in(text: str) -> str | None:
    """What kind of direct personal data free text holds: "bsn", "email", "phone" or None."""
    if find_bsn(text):
        return "bsn"
    if find_email(text):
        return "email"
    if find_phone(text):
        return "phone"
    return None


def mask(text: str) -> str:
    """The text with BSN-like numbers, e-mail addresses and telephone numbers blanked out (for the
    rejected rows that are kept to be fixed: they must never hold a refused BSN)."""
    if not isinstance(text, str) or not text:
        return text
    text = _plain(text)

    def bsn(match: re.Match) -> str:
        return "[bsn]" if _is_bsn(match.group()) else match.group()

    text = _DIGIT_RUN.sub(bsn, text)
    text = _EMAIL.sub("[e-mail]", text)
    return _PHONE.sub("[telefoon]", text)


def compact_header(name: str) -> str:
    """Lower case, accents dropped, only letters and digits: "Naam-deelnemer " -> "naamdeelnemer"."""
    text = unicodedata.normalize("NFKD", str(name or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", text)


def forbidden_header(name: str, allowed: set[str]) -> bool:
    """Whether a column header names direct personal data. ``allowed``: the compact forms of the
    columns the file may have (an activity file may have "adres" and "telefoon": of the venue)."""
    compact = compact_header(name)
    if compact in allowed:
        return False
    return compact in FORBIDDEN_HEADERS or any(part in compact for part in FORBIDDEN_HEADER_PARTS)
