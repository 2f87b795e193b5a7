"""Issue 15, item 4: any ordered period -- years, decimals, quarters, months and dates -- with the
treatment time in the same form and the results keyed by the period as written."""

import csv
from pathlib import Path

import numpy as np
import pytest

from wijkinzicht.analysis.evaluation import EvaluationError, Panel, run_method
from wijkinzicht.analysis.evaluation.periods import PeriodScale, read_period

MPDTA = Path(__file__).resolve().parents[5] / "data" / "reference" / "mpdta.csv"


@pytest.mark.parametrize(
    ("written", "kind", "code"),
    [
        ("2011", "year", 2011), ("2011.0", "year", 2011), ("2011JJ00", "year", 2011),
        ("2011Q3", "quarter", 2011 * 4 + 2), ("2011-Q3", "quarter", 2011 * 4 + 2),
        ("2011 q3", "quarter", 2011 * 4 + 2), ("Q3 2011", "quarter", 2011 * 4 + 2),
        ("Q32011", "quarter", 2011 * 4 + 2), ("2011K3", "quarter", 2011 * 4 + 2),
        ("2011KW03", "quarter", 2011 * 4 + 2),
        ("2011-07", "month", 2011 * 12 + 6), ("2011/7", "month", 2011 * 12 + 6),
        ("2011M07", "month", 2011 * 12 + 6), ("2011MM07", "month", 2011 * 12 + 6),
        ("07-2011", "month", 2011 * 12 + 6),
    ],
)
def test_every_notation_reads_to_a_code_in_its_own_step(written, kind, code):
    scale = PeriodScale.fit([written])
    assert scale.kind == kind
    assert scale.code(written) == code
    assert scale.label(code) == (int(written.split(".")[0][:4]) if kind == "year" else written)


def test_decimals_and_dates_count_positions_and_a_start_between_periods_is_the_next_one():
    scale = PeriodScale.fit(["2011", "2011.25", "2011.5", "2012.75"])
    assert scale.kind == "decimal"
    assert [scale.code(p) for p in ("2011", "2011.25", "2011.5", "2012.75")] == [0, 1, 2, 3]
    assert scale.code("2012") == 3  # between 2011.5 and 2012.75: starts in the next observed period
    assert scale.label(0) == "2011" and scale.label(2) == "2011.5"
    dates = PeriodScale.fit(["2011-07-15", "15-01-2012", "2010-12-31"])
    assert dates.kind == "date"
    assert dates.code("2011-07-15") == 1 and dates.code("15-01-2012") == 2
    assert dates.code("2030-01-01") == 3  # after the panel
    with pytest.raises(EvaluationError, match="not a date"):
        read_period("2011-02-30")
    with pytest.raises(EvaluationError, match="month 13 does not exist"):
        read_period("2011-13")


def test_mixed_notations_and_a_treatment_time_in_another_form_are_refused_with_the_row():
    rows = [{"u": "A", "t": "2011Q1", "y": "1"}, {"u": "A", "t": "2011-04", "y": "2"}]
    with pytest.raises(EvaluationError, match=r"row 3, column t: period '2011-04' is written in another "
                                              r"notation than '2011Q1' \(row 2\)"):
        Panel.from_records(rows, unit="u", time="t", outcome="y")
    panel = Panel.from_records(rows[:1], unit="u", time="t", outcome="y")
    with pytest.raises(EvaluationError, match="--treatment-time: period '2011' is written as years, "
                                              "the panel's periods are quarters"):
        panel.scale.code("2011", where="--treatment-time: ")


def _mpdta(period) -> list[dict]:
    with open(MPDTA, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        first = int(r["first.treat"])
        out.append({"unit": r["countyreal"], "t": period(int(r["year"])), "y": r["lemp"],
                    "g": period(first) if first else "0"})
    return out


@pytest.mark.parametrize(
    "period",
    [
        lambda y: f"{2000 + (y - 2003) // 4}Q{(y - 2003) % 4 + 1}",  # 2003..2007 -> 2000Q1..2001Q1
        lambda y: f"Q{(y - 2003) % 4 + 1} {2000 + (y - 2003) // 4}",
        lambda y: f"2019-{y - 2002:02d}",  # months
        lambda y: f"{y}.5",  # decimals
        lambda y: f"{y - 2002:02d}-03-2024",  # Dutch dates
    ],
    ids=["quarters", "quarters-dutch-order", "months", "decimals", "dates"],
)
def test_callaway_santanna_gives_the_same_answer_in_every_notation_keyed_as_written(period):
    years = Panel.from_records(_mpdta(str), unit="unit", time="t", outcome="y", period_columns=["g"])
    other = Panel.from_records(_mpdta(period), unit="unit", time="t", outcome="y", period_columns=["g"])
    assert np.array_equal(np.isnan(years.covariates["g"]), np.isnan(other.covariates["g"]))

    def starts(panel):
        g = panel.covariates["g"][:, 0]
        return {u: int(v) for u, v in zip(panel.units, g, strict=True) if not np.isnan(v)}

    a = run_method(years, method="did", treated=starts(years), times=[])
    b = run_method(other, method="did", treated=starts(other), times=[])
    assert b.estimate == pytest.approx(a.estimate, abs=1e-12)
    assert b.se == pytest.approx(a.se, abs=1e-12)
    assert list(b.effects) == list(a.effects)  # event times in steps of the notation
    assert b.periods == [period(y) for y in range(2003, 2008)]
    assert {c["period"] for c in b.details["att_gt"]} == {period(y) for y in range(2004, 2008)}
    assert set(b.treatment_time.values()) == {period(y) for y in (2004, 2006, 2007)}


def test_a_common_start_in_months_keys_the_effects_by_month_as_written():
    rows = _mpdta(lambda y: f"2019-{y - 2002:02d}")
    panel = Panel.from_records(rows, unit="unit", time="t", outcome="y")
    treated = sorted({r["unit"] for r in rows if r["g"] == "2019-02"})
    result = run_method(panel, method="did", treated=treated, times=[panel.scale.code("2019-02")],
                        exclude=sorted({r["unit"] for r in rows if r["g"] not in ("0", "2019-02")}))
    assert result.treatment_time == "2019-02"
    assert list(result.effects) == ["2019-02", "2019-03", "2019-04", "2019-05"]
    assert result.details["event_study"][0]["period"] == "2019-01"
