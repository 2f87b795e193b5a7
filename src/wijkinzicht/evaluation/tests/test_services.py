"""Evaluations in the product: set-up, background computation on real CBS data, export."""

import json

import pytest

from wijkinzicht.analysis.evaluation import EvaluationError
from wijkinzicht.core.tenancy import TenancyError
from wijkinzicht.evaluation import services
from wijkinzicht.evaluation.constants import DonorPool, RunStatus

pytestmark = pytest.mark.django_db

TREATED = "BU05990110"  # Rotterdam, a Centrum buurt with 13 years of housing figures


def create(two_organisations, **overrides):
    org = two_organisations["A"]
    values = {
        "user": org["analyst"],
        "organisation": org["org"],
        "name": "Wijkaanpak",
        "method": "synth",
        "treated_codes": [TREATED],
        "treatment_year": 2019,
        "outcome_key": "pct_rented",
        "donor_pool": DonorPool.MUNICIPALITY,
        "placebos": True,
    }
    values.update(overrides)
    return services.evaluation_create(**values)


def run_now(evaluation, user):
    run = services.evaluation_run_request(evaluation=evaluation, user=user, background=False)
    return services.evaluation_run_execute(run_id=run.pk)


def test_synthetic_control_on_rotterdam_buurten(rotterdam_housing, two_organisations):
    evaluation = create(two_organisations)
    run = run_now(evaluation, two_organisations["A"]["analyst"])
    assert run.status == RunStatus.DONE, run.error
    result = run.result
    assert result["method"] == "synth"
    assert result["periods"] == list(range(2013, 2026))
    assert sum(result["weights"].values()) == pytest.approx(1.0)
    assert TREATED not in result["weights"]
    # neighbours of the treated buurt are left out, and said so
    notes = {n["code"]: n for n in result["notes"]}
    assert notes["neighbours_left_out"]["areas"]
    assert not set(notes["neighbours_left_out"]["areas"]) & set(result["weights"])
    assert result["placebo"]["units"] == len(result["weights"])
    assert 0 < result["placebo"]["p_value"] <= 1
    assert result["names"][TREATED]
    spec = run.specification
    assert spec["treated"] == [TREATED] and spec["treatment_time"] == 2019
    assert len(spec["panel"]["units"]) == 1 + len(spec["donors"])


def test_exported_json_reproduces_the_estimate_on_the_command_line(
    rotterdam_housing, two_organisations, tmp_path
):
    from io import StringIO

    from django.core.management import call_command

    from wijkinzicht.evaluation.presentation import export_data

    evaluation = create(two_organisations, method="sdid", placebos=False)
    run = run_now(evaluation, two_organisations["A"]["analyst"])
    assert run.status == RunStatus.DONE, run.error
    data = export_data(evaluation, run)
    panel = tmp_path / "panel.csv"
    columns = list(data["panel_rows"][0])
    panel.write_text(
        ",".join(columns)
        + "\n"
        + "\n".join(
            ",".join("" if row[c] is None else str(row[c]) for c in columns) for row in data["panel_rows"]
        )
        + "\n"
    )
    command = data["reproduce"]["command"].split()[2:]
    command[command.index("panel.csv")] = str(panel)
    out = StringIO()
    call_command("evaluate", *command, stdout=out)
    again = json.loads(out.getvalue())
    assert again["estimate"] == pytest.approx(run.result["estimate"], abs=1e-9)


def test_difference_in_differences_with_several_treated_buurten(rotterdam_housing, two_organisations):
    evaluation = create(
        two_organisations,
        method="did",
        treated_codes=["BU05990110", "BU05990111"],
        outcome_key="dwellings",
        exclude_neighbours=False,
    )
    run = run_now(evaluation, two_organisations["A"]["analyst"])
    assert run.status == RunStatus.DONE, run.error
    assert run.result["details"]["event_study"]
    assert run.result["details"]["pretrend_test"] is not None


def test_a_run_without_data_before_the_start_fails_in_plain_words(rotterdam_housing, two_organisations):
    evaluation = create(two_organisations, outcome_key="woz_mean", treatment_year=2016)
    run = run_now(evaluation, two_organisations["A"]["analyst"])
    assert run.status == RunStatus.FAILED
    assert "voor 2016" in run.error  # in Dutch: the product's language
    assert run.result is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"treated_codes": ["BU09999999"]}, "onbekende gebiedscode"),
        ({"treated_codes": ["BU05990110", "WK059901"]}, "hetzelfde niveau"),
        ({"outcome_key": "nonsense"}, "onbekende indicator"),
        ({"donor_pool": DonorPool.LIST, "donor_codes": ["BU05990111"]}, "minstens 2"),
        ({"donor_codes": ["GM0599"], "donor_pool": DonorPool.LIST}, "hetzelfde niveau"),
        (
            {"method": "did", "predictors": [{"indicator": "dwellings", "from": 2013, "to": 2018}]},
            "alleen de synthetische controle",
        ),
        ({"predictors": [{"indicator": "dwellings", "from": 2018, "to": 2013}]}, "ligt na"),
    ],
)
def test_bad_set_up_is_refused(rotterdam_housing, two_organisations, overrides, message):
    with pytest.raises(EvaluationError, match=message):
        create(two_organisations, **overrides)


def test_only_evaluating_roles_of_the_organisation_may_create_or_run(rotterdam_housing, two_organisations):
    a, b = two_organisations["A"], two_organisations["B"]
    with pytest.raises(TenancyError):
        create(two_organisations, user=a["fieldworker"])
    with pytest.raises(TenancyError):
        create(two_organisations, user=b["analyst"])  # B's analyst, A's organisation
    evaluation = create(two_organisations)
    with pytest.raises(TenancyError):
        services.evaluation_run_request(evaluation=evaluation, user=b["administrator"], background=False)


def test_an_evaluation_runs_on_through_amsterdams_re_coding(db, cbs_dir, tmp_path, two_organisations):
    """Issue 14: evaluations of Amsterdam buurten ended in 2022. With the crosswalk the treated
    buurt's series runs on to 2025 under its new code, and no area is in the panel twice."""
    from wijkinzicht.areas.services import crosswalk_import, kwb_import

    lines = (cbs_dir / "nl_kwb_housing_2013_2025.csv").read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [line for line in lines[1:]
                         if line.split(",")[1].startswith(("BU0363", "GM0363"))]
    subset = tmp_path / "amsterdam_housing.csv"
    subset.write_text("\n".join(keep) + "\n", encoding="utf-8")
    kwb_import(subset)
    evaluation = create(two_organisations, treated_codes=["BU03630000"], outcome_key="woz_mean",
                        placebos=False)
    before = run_now(evaluation, two_organisations["A"]["analyst"])
    assert before.status == RunStatus.DONE, before.error
    assert max(before.result["periods"]) == 2022
    crosswalk_import(cbs_dir / "amsterdam_buurt_crosswalk_2015_2022.csv",
                     from_column="BUURTCODE_CBS_2015", to_column="BUURTCODE_CBS_2022", year=2023)
    after = run_now(evaluation, two_organisations["A"]["analyst"])
    assert after.status == RunStatus.DONE, after.error
    assert after.result["periods"] == list(range(min(before.result["periods"]), 2026))
    units = after.specification["panel"]["units"]
    notes = {n["code"]: n for n in after.result["notes"]}
    assert "BU0363AE01" in notes["same_area_left_out"]["areas"]  # the treated buurt's new code
    assert not set(notes["same_area_left_out"]["areas"]) & set(units)
