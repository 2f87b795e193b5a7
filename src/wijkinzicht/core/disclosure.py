"""Small-cell suppression for figures shared outside the organisation that registered them.

Pure Python and numpy, no Django. The rule (decision 0007):

1. Primary: every count under the threshold (5) is shown as "<5" — zero included, so that an
   empty cell cannot be told apart from a small one.
2. Secondary: a table is published with its margins (row totals, column totals, grand total).
   Every line of the table — a row with its total, a column with its total — is a linear
   equation. A suppressed cell must not follow from those equations: not by subtracting the
   other cells from a total (a line with exactly one suppressed entry), and not by combining
   lines. After the line rule, an exact audit solves the equations: a suppressed entry is
   disclosed when it is the same in every solution (its coordinate is zero in the null space
   of the constraint matrix). Disclosed entries get a partner suppressed — the smallest
   visible cell of one of their lines — until nothing is disclosed.
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


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    """Each line is the list of entries of an equation; its last entry is the total."""
    lines = [[(i, j) for j in range(n_cols)] + [(i, n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] + [(n_rows, j)] for j in range(n_cols)]
    # the margins add up too: row totals to the grand total, column totals to the grand total
    lines.append([(i, n_cols) for i in range(n_rows)] + [(n_rows, n_cols)])
    lines.append([(n_rows, j) for j in range(n_cols)] + [(n_rows, n_cols)])
    return lines


def _disclosed(hidden: np.ndarray, lines: list[list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Hidden entries whose value follows from the published entries and the line equations."""
    unknowns = [tuple(x) for x in np.argwhere(hidden)]
    if not unknowns:
        return []
    index = {u: k for k, u in enumerate(unknowns)}
    rows = []
    for line in lines:
        coefficients = np.zeros(len(unknowns))
        total = line[-1]
        for entry in line:
            k = index.get(entry)
            if k is not None:
                coefficients[k] = -1.0 if entry == total else 1.0
        if coefficients.any():
            rows.append(coefficients)
    if not rows:
        return []
    a = np.array(rows)
    # null space of a: the directions in which the hidden entries can move without changing
    # any published figure; an entry with no freedom in any direction is disclosed.
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, s[0])).sum())
    null = vt[rank:]
    if null.size == 0:
        return unknowns
    free = np.abs(null).max(axis=0) > 1e-9
    return [u for u, f in zip(unknowns, free, strict=True) if not f]


def suppress_table(
    cells: Sequence[Sequence[int]], *, threshold: int = THRESHOLD, audit_limit: int = 2500
) -> SuppressedTable:
    """Suppress a table of counts published with its row, column and grand totals."""
    c = np.asarray(cells, dtype=np.int64).reshape(len(cells), -1) if len(cells) else np.zeros((0, 0), int)
    n_rows, n_cols = c.shape
    full = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    full[:n_rows, :n_cols] = c
    full[:n_rows, n_cols] = c.sum(axis=1)
    full[n_rows, :n_cols] = c.sum(axis=0)
    full[n_rows, n_cols] = c.sum()
    hidden = full < threshold
    lines = _lines(n_rows, n_cols)

    def partner(line: list[tuple[int, int]]) -> tuple[int, int] | None:
        visible = [e for e in line if not hidden[e]]
        if not visible:
            return None
        # prefer inner cells over totals, then the smallest value
        return min(visible, key=lambda e: (e == line[-1], full[e], e))

    for _round in range(4 * (n_rows + n_cols + 2)):
        changed = False
        for line in lines:
            if sum(hidden[e] for e in line) == 1:
                p = partner(line)
                if p is not None:
                    hidden[p] = True
                    changed = True
        if changed:
            continue
        if hidden.sum() > audit_limit:
            break
        disclosed = _disclosed(hidden, lines)
        if not disclosed:
            break
        target = disclosed[0]
        for line in lines:
            if target in line:
                p = partner(line)
                if p is not None:
                    hidden[p] = True
                    break
        else:  # pragma: no cover - every entry is on a line
            break
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
