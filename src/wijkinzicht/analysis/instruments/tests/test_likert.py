"""Custom Likert questionnaires: hand-worked cases, definitions refused, properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkinzicht.analysis.instruments.likert import DefinitionError, LikertScale

NAN = float("nan")


def scale(**kw):
    base = {"key": "buurt", "name": "Buurtgevoel", "items": ("a", "b", "c", "d")}
    return LikertScale(**{**base, **kw})


def test_mean_with_a_reverse_item():
    s = scale(reverse=frozenset({"b"}))
    # b = 2 reversed on 1..5 is 4: (5 + 4 + 3 + 1) / 4
    assert s.score([[5, 2, 3, 1]])["totaal"][0] == pytest.approx(13 / 4)


def test_sum_is_prorated_when_an_item_is_missing():
    s = scale(method="sum", min_answered=3)
    assert s.score([[5, 4, 3, 1]])["totaal"][0] == 13
    assert s.score([[5, 4, 3, NAN]])["totaal"][0] == pytest.approx(4 * 12 / 3)
    assert np.isnan(s.score([[5, NAN, 3, NAN]])["totaal"][0])  # 2 answered < 3


def test_subscales_and_their_minimum():
    s = scale(subscales={"samen": ("a", "b"), "veilig": ("c", "d")}, min_answered=2)
    scores = s.score([[1, 3, 5, NAN], [2, 2, 4, 4]])
    assert scores["samen"].tolist() == [2.0, 2.0]
    assert np.isnan(scores["veilig"][0]) and scores["veilig"][1] == 4.0


@pytest.mark.parametrize(
    "kw",
    [
        {"reverse": frozenset({"z"})},
        {"subscales": {"x": ("a", "q")}},
        {"lowest": 5, "highest": 1},
        {"method": "median"},
        {"min_answered": 5},
        {"min_answered": 0},
        {"items": ("a", "a")},
        {"items": ()},
        {"subscales": {"x": ("a",)}, "min_answered": 2},
    ],
)
def test_inconsistent_definitions_are_refused(kw):
    with pytest.raises(DefinitionError):
        scale(**kw)


@pytest.mark.parametrize("value", [0, 6, 2.5])
def test_answers_outside_the_range_are_errors(value):
    with pytest.raises(ValueError, match="item b"):
        scale().score([[1, value, 1, 1]])


answers = st.lists(st.one_of(st.integers(1, 5).map(float), st.just(NAN)), min_size=4, max_size=4)


@given(
    st.lists(answers, min_size=1, max_size=30),
    st.sampled_from(["mean", "sum"]),
    st.frozensets(st.sampled_from(["a", "b", "c", "d"])),
)
def test_scores_stay_in_range(rows, method, reverse):
    s = scale(method=method, reverse=reverse)
    result = s.score(rows)["totaal"]
    lo, hi = (1, 5) if method == "mean" else (4, 20)
    known = result[~np.isnan(result)]
    assert ((known >= lo - 1e-9) & (known <= hi + 1e-9)).all()
    assert np.isnan(result).sum() == sum(all(np.isnan(v) for v in row) for row in rows)


@given(answers.filter(lambda r: not np.isnan(r[1])))
def test_a_reverse_item_moves_the_score_the_other_way(row):
    plain, reversed_ = scale(), scale(reverse=frozenset({"b"}))
    higher = list(row)
    if higher[1] == 5:
        return
    higher[1] += 1
    assert plain.score([higher])["totaal"][0] > plain.score([row])["totaal"][0]
    assert reversed_.score([higher])["totaal"][0] < reversed_.score([row])["totaal"][0]
