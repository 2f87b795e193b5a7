"""Properties of the engine on simulated panels: weights on the simplex, no effect found where
there is none, a known effect recovered through noise."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from wijkinzicht.analysis.evaluation import (
    Panel,
    difference_in_differences,
    synthdid,
    synthetic_control,
)
from wijkinzicht.analysis.evaluation.simplex import simplex_least_squares

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)


@st.composite
def simplex_problems(draw):
    k, n = draw(st.integers(1, 8)), draw(st.integers(1, 40))
    return draw(arrays(float, (k, n), elements=finite)), draw(arrays(float, (k,), elements=finite))


@settings(max_examples=150, deadline=None)
@given(simplex_problems())
def test_simplex_weights_are_on_the_simplex_and_optimal(problem):
    a, b = problem
    w = simplex_least_squares(a, b)
    assert np.all(w >= 0)
    assert w.sum() == pytest.approx(1.0, abs=1e-9)
    # no vertex (a single donor) and no uniform mix beats the solution
    best = float(np.sum((a @ w - b) ** 2))
    vertex = float(np.min(np.sum((a - b[:, None]) ** 2, axis=0)))
    uniform = float(np.sum((a.mean(axis=1) - b) ** 2))
    tolerance = 1e-7 * max(1.0, vertex)
    assert best <= vertex + tolerance
    assert best <= uniform + tolerance


LAGS = ["x", "outcome:2000-2006", "outcome:2007-2013", "outcome:2014-2021", "outcome:2021"]
NOISE = 0.2


def factor_panel(seed: int, units: int = 30, periods: int = 30, effect: float = 0.0):
    """Outcomes from a trend and a random-walk factor with unit loadings, plus noise; unit 0 is a
    mix of units 1-3 (so a synthetic control exists) and is treated from period 22 with ``effect``."""
    rng = np.random.default_rng(seed)
    loadings = rng.uniform(0.5, 1.5, size=(units, 2))
    factors = np.column_stack([np.linspace(0, 3, periods), np.cumsum(rng.normal(0, 0.3, periods))])
    level = rng.uniform(5, 10, size=(units, 1))
    y = level + loadings @ factors.T + rng.normal(0, NOISE, size=(units, periods))
    y[0] = 0.5 * y[1] + 0.3 * y[2] + 0.2 * y[3] + rng.normal(0, NOISE, size=periods)
    start = 22
    y[0, start:] += effect
    names = [f"u{i:02d}" for i in range(units)]
    covariates = {"x": y + rng.normal(0, 0.1, size=y.shape)}
    return Panel.from_arrays(names, range(2000, 2000 + periods), y, covariates), 2000 + start


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000))
def test_synthetic_control_weights_on_simplex_and_no_effect_on_placebo_data(seed):
    panel, start = factor_panel(seed, effect=0.0)
    result = synthetic_control(panel, "u00", start, predictors=LAGS, robustness=False)
    weights = np.array(list(result.weights.values()))
    assert np.all(weights >= 0) and weights.sum() == pytest.approx(1.0)
    assert sum(result.details["v"].values()) == pytest.approx(1.0)
    # the estimate's spread over simulated panels is about NOISE (measured: sd 0.20 over 40 seeds)
    assert abs(result.estimate) < 5 * NOISE


def test_no_effect_on_average_over_placebo_panels():
    estimates = []
    for seed in range(10):
        panel, start = factor_panel(seed)
        estimates.append(synthetic_control(panel, "u00", start, predictors=LAGS, robustness=False).estimate)
    assert abs(np.mean(estimates)) < 0.2  # 10 draws of sd 0.2: the mean has sd 0.06


@pytest.mark.parametrize("effect", [-3.0, 2.0])
def test_known_effect_is_recovered_by_every_method(effect):
    panel, start = factor_panel(7, units=40, effect=effect)
    sc = synthetic_control(panel, "u00", start, predictors=LAGS, robustness=False)
    assert sc.estimate == pytest.approx(effect, abs=4 * NOISE)
    sd = synthdid(panel, "u00", start, placebos=False)
    assert sd.estimate == pytest.approx(effect, abs=4 * NOISE)


def test_did_recovers_effect_with_many_treated_units_and_clustered_se():
    rng = np.random.default_rng(3)
    units, periods = 200, 10
    y = rng.normal(0, 1, (units, 1)) + np.linspace(0, 1, periods) + rng.normal(0, 0.5, (units, periods))
    y[:50, 6:] += 1.5
    panel = Panel.from_arrays([f"b{i}" for i in range(units)], range(2010, 2020), y)
    result = difference_in_differences(panel, [f"b{i}" for i in range(50)], 2016)
    assert result.estimate == pytest.approx(1.5, abs=0.15)
    assert result.ci[0] < 1.5 < result.ci[1]
    assert "few_treated" not in result.warning_codes
    assert result.details["pretrend_test"]["p_value"] > 0.01
    pre = [e for e in result.details["event_study"] if e["event_time"] < -1]
    assert all(abs(e["estimate"]) < 0.3 for e in pre)


def test_did_handles_an_unbalanced_panel():
    rng = np.random.default_rng(4)
    y = rng.normal(0, 1, (60, 8)) + np.arange(8)
    y[:20, 4:] += 2.0
    y[30, 2] = np.nan
    y[5, 1] = np.nan
    panel = Panel.from_arrays([f"b{i}" for i in range(60)], range(2000, 2008), y)
    result = difference_in_differences(panel, [f"b{i}" for i in range(20)], 2004)
    assert result.details["observations"] == 60 * 8 - 2
    assert result.estimate == pytest.approx(2.0, abs=0.4)


def test_staggered_starts_use_callaway_santanna_and_recover_dynamic_effects():
    rng = np.random.default_rng(0)
    units, periods = 300, 12
    years = np.arange(2010, 2022)
    y = rng.normal(size=(units, 1)) * 3 + np.linspace(0, 2, periods) + rng.normal(size=(units, periods)) * 0.5
    starts = {}
    for i in range(100):
        g = [2014, 2016, 2018][i % 3]
        starts[f"u{i}"] = g
        after = years >= g
        y[i, after] += 2.0 + 0.5 * (years[after] - g)
    panel = Panel.from_arrays([f"u{i}" for i in range(units)], years, y)
    result = difference_in_differences(panel, starts)
    assert result.details["estimator"] == "callaway-santanna"
    for e in range(0, 4):
        assert result.effects[e] == pytest.approx(2.0 + 0.5 * e, abs=0.25)
    assert result.details["pretrend_test"]["p_value"] > 0.01
