"""Inference with one to four treated areas (issue 15, item 2; decision 0019): on panels where
parallel trends hold by construction, the clustered Wald pre-trend test rejected at nominal 5 %
in nearly every run with one treated unit; randomization inference keeps its size, and a missing
cell no longer switches the standard error."""

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation import difference_in_differences
from wijkinzicht.analysis.evaluation.simulate import placebo_panel


def rejection_rates(n_treated, runs, seed=0):
    rng = np.random.default_rng(seed)
    ri = wald = effect = 0
    for run in range(runs):
        panel = placebo_panel(rng)
        treated = [f"u{i}" for i in rng.choice(40, size=n_treated, replace=False)]
        result = difference_in_differences(panel, treated, 2016, seed=run)
        test = result.details["pretrend_test"]
        ri += test["p_value"] < 0.05
        wald += test["p_value_wald"] < 0.05
        effect += result.placebo["p_value"] < 0.05
    return ri / runs, wald / runs, effect / runs


@pytest.mark.parametrize("n_treated", [1, 2])
def test_the_pre_trend_test_keeps_its_size_with_few_treated_units(n_treated):
    ri, wald, effect = rejection_rates(n_treated, runs=60)
    assert ri <= 0.12 and effect <= 0.12  # nominal 5 %: 3 of 60 expected, 7 the binomial 95 % bound
    assert wald >= 0.3  # the clustered Wald test it replaces is far too liberal here


def test_a_missing_cell_does_not_switch_the_standard_error():
    """Issue 15: on Proposition 99 one missing control cell turned the placebo se (18.40) into the
    clustered one (2.81) and a null result into a 'significant' one."""
    rng = np.random.default_rng(7)
    panel = placebo_panel(rng)
    full = difference_in_differences(panel, "u3", 2016)
    panel.outcome[10, 2] = np.nan
    holed = difference_in_differences(panel, "u3", 2016)
    assert full.placebo["kind"] == holed.placebo["kind"] == "randomization inference"
    assert holed.se == pytest.approx(full.se, rel=0.05)  # 1.483 and 1.484 here
    assert holed.details["se_cluster"] < holed.se / 5  # the clustered one (0.24) it no longer falls back to


def test_staggered_starts_with_few_treated_units_use_randomization_inference_too():
    """Callaway-Sant'Anna's influence-function errors rest on many treated units: with two treated
    units starting in different periods the Wald pre-trend test rejected in nearly every placebo
    panel. Comparison units given the treated units' start periods keep the size."""
    rng = np.random.default_rng(102)
    runs, ri, wald, effect = 25, 0, 0, 0
    for run in range(runs):
        panel = placebo_panel(rng)
        chosen = rng.choice(40, size=2, replace=False)
        result = difference_in_differences(panel, {f"u{chosen[0]}": 2015, f"u{chosen[1]}": 2016}, seed=run)
        assert result.details["estimator"] == "callaway-santanna"
        assert result.placebo["kind"] == "randomization inference"
        test = result.details["pretrend_test"]
        ri += test["p_value"] < 0.05
        wald += test["p_value_wald"] < 0.05
        effect += result.placebo["p_value"] < 0.05
    assert ri <= 4 and effect <= 4  # nominal 5 %: 1.25 of 25 expected
    assert wald >= 15
    assert "few_treated" in result.warning_codes
