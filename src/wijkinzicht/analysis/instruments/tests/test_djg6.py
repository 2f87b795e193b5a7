"""The 6-item De Jong Gierveld scale against hand-worked cases from the published rules."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkinzicht.analysis.instruments import AnswerError, answer_code, score_djg6
from wijkinzicht.analysis.instruments.djg import DJG6, score_djg6_codes

ITEMS = [i.number for i in DJG6.items]  # 3, 4, 7, 8, 9, 10


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        # nobody lonely: emotional items "nee", social items "ja"
        ({3: "nee", 9: "nee", 10: "nee", 4: "ja", 7: "ja", 8: "ja"}, (0, 0, 0, "niet eenzaam")),
        # "min of meer" counts as lonely on both subscales
        (
            {
                3: "min of meer",
                9: "min of meer",
                10: "min of meer",
                4: "min of meer",
                7: "min of meer",
                8: "min of meer",
            },
            (6, 3, 3, "ernstig eenzaam"),
        ),
        # the boundaries of the categories: 1 | 2, 4 | 5
        ({3: "ja", 9: "nee", 10: "nee", 4: "ja", 7: "ja", 8: "ja"}, (1, 1, 0, "niet eenzaam")),
        ({3: "ja", 9: "ja", 10: "nee", 4: "ja", 7: "ja", 8: "ja"}, (2, 2, 0, "matig eenzaam")),
        ({3: "ja", 9: "ja", 10: "ja", 4: "nee", 7: "ja", 8: "ja"}, (4, 3, 1, "matig eenzaam")),
        ({3: "ja", 9: "ja", 10: "ja", 4: "nee", 7: "nee", 8: "ja"}, (5, 3, 2, "ernstig eenzaam")),
        # five-point answers count as their three-point word
        ({3: "ja!", 9: "nee!", 10: "nee", 4: "nee!", 7: "ja!", 8: "ja"}, (2, 1, 1, "matig eenzaam")),
    ],
)
def test_hand_worked(answers, expected):
    s = score_djg6(answers)
    assert (s["total"], s["emotional"], s["social"], s["category"]) == expected


def test_one_missing_item_counts_the_five_answered_not_prorated():
    s = score_djg6({3: "ja", 9: "ja", 10: "ja", 4: "nee", 7: "nee", 8: None})
    assert s["total"] == 5 and s["category"] == "ernstig eenzaam"
    assert s["emotional"] == 3 and s["social"] is None  # a subscale with a missing item is missing
    s = score_djg6({3: None, 9: "nee", 10: "nee", 4: "ja", 7: "ja", 8: "ja"})
    assert (s["total"], s["emotional"], s["social"]) == (0, None, 0)


def test_two_missing_items_make_the_total_missing():
    s = score_djg6({3: None, 9: "ja", 10: "ja", 4: "nee", 7: "nee", 8: None})
    assert s == {"total": None, "emotional": None, "social": None, "category": None}
    # two missing within one subscale: the other subscale is still scored
    s = score_djg6({3: None, 9: None, 10: "ja", 4: "nee", 7: "nee", 8: "nee"})
    assert (s["total"], s["emotional"], s["social"]) == (None, None, 3)


def test_nothing_answered():
    assert score_djg6({})["total"] is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ja!", 0),
        ("JA", 1),
        (" Ja ", 1),
        ("min of meer", 2),
        ("Min-of-Meer", 2),
        ("minofmeer", 2),
        ("min  of  meer", 2),
        ("NEE", 3),
        ("nee !", 4),
        ("", -1),
        ("  ", -1),
        (None, -1),
    ],
)
def test_answer_words(text, code):
    assert answer_code(text) == code


@pytest.mark.parametrize("text", ["jaa", "yes", "1", "misschien", "ja!!", "nee?"])
def test_other_words_are_errors(text):
    with pytest.raises(AnswerError):
        answer_code(text)


codes = st.lists(st.integers(-1, 4), min_size=6, max_size=6)


@given(st.lists(codes, min_size=1, max_size=50))
def test_scores_stay_in_range_and_add_up(rows):
    s = score_djg6_codes(np.array(rows))
    for k, row in enumerate(rows):
        missing = sum(c == -1 for c in row)
        assert (s.total[k] == -1) == (missing > 1)
        assert -1 <= s.emotional[k] <= 3 and -1 <= s.social[k] <= 3 and -1 <= s.total[k] <= 6
        if s.emotional[k] >= 0 and s.social[k] >= 0:
            assert s.total[k] == s.emotional[k] + s.social[k]
        if s.total[k] >= 0:
            assert DJG6.categories[s.category[k]][0] <= s.total[k] <= DJG6.categories[s.category[k]][1]


@given(codes)
def test_reverse_items_behave(row):
    # answering "ja" instead of "nee" on an emotional item never lowers loneliness; on a social item
    # it never raises it
    for k, item in enumerate(DJG6.items):
        yes, no = list(row), list(row)
        yes[k], no[k] = 1, 3
        s_yes, s_no = score_djg6_codes(np.array([yes])), score_djg6_codes(np.array([no]))
        if s_yes.total[0] >= 0:
            if item.subscale == "emotional":
                assert s_yes.total[0] == s_no.total[0] + 1
            else:
                assert s_yes.total[0] == s_no.total[0] - 1
