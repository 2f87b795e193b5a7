"""One estimate by name: the call behind the command line and the product's background job."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .did import difference_in_differences
from .panel import EvaluationError, Panel
from .results import EstimateResult
from .sdid import synthdid
from .synth import Predictor, synthetic_control


def run_method(
    panel: Panel,
    *,
    method: str,
    treated: str | Sequence[str],
    times: Sequence[int],
    predictors: Sequence[Predictor] = (),
    fit_period: tuple[int, int] | None = None,
    donors: str | Sequence[str] | None = None,
    exclude: str | Sequence[str] | None = None,
    placebos: bool = False,
    seed: int = 0,
    v: Sequence[float] | None = None,
    replications: int = 200,
    progress: Callable[[int, int], None] | None = None,
    workers: int = 1,
    control_group: str = "auto",
    base_period: str = "varying",
    covariates: Sequence[str] = (),
    weights: str | None = None,
    missing: str = "drop-units",
) -> EstimateResult:
    """One estimate; the same call serves the command line and the background job. `times` are
    period codes of the panel's scale; the result names periods as the panel wrote them."""
    result = _estimate(panel, method=method, treated=treated, times=times, predictors=predictors,
                       fit_period=fit_period, donors=donors, exclude=exclude, placebos=placebos, seed=seed,
                       v=v, replications=replications, progress=progress, workers=workers,
                       control_group=control_group, base_period=base_period, covariates=covariates,
                       weights=weights, missing=missing)
    if not panel.scale.is_years:
        result.relabel(panel.scale.label)
    return result


def _estimate(panel, *, method, treated, times, predictors, fit_period, donors, exclude, placebos, seed, v,
              replications, progress, workers, control_group, base_period, covariates, weights,
              missing) -> EstimateResult:
    if method == "did":
        return difference_in_differences(
            panel, treated, list(times), donors=donors, exclude=exclude, placebos=True, seed=seed,
            control_group=control_group, base_period=base_period, covariates=covariates, weights=weights,
            missing=missing, honest=True,
        )
    if covariates or weights:
        raise EvaluationError(f"{method} takes no --covariate or --weights; they are for did")
    if len(set(times)) != 1:
        raise EvaluationError(f"{method} needs one treatment time for all treated units")
    if method == "synth":
        return synthetic_control(
            panel,
            treated,
            times[0],
            predictors=predictors,
            fit_period=fit_period,
            donors=donors,
            exclude=exclude,
            v=v,
            placebos=placebos,
            seed=seed,
            progress=progress,
            workers=workers,
        )
    if method == "sdid":
        if predictors:
            raise EvaluationError("sdid takes no predictors")
        return synthdid(
            panel,
            treated,
            times[0],
            donors=donors,
            exclude=exclude,
            replications=replications,
            seed=seed,
            progress=progress,
        )
    raise EvaluationError(f"unknown method {method!r}; choose did, synth or sdid")
