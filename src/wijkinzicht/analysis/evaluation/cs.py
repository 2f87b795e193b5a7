"""Callaway & Sant'Anna (2021): difference-in-differences with staggered starts, as R's did 2.x
(and csdid 0.4.3, its Python port) computes it for panel data.

Each cohort g (the units first treated in period g) is compared with never-treated units or with
units not yet treated (never with itself): ATT(g, t) = E[Y_t - Y_b | G = g] - E[Y_t - Y_b | C],
b being g-1 after the start and, with R's default varying base period, t-1 before it (universal:
g-1 throughout). With covariates each ATT(g, t) is the doubly robust estimator of Sant'Anna &
Zhao (2020) -- a weighted logit for the propensity score, weighted least squares of the change on
the covariates among the comparison units, and its influence function -- with the covariates of
the earlier of the two periods and DRDID's trimming of comparison units whose propensity score
reaches 0.995; a cell whose propensity score reaches 0.999 is left out, as R does. Without
covariates this is the difference of (weighted) mean changes.

The ATT(g, t) are aggregated as R's aggte: simple (post-start cells weighted by cohort share),
dynamic (by event time, and their mean), group (per cohort, and their share-weighted mean) and
calendar (per period, and their mean). Standard errors come from each unit's influence function,
with the term for the estimated cohort shares (R's `wif`); uniform 95 % bands for each set of
estimates from R's multiplier bootstrap (Rademacher weights, seeded): the bootstrap standard
errors from the interquartile range and the critical value of the largest |t| over the set.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from .errors import EvaluationError

CONTROL_GROUPS = ("auto", "never", "notyet")
BASE_PERIODS = ("varying", "universal")
MISSING = ("drop-units", "per-cell")
BOOTSTRAP_DRAWS = 1000
TRIM_LEVEL = 0.995  # DRDID: comparison units with a propensity score at or above are left out
OVERLAP_LIMIT = 0.999  # R did: a cell whose propensity score reaches this is not estimated


class CellNotEstimable(Exception):
    pass


def _logit(x: np.ndarray, d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Fitted probabilities of a weighted logistic regression (Newton-Raphson, as glm's IRLS)."""
    if x.shape[1] == 1:  # intercept only: the weighted share, exactly
        return np.full(len(d), float(np.sum(w * d) / np.sum(w)))
    beta = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        information = x.T @ ((w * p * (1 - p))[:, None] * x)
        try:
            step = np.linalg.solve(information, x.T @ (w * (d - p)))
        except np.linalg.LinAlgError:
            raise CellNotEstimable("the propensity score model is singular") from None
        beta = beta + step
        if not np.all(np.isfinite(beta)):
            raise CellNotEstimable("the propensity score model does not converge")
        if float(np.abs(step).max()) < 1e-10 * max(1.0, float(np.abs(beta).max())):
            break
    return 1.0 / (1.0 + np.exp(-(x @ beta)))


def drdid_panel(dy: np.ndarray, d: np.ndarray, x: np.ndarray, w: np.ndarray) -> tuple[float, np.ndarray]:
    """Sant'Anna & Zhao's (2020) doubly robust DiD for panel data, with DRDID's trimming: the ATT
    and each unit's influence function. `x` holds the intercept first; `w` unit weights."""
    n = len(dy)
    w = w / w.mean()
    ps = _logit(x, d, w)
    if float(ps.max()) >= OVERLAP_LIMIT and x.shape[1] > 1:
        raise CellNotEstimable("no overlap: some units' propensity score is 0.999 or more")
    ps = np.minimum(ps, 1 - 1e-6)
    keep = np.where(d == 1, ps < 1.01, ps < TRIM_LEVEL)
    controls = d == 0
    root = np.sqrt(w[controls])
    coef, *_ = np.linalg.lstsq(root[:, None] * x[controls], root * dy[controls], rcond=None)
    residual = dy - x @ coef
    w_treat = keep * w * d
    w_cont = keep * w * ps * (1 - d) / (1 - ps)
    if w_treat.sum() <= 0 or w_cont.sum() <= 0:
        raise CellNotEstimable("no comparison units left after trimming")
    att_treat, att_cont = w_treat * residual, w_cont * residual
    eta_treat = att_treat.mean() / w_treat.mean()
    eta_cont = att_cont.mean() / w_cont.mean()

    w_ols = w * (1 - d)
    try:
        xpx_inv = np.linalg.inv((w_ols[:, None] * x).T @ x / n)
        hessian_ps = np.linalg.inv(x.T @ ((w * ps * (1 - ps))[:, None] * x)) * n
    except np.linalg.LinAlgError:
        raise CellNotEstimable("the covariates are collinear among these units") from None
    lin_ols = ((w_ols * residual)[:, None] * x) @ xpx_inv
    lin_ps = ((w * (d - ps))[:, None] * x) @ hessian_ps
    m1 = (w_treat[:, None] * x).mean(axis=0)
    inf_treat = (att_treat - w_treat * eta_treat - lin_ols @ m1) / w_treat.mean()
    m2 = ((w_cont * (residual - eta_cont))[:, None] * x).mean(axis=0)
    m3 = (w_cont[:, None] * x).mean(axis=0)
    inf_cont = (att_cont - w_cont * eta_cont + lin_ps @ m2 - lin_ols @ m3) / w_cont.mean()
    return float(eta_treat - eta_cont), inf_treat - inf_cont


def callaway_santanna(
    y: np.ndarray,
    cohort: np.ndarray,
    periods: list[int],
    *,
    covariates: dict[str, np.ndarray] | None = None,
    weights: np.ndarray | None = None,
    control_group: str = "auto",
    base_period: str = "varying",
    missing: str = "drop-units",
    seed: int = 0,
    draws: int = BOOTSTRAP_DRAWS,
) -> dict:
    """ATT(g, t) and R aggte's four aggregations for a units x periods outcome `y` (NaN =
    missing); `cohort` is each unit's first treated period (inf = never treated); `covariates`
    units x periods each; `weights` one per unit. Returns plain dicts and lists."""
    if control_group not in CONTROL_GROUPS:
        raise EvaluationError(f"control group {control_group!r}: choose one of {', '.join(CONTROL_GROUPS)}")
    if base_period not in BASE_PERIODS:
        raise EvaluationError(f"base period {base_period!r}: choose one of {', '.join(BASE_PERIODS)}")
    if missing not in MISSING:
        raise EvaluationError(f"missing cells {missing!r}: choose one of {', '.join(MISSING)}")
    covariates = covariates or {}
    notes: list[dict] = []
    n_all = y.shape[0]
    w_all = np.ones(n_all) if weights is None else np.asarray(weights, dtype=float)
    if np.any(~np.isfinite(w_all) | (w_all < 0)):
        raise EvaluationError("unit weights must be finite and not negative")
    observed = ~np.isnan(y)
    for values in covariates.values():
        observed &= ~np.isnan(values)
    keep = np.ones(n_all, dtype=bool)
    if missing == "drop-units":  # R did's default (allow_unbalanced_panel = FALSE)
        keep = observed.all(axis=1)
        if not keep.all():
            notes.append({"code": "dropped_units", "units": int((~keep).sum()),
                          "message": f"{int((~keep).sum())} units not observed in every period (outcome or "
                                     "covariates) are left out, as R's did does by default; --missing "
                                     "per-cell keeps them in the cells where they are observed"})
    keep &= w_all > 0
    index = np.flatnonzero(keep)
    y, cohort, observed, w = y[index], cohort[index], observed[index], w_all[index]
    covariates = {k: v[index] for k, v in covariates.items()}
    n = len(index)
    if n == 0:
        raise EvaluationError("no unit is observed in every period; try --missing per-cell")
    w = w / w.mean()
    never = ~np.isfinite(cohort)
    if control_group == "never" and not never.any():
        raise EvaluationError("no never-treated units to compare with; use the not-yet-treated ones")
    use_never = control_group == "never" or (control_group == "auto" and int(never.sum()) >= 2)
    cohorts = sorted({int(g) for g in cohort[~never]})
    share = {g: float(np.mean(w * (cohort == g))) for g in cohorts}
    names = list(covariates)

    cells: list[dict] = []
    for g in cohorts:
        pre = [k for k, p in enumerate(periods) if p < g]
        if not pre:
            continue
        bg = pre[-1]
        for k, p in enumerate(periods):
            if base_period == "varying":
                if k == 0:
                    continue
                base = k - 1 if p < g else bg
            else:
                base = bg
                if k == bg:  # the reference cell of a universal base period: 0 by construction
                    cells.append({"g": g, "t": p, "att": 0.0, "inf": np.zeros(n), "base": p,
                                  "reference": True})
                    continue
            threshold = max(p, periods[base])
            controls = never if use_never else (never | ((cohort > threshold) & (cohort != g)))
            diff = y[:, k] - y[:, base]
            subset = ((cohort == g) | controls) & observed[:, k] & observed[:, base]
            d = (cohort[subset] == g).astype(float)
            ng, nc = int(d.sum()), int(len(d) - d.sum())
            if ng == 0 or nc == 0:
                continue
            earlier = min(k, base)  # R's panel2cs2 keeps the covariates of the earlier period
            x = np.column_stack([np.ones(len(d))] + [covariates[c][subset, earlier] for c in names])
            try:
                att, influence = drdid_panel(diff[subset], d, x, w[subset])
            except CellNotEstimable as exc:
                notes.append({"code": "cell_left_out", "cohort": g, "period": p,
                              "message": f"ATT({g}, {p}) is not estimated: {exc}"})
                continue
            full = np.zeros(n)
            full[subset] = influence * n / len(d)
            cells.append({"g": g, "t": p, "att": att, "inf": full, "base": periods[base], "units": ng,
                          "controls": nc, "reference": False})
    if not any(not c["reference"] for c in cells):
        raise EvaluationError("no cohort has both a pre-treatment period and comparison units")

    def aggregate(selected: list[dict], *, estimated_weights: bool = True) -> tuple[float, np.ndarray]:
        pg = np.array([share[c["g"]] for c in selected])
        atts = np.array([c["att"] for c in selected])
        influence = np.column_stack([c["inf"] for c in selected]) @ (pg / pg.sum())
        if estimated_weights:  # R's wif: the cohort shares are estimated too
            centered = np.column_stack([w * (cohort == c["g"]) - share[c["g"]] for c in selected])
            total = pg.sum()
            wif = centered / total - centered.sum(axis=1)[:, None] * (pg / total**2)[None, :]
            influence = influence + wif @ atts
        return float(pg @ atts / pg.sum()), influence

    rng = np.random.default_rng(seed)
    z = float(stats.norm.ppf(0.975))

    def se_of(influence: np.ndarray) -> float:
        return float(math.sqrt(np.sum(influence**2)) / n)

    critical: dict[str, float] = {}

    def rows(name: str, entries: list[tuple[dict, float, np.ndarray]]) -> list[dict]:
        """Estimates with analytic se and 95 % CI, and the uniform band over the whole set."""
        sigmas, crit = _uniform_band([inf for _, _, inf in entries], n, rng, draws)
        critical[name] = crit
        out = []
        for (label, att, inf), se_boot in zip(entries, sigmas, strict=True):
            se = se_of(inf)
            row = dict(label, estimate=att, se=se, ci=[att - z * se, att + z * se])
            if se_boot is not None:
                row.update(se_bootstrap=se_boot, band=[att - crit * se_boot, att + crit * se_boot])
            out.append(row)
        return out

    estimated = [c for c in cells if not c["reference"]]
    post = [c for c in estimated if c["t"] >= c["g"]]
    if not post:
        raise EvaluationError("no cohort has a period from its start with comparison units")
    simple, simple_if = aggregate(post)

    # ATT(g, t)
    att_gt = rows("att_gt", [({"cohort": c["g"], "period": c["t"], "base": c["base"], "units": c["units"],
                               "controls": c["controls"]}, c["att"], c["inf"]) for c in estimated])
    for c in cells:
        if c["reference"]:
            att_gt.append({"cohort": c["g"], "period": c["t"], "base": c["t"], "estimate": 0.0, "se": 0.0,
                           "ci": [0.0, 0.0], "reference": True})
    att_gt.sort(key=lambda r: (r["cohort"], r["period"]))

    # dynamic: by event time
    by_event: dict[int, list[dict]] = {}
    for c in cells:
        by_event.setdefault(int(c["t"] - c["g"]), []).append(c)
    entries, reference_rows = [], []
    for e in sorted(by_event):
        chosen = [c for c in by_event[e] if not c["reference"]]
        if not chosen:
            reference_rows.append({"event_time": e, "estimate": 0.0, "se": 0.0, "ci": [0.0, 0.0],
                                   "reference": True})
            continue
        att, inf = aggregate(chosen)
        entries.append(({"event_time": e, "cohorts": len(chosen)}, att, inf))
    event_rows = rows("event", entries)
    event_if = {r["event_time"]: inf for r, (_, _, inf) in zip(event_rows, entries, strict=True)}
    post_events = [e for e in event_if if e >= 0]
    dynamic = None
    if post_events:  # R's aggte(type = "dynamic") overall: the mean of the post-period effects
        estimate = float(np.mean([r["estimate"] for r in event_rows if r["event_time"] >= 0]))
        dynamic = _overall(estimate, sum(event_if[e] for e in post_events) / len(post_events), n, z)
    event_rows = sorted(event_rows + reference_rows, key=lambda r: r["event_time"])
    event_times = sorted(event_if)
    event_vcov = (np.column_stack([event_if[e] for e in event_times]) if event_times else np.zeros((n, 0)))
    event_vcov = event_vcov.T @ event_vcov / n**2
    pre_events = [e for e in event_if if e < 0]
    pretrend = None
    if pre_events:
        matrix = np.column_stack([event_if[e] for e in pre_events])
        vcov = matrix.T @ matrix / n**2
        beta = np.array([next(r["estimate"] for r in event_rows if r["event_time"] == e) for e in pre_events])
        pretrend = wald(beta, vcov, n - 1)

    # group: per cohort, the mean of its post-start effects; overall weighted by cohort share
    entries = []
    for g in cohorts:
        chosen = [c for c in post if c["g"] == g]
        if chosen:
            att, inf = aggregate(chosen, estimated_weights=False)
            entries.append(({"cohort": g, "periods": len(chosen)}, att, inf))
    group_rows = rows("group", entries)
    pseudo = [{"g": r["cohort"], "att": r["estimate"], "inf": inf} for r, (_, _, inf) in
              zip(group_rows, entries, strict=True)]
    group_overall = _overall(*aggregate(pseudo), n, z)

    # calendar: per period from the first start, the share-weighted mean over the cohorts treated
    entries = []
    for p in periods:
        chosen = [c for c in post if c["t"] == p]
        if chosen and p >= min(cohorts):
            att, inf = aggregate(chosen)
            entries.append(({"period": p, "cohorts": len(chosen)}, att, inf))
    calendar_rows = rows("calendar", entries)
    calendar_overall = _overall(
        float(np.mean([r["estimate"] for r in calendar_rows])),
        sum(inf for _, _, inf in entries) / len(entries), n, z)

    return {
        "simple": _overall(simple, simple_if, n, z),
        "att_gt": att_gt,
        "critical_values": critical,
        "event": event_rows,
        "dynamic": dynamic,
        "group": group_rows,
        "group_overall": group_overall,
        "calendar": calendar_rows,
        "calendar_overall": calendar_overall,
        "pretrend": pretrend,
        "event_vcov": {"event_times": event_times, "matrix": event_vcov},
        "control_group": "never" if use_never else "notyet",
        "units": n,
        "notes": notes,
        "bootstrap": {"draws": draws, "seed": seed, "weights": "Rademacher"},
    }


def _overall(estimate: float, influence: np.ndarray, n: int, z: float) -> dict:
    se = float(math.sqrt(np.sum(influence**2)) / n)
    return {"estimate": estimate, "se": se, "ci": [estimate - z * se, estimate + z * se]}


def _uniform_band(influences: list[np.ndarray], n: int, rng, draws: int) -> tuple[list[float | None], float]:
    """R did's mboot: sqrt(n) * mean(v * IF) over Rademacher draws v; per estimate the bootstrap
    se from the interquartile range, and one critical value, the 95th percentile of the largest
    |t| over the set. Draws are made in blocks so that memory stays bounded."""
    if not influences or draws < 2:
        return [None] * len(influences), math.nan
    matrix = np.column_stack(influences)  # n x k
    block = max(1, min(draws, 5_000_000 // max(n, 1)))
    results = []
    made = 0
    while made < draws:
        size = min(block, draws - made)
        v = rng.integers(0, 2, size=(size, n)) * 2.0 - 1.0
        results.append(v @ matrix / math.sqrt(n))
        made += size
    bres = np.vstack(results)  # draws x k
    q75, q25 = np.quantile(bres, 0.75, axis=0), np.quantile(bres, 0.25, axis=0)
    sigma = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    usable = np.isfinite(sigma) & (sigma > 0)
    if not usable.any():
        return [None] * len(influences), math.nan
    t_max = np.max(np.abs(bres[:, usable] / sigma[usable]), axis=1)
    crit = float(np.quantile(t_max, 0.95))
    return [float(s / math.sqrt(n)) if ok else None for s, ok in zip(sigma, usable, strict=True)], crit


def wald(beta: np.ndarray, vcov: np.ndarray, df2: int) -> dict:
    q = len(beta)
    stat = float(beta @ np.linalg.pinv(vcov) @ beta)
    f = stat / q
    return {"f": f, "df1": q, "df2": df2, "p_value": float(stats.f.sf(f, q, df2)) if df2 > 0 else math.nan}
