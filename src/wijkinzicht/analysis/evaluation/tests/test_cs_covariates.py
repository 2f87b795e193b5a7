"""Issue 15, item 1: Callaway-Sant'Anna complete -- doubly robust DiD with covariates (Sant'Anna &
Zhao 2020), unit weights, the group and calendar aggregations, uniform bands and R's handling of
missing cells -- against csdid 0.4.3 on a simulated staggered panel whose trends are parallel only
given the covariates (data/reference/SOURCES.md)."""

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation import Panel, difference_in_differences
from wijkinzicht.analysis.evaluation.cs import callaway_santanna

REFERENCE = Path(__file__).resolve().parents[5] / "data" / "reference"
CSDID = json.loads((REFERENCE / "csdid_0.4.3_staggered_covariates.json").read_text())


def _rows():
    with open(REFERENCE / "staggered_covariates.csv", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def staggered():
    rows = _rows()
    panel = Panel.from_records(rows, unit="unit", time="year", outcome="y", covariates=["x1", "x2", "w"])
    starts = {r["unit"]: int(r["first_treat"]) for r in rows if r["first_treat"] != "0"}
    return panel, starts


@pytest.mark.parametrize("key", sorted(CSDID["configs"]))
def test_every_cell_and_aggregation_matches_csdid(staggered, key):
    panel, starts = staggered
    control_group, base_period, formula, weights = key.split("|")
    covariates = [] if formula == "None" else formula.split("~")[1].split("+")
    result = difference_in_differences(
        panel, starts, control_group="never" if control_group == "nevertreated" else "notyet",
        base_period=base_period, covariates=covariates, weights=None if weights == "None" else weights)
    reference = CSDID["configs"][key]
    cells = {(c["cohort"], c["period"]): c for c in result.details["att_gt"]}
    assert len(cells) == len(reference["cells"])
    for g, t, att, se in reference["cells"]:
        assert cells[(g, t)]["estimate"] == pytest.approx(att, abs=1e-9), (g, t)
        if np.isnan(se):  # csdid's reference cell of a universal base period (0 by construction)
            assert cells[(g, t)]["reference"] and t == g - 1
            continue
        assert cells[(g, t)]["se"] == pytest.approx(se, abs=1e-9), (g, t)
    aggregations = result.details["aggregations"]
    overall = {"simple": (result.estimate, result.se)}
    for kind, row in (("dynamic", result.details["dynamic"]), ("group", aggregations["group_overall"]),
                      ("calendar", aggregations["calendar_overall"])):
        overall[kind] = (row["estimate"], row["se"])
    by = {"dynamic": {e["event_time"]: e for e in result.details["event_study"]},
          "group": {e["cohort"]: e for e in aggregations["group"]},
          "calendar": {e["period"]: e for e in aggregations["calendar"]}}
    for kind, values in reference["agg"].items():
        assert overall[kind] == pytest.approx(tuple(values["overall"]), abs=1e-9), kind
        for e, att, se in values.get("by", []):
            row = by[kind][int(e)]
            if np.isnan(se):
                assert row.get("reference") and att == 0
                continue
            assert (row["estimate"], row["se"]) == pytest.approx((att, se), abs=1e-9), (kind, e)


def test_covariates_remove_the_bias_that_plain_callaway_santanna_keeps(staggered):
    """The simulated effect after the start is 1 + 0.5 e; trends depend on x1 and treatment is more
    likely with high x1, so without covariates the estimate is biased."""
    panel, starts = staggered
    plain = difference_in_differences(panel, starts, control_group="never")
    adjusted = difference_in_differences(panel, starts, control_group="never", covariates=["x1", "x2"])
    truth = {0: 1.0, 1: 1.5, 2: 2.0, 3: 2.5}
    for e, value in truth.items():
        assert abs(adjusted.effects[e] - value) < 3 * next(
            r["se"] for r in adjusted.details["event_study"] if r["event_time"] == e)
    assert abs(plain.effects[3] - truth[3]) > abs(adjusted.effects[3] - truth[3])
    assert adjusted.details["estimation"].startswith("doubly robust")


def test_uniform_bands_follow_the_multiplier_bootstrap_of_r_did(staggered):
    """Seeded: the same seed gives the same band. The critical values agree with csdid's (both from
    20,000 draws) to Monte Carlo error, and the bootstrap standard errors with the analytic ones."""
    panel, starts = staggered
    cohort = np.array([float(starts.get(u, np.inf)) for u in panel.units])
    kwargs = dict(covariates={"x1": panel.covariates["x1"], "x2": panel.covariates["x2"]},
                  weights=panel.covariates["w"][:, 0], control_group="never", draws=20_000)
    out = callaway_santanna(panel.outcome, cohort, [int(p) for p in panel.periods], seed=7, **kwargs)
    again = callaway_santanna(panel.outcome, cohort, [int(p) for p in panel.periods], seed=7, **kwargs)
    assert out["critical_values"] == again["critical_values"]
    for kind, reference in CSDID["critical_values"].items():
        name = "event" if kind == "dynamic" else kind
        assert out["critical_values"][name] == pytest.approx(reference, abs=0.06), kind
    for row in out["event"]:
        if not row.get("reference"):
            assert row["se_bootstrap"] == pytest.approx(row["se"], rel=0.08)
            assert row["band"][0] < row["ci"][0] and row["band"][1] > row["ci"][1]  # wider than pointwise


def test_missing_cells_drop_the_unit_as_r_did_does_and_the_choice_is_in_the_output():
    """R's did (allow_unbalanced_panel = FALSE) keeps only units observed in every period: 60 rows
    removed from the panel take 59 units with them, and the estimate is csdid's."""
    with open(REFERENCE / "staggered_covariates.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    drop = set(random.Random(3).sample(range(len(rows)), 60))
    rows = [r for i, r in enumerate(rows) if i not in drop]
    panel = Panel.from_records(rows, unit="unit", time="year", outcome="y", covariates=["x1", "x2"])
    starts = {r["unit"]: int(r["first_treat"]) for r in rows if r["first_treat"] != "0"}
    result = difference_in_differences(panel, starts, control_group="never", covariates=["x1", "x2"])
    assert (result.estimate, result.se) == pytest.approx(tuple(CSDID["unbalanced_simple"]), abs=1e-9)
    assert result.details["missing"] == "drop-units"
    warning = next(w for w in result.warnings if w.code == "dropped_units")
    assert warning.params["units"] == 59
    per_cell = difference_in_differences(panel, starts, control_group="never", covariates=["x1", "x2"],
                                         missing="per-cell")
    assert per_cell.details["missing"] == "per-cell" and "dropped_units" not in per_cell.warning_codes
    assert per_cell.details["clusters"] == len(panel.units)


def test_weights_must_be_one_number_per_unit(staggered):
    panel, starts = staggered
    from wijkinzicht.analysis.evaluation import EvaluationError

    with pytest.raises(EvaluationError, match="--weights: unit 'u000' has more than one weight"):
        difference_in_differences(panel, starts, weights="x2")
