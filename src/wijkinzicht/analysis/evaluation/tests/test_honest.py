"""Issue 15, item 3: Rambachan & Roth's honest DiD bounds, checked against the values HonestDiD's
README publishes for its Medicaid example (TWFE event study of insurance coverage, 2014 expansion
states against never-expanding states, 2008-2015, reference year 2013, effect in 2014)."""

import csv
from pathlib import Path

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation import Panel, difference_in_differences, honest
from wijkinzicht.analysis.evaluation.did import _twfe

DATA = Path(__file__).resolve().parents[5] / "data" / "reference" / "ehec_data.csv"

# HonestDiD README, createSensitivityResults (Delta^SD, FLCI) and
# createSensitivityResults_relativeMagnitudes (Delta^RM, C-LF), as printed (3 significant digits)
README_SD = {0.0: ("0.0259", "0.0607"), 0.01: ("0.0132", "0.0787"), 0.02: ("0.00286", "0.0907"),
             0.03: ("-0.00714", "0.101"), 0.04: ("-0.0171", "0.111"), 0.05: ("-0.0271", "0.121")}
README_RM = {0.5: ("0.0241", "0.0673"), 1.0: ("0.0171", "0.0720"), 1.5: ("0.00859", "0.0796"),
             2.0: ("-0.00107", "0.0883")}


def printed(text: str) -> tuple[float, float]:
    """A printed value and half a unit of its last digit."""
    return float(text), 0.5 * 10.0 ** -len(text.split(".")[1])


@pytest.fixture(scope="module")
def medicaid():
    with open(DATA, newline="") as f:
        rows = [r for r in csv.DictReader(f) if int(r["year"]) < 2016 and r["yexp2"] != "2015"]
    panel = Panel.from_records(rows, unit="stfips", time="year", outcome="dins")
    treated = sorted({r["stfips"] for r in rows if r["yexp2"] == "2014"})
    order = [panel.units.index(u) for u in treated]
    order += [i for i, u in enumerate(panel.units) if u not in treated]
    fit = _twfe(panel.outcome[order], len(treated), panel.periods, 2014)
    assert fit["event_times"] == [-6, -5, -4, -3, -2, 0, 1]
    return panel, treated, fit["eb"], fit["evcov"]


def test_smoothness_bounds_match_the_published_flci(medicaid):
    _, _, beta, sigma = medicaid
    for m, bounds in README_SD.items():
        result = honest.flci(beta, sigma, 5, np.array([1.0, 0.0]), m)
        # within the README's rounding (3 digits) plus 5e-5: it simulates its folded-normal
        # quantile, and fixest's small-sample factor differs from ours by 0.3 % in the variance
        for ours, text in zip((result["lb"], result["ub"]), bounds, strict=True):
            value, rounding = printed(text)
            assert abs(ours - value) <= rounding + 5e-5, (m, ours, text)


def test_relative_magnitude_bounds_match_the_published_c_lf_intervals(medicaid):
    _, _, beta, sigma = medicaid
    step = 40 * np.sqrt(sigma[5, 5]) / (honest.GRID_POINTS - 1)  # HonestDiD's grid: +-20 se, 1,000 points
    for mbar, (lb, ub) in README_RM.items():
        lb, ub = float(lb), float(ub)
        result = honest.relative_magnitudes(beta, sigma, 5, np.array([1.0, 0.0]), mbar)
        # within 1.5 grid steps: the README's endpoints are grid points, and its least-favourable
        # critical value comes from 1,000 draws (ours from 100,000)
        assert abs(result["lb"] - lb) <= 1.5 * step, (mbar, result["lb"], lb)
        assert abs(result["ub"] - ub) <= 1.5 * step, (mbar, result["ub"], ub)


def test_the_bounds_widen_with_the_restriction_and_the_breakdown_values_are_reported(medicaid):
    _, _, beta, sigma = medicaid
    out = honest.sensitivity(beta, sigma, 5, m_values=list(README_SD), mbar_values=list(README_RM))
    widths = [r["ub"] - r["lb"] for r in out["smoothness"]]
    assert widths == sorted(widths)
    # the README: M = 0.03 and Mbar = 2 are where the intervals first include zero
    assert out["breakdown"]["m"] == 0.02
    assert out["breakdown"]["mbar"] == 1.5
    assert out["original"]["lb"] > 0


def test_the_did_result_carries_the_bounds_and_the_command_line_prints_them(medicaid):
    panel, treated, _, _ = medicaid
    result = difference_in_differences(panel, treated, 2014, honest=True)
    bounds = result.details["honest"]
    assert bounds["original"]["estimate"] == pytest.approx(result.effects[2014], abs=1e-12)
    assert [r["mbar"] for r in bounds["relative_magnitudes"]] == [0.0, 0.5, 1.0, 1.5, 2.0]
    first = bounds["relative_magnitudes"][1]
    assert first["lb"] == pytest.approx(float(README_RM[0.5][0]), abs=0.001)
    assert len(bounds["smoothness"]) >= 2 and bounds["smoothness"][0]["m"] == 0.0
