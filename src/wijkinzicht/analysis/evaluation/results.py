"""What every estimator returns: effects, weights, warnings in plain words and an evidence label.

Warnings carry a stable ``code`` and the numbers behind them (``params``), so the product can
show them in Dutch, and an English ``message`` for the command line.
"""

from __future__ import annotations

import math
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
