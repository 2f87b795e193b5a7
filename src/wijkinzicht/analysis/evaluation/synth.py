"""Synthetic control (Abadie & Gardeazabal 2003; Abadie, Diamond & Hainmueller 2010, 2015).

The synthetic unit is a convex combination of donors, w on the simplex, that minimises the
predictor distance (X1 - X0 w)' V (X1 - X0 w). Predictors are scaled by their standard
deviation over the treated unit and the donors (as R's Synth does). V, a diagonal of
non-negative predictor weights summing to one, is either given or chosen to minimise the mean
squared outcome gap over the fit period (the nested optimisation of ADH).

The outer problem is not convex and has flat stretches (many V give the same w). The search is:
1. the unrestricted lower bound: the donor weights that fit the outcome best with no predictor
   at all; no V can do better, so reaching it ends the search;
2. a screen of the equal V, the near-corners (almost all weight on one predictor) and random V
   drawn from a flat Dirichlet distribution;
3. Nelder-Mead (on |x| / sum |x|, as Synth) from the best few, each inner problem solved
   exactly by an active-set method warm-started from the previous support.
Every distinct donor set met on the way is remembered; when clearly different sets fit almost
as well as the chosen one, the weights are not identified and the result says so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .panel import EvaluationError, Panel
from .results import EstimateResult, Evidence, rmspe
from .simplex import simplex_least_squares

Progress = Callable[[int, int], None]

# thresholds behind the warnings (docs/evaluation.md explains them)
POOR_FIT_SHARE = 0.10  # pre-treatment RMSPE above 10% of the treated unit's mean absolute level
POOR_FIT_SD = 0.5  # ... or above half of the treated unit's pre-treatment standard deviation
FEW_DONORS = 10
FEW_PRE_PERIODS = 5


@dataclass(frozen=True)
class Effort:
    random_starts: int
    runs: int  # Nelder-Mead runs from the best starts
    maxfev_per_predictor: int  # budget per run, times the number of predictors
    restart: bool  # a last run from the best point found


# the main estimate searches hardest; leave-one-out and in-time placebos less; each in-space
# placebo least (docs/evaluation.md: measured effect on the Proposition 99 placebo p-value: none)
SEARCH_EFFORT = {
    "full": Effort(60, 3, 100, True),
    "robustness": Effort(12, 1, 100, True),
    "placebo": Effort(12, 1, 40, False),
}
ALTERNATIVE_FIT = 1.05  # an alternative donor set within 5% of the chosen pre-treatment RMSPE
ALTERNATIVE_DISTANCE = 0.3  # ... whose weights differ by at least 0.3 (half the L1 distance)


@dataclass(frozen=True)
class Predictor:
    """A predictor: the mean of ``column`` over ``periods`` (None: all pre-treatment periods), or
    over the span ``span`` (inclusive)."""

    column: str
    periods: tuple[int, ...] | None = None
    span: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        if self.span:
            return f"{self.column}:{self.span[0]}-{self.span[1]}"
        if self.periods:
            return f"{self.column}:{','.join(map(str, self.periods))}"
        return self.column

    @classmethod
    def parse(cls, spec: str) -> Predictor:
        from .panel import parse_period

        column, sep, rest = spec.rpartition(":")
        if not sep:
            if not spec.strip():
                raise EvaluationError("empty predictor")
            return cls(spec.strip())
        column, rest = column.strip(), rest.strip()
        where = f"predictor {spec!r}: "
        if not column or not rest:
            raise EvaluationError(f"{where}expected COLUMN, COLUMN:FROM-TO, COLUMN:T1,T2 or COLUMN:T")
        if "-" in rest.lstrip("-"):
            head, _, tail = rest.lstrip("-").partition("-")
            lo = parse_period(("-" if rest.startswith("-") else "") + head, where=where)
            hi = parse_period(tail, where=where)
            if hi < lo:
                raise EvaluationError(f"{where}the span ends before it starts")
            return cls(column, span=(lo, hi))
        periods = tuple(parse_period(p, where=where) for p in rest.split(",") if p.strip())
        if not periods:
            raise EvaluationError(f"{where}no periods")
        return cls(column, periods=periods)

    def mask(self, panel_periods: np.ndarray, pre: np.ndarray) -> np.ndarray:
        if self.span:
            mask = (panel_periods >= self.span[0]) & (panel_periods <= self.span[1])
        elif self.periods:
            unknown = set(self.periods) - set(int(p) for p in panel_periods)
            if unknown:
                raise EvaluationError(
                    f"predictor {self.label}: period(s) "
                    f"{', '.join(map(str, sorted(unknown)))} not in the panel"
                )
            mask = np.isin(panel_periods, self.periods)
        else:
            mask = pre.copy()
        if not mask.any():
            raise EvaluationError(f"predictor {self.label}: no panel periods in that span")
        return mask


def parse_span(text: str) -> tuple[int, int]:
    from .panel import parse_period

    head, sep, tail = text.strip().lstrip("-").partition("-")
    if not sep:
        raise EvaluationError(f"period span {text!r}: expected FROM-TO")
    lo = parse_period(("-" if text.strip().startswith("-") else "") + head, where=f"span {text!r}: ")
    hi = parse_period(tail, where=f"span {text!r}: ")
    if hi < lo:
        raise EvaluationError(f"period span {text!r} ends before it starts")
    return lo, hi


# --- the weight problem -------------------------------------------------------------------------


@dataclass
class WeightFit:
    weights: np.ndarray
    v: np.ndarray | None
    loss: float  # mean squared outcome gap over the fit period
    lower_bound: float  # the best loss any weights can reach
    alternatives: list[tuple[float, np.ndarray]]  # (loss, weights) of distinct donor sets met
    evaluations: int


class _Search:
    def __init__(self, x1, x0, z1, z0):
        self.x1, self.x0, self.z1, self.z0 = x1, x0, z1, z0
        self.support: np.ndarray | None = None
        self.seen: dict[tuple, tuple[float, np.ndarray]] = {}
        self.evaluations = 0
        self.best: tuple[float, np.ndarray, np.ndarray] | None = None

    def solve(self, v: np.ndarray) -> np.ndarray:
        root = np.sqrt(v)
        w = simplex_least_squares(root[:, None] * self.x0, root * self.x1, start=self.support)
        self.support = np.flatnonzero(w)
        return w

    def loss(self, w: np.ndarray) -> float:
        support = np.flatnonzero(w)
        gap = self.z1 - self.z0[:, support] @ w[support]
        return float(np.mean(gap**2))

    def objective(self, x: np.ndarray) -> float:
        total = np.abs(x).sum()
        if not np.isfinite(total) or total <= 0:
            return math.inf
        v = np.abs(x) / total
        w = self.solve(v)
        loss = self.loss(w)
        self.evaluations += 1
        if self.best is None or loss < self.best[0]:
            # keep the weights found for this V: near-degenerate V admit several inner solutions
            self.best = (loss, v, w.copy())
        support = np.flatnonzero(w > 1e-3)
        key = tuple(support) + tuple(np.round(w[support], 2))
        if (key not in self.seen or self.seen[key][0] > loss) and len(self.seen) < 5000:
            self.seen[key] = (loss, w.copy())
        return loss


def fit_weights(
    x1: np.ndarray | None,
    x0: np.ndarray | None,
    z1: np.ndarray,
    z0: np.ndarray,
    *,
    v: np.ndarray | None = None,
    seed: int = 0,
    effort: str = "full",
) -> WeightFit:
    """Donor weights for one treated unit.

    x1 (k), x0 (k x J): predictors, unscaled; z1 (T), z0 (T x J): outcomes over the fit period.
    With no predictors the weights minimise the outcome gap directly.
    """
    search = _Search(None, None, z1, z0)
    lower_w = simplex_least_squares(z0, z1)
    lower = search.loss(lower_w)
    if x1 is None or x0 is None or len(x1) == 0:
        return WeightFit(lower_w, None, lower, lower, [], 1)

    both = np.column_stack([x1, x0])
    sd = both.std(axis=1, ddof=1)
    sd[~np.isfinite(sd) | (sd == 0)] = 1.0
    search.x1, search.x0 = x1 / sd, x0 / sd[:, None]
    k = len(x1)

    if v is not None:
        v = np.asarray(v, dtype=float)
        if v.shape != (k,) or np.any(v < 0) or v.sum() <= 0:
            raise EvaluationError(f"V must be {k} non-negative predictor weights")
        v = v / v.sum()
        w = search.solve(v)
        return WeightFit(w, v, search.loss(w), lower, [], 1)

    rng = np.random.default_rng(seed)
    starts = [np.full(k, 1.0 / k)]
    starts += [0.1 / k + 0.9 * np.eye(k)[i] for i in range(k)]
    budget = SEARCH_EFFORT[effort]
    starts += list(rng.dirichlet(np.ones(k), size=budget.random_starts))
    scored = sorted(range(len(starts)), key=lambda i: search.objective(starts[i]))
    tolerance = 1e-9 * max(lower, 1e-12) + 1e-14
    options = {"maxfev": budget.maxfev_per_predictor * k, "xatol": 1e-6, "adaptive": k > 4}
    for i in scored[: budget.runs] + ([None] if budget.restart else []):
        if search.best[0] <= lower + tolerance:
            break  # the unrestricted optimum is reached: no V can do better
        # the last round restarts from the best V so far: Nelder-Mead stalls on flat stretches
        point = search.best[1] if i is None else starts[i]
        tolerances = {**options, "fatol": 1e-10 * search.best[0]}
        minimize(search.objective, point, method="Nelder-Mead", options=tolerances)
    loss, v_best, w = search.best
    alternatives = sorted(search.seen.values(), key=lambda t: t[0])[:200]
    alternatives.append((lower, lower_w))
    return WeightFit(w, v_best, loss, lower, alternatives, search.evaluations)


# --- the estimator ------------------------------------------------------------------------------


@dataclass
class _Design:
    panel: Panel
    treated: list[int]
    donors: list[int]
    time: int
    pre: np.ndarray
    post: np.ndarray
    fit: np.ndarray
    predictors: list[Predictor]


def _design(
    panel: Panel,
    treated: Sequence[str] | str,
    treatment_time: int,
    predictors: Sequence[Predictor | str],
    fit_period: tuple[int, int] | None,
    donors: Sequence[str] | str | None,
    exclude: Sequence[str] | str | None,
) -> _Design:
    treated_idx, donor_idx = panel.treated_and_comparison(treated, donors, exclude)
    if len(donor_idx) < 2:
        raise EvaluationError(f"too few donors: {len(donor_idx)}; a synthetic control needs at least 2")
    periods = panel.periods
    pre = periods < treatment_time
    post = ~pre
    if pre.sum() < 2:
        raise EvaluationError(
            f"too few pre-treatment periods: {int(pre.sum())} before {treatment_time}; at least 2 are needed"
        )
    if not post.any():
        raise EvaluationError(f"no periods at or after the treatment time {treatment_time}")
    if fit_period:
        fit = (periods >= fit_period[0]) & (periods <= fit_period[1])
        if np.any(fit & post):
            raise EvaluationError(
                f"the fit period {fit_period[0]}-{fit_period[1]} reaches into the treatment"
            )
        if not fit.any():
            raise EvaluationError(f"the fit period {fit_period[0]}-{fit_period[1]} holds no panel periods")
    else:
        fit = pre.copy()
    rows = treated_idx + donor_idx
    panel.require_complete(rows, np.ones(len(periods), dtype=bool))
    specs = [p if isinstance(p, Predictor) else Predictor.parse(p) for p in predictors]
    for spec in specs:
        panel.variable(spec.column)
        if np.any(spec.mask(periods, pre) & post):
            raise EvaluationError(f"predictor {spec.label} uses periods from the treatment time on")
    return _Design(panel, treated_idx, donor_idx, int(treatment_time), pre, post, fit, specs)


def _predictor_values(design: _Design, rows: Sequence[int]) -> np.ndarray | None:
    """k x len(rows) matrix of predictor means (missing periods skipped, as Synth does)."""
    if not design.predictors:
        return None
    panel = design.panel
    out = np.empty((len(design.predictors), len(rows)))
    for i, spec in enumerate(design.predictors):
        values = panel.variable(spec.column)[np.ix_(rows, spec.mask(panel.periods, design.pre))]
        empty = np.all(np.isnan(values), axis=1)
        if empty.any():
            unit = panel.units[rows[int(np.argmax(empty))]]
            raise EvaluationError(f"predictor {spec.label} has no value for {unit!r} in its periods")
        out[i] = np.nanmean(values, axis=1)
    return out


def _treated_series(design: _Design, x_all: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Outcome and predictors of the treated unit; several treated units are averaged."""
    y = design.panel.outcome[design.treated].mean(axis=0)
    x1 = None if x_all is None else x_all[:, : len(design.treated)].mean(axis=1)
    return y, x1


@dataclass
class _Run:
    weights: np.ndarray
    v: np.ndarray | None
    synthetic: np.ndarray
    gaps: np.ndarray
    pre_rmspe: float
    post_rmspe: float
    fit: WeightFit


def _run(y1, x1, y0, x0, design: _Design, *, v=None, seed=0, effort="full") -> _Run:
    fit = design.fit
    result = fit_weights(x1, x0, y1[fit], y0[:, fit].T, v=v, seed=seed, effort=effort)
    synthetic = y0.T @ result.weights
    gaps = y1 - synthetic
    return _Run(
        result.weights,
        result.v,
        synthetic,
        gaps,
        rmspe(gaps[design.pre]),
        rmspe(gaps[design.post]),
        result,
    )


def synthetic_control(
    panel: Panel,
    treated: Sequence[str] | str,
    treatment_time: int,
    *,
    predictors: Sequence[Predictor | str] = (),
    fit_period: tuple[int, int] | None = None,
    donors: Sequence[str] | str | None = None,
    exclude: Sequence[str] | str | None = None,
    v: Sequence[float] | None = None,
    placebos: bool = False,
    placebo_units: Sequence[str] | None = None,
    robustness: bool = True,
    seed: int = 0,
    progress: Progress | None = None,
    workers: int = 1,
) -> EstimateResult:
    design = _design(panel, treated, treatment_time, predictors, fit_period, donors, exclude)
    periods = panel.periods
    rows = design.treated + design.donors
    x_all = _predictor_values(design, rows)
    y1, x1 = _treated_series(design, x_all)
    y0 = panel.outcome[design.donors]
    x0 = None if x_all is None else x_all[:, len(design.treated) :]
    v_given = None if v is None else np.asarray(v, dtype=float)
    main = _run(y1, x1, y0, x0, design, v=v_given, seed=seed)
    donor_names = [panel.units[i] for i in design.donors]
    post_periods = [int(p) for p in periods[design.post]]
    effects = {p: float(g) for p, g in zip(post_periods, main.gaps[design.post], strict=True)}
    result = EstimateResult(
        method="synth",
        outcome=panel.outcome_name,
        treated=[panel.units[i] for i in design.treated],
        treatment_time=design.time,
        periods=[int(p) for p in periods],
        estimate=float(np.mean(main.gaps[design.post])),
        effects=effects,
        weights={name: float(w) for name, w in zip(donor_names, main.weights, strict=True)},
        treated_path={int(p): float(y) for p, y in zip(periods, y1, strict=True)},
        comparison_path={int(p): float(s) for p, s in zip(periods, main.synthetic, strict=True)},
    )
    fit_rmspe = math.sqrt(main.fit.loss)
    result.details = {
        "pre_rmspe": main.pre_rmspe,
        "post_rmspe": main.post_rmspe,
        "rmspe_ratio": main.post_rmspe / main.pre_rmspe if main.pre_rmspe > 0 else math.inf,
        "fit_rmspe": fit_rmspe,
        "fit_rmspe_lower_bound": math.sqrt(main.fit.lower_bound),
        "fit_period": [int(periods[main_fit]) for main_fit in (np.flatnonzero(design.fit)[[0, -1]])],
        "v": None
        if main.v is None
        else {spec.label: float(x) for spec, x in zip(design.predictors, main.v, strict=True)},
        "v_given": v is not None,
        "v_evaluations": main.fit.evaluations,
        "donors": len(design.donors),
        "predictors": _balance(design, x1, x0, main.weights),
    }
    _fit_warnings(result, design, y1, y0, main, x1, x0)

    if robustness:
        _alternatives(result, design, y1, y0, x1, x0, main, seed)
        _in_time_placebo(result, design, y1, y0, rows, v_given, seed)
    if placebos:
        _in_space_placebos(result, design, y0, x0, main, placebo_units, seed, progress, workers)
    result.evidence = _evidence(result)
    return result


def _balance(design, x1, x0, w) -> list[dict]:
    if x1 is None:
        return []
    return [
        {
            "predictor": spec.label,
            "treated": float(x1[i]),
            "synthetic": float(x0[i] @ w),
            "donor_mean": float(x0[i].mean()),
        }
        for i, spec in enumerate(design.predictors)
    ]


def _fit_warnings(result: EstimateResult, design: _Design, y1, y0, main: _Run, x1, x0) -> None:
    level = float(np.mean(np.abs(y1[design.pre])))
    spread = float(np.std(y1[design.pre], ddof=1)) if design.pre.sum() > 1 else 0.0
    if main.pre_rmspe > POOR_FIT_SHARE * level and main.pre_rmspe > POOR_FIT_SD * spread:
        result.warn(
            "poor_fit",
            f"Poor pre-treatment fit: the synthetic control misses the treated unit by "
            f"{main.pre_rmspe:.3g} on average (RMSPE) before the treatment, "
            f"against a mean level of {level:.3g}. "
            "The post-treatment gap is not a credible effect.",
            pre_rmspe=main.pre_rmspe,
            level=level,
        )
    n = len(design.donors)
    if n < FEW_DONORS:
        result.warn(
            "few_donors",
            f"Only {n} donors: the placebo p-value cannot be smaller than 1/{n + 1} = {1 / (n + 1):.3f}.",
            donors=n,
        )
    npre = int(design.pre.sum())
    if npre < FEW_PRE_PERIODS:
        result.warn(
            "few_pre_periods",
            f"Only {npre} pre-treatment periods: a good fit over so few periods says little.",
            periods=npre,
        )
    outside = []
    if x1 is not None:
        for i, spec in enumerate(design.predictors):
            if x1[i] > x0[i].max() or x1[i] < x0[i].min():
                outside.append(spec.label)
    pre_y1, pre_y0 = y1[design.pre], y0[:, design.pre]
    above = np.all(pre_y1 > pre_y0.max(axis=0)) or np.all(pre_y1 < pre_y0.min(axis=0))
    if above:
        outside.append(result.outcome)
    if outside:
        result.warn(
            "outside_hull",
            "The treated unit lies outside the range of the donors on "
            + ", ".join(outside)
            + ": no weighted average of donors can reproduce it there, "
            "and the synthetic control extrapolates.",
            variables=outside,
        )


def _alternatives(result, design: _Design, y1, y0, x1, x0, main: _Run, seed: int) -> None:
    """Leave-one-out donors, and donor sets that fit almost equally well (non-identification)."""
    panel = design.panel
    names = [panel.units[i] for i in design.donors]
    best = main.pre_rmspe
    candidates: list[tuple[str, np.ndarray]] = []
    for _, w in main.fit.alternatives:
        candidates.append(("search", w))
    loo = []
    order = np.argsort(-main.weights)
    for j in order[: min(5, int((main.weights > 1e-3).sum()))]:
        keep = np.ones(len(design.donors), dtype=bool)
        keep[j] = False
        if keep.sum() < 2:
            break
        sub_design = _Design(
            panel,
            design.treated,
            [d for d, k in zip(design.donors, keep, strict=True) if k],
            design.time,
            design.pre,
            design.post,
            design.fit,
            design.predictors,
        )
        run = _run(
            y1, x1, y0[keep], None if x0 is None else x0[:, keep], sub_design, seed=seed, effort="robustness"
        )
        w = np.zeros(len(design.donors))
        w[keep] = run.weights
        candidates.append(("leave-one-out", w))
        loo.append(
            {
                "without": names[j],
                "estimate": float(np.mean(run.gaps[design.post])),
                "pre_rmspe": run.pre_rmspe,
                "weights": _top(names, w),
                "effects": {
                    int(p): float(g)
                    for p, g in zip(panel.periods[design.post], run.gaps[design.post], strict=True)
                },
            }
        )
    result.details["leave_one_out"] = loo

    alternatives = []
    for source, w in candidates:
        gaps = y1 - y0.T @ w
        fit = rmspe(gaps[design.pre])
        distance = 0.5 * float(np.abs(w - main.weights).sum())
        if fit <= ALTERNATIVE_FIT * best + 1e-12 and distance >= ALTERNATIVE_DISTANCE:
            if any(0.5 * np.abs(w - a["_w"]).sum() < ALTERNATIVE_DISTANCE for a in alternatives):
                continue
            alternatives.append(
                {
                    "_w": w,
                    "source": source,
                    "pre_rmspe": fit,
                    "distance": distance,
                    "estimate": float(np.mean(gaps[design.post])),
                    "weights": _top(names, w),
                }
            )
    for a in alternatives:
        del a["_w"]
    alternatives.sort(key=lambda a: a["pre_rmspe"])
    result.details["alternatives"] = alternatives[:5]
    if alternatives:
        spread = [a["estimate"] for a in alternatives] + [result.estimate]
        result.warn(
            "weights_not_identified",
            f"The donor weights are not identified: {len(alternatives)} clearly different donor set(s) "
            "fit the "
            f"pre-treatment period within {round((ALTERNATIVE_FIT - 1) * 100)}% as well as the chosen one, "
            f"with effects from {min(spread):.3g} to {max(spread):.3g}. Which donors make up the synthetic "
            "control is not determined by the data; read the effect with that range in mind.",
            alternatives=len(alternatives),
            low=min(spread),
            high=max(spread),
        )


def _top(names: list[str], w: np.ndarray, n: int = 8) -> dict[str, float]:
    order = np.argsort(-w)[:n]
    return {names[i]: round(float(w[i]), 4) for i in order if w[i] > 5e-4}


def _in_time_placebo(result, design: _Design, y1, y0, rows, v, seed: int) -> None:
    """Pretend the treatment started earlier, using only data from before the real start."""
    pre_periods = design.panel.periods[design.pre]
    if len(pre_periods) < 4:
        return
    fake = int(pre_periods[len(pre_periods) // 2])
    pre = design.panel.periods < fake
    window = design.pre & ~pre
    specs = []
    for spec in design.predictors:
        mask = spec.mask(design.panel.periods, pre) & pre
        if mask.any():
            periods = tuple(int(p) for p in design.panel.periods[mask])
            specs.append(Predictor(spec.column, periods=periods))
    fake_design = _Design(
        design.panel, design.treated, design.donors, fake, pre, window, design.fit & pre, specs
    )
    if not fake_design.fit.any():
        fake_design.fit = pre.copy()
    try:
        x_all = _predictor_values(fake_design, rows)
    except EvaluationError:
        return
    x1 = None if x_all is None else x_all[:, : len(design.treated)].mean(axis=1)
    x0 = None if x_all is None else x_all[:, len(design.treated) :]
    run = _run(
        y1,
        x1,
        y0,
        x0,
        fake_design,
        seed=seed,
        effort="robustness",
        v=v if v is not None and len(specs) == len(design.predictors) else None,
    )
    gaps = run.gaps[window]
    result.details["in_time_placebo"] = {
        "placebo_time": fake,
        "estimate": float(np.mean(gaps)),
        "pre_rmspe": run.pre_rmspe,
        "effects": {int(p): float(g) for p, g in zip(design.panel.periods[window], gaps, strict=True)},
    }


_PLACEBO_DATA: dict = {}


def _placebo_setup(y0, x0, design_masks, seed) -> None:
    _PLACEBO_DATA.update(y0=y0, x0=x0, masks=design_masks, seed=seed)


def _placebo_line(j: int) -> dict:
    """In a worker process: the placebo of donor j on the data its initializer received."""
    return _placebo_fit(
        _PLACEBO_DATA["y0"], _PLACEBO_DATA["x0"], _PLACEBO_DATA["masks"], _PLACEBO_DATA["seed"], j
    )


def _placebo_fit(y0, x0, masks, seed: int, j: int) -> dict:
    """The synthetic control of donor j from the other donors."""
    pre, post, fit = masks
    keep = np.ones(len(y0), dtype=bool)
    keep[j] = False
    design = _Design(None, [], [], 0, pre, post, fit, [])
    run = _run(
        y0[j],
        None if x0 is None else x0[:, j],
        y0[keep],
        None if x0 is None else x0[:, keep],
        design,
        seed=seed,
        effort="placebo",
    )
    return {
        "pre_rmspe": run.pre_rmspe,
        "post_rmspe": run.post_rmspe,
        "ratio": run.post_rmspe / run.pre_rmspe if run.pre_rmspe > 0 else math.inf,
        "estimate": float(np.mean(run.gaps[post])),
        "gaps": [float(g) for g in run.gaps],
    }


def _in_space_placebos(result, design: _Design, y0, x0, main: _Run, units, seed, progress, workers=1) -> None:
    panel = design.panel
    names = [panel.units[i] for i in design.donors]
    chosen = list(range(len(names))) if not units else [names.index(u) for u in units if u in names]
    masks = (design.pre, design.post, design.fit)
    lines = []
    if workers > 1 and len(chosen) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")  # safe in a threaded web process too
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_placebo_setup, initargs=(y0, x0, masks, seed)
        ) as pool:
            for n, (j, line) in enumerate(
                zip(chosen, pool.map(_placebo_line, chosen, chunksize=4), strict=True)
            ):
                lines.append({"unit": names[j], **line})
                if progress:
                    progress(n + 1, len(chosen))
    else:
        for n, j in enumerate(chosen):
            lines.append({"unit": names[j], **_placebo_fit(y0, x0, masks, seed, j)})
            if progress:
                progress(n + 1, len(chosen))
    ratio = result.details["rmspe_ratio"]
    at_least = sum(1 for line in lines if line["ratio"] >= ratio)
    ranked = sorted([ratio] + [line["ratio"] for line in lines], reverse=True)
    # ADH (2010) also show placebos with a pre-treatment MSPE up to 5x the treated unit's
    trimmed = [line for line in lines if line["pre_rmspe"] ** 2 <= 5 * main.pre_rmspe**2]
    at_least_trimmed = sum(1 for line in trimmed if line["ratio"] >= ratio)
    result.placebo = {
        "kind": "in-space",
        "units": len(lines),
        "rank": ranked.index(ratio) + 1,
        "p_value": (1 + at_least) / (1 + len(lines)),
        "p_value_mspe_5x": (1 + at_least_trimmed) / (1 + len(trimmed)),
        "lines": lines,
    }


def _evidence(result: EstimateResult) -> Evidence:
    if "poor_fit" in result.warning_codes or result.placebo is None:
        return Evidence.DESCRIPTIVE
    return Evidence.SYNTH_PLACEBO
