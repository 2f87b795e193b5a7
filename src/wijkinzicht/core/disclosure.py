"""Disclosure control for figures shared outside the organisation that registered them.

Pure Python and numpy; Django only to read the threshold setting. Two tools (decision 0014,
docs/privacy.md):

**The cell-key method** (ABS TableBuilder; CBS and Eurostat's cellKey in sdcTools) for every count
of residents that leaves the organisation: every record carries a permanent random 32-bit key
(`new_record_key`: participants, attendance rows, meetings for their anonymous visitors); a cell's
key is the sum of its records' keys modulo 2^32, and its perturbation is looked up in a fixed table
from that key. The same records always give the same published value (asking again reveals
nothing), and two overlapping queries that differ by a few records have unrelated perturbations,
so their difference is the hidden count plus noise, never the hidden count. Counts under the
threshold are suppressed ("<5"); the others are shown perturbed by -2..+2 (never below the
threshold). Margins are perturbed from their own keys, so a published table does not add up
exactly, and subtracting the visible cells from a total gives the hidden cell only within +-2 per
cell involved. `perturbed_table` builds such a table; `show_perturbed` one count.

**Suppression with margins** (below) for tables published exactly: what decision 0007 built, kept for
the figures of one's own organisation that go to a partner without noise (none at the moment) and
for the audit in the tests. The rule:

1. Primary: every count under the threshold (5) is shown as "<5" — zero included, so that an
   empty cell cannot be told apart from a small one.
2. Secondary: a table is published with its margins (row totals, column totals, grand total).
   Every line of the table — a row with its total, a column with its total — is a linear
   equation. A suppressed cell must not follow from those equations: not by subtracting the
   other cells from a total (a line with exactly one suppressed entry), and not by combining
   lines. After the line rule, an exact audit finds every suppressed entry that is the same in
   every solution of the equations; for a two-way table with margins these are exactly the
   bridges of the bipartite graph of suppressed entries (see `bridges`; the tests check this
   against a null-space computation). Disclosed entries get a partner suppressed — the smallest
   visible inner cell of one of their lines — until nothing is disclosed.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 5
SUPPRESSED = "<5"
KEY_MODULUS = 1 << 32
# The perturbation table: (perturbation, probability), mean 0, variance 0.7. A cell key k picks the
# perturbation whose cumulative probability band holds k / 2^32.
PERTURBATIONS = np.array([-2, -1, 0, 1, 2], dtype=np.int64)
PROBABILITIES = np.array([0.05, 0.15, 0.60, 0.15, 0.05])
_BANDS = np.cumsum(PROBABILITIES)[:-1] * KEY_MODULUS
MAX_PERTURBATION = int(np.abs(PERTURBATIONS).max())


def new_record_key() -> int:
    """A record's permanent random key (the default of the record_key fields)."""
    return secrets.randbits(32)


def configured_threshold() -> int:
    """The suppression threshold: WIJKINZICHT_SUPPRESSION_THRESHOLD (5 unless configured)."""
    try:
        from django.conf import settings

        return int(settings.SUPPRESSION_THRESHOLD)
    except Exception:  # outside Django (pure use in the tests)
        return THRESHOLD


def suppressed_text(limit: int | None = None) -> str:
    return f"<{configured_threshold() if limit is None else limit}"


def perturbation(keys) -> np.ndarray:
    """The perturbation of cells with these cell keys (sums of record keys, any size)."""
    k = np.asarray(keys, dtype=np.uint64) % np.uint64(KEY_MODULUS)
    return PERTURBATIONS[np.searchsorted(_BANDS, k.astype(np.float64), side="right")]


def show_perturbed(count: int, key: int, *, limit: int | None = None) -> int | str:
    """One published count of residents: "<5" under the threshold, else perturbed (never shown
    under the threshold, so that a perturbed value cannot pass for a suppressed one)."""
    limit = configured_threshold() if limit is None else limit
    if count < limit:
        return suppressed_text(limit)
    return max(limit, int(count) + int(perturbation([int(key) % KEY_MODULUS])[0]))


def possible_counts(shown: int | str, *, limit: int | None = None) -> tuple[int, int]:
    """The true counts an outsider cannot rule out from a published value: what the published
    figure means, and what the property tests hold the method to."""
    limit = configured_threshold() if limit is None else limit
    if isinstance(shown, str):
        return 0, limit - 1
    if shown == limit:  # a count up to limit + 2 can have been pulled down to the threshold
        return limit, limit + MAX_PERTURBATION
    return max(limit, shown - MAX_PERTURBATION), shown + MAX_PERTURBATION


HIDDEN_TOTAL = "x"  # a margin hidden so that a suppressed cell cannot be pinned (CBS: "geheim")


@dataclass
class PerturbedTable:
    """Counts with their margins, published by the cell-key method. The margins' keys are the sums
    of their cells' keys (the key of a union of disjoint sets of records). After perturbation an
    audit takes each line (a row or column with its total): when the published values would pin a
    suppressed cell of the line to one value (a total perturbed down while a visible cell is
    perturbed up can leave only 0), the line's total is hidden as "x"."""

    counts: np.ndarray  # (rows, cols)
    keys: np.ndarray  # (rows, cols), record-key sums
    limit: int

    def __post_init__(self):
        n_rows, n_cols = self.counts.shape
        shown = np.empty((n_rows + 1, n_cols + 1), dtype=object)
        for i in range(n_rows):
            for j in range(n_cols):
                shown[i, j] = self._show(self.counts[i, j], self.keys[i, j])
            shown[i, n_cols] = self._show(self.counts[i].sum(), sum(self.keys[i]))
        for j in range(n_cols):
            shown[n_rows, j] = self._show(self.counts[:, j].sum(), sum(self.keys[:, j]))
        shown[n_rows, n_cols] = self._show(self.counts.sum(), sum(sum(r) for r in self.keys))
        for _round in range(shown.size):
            lines = [shown[i, :] for i in range(n_rows + 1)] + [shown[:, j] for j in range(n_cols + 1)]
            pinned = [line for line in lines if _pins_a_cell(list(line), self.limit)]
            if not pinned:
                break
            for line in pinned:
                line[-1] = HIDDEN_TOTAL
        self.shown = shown

    def _show(self, count, key) -> int | str:
        return show_perturbed(int(count), int(key) % KEY_MODULUS, limit=self.limit)

    def cell(self, i: int, j: int) -> int | str:
        return self.shown[i, j]

    def row_total(self, i: int) -> int | str:
        return self.shown[i, -1]

    def col_total(self, j: int) -> int | str:
        return self.shown[-1, j]

    def grand_total(self) -> int | str:
        return self.shown[-1, -1]


def _pins_a_cell(line: list, limit: int) -> bool:
    """Whether a line (its cells, then its total) leaves a suppressed cell only one possible value,
    given what each published value leaves open (`possible_counts`)."""
    *cells, total = line
    if total == HIDDEN_TOTAL or HIDDEN_TOTAL in cells:
        return False
    hidden = [c for c in cells if isinstance(c, str)]
    if not hidden or not cells:
        return False
    lo_t, hi_t = possible_counts(total, limit=limit)
    visible = [possible_counts(c, limit=limit) for c in cells if not isinstance(c, str)]
    lo = lo_t - sum(h for _l, h in visible)
    hi = hi_t - sum(low for low, _h in visible)
    others = (len(hidden) - 1) * (limit - 1)  # the other suppressed cells: 0 .. limit - 1 each
    return min(limit - 1, hi) - max(0, lo - others) + 1 < 2


def perturbed_table(counts, keys, *, limit: int | None = None) -> PerturbedTable:
    """A table of counts of residents (and their record-key sums) to publish by the cell-key method."""
    c = np.asarray(counts, dtype=np.int64).reshape(len(counts), -1) if len(counts) else np.zeros((0, 0), int)
    k = np.asarray(keys, dtype=object).reshape(c.shape) if len(counts) else np.zeros((0, 0), object)
    # keys as Python ints (object array): sums of many 32-bit keys do not overflow
    k = np.vectorize(lambda v: int(v) % KEY_MODULUS, otypes=[object])(k) if k.size else k
    return PerturbedTable(counts=c, keys=k, limit=configured_threshold() if limit is None else limit)


@dataclass
class SuppressedTable:
    """Counts with their margins; `hidden` marks the entries shown as '<5'."""

    cells: np.ndarray  # (rows, cols) counts
    row_totals: np.ndarray  # (rows,)
    col_totals: np.ndarray  # (cols,)
    total: int
    hidden: np.ndarray  # (rows + 1, cols + 1) bool; last row/column are the margins

    def cell(self, i: int, j: int) -> int | str:
        return SUPPRESSED if self.hidden[i, j] else int(self.cells[i, j])

    def row_total(self, i: int) -> int | str:
        return SUPPRESSED if self.hidden[i, -1] else int(self.row_totals[i])

    def col_total(self, j: int) -> int | str:
        return SUPPRESSED if self.hidden[-1, j] else int(self.col_totals[j])

    def grand_total(self) -> int | str:
        return SUPPRESSED if self.hidden[-1, -1] else int(self.total)


def show(value: int, *, threshold: int | None = None) -> int | str:
    """One published count on its own, exact: '<5' under the threshold (the setting by default)."""
    limit = configured_threshold() if threshold is None else threshold
    return suppressed_text(limit) if value < limit else int(value)


def bridges(hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden entries whose value follows from the published ones: the bridges of the graph.

    Give the margins a minus sign and every row and every column of the augmented table sums to
    zero. Read each row and each column as a node and each hidden entry (i, j) as an edge between
    row i and column j: the unknowns can change without changing a published figure only along a
    cycle of that bipartite graph (+d, -d, +d, ... around it). An entry on no cycle -- a bridge --
    has one possible value and is disclosed. Tarjan's bridge search, O(rows + columns + hidden)."""
    n_rows, n_cols = hidden.shape
    adjacency: list[list[tuple[int, int]]] = [[] for _ in range(n_rows + n_cols)]
    edges = [(int(i), int(j)) for i, j in np.argwhere(hidden)]
    for k, (i, j) in enumerate(edges):
        adjacency[i].append((n_rows + j, k))
        adjacency[n_rows + j].append((i, k))
    order = [-1] * len(adjacency)
    low = [0] * len(adjacency)
    found: list[tuple[int, int]] = []
    counter = 0
    for root in range(len(adjacency)):
        if order[root] != -1 or not adjacency[root]:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, -1, iter(adjacency[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for nxt, k in neighbours:
                if k == via:
                    continue
                if order[nxt] == -1:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, k, iter(adjacency[nxt])))
                    break
                low[node] = min(low[node], order[nxt])
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(edges[via])
    return found


def suppress_table(cells: Sequence[Sequence[int]], *, threshold: int = THRESHOLD) -> SuppressedTable:
    """Suppress a table of counts published with its row, column and grand totals."""
    c = np.asarray(cells, dtype=np.int64).reshape(len(cells), -1) if len(cells) else np.zeros((0, 0), int)
    n_rows, n_cols = c.shape
    full = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    full[:n_rows, :n_cols] = c
    full[:n_rows, n_cols] = c.sum(axis=1)
    full[n_rows, :n_cols] = c.sum(axis=0)
    full[n_rows, n_cols] = c.sum()
    hidden = full < threshold
    # the partner hidden beside a disclosed entry: an inner cell before a total, then the smallest
    cost = full.astype(float)
    cost[n_rows, :] += 1e15
    cost[:, n_cols] += 1e15

    def hide_partner(line: np.ndarray, index) -> bool:
        visible = ~line
        if not visible.any():
            return False
        k = int(np.argmin(np.where(visible, cost[index], np.inf)))
        if isinstance(index, tuple):  # a column: index = (slice, j)
            hidden[k, index[1]] = True
        else:
            hidden[index, k] = True
        return True

    for _round in range(hidden.size + 1):
        # a line with one hidden entry gives it away by subtraction: hide a partner in every such line
        changed = False
        for i in np.flatnonzero(hidden.sum(axis=1) == 1):
            changed |= hide_partner(hidden[i], i)
        for j in np.flatnonzero(hidden.sum(axis=0) == 1):
            changed |= hide_partner(hidden[:, j], (slice(None), j))
        if changed:
            continue
        # then the exact audit: an entry on no cycle of hidden entries follows from the equations
        disclosed = bridges(hidden)
        if not disclosed:
            break
        i, j = disclosed[0]
        if not hide_partner(hidden[i], i):
            hide_partner(hidden[:, j], (slice(None), j))
    return SuppressedTable(
        cells=c,
        row_totals=full[:n_rows, n_cols],
        col_totals=full[n_rows, :n_cols],
        total=int(full[n_rows, n_cols]),
        hidden=hidden,
    )


def suppress_column(
    values: Sequence[int], *, threshold: int = THRESHOLD
) -> tuple[list[int | str], int | str]:
    """A single column of counts with its total: the one-dimensional case of suppress_table."""
    table = suppress_table([[v] for v in values], threshold=threshold)
    return [table.cell(i, 0) for i in range(len(values))], table.grand_total()
