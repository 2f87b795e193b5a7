"""What every estimator returns: effects, weights, warnings in plain words and an evidence label.

Warnings carry a stable ``code`` and the numbers behind them (``params``), so the product can
show them in Dutch, and an English ``message`` for the command line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Evidence(StrEnum):
    DESCRIPTIVE = "descriptive"  # a trend compared, no credible counterfactual check
    DID_PRETREND = "did_pretrend"  # DiD whose pre-trend test does not reject parallel trends
    SYNTH_PLACEBO = "synth_placebo"  # synthetic control / SDID with placebo inference


EVIDENCE_TEXT = {
    Evidence.DESCRIPTIVE: "descriptive trend",
    Evidence.DID_PRETREND: "difference-in-differences with pre-trend check",
    Evidence.SYNTH_PLACEBO: "synthetic control with placebo inference",
}


@dataclass
class Warning:
    code: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class EstimateResult:
    method: str
    outcome: str
    treated: list[str]
    treatment_time: int | dict[str, int]
    periods: list[int]
    estimate: float
    effects: dict[int, float]
    se: float | None = None
    ci: tuple[float, float] | None = None
    weights: dict[str, float] | None = None
    time_weights: dict[int, float] | None = None
    treated_path: dict[int, float] | None = None
    comparison_path: dict[int, float] | None = None
    details: dict[str, Any] = field(default_factory=dict)
    placebo: dict[str, Any] | None = None
    warnings: list[Warning] = field(default_factory=list)
    evidence: Evidence = Evidence.DESCRIPTIVE

    def warn(self, code: str, message: str, **params: Any) -> None:
        self.warnings.append(Warning(code, message, params))

    @property
    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]

    def relabel(self, label: Callable[[int], Any]) -> None:
        """Periods back as they were written (periods.py): the engine counted in codes. Event
        times stay numbers of steps."""
        def keys(mapping):
            return None if mapping is None else {label(k): v for k, v in mapping.items()}

        self.periods = [label(p) for p in self.periods]
        if isinstance(self.treatment_time, dict):
            self.treatment_time = {u: label(t) for u, t in self.treatment_time.items()}
        else:
            self.treatment_time = label(self.treatment_time)
        if self.details.get("effects_by") != "event_time":
            self.effects = keys(self.effects)
        self.time_weights = keys(self.time_weights)
        self.treated_path = keys(self.treated_path)
        self.comparison_path = keys(self.comparison_path)
        for row in self.details.get("event_study") or []:
            if "period" in row:
                row["period"] = label(row["period"])
        for row in self.details.get("att_gt") or []:
            for name in ("cohort", "period", "base"):
                row[name] = label(row[name])
        aggregations = self.details.get("aggregations") or {}
        for row in aggregations.get("group") or []:
            row["cohort"] = label(row["cohort"])
        for row in aggregations.get("calendar") or []:
            row["period"] = label(row["period"])
        for warning in self.warnings:
            if "cohort" in warning.params:
                warning.params["cohort"] = label(warning.params["cohort"])
            if "period" in warning.params:
                warning.params["period"] = label(warning.params["period"])
        if self.details.get("fit_period"):
            self.details["fit_period"] = [label(p) for p in self.details["fit_period"]]
        for row in self.details.get("leave_one_out") or []:
            row["effects"] = keys(row.get("effects"))
        backdate = self.details.get("in_time_placebo")
        if backdate:
            backdate["placebo_time"] = label(backdate["placebo_time"])
            backdate["effects"] = keys(backdate.get("effects"))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence"] = str(self.evidence)
        data["evidence_text"] = EVIDENCE_TEXT[self.evidence]
        return _clean(data)


def _clean(value: Any) -> Any:
    """JSON-safe: numpy scalars to Python, NaN/inf to None, dict keys to strings."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def rmspe(gaps: Any) -> float:
    import numpy as np

    gaps = np.asarray(gaps, dtype=float)
    return float(np.sqrt(np.mean(gaps**2))) if gaps.size else math.nan
