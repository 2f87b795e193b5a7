"""Validated Dutch outcome instruments, scored exactly as their manuals say (PRODUCT.md).

Pure numpy, no Django. Scoring is vectorised over answer codes so that a survey file of a
million rows is scored in seconds; the per-person functions call the same code.

Available: the 6-item De Jong Gierveld loneliness scale (`djg6`), the Participatieladder and the
Zelfredzaamheid-Matrix (`levels.py`). The 11-item scale and custom Likert questionnaires belong
to issue 4 and are not here yet (the 11-item missing-data rule has to be taken from the scale
manual first).

These scales are for monitoring groups and for the conversation with a resident, not for
diagnosing a person.
"""

from .answers import ANSWER_CODES, AnswerError, answer_code
from .djg import DJG6, Scores, score_djg6
from .levels import PARTICIPATIELADDER, ZRM, LevelError, LevelInstrument

__all__ = [
    "ANSWER_CODES",
    "DJG6",
    "PARTICIPATIELADDER",
    "ZRM",
    "AnswerError",
    "LevelError",
    "LevelInstrument",
    "Scores",
    "answer_code",
    "score_djg6",
]
