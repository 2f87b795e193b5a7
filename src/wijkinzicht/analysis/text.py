"""Dutch text for search: normalisation (accents, case, punctuation), Snowball's Dutch stemmer
(snowballstemmer, the Snowball project's own Python port) and a small list of words residents
type for what the offer calls otherwise. No Django: used by the sociale kaart and area search,
and later by the signals classifier."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_stemmer = snowballstemmer.stemmer("dutch")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_lock = threading.Lock()  # a Snowball stemmer keeps state while it works

# what people type -> words the offer uses (all normalised); kept small, documented in docs/areas.md
SYNONYMS: dict[str, tuple[str, ...]] = {
    "eenzaam": ("eenzaamheid", "ontmoeting"),
    "eenzame": ("eenzaamheid", "ontmoeting"),
    "alleen": ("eenzaamheid", "ontmoeting"),
    "taal": ("taalcafe", "taalles", "nederlands"),
    "nederlands": ("taalcafe", "taalles", "taal"),
    "schulden": ("schuldhulp", "geldzaken", "schuld"),
    "geld": ("geldzaken", "schuldhulp", "armoede"),
    "senioren": ("ouderen",),
    "ouderen": ("senioren",),
    "jeugd": ("jongeren", "kinderen"),
    "jongeren": ("jeugd",),
    "sport": ("bewegen", "sporten"),
    "bewegen": ("sport", "wandelen"),
    "koffie": ("koffieochtend", "inloop"),
    "huiswerk": ("huiswerkklas", "huiswerkbegeleiding"),
}


def normalise(text: str) -> str:
    """Lower case, accents and punctuation gone, spaces collapsed ("Taalcafé 's-Gravenhage" ->
    "taalcafe s gravenhage")."""
    text = text or ""
    if not text.isascii():  # the slow part, only for texts with accents or other marks
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_ALNUM.sub(" ", text.lower()).split())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball's Dutch stem of one normalised word (eenzaamheid -> eenzaam)."""
    with _lock:
        return _stemmer.stemWord(word)


def index_text(*parts: str) -> str:
    """What a text is searched in: its normalised words and their stems, space-separated with a
    space at both ends."""
    words = normalise(" ".join(p for p in parts if p)).split()
    stems = [stem(w) for w in words]
    return " " + " ".join(words + [s for s, w in zip(stems, words, strict=True) if s != w]) + " "


def query_terms(query: str, *, limit: int = 8) -> list[set[str]]:
    """Per word of a query, the forms any of which may match: the word, its stem, and the words
    of SYNONYMS (with their stems). A text matches a query when it matches every word."""
    out = []
    for word in normalise(query).split()[:limit]:
        forms = {word, stem(word)}
        for synonym in SYNONYMS.get(word, ()):
            forms |= {synonym, stem(synonym)}
        out.append({f for f in forms if len(f) >= 2})
    return [f for f in out if f]
