"""Synthetic difference-in-differences (Arkhangelsky, Athey, Hirshberg, Imbens & Wager 2021).

Follows the paper's Algorithm 1 and the reference implementation (R package synthdid 0.0.9):
unit weights omega and time weights lambda from Frank-Wolfe on a ridge-penalised problem with an
intercept, with the paper's regularisation zeta = (N1 T1)^(1/4) * sigma for omega (sigma: the
standard deviation of the first differences of the control outcomes before the treatment) and
1e-6 * sigma for lambda; 100 iterations, then the weights at or below a quarter of the largest
are set to zero and the solver continues (synthdid's default "sparsify"). The same machinery
gives the paper's synthetic control (no intercept, no time weights, almost no penalty) and
plain difference-in-differences (uniform weights), so Table 1 of the paper can be checked.

Standard errors are the paper's placebo method (Algorithm 4): controls are re-assigned to be
"treated" at random, the estimate recomputed, and se = sqrt((r - 1) / r) * sd(estimates).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import stats

from .panel import EvaluationError, Panel
from .results import EstimateResult, Evidence

MAX_ITER = 10_000
MAX_ITER_PRE_SPARSIFY = 100
PLACEBO_BATCH = 50  # placebo replications solved together


def _frank_wolfe(
    y: np.ndarray, zeta: float, intercept: bool, start: np.ndarray | None, min_decrease: float, max_iter: int
) -> np.ndarray:
    """Frank-Wolfe for min zeta^2 |x|^2 + |A x - b|^2 / m over the simplex, for a batch of
    problems at once: y is (batch, m, n + 1) = [A | b]; returns (batch, n).

    Each step moves towards the vertex with the smallest gradient, with the exact line search of
    synthdid's fw.step; a problem stops once an iteration lowers its objective by no more than
    min_decrease^2 (after at least two iterations), as in synthdid's sc.weight.fw.

    With more weights than rows (the unit weights of thousands of controls) the Gram matrix A'A
    is never formed: it took batch x n x n floats (23.8 GiB for 8,000 controls) and m n^2 work
    per problem; the one column each step needs, A' a_i, costs m n instead, like the update it
    feeds (issue 15, item 5).
    """
    batch, m, width = y.shape
    n = width - 1
    if intercept:
        y = y - y.mean(axis=1, keepdims=True)
    a, b = y[:, :, :n], y[:, :, n]
    x = np.full((batch, n), 1.0 / n) if start is None else np.array(start, dtype=float, copy=True)
    eta = m * zeta**2
    wide = n > m
    gram = None if wide else np.einsum("rki,rkj->rij", a, a)
    c = np.einsum("rki,rk->ri", a, b)
    ax = np.einsum("rki,ri->rk", a, x)
    gx = np.einsum("rki,rk->ri", a, ax) if wide else np.einsum("rij,rj->ri", gram, x)
    rows = np.arange(batch)
    active = np.ones(batch, dtype=bool)
    previous = np.full(batch, np.inf)
    for t in range(max_iter):
        half_grad = gx - c + eta * x
        i = np.argmin(half_grad, axis=1)
        x_i = x[rows, i]
        # direction d = e_i - x
        grad_dot_d = half_grad[rows, i] - np.einsum("ri,ri->r", half_grad, x)
        d_err = a[rows, :, i] - ax
        denominator = np.einsum("rk,rk->r", d_err, d_err) + eta * (
            np.einsum("ri,ri->r", x, x) - 2 * x_i + 1.0
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(denominator > 0, -grad_dot_d / denominator, 0.0)
        step = np.clip(step, 0.0, 1.0) * active
        keep = (1.0 - step)[:, None]
        x = keep * x
        x[rows, i] += step
        a_i = a[rows, :, i]
        ax = keep * ax + step[:, None] * a_i
        column = np.einsum("rki,rk->ri", a, a_i) if wide else gram[rows, :, i]
        gx = keep * gx + step[:, None] * column
        err = ax - b
        value = zeta**2 * np.einsum("ri,ri->r", x, x) + np.einsum("rk,rk->r", err, err) / m
        if t >= 1:
            active &= previous - value > min_decrease**2
            if not active.any():
                break
        previous = np.where(active, value, previous)
    return x


def _sparsify(x: np.ndarray) -> np.ndarray:
    """synthdid's default: weights at or below a quarter of the largest become zero (per row)."""
    x = x.copy()
    x[x <= x.max(axis=-1, keepdims=True) / 4] = 0.0
    return x / x.sum(axis=-1, keepdims=True)


def _collapse(y: np.ndarray, n0: int, t0: int) -> np.ndarray:
    """Per problem: controls x (pre periods, mean of the post periods), the treated mean last."""
    batch = y.shape[0]
    collapsed = np.empty((batch, n0 + 1, t0 + 1))
    collapsed[:, :n0, :t0] = y[:, :n0, :t0]
    collapsed[:, :n0, t0] = y[:, :n0, t0:].mean(axis=2)
    collapsed[:, n0, :t0] = y[:, n0:, :t0].mean(axis=1)
    collapsed[:, n0, t0] = y[:, n0:, t0:].mean(axis=(1, 2))
    return collapsed


def _noise(y: np.ndarray, n0: int, t0: int) -> float:
    diffs = np.diff(y[:n0, :t0], axis=1)
    return float(np.std(diffs, ddof=1)) if diffs.size > 1 else 0.0


class _Options:
    """The regularisation of one estimate; placebo replications reuse it, as synthdid does."""

    def __init__(self, y: np.ndarray, n0: int, t0: int, kind: str):
        if kind not in {"did", "sc", "sdid"}:
            raise EvaluationError(f"unknown estimator {kind!r}")
        n, t = y.shape
        sigma = _noise(y, n0, t0)
        self.noise = sigma
        self.kind = kind
        self.zeta_omega = ((n - n0) * (t - t0)) ** 0.25 * sigma if kind == "sdid" else 1e-6 * sigma
        self.zeta_lambda = 1e-6 * sigma
        self.omega_intercept = kind != "sc"
        self.min_decrease = 1e-5 * sigma


DUAL_ABOVE = 1_000  # more unit weights than this: solve exactly through the dual


def _simplex_projection(v: np.ndarray) -> np.ndarray:
    """The point of the probability simplex nearest to v (Held, Wolfe & Crowder 1974)."""
    u = np.sort(v)[::-1]
    cumulative = np.cumsum(u) - 1.0
    rho = int(np.nonzero(u - cumulative / np.arange(1, len(v) + 1) > 0)[0][-1])
    return np.maximum(v - cumulative[rho] / (rho + 1), 0.0)


def _dual_solve(a: np.ndarray, b: np.ndarray, zeta: float) -> np.ndarray | None:
    """The exact minimiser of zeta^2 |x|^2 + |A x - b|^2 / m over the simplex, for A of m rows
    and many columns, by semismooth Newton on the m-dimensional dual: with w = (A x - b) / m,
    x = proj(-A' w / zeta^2). Each step costs one sort of the n weights, where Frank-Wolfe needs
    up to 10,000 steps of m n each. None when it does not converge (the caller falls back)."""
    m, n = a.shape
    scale = max(float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)), 1e-300)
    x = np.full(n, 1.0 / n)
    w = (a @ x - b) / m

    def value_and_x(w):
        aw = a.T @ w
        x = _simplex_projection(-aw / zeta**2)
        inner = zeta**2 * float(x @ x) + 2.0 * float(aw @ x)
        return 2.0 * float(w @ b) + m * float(w @ w) - inner, x

    f, x = value_and_x(w)
    for _ in range(100):
        grad = 2.0 * (b + m * w - a @ x)
        if float(np.abs(grad).max()) <= 1e-13 * scale:
            return x
        support = x > 0
        a_s = a[:, support]
        centred = a_s - a_s.mean(axis=1, keepdims=True)
        hessian = 2.0 * m * np.eye(m) + (2.0 / zeta**2) * centred @ a_s.T
        step = np.linalg.solve(hessian, grad)
        t = 1.0
        while True:  # backtracking on the (convex) dual objective
            f_new, x_new = value_and_x(w - t * step)
            if f_new <= f - 1e-4 * t * float(grad @ step) or t < 1e-10:
                break
            t /= 2
        if t < 1e-10:
            return None
        w, f, x = w - t * step, f_new, x_new
    return None


def _solve(matrices, zeta, intercept, start, min_decrease) -> np.ndarray:
    batch, m, width = matrices.shape
    if width - 1 > DUAL_ABOVE and width - 1 > m and zeta > 0:
        # national scale (issue 15, item 5): the unit weights of thousands of controls. The
        # ridge term makes the optimum unique, so the exact minimiser is what Frank-Wolfe
        # approaches (docs/evaluation.md compares the two on 2,000 controls).
        centred = matrices - matrices.mean(axis=1, keepdims=True) if intercept else matrices
        out = np.empty((batch, width - 1))
        for r in range(batch):
            x = _dual_solve(centred[r, :, :-1], centred[r, :, -1], zeta)
            if x is None:
                first = None if start is None else start[r : r + 1]
                x = _solve_fw(matrices[r : r + 1], zeta, intercept, first, min_decrease)[0]
            out[r] = x
        return out
    return _solve_fw(matrices, zeta, intercept, start, min_decrease)


def _solve_fw(matrices, zeta, intercept, start, min_decrease) -> np.ndarray:
    first = _frank_wolfe(matrices, zeta, intercept, start, min_decrease, MAX_ITER_PRE_SPARSIFY)
    return _frank_wolfe(matrices, zeta, intercept, _sparsify(first), min_decrease, MAX_ITER)


def _estimate(
    y: np.ndarray,
    n0: int,
    t0: int,
    options: _Options,
    omega_start: np.ndarray | None = None,
    lambda_start: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Estimates for a batch of outcome matrices y (batch, n, t) with the first n0 rows controls
    and the first t0 columns before the treatment: (estimates, omega, lambda) per problem."""
    batch, n, t = y.shape
    n1, t1 = n - n0, t - t0
    if options.kind == "did":
        omega, lam = np.full((batch, n0), 1.0 / n0), np.full((batch, t0), 1.0 / t0)
    else:
        collapsed = _collapse(y, n0, t0)
        if options.kind == "sc":
            lam = np.zeros((batch, t0))
        else:
            lam = _solve(collapsed[:, :n0, :], options.zeta_lambda, True, lambda_start, options.min_decrease)
        omega = _solve(
            collapsed[:, :, :t0].transpose(0, 2, 1),
            options.zeta_omega,
            options.omega_intercept,
            omega_start,
            options.min_decrease,
        )
    row = np.concatenate([-omega, np.full((batch, n1), 1.0 / n1)], axis=1)
    col = np.concatenate([-lam, np.full((batch, t1), 1.0 / t1)], axis=1)
    return np.einsum("rn,rnt,rt->r", row, y, col), omega, lam


def placebo_se(
    y0: np.ndarray,
    n1: int,
    t0: int,
    options: _Options,
    omega: np.ndarray,
    lam: np.ndarray,
    replications: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[float, list[float]]:
    """Algorithm 4: controls only, n1 of them drawn as placebo-treated each time; the weights
    are re-estimated from the original ones, with the original regularisation (as synthdid).
    The replications are solved together, in batches."""
    n0 = y0.shape[0]
    if n0 <= n1:
        raise EvaluationError(f"placebo standard errors need more controls ({n0}) than treated units ({n1})")
    rng = np.random.default_rng(seed)
    orders = np.array([rng.permutation(n0) for _ in range(replications)])
    estimates: list[float] = []
    for first in range(0, replications, PLACEBO_BATCH):
        chunk = orders[first : first + PLACEBO_BATCH]
        start = omega[chunk[:, : n0 - n1]]
        totals = start.sum(axis=1, keepdims=True)
        start = np.where(totals > 0, start / np.where(totals > 0, totals, 1), 1.0 / (n0 - n1))
        lambda_start = np.repeat(lam[None], len(chunk), axis=0) if lam.any() else None
        values, _, _ = _estimate(y0[chunk], n0 - n1, t0, options, start, lambda_start)
        estimates.extend(float(v) for v in values)
        if progress:
            progress(len(estimates), replications)
    spread = float(np.std(np.asarray(estimates), ddof=1))
    return math.sqrt((replications - 1) / replications) * spread, estimates


def matrix_design(
    panel: Panel,
    treated: Sequence[str] | str,
    treatment_time: int,
    donors: Sequence[str] | str | None = None,
    exclude: Sequence[str] | str | None = None,
) -> tuple[np.ndarray, list[str], list[str], np.ndarray, int]:
    """Outcome matrix with controls first, the names of controls and treated, periods, t0."""
    treated_idx, control_idx = panel.treated_and_comparison(treated, donors, exclude)
    if len(control_idx) < 2:
        raise EvaluationError(f"too few control units: {len(control_idx)}; at least 2 are needed")
    t0 = int((panel.periods < treatment_time).sum())
    if t0 < 2:
        raise EvaluationError(
            f"too few pre-treatment periods: {t0} before {treatment_time}; at least 2 are needed"
        )
    if t0 == len(panel.periods):
        raise EvaluationError(f"no periods at or after the treatment time {treatment_time}")
    rows = control_idx + treated_idx
    panel.require_complete(rows, np.ones(len(panel.periods), dtype=bool))
    y = panel.outcome[rows]
    return y, [panel.units[i] for i in control_idx], [panel.units[i] for i in treated_idx], panel.periods, t0


def synthdid(
    panel: Panel,
    treated: Sequence[str] | str,
    treatment_time: int,
    *,
    kind: str = "sdid",
    donors: Sequence[str] | str | None = None,
    exclude: Sequence[str] | str | None = None,
    placebos: bool = True,
    replications: int = 200,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> EstimateResult:
    """SDID (or the paper's SC / DID variants) for treated units with a common start."""
    y, controls, treated_names, periods, t0 = matrix_design(panel, treated, treatment_time, donors, exclude)
    n0 = len(controls)
    n1 = len(treated_names)
    options = _Options(y, n0, t0, kind)
    estimates, omegas, lams = _estimate(y[None], n0, t0, options)
    estimate, omega, lam = float(estimates[0]), omegas[0], lams[0]
    treated_mean = y[n0:].mean(axis=0)
    synthetic = omega @ y[:n0]
    # per-period effect: the gap in that period minus the time-weighted pre-treatment gap
    gap = treated_mean - synthetic
    base = float(lam @ gap[:t0]) if kind != "sc" else 0.0
    effects = {int(p): float(g - base) for p, g in zip(periods[t0:], gap[t0:], strict=True)}
    result = EstimateResult(
        method=kind if kind != "sdid" else "sdid",
        outcome=panel.outcome_name,
        treated=treated_names,
        treatment_time=int(treatment_time),
        periods=[int(p) for p in periods],
        estimate=estimate,
        effects=effects,
        weights={name: float(w) for name, w in zip(controls, omega, strict=True)},
        time_weights={int(p): float(w) for p, w in zip(periods[:t0], lam, strict=True)},
        treated_path={int(p): float(v) for p, v in zip(periods, treated_mean, strict=True)},
        # the comparison shifted by the weighted pre-treatment difference, as synthdid plots it
        comparison_path={int(p): float(v + base) for p, v in zip(periods, synthetic, strict=True)},
    )
    result.details = {
        "controls": n0,
        "noise_level": options.noise,
        "pre_periods": t0,
        "zeta_omega": options.zeta_omega,
        "zeta_lambda": options.zeta_lambda,
    }
    if n0 < 10:
        result.warn(
            "few_donors", f"Only {n0} control units: the placebo standard error is unreliable.", donors=n0
        )
    if t0 < 5:
        result.warn("few_pre_periods", f"Only {t0} pre-treatment periods.", periods=t0)
    if placebos:
        se, estimates = placebo_se(y[:n0], n1, t0, options, omega, lam, replications, seed, progress)
        z = stats.norm.ppf(0.975)
        result.se = se
        result.ci = (estimate - z * se, estimate + z * se)
        p_value = float(2 * stats.norm.sf(abs(estimate) / se)) if se > 0 else math.nan
        result.placebo = {
            "kind": "placebo standard error",
            "replications": replications,
            "p_value": p_value,
            "estimates": estimates,
        }
        result.evidence = Evidence.SYNTH_PLACEBO if kind != "did" else Evidence.DESCRIPTIVE
    return result
