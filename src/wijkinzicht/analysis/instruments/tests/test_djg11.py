"""The 11-item De Jong Gierveld scale against hand-worked cases from the published rules
(positive items 1, 4, 7, 8, 11; negative items 2, 3, 5, 6, 9, 10; neutral counts as lonely;
0-2 | 3-8 | 9-10 | 11) and the complete-case missing-data rule of decision 0009."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkinzicht.analysis.instruments.djg import DJG6, DJG11, score_codes, score_djg6, score_djg11

POSITIVE = (1, 4, 7, 8, 11)
NEGATIVE = (2, 3, 5, 6, 9, 10)


def answers(positive: str, negative: str, **overrides) -> dict:
    out = {n: positive for n in POSITIVE} | {n: negative for n in NEGATIVE}
    out.update({int(k[1:]): v for k, v in overrides.items()})
    return out


def test_items_and_subscales_are_those_of_the_scale():
    assert [i.number for i in DJG11.items] == list(range(1, 12))
    assert {i.number for i in DJG11.items if i.subscale == "social"} == set(POSITIVE)
    assert {i.number for i in DJG11.items if i.subscale == "emotional"} == set(NEGATIVE)
    # the six items of the short scale are the same statements as in the long one
    long = {i.number: i for i in DJG11.items}
    for item in DJG6.items:
        assert long[item.number] == item


@pytest.mark.parametrize(
    ("given_answers", "expected"),
    [
        # not lonely at all: positive statements confirmed, negative ones denied
        (answers("ja", "nee"), (0, 0, 0, "niet eenzaam")),
        (answers("ja!", "nee!"), (0, 0, 0, "niet eenzaam")),
        # everything neutral: every item counts as lonely
        (answers("min of meer", "min of meer"), (11, 6, 5, "zeer ernstig eenzaam")),
        # the most lonely answers, five-point
        (answers("nee!", "ja!"), (11, 6, 5, "zeer ernstig eenzaam")),
        # category boundaries 2 | 3
        (answers("ja", "nee", i2="ja", i3="ja"), (2, 2, 0, "niet eenzaam")),
        (answers("ja", "nee", i2="ja", i3="ja", i1="min of meer"), (3, 2, 1, "matig eenzaam")),
        # 8 | 9
        (answers("nee", "ja", i1="ja", i4="ja", i7="ja"), (8, 6, 2, "matig eenzaam")),
        (answers("nee", "ja", i1="ja", i4="ja"), (9, 6, 3, "ernstig eenzaam")),
        # 10 | 11
        (answers("nee", "ja", i10="nee!"), (10, 5, 5, "ernstig eenzaam")),
        # mixed five-point answers: "ja!" on a positive item is not lonely, "nee!" on a negative one neither
        (answers("ja!", "nee!", i5="ja!", i11="nee"), (2, 1, 1, "niet eenzaam")),
    ],
)
def test_hand_worked(given_answers, expected):
    result = score_djg11(given_answers)
    assert (result["total"], result["emotional"], result["social"], result["category"]) == expected


def test_one_missing_item_makes_the_total_and_its_subscale_missing():
    # a social item missing: the total and the social subscale are missing, emotional is kept
    result = score_djg11(answers("ja", "ja", i4=None))
    assert result == {"total": None, "emotional": 6, "social": None, "category": None}
    # an emotional item missing (empty text counts as missing)
    result = score_djg11(answers("ja", "nee", i9=""))
    assert result == {"total": None, "emotional": None, "social": 0, "category": None}


def test_all_missing_and_one_of_each():
    assert score_djg11({}) == {"total": None, "emotional": None, "social": None, "category": None}
    result = score_djg11(answers("nee", "nee", i1=None, i2=None))
    assert result == {"total": None, "emotional": None, "social": None, "category": None}


def test_the_short_scale_keeps_its_own_rule():
    # the 6-item scale still counts five answered items when one is missing
    assert score_djg6({3: "ja", 9: "ja", 10: None, 4: "nee", 7: "ja", 8: "ja"})["total"] == 3


codes = st.integers(min_value=-1, max_value=4)


@given(st.lists(st.lists(codes, min_size=11, max_size=11), min_size=1, max_size=40))
def test_scores_stay_in_range_and_add_up(rows):
    s = score_codes(DJG11, np.array(rows))
    for k, row in enumerate(rows):
        complete = -1 not in row
        assert (s.total[k] >= 0) == complete
        if complete:
            assert 0 <= s.total[k] <= 11
            assert s.total[k] == s.emotional[k] + s.social[k]
            lo, hi, _label = DJG11.categories[s.category[k]]
            assert lo <= s.total[k] <= hi
        else:
            assert s.category[k] == -1
        assert -1 <= s.emotional[k] <= 6
        assert -1 <= s.social[k] <= 5


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=11, max_size=11))
def test_reversing_every_answer_mirrors_the_score_except_neutral(row):
    # positive and negative items are keyed opposite ways: reversing an answer (ja! <-> nee!,
    # ja <-> nee) turns a lonely point into none and back, except "min of meer" which stays lonely
    s = score_codes(DJG11, np.array([row]))
    mirrored = score_codes(DJG11, np.array([[4 - c for c in row]]))
    neutral = row.count(2)
    assert s.total[0] + mirrored.total[0] == 11 + neutral
