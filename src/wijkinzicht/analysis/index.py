"""A neighbourhood index in the style of the Rotterdam Wijkprofiel.

Method (also on the index page and in docs/neighbourhood-index.md):
1. Every indicator value x of an area is scored against the reference (an area in a base
   year, e.g. the gemeente in 2017): score = 100 + 10 * s * (x - r) / sd, where r is the
   reference's own value, sd the standard deviation of the indicator over the reference's
   child areas (its buurten or wijken) in the base year, and s = +1 when higher is better,
   -1 when higher is worse. So the reference scores exactly 100, and one standard deviation
   better than the reference scores 110. A *context* indicator (the mean WOZ value: dearer
   houses are not a better neighbourhood) is shown beside the scores, never scored.
2. A pillar score (social, physical, safety) is the unweighted mean of the scores of its
   indicators that are known for the area -- but only when at least `Pillar.min_known` of them
   could be scored (the documented minimum per pillar); otherwise the pillar has no score and
   names what is missing. An unknown indicator is left out and named, never counted as zero.
3. The index is the unweighted mean of the pillar scores, and only when every pillar has a
   score: an "index" of one pillar, or of one indicator, is not shown as the index.
As in the Wijkprofiel, 90-110 reads as "around the reference", below 90 as less favourable,
below 70 as clearly less favourable, above 110 as more favourable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

SCALE = 10.0  # points per standard deviation


HIGHER_BETTER, HIGHER_WORSE, CONTEXT = "higher_better", "higher_worse", "context"


@dataclass(frozen=True)
class IndexIndicator:
    key: str
    direction: str  # HIGHER_BETTER, HIGHER_WORSE, or CONTEXT (shown, not scored)


@dataclass(frozen=True)
class Pillar:
    key: str
    indicators: tuple[IndexIndicator, ...]
    min_known: int = 0  # scored indicators needed for a pillar score; 0: more than half of them

    @property
    def scored(self) -> tuple[IndexIndicator, ...]:
        return tuple(i for i in self.indicators if i.direction != CONTEXT)

    @property
    def minimum(self) -> int:
        return self.min_known or len(self.scored) // 2 + 1


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
    reason: str = ""  # why no score: "unknown", "no reference", "no spread", "context"


@dataclass
class PillarScore:
    key: str
    score: float | None
    indicators: list[IndicatorScore] = field(default_factory=list)
    known: int = 0  # indicators scored
    needed: int = 0  # the pillar's minimum

    @property
    def band(self) -> str:
        return band_of(self.score)

    @property
    def missing(self) -> list[str]:
        """The scored indicators without a score (context indicators are not missing)."""
        return [s.key for s in self.indicators if s.score is None and s.reason != "context"]


@dataclass
class IndexResult:
    score: float | None
    pillars: list[PillarScore]

    def band(self) -> str:
        return band_of(self.score)

    @property
    def missing_pillars(self) -> list[str]:
        return [p.key for p in self.pillars if p.score is None]

    @property
    def complete(self) -> bool:
        """Every scored indicator of every pillar has a score."""
        return all(not p.missing for p in self.pillars)


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
    if direction == CONTEXT:
        return IndicatorScore(key, value, None, "context")
    if value is None:
        return IndicatorScore(key, None, None, "unknown")
    if ref is None:
        return IndicatorScore(key, value, None, "no reference")
    if ref.sd == 0:
        return IndicatorScore(key, value, None, "no spread")
    sign = -1.0 if direction == HIGHER_WORSE else 1.0
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
        score = sum(known) / len(known) if len(known) >= pillar.minimum else None
        pillar_scores.append(PillarScore(pillar.key, score, scored, len(known), pillar.minimum))
    complete = all(p.score is not None for p in pillar_scores)
    index = sum(p.score for p in pillar_scores) / len(pillar_scores) if complete and pillar_scores else None
    return IndexResult(index, pillar_scores)


def reference_coverage(references: Mapping[str, Reference | None], pillars: Sequence[Pillar]) -> int:
    """How many scored indicators the reference supports in a base year (a value and a spread)."""
    return sum(1 for p in pillars for i in p.scored
               if (ref := references.get(i.key)) is not None and ref.sd > 0)


def default_base_year(coverage: Mapping[int, int], pillars: Sequence[Pillar]) -> int | None:
    """The newest year in which the reference supports every scored indicator; failing that, the
    newest year with the most (the page then says which are missing)."""
    if not coverage:
        return None
    full = sum(len(p.scored) for p in pillars)
    complete = [y for y, n in coverage.items() if n >= full]
    if complete:
        return max(complete)
    return max(coverage, key=lambda y: (coverage[y], y))
