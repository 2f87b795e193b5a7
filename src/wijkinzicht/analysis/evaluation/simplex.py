"""Least squares on the probability simplex: min ||A w - b||^2 with w >= 0 and sum(w) = 1.

The equality is folded into the system as one heavily weighted row, which turns the problem
into non-negative least squares; that is solved with the active-set method of Lawson & Hanson
(1974, "Solving Least Squares Problems", ch. 23). The solution has at most rows(A) + 1
non-zero weights, so the active set stays small even with thousands of columns.

The solver can start from the support of an earlier solution. The synthetic-control search
solves thousands of nearby problems (one per trial of the predictor weights), and a warm start
cuts most of the iterations.
"""

from __future__ import annotations

import numpy as np

_PENALTY = 1e4  # weight of the sum-to-one row, relative to the scale of A and b


def _lstsq(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.linalg.lstsq(a, b, rcond=None)[0]


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
    if n == 1:
        return np.ones(1)
    scale = max(1.0, float(np.abs(a).max(initial=0.0)), float(np.abs(b).max(initial=0.0)))
    m = _PENALTY * scale
    aa = np.vstack([a, np.full((1, n), m)])
    ba = np.append(b, m)
    w = np.zeros(n)
    passive = np.zeros(n, dtype=bool)

    if start is not None and len(start):
        idx = np.unique(np.asarray(start, dtype=int))
        while len(idx):
            z = _lstsq(aa[:, idx], ba)
            if np.all(z > 0):
                w[idx] = z
                passive[idx] = True
                break
            idx = idx[z > 0]

    tol = 1e-10 * scale * scale
    limit = max_iter or 3 * (n + rows + 1)
    blocked = np.zeros(n, dtype=bool)
    for _ in range(limit):
        gradient = aa.T @ (ba - aa @ w)
        gradient[passive | blocked] = -np.inf
        j = int(np.argmax(gradient))
        if gradient[j] <= tol:
            break
        passive[j] = True
        while True:
            idx = np.flatnonzero(passive)
            z = _lstsq(aa[:, idx], ba)
            if np.all(z > 0):
                w[:] = 0.0
                w[idx] = z
                blocked[:] = False
                break
            if w[j] == 0.0 and z[np.searchsorted(idx, j)] <= 0:
                # rounding made the new column useless: leave it out this round
                passive[j] = False
                blocked[j] = True
                break
            current = w[idx]
            negative = z <= 0
            alpha = np.min(current[negative] / (current[negative] - z[negative]))
            w[idx] = current + alpha * (z - current)
            drop = idx[w[idx] <= 1e-14 * max(1.0, float(w.max()))]
            passive[drop] = False
            w[drop] = 0.0
    total = w.sum()
    if total <= 0:
        # degenerate input: fall back to the single best column
        errors = ((a - b[:, None]) ** 2).sum(axis=0)
        w = np.zeros(n)
        w[int(np.argmin(errors))] = 1.0
        return w
    return w / total
