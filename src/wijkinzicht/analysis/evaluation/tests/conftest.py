import csv
from pathlib import Path

import pytest

from wijkinzicht.analysis.evaluation import Panel

EVALUATION_DATA = Path(__file__).resolve().parents[5] / "data" / "evaluation"

ADH_PREDICTORS = [
    "lnincome:1980-1988",
    "retprice:1980-1988",
    "age15to24:1980-1988",
    "beer:1984-1988",
    "cigsale:1975",
    "cigsale:1980",
    "cigsale:1988",
]


@pytest.fixture(scope="session")
def adh_panel() -> Panel:
    with open(EVALUATION_DATA / "prop99_adh2010_smoking.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return Panel.from_records(
        rows,
        unit="state",
        time="year",
        outcome="cigsale",
        covariates=["lnincome", "beer", "age15to24", "retprice"],
    )


@pytest.fixture(scope="session")
def synthdid_panel() -> Panel:
    with open(EVALUATION_DATA / "prop99_synthdid_california.csv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    return Panel.from_records(rows, unit="State", time="Year", outcome="PacksPerCapita")


@pytest.fixture(scope="session")
def adh_result(adh_panel):
    from wijkinzicht.analysis.evaluation import synthetic_control

    return synthetic_control(
        adh_panel, "California", 1989, predictors=ADH_PREDICTORS, fit_period=(1970, 1988), placebos=True
    )
