"""Comparable neighbourhoods: the k nearest areas on standardised indicators.

Each indicator is standardised over the candidate areas (z = (x - mean) / sd); the distance
between two areas is the Euclidean distance over the chosen indicators divided by the square
root of their number (so it reads as "standard deviations apart on average"). Areas with an
unknown value on any chosen indicator are left out of the comparison, and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Neighbour:
    unit: str
    distance: float
    # per indicator: (value of the neighbour, difference in standard deviations from the target)
    differences: dict[str, tuple[float, float]]

    def most_similar(self, n: int = 3) -> list[str]:
        """The indicators on which the neighbour is closest to the target."""
        return sorted(self.differences, key=lambda k: abs(self.differences[k][1]))[:n]


@dataclass
class SimilarityResult:
    target: str
    indicators: list[str]
    neighbours: list[Neighbour]
    candidates: int
    excluded_missing: int
    target_values: dict[str, float]


def nearest(
    target: str,
    units: Sequence[str],
    matrix: np.ndarray,
    indicators: Sequence[str],
    k: int = 10,
    exclude: frozenset[str] = frozenset(),
) -> SimilarityResult:
    """The k units nearest to target; matrix rows are units, columns indicators (NaN unknown)."""
    units = list(units)
    if target not in units:
        raise ValueError(f"{target} is not among the units")
    x = np.asarray(matrix, dtype=float)
    complete = ~np.isnan(x).any(axis=1)
    t = units.index(target)
    if not complete[t]:
        raise ValueError(f"{target} has unknown values on the chosen indicators")
    keep = complete.copy()
    for i, u in enumerate(units):
        if u in exclude:
            keep[i] = False
    keep[t] = True
    excluded_missing = int((~complete).sum())
    sub = x[keep]
    sub_units = [u for u, k_ in zip(units, keep, strict=True) if k_]
    mean = sub.mean(axis=0)
    sd = sub.std(axis=0, ddof=1) if len(sub) > 1 else np.ones(sub.shape[1])
    sd = np.where(sd > 0, sd, 1.0)
    z = (sub - mean) / sd
    ti = sub_units.index(target)
    diff = z - z[ti]
    dist = np.sqrt((diff**2).sum(axis=1) / max(len(indicators), 1))
    dist[ti] = np.inf
    order = np.argsort(dist, kind="stable")[: min(k, len(sub_units) - 1)]
    neighbours = [
        Neighbour(
            unit=sub_units[i],
            distance=float(dist[i]),
            differences={ind: (float(sub[i, j]), float(diff[i, j])) for j, ind in enumerate(indicators)},
        )
        for i in order
    ]
    return SimilarityResult(
        target=target,
        indicators=list(indicators),
        neighbours=neighbours,
        candidates=len(sub_units) - 1,
        excluded_missing=excluded_missing,
        target_values={ind: float(sub[ti, j]) for j, ind in enumerate(indicators)},
    )
