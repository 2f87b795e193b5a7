"""Issue 15, item 5: SDID at national scale. With 8,000 control buurten the placebo standard error
tried to allocate 23.8 GiB (a controls x controls Gram matrix per replication); with 2,000 it took
173 s. The unit weights of many controls are now the exact minimiser, found through the
m-dimensional dual, in memory linear in the number of controls."""

import csv
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation import Panel, synthdid
from wijkinzicht.analysis.evaluation import sdid as engine

HOUSING = Path(__file__).resolve().parents[5] / "data" / "cbs" / "nl_kwb_housing_2013_2025.csv"


@pytest.fixture(scope="module")
def buurten():
    """Every Dutch buurt with % rented dwellings in each year 2016-2025 (real CBS figures)."""
    with open(HOUSING, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_type"] == "buurt" and int(r["year"]) >= 2016]
    panel = Panel.from_records(rows, unit="region_code", time="year", outcome="pct_huurwoningen")
    complete = [u for u, row in zip(panel.units, panel.outcome, strict=True) if not np.isnan(row).any()]
    return panel, complete


def _kkt_gap(a, b, zeta, x) -> float:
    """How far x is from the minimiser over the simplex: the gradient is equal on the support and
    no smaller off it."""
    gradient = 2 * zeta**2 * x + 2 * a.T @ (a @ x - b) / a.shape[0]
    level = gradient[x > 0]
    return max(float(level.max() - level.min()), float(level.mean() - gradient.min()))


def test_many_controls_take_memory_linear_in_the_controls_and_reach_the_exact_optimum(buurten):
    panel, complete = buurten
    rng = np.random.default_rng(1)
    chosen = rng.choice(complete, 3003, replace=False).tolist()
    tracemalloc.start()
    result = synthdid(panel, chosen[:3], 2021, donors=chosen[3:], replications=20)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # the Gram matrices of one batch of replications alone took 20 x 3,000 x 3,000 x 8 bytes = 1.4 GB
    assert peak < 150 * 1024**2, f"peak {peak / 1024**2:.0f} MB"
    assert result.se is not None and result.se > 0
    assert sum(result.weights.values()) == pytest.approx(1.0)

    # the weights are the minimiser of the paper's objective, where Frank-Wolfe stops short
    y, controls, _, _, t0 = engine.matrix_design(panel, chosen[:3], 2021, chosen[3:], None)
    options = engine._Options(y, len(controls), t0, "sdid")
    collapsed = engine._collapse(y[None], len(controls), t0)[0, :, :t0].T
    centred = collapsed - collapsed.mean(axis=0, keepdims=True)
    a, b = centred[:, :-1], centred[:, -1]
    omega = np.array([result.weights[c] for c in controls])
    assert _kkt_gap(a, b, options.zeta_omega, omega) < 1e-9
    frank_wolfe = engine._solve_fw(collapsed.T[None].transpose(0, 2, 1), options.zeta_omega, True, None,
                                   options.min_decrease)[0]

    def objective(x):
        return options.zeta_omega**2 * x @ x + np.sum((a @ x - b) ** 2) / a.shape[0]

    assert objective(omega) < objective(frank_wolfe)
    assert np.abs(omega - frank_wolfe).max() < 0.01


def test_below_the_threshold_the_weights_stay_those_of_synthdid(buurten):
    """Frank-Wolfe, as R's synthdid, up to DUAL_ABOVE controls (Proposition 99 still matches the
    paper to machine precision in test_synthdid.py); the dual answer is the better optimum."""
    panel, complete = buurten
    chosen = np.random.default_rng(2).choice(complete, engine.DUAL_ABOVE + 3, replace=False).tolist()
    y, controls, _, _, t0 = engine.matrix_design(panel, chosen[:3], 2021, chosen[3:], None)
    options = engine._Options(y, len(controls), t0, "sdid")
    collapsed = engine._collapse(y[None], len(controls), t0)[:, :, :t0].transpose(0, 2, 1)
    assert collapsed.shape[2] - 1 == engine.DUAL_ABOVE
    fw = engine._solve(collapsed, options.zeta_omega, True, None, options.min_decrease)
    same = engine._solve_fw(collapsed, options.zeta_omega, True, None, options.min_decrease)
    assert np.array_equal(fw, same)
