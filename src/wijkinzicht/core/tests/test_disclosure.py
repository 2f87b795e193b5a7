"""Small-cell suppression: hand-worked tables and a property test with an exact audit."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkinzicht.core.disclosure import SUPPRESSED, bridges, show, suppress_column, suppress_table


# An independent oracle for the audit: solve the table's equations with linear algebra.
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


def test_single_count():
    assert show(4) == SUPPRESSED
    assert show(0) == SUPPRESSED
    assert show(5) == 5


def test_one_small_cell_gets_a_partner_so_the_total_does_not_give_it_away():
    values, total = suppress_column([3, 12, 20, 40])
    assert total == 75
    assert values[0] == SUPPRESSED
    # 75 - 12 - 20 - 40 would give 3 back: the smallest other cell is hidden too
    assert values[1] == SUPPRESSED
    assert values[2:] == [20, 40]


def test_two_small_cells_need_no_partner():
    values, total = suppress_column([3, 2, 20, 40])
    assert values == [SUPPRESSED, SUPPRESSED, 20, 40]
    assert total == 65


def test_small_total_hides_everything_in_the_line():
    values, total = suppress_column([1, 2])
    assert values == [SUPPRESSED, SUPPRESSED] and total == SUPPRESSED


def test_two_way_table_rows_and_columns():
    t = suppress_table([[3, 10, 12], [8, 9, 20], [6, 7, 30]])
    hidden = t.hidden[:3, :3]
    assert hidden[0, 0]
    # every row and column with a hidden cell has at least two
    for line in (*hidden, *hidden.T):
        assert line.sum() in (0, 2, 3)
    assert t.grand_total() == 105
    assert t.cell(2, 2) == 30


def test_row_total_under_threshold_is_hidden_with_a_partner_total():
    t = suppress_table([[1, 2], [10, 20], [30, 40]])
    assert t.row_total(0) == SUPPRESSED
    # the grand total minus the other row totals would give row 0: another row total is hidden
    hidden_row_totals = sum(t.row_total(i) == SUPPRESSED for i in range(3))
    assert hidden_row_totals >= 2


def test_empty_table():
    t = suppress_table([])
    assert t.grand_total() == SUPPRESSED


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 6), st.integers(1, 5), st.data())
def test_no_hidden_count_can_be_worked_out(rows, cols, data):
    cells = np.array(data.draw(st.lists(st.lists(st.integers(0, 40), min_size=cols, max_size=cols),
                                        min_size=rows, max_size=rows)))
    t = suppress_table(cells.tolist())
    # every published count under 5 is hidden
    assert t.hidden[:rows, :cols][cells < 5].all()
    # and no hidden entry follows from the published ones and the table's equations
    assert _disclosed(t.hidden, _lines(rows, cols)) == []
    assert bridges(t.hidden) == []
    # published numbers are the true ones
    for i in range(rows):
        for j in range(cols):
            assert t.cell(i, j) == (SUPPRESSED if t.hidden[i, j] else cells[i, j])


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(1, 5), st.data())
def test_bridges_are_exactly_the_entries_the_equations_disclose(rows, cols, data):
    hidden = np.array(data.draw(st.lists(st.lists(st.booleans(), min_size=cols + 1, max_size=cols + 1),
                                         min_size=rows + 1, max_size=rows + 1)))
    assert sorted(bridges(hidden)) == sorted(_disclosed(hidden, _lines(rows, cols)))


def test_a_table_of_every_amsterdam_buurt():
    # 480 buurten x 6 age groups, most counts small: too large for the linear-algebra oracle
    rng = np.random.default_rng(1)
    cells = rng.poisson(4, size=(480, 6))
    t = suppress_table(cells.tolist())
    assert t.hidden[:480, :6][cells < 5].all()
    assert bridges(t.hidden) == []
    assert not (t.hidden.sum(axis=0) == 1).any() and not (t.hidden.sum(axis=1) == 1).any()


# ---------------------------------------------------------------- the cell-key method (issue 12)

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from wijkinzicht.core.disclosure import (  # noqa: E402
    KEY_MODULUS,
    perturbation,
    perturbed_table,
    possible_counts,
    show_perturbed,
)


def test_perturbations_follow_the_table():
    keys = np.random.default_rng(20261130).integers(0, KEY_MODULUS, 200_000, dtype=np.uint64)
    shares = np.bincount(perturbation(keys) + 2, minlength=5) / len(keys)
    assert np.allclose(shares, [0.05, 0.15, 0.60, 0.15, 0.05], atol=0.005)
    assert abs(float(perturbation(keys).mean())) < 0.01


@st.composite
def overlapping_queries(draw):
    """Records with random keys; an outsider's two queries, the second the first plus a few
    records (a day more, a buurt more, another organisation's activity in the area)."""
    n_common = draw(st.integers(0, 60))
    n_extra = draw(st.integers(1, 6))
    keys = draw(st.lists(st.integers(0, KEY_MODULUS - 1), min_size=n_common + n_extra,
                         max_size=n_common + n_extra))
    return keys[:n_common], keys[n_common:]


@settings(max_examples=400, deadline=None)
@given(overlapping_queries())
def test_no_difference_of_two_overlapping_queries_recovers_the_records_between_them(case):
    """What the outsider knows: the two published values and how the method works. The number of
    records between the queries is then never pinned to one value."""
    common, extra = case
    first = show_perturbed(len(common), sum(common), limit=5)
    second = show_perturbed(len(common) + len(extra), sum(common) + sum(extra), limit=5)
    lo1, hi1 = possible_counts(first, limit=5)
    lo2, hi2 = possible_counts(second, limit=5)
    assert lo1 <= len(common) <= hi1 and lo2 <= len(common) + len(extra) <= hi2
    candidates = {n2 - n1 for n1 in range(lo1, hi1 + 1) for n2 in range(lo2, hi2 + 1) if n2 >= n1}
    assert len(extra) in candidates and len(candidates) >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=4), min_size=1, max_size=5),
       st.integers(0, 2**31))
def test_no_hidden_cell_follows_from_its_table(cells, seed):
    """Subtracting the visible cells of a line from its total leaves every hidden cell uncertain."""
    counts = np.array([row[: len(cells[0])] + [0] * (len(cells[0]) - len(row)) for row in cells])
    keys = np.random.default_rng(seed).integers(0, KEY_MODULUS, counts.shape, dtype=np.uint64)
    t = perturbed_table(counts.tolist(), keys.tolist(), limit=5)
    for i in range(counts.shape[0]):
        shown = [t.cell(i, j) for j in range(counts.shape[1])]
        hidden = [j for j, v in enumerate(shown) if isinstance(v, str)]
        if len(hidden) != 1 or t.row_total(i) == "x":  # "x": a total hidden by the audit
            continue
        lo_t, hi_t = possible_counts(t.row_total(i), limit=5)
        visible = [possible_counts(v, limit=5) for v in shown if not isinstance(v, str)]
        lo = lo_t - sum(h for _l, h in visible)
        hi = hi_t - sum(lo_v for lo_v, _h in visible)
        candidates = set(range(max(lo, 0), min(hi, 4) + 1))
        assert counts[i, hidden[0]] in candidates and len(candidates) >= 2


def test_a_total_that_would_pin_a_suppressed_zero_is_hidden():
    """Found by the property test: a row (0, 30) whose total is perturbed by -2 and whose visible
    cell by +2 would show 28 and 32 -- the hidden cell could then only be 0. The total is hidden."""
    def key_for(p):
        return next(k for k in range(0, KEY_MODULUS, 1 << 24) if int(perturbation([k])[0]) == p)

    visible_key, total_key = key_for(2), key_for(-2)
    t = perturbed_table([[0, 30]], [[(total_key - visible_key) % KEY_MODULUS, visible_key]], limit=5)
    assert t.cell(0, 0) == "<5" and t.cell(0, 1) == 32
    assert t.row_total(0) == "x"
