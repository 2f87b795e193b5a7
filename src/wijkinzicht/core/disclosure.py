"""Small-cell suppression for figures shared outside the organisation that registered them.

Pure Python and numpy, no Django. The rule (decision 0007):

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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

THRESHOLD = 5
SUPPRESSED = "<5"


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


def show(value: int, *, threshold: int = THRESHOLD) -> int | str:
    """One published count on its own: '<5' under the threshold."""
    return SUPPRESSED if value < threshold else int(value)


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
