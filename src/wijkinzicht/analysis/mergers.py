"""Which gemeente a dissolved gemeente went into: lineage links for gemeente mergers (issue 14).

CBS publishes when every gemeente began and ended, not which new gemeente took a dissolved one's
territory. Two independent pieces of public evidence decide it here (decision 0017):

1. **Place names.** A merger keeps its villages: the wijk and buurt names of the new gemeente name
   the places of the old ones ("Wijk 04 Leek" in Westerkwartier, "Ulrum" in Het Hogeland). Each
   dissolved gemeente is scored against every gemeente that began on the day it ended, by the
   words (4 letters or more, not digits) its wijk and buurt names share with the candidate's,
   weighted by rarity (log of the number of gemeenten over the number that use the word; words used
   in more than `MAX_SPREAD` gemeenten -- "centrum", "buitengebied" -- are left out). The best
   candidate must score at least `MIN_SCORE` and `RATIO` times the runner-up.
2. **Dwellings add up.** A successor is linked to the predecessors chosen for it only when its
   dwellings in its first year equal theirs in the year before within `TOLERANCE` (2.5 %: a year's
   new building and demolition). Where they do not, part of a predecessor went elsewhere, or a
   predecessor is missing (Westerkwartier also took Ezinge from Winsum: +4.2 %), and no link is
   made: a series that sums the wrong parts would mislead more than one that breaks.

A linked predecessor passed whole (share 1).

**Absorptions** -- a gemeente taken in by one that kept its code (Haren and Ten Boer into
Groningen, 2019) -- are found the same way among the gemeenten that existed on both sides of the
day, for the dissolved gemeenten no new gemeente took: the place words must point at one of them,
and that gemeente's dwellings must have jumped in that year by the absorbed gemeenten's dwellings
within `TOLERANCE` of its own. Such a link is of another kind (`absorbed`): the absorbing
gemeente's series does not become a sum, it is marked as covering a larger area from that year on.
No Django here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .text import normalise

MIN_SCORE = 5.0
RATIO = 3.0
MAX_SPREAD = 3
TOLERANCE = 0.025


@dataclass(frozen=True)
class Gemeente:
    code: str
    name: str
    begin: dt.date
    end: dt.date | None = None


@dataclass
class Finding:
    """The verdict on one dissolved gemeente."""

    predecessor: Gemeente
    successor: Gemeente | None = None
    year: int = 0
    score: float = 0.0
    runner_up: float = 0.0
    dwellings_difference: float | None = None  # (successor - predecessors) / successor
    linked: bool = False
    absorbed: bool = False  # taken in by a gemeente that kept its code (the successor)
    reason: str = ""  # "linked", "absorbed", "mid_year", "no_candidate", "no_names", "weak_names",
    # "no_dwellings", "dwellings_differ"


def place_words(name: str) -> set[str]:
    return {w for w in normalise(name).split() if len(w) >= 4 and not w.isdigit()}


def find_mergers(gemeenten: Iterable[Gemeente], names: dict[str, Iterable[str]],
                 dwellings: dict[tuple[str, int], float], *, first_year: int = 1900,
                 tolerance: float = TOLERANCE) -> list[Finding]:
    """One Finding per gemeente that ended on 1 January of a year from `first_year` on.

    `names`: per gemeente code, the names of its wijken and buurten (any year); `dwellings`:
    (gemeente code, year) -> number of dwellings."""
    gemeenten = list(gemeenten)
    words: dict[str, Counter] = {code: Counter(w for n in ns for w in place_words(n))
                                 for code, ns in names.items()}
    spread = Counter(w for counts in words.values() for w in counts)
    total = max(len(words), 1)
    began: dict[dt.date, list[Gemeente]] = defaultdict(list)
    for g in gemeenten:
        began[g.begin].append(g)
    findings: list[Finding] = []
    for g in gemeenten:
        if g.end is None or g.end.year < first_year:
            continue
        finding = Finding(g, year=g.end.year)
        findings.append(finding)
        if (g.end.month, g.end.day) != (1, 1):
            finding.reason = "mid_year"  # the KWB divisions are those of 1 January
            continue
        candidates = [s for s in began.get(g.end, []) if s.code != g.code]
        if not candidates:
            finding.reason = "no_candidate"
            continue
        mine = words.get(g.code)
        if not mine:
            finding.reason = "no_names"
            continue

        ranked = sorted(((_score(mine, words.get(s.code, Counter()), spread, total), s.code, s)
                         for s in candidates), key=lambda t: (-t[0], t[1]))
        finding.score = ranked[0][0]
        finding.runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
        if finding.score < MIN_SCORE or finding.score < RATIO * finding.runner_up:
            finding.reason = "weak_names"
            continue
        finding.successor = ranked[0][2]
    _check_dwellings(findings, dwellings, tolerance)
    _absorptions(findings, gemeenten, words, spread, total, dwellings, tolerance)
    return findings


def _score(mine: Counter, theirs: Counter, spread: Counter, total: int) -> float:
    return sum(math.log(total / spread[w]) for w in mine if w in theirs and spread[w] <= MAX_SPREAD)


def _check_dwellings(findings: list[Finding], dwellings: dict[tuple[str, int], float],
                     tolerance: float) -> None:
    """Link each new gemeente's predecessors when their dwellings add up to its own."""
    by_successor: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.successor is not None:
            by_successor[f.successor.code].append(f)
    for code, group in by_successor.items():
        year = group[0].year
        after = dwellings.get((code, year))
        before = [dwellings.get((f.predecessor.code, year - 1)) for f in group]
        if not after or any(b is None for b in before):
            for f in group:
                f.reason = "no_dwellings"
            continue
        difference = (after - sum(before)) / after
        for f in group:
            f.dwellings_difference = difference
            f.linked = abs(difference) <= tolerance
            f.reason = "linked" if f.linked else "dwellings_differ"


def _absorptions(findings: list[Finding], gemeenten: list[Gemeente], words: dict[str, Counter],
                 spread: Counter, total: int, dwellings: dict[tuple[str, int], float],
                 tolerance: float) -> None:
    """Dissolved gemeenten no new gemeente took: taken in by a gemeente that kept its code?"""
    chosen: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    named = [g for g in gemeenten if g.code in words]  # only these can score
    alive_on: dict = {}
    for f in findings:
        if f.reason not in ("weak_names", "no_candidate"):
            continue
        day = f.predecessor.end
        if day not in alive_on:  # once per day, not per gemeente (a long file stays linear)
            alive_on[day] = [g for g in named if g.begin < day and (g.end is None or g.end > day)]
        alive = [g for g in alive_on[day] if g.code != f.predecessor.code]
        mine = words.get(f.predecessor.code)
        if not mine or not alive:
            continue
        scored = [(_score(mine, words.get(g.code, Counter()), spread, total), g.code, g) for g in alive]
        ranked = sorted(scored, key=lambda t: (-t[0], t[1]))
        best, runner_up = ranked[0][0], (ranked[1][0] if len(ranked) > 1 else 0.0)
        if best >= MIN_SCORE and best >= RATIO * runner_up:
            f.successor, f.score, f.runner_up = ranked[0][2], best, runner_up
            chosen[(ranked[0][1], f.year)].append(f)
    for (code, year), group in chosen.items():
        after, before = dwellings.get((code, year)), dwellings.get((code, year - 1))
        taken = [dwellings.get((f.predecessor.code, year - 1)) for f in group]
        if not after or before is None or any(t is None for t in taken):
            for f in group:
                f.reason = "no_dwellings"
            continue
        difference = (after - before - sum(taken)) / after  # the jump beyond what was taken in
        for f in group:
            f.dwellings_difference = difference
            f.absorbed = f.linked = abs(difference) <= tolerance
            f.reason = "absorbed" if f.linked else "dwellings_differ"
