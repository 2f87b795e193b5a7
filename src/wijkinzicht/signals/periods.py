"""The periods a signal report can be about: a calendar month, quarter or year (codes 2026-11,
2026-K4, 2026), never a free pair of dates.

Why (the attacker's pass of issue 17): with free dates, a thousand reports whose windows all hold the
same two weeks plus a little more each gave a thousand perturbed counts with a fixed offset between
their cell keys, and a maximum-likelihood fit over them recovered every suppressed count of those two
weeks. With calendar periods the record sets that can be published are few and fixed -- a month, its
quarter, its year, and the weeks and months of the charts -- so there is nothing to average over.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

YEARS_BACK = 5
CODE = re.compile(r"^(\d{4})(?:-(\d{2})|-K([1-4]))?$")


@dataclass(frozen=True)
class ReportPeriod:
    code: str
    since: dt.date
    until: dt.date  # the last day, or today for the period still running
    previous_since: dt.date
    previous_until: dt.date

    @property
    def label(self) -> str:
        m = CODE.match(self.code)
        year, month, quarter = int(m.group(1)), m.group(2), m.group(3)
        if month:
            return date_format(self.since, "F Y")
        if quarter:
            return _("quarter %(q)s of %(year)s") % {"q": quarter, "year": year}
        return str(year)


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def parse(code: str, today: dt.date) -> ReportPeriod | None:
    """The period of a code, or None if the code is not one (or lies in the future or too far back)."""
    m = CODE.match((code or "").strip().upper())
    if not m:
        return None
    year = int(m.group(1))
    if not today.year - YEARS_BACK <= year <= today.year:
        return None
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        since, until = dt.date(year, month, 1), _month_end(year, month)
        prev_year, prev_month = (year, month - 1) if month > 1 else (year - 1, 12)
        previous = (dt.date(prev_year, prev_month, 1), _month_end(prev_year, prev_month))
    elif m.group(3):
        q = int(m.group(3))
        since, until = dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        py, pq = (year, q - 1) if q > 1 else (year - 1, 4)
        previous = (dt.date(py, 3 * pq - 2, 1), _month_end(py, 3 * pq))
    else:
        since, until = dt.date(year, 1, 1), dt.date(year, 12, 31)
        previous = (dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    if since > today:
        return None
    code = f"{year}" + (f"-{int(m.group(2)):02d}" if m.group(2) else f"-K{m.group(3)}" if m.group(3) else "")
    return ReportPeriod(code, since, min(until, today), *previous)


def default(today: dt.date) -> ReportPeriod:
    """The quarter so far."""
    return parse(f"{today.year}-K{(today.month - 1) // 3 + 1}", today)


def choices(today: dt.date) -> list[tuple[str, str]]:
    """The months of the past two years, the quarters of the past three, the past five years; newest first."""
    out = []
    for back in range(24):
        months = today.year * 12 + today.month - 1 - back
        period = parse(f"{months // 12}-{months % 12 + 1:02d}", today)
        if period:
            out.append((period.code, period.label))
    quarter = (today.month - 1) // 3 + 1
    for back in range(12):
        q = today.year * 4 + quarter - 1 - back
        period = parse(f"{q // 4}-K{q % 4 + 1}", today)
        if period:
            out.append((period.code, period.label))
    for back in range(YEARS_BACK + 1):
        period = parse(str(today.year - back), today)
        if period:
            out.append((period.code, period.label))
    return out
