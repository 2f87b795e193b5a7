"""Person-level analyses by hand-worked cases, and the errors bad input gets."""

import math

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation import (
    EvaluationError,
    Panel,
    Predictor,
    composition,
    difference_in_differences,
    paired_change,
    synthdid,
    synthetic_control,
)


def test_paired_change_by_hand():
    # changes 1, 2, 3, 2: mean 2, sd sqrt(2/3)
    result = paired_change([10, 12, 11, 13], [11, 14, 14, 15], higher_is_better=True, reliability=0.8)
    assert result.n == 4
    assert result.mean_change == pytest.approx(2.0)
    assert result.sd_change == pytest.approx(math.sqrt(2 / 3))
    assert result.effect_size == pytest.approx(2.0 / math.sqrt(2 / 3))
    half = 3.182446305284263 * math.sqrt(2 / 3) / 2  # t(0.975, 3) * sd / sqrt(n)
    assert result.ci == pytest.approx((2 - half, 2 + half))
    # SEM = sd(before) * sqrt(0.2) = 1.2910 * 0.4472 = 0.5774;
    # a change is reliable above 1.96 * sqrt(2) * SEM = 1.60
    assert result.improved == pytest.approx(0.75)
    assert result.worsened == 0
    assert result.unchanged == pytest.approx(0.25)


def test_paired_change_direction_and_missing():
    # loneliness: lower is better; the person with a missing score is left out
    result = paired_change([8, 9, 7, None], [4, 9, 11, 3], higher_is_better=False, reliability=0.8)
    assert result.n == 3
    assert result.improved == pytest.approx(1 / 3)
    assert result.worsened == pytest.approx(1 / 3)
    with pytest.raises(EvaluationError, match="at least 2 people"):
        paired_change([1], [2], higher_is_better=True)
    with pytest.raises(EvaluationError, match="reliability"):
        paired_change([1, 2], [2, 3], higher_is_better=True, reliability=1.2)


def test_composition_adds_up_exactly():
    before = {"a": 10, "b": 20, "c": 30, "d": 40}  # d leaves
    after = {"a": 12, "b": 22, "c": 32, "e": 0, "f": 2}  # e, f arrive
    result = composition(before, after)
    assert (result.stayers, result.entrants, result.leavers) == (3, 2, 1)
    assert result.stayers_change == pytest.approx(2.0)
    # entrants: 2/5 * (1 - 22) = -8.4; leavers: -1/4 * (40 - 20) = -5
    assert result.entrants_effect == pytest.approx(-8.4)
    assert result.leavers_effect == pytest.approx(-5.0)
    assert result.stayers_change + result.entrants_effect + result.leavers_effect == pytest.approx(
        result.change
    )
    with pytest.raises(EvaluationError, match="stayers"):
        composition({"a": 1}, {"b": 2})


def small_panel(missing: bool = False) -> Panel:
    rng = np.random.default_rng(1)
    y = rng.normal(10, 1, (6, 8))
    if missing:
        y[3, 2] = np.nan
    return Panel.from_arrays(["A", "B", "C", "D", "E", "F"], range(2000, 2008), y)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: synthetic_control(p, "Z", 2004), "treated unit 'Z' is not in the panel"),
        (
            lambda p: synthetic_control(p, "A", 2004, donors="A,B,C"),
            "treated unit 'A' is also listed as a donor",
        ),
        (lambda p: synthetic_control(p, "A", 2001), "too few pre-treatment periods: 1"),
        (lambda p: synthetic_control(p, "A", 2010), "no periods at or after"),
        (lambda p: synthetic_control(p, "A", 2004, donors="B"), "too few donors: 1"),
        (lambda p: synthetic_control(p, "A", 2004, exclude="Q"), "excluded unit 'Q'"),
        (lambda p: synthetic_control(p, "A", 2004, predictors=["income"]), "variable 'income'"),
        (
            lambda p: synthetic_control(p, "A", 2004, predictors=["outcome:2005"]),
            "from the treatment time on",
        ),
        (lambda p: synthetic_control(p, "A", 2004, predictors=["outcome:1990"]), "1990 not in the panel"),
        (lambda p: synthetic_control(p, "A", 2004, fit_period=(2001, 2006)), "reaches into the treatment"),
        (lambda p: synthdid(p, "A", 2004, donors="A"), "also listed as a donor"),
        (lambda p: difference_in_differences(p, "A", 1990), "needs periods before"),
        (lambda p: difference_in_differences(p, ["A", "B"], [2003, 2004, 2005]), "3 treatment times for 2"),
    ],
)
def test_bad_requests_get_clear_errors(call, message):
    with pytest.raises(EvaluationError, match=message):
        call(small_panel())


def test_missing_outcome_is_named():
    with pytest.raises(EvaluationError, match="missing value of outcome for D in 2002"):
        synthetic_control(small_panel(missing=True), "A", 2004)
    with pytest.raises(EvaluationError, match="missing value of outcome for D in 2002"):
        synthdid(small_panel(missing=True), "A", 2004)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("x:", "expected COLUMN"),
        ("x:1980-1970", "ends before"),
        ("x:abc", "not a number"),
        ("x:19.5", "whole"),
    ],
)
def test_bad_predictor_specs(spec, message):
    with pytest.raises(EvaluationError, match=message):
        Predictor.parse(spec)


def test_predictor_specs_parse():
    assert Predictor.parse("beer:1984-1988").span == (1984, 1988)
    assert Predictor.parse("cigsale:1975,1980").periods == (1975, 1980)
    assert Predictor.parse("cigsale:1988.0").periods == (1988,)
    assert Predictor.parse("lnincome").periods is None


def test_panel_reading_errors_name_the_row():
    rows = [{"u": "A", "t": "2000", "y": "1"}, {"u": "A", "t": "2000.0", "y": "2"}]
    with pytest.raises(EvaluationError, match="row 3: unit 'A' has a second row for period 2000"):
        Panel.from_records(rows, unit="u", time="t", outcome="y")
    with pytest.raises(EvaluationError, match="row 2, column y: value 'abc' is not a number"):
        Panel.from_records([{"u": "A", "t": "2000", "y": "abc"}], unit="u", time="t", outcome="y")
    with pytest.raises(EvaluationError, match="row 2, column t: period '20x0' is not a year, decimal"):
        Panel.from_records([{"u": "A", "t": "20x0", "y": "1"}], unit="u", time="t", outcome="y")
    with pytest.raises(EvaluationError, match="column\\(s\\) y not in the panel"):
        Panel.from_records([{"u": "A", "t": "2000"}], unit="u", time="t", outcome="y")
    with pytest.raises(EvaluationError, match="no rows"):
        Panel.from_records([], unit="u", time="t", outcome="y")
