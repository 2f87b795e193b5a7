"""Periods in any ordered notation: years, decimals, quarters, months and dates.

The estimators count in whole numbers: a period is a *code* and event time is a difference of
codes. Each notation gets codes in its own step, so that event time means what a reader expects:

- years (``2011``, ``2011.0``, CBS ``2011JJ00``): the year itself; a gap year is a gap;
- quarters (``2011Q3``, ``2011-Q3``, ``2011 Q3``, ``Q3 2011``, ``Q32011``, ``2011K3``, CBS
  ``2011KW03``): year * 4 + quarter - 1, event time in quarters;
- months (``2011-07``, ``2011/7``, ``2011M07``, CBS ``2011MM07``, ``07-2011``): year * 12 +
  month - 1, event time in months;
- decimals (``2011.5``, ``2011.25``) and dates (ISO ``2011-07-15`` or Dutch ``15-07-2011``): the
  position in the panel's sorted list of periods, event time in periods of the panel.

A panel holds one notation (years mix with decimals: ``2011`` is then ``2011.0``). Results are
keyed by the period as it was first written in the panel.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re

from .errors import EvaluationError

YEAR, DECIMAL, QUARTER, MONTH, DATE = "year", "decimal", "quarter", "month", "date"
KIND_NAMES = {YEAR: "years", DECIMAL: "decimal periods", QUARTER: "quarters", MONTH: "months", DATE: "dates"}
RANKED = {DECIMAL, DATE}

_YEAR_CBS = re.compile(r"(\d{4})JJ00\Z", re.I)
_QUARTERS = (
    re.compile(r"(?P<y>\d{4})\s*[-/ ]?\s*(?:Q|K|KW)0?(?P<q>[1-4])\Z", re.I),
    re.compile(r"(?:Q|K|KW)0?(?P<q>[1-4])\s*[-/ ]?\s*(?P<y>\d{4})\Z", re.I),
)
_MONTHS = (
    re.compile(r"(?P<y>\d{4})\s*(?:[-/]|MM?)\s*(?P<m>\d{1,2})\Z", re.I),
    re.compile(r"(?P<m>\d{1,2})[-/](?P<y>\d{4})\Z"),
)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})\Z")


def read_period(value: object) -> tuple[str, object]:
    """(kind, sortable key) of one written period; EvaluationError when it is none of them."""
    text = str(value).strip()
    if (match := _YEAR_CBS.match(text)) is not None:
        return YEAR, int(match.group(1))
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if not math.isfinite(number):
            raise EvaluationError(f"period {text!r} is not a finite number")
        if number == int(number):
            return YEAR, int(number)
        return DECIMAL, number
    for pattern in _QUARTERS:
        if (match := pattern.match(text)) is not None:
            return QUARTER, (int(match["y"]), int(match["q"]))
    if (match := _ISO_DATE.match(text)) is not None:
        return DATE, _date(text, int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if (match := _DUTCH_DATE.match(text)) is not None:
        return DATE, _date(text, int(match.group(3)), int(match.group(2)), int(match.group(1)))
    for pattern in _MONTHS:
        if (match := pattern.match(text)) is not None:
            month = int(match["m"])
            if not 1 <= month <= 12:
                raise EvaluationError(f"period {text!r}: month {month} does not exist")
            return MONTH, (int(match["y"]), month)
    raise EvaluationError(
        f"period {text!r} is not a year, decimal, quarter (2011Q3), month (2011-07) or date (2011-07-15)"
    )


def _date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise EvaluationError(f"period {text!r} is not a date") from None


class PeriodScale:
    """The codes of one panel's periods, fitted on every period written in it."""

    def __init__(self, kind: str, written: dict[object, str]):
        self.kind = kind
        self._keys = sorted(written)
        if kind in RANKED:
            self._codes = {key: i for i, key in enumerate(self._keys)}
        else:
            self._codes = {key: self._natural(key) for key in self._keys}
        self.labels = {self._codes[key]: text for key, text in written.items()}

    @classmethod
    def fit(cls, values) -> PeriodScale:
        """From the written periods; mixed notations are an error naming the first odd one."""
        kinds: dict[str, str] = {}
        written: dict[str, dict[object, str]] = {}
        for value in values:
            kind, key = read_period(value)
            kinds.setdefault(kind, str(value).strip())
            written.setdefault(kind, {}).setdefault(key, str(value).strip())
        if set(kinds) == {YEAR, DECIMAL}:  # 2011 beside 2011.5 is 2011.0
            merged = {float(k): v for k, v in written[YEAR].items()}
            merged.update(written[DECIMAL])
            return cls(DECIMAL, merged)
        if len(kinds) > 1:
            first, other = list(kinds)[:2]
            raise EvaluationError(
                f"the periods mix {KIND_NAMES[first]} ({kinds[first]!r}) and {KIND_NAMES[other]} "
                f"({kinds[other]!r}); write them in one notation"
            )
        if not kinds:
            raise EvaluationError("no periods")
        kind = next(iter(kinds))
        return cls(kind, written[kind])

    @staticmethod
    def years() -> PeriodScale:
        return PeriodScale(YEAR, {})

    def _natural(self, key) -> int:
        if self.kind == YEAR:
            return int(key)
        if self.kind == QUARTER:
            return key[0] * 4 + key[1] - 1
        return key[0] * 12 + key[1] - 1  # MONTH

    def code(self, value: object, *, where: str = "") -> int:
        """The code of a period written in this panel's notation. For decimals and dates a period
        between two of the panel's is the next one (treatment starts in the next observed period);
        one after the last is past the panel."""
        try:
            kind, key = read_period(value)
        except EvaluationError as exc:
            raise EvaluationError(f"{where}{exc}") from None
        if self.kind == DECIMAL and kind == YEAR:
            kind, key = DECIMAL, float(key)
        if kind != self.kind:
            raise EvaluationError(
                f"{where}period {str(value).strip()!r} is written as {KIND_NAMES[kind]}, "
                f"the panel's periods are {KIND_NAMES[self.kind]}"
            )
        if self.kind in RANKED:
            return self._codes.get(key, bisect.bisect_left(self._keys, key))
        return self._natural(key)

    def label(self, code: int) -> str | int:
        """The period as written in the panel (an int for years, as before)."""
        if self.kind == YEAR:
            return int(code)
        if code in self.labels:
            return self.labels[code]
        if self.kind == QUARTER:
            return f"{code // 4}Q{code % 4 + 1}"
        if self.kind == MONTH:
            return f"{code // 12}-{code % 12 + 1:02d}"
        return f"period {code + 1}"

    @property
    def is_years(self) -> bool:
        return self.kind == YEAR

    @property
    def step(self) -> str:
        return {YEAR: "years", QUARTER: "quarters", MONTH: "months"}.get(self.kind, "periods")
