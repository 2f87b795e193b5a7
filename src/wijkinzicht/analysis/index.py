"""A neighbourhood index in the style of the Rotterdam Wijkprofiel.

Method (also on the index page and in docs/neighbourhood-index.md):
1. Every indicator value x of an area is scored against the reference (an area in a base
   year, e.g. the gemeente in 2017): score = 100 + 10 * s * (x - r) / sd, where r is the
   reference's own value, sd the standard deviation of the indicator over the reference's
   child areas (its buurten or wijken) in the base year, and s = +1 when higher is better,
   -1 when higher is worse. So the reference scores exactly 100, and one standard deviation
   better than the reference scores 110.
2. A pillar score (social, physical, safety) is the unweighted mean of the scores of its
   indicators that are known for the area; an indicator that is unknown or secret is left
   out and named, never counted as zero.
3. The index is the unweighted mean of the pillar scores that could be computed.
As in the Wijkprofiel, 90-110 reads as "around the reference", below 90 as less favourable,
below 70 as clearly less favourable, above 110 as more favourable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SCALE = 10.0  # points per standard deviation


@dataclass(frozen=True)
class IndexIndicator:
    key: str
    direction: str  # "higher_better" or "higher_worse"


@dataclass(frozen=True)
class Pillar:
    key: str
    indicators: tuple[IndexIndicator, ...]


@dataclass(frozen=True)
class Reference:
    """Reference value and spread (standard deviation over the reference's children)."""

    value: float
    sd: float
    n: int


@dataclass
class IndicatorScore:
    key: str
    value: float | None
    score: float | None
    reason: str = ""  # why no score: "unknown", "no reference", "no spread"


@dataclass
class PillarScore:
    key: str
    score: float | None
    indicators: list[IndicatorScore] = field(default_factory=list)

    @property
    def band(self) -> str:
        return band_of(self.score)


@dataclass
class IndexResult:
    score: float | None
    pillars: list[PillarScore]

    def band(self) -> str:
        return band_of(self.score)


def band_of(score: float | None) -> str:
    """Wijkprofiel reading of a score: much_worse / worse / around / better / unknown."""
    if score is None:
        return "unknown"
    if score < 70:
        return "much_worse"
    if score < 90:
        return "worse"
    if score <= 110:
        return "around"
    return "better"


def reference_from(values: Sequence[float | None], reference_value: float | None) -> Reference | None:
    """Reference value plus the sample standard deviation of the known child values."""
    known = [v for v in values if v is not None and math.isfinite(v)]
    if reference_value is None or len(known) < 2:
        return None
    mean = sum(known) / len(known)
    var = sum((v - mean) ** 2 for v in known) / (len(known) - 1)
    return Reference(reference_value, math.sqrt(var), len(known))


def score_indicator(key: str, value: float | None, ref: Reference | None, direction: str) -> IndicatorScore:
    if value is None:
        return IndicatorScore(key, None, None, "unknown")
    if ref is None:
        return IndicatorScore(key, value, None, "no reference")
    if ref.sd == 0:
        return IndicatorScore(key, value, None, "no spread")
    sign = -1.0 if direction == "higher_worse" else 1.0
    return IndicatorScore(key, value, 100.0 + SCALE * sign * (value - ref.value) / ref.sd)


def compute_index(
    values: Mapping[str, float | None],
    references: Mapping[str, Reference | None],
    pillars: Sequence[Pillar],
) -> IndexResult:
    """Index, pillar and indicator scores of one area in one year."""
    pillar_scores = []
    for pillar in pillars:
        scored = [
            score_indicator(i.key, values.get(i.key), references.get(i.key), i.direction)
            for i in pillar.indicators
        ]
        known = [s.score for s in scored if s.score is not None]
        pillar_scores.append(PillarScore(pillar.key, sum(known) / len(known) if known else None, scored))
    known_p = [p.score for p in pillar_scores if p.score is not None]
    return IndexResult(sum(known_p) / len(known_p) if known_p else None, pillar_scores)
