"""Validated Dutch outcome instruments, scored exactly as their manuals say (PRODUCT.md).

Pure numpy, no Django. Scoring is vectorised over answer codes so that a survey file of a
million rows is scored in seconds; the per-person functions call the same code.

Available: the 6-item De Jong Gierveld loneliness scale (`djg6`). The 11-item scale, the
Participatieladder, the Zelfredzaamheid-Matrix and custom Likert questionnaires belong to
issue 4 and are not here yet (see the issue's notes: the 11-item missing-data rule has to be
taken from the scale manual first).

These scales are for monitoring groups and for the conversation with a resident, not for
diagnosing a person.
"""

from .answers import ANSWER_CODES, AnswerError, answer_code
from .djg import DJG6, Scores, score_djg6

__all__ = ["ANSWER_CODES", "DJG6", "AnswerError", "Scores", "answer_code", "score_djg6"]
