"""Participatieladder and Zelfredzaamheid-Matrix: levels, names, no total."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkinzicht.analysis.instruments import PARTICIPATIELADDER, ZRM, LevelError


def test_zrm_has_thirteen_domains_of_five_levels_and_no_total():
    assert len(ZRM.domains) == 13 and len(set(ZRM.columns)) == 13
    assert ZRM.levels[0] == "acute problematiek" and ZRM.levels[-1] == "volledig zelfredzaam"
    assert not hasattr(ZRM, "total")


def test_participatieladder_has_six_rungs():
    assert len(PARTICIPATIELADDER.levels) == 6
    assert PARTICIPATIELADDER.levels[0] == "geïsoleerd" and PARTICIPATIELADDER.levels[5] == "betaald werk"


@pytest.mark.parametrize(("text", "level"), [("1", 1), (" 5 ", 5), ("3.0", 3), ("", -1), (None, -1)])
def test_levels_read(text, level):
    assert ZRM.level(text) == level


@pytest.mark.parametrize("text", ["0", "6", "-1", "2,5", "drie", "3.5"])
def test_other_cells_are_errors(text):
    with pytest.raises(LevelError):
        ZRM.level(text)


def test_participatieladder_accepts_six_but_not_seven():
    assert PARTICIPATIELADDER.level("6") == 6
    with pytest.raises(LevelError):
        PARTICIPATIELADDER.level("7")


@given(st.lists(st.integers(-1, 5), min_size=1, max_size=40))
def test_labels_match_levels(levels):
    labels = ZRM.labels(np.array(levels))
    for level, label in zip(levels, labels, strict=True):
        assert label == ("" if level < 1 else ZRM.levels[level - 1])
