"""`wijkinzicht evaluate {did,synth,sdid}`: the evaluation engine on any panel CSV.

A research tool on plain files: it needs neither the database nor the settings, so the console
script runs it without starting Django (the answer to --help takes no numpy, no scipy, no
settings; nothing is written to the working directory), and the management command of the same
name (for call_command) is a thin wrapper around it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

METHODS = {
    "did": "Difference-in-differences (two-way fixed effects, event study; "
    "Callaway-Sant'Anna for staggered starts).",
    "synth": "Synthetic control (Abadie, Diamond & Hainmueller) with nested optimisation of V.",
    "sdid": "Synthetic difference-in-differences (Arkhangelsky et al. 2021).",
}
DESCRIPTION = "Estimate the effect of a treatment on any panel CSV (one row per unit and period)."
PERIODS_HELP = (
    "Column with the period: years (2011), decimals (2011.5), quarters (2011Q3, Q3 2011, 2011KW03), "
    "months (2011-07, 2011MM07) or dates (2011-07-15); the treatment time is written the same way."
)


def add_method_arguments(methods) -> None:
    """The subcommands and their options, on an argparse subparsers object."""
    for name, text in METHODS.items():
        sub = methods.add_parser(name, help=text, description=text)
        sub.add_argument("--panel", required=True, help="The panel CSV (comma, semicolon or tab).")
        sub.add_argument("--unit", required=True, help="Column naming the unit.")
        sub.add_argument("--time", required=True, help=PERIODS_HELP)
        sub.add_argument("--outcome", required=True, help="Column with the outcome.")
        sub.add_argument("--treated", help="Treated unit(s), comma separated.")
        sub.add_argument("--treated-file",
                         help="A file with the treated units, one per line (names may hold commas).")
        sub.add_argument("--treatment-time",
                         help="First treated period; for did also one per treated unit, comma separated.")
        sub.add_argument("--donors", help="Comparison units, comma separated (default: all others).")
        sub.add_argument("--exclude", help="Units to leave out of the comparison, comma separated.")
        sub.add_argument("--placebos", action="store_true", help="Run placebo inference.")
        sub.add_argument("--seed", type=int, default=0, help="Seed for the random parts (default 0).")
        sub.add_argument("--json", action="store_true", help="Print one JSON object.")
        if name == "synth":
            sub.add_argument("--predictor", action="append", default=[],
                             help="COLUMN, COLUMN:FROM-TO, COLUMN:T1,T2,... or COLUMN:T (repeatable; years).")
            sub.add_argument("--fit-period",
                             help="FROM-TO: the pre-treatment span whose fit chooses V (years).")
            sub.add_argument("--v", help="Predictor weights V, comma separated, instead of choosing them.")
            sub.add_argument("--workers", type=int, default=1,
                             help="Processes for the placebo runs (default 1).")
        if name == "did":
            sub.add_argument("--cohort",
                             help="Column with each unit's first treated period (R's first.treat: 0 or "
                                  "empty = never treated), instead of --treated and --treatment-time.")
            sub.add_argument("--control-group", choices=["auto", "never", "notyet"], default="auto",
                             help="Staggered starts: compare with never-treated units, with units not yet "
                                  "treated, or auto (never-treated when there are two or more).")
            sub.add_argument("--base-period", choices=["varying", "universal"], default="varying",
                             help="Staggered starts: pre-periods as one-period differences (varying, R's "
                                  "default) or all against the period before the start (universal).")
            sub.add_argument("--covariate", action="append", default=[],
                             help="Column of a covariate for doubly robust DiD (Sant'Anna & Zhao 2020; "
                                  "repeatable); uses Callaway-Sant'Anna also for a common start.")
            sub.add_argument("--weights", help="Column with each unit's weight (one value per unit).")
            sub.add_argument("--missing", choices=["drop-units", "per-cell"], default="drop-units",
                             help="Callaway-Sant'Anna: leave out units not observed in every period (R's "
                                  "default) or use each unit in the cells where it is observed.")
        if name == "sdid":
            sub.add_argument("--replications", type=int, default=200, help="Placebo replications.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wijkinzicht evaluate", description=DESCRIPTION)
    add_method_arguments(parser.add_subparsers(dest="method", required=True, metavar="{did,synth,sdid}"))
    return parser


def main(argv: list[str], stdout=None, stderr=None) -> int:
    """The console entry: 0 on success, 1 for input to fix (the message on stderr), 2 for usage."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    options = vars(build_parser().parse_args(argv))
    from wijkinzicht.analysis.evaluation import EvaluationError

    try:
        result = run(options.pop("method"), options)
    except EvaluationError as exc:
        stderr.write(f"error: {exc}\n")
        return 1
    try:
        write(stdout, result, options)
        stdout.flush()
    except BrokenPipeError:  # `| head`: the reader has gone, which is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def write(stdout, result, options) -> None:
    if options["json"]:
        stdout.write(json.dumps(cli_json(result, options["placebos"]), ensure_ascii=False) + "\n")
    else:
        write_text(stdout, result)


def run(method: str, options: dict):
    from wijkinzicht.analysis.evaluation import EvaluationError, Predictor, parse_span, run_method

    from .panels import read_panel_csv, read_unit_list

    predictors = [Predictor.parse(p) for p in options.get("predictor") or []]
    covariates = list(dict.fromkeys(options.get("covariate") or []))
    weights = options.get("weights")
    columns = [p.column for p in predictors if p.column != options["outcome"]]
    columns += [c for c in [*covariates, weights] if c and c not in columns]
    if options["outcome"] in covariates:
        raise EvaluationError(f"--covariate {options['outcome']}: the outcome cannot be a covariate")
    cohort = options.get("cohort")
    if options.get("treated") and options.get("treated_file"):
        raise EvaluationError("give --treated or --treated-file, not both")
    if options.get("treated_file"):
        options["treated"] = read_unit_list(options["treated_file"])
    if cohort and (options.get("treated") or options.get("treatment_time")):
        raise EvaluationError("give --cohort or --treated with --treatment-time, not both")
    if not cohort and not (options.get("treated") and options.get("treatment_time")):
        raise EvaluationError(
            "give --treated (or --treated-file) and --treatment-time (or, for did, --cohort)")
    panel = read_panel_csv(
        options["panel"],
        unit=options["unit"],
        time=options["time"],
        outcome=options["outcome"],
        covariates=columns,
        period_columns=[cohort] if cohort else [],
    )
    treated = options.get("treated")
    notes: list[str] = []
    if cohort:
        treated, notes = cohorts_from_column(panel, cohort)
        times = sorted(set(treated.values()))
    else:
        times = [panel.scale.code(t, where="--treatment-time: ")
                 for t in options["treatment_time"].split(",") if t.strip()]
    if not times:
        raise EvaluationError("--treatment-time is empty")
    if method != "did" and len(set(times)) > 1:
        raise EvaluationError(f"{method} needs one treatment time for all treated units")
    if (predictors or options.get("fit_period")) and not panel.scale.is_years:
        raise EvaluationError("--predictor and --fit-period periods are years; this panel's periods are not")
    v = None
    if options.get("v"):
        try:
            v = [float(x) for x in options["v"].split(",")]
        except ValueError:
            raise EvaluationError(f"--v: {options['v']!r} is not a list of numbers") from None
        if len(v) != len(predictors):
            raise EvaluationError(f"--v has {len(v)} weights for {len(predictors)} predictors")
    result = run_method(
        panel,
        method=method,
        treated=treated,
        times=times,
        control_group=options.get("control_group") or "auto",
        base_period=options.get("base_period") or "varying",
        covariates=covariates,
        weights=weights,
        missing=options.get("missing") or "drop-units",
        predictors=predictors,
        fit_period=parse_span(options["fit_period"]) if options.get("fit_period") else None,
        donors=options.get("donors"),
        exclude=options.get("exclude"),
        placebos=options["placebos"],
        seed=options["seed"],
        v=v,
        replications=options.get("replications") or 200,
        workers=max(1, options.get("workers") or 1),
    )
    for note in notes:
        result.warn("cohort_column", note)
    return result


def cohorts_from_column(panel, column: str) -> tuple[dict[str, int], list[str]]:
    """Unit -> first treated period (a code) from a cohort column (R did's first.treat: 0 or empty
    = never treated). Units treated from the panel's first period have no period before and are
    dropped; units first treated after its last period are never treated within it; both are
    noted."""
    import numpy as np

    from wijkinzicht.analysis.evaluation import EvaluationError

    values = panel.variable(column)
    label = panel.scale.label
    first, last = int(panel.periods.min()), int(panel.periods.max())
    starts: dict[str, int] = {}
    notes: list[str] = []
    for i, unit in enumerate(panel.units):
        known = sorted({int(v) for v in values[i] if not np.isnan(v)})
        if len(known) > 1:
            raise EvaluationError(f"--cohort: unit {unit!r} has more than one first treated period "
                                  f"({', '.join(str(label(k)) for k in known)})")
        if not known:
            continue
        g = known[0]
        if g <= first:
            notes.append(f"unit {unit} is treated from the first period ({label(g)}) and is left out")
        elif g > last:
            notes.append(f"unit {unit} is first treated after the panel: counted as never treated")
        else:
            starts[unit] = g
    if not starts:
        raise EvaluationError(f"--cohort: no unit is first treated within {label(first)}-{label(last)}")
    return starts, notes


def cli_json(result, placebos: bool) -> dict:
    """The documented JSON shape: method, estimate, effects, weights, pre_rmspe, se, ci, placebo,
    warnings, plus everything else the result holds under details."""
    data = result.to_dict()
    out = {
        "method": data["method"],
        "outcome": data["outcome"],
        "treated": data["treated"],
        "treatment_time": data["treatment_time"],
        "estimate": data["estimate"],
        "effects": data["effects"],
        "se": data["se"],
        "ci": data["ci"],
        "weights": data["weights"] if result.method != "did" else None,
        "warnings": [{"code": w["code"], "message": w["message"]} for w in data["warnings"]],
        "evidence": data["evidence"],
        "evidence_text": data["evidence_text"],
    }
    if result.method == "synth":
        out["pre_rmspe"] = data["details"]["pre_rmspe"]
        out["v"] = data["details"]["v"]
    if result.time_weights is not None:
        out["time_weights"] = data["time_weights"]
    if placebos and data["placebo"] is not None:
        out["placebo"] = {k: v for k, v in data["placebo"].items() if k not in {"lines", "estimates"}}
        if "lines" in data["placebo"]:
            out["placebo"]["units_detail"] = [
                {k: v for k, v in line.items() if k != "gaps"} for line in data["placebo"]["lines"]
            ]
    details = data["details"]
    for key in ("att_gt", "event", "honest"):  # issue 15: top-level where they apply
        if details.get(key) is not None:
            out[key] = details[key]
    moved = {"att_gt", "event", "honest"} | ({"event_study", "dynamic"} if "event" in details else set())
    out["details"] = {k: v for k, v in details.items() if k not in moved}
    out["treated_path"] = data["treated_path"]
    out["comparison_path"] = data["comparison_path"]
    return out


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.1f}"


def write_text(out, result) -> None:
    def line(text: str) -> None:
        out.write(text + "\n")

    data = result.to_dict()
    line(f"{METHODS[result.method]}")
    treated = result.treated
    if len(treated) > 10:
        treated = [*treated[:10], f"... ({len(treated)} in all)"]
    start = data["treatment_time"]
    if isinstance(start, dict) and len(start) > 10:
        cohorts = sorted(set(start.values()), key=str)
        start = f"{len(start)} units in {len(cohorts)} cohorts ({', '.join(map(str, cohorts))})"
    line(f"outcome: {result.outcome}; treated: {', '.join(treated)}; start: {start}")
    if result.method == "did" and result.details.get("estimator") != "callaway-santanna":
        # the TWFE coefficient is the post-minus-pre difference against the comparison units, not
        # the mean of the period effects (Proposition 99: -27.35 against -17.98)
        what = "two-way fixed effects: after minus before the start, against the comparison"
    elif result.method == "did":
        what = "Callaway-Sant'Anna: post-start ATT(g,t) weighted by cohort share"
    else:
        what = "mean effect after the start"
    text = f"estimate ({what}): {_fmt(result.estimate)}"
    if result.se is not None:
        text += f"  se {_fmt(result.se)}  95% CI [{_fmt(result.ci[0])}, {_fmt(result.ci[1])}]"
    line(text)
    if result.method == "did" and result.effects:
        mean = sum(result.effects.values()) / len(result.effects)
        line(f"mean of the effects after the start: {_fmt(mean)}")
    if result.method == "synth":
        line(f"pre-treatment RMSPE: {_fmt(result.details['pre_rmspe'])}")
    if result.placebo and result.placebo.get("p_value") is not None:
        line(f"placebo ({result.placebo['kind']}): p = {_fmt(result.placebo['p_value'])}")
    label = "event time" if result.details.get("effects_by") == "event_time" else "period"
    line(f"effects by {label}:")
    for key, value in result.effects.items():
        line(f"  {key}: {_fmt(value)}")
    if result.weights and result.method != "did":
        line("weights:")
        for name, weight in sorted(result.weights.items(), key=lambda kv: -kv[1]):
            if weight >= 0.001:
                line(f"  {name}: {weight:.3f}")
    bounds = result.details.get("honest")
    if bounds and "original" in bounds:
        line("honest DiD (Rambachan & Roth 2023), effect in the first period after the start, 95% sets:")
        for row in bounds["relative_magnitudes"]:
            shown = "empty" if row.get("lb") is None else f"[{_fmt(row['lb'])}, {_fmt(row['ub'])}]"
            line(f"  post-start changes up to {row['mbar']:g} x the largest pre-start change: {shown}")
        for row in bounds["smoothness"]:
            shown = f"[{_fmt(row['lb'])}, {_fmt(row['ub'])}]"
            line(f"  slope changing by up to {_fmt(row['m'])} per period: {shown}")
    elif bounds:
        line(f"honest DiD bounds not computed: {bounds['unavailable']}")
    line(f"evidence: {data['evidence_text']}")
    for warning in result.warnings:
        line(f"warning: {warning.message}")
