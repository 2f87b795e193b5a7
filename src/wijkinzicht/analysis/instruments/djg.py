"""De Jong Gierveld loneliness scales: 11 items (de Jong Gierveld & Kamphuis 1985) and 6 items
(de Jong Gierveld & van Tilburg 2006).

11 items: positively worded items 1, 4, 7, 8, 11 (social loneliness) score 1 on "nee!", "nee" or
"min of meer"; negatively worded items 2, 3, 5, 6, 9, 10 (emotional loneliness) score 1 on "ja!",
"ja" or "min of meer" (the neutral answer counts as lonely). Total 0-11: 0-2 niet eenzaam, 3-8
matig eenzaam, 9-10 ernstig eenzaam, 11 zeer ernstig eenzaam. Missing data: PRODUCT.md gives no
rule for the 11-item scale; until the manual's rule is at hand the total and each subscale are
missing when any of their items is (complete cases, decision 0009). Where this gives a score it
is the score any rule gives, because no item is missing.

6 items, numbered as in the 11-item scale. Emotional loneliness (negatively worded items 3, 9,
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
    max_missing_total: int = 0  # the total is computed with at most this many items missing

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
    max_missing_total=1,
)

DJG11 = Instrument(
    key="djg11",
    name="De Jong Gierveld eenzaamheidsschaal, 11 items",
    items=(
        Item(
            1,
            "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes "
            "terecht kan",
            "social",
        ),
        Item(2, "Ik mis een echt goede vriend of vriendin", "emotional"),
        Item(3, "Ik ervaar een leegte om me heen", "emotional"),
        Item(4, "Er zijn genoeg mensen op wie ik in geval van narigheid kan terugvallen", "social"),
        Item(5, "Ik mis gezelligheid om me heen", "emotional"),
        Item(6, "Ik vind mijn kring van kennissen te beperkt", "emotional"),
        Item(7, "Ik heb veel mensen op wie ik volledig kan vertrouwen", "social"),
        Item(8, "Er zijn voldoende mensen met wie ik me nauw verbonden voel", "social"),
        Item(9, "Ik mis mensen om me heen", "emotional"),
        Item(10, "Vaak voel ik me in de steek gelaten", "emotional"),
        Item(11, "Wanneer ik daar behoefte aan heb, kan ik altijd bij mijn vrienden terecht", "social"),
    ),
    categories=(
        (0, 2, "niet eenzaam"),
        (3, 8, "matig eenzaam"),
        (9, 10, "ernstig eenzaam"),
        (11, 11, "zeer ernstig eenzaam"),
    ),
    missing_rule="Totaal en subschalen ontbreken als een van hun items ontbreekt (alleen volledige "
    "antwoorden; de regel van de handleiding wordt nog nagezocht, besluit 0009).",
    source="De Jong Gierveld, J., & Kamphuis, F. H. (1985). The development of a Rasch-type loneliness "
    "scale. Applied Psychological Measurement, 9(3), 289-299. Cut-off points: Van Tilburg, T. G., & "
    "De Jong Gierveld, J. (1999). Cesuurbepaling van de eenzaamheidsschaal. Tijdschrift voor "
    "Gerontologie en Geriatrie, 30, 158-163.",
    licence="Free for scientific and monitoring use with the source cited (scale manual, section 1).",
    max_missing_total=0,
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


def item_points(instrument: Instrument, codes: np.ndarray) -> np.ndarray:
    """Per respondent and item (in the order of instrument.items): 1 where the answer counts as
    lonely, 0 where it does not, MISSING where there is no answer."""
    codes = np.asarray(codes, dtype=np.int8).reshape(-1, len(instrument.items))
    if ((codes < MISSING) | (codes > 4)).any():
        raise ValueError("answer codes lie in -1..4")
    lonely = np.array(
        [_EMOTIONAL_LONELY if i.subscale == "emotional" else _SOCIAL_LONELY for i in instrument.items]
    )
    missing = codes == MISSING
    points = lonely[np.arange(len(instrument.items)), np.where(missing, 0, codes)]
    return np.where(missing, MISSING, points)


def score_codes(instrument: Instrument, codes: np.ndarray) -> Scores:
    """Score an (n, items) array of answer codes in the order of instrument.items."""
    points = item_points(instrument, codes)
    missing = points == MISSING
    points = np.where(missing, 0, points)
    emotional_idx = [k for k, i in enumerate(instrument.items) if i.subscale == "emotional"]
    social_idx = [k for k, i in enumerate(instrument.items) if i.subscale == "social"]
    e_points, e_missing = points[:, emotional_idx].sum(axis=1), missing[:, emotional_idx].sum(axis=1)
    s_points, s_missing = points[:, social_idx].sum(axis=1), missing[:, social_idx].sum(axis=1)
    total = np.where(e_missing + s_missing > instrument.max_missing_total, -1, e_points + s_points)
    emotional = np.where(e_missing > 0, -1, e_points)
    social = np.where(s_missing > 0, -1, s_points)
    bounds = np.array([hi for _lo, hi, _label in instrument.categories])
    category = np.where(total < 0, -1, np.searchsorted(bounds, np.maximum(total, 0)))
    return Scores(total=total, emotional=emotional, social=social, category=category)


def score_djg6_codes(codes: np.ndarray) -> Scores:
    """Score an (n, 6) array of answer codes in the order of DJG6.items."""
    return score_codes(DJG6, codes)


def score(instrument: Instrument, answers: Mapping[int, str | None]) -> dict:
    """One respondent: {item number: answer word or None} -> total, emotional, social, category
    (None where missing)."""
    codes = np.array([[answer_code(answers.get(i.number)) for i in instrument.items]])
    s = score_codes(instrument, codes)

    def value(a):
        return None if a[0] < 0 else int(a[0])

    cat = int(s.category[0])
    return {
        "total": value(s.total),
        "emotional": value(s.emotional),
        "social": value(s.social),
        "category": None if cat < 0 else instrument.categories[cat][2],
    }


def score_djg6(answers: Mapping[int, str | None]) -> dict:
    return score(DJG6, answers)


def score_djg11(answers: Mapping[int, str | None]) -> dict:
    return score(DJG11, answers)
