"""Person level: paired change in a score, and the composition of an area's change.

Paired change: for people measured twice, the mean change with a t-based 95% interval, the
effect size d_z = mean change / sd of the changes (Cohen 1988; Lakens 2013), and the share
improved, unchanged or worsened by the reliable change index of Jacobson & Truax (1991):
RCI = change / (sqrt(2) * SEM), SEM = sd at the first measurement * sqrt(1 - reliability); a
change counts when |RCI| > 1.96.

Composition: an area mean moves because the people who stay change, and because the people who
leave differ from those who arrive. With unweighted means (Melitz & Polanec 2015):
    M1 - M0 = (S1 - S0) + e1 (E1 - S1) - x0 (X0 - S0)
S: stayers (in the area at both times), E: entrants (only at the second), X: leavers (only at the
first), e1 the entrants' share at the second time, x0 the leavers' share at the first. The three
parts add up exactly to the change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .panel import EvaluationError

RELIABLE = 1.959963984540054


@dataclass
class PairedChange:
    n: int
    mean_before: float
    mean_after: float
    mean_change: float
    ci: tuple[float, float]
    sd_change: float
    effect_size: float  # d_z
    p_value: float
    improved: float  # shares, by the reliable change index (None without a reliability)
    unchanged: float
    worsened: float
    reliability: float | None
    higher_is_better: bool


def paired_change(
    before: Iterable[float],
    after: Iterable[float],
    *,
    higher_is_better: bool,
    reliability: float | None = None,
) -> PairedChange:
    a = np.asarray(list(before), dtype=float)
    b = np.asarray(list(after), dtype=float)
    if a.shape != b.shape:
        raise EvaluationError("before and after must hold one score per person")
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    n = len(a)
    if n < 2:
        raise EvaluationError(
            f"a paired analysis needs at least 2 people with both measurements; there are {n}"
        )
    if reliability is not None and not 0 <= reliability < 1:
        raise EvaluationError("reliability must be at least 0 and below 1")
    d = b - a
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    t = stats.t.ppf(0.975, n - 1)
    p = float(2 * stats.t.sf(abs(mean) / se, n - 1)) if se > 0 else (1.0 if mean == 0 else 0.0)
    effect = mean / sd if sd > 0 else (0.0 if mean == 0 else math.copysign(math.inf, mean))
    improved = unchanged = worsened = math.nan
    if reliability is not None:
        sem = float(a.std(ddof=1)) * math.sqrt(1 - reliability)
        rci = d / (math.sqrt(2) * sem) if sem > 0 else np.sign(d) * np.inf
        better = rci > RELIABLE if higher_is_better else rci < -RELIABLE
        worse = rci < -RELIABLE if higher_is_better else rci > RELIABLE
        improved, worsened = float(better.mean()), float(worse.mean())
        unchanged = 1.0 - improved - worsened
    return PairedChange(
        n,
        float(a.mean()),
        float(b.mean()),
        mean,
        (mean - t * se, mean + t * se),
        sd,
        effect,
        p,
        improved,
        unchanged,
        worsened,
        reliability,
        higher_is_better,
    )


@dataclass
class Composition:
    mean_before: float
    mean_after: float
    change: float
    stayers_change: float  # S1 - S0
    entrants_effect: float  # e1 (E1 - S1)
    leavers_effect: float  # -x0 (X0 - S0)
    stayers: int
    entrants: int
    leavers: int


def composition(before: Mapping[str, float], after: Mapping[str, float]) -> Composition:
    """``before``/``after``: person -> score for the people living in the area at each time."""
    b = {k: float(v) for k, v in before.items() if v is not None and not math.isnan(float(v))}
    a = {k: float(v) for k, v in after.items() if v is not None and not math.isnan(float(v))}
    if not b or not a:
        raise EvaluationError("composition needs people measured at both times")
    stay = sorted(set(b) & set(a))
    if not stay:
        raise EvaluationError(
            "no person was measured in the area at both times: the stayers cannot be followed"
        )
    leave = [k for k in b if k not in a]
    enter = [k for k in a if k not in b]
    s0 = float(np.mean([b[k] for k in stay]))
    s1 = float(np.mean([a[k] for k in stay]))
    m0, m1 = float(np.mean(list(b.values()))), float(np.mean(list(a.values())))
    e1 = len(enter) / len(a)
    x0 = len(leave) / len(b)
    entrants = e1 * (float(np.mean([a[k] for k in enter])) - s1) if enter else 0.0
    leavers = -x0 * (float(np.mean([b[k] for k in leave])) - s0) if leave else 0.0
    return Composition(m0, m1, m1 - m0, s1 - s0, entrants, leavers, len(stay), len(enter), len(leave))
