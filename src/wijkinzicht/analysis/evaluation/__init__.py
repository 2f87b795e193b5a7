"""The evaluation engine (module 6): what a neighbourhood approach changed, compared with what
would have happened without it. Pure numpy/scipy, no Django; docs/evaluation.md has the methods,
their sources and how the results compare with the published ones."""

from .did import difference_in_differences
from .panel import EvaluationError, Panel
from .person import composition, paired_change
from .results import EstimateResult, Evidence
from .run import run_method
from .sdid import synthdid
from .synth import Predictor, parse_span, synthetic_control

__all__ = [
    "EstimateResult",
    "EvaluationError",
    "Evidence",
    "Panel",
    "Predictor",
    "composition",
    "difference_in_differences",
    "paired_change",
    "parse_span",
    "run_method",
    "synthdid",
    "synthetic_control",
]
