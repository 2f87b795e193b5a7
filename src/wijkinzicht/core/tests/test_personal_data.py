"""core.personal_data against generated BSNs in every notation, and dates that are not BSNs."""

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wijkinzicht.core.personal_data import eleven_test, find_bsn, mask, personal_data_in


@st.composite
def bsns(draw):
    """A valid BSN: eight digits, the ninth chosen so that the eleven-test holds."""
    first = f"{draw(st.integers(1, 99_999_999)):08d}"
    last = sum(int(d) * w for d, w in zip(first, range(9, 1, -1), strict=True)) % 11
    assume(last < 10)
    return first + str(last)


@st.composite
def notations(draw):
    digits = draw(bsns())
    sep = draw(st.sampled_from(["", ".", "-", " ", "/", "_"]))
    groups = draw(st.sampled_from([(3, 3, 3), (4, 2, 3), (2, 3, 4), (9,)]))
    parts, i = [], 0
    for g in groups:
        parts.append(digits[i:i + g])
        i += g
    prefix = draw(st.sampled_from(["", "BSN", "bsn: ", "BSN-", "nr ", "Burgerservicenummer "]))
    suffix = draw(st.sampled_from(["", " ", " (moeder)", "x"]))
    return digits, prefix + sep.join(parts) + suffix


@settings(max_examples=300, deadline=None)
@given(notations())
def test_every_notation_of_a_bsn_is_found_and_masked(case):
    digits, text = case
    assert eleven_test(digits)
    assert find_bsn(text) == digits
    assert personal_data_in(text) == "bsn"
    masked = mask(text)
    assert digits not in masked.replace(".", "").replace("-", "").replace(" ", "").replace("/", "")


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%d-%m-%Y", "%Y%m%d", "%d.%m.%Y", "%Y/%m/%d"]))
def test_written_dates_are_not_taken_for_a_bsn(day, fmt):
    text = day.strftime(fmt)
    if fmt == "%Y%m%d":  # eight bare digits cannot be told apart from an 8-digit BSN
        return
    assert find_bsn(f"Verplaatst naar {text}") is None


def test_full_width_and_other_script_digits_are_read_as_digits():
    assert find_bsn("BSN １１１２２２３３３") == "111222333"
    assert find_bsn("bsn ١١١٢٢٢٣٣٣") == "111222333"
    assert personal_data_in("jan＠example.nl") == "email"
    assert "１１１" not in mask("nr １１１２２２３３３") and "[bsn]" in mask("nr １１１２２２３３３")
