"""`wijkinzicht evaluate` through the interface researchers use: the command line."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

DATA = Path(__file__).resolve().parents[4] / "data" / "evaluation"
ADH = str(DATA / "prop99_adh2010_smoking.csv")
SYNTHDID = str(DATA / "prop99_synthdid_california.csv")
ADH_ARGS = [
    "--panel",
    ADH,
    "--unit",
    "state",
    "--time",
    "year",
    "--outcome",
    "cigsale",
    "--treated",
    "California",
    "--treatment-time",
    "1989",
]
SDID_ARGS = [
    "--panel",
    SYNTHDID,
    "--unit",
    "State",
    "--time",
    "Year",
    "--outcome",
    "PacksPerCapita",
    "--treated",
    "California",
    "--treatment-time",
    "1989.0",
]
PREDICTORS = [
    "--predictor",
    "lnincome:1980-1988",
    "--predictor",
    "retprice:1980-1988",
    "--predictor",
    "age15to24:1980-1988",
    "--predictor",
    "beer:1984-1988",
    "--predictor",
    "cigsale:1975",
    "--predictor",
    "cigsale:1980",
    "--predictor",
    "cigsale:1988",
    "--fit-period",
    "1970-1988",
]


def run_json(*args) -> dict:
    from io import StringIO

    out = StringIO()
    call_command("evaluate", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_synth_json_reproduces_adh():
    data = run_json("synth", *ADH_ARGS, *PREDICTORS)
    assert data["method"] == "synth"
    assert data["weights"]["Utah"] == pytest.approx(0.334, abs=0.006)
    assert data["weights"]["Nevada"] == pytest.approx(0.234, abs=0.006)
    assert data["pre_rmspe"] < 1.8
    assert set(data["effects"]) == {str(y) for y in range(1989, 2001)}
    assert data["estimate"] == pytest.approx(sum(data["effects"].values()) / 12)
    assert isinstance(data["warnings"], list)
    assert "placebo" not in data


def test_sdid_and_did_json():
    sdid = run_json("sdid", *SDID_ARGS, "--replications", "50")
    assert sdid["estimate"] == pytest.approx(-15.60, abs=0.005)
    assert sdid["se"] > 0 and sdid["ci"][0] < sdid["estimate"] < sdid["ci"][1]
    assert sum(sdid["weights"].values()) == pytest.approx(1.0)
    did = run_json("did", *SDID_ARGS)
    assert did["estimate"] == pytest.approx(-27.35, abs=0.005)
    # one treated state: randomization inference over the 38 others (issue 15, decision 0019)
    assert {"few_treated", "pretrend_weak"} <= {w["code"] for w in did["warnings"]}
    assert did["details"]["pretrend_test"]["method"] == "randomization inference"


def test_synth_placebos_in_json():
    placebo_args = [
        "synth",
        *ADH_ARGS,
        "--predictor",
        "cigsale:1975",
        "--predictor",
        "cigsale:1988",
        "--donors",
        "Utah,Nevada,Montana,Colorado,Connecticut,Idaho,Kansas",
        "--placebos",
    ]
    data = run_json(*placebo_args)
    assert data["placebo"]["units"] == 7
    assert 1 / 8 <= data["placebo"]["p_value"] <= 1
    assert "few_donors" in {w["code"] for w in data["warnings"]}
    # the same placebos computed in two worker processes give the same answer
    parallel = run_json(*placebo_args, "--workers", "2")
    assert parallel["placebo"] == data["placebo"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["synth", *ADH_ARGS[:-4], "--treated", "Atlantis", "--treatment-time", "1989"],
            "'Atlantis' is not in",
        ),
        (["synth", *ADH_ARGS, "--donors", "California,Utah"], "also listed as a donor"),
        (["synth", *ADH_ARGS[:-2], "--treatment-time", "1971"], "too few pre-treatment periods"),
        (["synth", *ADH_ARGS[:-2], "--treatment-time", "19x9"], "--treatment-time: period '19x9'"),
        (["synth", *ADH_ARGS, "--predictor", "income"], "column\\(s\\) income not found"),
        (["synth", *ADH_ARGS, "--predictor", "beer:1970-1983"], "beer:1970-1983 has no value for"),
        (["synth", *ADH_ARGS, "--fit-period", "1970"], "expected FROM-TO"),
        (
            ["sdid", *ADH_ARGS[:-4], "--treated", "California,Utah", "--treatment-time", "1989,1990"],
            "one treatment time",
        ),
        (["did", *SDID_ARGS[:1], "missing.csv", *SDID_ARGS[2:]], "no such file"),
    ],
)
def test_bad_input_is_a_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("evaluate", *args)


def test_missing_values_are_named(tmp_path):
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "unit;year;y\nA;2000;1\nA;2001;2\nA;2002;3\nB;2000;1\nB;2001;\nB;2002;2\nC;2000;1\n"
        "C;2001;2\nC;2002;2\n"
    )
    with pytest.raises(CommandError, match="missing value of y for B in 2001"):
        call_command(
            "evaluate",
            "synth",
            "--panel",
            str(panel),
            "--unit",
            "unit",
            "--time",
            "year",
            "--outcome",
            "y",
            "--treated",
            "A",
            "--treatment-time",
            "2002",
        )


def test_exit_code_and_no_traceback_from_the_real_command():
    command = [
        sys.executable,
        "-m",
        "wijkinzicht.cli",
        "evaluate",
        "synth",
        *ADH_ARGS[:-4],
        "--treated",
        "Atlantis",
        "--treatment-time",
        "1989",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "Atlantis" in done.stderr
    assert "Traceback" not in done.stderr


MPDTA = Path(__file__).resolve().parents[4] / "data" / "reference" / "mpdta.csv"


def test_did_reads_cohorts_from_a_column_and_takes_the_control_group_and_base_period():
    """Issue 15: R's first.treat convention (0 = never treated), --control-group and --base-period;
    the minimum-wage example gives R did's simple ATT and its analytic standard error."""
    base = ["did", "--panel", str(MPDTA), "--unit", "countyreal", "--time", "year", "--outcome", "lemp",
            "--cohort", "first.treat"]
    out = io.StringIO()
    call_command("evaluate", *base, "--json", stdout=out)
    never = json.loads(out.getvalue())
    assert never["estimate"] == pytest.approx(-0.03995127515517631, abs=1e-12)
    assert never["se"] == pytest.approx(0.01203401277018542, abs=1e-12)
    assert never["details"]["control_group"] == "never" and never["details"]["base_period"] == "varying"
    out = io.StringIO()
    call_command("evaluate", *base, "--control-group", "notyet", "--base-period", "universal", "--json",
                 stdout=out)
    notyet = json.loads(out.getvalue())
    assert notyet["estimate"] == pytest.approx(-0.03976362562304366, abs=1e-12)
    assert notyet["details"]["base_period"] == "universal"
    with pytest.raises(CommandError, match="not both"):
        call_command("evaluate", *base, "--treated", "8001", "--treatment-time", "2007")
    with pytest.raises(CommandError, match="--treated"):
        call_command("evaluate", *base[:-2])


def test_the_command_writes_nothing_where_it_runs_and_names_the_twfe_estimate(tmp_path):
    """Issue 15: `wijkinzicht evaluate` wrote var/secret_key and var/static/ into whatever directory
    it was run from, and called the TWFE coefficient (the post-minus-pre difference, -27.35 on
    Proposition 99) the 'mean effect after the start', which is -17.98."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("WIJKINZICHT_VAR_DIR", "WIJKINZICHT_SECRET_KEY")}
    done = subprocess.run([sys.executable, "-m", "wijkinzicht.cli", "evaluate", "did", *SDID_ARGS],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
    assert "two-way fixed effects: after minus before the start" in done.stdout
    assert "-27.35" in done.stdout and "mean of the effects after the start: -17.98" in done.stdout


def test_dutch_panels_and_a_treated_file(tmp_path):
    """Issue 15: semicolon panels with decimal commas (Dutch exports) were refused, and a unit whose
    name holds a comma could not be passed."""
    import csv as _csv

    with open(SYNTHDID, encoding="utf-8") as f:
        rows = list(_csv.DictReader(f, delimiter=";"))
    dutch = tmp_path / "prop99-nl.csv"
    with open(dutch, "w", encoding="utf-8", newline="") as f:
        writer = _csv.writer(f, delimiter=";")
        writer.writerow(["State", "Year", "PacksPerCapita"])
        for r in rows:
            name = "California, USA" if r["State"] == "California" else r["State"]
            writer.writerow([name, r["Year"], f"{float(r['PacksPerCapita']):.6f}".replace(".", ",")])
    treated = tmp_path / "treated.txt"
    treated.write_text("# the treated state\nCalifornia, USA\n", encoding="utf-8")
    out = io.StringIO()
    call_command("evaluate", "did", "--panel", str(dutch), "--unit", "State", "--time", "Year",
                 "--outcome", "PacksPerCapita", "--treated-file", str(treated), "--treatment-time", "1989",
                 "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["treated"] == ["California, USA"]
    assert result["estimate"] == pytest.approx(-27.35, abs=0.005)
    with pytest.raises(CommandError, match="not both"):
        call_command("evaluate", "did", "--panel", str(dutch), "--unit", "State", "--time", "Year",
                     "--outcome", "PacksPerCapita", "--treated-file", str(treated), "--treated", "Utah",
                     "--treatment-time", "1989")


def test_help_needs_neither_django_nor_numpy_and_the_console_reads_quarters(tmp_path):
    """Issue 15, item 6: `wijkinzicht evaluate --help` took 1.3-1.9 s (Django set-up, settings,
    numpy and scipy imported first); the console script now parses its arguments before importing
    anything heavy (measured: 0.03 s). Item 4: a cohort column in quarters, keyed as written."""
    probe = ("import sys\nfrom wijkinzicht.evaluation.command import main\n"
             "try:\n    main(['did', '--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('django', 'numpy', 'scipy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--control-group" in done.stdout and "2011Q3" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"

    with open(MPDTA, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    quarters = tmp_path / "mpdta-quarters.csv"

    def quarter(year: int) -> str:
        return f"{2000 + (year - 2003) // 4}Q{(year - 2003) % 4 + 1}"

    with open(quarters, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["county", "quarter", "lemp", "first"])
        for r in rows:
            first = int(r["first.treat"])
            writer.writerow([r["countyreal"], quarter(int(r["year"])), r["lemp"],
                             quarter(first) if first else ""])
    command = [sys.executable, "-m", "wijkinzicht.cli", "evaluate", "did", "--panel", str(quarters),
               "--unit", "county", "--time", "quarter", "--outcome", "lemp"]
    done = subprocess.run([*command, "--cohort", "first", "--json"], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["estimate"] == pytest.approx(-0.03995127515517631, abs=1e-12)
    assert result["treatment_time"]["12007"] == "2000Q4"
    assert result["att_gt"][0]["period"] == "2000Q2"
    done = subprocess.run([*command, "--treated", "12007", "--treatment-time", "2004"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == ("error: --treatment-time: period '2004' is written as years, the panel's periods "
                           "are quarters\n")


def test_covariates_weights_and_the_top_level_json_keys():
    """Issue 15, item 1 and 4 on the command line: --covariate (repeatable), --weights, --missing;
    the JSON keeps its keys and adds att_gt and event (with the uniform band's critical value)."""
    panel = str(MPDTA.parent / "staggered_covariates.csv")
    out = io.StringIO()
    call_command("evaluate", "did", "--panel", panel, "--unit", "unit", "--time", "year", "--outcome", "y",
                 "--cohort", "first_treat", "--covariate", "x1", "--covariate", "x2", "--weights", "w",
                 "--control-group", "never", "--json", stdout=out)
    result = json.loads(out.getvalue())
    reference = json.loads((MPDTA.parent / "csdid_0.4.3_staggered_covariates.json").read_text())
    simple = reference["configs"]["nevertreated|varying|y~x1+x2|w"]["agg"]["simple"]["overall"]
    assert (result["estimate"], result["se"]) == pytest.approx(tuple(simple), abs=1e-9)
    for key in ("estimate", "effects", "se", "ci", "weights", "warnings", "att_gt", "event"):
        assert key in result
    assert result["event"]["critical_value"] > 1.96
    assert all("band" in row for row in result["event"]["effects"] if not row.get("reference"))
    assert "event_study" not in result["details"]
    assert result["details"]["covariates"] == ["x1", "x2"] and result["details"]["weights"] == "w"
    columns = ["--panel", panel, "--unit", "unit", "--time", "year", "--outcome", "y"]
    with pytest.raises(CommandError, match="the outcome cannot be a covariate"):
        call_command("evaluate", "did", *columns, "--cohort", "first_treat", "--covariate", "y")
    with pytest.raises(CommandError, match="unrecognized arguments: --covariate"):
        call_command("evaluate", "sdid", *columns, "--treated", "u000", "--treatment-time", "2003",
                     "--covariate", "x1")
