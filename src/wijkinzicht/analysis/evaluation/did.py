"""Difference-in-differences: two-way fixed effects with an event study, and Callaway & Sant'Anna
(2021) for staggered starts.

Common start: y_it = a_i + b_t + tau D_it + e_it, fitted by OLS after removing both fixed effects
(alternating projections, which also handles unbalanced panels). Standard errors are clustered by
unit with the small-sample factor G/(G-1) (N-1)/(N-K), K counting the regressors and the period
effects (as Stata's ``xtreg, fe vce(cluster unit)``). The event study replaces D by one dummy
per period relative to the start, the last pre-treatment period (-1) being the reference; the
pre-trend test is the joint Wald test that all earlier coefficients are zero, as F(q, G-1).

With few treated units (under 5) clustered standard errors are far too small (Conley & Taber
2011); the reported se is then the placebo standard error of Arkhangelsky et al. (2021) on a
balanced panel, and the clustered one stays in the details.

Staggered starts: plain TWFE is biased when effects differ between cohorts and over time
(Goodman-Bacon 2021), so each cohort g is compared with never-treated units or with units not yet
treated (never with itself), ATT(g, t) = E[Y_t - Y_b | G = g] - E[Y_t - Y_b | C], b being g-1
after the start and, with R's default varying base period, t-1 before it; the ATT(g, t) are
averaged with cohort shares as weights, by event time and overall. Standard errors come from the
influence function of each unit (clustered by unit), with the extra term for estimating the
cohort shares that R's did adds (`wif`); they match R's did and csdid 0.4.3 on the minimum-wage
example (analysis/evaluation/tests/test_callaway_santanna.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from . import honest as honest_did
from .cs import callaway_santanna, wald
from .panel import EvaluationError, Panel, split_units
from .results import EstimateResult, Evidence

FEW_TREATED = 5
PRETREND_ALPHA = 0.05


def treatment_times(treated: Sequence[str] | str | Mapping[str, int], treatment_time) -> dict[str, int]:
    """Unit -> start. ``treatment_time`` is one period for all, or one per treated unit."""
    if isinstance(treated, Mapping):
        return {str(k): int(v) for k, v in treated.items()}
    names = split_units(treated)
    if not names:
        raise EvaluationError("no treated unit given")
    if isinstance(treatment_time, (list, tuple)):
        if len(treatment_time) == 1:
            treatment_time = treatment_time[0]
        elif len(treatment_time) != len(names):
            raise EvaluationError(
                f"{len(treatment_time)} treatment times for {len(names)} treated units; "
                "give one, or one per unit"
            )
        else:
            return {n: int(t) for n, t in zip(names, treatment_time, strict=True)}
    return {n: int(treatment_time) for n in names}


def _within(values: np.ndarray, unit: np.ndarray, time: np.ndarray, n_units: int, n_times: int) -> np.ndarray:
    """Remove unit and period means (two-way fixed effects) from each column."""
    x = np.array(values, dtype=float, copy=True)
    if x.ndim == 1:
        x = x[:, None]
    unit_counts = np.bincount(unit, minlength=n_units).astype(float)
    time_counts = np.bincount(time, minlength=n_times).astype(float)
    scale = max(1.0, float(np.abs(x).max(initial=0.0)))
    for _ in range(10_000):
        change = 0.0
        for index, counts, size in ((unit, unit_counts, n_units), (time, time_counts, n_times)):
            means = np.empty((size, x.shape[1]))
            for j in range(x.shape[1]):
                means[:, j] = np.bincount(index, weights=x[:, j], minlength=size)
            means /= np.where(counts > 0, counts, 1.0)[:, None]
            x -= means[index]
            change = max(change, float(np.abs(means).max(initial=0.0)))
        if change <= 1e-11 * scale:
            break
    return x


def _cluster_vcov(
    x: np.ndarray, residuals: np.ndarray, cluster: np.ndarray, n_clusters: int, extra_k: int
) -> np.ndarray:
    n, k = x.shape
    bread = np.linalg.pinv(x.T @ x)
    scores = np.empty((n_clusters, k))
    for j in range(k):
        scores[:, j] = np.bincount(cluster, weights=x[:, j] * residuals, minlength=n_clusters)
    used = np.bincount(cluster, minlength=n_clusters) > 0
    g = int(used.sum())
    factor = g / (g - 1) * (n - 1) / max(n - k - extra_k, 1) if g > 1 else math.nan
    return factor * bread @ (scores.T @ scores) @ bread


def difference_in_differences(
    panel: Panel,
    treated: Sequence[str] | str | Mapping[str, int],
    treatment_time: int | Sequence[int] | None = None,
    *,
    donors: Sequence[str] | str | None = None,
    exclude: Sequence[str] | str | None = None,
    placebos: bool = True,
    seed: int = 0,
    control_group: str = "auto",
    base_period: str = "varying",
    covariates: Sequence[str] = (),
    weights: str | None = None,
    missing: str = "drop-units",
    honest: bool = False,
) -> EstimateResult:
    """Common start: TWFE with an event study; staggered starts -- or any start with covariates
    or unit weights -- Callaway & Sant'Anna with `control_group` ("auto": never-treated units
    when there are at least two, else not yet treated; "never"; "notyet"), `base_period`
    ("varying", R's default, or "universal"), doubly robust `covariates`, `weights` (a column
    holding one weight per unit) and `missing` ("drop-units", R's default, or "per-cell").
    With `honest`, Rambachan & Roth's bounds for the first post-period effect (honest.py)."""
    starts = treatment_times(treated, treatment_time)
    treated_idx, control_idx = panel.treated_and_comparison(starts, donors, exclude)
    for name, start in starts.items():
        before = int((panel.periods < start).sum())
        if before < 1 or start > panel.periods.max():
            raise EvaluationError(
                f"treated unit {name!r} starts in {start}: the panel needs periods before and from that year"
            )
    if len(set(starts.values())) > 1 or covariates or weights:
        return _staggered(panel, starts, treated_idx, control_idx, control_group=control_group,
                          base_period=base_period, covariates=covariates, weights=weights, missing=missing,
                          seed=seed, placebos=placebos, honest=honest)
    if len(control_idx) < 1:
        raise EvaluationError("no comparison units left")
    return _common_start(panel, treated_idx, control_idx, next(iter(starts.values())), placebos, seed,
                         honest=honest)


def _twfe(y_rows: np.ndarray, n_treated: int, periods: np.ndarray, start: int) -> dict:
    """The static TWFE estimate and the event study of the first `n_treated` rows of a units x
    periods outcome matrix (NaN = missing), with unit-clustered standard errors and the pre-trend
    Wald test."""
    unit, time = np.nonzero(~np.isnan(y_rows))
    y = y_rows[unit, time]
    is_treated = unit < n_treated
    post = periods[time] >= start
    n_units, n_times = y_rows.shape

    # both models' regressors and the outcome, with the fixed effects removed in one pass
    d = (is_treated & post).astype(float)
    relative = periods - start  # per period
    pre_reference = int(relative[relative < 0].max())
    event_times = [int(r) for r in relative if r != pre_reference]
    columns = np.column_stack([(is_treated & (relative[time] == r)).astype(float) for r in event_times])
    observed = columns.sum(axis=0) > 0
    event_times = [r for r, ok in zip(event_times, observed, strict=True) if ok]
    demeaned = _within(np.column_stack([d, columns[:, observed], y]), unit, time, n_units, n_times)
    yd = demeaned[:, -1]

    # the static model
    x = demeaned[:, :1]
    beta = np.linalg.lstsq(x, yd, rcond=None)[0]
    vcov = _cluster_vcov(x, yd - x @ beta, unit, n_units, n_times)

    # the event study, relative to the last pre-treatment period
    xe = demeaned[:, 1:-1]
    eb = np.linalg.lstsq(xe, yd, rcond=None)[0]
    evcov = _cluster_vcov(xe, yd - xe @ eb, unit, n_units, n_times)
    pre_positions = [i for i, r in enumerate(event_times) if r < pre_reference]
    pretrend = None
    if pre_positions:
        pretrend = wald(eb[pre_positions], evcov[np.ix_(pre_positions, pre_positions)], n_units - 1)
    return {"estimate": float(beta[0]), "se": float(math.sqrt(vcov[0, 0])), "eb": eb, "evcov": evcov,
            "event_times": event_times, "pre_reference": pre_reference, "pretrend": pretrend,
            "observations": int(len(y))}


RI_DRAWS = 200
RI_MIN_CONTROLS = 19  # placebo runs for p-values down to 0,05


def _placebo_draws(n_controls: int, n_treated: int, seed: int) -> list[list[int]]:
    """Which comparison units take the treated role in each placebo run: every unit in turn when
    one unit was treated (and they are at most RI_DRAWS), else RI_DRAWS seeded random sets."""
    if n_treated == 1 and n_controls <= RI_DRAWS:
        return [[i] for i in range(n_controls)]
    rng = np.random.default_rng(seed)
    return [list(rng.choice(n_controls, size=n_treated, replace=False)) for _ in range(RI_DRAWS)]


def _randomization(y_controls: np.ndarray, n_treated: int, periods: np.ndarray, start: int,
                   seed: int) -> list[dict]:
    """The same estimates with comparison units in the treated role (the real treated units left
    out): every comparison unit in turn when one unit was treated, else RI_DRAWS random sets of as
    many. Under exchangeable units the real estimate's rank among these is exactly uniform,
    however few units were treated (Fisher's randomization inference; MacKinnon & Webb 2020)."""
    n_controls = y_controls.shape[0]
    out = []
    for chosen in _placebo_draws(n_controls, n_treated, seed):
        taken = set(chosen)
        rest = [i for i in range(n_controls) if i not in taken]
        try:
            fit = _twfe(y_controls[chosen + rest], n_treated, periods, start)
        except (np.linalg.LinAlgError, ValueError):
            continue
        fit["events"] = {int(r): float(b) for r, b in zip(fit["event_times"], fit["eb"], strict=True)}
        out.append(fit)
    return out


def _common_start(
    panel: Panel, treated_idx, control_idx, start: int, placebos: bool, seed: int, *, honest: bool = False
) -> EstimateResult:
    rows = list(treated_idx) + list(control_idx)
    n_treated = len(treated_idx)
    periods = panel.periods
    y_rows = panel.outcome[rows]
    fit = _twfe(y_rows, n_treated, periods, start)
    estimate, se_cluster = fit["estimate"], fit["se"]
    eb, evcov, event_times, pre_reference = fit["eb"], fit["evcov"], fit["event_times"], fit["pre_reference"]
    eses = np.sqrt(np.clip(np.diag(evcov), 0, None))
    z = stats.norm.ppf(0.975)
    event_study = [
        {
            "event_time": r,
            "period": int(r + start),
            "estimate": float(b),
            "se": float(s),
            "ci": [float(b - z * s), float(b + z * s)],
        }
        for r, b, s in zip(event_times, eb, eses, strict=True)
    ]
    event_study.append(
        {
            "event_time": pre_reference,
            "period": int(pre_reference + start),
            "estimate": 0.0,
            "se": 0.0,
            "ci": [0.0, 0.0],
            "reference": True,
        }
    )
    event_study.sort(key=lambda e: e["event_time"])
    pretrend = fit["pretrend"]

    # paths: treated mean and the parallel-trend counterfactual
    treated_mean = np.nanmean(y_rows[:n_treated], axis=0)
    control_mean = np.nanmean(y_rows[n_treated:], axis=0)
    pre = periods < start
    shift = float(np.nanmean(treated_mean[pre] - control_mean[pre]))
    effects = {int(p): float(e["estimate"]) for e in event_study for p in [e["period"]] if p >= start}

    result = EstimateResult(
        method="did",
        outcome=panel.outcome_name,
        treated=[panel.units[i] for i in treated_idx],
        treatment_time=int(start),
        periods=[int(p) for p in periods],
        estimate=estimate,
        effects=effects,
        treated_path={int(p): float(v) for p, v in zip(periods, treated_mean, strict=True)},
        comparison_path={int(p): float(v + shift) for p, v in zip(periods, control_mean, strict=True)},
        weights={panel.units[i]: 1.0 / len(control_idx) for i in control_idx},
    )
    result.details = {
        "se_cluster": se_cluster,
        "clusters": len(rows),
        "observations": fit["observations"],
        "event_study": event_study,
        "pretrend_test": pretrend,
        "balanced": bool(not np.isnan(y_rows).any()),
    }
    result.se = se_cluster
    # Clustered errors and the Wald pre-trend test are far too liberal with few treated clusters
    # (Conley & Taber 2011): on panels where parallel trends hold by construction the Wald test
    # rejected in nearly every run with one treated unit. Randomization inference over placebo
    # assignments is exact instead, balanced panel or not (decision 0019); it gives the p-values
    # whenever there are comparison units enough, and with fewer than FEW_TREATED treated units
    # also the standard errors (the spread of the placebo estimates).
    placebo_fits = _randomization(y_rows[n_treated:], n_treated, periods, start, seed) if (
        placebos and len(control_idx) >= RI_MIN_CONTROLS + n_treated - 1) else []
    pretrend = _apply_randomization(result, placebo_fits, estimate, se_cluster, pretrend, event_study,
                                    n_treated)
    if honest:
        times = [int(r) for r in event_times]
        sigma = fit["evcov"]
        if n_treated < FEW_TREATED:  # as the standard errors: the spread of the placebo event studies
            vectors = [[f["events"].get(t) for t in times] for f in placebo_fits]
            vectors = np.array([v for v in vectors if None not in v])
            sigma = np.cov(vectors, rowvar=False) if len(vectors) >= RI_MIN_CONTROLS else None
        result.details["honest"] = _honest_bounds(times, np.asarray(eb), sigma, pre_reference, seed)
    if result.se is not None and math.isfinite(result.se):
        result.ci = (estimate - z * result.se, estimate + z * result.se)
    _pretrend_verdict(result, pretrend)
    return result


def _apply_randomization(result: EstimateResult, placebo_fits: list[dict], estimate: float, se_actual: float,
                         pretrend: dict | None, event_study: list[dict], n_treated: int) -> dict | None:
    """Randomization inference from placebo fits (dicts with estimate, se, pretrend and events,
    event time -> estimate): the effect's p-value from the studentized |t|, the pre-trend test's
    from its F, and with fewer than FEW_TREATED treated units the standard errors as the spread of
    the placebo estimates. Returns the pre-trend test as it now stands."""
    z = stats.norm.ppf(0.975)
    if len(placebo_fits) >= RI_MIN_CONTROLS:
        draws = len(placebo_fits)
        t_actual = abs(estimate / se_actual) if se_actual > 0 else math.inf
        t_placebo = np.array([abs(f["estimate"] / f["se"]) if f["se"] > 0 else math.inf
                              for f in placebo_fits])
        result.placebo = {
            "kind": "randomization inference",
            "replications": draws,
            "p_value": float((1 + np.sum(t_placebo >= t_actual)) / (1 + draws)),
        }
        if pretrend is not None:
            f_placebo = np.array([f["pretrend"]["f"] for f in placebo_fits if f["pretrend"]])
            p_ri = float((1 + np.sum(f_placebo >= pretrend["f"])) / (1 + len(f_placebo)))
            pretrend = dict(pretrend, p_value_wald=pretrend["p_value"], method="randomization inference",
                            draws=int(len(f_placebo)), p_value=p_ri)
            result.details["pretrend_test"] = pretrend
            if p_ri >= PRETREND_ALPHA and n_treated < FEW_TREATED:
                result.warn(
                    "pretrend_weak",
                    f"The pre-trend test compares the treated unit(s) with {len(f_placebo)} placebo "
                    "assignments of comparison units in their place: it only rejects when the treated path "
                    "before the start is more unusual than nearly all of theirs. Passing it is weak evidence "
                    "of parallel trends.",
                    draws=int(len(f_placebo)), treated=n_treated,
                )
        if n_treated < FEW_TREATED:
            result.se = float(np.std([f["estimate"] for f in placebo_fits]))
            spread: dict[int, list[float]] = {}
            for f in placebo_fits:
                for r, b in f["events"].items():
                    spread.setdefault(r, []).append(float(b))
            for e in event_study:
                if not e.get("reference") and len(spread.get(e["event_time"], [])) >= RI_MIN_CONTROLS:
                    e["se"] = float(np.std(spread[e["event_time"]]))
                    e["ci"] = [e["estimate"] - z * e["se"], e["estimate"] + z * e["se"]]
            result.warn(
                "few_treated",
                f"Only {n_treated} treated unit(s): the standard errors are the spread of {draws} placebo "
                "estimates and the p-values come from randomization inference (comparison units in the "
                "treated role), not from clustered errors.",
                treated=n_treated,
            )
    elif n_treated < FEW_TREATED:
        result.warn(
            "few_treated",
            f"Only {n_treated} treated unit(s) and too few comparison units (or no placebo runs): the "
            "clustered standard error and the pre-trend test are unreliable.",
            treated=n_treated,
        )
        pretrend = dict(pretrend, unreliable=True) if pretrend else None
        result.details["pretrend_test"] = pretrend
    return pretrend


def _pretrend_verdict(result: EstimateResult, pretrend: dict | None) -> None:
    if pretrend is None:
        result.warn(
            "no_pretrend_test",
            "Only one period before the start: parallel trends cannot be checked.",
        )
        result.evidence = Evidence.DESCRIPTIVE
    elif pretrend.get("unreliable"):
        result.evidence = Evidence.DESCRIPTIVE  # a test that cannot be trusted checks nothing
    elif pretrend["p_value"] < PRETREND_ALPHA:
        result.warn(
            "pretrends",
            f"Pre-trends: treated and comparison units already moved apart before the start "
            f"(joint test p = {pretrend['p_value']:.3f}); the parallel-trends assumption is doubtful.",
            p_value=pretrend["p_value"],
        )
        result.evidence = Evidence.DESCRIPTIVE
    else:
        result.evidence = Evidence.DID_PRETREND


def _staggered(panel: Panel, starts: dict[str, int], treated_idx, control_idx, *,
               control_group: str = "auto", base_period: str = "varying", covariates: Sequence[str] = (),
               weights: str | None = None, missing: str = "drop-units", seed: int = 0,
               placebos: bool = True, honest: bool = False) -> EstimateResult:
    """Callaway & Sant'Anna (2021) as R's did 2.x computes it (cs.py), in the result's shape."""
    rows = list(treated_idx) + list(control_idx)
    cohort_of = {i: starts[panel.units[i]] for i in treated_idx}
    cohort = np.array([cohort_of.get(i, np.inf) for i in rows], dtype=float)
    unit_weights = None
    if weights:
        values = panel.variable(weights)[rows]
        unit_weights = np.full(len(rows), np.nan)
        for k, row in enumerate(values):
            known = np.unique(row[~np.isnan(row)])
            if len(known) > 1:
                shown = ", ".join(f"{v:g}" for v in known[:3])
                raise EvaluationError(f"--weights: unit {panel.units[rows[k]]!r} has more than one weight "
                                      f"({shown}); a unit weight is one number")
            unit_weights[k] = known[0] if len(known) else np.nan
        if np.isnan(unit_weights).any():
            k = int(np.flatnonzero(np.isnan(unit_weights))[0])
            raise EvaluationError(f"--weights: unit {panel.units[rows[k]]!r} has no weight")
    out = callaway_santanna(
        panel.outcome[rows], cohort, [int(p) for p in panel.periods],
        covariates={c: panel.variable(c)[rows] for c in covariates}, weights=unit_weights,
        control_group=control_group, base_period=base_period, missing=missing, seed=seed,
    )
    simple = out["simple"]
    result = EstimateResult(
        method="did",
        outcome=panel.outcome_name,
        treated=[panel.units[i] for i in treated_idx],
        treatment_time=dict(sorted(starts.items())),
        periods=[int(p) for p in panel.periods],
        estimate=simple["estimate"],
        effects={e["event_time"]: e["estimate"] for e in out["event"] if e["event_time"] >= 0},
        se=simple["se"],
        ci=tuple(simple["ci"]),
    )
    result.details = {
        "estimator": "callaway-santanna",
        "estimation": "doubly robust (Sant'Anna & Zhao 2020)" if covariates else "difference of mean changes",
        "covariates": list(covariates),
        "weights": weights,
        "comparison": "never treated" if out["control_group"] == "never" else "not yet treated",
        "control_group": out["control_group"],
        "base_period": base_period,
        "missing": missing,
        "effects_by": "event_time",
        "event_study": out["event"],
        "dynamic": out["dynamic"],
        "event": {"effects": out["event"], "overall": out["dynamic"],
                  "critical_value": out["critical_values"].get("event")},
        "pretrend_test": out["pretrend"],
        "att_gt": out["att_gt"],
        "aggregations": {"group": out["group"], "group_overall": out["group_overall"],
                         "calendar": out["calendar"], "calendar_overall": out["calendar_overall"]},
        "uniform_bands": {"critical_values": out["critical_values"], **out["bootstrap"]},
        "se_influence": simple["se"],
        "clusters": out["units"],
    }
    for note in out["notes"]:
        params = {k: v for k, v in note.items() if k not in ("code", "message")}
        result.warn(note["code"], note["message"], **params)
    pretrend = out["pretrend"]
    n_treated = len(treated_idx)
    if n_treated < FEW_TREATED and placebos:
        # the influence-function errors rest on many treated units; with one to four, randomization
        # inference as for a common start: comparison units take the treated units' start periods
        fits = _staggered_randomization(panel, [starts[panel.units[i]] for i in treated_idx], control_idx,
                                        control_group=control_group, base_period=base_period,
                                        covariates=covariates, weights=unit_weights[len(treated_idx):]
                                        if unit_weights is not None else None, missing=missing, seed=seed)
        pretrend = _apply_randomization(result, fits, simple["estimate"], simple["se"], pretrend,
                                        out["event"], n_treated)
        if result.se is not None and math.isfinite(result.se):
            z = stats.norm.ppf(0.975)
            result.ci = (result.estimate - z * result.se, result.estimate + z * result.se)
    elif n_treated < FEW_TREATED:
        result.warn("few_treated", f"Only {n_treated} treated units: the standard errors are unreliable.",
                    treated=n_treated)
        pretrend = dict(pretrend, unreliable=True) if pretrend else None
        result.details["pretrend_test"] = pretrend
    if honest:
        if n_treated < FEW_TREATED:
            result.details["honest"] = {
                "unavailable": "too few treated units for the covariance of the event study",
                "code": "few_treated"}
        else:
            # HonestDiD needs every coefficient against one reference period: R's honest_did refuses a
            # varying base period, so the event study is estimated again with a universal one
            universal = out if base_period == "universal" else callaway_santanna(
                panel.outcome[rows], cohort, [int(p) for p in panel.periods],
                covariates={c: panel.variable(c)[rows] for c in covariates}, weights=unit_weights,
                control_group=control_group, base_period="universal", missing=missing, draws=0)
            events = {r["event_time"]: r["estimate"] for r in universal["event"] if not r.get("reference")}
            times = universal["event_vcov"]["event_times"]
            result.details["honest"] = _honest_bounds(times, np.array([events[t] for t in times]),
                                                      universal["event_vcov"]["matrix"], -1, seed)
            result.details["honest"]["base_period"] = "universal"
    _pretrend_verdict(result, pretrend)
    return result


def _honest_bounds(times: list[int], beta: np.ndarray, sigma: np.ndarray | None, reference: int,
                   seed: int) -> dict:
    """Rambachan & Roth's sensitivity of the first post-period effect, when the event study allows
    it: consecutive event times around the reference period -1, two or more before it."""
    if sigma is None:
        return {"unavailable": "too few comparison units for the covariance of the event study",
                "code": "few_controls"}
    pre = [t for t in times if t < 0]
    post = [t for t in times if t >= 0]
    if reference != -1 or pre != list(range(min(pre, default=-1), -1)) or post != list(range(len(post))):
        return {"unavailable": "the event times are not consecutive around the period before the start",
                "code": "not_consecutive"}
    try:
        return honest_did.sensitivity(beta, sigma, len(pre), seed=seed)
    except EvaluationError as exc:
        return {"unavailable": str(exc), "code": "too_short"}


def _staggered_randomization(panel: Panel, cohorts: list[int], control_idx: list[int], *, control_group: str,
                             base_period: str, covariates: Sequence[str], weights, missing: str,
                             seed: int) -> list[dict]:
    """Callaway-Sant'Anna on the comparison units alone, with as many of them as there are treated
    units given the treated units' start periods: every comparison unit in turn for one treated
    unit, else RI_DRAWS random sets. No bootstrap in these runs."""
    n_controls = len(control_idx)
    k = len(cohorts)
    if n_controls < RI_MIN_CONTROLS + k - 1:
        return []
    y = panel.outcome[control_idx]
    x = {c: panel.variable(c)[control_idx] for c in covariates}
    periods = [int(p) for p in panel.periods]
    fits = []
    for chosen in _placebo_draws(n_controls, k, seed):
        cohort = np.full(n_controls, np.inf)
        cohort[chosen] = cohorts
        try:
            out = callaway_santanna(y, cohort, periods, covariates=x, weights=weights,
                                    control_group=control_group, base_period=base_period, missing=missing,
                                    draws=0)
        except EvaluationError:
            continue
        events = {r["event_time"]: r["estimate"] for r in out["event"] if not r.get("reference")}
        fits.append({"estimate": out["simple"]["estimate"], "se": out["simple"]["se"],
                     "pretrend": out["pretrend"], "events": events})
    return fits
