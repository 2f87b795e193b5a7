"""Evaluation services: run an estimator on a panel, and (for the product) on area data."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wijkinzicht.analysis.evaluation import (
    EstimateResult,
    EvaluationError,
    Panel,
    Predictor,
    difference_in_differences,
    synthdid,
    synthetic_control,
)


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
) -> EstimateResult:
    """One estimate; the same call serves the command line and the background job."""
    if method == "did":
        return difference_in_differences(
            panel, treated, list(times), donors=donors, exclude=exclude, placebos=True, seed=seed
        )
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
