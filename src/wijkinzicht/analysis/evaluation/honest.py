"""Sensitivity to violations of parallel trends: Rambachan & Roth (2023), "A More Credible Approach
to Parallel Trends", as their R package HonestDiD computes it.

The event study gives pre-period coefficients (which should be zero under parallel trends) and
post-period ones (effect plus bias). Instead of assuming the bias away, a restriction says how
large it may be, and the confidence set covers the effect theta = l' tau (by default the first
period after the start) under every bias the restriction allows:

- **smoothness** (Delta^SD(M)): the slope of the difference in trends changes by at most M between
  consecutive periods (M = 0: the pre-trend continues linearly). Confidence set: the optimal
  fixed-length interval (FLCI) of Armstrong & Kolesar, an affine estimator of the event-study
  coefficients whose worst-case bias and variance are traded off; the folded-normal quantile is
  computed exactly here (HonestDiD simulates it with 10^6 draws).
- **relative magnitudes** (Delta^RM(Mbar)): no change between consecutive post-periods is more than
  Mbar times the largest change between consecutive pre-periods. Confidence set: the conditional /
  least-favourable hybrid test of Andrews, Roth & Pakes (C-LF, kappa = alpha / 10), inverted over
  HonestDiD's grid of 1,000 values of theta from -20 to +20 standard errors, united over which
  pre-period change is the largest and its sign. The test's linear programme is solved through
  the vertices of its dual polytope, which gives the statistic, the conditioning event and the
  least-favourable critical value in closed form for every theta at once.

Pure numpy/scipy; tests/test_honest.py checks the published Medicaid example of HonestDiD's
README.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy import optimize, stats

from .errors import EvaluationError

GRID_POINTS = 1000
LF_SIMULATIONS = 10_000  # HonestDiD draws 1,000; more draws, less Monte Carlo noise
MAX_VERTEX_SUBSETS = 200_000
MAX_POST_PERIODS = 4  # post-period coefficients used for the first post-period effect


# --- smoothness: the optimal FLCI -----------------------------------------------------------------

def _folded_normal_quantile(p: float, mu: float) -> float:
    """The p-quantile of |N(mu, 1)|."""
    mu = abs(mu)

    def coverage(c):
        return stats.norm.cdf(c - mu) - stats.norm.cdf(-c - mu) - p

    return float(optimize.brentq(coverage, 0.0, mu + 10.0, xtol=1e-14))


def _flci_parts(sigma: np.ndarray, n_pre: int, l_vec: np.ndarray):
    """The variance of the affine estimator l_pre' beta_pre + l' beta_post as a function of HonestDiD's
    w (l_pre = L w, L the first-difference matrix): quadratic, linear and constant terms."""
    lower = np.eye(n_pre) - np.eye(n_pre, k=-1)
    pre, post = slice(0, n_pre), slice(n_pre, None)
    quadratic = lower.T @ sigma[pre, pre] @ lower
    linear = 2 * lower.T @ sigma[pre, post] @ l_vec
    constant = float(l_vec @ sigma[post, post] @ l_vec)
    return lower, quadratic, linear, constant


def _bias_constant(l_vec: np.ndarray) -> float:
    n_post = len(l_vec)
    steps = np.arange(1, n_post + 1)
    return float(sum(abs(np.arange(1, s + 1) @ l_vec[n_post - s:]) for s in steps) - steps @ l_vec)


def _min_bias_given_h(h: float, sigma, n_pre: int, l_vec, start=None):
    """Minimise the worst-case bias (per unit of M) over w subject to sd <= h: HonestDiD's
    .findWorstCaseBiasGivenH, with U_k >= |w_1 + ... + w_k| as extra variables."""
    lower, quadratic, linear, constant = _flci_parts(sigma, n_pre, l_vec)
    total = float(np.arange(1, len(l_vec) + 1) @ l_vec)
    cumulative = np.tril(np.ones((n_pre, n_pre)))
    scale = h * h

    def variance(w):
        return float(w @ quadratic @ w + linear @ w + constant)

    constraints = [
        {"type": "ineq", "fun": lambda x: x[:n_pre] - cumulative @ x[n_pre:],
         "jac": lambda x: np.hstack([np.eye(n_pre), -cumulative])},
        {"type": "ineq", "fun": lambda x: x[:n_pre] + cumulative @ x[n_pre:],
         "jac": lambda x: np.hstack([np.eye(n_pre), cumulative])},
        {"type": "eq", "fun": lambda x: np.array([x[n_pre:].sum() - total]),
         "jac": lambda x: np.hstack([np.zeros(n_pre), np.ones(n_pre)])[None, :]},
        {"type": "ineq", "fun": lambda x: np.array([1.0 - variance(x[n_pre:]) / scale]),
         "jac": lambda x: np.hstack([np.zeros(n_pre),
                                     -(2 * quadratic @ x[n_pre:] + linear) / scale])[None, :]},
    ]
    if start is None:
        w0 = np.zeros(n_pre)
        w0[-1] = total
        start = np.concatenate([np.abs(cumulative @ w0), w0])
    objective = np.concatenate([np.ones(n_pre), np.zeros(n_pre)])
    result = optimize.minimize(lambda x: objective @ x, start, jac=lambda x: objective,
                               constraints=constraints, method="SLSQP",
                               options={"ftol": 1e-13, "maxiter": 500})
    w = result.x[n_pre:]
    bias = _bias_constant(l_vec) + float(np.abs(cumulative @ w).sum())
    return bias, lower @ w, result.x


def flci(beta: np.ndarray, sigma: np.ndarray, n_pre: int, l_vec: np.ndarray, m: float,
         alpha: float = 0.05, cache: dict | None = None) -> dict:
    """HonestDiD's findOptimalFLCI for Delta^SD(M). `cache` keeps the least worst-case bias per
    standard deviation h, which does not depend on M, between calls for several M."""
    lower, quadratic, linear, constant = _flci_parts(sigma, n_pre, l_vec)
    total = float(np.arange(1, len(l_vec) + 1) @ l_vec)
    w0 = np.zeros(n_pre)
    w0[-1] = total
    h0 = math.sqrt(max(float(w0 @ quadratic @ w0 + linear @ w0 + constant), 0.0))
    # the least variance: a quadratic programme with one equality, solved by its KKT system
    kkt = np.block([[2 * quadratic, np.ones((n_pre, 1))], [np.ones((1, n_pre)), np.zeros((1, 1))]])
    solution = np.linalg.lstsq(kkt, np.concatenate([-linear, [total]]), rcond=None)[0]
    w_min = solution[:n_pre]
    h_min = math.sqrt(max(float(w_min @ quadratic @ w_min + linear @ w_min + constant), 0.0))
    z = 1 - alpha
    cache = {} if cache is None else cache

    def frontier(h):
        if h not in cache:
            near = min(cache, key=lambda k: abs(k - h), default=None)
            cache[h] = _min_bias_given_h(h, sigma, n_pre, l_vec, None if near is None else cache[near][2])
        return cache[h]

    def half_length(h):
        return _folded_normal_quantile(z, frontier(h)[0] * m / h) * h

    if m == 0:  # no bias allowed: the least-variance estimator
        h_star = h_min
        cache.setdefault(h_min, (_bias_constant(l_vec) + float(np.abs(np.cumsum(w_min)).sum()), lower @ w_min,
                                 np.concatenate([np.abs(np.cumsum(w_min)), w_min])))
    elif h0 - h_min <= 1e-12 * max(h0, 1e-300):
        h_star = h0
    else:
        h_min = h_min * (1 + 1e-9)  # strictly feasible for the solver
        best = optimize.minimize_scalar(half_length, bounds=(h_min, h0), method="bounded",
                                        options={"xatol": 1e-6 * h0})
        h_star = min([best.x, h_min, h0], key=half_length)
    l_pre = frontier(h_star)[1]
    length = half_length(h_star)
    centre = float(np.concatenate([l_pre, l_vec]) @ beta)
    return {"lb": centre - length, "ub": centre + length, "half_length": length,
            "weights_pre": l_pre.tolist()}


# --- relative magnitudes: ARP conditional-least-favourable hybrid ----------------------------------

def _a_rm(n_pre: int, n_post: int, mbar: float, s: int, max_positive: bool) -> np.ndarray:
    """HonestDiD's .create_A_RM: moments A delta <= 0 for one location s (-(n_pre - 1) .. 0) and sign
    of the largest pre-period change; the reference period's column dropped."""
    size = n_pre + n_post
    tilde = np.zeros((size, size + 1))
    for r in range(size):
        tilde[r, r:r + 2] = (-1, 1)
    v = np.zeros(size + 1)
    v[n_pre + s - 1:n_pre + s + 1] = (-1, 1)
    if not max_positive:
        v = -v
    upper = np.vstack([np.tile(v, (n_pre, 1)), np.tile(mbar * v, (n_post, 1))])
    a = np.vstack([tilde - upper, -tilde - upper])
    a = a[(a * a).sum(axis=1) > 1e-10]
    return np.delete(a, n_pre, axis=1)


def _dual_vertices(sd: np.ndarray, x: np.ndarray | None) -> np.ndarray:
    """The vertices of {g >= 0, sd' g = 1, X' g = 0}: the dual of the test's linear programme
    min eta s.t. y - X d <= eta sd, so that eta = max over vertices of g' y."""
    m = len(sd)
    w = sd[:, None] if x is None or x.shape[1] == 0 else np.column_stack([sd, x])
    k = w.shape[1]
    if math.comb(m, k) > MAX_VERTEX_SUBSETS:
        raise EvaluationError("too many post-periods for the relative-magnitudes bounds")
    target = np.zeros(k)
    target[0] = 1.0
    found = []
    for rows in itertools.combinations(range(m), k):
        block = w[list(rows)].T  # k x k
        if abs(np.linalg.det(block)) < 1e-12 * max(1.0, float(np.abs(block).max()) ** k):
            continue
        g = np.linalg.solve(block, target)
        if g.min() < -1e-10:
            continue
        vertex = np.zeros(m)
        vertex[list(rows)] = np.clip(g, 0.0, None)
        found.append(vertex)
    if not found:
        return np.zeros((0, m))
    vertices = np.unique(np.round(np.array(found), 12), axis=0)
    return vertices


def _arp_accepts(y: np.ndarray, a1: np.ndarray, x: np.ndarray | None, sigma: np.ndarray, thetas: np.ndarray,
                 alpha: float, kappa: float, rng: np.random.Generator) -> np.ndarray:
    """For each theta: does the hybrid test of Andrews, Roth & Pakes accept H0: E[y - a1 theta] - X d <= 0
    for some d? `sigma` is the covariance of y."""
    sd = np.sqrt(np.diag(sigma))
    vertices = _dual_vertices(sd, x)
    if len(vertices) == 0:  # the programme is unbounded below: no moment can be violated
        return np.ones(len(thetas), dtype=bool)
    # least-favourable critical value: the 1 - kappa quantile of eta under mean zero
    draws = rng.multivariate_normal(np.zeros(len(y)), sigma, size=LF_SIMULATIONS, method="svd")
    lf_cv = float(np.quantile((draws @ vertices.T).max(axis=1), 1 - kappa))
    size = (alpha - kappa) / (1 - kappa)
    variances = np.einsum("vi,ij,vj->v", vertices, sigma, vertices)
    degenerate = variances < np.finfo(float).eps
    # for each vertex g as the maximiser: b = Sigma g / g'Sigma g, so that y(c) = S + b c has g'y(c) = c
    cross = vertices @ (sigma @ vertices.T) / np.where(degenerate, 1.0, variances)[None, :]  # v'b_g
    scores = (vertices @ y)[:, None] - (vertices @ a1)[:, None] * thetas[None, :]  # vertices x thetas
    best = np.argmax(scores, axis=0)
    columns = np.arange(len(thetas))
    eta = scores[best, columns]
    # the values of g'y for which g stays the maximiser: (1 - v'b) c >= v'S for every other vertex v
    vb = cross[:, best]  # vertices x thetas
    s_part = scores - vb * eta[None, :]
    slope = 1.0 - vb
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = s_part / slope
    others = np.ones_like(scores, dtype=bool)
    others[best, columns] = False
    vlo = np.where(others & (slope > 1e-12), bound, -np.inf).max(axis=0)
    vup = np.where(others & (slope < -1e-12), bound, np.inf).min(axis=0)
    sigma_b = np.sqrt(np.where(degenerate[best], 1.0, variances[best]))
    zlo, zup, stat = vlo / sigma_b, np.minimum(vup, lf_cv) / sigma_b, eta / sigma_b
    accept = np.ones(len(thetas), dtype=bool)
    inside = (zlo <= stat) & (stat <= zup) & (eta <= lf_cv)
    if inside.any():
        lo, hi = zlo[inside], zup[inside]
        critical = np.where(lo < hi, stats.truncnorm.ppf(1 - size, lo, np.maximum(hi, lo + 1e-300)), lo)
        accept[inside] = ~(stat[inside] > np.maximum(critical, 0.0))
    accept[eta > lf_cv] = False
    flat = degenerate[best]
    accept[flat] = ~(eta[flat] > 0)
    return accept


def _gamma(l_vec: np.ndarray) -> np.ndarray:
    """An invertible matrix whose first row is l' (the other rows: unit vectors)."""
    n = len(l_vec)
    pivot = int(np.argmax(np.abs(l_vec)))
    rows = [l_vec] + [np.eye(n)[j] for j in range(n) if j != pivot]
    return np.array(rows)


def relative_magnitudes(beta: np.ndarray, sigma: np.ndarray, n_pre: int, l_vec: np.ndarray, mbar: float,
                        alpha: float = 0.05, seed: int = 0, grid_points: int = GRID_POINTS) -> dict:
    """HonestDiD's computeConditionalCS_DeltaRM with the C-LF hybrid: the accepted grid values of
    theta, united over the location and sign of the largest pre-period change."""
    n_post = len(l_vec)
    sd_theta = math.sqrt(float(l_vec @ sigma[n_pre:, n_pre:] @ l_vec))
    grid = np.linspace(-20 * sd_theta, 20 * sd_theta, grid_points)
    kappa = alpha / 10
    gamma_inv = np.linalg.inv(_gamma(l_vec))
    accepted = np.zeros(grid_points, dtype=bool)
    for s in range(-(n_pre - 1), 1):
        for positive in (True, False):
            a = _a_rm(n_pre, n_post, mbar, s, positive)
            rows = np.flatnonzero(np.abs(a[:, n_pre:]).sum(axis=1) > 0)  # post-period moments only
            a = a[rows]
            y = a @ beta
            sigma_y = a @ sigma @ a.T
            transformed = a[:, n_pre:] @ gamma_inv
            x = transformed[:, 1:] if n_post > 1 else None
            rng = np.random.default_rng(seed)
            accepted |= _arp_accepts(y, transformed[:, 0], x, sigma_y, grid, alpha, kappa, rng)
    if not accepted.any():
        return {"lb": None, "ub": None, "empty": True}
    return {"lb": float(grid[accepted].min()), "ub": float(grid[accepted].max()),
            "open": bool(accepted[0] or accepted[-1])}


# --- the sensitivity analysis a result carries --------------------------------------------------------

def sd_upper_bound(beta_pre: np.ndarray, sigma_pre: np.ndarray, alpha: float = 0.05) -> float:
    """HonestDiD's DeltaSD_upperBound_Mpre: the largest pre-period second difference (the reference
    period counted as 0) plus its one-sided 1 - alpha margin; the top of the default M grid."""
    n = len(beta_pre)
    coefficients = np.append(beta_pre, 0.0)
    rows = []
    for r in range(n - 1):
        row = np.zeros(n + 1)
        row[r:r + 3] = (1, -2, 1)
        rows.append(row)
    a = np.array(rows)[:, :n] if rows else np.zeros((0, n))
    a = np.vstack([a, -a])
    if not len(a):
        return math.nan
    diffs = a @ coefficients[:n]
    se = np.sqrt(np.diag(a @ sigma_pre @ a.T))
    return float(np.max(diffs + stats.norm.ppf(1 - alpha) * se))


def sensitivity(beta: np.ndarray, sigma: np.ndarray, n_pre: int, *, l_vec: np.ndarray | None = None,
                m_values=None, mbar_values=(0.0, 0.5, 1.0, 1.5, 2.0), alpha: float = 0.05,
                seed: int = 0) -> dict:
    """Both restrictions over a range of sizes, with the ordinary interval and the breakdown values
    (the largest size at which the interval still excludes zero)."""
    beta = np.asarray(beta, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    post_periods = len(beta) - n_pre
    if l_vec is None and post_periods > MAX_POST_PERIODS:
        # the first post-period effect: later post-periods only add nuisance parameters (free
        # under both restrictions); the test's dual polytope grows combinatorially with them
        keep = n_pre + MAX_POST_PERIODS
        beta, sigma = beta[:keep], sigma[:keep, :keep]
    n_post = len(beta) - n_pre
    if n_pre < 2 or n_post < 1:
        raise EvaluationError("honest DiD bounds need at least two pre-periods besides the reference "
                              "and one post-period")
    l_vec = np.eye(n_post)[0] if l_vec is None else np.asarray(l_vec, dtype=float)
    z = stats.norm.ppf(1 - alpha / 2)
    estimate = float(l_vec @ beta[n_pre:])
    se = math.sqrt(float(l_vec @ sigma[n_pre:, n_pre:] @ l_vec))
    if m_values is None:
        top = sd_upper_bound(beta[:n_pre], sigma[:n_pre, :n_pre], alpha)
        m_values = np.linspace(0, max(top, 0.0), 6) if math.isfinite(top) and top > 0 else [0.0]
    frontier: dict = {}
    smooth = [dict(flci(beta, sigma, n_pre, l_vec, float(m), alpha, frontier), m=float(m)) for m in m_values]
    for row in smooth:
        row.pop("weights_pre", None)
    relative = [dict(relative_magnitudes(beta, sigma, n_pre, l_vec, float(mb), alpha, seed), mbar=float(mb))
                for mb in mbar_values]

    def breakdown(rows, key):
        holds = [r[key] for r in rows if r.get("lb") is not None and (r["lb"] > 0 or r["ub"] < 0)]
        significant = estimate - z * se > 0 or estimate + z * se < 0
        return max(holds) if holds and significant else None

    return {
        "target": "first period after the start" if l_vec[0] == 1 and not l_vec[1:].any() else "l' tau",
        "l": l_vec.tolist(),
        "original": {"estimate": estimate, "se": se, "lb": estimate - z * se, "ub": estimate + z * se},
        "smoothness": smooth,
        "relative_magnitudes": relative,
        "breakdown": {"m": breakdown(smooth, "m"), "mbar": breakdown(relative, "mbar")},
        "alpha": alpha,
        "post_periods_used": n_post,
        "method": {"smoothness": "FLCI", "relative_magnitudes": "C-LF"},
    }
