"""Validated Dutch outcome instruments, scored exactly as their manuals say (PRODUCT.md).

Pure numpy, no Django. Scoring is vectorised over answer codes so that a survey file of a
million rows is scored in seconds; the per-person functions call the same code.

Available: the 6-item De Jong Gierveld loneliness scale (`djg6`), the Participatieladder and the
Zelfredzaamheid-Matrix (`levels.py`), and custom Likert questionnaires (`likert.py`). The 11-item
scale is not here yet: its missing-data rule has to be taken from the scale manual first
(decision 0008).

These scales are for monitoring groups and for the conversation with a resident, not for
diagnosing a person.
"""

from .answers import ANSWER_CODES, AnswerError, answer_code
from .djg import DJG6, Scores, score_djg6
from .levels import PARTICIPATIELADDER, ZRM, LevelError, LevelInstrument
from .likert import DefinitionError, LikertScale

__all__ = [
    "ANSWER_CODES",
    "DJG6",
    "PARTICIPATIELADDER",
    "ZRM",
    "AnswerError",
    "DefinitionError",
    "LevelError",
    "LevelInstrument",
    "LikertScale",
    "Scores",
    "answer_code",
    "score_djg6",
]
