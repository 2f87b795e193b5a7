"""Least squares on the probability simplex: min ||A w - b||^2 with w >= 0 and sum(w) = 1.

A primal active-set method in the manner of Lawson & Hanson (1974, "Solving Least Squares
Problems", ch. 23), with the equality kept exact: on the current support P the weights solve the
equality-constrained problem through its KKT system

    [A_P'A_P  1] [z]   [A_P'b]
    [1'       0] [mu] = [1    ],

a weight that turns non-positive is stepped back to zero and leaves P, and a column joins P while
its correlation with the residual, a_j'(b - A w), exceeds that of the support (the optimality
condition of the simplex problem). The optimum has at most rows(A) + 1 non-zero weights, so every
linear system is tiny even with thousands of columns; each iteration costs one product A'r.

The solver can start from the support of an earlier solution: the synthetic-control search solves
thousands of nearby problems (one per trial of the predictor weights), and a warm start needs only
a few iterations.
"""

from __future__ import annotations

import numpy as np


def _solve_on(a_p: np.ndarray, b: np.ndarray) -> np.ndarray:
    """min ||a_p z - b|| subject to sum(z) = 1, through the KKT system."""
    p = a_p.shape[1]
    kkt = np.zeros((p + 1, p + 1))
    kkt[:p, :p] = a_p.T @ a_p
    kkt[:p, p] = 1.0
    kkt[p, :p] = 1.0
    rhs = np.empty(p + 1)
    rhs[:p] = a_p.T @ b
    rhs[p] = 1.0
    try:
        return np.linalg.solve(kkt, rhs)[:p]
    except np.linalg.LinAlgError:  # columns that coincide: any least-squares solution will do
        return np.linalg.lstsq(kkt, rhs, rcond=None)[0][:p]


def simplex_least_squares(
    a: np.ndarray,
    b: np.ndarray,
    start: np.ndarray | None = None,
    *,
    max_iter: int | None = None,
) -> np.ndarray:
    """Weights w on the simplex minimising ||a @ w - b||; ``start`` is a support (column indices)
    to begin from. Returns a vector of length ``a.shape[1]`` that sums to one."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    rows, n = a.shape
    if n == 0:
        raise ValueError("no columns to weight")
    scale = max(1.0, float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)))
    w = np.zeros(n)
    passive: list[int] = []
    if start is not None and len(start):
        candidates = [int(i) for i in np.unique(start)]
        while candidates:
            z = _solve_on(a[:, candidates], b)
            if np.all(z > 0):
                w[candidates] = z
                passive = candidates
                break
            candidates = [i for i, zi in zip(candidates, z, strict=True) if zi > 0]
    if not passive:  # begin at the single column nearest to b
        j = int(np.argmin(((a - b[:, None]) ** 2).sum(axis=0)))
        w[j] = 1.0
        passive = [j]
    blocked: list[int] = []
    for _ in range(max_iter or 3 * (n + rows + 1)):
        residual = b - a[:, passive] @ w[passive]
        gradient = a.T @ residual
        level = gradient[passive].max()
        tol = 1e-10 * scale * (float(np.linalg.norm(residual)) + scale)
        gradient[passive] = -np.inf
        gradient[blocked] = -np.inf
        j = int(np.argmax(gradient))
        if gradient[j] <= level + tol:
            break
        passive.append(j)
        while True:
            z = _solve_on(a[:, passive], b)
            if np.all(z > 0):
                w[:] = 0.0
                w[passive] = z
                blocked.clear()
                break
            if passive[-1] == j and w[j] == 0.0 and z[-1] <= 0:
                # rounding made the new column useless: leave it out until something changes
                passive.pop()
                blocked.append(j)
                break
            current = w[passive]
            negative = z <= 0
            alpha = np.min(current[negative] / (current[negative] - z[negative]))
            moved = current + alpha * (z - current)
            keep = moved > 1e-15
            w[passive] = np.where(keep, moved, 0.0)
            passive = [i for i, k in zip(passive, keep, strict=True) if k]
            if not passive:  # cannot happen with exact arithmetic; restart from the best column
                j = int(np.argmin(((a - b[:, None]) ** 2).sum(axis=0)))
                w[:] = 0.0
                w[j] = 1.0
                passive = [j]
                break
    return w / w.sum()
