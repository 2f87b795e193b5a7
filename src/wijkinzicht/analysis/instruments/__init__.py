"""Validated Dutch outcome instruments, scored exactly as their manuals say (PRODUCT.md).

Pure numpy, no Django. Scoring is vectorised over answer codes so that a survey file of a
million rows is scored in seconds; the per-person functions call the same code.

Available: the 11- and 6-item De Jong Gierveld loneliness scales (`djg.py`), the
Participatieladder and the Zelfredzaamheid-Matrix (`levels.py`), and custom Likert questionnaires
(`likert.py`). The 11-item scale's missing-data rule is not in PRODUCT.md: until the manual's rule
is at hand it scores complete answers only (decision 0009).

These scales are for monitoring groups and for the conversation with a resident, not for
diagnosing a person.
"""

from .answers import ANSWER_CODES, AnswerError, answer_code
from .djg import DJG6, DJG11, Instrument, Scores, score, score_codes, score_djg6, score_djg11
from .levels import PARTICIPATIELADDER, ZRM, LevelError, LevelInstrument
from .likert import DefinitionError, LikertScale

__all__ = [
    "ANSWER_CODES",
    "DJG6",
    "DJG11",
    "PARTICIPATIELADDER",
    "ZRM",
    "AnswerError",
    "DefinitionError",
    "Instrument",
    "LevelError",
    "LevelInstrument",
    "LikertScale",
    "Scores",
    "answer_code",
    "score",
    "score_codes",
    "score_djg6",
    "score_djg11",
]
