"""De Jong Gierveld loneliness scale, 6 items (de Jong Gierveld & van Tilburg 2006).

Items are numbered as in the 11-item scale. Emotional loneliness (negatively worded items 3, 9,
10): "ja" or "min of meer" scores 1. Social loneliness (positively worded items 4, 7, 8): "nee"
or "min of meer" scores 1. The 5-point answers "ja!" and "nee!" count as "ja" and "nee".
Total 0-6: 0-1 niet eenzaam, 2-4 matig eenzaam, 5-6 ernstig eenzaam.
Missing data: the total is missing when more than one item is missing; with one missing item
the five answered items are counted, not prorated. A subscale is missing when any of its items is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .answers import MISSING, answer_code


@dataclass(frozen=True)
class Item:
    number: int
    text: str
    subscale: str  # "emotional" or "social"


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    items: tuple[Item, ...]
    categories: tuple[tuple[int, int, str], ...]  # (lowest total, highest total, label)
    missing_rule: str
    source: str
    licence: str

    @property
    def columns(self) -> list[str]:
        return [f"djg_{i.number}" for i in self.items]


DJG6 = Instrument(
    key="djg6",
    name="De Jong Gierveld eenzaamheidsschaal, 6 items",
    items=(
        Item(3, "Ik ervaar een leegte om me heen", "emotional"),
        Item(4, "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen", "social"),
        Item(7, "Ik heb veel mensen op wie ik volledig kan vertrouwen", "social"),
        Item(8, "Er zijn voldoende mensen met wie ik me nauw verbonden voel", "social"),
        Item(9, "Ik mis mensen om me heen", "emotional"),
        Item(10, "Vaak voel ik me in de steek gelaten", "emotional"),
    ),
    categories=((0, 1, "niet eenzaam"), (2, 4, "matig eenzaam"), (5, 6, "ernstig eenzaam")),
    missing_rule="Totaal ontbreekt bij meer dan één ontbrekend item (bij één: de vijf beantwoorde "
    "items tellen, niet opgehoogd); een subschaal ontbreekt als een van haar items ontbreekt.",
    source="De Jong Gierveld, J., & Van Tilburg, T. G. (2006). A 6-item scale for overall, emotional, and "
    "social loneliness. Research on Aging, 28(5), 582-598.",
    licence="Free for scientific and monitoring use with the source cited (scale manual, section 1).",
)

# per answer code (0 ja!, 1 ja, 2 min of meer, 3 nee, 4 nee!): does it count as lonely?
_EMOTIONAL_LONELY = np.array([1, 1, 1, 0, 0], dtype=np.int8)
_SOCIAL_LONELY = np.array([0, 0, 1, 1, 1], dtype=np.int8)


@dataclass
class Scores:
    """Per respondent; -1 where the missing-data rule says missing. category: index into the
    instrument's categories, -1 missing."""

    total: np.ndarray
    emotional: np.ndarray
    social: np.ndarray
    category: np.ndarray


def _subscale(codes: np.ndarray, lonely: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    missing = codes == MISSING
    points = np.where(missing, 0, lonely[np.where(missing, 0, codes)])
    return points.sum(axis=1), missing.sum(axis=1)


def score_djg6_codes(codes: np.ndarray) -> Scores:
    """Score an (n, 6) array of answer codes in the order of DJG6.items."""
    codes = np.asarray(codes, dtype=np.int8).reshape(-1, 6)
    if ((codes < MISSING) | (codes > 4)).any():
        raise ValueError("answer codes lie in -1..4")
    emotional_idx = [k for k, i in enumerate(DJG6.items) if i.subscale == "emotional"]
    social_idx = [k for k, i in enumerate(DJG6.items) if i.subscale == "social"]
    e_points, e_missing = _subscale(codes[:, emotional_idx], _EMOTIONAL_LONELY)
    s_points, s_missing = _subscale(codes[:, social_idx], _SOCIAL_LONELY)
    total = np.where(e_missing + s_missing > 1, -1, e_points + s_points)
    emotional = np.where(e_missing > 0, -1, e_points)
    social = np.where(s_missing > 0, -1, s_points)
    bounds = np.array([hi for _lo, hi, _label in DJG6.categories])
    category = np.where(total < 0, -1, np.searchsorted(bounds, np.maximum(total, 0)))
    return Scores(total=total, emotional=emotional, social=social, category=category)


def score_djg6(answers: Mapping[int, str | None]) -> dict:
    """One respondent: {item number: answer word or None} -> total, emotional, social, category
    (None where missing)."""
    codes = np.array([[answer_code(answers.get(i.number)) for i in DJG6.items]])
    s = score_djg6_codes(codes)

    def value(a):
        return None if a[0] < 0 else int(a[0])

    cat = int(s.category[0])
    return {
        "total": value(s.total),
        "emotional": value(s.emotional),
        "social": value(s.social),
        "category": None if cat < 0 else DJG6.categories[cat][2],
    }
