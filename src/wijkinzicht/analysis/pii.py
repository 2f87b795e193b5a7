"""Personal data in a free text: what a signal must not contain before it is saved (issue 17).

No Django. `find(text)` returns every finding as (kind, start, end, text), with start and end as
character offsets into the text as given, sorted and without overlaps. The kinds:

- ``name``: a name after a title or form of address (mevrouw Jansen, dhr. A.B. de Vries, familie
  El Amrani, meneer van den Berg), and every person's name that deduce (UMC Utrecht's Dutch
  de-identification library, LGPL-3.0) finds with its lookup lists of first names and surnames
  (Jan de Vries, Mohammed). deduce is loaded once per process, lazily, because loading takes seconds;
  `find(text, names=False)` leaves it out (then only the title rule finds names).
- ``bsn``: nine digits (or eight, which a BSN with a leading zero is written as) in any notation —
  together, or in groups split by spaces, dots or hyphens — that pass the eleven-test. Numbers
  that fail it are not BSNs and are left alone; a phone number is never read as a BSN.
- ``phone``: Dutch phone numbers (06-12345678, 010 - 123 45 67, (020) 1234567, +31 6 1234 5678,
  0031 ...), and other international numbers written with a plus.
- ``email``: e-mail addresses.
- ``postcode``: a Dutch six-position postcode (1012 AB), with or without a house number: six
  positions hold some twenty addresses, too few to say "the neighbourhood".
- ``address``: a street name with a house number (Dorpsstraat 12, Van Speijkstraat 12-3hg,
  Burgemeester de Vlugtlaan 3A). A street or square without a number is a place in the
  neighbourhood and is allowed ("overlast op het Mercatorplein").
- ``iban``: a bank account number (NL91 ABNA 0417 1643 00), checked with its mod-97 test.

What the detector cannot see — a nickname, "de buurvrouw van nummer 12 met de rode deur" — the
fieldworker still has to see; the form says so.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass

KINDS = ("name", "bsn", "phone", "email", "postcode", "address", "iban")
# When two findings overlap, the kind earlier here wins (then the longer one).
_PRIORITY = {
    kind: i for i, kind in enumerate(("email", "iban", "phone", "bsn", "address", "postcode", "name"))
}


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


# ---- numbers -------------------------------------------------------------------------------------


def eleven_test(digits: str) -> bool:
    """The BSN eleven-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11 (and not 0).
    Eight digits are read with a leading zero."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
    return total != 0 and total % 11 == 0


def iban_valid(text: str) -> bool:
    compact = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


_SEP = r"(?:[ \t]?[.\-/_,][ \t]?|[ \t])?"
# a run of digits with one separator (space, dot, hyphen, slash, underscore or comma, with or
# without spaces around it) between groups; no digit, letter or separator-digit on either side
_DIGIT_RUN = re.compile(r"(?<![\w.\-+/,])(?:\d" + _SEP + r"){7,11}\d(?![\w]|[.\-/,]\d)")
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)31[ \t.\-]*(?:\(0\)[ \t]*)?[1-9](?:[ \t.\-]*\d){8}"  # +31 6 12345678, 0031 20 ...
    r"|\(0\d{1,3}\)[ \t]*\d(?:[ \t.\-]*\d){5,7}"  # (020) 123 4567
    r"|0[1-9](?:[ \t]*[\-/][ \t]*|[ \t.]?)?\d(?:[ \t.\-]*\d){7}"  # 06-12345678, 010 - 123 45 67
    r"|\+[1-9]\d{0,2}(?:[ \t.\-]*\d){6,12}"  # other countries
    r")(?![\w])"
)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
# postcode: four digits (not starting with 0) and two capitals (not SA, SD, SS, which are not used);
# lower case only when written together (1012ab)
_SHORT_WORDS = "de|en|in|op|te|na|om|al|ik|je|we|ze|zo|nu|er|of|ja|is|an|af|bv|ca|nr|tm|ad|uw|eh"
_POSTCODE = re.compile(
    r"(?<![\w])[1-9]\d{3}(?:[ \t\-]?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2}"
    r"|[ \t\-](?!(?:sa|sd|ss|" + _SHORT_WORDS + r")(?![\w]))[a-z]{2})(?![\w])"
    r"(?:[ \t,]*(?:nr\.?|nummer)?[ \t]*\d{1,5}[a-zA-Z]?(?:[\-/ ]\d{1,4})?(?![\w]))?"
)

# ---- streets -------------------------------------------------------------------------------------

_STREET_SUFFIXES = (
    "straat",
    "laan",
    "weg",
    "plein",
    "singel",
    "gracht",
    "kade",
    "dijk",
    "pad",
    "hof",
    "steeg",
    "dreef",
    "plantsoen",
    "park",
    "markt",
    "erf",
    "wal",
    "burgwal",
    "baan",
    "boulevard",
    "veld",
    "zijde",
    "ring",
    "hoven",
    "tuin",
    "tuinen",
    "straatweg",
    "dwarsstraat",
    "kwartier",
    "haven",
    "polder",
    "allee",
    "promenade",
    "passage",
    "poort",
    "hoek",
    "rijn",
    "vaart",
    "dam",
    "brug",
    "buurt",
    "kamp",
    "wijk",
    "berg",
    "akker",
    "weide",
    "horst",
    "donk",
    "oord",
)
_HOUSE_NUMBER = (
    r"\d{1,5}(?:[a-zA-Z]{1,2}(?![\w])|[ \t][A-Z](?![\w]))?"
    r"(?:[ \t]?[\-/][ \t]?\d{1,4}(?:[ \t]?(?:hg|hs|bg|[a-zA-Z]))?)?"
    r"(?:[ \t]+(?:hs|hg|bg|huis|bis|I{1,3}|IV|boven|beneden)\b)?"
)
_NAME_PARTICLES = (
    "van",
    "de",
    "der",
    "den",
    "het",
    "'t",
    "ter",
    "ten",
    "te",
    "in",
    "op",
    "aan",
    "la",
    "le",
    "el",
    "al",
    "da",
    "di",
    "du",
    "von",
    "st.",
    "sint",
)
_CAP_WORD = r"[A-Z\u00C0-\u00DE][\w'\u2019\-]*\.?"
_STREET = re.compile(
    r"(?<![\w])(?:(?:" + _CAP_WORD + r"|" + "|".join(re.escape(p) for p in _NAME_PARTICLES) + r")[ \t]+){0,4}"
    r"[A-Za-z\u00C0-\u00FF'\-]*(?:" + "|".join(_STREET_SUFFIXES) + r"|str\.|ln\.|pln\.|gr\.)"
    r"[ \t,]+(?:nr\.?[ \t]*|nummer[ \t]+)?" + _HOUSE_NUMBER + r"(?![\w])",
    re.UNICODE,
)

# ---- names after a title -------------------------------------------------------------------------

_TITLES = (
    "mevrouw",
    "mevr.",
    "mevr",
    "mw.",
    "mw",
    "meneer",
    "mijnheer",
    "mnr.",
    "dhr.",
    "dhr",
    "de heer",
    "heer",
    "familie",
    "fam.",
    "fam",
    "juffrouw",
    "juf",
    "meester",
    "dokter",
    "dr.",
    "drs.",
    "mr.",
    "ir.",
    "ing.",
    "prof.",
    "zuster",
    "broeder",
    "pastoor",
    "dominee",
    "imam",
    "oom",
    "tante",
    "opa",
    "oma",
    "buurman",
    "buurvrouw",
    "mama",
    "papa",
    "moeder",
    "vader",
)
# particles that may stand between two words of one name ("Jan van Dijk", "Bakker - de Wit"), unlike
# "op" or "in", which end it ("mevrouw Jansen op de Dorpsstraat")
_INNER_PARTICLES = frozenset(
    {"van", "de", "der", "den", "ter", "ten", "'t", "el", "al", "la", "le", "da", "di", "du", "von"}
)
_TITLE = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(t) for t in sorted(_TITLES, key=len, reverse=True)) + r")"
    r"(?=[ \t]|(?<=\.)[A-Z\u00C0-\u00DE])",
    re.IGNORECASE,
)
_NAME_START = re.compile(r"[A-Z\u00C0-\u00DE]")
_INITIALS_TOKEN = re.compile(r"(?:[A-Z]\.){1,4}")
_NAME_TOKEN = re.compile(r"[A-Z\u00C0-\u00DE][\w'\u2019]*(?:-[\w'\u2019]+)*")


def _titled_names(text: str):
    """A title followed by a name: initials, particles and at least one word with a capital
    ("mevrouw Jansen", "dhr. A.B. de Vries", "familie El Amrani"). The title may be in any case;
    "meneer vertelde" has no capital after it and is no name."""
    for title in _TITLE.finditer(text):
        end = None
        names = 0
        for token in re.finditer(r"\S+", text[title.end() : title.end() + 120]):
            word = token.group(0).rstrip(",;:!?)")
            bare = word.rstrip(".")
            if names == 0 and _INITIALS_TOKEN.fullmatch(word):
                continue
            particles = _NAME_PARTICLES if names == 0 else _INNER_PARTICLES
            if word.lower() in particles or bare.lower() in particles:
                continue
            if _NAME_TOKEN.fullmatch(bare) and names < 4:
                names += 1
                end = title.end() + token.start() + len(bare)
                if word != token.group(0) or (word.endswith(".") and len(bare) > 1):
                    break  # punctuation ends the name
                continue
            break
        if names:
            yield Finding("name", title.start(), end, text[title.start() : end])


# ---- deduce --------------------------------------------------------------------------------------

_deduce = None
_deduce_lock = threading.Lock()


def _deduce_model():
    global _deduce
    if _deduce is None:
        with _deduce_lock:
            if _deduce is None:
                logging.getLogger().disabled = True  # deduce logs at INFO on the root logger while loading
                try:
                    _deduce = _names_only_deduce()
                finally:
                    logging.getLogger().disabled = False
    return _deduce


# deduce's lookup structures for names only: its street and institution lists took 70 s to build and
# 7-16 s to load in every process (86 MB); names, prefixes, interfixes and the common-word whitelist
# take a few seconds and load in well under one. Our own rules find addresses.
_NAME_LISTS = ("names/", "whitelist/")
_NAME_TRIES = ("first_name", "surname", "eponymous_disease")


def _names_only_deduce():
    import json
    from pathlib import Path

    import deduce
    import deduce.lookup_structs as structs
    from deduce import Deduce

    package = Path(deduce.__file__).parent
    base = json.loads((package / "base_config.json").read_text(encoding="utf-8"))
    base["annotators"] = {
        name: spec for name, spec in base["annotators"].items() if spec.get("group") == "names"
    }
    saved = structs.all_lists, structs._LOOKUP_TRIE_LOADERS
    structs.all_lists = [lst for lst in saved[0] if lst.startswith(_NAME_LISTS)]
    structs._LOOKUP_TRIE_LOADERS = {k: v for k, v in saved[1].items() if k in _NAME_TRIES}
    try:
        # a cache of its own beside deduce's (owned by whoever installed the package, like deduce's)
        return Deduce(
            load_base_config=False, config=base, cache_path=package / "data" / "lookup" / "wijkinzicht_names"
        )
    finally:
        structs.all_lists, structs._LOOKUP_TRIE_LOADERS = saved


def warm_up() -> None:
    """Load deduce now (takes seconds) instead of at the first text."""
    _deduce_model()


# words deduce takes for a name that are places or shops here; a finding that is only these is dropped
_NOT_NAMES = frozenset(
    {"oud", "nieuw", "west", "oost", "noord", "zuid", "centrum", "albert", "heijn", "jumbo"}
)


_LEADING_NOT_NAME = frozenset(
    {
        "in",
        "op",
        "bij",
        "aan",
        "naar",
        "uit",
        "met",
        "en",
        "of",
        "voor",
        "door",
        "over",
        "tegen",
        "vanaf",
        "tot",
        "naast",
        "achter",
        "rond",
        "langs",
        "via",
        "het",
    }
)


def _capitalised(span: str) -> str:
    return " ".join(w for w in span.split() if _NAME_START.match(w)).lower()


CHUNK = 240  # deduce's time grows faster than the length of a text full of names: it reads pieces
OVERLAP = 60  # ... which overlap, so that a name on the edge of one is whole in the next


def _chunks(text: str):
    """(offset, piece) of at most CHUNK characters, cut at spaces, each reaching OVERLAP into the next."""
    start = 0
    while start < len(text):
        end = min(len(text), start + CHUNK)
        if end < len(text):
            cut = text.rfind(" ", start + OVERLAP + 1, end)
            end = cut if cut > start else end
        yield start, text[start:end]
        if end >= len(text):
            break
        back = text.rfind(" ", start + 1, max(start + 2, end - OVERLAP))
        start = back + 1 if back > start else end


def _deduce_names(text: str, places: frozenset[str] = frozenset()):
    seen = set()
    for offset, piece in _chunks(text):
        for f in _deduce_piece(piece, places):
            key = (f.start + offset, f.end + offset)
            if key not in seen:
                seen.add(key)
                yield Finding("name", key[0], key[1], f.text)


def _deduce_piece(text: str, places: frozenset[str]):
    model = _deduce_model()
    with _deduce_lock:  # a docdeid pipeline is not documented as thread-safe
        doc = model.deidentify(text)
    for annotation in doc.annotations:
        if not annotation.tag.startswith("persoon") and annotation.tag not in {"patient", "naam"}:
            continue
        start, end = int(annotation.start_char), int(annotation.end_char)
        # deduce lets a name run into the words after it ("Mevrouw Jansen op de "): trim those
        words = list(re.finditer(r"\S+", text[start:end]))
        while words and (
            words[-1].group(0).lower() in _NAME_PARTICLES or not _NAME_START.match(words[-1].group(0))
        ):
            words.pop()
        if not words:
            continue
        end = start + words[-1].end()
        while len(words) > 1 and words[0].group(0).lower() in _LEADING_NOT_NAME:
            words.pop(0)
        start = start + words[0].start()
        span = text[start:end]
        if all(w.group(0).strip(".,").lower() in _NOT_NAMES for w in words):
            continue
        if _capitalised(span) in places:  # "Oude Westen": a neighbourhood, not a person
            continue
        yield Finding("name", start, end, span)


# ---- together ------------------------------------------------------------------------------------


def _numbers(text: str):
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) in (8, 9) and eleven_test(digits):
            # a separator between every digit or odd groups is still a BSN: the digits decide
            yield Finding("bsn", match.start(), match.end(), match.group(0))


# characters that look like a space, a hyphen or a quote, and invisible ones, which would otherwise split
# a number or a name so that no rule sees it ("111\u200b222\u200b333", "06\u201312345678")
_SPACES = dict.fromkeys(
    map(
        ord,
        "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
    ),
    " ",
)
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u2032"), "'")


def _clean_char(c: str) -> str:
    if c.isascii():
        return c
    mapped = _SPACES.get(ord(c)) or _DASHES.get(ord(c)) or _QUOTES.get(ord(c))
    if mapped:
        return mapped
    if unicodedata.category(c) == "Cf":  # zero-width spaces and joiners, soft hyphens, direction marks
        return ""
    return unicodedata.normalize("NFKC", c)  # full-width digits and letters as ordinary ones


def clean(text: str) -> str:
    """The text as the rules read it: full-width characters as ordinary ones (NFKC), look-alike spaces,
    dashes and quotes as plain ones, invisible format characters gone. What is stored is this text, so
    that what was checked is what is kept."""
    return "".join(_clean_char(c) for c in text or "")


def _cleaned_with_map(text: str) -> tuple[str, list[int]]:
    """The cleaned text and, per character of it, the position in the original."""
    out: list[str] = []
    where: list[int] = []
    for i, c in enumerate(text):
        piece = _clean_char(c)
        out.append(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


def find(text: str, *, names: bool = True, places: frozenset[str] = frozenset()) -> list[Finding]:
    """Every finding of personal data in text, sorted by position, overlaps resolved; start and end
    are positions in the text as given (the rules read it cleaned, see `clean`). `places`: lower-case
    names of places (buurten, wijken, gemeenten) that deduce may take for a surname ("Oude Westen"); a
    name finding whose capitalised words are one of them is dropped."""
    if not text:
        return []
    if text.isascii():
        return _find(text, names=names, places=places)
    cleaned, where = _cleaned_with_map(text)
    out = []
    for f in _find(cleaned, names=names, places=places):
        start = where[f.start] if f.start < len(where) else len(text)
        end = where[f.end - 1] + 1 if 0 < f.end <= len(where) else len(text)
        out.append(Finding(f.kind, start, end, text[start:end]))
    return out


def _find(text: str, *, names: bool, places: frozenset[str]) -> list[Finding]:
    if not text:
        return []
    found: list[Finding] = []
    found += [Finding("email", m.start(), m.end(), m.group(0)) for m in _EMAIL.finditer(text)]
    found += [
        Finding("iban", m.start(), m.end(), m.group(0))
        for m in _IBAN.finditer(text)
        if iban_valid(m.group(0))
    ]
    found += [Finding("phone", m.start(), m.end(), m.group(0).rstrip()) for m in _PHONE.finditer(text)]
    found += list(_numbers(text))
    found += [Finding("postcode", m.start(), m.end(), m.group(0)) for m in _POSTCODE.finditer(text)]
    found += [
        _trim_street(Finding("address", m.start(), m.end(), m.group(0)), text)
        for m in _STREET.finditer(text)
        if _starts_street(m.group(0))
    ]
    found += list(_titled_names(text))
    if names:
        found += list(_deduce_names(text, places))
    return _resolve(found)


def _starts_street(span: str) -> bool:
    """A street match must have a street word of its own ("in de Dorpsstraat 12": the street is
    "Dorpsstraat 12"; "straat 12" alone is too little to be an address); written in lower case, the
    street word must be a compound ("dorpsstraat 12")."""
    words = span.split()
    if not (_NAME_START.match(words[0]) or words[0].lower() in _NAME_PARTICLES or _compound(words[0])):
        return False
    # the street word itself (the one before the number) is a name: a capital or a compound; "de buurt
    # 12 keer" and "het plein 3 keer" are no addresses
    street = next(
        (w for w in reversed(words) if not w[:1].isdigit() and w.lower() not in ("nr", "nr.", "nummer")),
        words[0],
    )
    return (
        bool(_NAME_START.match(street))
        or _compound(street)
        or street.lower().endswith(("str.", "ln.", "gr."))
    )


def _compound(word: str) -> bool:
    word = word.lower().rstrip(",")
    return any(word.endswith(suffix) and len(word) > len(suffix) + 2 for suffix in _STREET_SUFFIXES)


_LEADING_NOT_STREET = frozenset(
    {
        "in",
        "op",
        "bij",
        "aan",
        "naar",
        "uit",
        "vanaf",
        "via",
        "tegenover",
        "achter",
        "voor",
        "naast",
        "langs",
        "rond",
        "over",
        "nabij",
        "woont",
        "wonen",
        "en",
        "of",
        "met",
    }
)


def _trim_street(found: Finding, text: str) -> Finding:
    """A street's name starts after the last preposition or title before it ("Mevrouw Jansen op de
    Dorpsstraat 12" -> "Dorpsstraat 12"), and without a lower-case article ("de Van Speijkstraat")."""
    words = list(re.finditer(r"\S+", found.text))
    i = 0
    for j, word in enumerate(words[:-2]):
        if word.group(0).lower() in _LEADING_NOT_STREET or word.group(0).lower() in _TITLES:
            i = j + 1
    while i < len(words) - 2 and words[i].group(0) in _NAME_PARTICLES:  # lower case only
        i += 1
    if i == 0:
        return found
    start = found.start + words[i].start()
    return Finding(found.kind, start, found.end, text[start : found.end])


def _resolve(found: list[Finding]) -> list[Finding]:
    found = sorted(found, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in found:
        if f.end <= f.start:
            continue
        if any(f.start < k.end and k.start < f.end for k in kept):
            # a name inside an address ("Van Speijkstraat") or a number inside a phone is already covered
            continue
        kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def segments(text: str, findings: list[Finding]) -> list[tuple[str, str | None]]:
    """The text cut into (piece, kind or None), to show the findings highlighted."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start > at:
            out.append((text[at : f.start], None))
        out.append((text[f.start : f.end], f.kind))
        at = f.end
    if at < len(text):
        out.append((text[at:], None))
    return out
