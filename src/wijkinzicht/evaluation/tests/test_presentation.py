"""The result page's honesty rules (issue 14, item 9), on result dictionaries as the engine writes
them: a perfect pre-period fit gives no placebo ratio, an SDID run is called SDID, the placebo's kind
is in Dutch, and a leave-one-out swing larger than the effect is a warning."""

import types

from django.utils import translation

from wijkinzicht.evaluation.presentation import result_view

OUTCOME = types.SimpleNamespace(label="Huurwoningen", decimals=1)


def result(**overrides) -> dict:
    base = {
        "method": "synth", "evidence": "synth_placebo", "estimate": 0.7, "se": None, "ci": None,
        "treated": ["BU1"], "treatment_time": 2019, "periods": [2016, 2017, 2018, 2019, 2020],
        "treated_path": {"2016": 50.0, "2017": 51.0, "2018": 52.0, "2019": 53.0, "2020": 54.0},
        "comparison_path": {"2016": 50.0, "2017": 51.0, "2018": 52.0, "2019": 52.5, "2020": 53.1},
        "names": {"BU1": "Kop Zeedijk", "BU2": "Nes e.o.", "BU3": "Oude Kerk e.o."},
        "warnings": [], "notes": [], "weights": {"BU2": 0.6, "BU3": 0.4},
        "placebo": {"kind": "in-space", "p_value": 0.5, "rank": 2, "units": 2, "lines": [
            {"unit": "BU2", "pre_rmspe": 0.0, "post_rmspe": 1.2, "ratio": 61411005752370.4,
             "gaps": [0, 0, 0, 1, 1.4]},
            {"unit": "BU3", "pre_rmspe": 0.5, "post_rmspe": 1.0, "ratio": 2.0,
             "gaps": [0.5, -0.5, 0.5, 1, 1]},
        ]},
        "details": {"pre_rmspe": 0.4, "leave_one_out": [
            {"without": "BU2", "estimate": 0.9, "pre_rmspe": 0.5},
            {"without": "BU3", "estimate": 3.3, "pre_rmspe": 0.6},
        ]},
    }
    return {**base, **overrides}


def test_a_perfect_fit_gives_no_ratio_and_goes_last():
    view = result_view(result(), outcome=OUTCOME)
    assert [r["unit"] for r in view.placebo_rows] == ["BU3", "BU2"]
    assert view.placebo_rows[1]["perfect_fit"] and not view.placebo_rows[0]["perfect_fit"]


def test_labels_name_the_method_and_are_dutch():
    with translation.override("nl"):
        sdid = result_view(result(method="sdid", placebo={"kind": "placebo standard error", "p_value": 0.4}),
                           outcome=OUTCOME)
        assert sdid.evidence == "Synthetisch verschil-in-verschillen met placebotoets."
        assert sdid.placebo_kind == "placebo-standaardfout"
        synth = result_view(result(), outcome=OUTCOME)
        assert synth.evidence.startswith("Synthetische controle")


def test_a_leave_one_out_swing_larger_than_the_effect_is_a_warning():
    with translation.override("nl"):
        view = result_view(result(), outcome=OUTCOME)
    assert any("Oude Kerk e.o." in w and "0,7" in w and "3,3" in w for w in view.warnings)
    calm = result(details={"pre_rmspe": 0.4,
                           "leave_one_out": [{"without": "BU2", "estimate": 0.8, "pre_rmspe": 0.5}]})
    assert not result_view(calm, outcome=OUTCOME).warnings
