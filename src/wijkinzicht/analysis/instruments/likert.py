"""Custom Likert questionnaires defined by an administrator: items on one answer range, reverse-
scored items, subscales scored as the mean or the sum of their items, and a minimum number of
answered items per subscale.

Rules (decision 0008):
- a reverse-scored answer r becomes lowest + highest - r;
- a subscale is missing when fewer than `min_answered` of its items are answered;
- "mean" is the mean of the answered items; "sum" is that mean times the number of items of the
  subscale (prorated), so that a respondent who skipped one item is not scored as less lonely,
  less healthy, ... than one who answered it; with every item answered it is the plain sum;
- without subscales, one subscale "totaal" holds every item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np


class DefinitionError(ValueError):
    """The questionnaire's definition is inconsistent; the message says what to change."""


@dataclass(frozen=True)
class LikertScale:
    key: str
    name: str
    items: tuple[str, ...]
    lowest: int = 1
    highest: int = 5
    reverse: frozenset[str] = frozenset()
    subscales: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    method: str = "mean"
    min_answered: int = 1

    def __post_init__(self):
        problems = []
        if not self.items:
            problems.append("a questionnaire needs at least one item")
        if len(set(self.items)) != len(self.items):
            problems.append("item names must be unique")
        if self.lowest >= self.highest:
            problems.append("the lowest answer must lie below the highest")
        unknown = set(self.reverse) - set(self.items)
        if unknown:
            problems.append(f"reverse-scored items that are not items: {', '.join(sorted(unknown))}")
        for name, members in self.subscales.items():
            missing = set(members) - set(self.items)
            if missing:
                problems.append(f"subscale {name} has items that are not items: {', '.join(sorted(missing))}")
            if not members:
                problems.append(f"subscale {name} has no items")
        if self.method not in ("mean", "sum"):
            problems.append("method is mean or sum")
        smallest = min((len(m) for m in self.scales.values()), default=0)
        if not 1 <= self.min_answered <= max(smallest, 1):
            problems.append(
                f"the minimum of answered items lies between 1 and {smallest} (the smallest subscale)"
            )
        if problems:
            raise DefinitionError("; ".join(problems))

    @property
    def scales(self) -> dict[str, tuple[str, ...]]:
        return dict(self.subscales) if self.subscales else {"totaal": tuple(self.items)}

    def score(self, answers: np.ndarray | Sequence[Sequence[float]]) -> dict[str, np.ndarray]:
        """Scores per subscale for an (n, items) array in the order of `items`; NaN is unanswered
        and where a subscale is missing. Answers outside lowest..highest are a ValueError."""
        values = np.asarray(answers, dtype=float).reshape(-1, len(self.items))
        answered = ~np.isnan(values)
        outside = answered & ((values < self.lowest) | (values > self.highest) | (values != np.round(values)))
        if outside.any():
            row, col = (int(x) for x in np.argwhere(outside)[0])
            raise ValueError(
                f"row {row + 1}, item {self.items[col]}: {values[row, col]:g} is not an answer "
                f"({self.lowest} to {self.highest})"
            )
        flip = np.array([item in self.reverse for item in self.items])
        values = np.where(flip, self.lowest + self.highest - values, values)
        index = {item: k for k, item in enumerate(self.items)}
        out = {}
        for name, members in self.scales.items():
            cols = [index[m] for m in members]
            sub = values[:, cols]
            count = (~np.isnan(sub)).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = np.nansum(sub, axis=1) / count
            score = mean * len(cols) if self.method == "sum" else mean
            out[name] = np.where(count >= self.min_answered, score, np.nan)
        return out
