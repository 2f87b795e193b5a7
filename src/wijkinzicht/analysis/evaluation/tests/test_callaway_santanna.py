"""Callaway & Sant'Anna against R's did, through csdid 0.4.3 (its Python port), on the package's
own minimum-wage example (mpdta: 500 US counties, 2003-2007, data/reference/mpdta.csv).

The reference values were computed with csdid 0.4.3 (`ATTgt(yname="lemp", gname="first.treat",
idname="countyreal", tname="year", control_group=..., base_period="varying").fit(est_method="reg",
bstrap=False)`, then `aggte(typec="simple")` and `aggte(typec="dynamic")`, analytic standard
errors). They agree with the point estimates printed in R did's README to the 4 decimals shown,
and the simple ATT's standard error (0.012034) is the value R reports with its `wif` term.
Issue 15: the engine took the cohort itself as a not-yet-treated control before its start, and
left the `wif` term out (0.011747 instead of 0.012034)."""

import csv
from pathlib import Path

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation.did import difference_in_differences
from wijkinzicht.analysis.evaluation.panel import EvaluationError, Panel

DATA = Path(__file__).resolve().parents[5] / "data" / "reference" / "mpdta.csv"

REFERENCE = {
    "never": {
        "cells": [
            (2004, 2004, -0.010503246220962423, 0.023251036368166333),
            (2004, 2005, -0.07042315810314674, 0.03098476675727665),
            (2004, 2006, -0.13725873888940318, 0.0364356642876865),
            (2004, 2007, -0.10081136308540414, 0.034359225834673233),
            (2006, 2004, 0.006520112424232977, 0.023326805141804702),
            (2006, 2005, -0.0027508187505188107, 0.019558561035881657),
            (2006, 2006, -0.004594606952863036, 0.017755196659276287),
            (2006, 2007, -0.04122447154621746, 0.020229180704106835),
            (2007, 2004, 0.03050665558329277, 0.01503356028013004),
            (2007, 2005, -0.002725892886116259, 0.01639583289553442),
            (2007, 2006, -0.031087119389688875, 0.017877511313343517),
            (2007, 2007, -0.02605441071919662, 0.016655435349252175),
        ],
        "simple": (-0.03995127515517631, 0.01203401277018542),
        "dynamic": {
            -3: (0.03050665558329277, 0.015033560280130042),
            -2: (-0.0005630846263854439, 0.013291644736549993),
            -1: (-0.024458744971169562, 0.01423640221051932),
            0: (-0.019931816789259302, 0.011826364058058179),
            1: (-0.050957367065193895, 0.016893476268677998),
            2: (-0.13725873888940318, 0.0364356642876865),
            3: (-0.10081136308540414, 0.034359225834673233),
        },
        "dynamic_overall": (-0.07723982145731513, 0.019964989061849386),
    },
    "notyet": {
        "cells": [
            (2004, 2004, -0.019372363675922114, 0.022310112883680573),
            (2004, 2005, -0.07831909906206067, 0.030390228543397232),
            (2004, 2006, -0.13627434632867794, 0.03540338496891006),
            (2004, 2007, -0.10081136308540414, 0.034359225834673233),
            (2006, 2004, -0.002562550942610972, 0.022530235145338813),
            (2006, 2005, -0.0019392460957887436, 0.019042158605818944),
            (2006, 2006, 0.0046608763199761545, 0.01633558424682359),
            (2006, 2007, -0.04122447154621746, 0.020229180704106835),
            (2007, 2004, 0.029759364761031158, 0.014533541638651452),
            (2007, 2005, -0.0024106128000969205, 0.016031296375517853),
            (2007, 2006, -0.031087119389688875, 0.017877511313343517),
            (2007, 2007, -0.02605441071919662, 0.016655435349252175),
        ],
        "simple": (-0.03976362562304366, 0.012052424787341894),
        "dynamic": {
            -3: (0.029759364761031158, 0.014533541638651453),
            -2: (-0.0024461538860651197, 0.013120350434270832),
            -1: (-0.024268903414507558, 0.014463681675801924),
            0: (-0.018922199083424886, 0.012044568689269066),
            1: (-0.05358934738483187, 0.01694638553912503),
            2: (-0.13627434632867794, 0.03540338496891006),
            3: (-0.10081136308540414, 0.034359225834673233),
        },
        "dynamic_overall": (-0.07739931397058471, 0.019560176946394357),
    },
}


@pytest.fixture(scope="module")
def mpdta():
    with open(DATA, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    panel = Panel.from_records(rows, unit="countyreal", time="year", outcome="lemp")
    starts = {r["countyreal"]: int(r["first.treat"]) for r in rows if r["first.treat"] != "0"}
    return panel, starts


@pytest.mark.parametrize("base_period", ["varying", "universal"])
@pytest.mark.parametrize("control_group", ["never", "notyet"])
def test_group_time_effects_and_aggregations_match_r_did(mpdta, control_group, base_period):
    """Both control groups and both base periods: every cell, the simple and the dynamic aggregation
    with their standard errors (a universal base period's reference cell is 0, with no se)."""
    panel, starts = mpdta
    result = difference_in_differences(panel, starts, control_group=control_group, base_period=base_period)
    ref = (REFERENCE if base_period == "varying" else UNIVERSAL)[control_group]
    cells = {(c["cohort"], c["period"]): c for c in result.details["att_gt"]}
    assert len(cells) == len(ref["cells"])
    for g, t, att, se in ref["cells"]:
        assert cells[(g, t)]["estimate"] == pytest.approx(att, abs=1e-10), (g, t)
        if se is None:
            assert cells[(g, t)]["reference"]
        else:
            assert cells[(g, t)]["se"] == pytest.approx(se, abs=1e-10), (g, t)
    assert (result.estimate, result.se) == pytest.approx(ref["simple"], abs=1e-10)
    events = {e["event_time"]: e for e in result.details["event_study"]}
    for e, (att, se) in ref["dynamic"].items():
        assert events[e]["estimate"] == pytest.approx(att, abs=1e-10), e
        if se is not None:
            assert events[e]["se"] == pytest.approx(se, abs=1e-10), e
    dynamic = result.details["dynamic"]
    assert (dynamic["estimate"], dynamic["se"]) == pytest.approx(ref["dynamic_overall"], abs=1e-10)
    assert result.details["control_group"] == control_group


def test_a_cohort_is_never_its_own_not_yet_treated_control(mpdta):
    """The bug of issue 15: `cohort > max(p, base)` let the cohort itself into the controls of its
    own pre-period cells when the base was g-1 (a universal base period)."""
    panel, starts = mpdta
    result = difference_in_differences(panel, starts, control_group="notyet", base_period="universal")
    cell = next(c for c in result.details["att_gt"] if (c["cohort"], c["period"]) == (2007, 2004))
    treated = [panel.units.index(u) for u, g in starts.items() if g == 2007]
    others = [i for i, u in enumerate(panel.units) if u not in starts]  # the never treated only:
    # with a base of 2006, the not-yet-treated controls of 2004 are those first treated after 2006 --
    # none but cohort 2007 itself, which must not count -- so only the never treated are left
    y = panel.outcome
    expected = (y[treated, 1] - y[treated, 3]).mean() - (y[others, 1] - y[others, 3]).mean()
    assert cell["estimate"] == pytest.approx(expected, abs=1e-12)
    assert cell["controls"] == len(others)


def test_a_universal_base_period_telescopes_the_varying_one(mpdta):
    """With never-treated controls, ATT(g, t) against g-1 is minus the sum of the one-period
    differences from t+1 to g-1 (R's base_period = "universal"); after the start both agree, and
    the cell at g-1 is the reference (0)."""
    panel, starts = mpdta
    varying = difference_in_differences(panel, starts, control_group="never", base_period="varying")
    universal = difference_in_differences(panel, starts, control_group="never", base_period="universal")
    v = {(c["cohort"], c["period"]): c["estimate"] for c in varying.details["att_gt"]}
    u = {(c["cohort"], c["period"]): c for c in universal.details["att_gt"]}
    for (g, t), cell in u.items():
        if t == g - 1:
            assert cell["reference"] and cell["estimate"] == 0.0
        elif t >= g:
            assert cell["estimate"] == pytest.approx(v[(g, t)], abs=1e-12)
        else:
            assert cell["estimate"] == pytest.approx(-sum(v[(g, s)] for s in range(t + 1, g)), abs=1e-12)
    assert universal.estimate == pytest.approx(varying.estimate, abs=1e-12)
    events = {e["event_time"]: e for e in universal.details["event_study"]}
    assert events[-1].get("reference") and events[-1]["estimate"] == 0.0
    assert universal.details["base_period"] == "universal"


def test_options_are_checked(mpdta):
    panel, starts = mpdta
    with pytest.raises(EvaluationError):
        difference_in_differences(panel, starts, control_group="later")
    with pytest.raises(EvaluationError):
        difference_in_differences(panel, starts, base_period="first")
    only_treated = {u: g for u, g in starts.items()}
    never = [u for u in panel.units if u not in starts]
    with pytest.raises(EvaluationError):
        difference_in_differences(panel, only_treated, control_group="never", exclude=never)
    assert np.isfinite(difference_in_differences(panel, only_treated, control_group="notyet",
                                                 exclude=never).estimate)


# csdid 0.4.3, base_period="universal" (the reference cell g-1 is 0 with no se), bstrap=False
UNIVERSAL = {
    "never": {
        "cells": [
            (2004, 2003, 0.0, None),
            (2004, 2004, -0.010503246220962, 0.023251036368166),
            (2004, 2005, -0.070423158103147, 0.030984766757277),
            (2004, 2006, -0.137258738889403, 0.036435664287686),
            (2004, 2007, -0.100811363085404, 0.034359225834673),
            (2006, 2003, -0.003769293673714, 0.031342027601816),
            (2006, 2004, 0.002750818750519, 0.019558561035882),
            (2006, 2005, 0.0, None),
            (2006, 2006, -0.004594606952863, 0.017755196659276),
            (2006, 2007, -0.041224471546217, 0.020229180704107),
            (2007, 2003, 0.003306356692512, 0.024451872943932),
            (2007, 2004, 0.033813012275805, 0.021129174924313),
            (2007, 2005, 0.031087119389689, 0.017877511313344),
            (2007, 2006, 0.0, None),
            (2007, 2007, -0.026054410719197, 0.016655435349252),
        ],
        "simple": (-0.03995127515517632, 0.01203401277018542),
        "dynamic": {
            -4: (0.0033063566925123342, 0.024451872943931748),
            -3: (0.025021829597554997, 0.018118920697401324),
            -2: (0.024458744971169556, 0.014236402210519318),
            -1: (0.0, None),
            0: (-0.019931816789259302, 0.011826364058058179),
            1: (-0.05095736706519391, 0.016893476268677998),
            2: (-0.13725873888940318, 0.0364356642876865),
            3: (-0.10081136308540416, 0.034359225834673233),
        },
        "dynamic_overall": (-0.07723982145731514, 0.019964989061849382),
    },
    "notyet": {
        "cells": [
            (2004, 2003, 0.0, None),
            (2004, 2004, -0.019372363675922, 0.022310112883681),
            (2004, 2005, -0.078319099062061, 0.030390228543397),
            (2004, 2006, -0.136274346328678, 0.03540338496891),
            (2004, 2007, -0.100811363085404, 0.034359225834673),
            (2006, 2003, 0.0045017970384, 0.030857847575079),
            (2006, 2004, 0.001939246095789, 0.019042158605819),
            (2006, 2005, 0.0, None),
            (2006, 2006, 0.004660876319976, 0.016335584246824),
            (2006, 2007, -0.041224471546217, 0.020229180704107),
            (2007, 2003, 0.003306356692512, 0.024451872943932),
            (2007, 2004, 0.033813012275805, 0.021129174924313),
            (2007, 2005, 0.031087119389689, 0.017877511313344),
            (2007, 2006, 0.0, None),
            (2007, 2007, -0.026054410719197, 0.016655435349252),
        ],
        "simple": (-0.03976362562304367, 0.012052424787341892),
        "dynamic": {
            -4: (0.0033063566925123342, 0.024451872943931748),
            -3: (0.026956587658868197, 0.017579668260160365),
            -2: (0.02426890341450755, 0.014463681675801924),
            -1: (0.0, None),
            0: (-0.018922199083424893, 0.012044568689269064),
            1: (-0.053589347384831884, 0.01694638553912503),
            2: (-0.1362743463286779, 0.03540338496891006),
            3: (-0.10081136308540416, 0.034359225834673233),
        },
        "dynamic_overall": (-0.07739931397058471, 0.019560176946394357),
    },
}
