"""The five Dutch answer words of the De Jong Gierveld scales, read as typed by people."""

from __future__ import annotations

import re

# codes: 0 "ja!", 1 "ja", 2 "min of meer", 3 "nee", 4 "nee!"; MISSING for an empty answer
MISSING = -1
ANSWER_WORDS = ("ja!", "ja", "min of meer", "nee", "nee!")
_SQUEEZE = re.compile(r"[\s\-_]+")
ANSWER_CODES = {_SQUEEZE.sub("", w): code for code, w in enumerate(ANSWER_WORDS)}


class AnswerError(ValueError):
    """An answer that is not one of the answer words."""


def answer_code(text: str | None) -> int:
    """The code of an answer word; case, spaces, hyphens and underscores are ignored
    ("Min-of-meer", "min of  meer", "MINOFMEER" are all "min of meer"). Empty is MISSING."""
    if text is None:
        return MISSING
    key = _SQUEEZE.sub("", text).lower()
    if not key:
        return MISSING
    try:
        return ANSWER_CODES[key]
    except KeyError:
        raise AnswerError(text) from None
