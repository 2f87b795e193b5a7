"""Issue 17, item 4: unusual rises -- the improved Farrington method and EARS on simulated series with
and without injected rises and with rising signalling effort; the minimum count guard; missing
history; and the quasi-Poisson fit against a direct maximum-likelihood fit."""

import numpy as np
import pytest
from scipy import optimize

from wijkinzicht.analysis import surveillance as sv


def test_false_alarms_stay_near_alpha_and_rises_are_found():
    quiet = sv.simulate(series=150, rise=0, seed=11)
    assert quiet["false_alarm_rate"] < 0.025  # alpha is 1 %; the minimum count guard lowers it further
    found = sv.simulate(series=150, rise=4, seed=12)
    assert found["detection_rate"] > 0.75
    assert found["false_alarm_rate"] < 0.025


def test_rising_effort_is_not_a_rise_in_problems():
    adjusted = sv.simulate(series=150, rise=0, rising_effort=True, adjust=True, seed=13)
    naive = sv.simulate(series=150, rise=0, rising_effort=True, adjust=False, seed=13)
    assert adjusted["false_alarm_rate"] < 0.025
    assert naive["false_alarm_rate"] > 2 * adjusted["false_alarm_rate"]


def test_minimum_count_guard():
    counts = np.zeros((1, 200))
    counts[0, -1] = 4  # from nothing to four: far above the limit, but fewer than five
    assert not sv.assess(counts).alarm[0]
    counts[0, -1] = 5
    assert sv.assess(counts).alarm[0]


def test_history_decides_the_method_and_missing_history_is_not_zero():
    rng = np.random.default_rng(3)
    counts = rng.poisson(6, (3, 200)).astype(float)
    start = np.array([0, 190, 196])  # long, short (10 periods), too short (4)
    result = sv.assess(counts, start=start)
    assert list(result.method) == ["farrington", "ears-c2", ""]
    assert np.isnan(result.upper[2]) and not result.alarm[2]
    # read as zeros, the periods before the first signal make a steep trend and a wide limit, and
    # a clear rise goes unseen; read as missing, it is found
    counts = np.zeros((1, 200))
    counts[0, 100:] = rng.poisson(8, 100)
    counts[0, -1] = 20
    as_zeros, as_missing = sv.assess(counts), sv.assess(counts, start=[100])
    assert not as_zeros.alarm[0] and as_zeros.trend[0] > 2
    assert as_missing.alarm[0] and as_missing.trend[0] == 1.0


def test_monthly_settings_and_range():
    rng = np.random.default_rng(5)
    counts = rng.poisson(20, (2, 60)).astype(float)
    results = sv.assess_range(counts, last=6, settings=sv.Settings.monthly())
    assert len(results) == 6 and all(r.method[0] == "farrington" for r in results)
    assert sv.Settings.monthly().min_history == 12 + 6 + 1


def test_poisson_fit_matches_direct_maximum_likelihood():
    rng = np.random.default_rng(7)
    n = 120
    x = np.column_stack([np.ones(n), np.arange(n) / 52, (np.arange(n) % 52 < 10).astype(float)])
    offset = np.log(rng.uniform(5, 15, n))
    y = rng.poisson(np.exp(x @ [0.2, 0.1, 0.5] + offset)).astype(float)
    beta, mu, _ = sv._irls(x, y[None, :], offset[None, :], np.ones((1, n)))

    def nll(b):
        eta = x @ b + offset
        return np.sum(np.exp(eta) - y * eta)

    direct = optimize.minimize(nll, np.zeros(3), method="BFGS", options={"gtol": 1e-10}).x
    assert beta[0] == pytest.approx(direct, abs=1e-5)


def test_a_seasonal_series_does_not_alarm_at_its_yearly_peak():
    t = np.arange(6 * 52)
    mean = 8 * np.exp(0.6 * np.cos(2 * np.pi * t / 52))  # a winter peak every year
    rng = np.random.default_rng(9)
    counts = rng.poisson(np.tile(mean, (200, 1))).astype(float)
    peak = 5 * 52  # a peak week in the sixth year
    assert sv.assess(counts, t0=peak).alarm.mean() < 0.03


def test_no_trend_from_one_year_of_history():
    """One year of reference data: a trend cannot be told from the season and used to run off to a
    prediction of almost nothing (a limit of 0 in the demo); with fewer than three years it is left out."""
    counts = np.array(
        [[0, 0, 3, 7, 5, 4, 8, 2, 3, 1, 3, 4, 3, 1, 6, 7, 1, 4, 2, 2, 6, 2, 2, 8, 11]], dtype=float
    )
    effort = np.array([[1, 1, 7] + [8] * 17 + [11] * 5], dtype=float)
    result = sv.assess(counts, effort, t0=24, settings=sv.Settings.monthly(), start=[2])
    # with the trend this gave an expectation of 0.003 and a limit of 0, so 11 signals were an alarm
    assert result.method[0] == "farrington" and result.trend[0] == 1.0
    assert 2 < result.expected[0] < 8 and result.upper[0] >= 8  # 11 against a real limit (10), not 0
