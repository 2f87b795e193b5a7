"""Panel data for the evaluation engine: units x periods, outcome plus covariates.

A panel is read from long records (one row per unit and period). Periods are years (``1970.0``
and ``"1970"`` both read as 1970) or any other ordered notation of periods.py (decimals,
quarters, months, dates), held as whole-number codes with ``scale`` to write them back.
The panel may be unbalanced: a unit that has no row for a period, or an empty value, holds NaN
there, and each method says what it does with missing cells (most refuse them where they are
needed, naming the unit and period).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import EvaluationError
from .periods import DECIMAL, YEAR, PeriodScale, read_period

__all__ = ["EvaluationError", "Panel", "parse_period", "parse_value", "split_units"]


def parse_period(value: object, *, where: str = "") -> int:
    """Read a period: an integer, or a float with no fraction (``1970.0``)."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        raise EvaluationError(f"{where}period {text!r} is not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise EvaluationError(f"{where}period {text!r} is not a whole number")
    return int(number)


def parse_value(value: object, *, where: str = "") -> float:
    """Read an outcome or covariate value; empty means missing (NaN)."""
    if value is None:
        return math.nan
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text == "" or text.upper() in {"NA", "NAN", "."}:
        return math.nan
    try:
        number = float(text)
    except ValueError:
        raise EvaluationError(f"{where}value {text!r} is not a number") from None
    if not math.isfinite(number):
        raise EvaluationError(f"{where}value {text!r} is not a finite number")
    return number


@dataclass
class Panel:
    units: list[str]
    periods: np.ndarray  # sorted int periods
    outcome: np.ndarray  # units x periods, NaN where missing
    covariates: dict[str, np.ndarray] = field(default_factory=dict)
    outcome_name: str = "outcome"
    scale: PeriodScale = field(default_factory=PeriodScale.years)  # how the periods were written

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, object]],
        *,
        unit: str,
        time: str,
        outcome: str,
        covariates: Sequence[str] = (),
        period_columns: Sequence[str] = (),
        first_row: int = 2,
    ) -> Panel:
        """Build a panel from dict rows (e.g. ``csv.DictReader``); row numbers in errors start at
        ``first_row`` (2 for a CSV file with a header line). Periods may be written in any one
        notation of periods.py; ``period_columns`` hold periods in the same notation (e.g. each
        unit's first treated period), empty or 0 meaning none, and are kept as codes."""
        columns = [unit, time, outcome, *covariates, *period_columns]
        cells: dict[tuple[str, tuple], tuple[int, list[float], list[str], str]] = {}
        kinds: dict[str, tuple[int, str]] = {}
        parsed: dict[str, tuple[str, object]] = {}  # a panel has few distinct periods: read each once
        seen_columns: set[str] | None = None
        for number, row in enumerate(records, start=first_row):
            if seen_columns is None:
                seen_columns = set(row)
                missing = [c for c in columns if c not in seen_columns]
                if missing:
                    raise EvaluationError(
                        f"column(s) {', '.join(missing)} not in the panel; "
                        f"it has {', '.join(sorted(seen_columns))}"
                    )
            where = f"row {number}, "
            name = str(row[unit] or "").strip()
            if not name:
                raise EvaluationError(f"row {number}, column {unit}: the unit is empty")
            written = str(row[time] if row[time] is not None else "").strip()
            if written not in parsed:
                try:
                    parsed[written] = read_period(written)
                except EvaluationError as exc:
                    raise EvaluationError(f"row {number}, column {time}: {exc}") from None
            kind, key = parsed[written]
            kinds.setdefault(kind, (number, written))
            values = [parse_value(row[c], where=f"{where}column {c}: ") for c in [outcome, *covariates]]
            marks = [str(row[c] if row[c] is not None else "").strip() for c in period_columns]
            if (name, (kind, key)) in cells:
                raise EvaluationError(f"row {number}: unit {name!r} has a second row for period {written}")
            cells[(name, (kind, key))] = (number, values, marks, written)
        if not cells:
            raise EvaluationError("the panel has no rows")
        odd = [k for k in kinds if k not in (YEAR, DECIMAL)]
        if len(kinds) > 1 and (odd or len(kinds) > 2):
            (first_number, first_text), (other_number, other_text) = sorted(kinds.values())[:2]
            raise EvaluationError(
                f"row {other_number}, column {time}: period {other_text!r} is written in another "
                f"notation than {first_text!r} (row {first_number}); write every period the same way"
            )
        scale = PeriodScale.fit(parsed)
        codes = {text: scale.code(text) for text in parsed}
        coded = {}
        for (name, _), (number, values, marks, text) in cells.items():
            period = codes[text]
            if (name, period) in coded:
                raise EvaluationError(f"row {number}: unit {name!r} has a second row for period {text}")
            for column, mark in zip(period_columns, marks, strict=True):
                if mark not in codes and mark not in ("", "0"):
                    codes[mark] = scale.code(mark, where=f"row {number}, column {column}: ")
                values.append(math.nan if mark in ("", "0") else float(codes[mark]))
            coded[(name, period)] = values
        units = sorted({u for u, _ in coded})
        periods = np.array(sorted({p for _, p in coded}), dtype=int)
        uindex = {u: i for i, u in enumerate(units)}
        pindex = {int(p): j for j, p in enumerate(periods)}
        extra = [*covariates, *period_columns]
        data = np.full((len(extra) + 1, len(units), len(periods)), np.nan)
        for (u, p), values in coded.items():
            data[:, uindex[u], pindex[p]] = values
        return cls(
            units=units,
            periods=periods,
            outcome=data[0],
            covariates={c: data[i + 1] for i, c in enumerate(extra)},
            outcome_name=outcome,
            scale=scale,
        )

    @classmethod
    def from_arrays(
        cls,
        units: Sequence[str],
        periods: Sequence[int],
        outcome: np.ndarray,
        covariates: Mapping[str, np.ndarray] | None = None,
        outcome_name: str = "outcome",
    ) -> Panel:
        return cls(
            units=list(units),
            periods=np.asarray(periods, dtype=int),
            outcome=np.asarray(outcome, dtype=float),
            covariates={k: np.asarray(v, dtype=float) for k, v in (covariates or {}).items()},
            outcome_name=outcome_name,
        )

    # --- lookups -----------------------------------------------------------------------------

    def unit_index(self, names: Iterable[str], *, role: str = "unit") -> list[int]:
        index = {u: i for i, u in enumerate(self.units)}
        out = []
        for name in names:
            if name not in index:
                raise EvaluationError(f"{role} {name!r} is not in the panel")
            out.append(index[name])
        return out

    def treated_and_comparison(
        self,
        treated: str | Iterable[str],
        donors: str | Sequence[str] | None,
        exclude: str | Sequence[str] | None,
    ) -> tuple[list[int], list[int]]:
        """Row indices of the treated units and of the comparison units: the listed donors, or
        every other unit, less the excluded ones. A treated unit listed as a donor is an error."""
        treated = split_units(treated)
        if not treated:
            raise EvaluationError("no treated unit given")
        treated_idx = self.unit_index(treated, role="treated unit")
        excluded = set(self.unit_index(split_units(exclude), role="excluded unit"))
        if donors is not None and split_units(donors):
            comparison = self.unit_index(split_units(donors), role="donor")
            among = [self.units[i] for i in comparison if i in treated_idx]
            if among:
                raise EvaluationError(f"treated unit {among[0]!r} is also listed as a donor")
        else:
            comparison = [i for i in range(len(self.units)) if i not in treated_idx]
        return treated_idx, [i for i in comparison if i not in excluded]

    def period_mask(self, periods: Iterable[int]) -> np.ndarray:
        wanted = set(int(p) for p in periods)
        unknown = wanted - set(int(p) for p in self.periods)
        if unknown:
            raise EvaluationError(f"period(s) {', '.join(map(str, sorted(unknown)))} not in the panel")
        return np.isin(self.periods, sorted(wanted))

    def variable(self, name: str) -> np.ndarray:
        if name == self.outcome_name:
            return self.outcome
        if name not in self.covariates:
            raise EvaluationError(f"variable {name!r} is not in the panel")
        return self.covariates[name]

    def require_complete(self, rows: Sequence[int], mask: np.ndarray, variable: str | None = None) -> None:
        """Refuse missing cells in the given units and periods, naming the first few."""
        values = self.variable(variable or self.outcome_name)[np.ix_(rows, mask)]
        holes = np.argwhere(np.isnan(values))
        if len(holes):
            periods = self.periods[mask]
            named = ", ".join(f"{self.units[rows[i]]} in {periods[j]}" for i, j in holes[:5])
            more = f" and {len(holes) - 5} more" if len(holes) > 5 else ""
            raise EvaluationError(f"missing value of {variable or self.outcome_name} for {named}{more}")


def split_units(text: str | Iterable[str] | None) -> list[str]:
    if text is None:
        return []
    if isinstance(text, str):
        return [t.strip() for t in text.split(",") if t.strip()]
    return [str(t).strip() for t in text if str(t).strip()]
