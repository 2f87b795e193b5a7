"""Summaries of a programme's measurements, kept up to date when measurements are written, so that a
programme page reads a few hundred rows instead of every measurement (decision 0011):

- YearFigure: per instrument, part ("" = the total score) and calendar year, the number of values,
  their sum and the number of people with a value: an instrument indicator's yearly mean.
- PersonPair: per instrument and person, the score of their first intake and of their last
  measurement on a later date: the default pairing of the outcome results.

Every write of measurements through the services goes through `record`, which brings the summaries
of the people it touched up to date in the same transaction. The summaries stand for the
measurements of one stamp (SummaryState). A change made any other way (a bulk load, a deleted
participant, the shell) changes the stamp, and the next read rebuilds the programme's summaries
from all its measurements (`ensure_fresh`), so a stale figure is never shown."""

from __future__ import annotations

import json
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Max

from .constants import Moment
from .models import Measurement, PersonPair, Programme, SummaryState, YearFigure

T = TypeVar("T")

# (instrument, participant id, moment, date, id, score, parts) in (date, id) order per person
COLUMNS = ("instrument", "participant_id", "moment", "date", "pk", "score", "parts")

Figures = dict[tuple[str, int], tuple[int, float]]  # (part, year) -> (number of values, sum)


def raw_rows(queryset) -> Iterator[tuple]:
    """The rows of a values_list query straight from the cursor, without Django's per-row converters
    (0.9 s for 200,000 rows on SQLite when measured). Dates still arrive as date objects: the
    sqlite3 module converts declared date columns for Django, and psycopg loads them as dates."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(10_000):
            yield from chunk


def person_summary(rows: Iterable[tuple]) -> tuple[Figures, tuple | None]:
    """One person's measurements of one instrument (COLUMNS, in date and id order): the values they
    add to each (part, year), and their pair (first intake id, its score, score of the last scored
    measurement on a later date) or None. The pairing is the rule of selectors._pairs with
    before = intake and after = last."""
    figures: Figures = {}
    first = last = None
    for _instrument, _participant, moment, date, pk, score, parts in rows:
        year = date.year
        if isinstance(parts, str):
            parts = json.loads(parts)
        for part, value in (("", score), *(parts or {}).items()):
            if value is not None:
                n, total = figures.get((part, year), (0, 0.0))
                figures[(part, year)] = (n + 1, total + value)
        if score is None:
            continue
        if first is None:
            if moment == Moment.INTAKE:
                first = (date, pk, score)
        elif date > first[0]:
            last = score
    return figures, (None if last is None else (first[1], first[2], last))


def stamp(programme: Programme) -> tuple:
    """What changes whenever a measurement of the programme is added, changed or removed: their
    number, highest id and latest change. Three queries that an index answers each (one query
    with the three aggregates reads every row: 88 ms on SQLite for 200,000 measurements)."""
    measured = Measurement.objects.filter(programme=programme)
    changed = measured.aggregate(v=Max("updated_at"))["v"]
    return (measured.count(), measured.aggregate(v=Max("pk"))["v"], changed.isoformat() if changed else "")


def _lock(programme: Programme) -> SummaryState:
    """The programme's summary state, locked until the transaction ends (PostgreSQL; SQLite lets one
    writer at a time anyway)."""
    state, _created = SummaryState.objects.select_for_update().get_or_create(programme=programme)
    return state


def ensure_fresh(programme: Programme) -> SummaryState:
    """Bring the programme's summaries up to date when they do not stand for its measurements, and
    return their state (its stamp, generation and per-instrument versions key the cached results).
    The stamp is read before the measurements: a measurement that arrives during a rebuild makes
    the next read rebuild again, never leaves a figure stale."""
    current = stamp(programme)
    state = SummaryState.objects.filter(programme=programme, stamp=repr(current)).first()
    if state is not None:
        return state
    with transaction.atomic():
        state = _lock(programme)
        current = stamp(programme)
        if state.stamp != repr(current):
            _rebuild(programme, state)
            state.stamp = repr(current)
            state.save()
    return state


def _rebuild(programme: Programme, state: SummaryState) -> None:
    """Every summary of the programme from all its measurements; a new generation, and a version for
    each instrument measured (the caller saves the state). Tokens are random, never counted up: a
    token of a rolled-back transaction is never given out again, so a cached figure cannot outlive
    the data it was computed from."""
    state.generation = secrets.token_hex(8)
    state.versions = {}
    YearFigure.objects.filter(programme=programme).delete()
    PersonPair.objects.filter(programme=programme).delete()
    rows = (
        Measurement.objects.filter(programme=programme)
        .order_by("instrument", "participant_id", "date", "pk")
        .values_list(*COLUMNS)
    )
    figures = defaultdict(lambda: [0, 0.0, 0])
    pairs = []
    for (instrument, participant), history in groupby(raw_rows(rows), key=itemgetter(0, 1)):
        state.versions.setdefault(instrument, state.generation)
        own, pair = person_summary(history)
        for (part, year), (n, total) in own.items():
            figure = figures[(instrument, part, year)]
            figure[0] += n
            figure[1] += total
            figure[2] += 1
        if pair is not None:
            pairs.append((instrument, participant, *pair))
    YearFigure.objects.bulk_create(
        [
            YearFigure(programme=programme, instrument=i, part=p, year=y, count=n, total=t, people=k)
            for (i, p, y), (n, t, k) in figures.items()
        ],
        batch_size=2000,
    )
    _insert_pairs(programme, pairs)
    if connection.vendor == "postgresql":
        # fresh statistics for the planner: without them (autovacuum off, or not yet run) it read
        # 100,000 pairs with a bitmap scan and a sort spilled to disk: 159 ms, against 51 ms after ANALYZE
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(PersonPair._meta.db_table)}")


def _insert_pairs(programme: Programme, pairs: list[tuple]) -> None:
    """Insert (instrument, participant id, first id, first score, last score) rows: with COPY on
    PostgreSQL, many rows per statement on SQLite. Measured on a rebuild of 100,000 pairs: a
    PersonPair instance per row (bulk_create) took 4 s longer on SQLite; on PostgreSQL a statement
    per row (executemany) took 6 s, and 2,000 rows per statement 4 s, against 0.3 s for COPY."""
    columns = ("programme_id", "instrument", "participant_id", "first_id", "first_score", "last_score")
    quote = connection.ops.quote_name
    # the names come from the model, every value is a parameter
    names = f"{quote(PersonPair._meta.db_table)} ({', '.join(map(quote, columns))})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {names} FROM STDIN") as copy:
                for pair in pairs:
                    copy.write_row((programme.pk, *pair))
            return
        per_statement = connection.features.max_query_params // len(columns)
        row = f"({', '.join(['%s'] * len(columns))})"
        for k in range(0, len(pairs), per_statement):
            chunk = pairs[k : k + per_statement]
            cursor.execute(
                f"INSERT INTO {names} VALUES {', '.join([row] * len(chunk))}",  # noqa: S608
                [value for pair in chunk for value in (programme.pk, *pair)],
            )


def _chunks(keys: Iterable[tuple[str, int]], size: int = 500) -> Iterator[tuple[str, list[int]]]:
    """(instrument, up to size participant ids) covering keys {(instrument, participant id)}."""
    by_instrument = defaultdict(list)
    for instrument, participant in keys:
        by_instrument[instrument].append(participant)
    for instrument, participants in sorted(by_instrument.items()):
        for k in range(0, len(participants), size):
            yield instrument, participants[k : k + size]


def _people(programme: Programme, keys: set[tuple[str, int]]) -> tuple[dict, int]:
    """Per (instrument, participant) of keys: their person_summary, and the number of rows read."""
    out = {key: ({}, None) for key in keys}
    n = 0
    for instrument, participants in _chunks(keys):
        rows = list(
            raw_rows(
                Measurement.objects.filter(
                    programme=programme, instrument=instrument, participant_id__in=participants
                )
                .order_by("participant_id", "date", "pk")
                .values_list(*COLUMNS)
            )
        )
        n += len(rows)
        for participant, history in groupby(rows, key=itemgetter(1)):
            out[(instrument, participant)] = person_summary(history)
    return out, n


def record(programme: Programme | None, keys: set[tuple[str, int]], write: Callable[[], T]) -> T:
    """Run write(), which adds, changes or removes measurements of the programme for the people in
    keys ({(instrument, participant id)}), and bring the summaries up to date, in one transaction:
    per person the difference between their summary before and after is added to the programme's,
    and each touched instrument gets a new version (or none, when it has no measurements left).
    Summaries that were stale already are rebuilt first. When the number of measurements changed by
    more than write() did (another process wrote at the same moment, bypassing the services), they
    are left stale for the next read to rebuild."""
    if programme is None:
        return write()
    with transaction.atomic():
        state = _lock(programme)
        before = stamp(programme)
        if state.stamp != repr(before):
            _rebuild(programme, state)
        old, n_old = _people(programme, keys)
        result = write()
        new, n_new = _people(programme, keys)
        after = stamp(programme)
        if after[0] - before[0] == n_new - n_old:
            _apply(programme, old, new)
            state.stamp = repr(after)
        else:
            state.stamp = ""
        measured = Measurement.objects.filter(programme=programme)
        for instrument in {instrument for instrument, _participant in keys}:
            if measured.filter(instrument=instrument).exists():
                state.versions[instrument] = secrets.token_hex(8)
            else:
                state.versions.pop(instrument, None)
        state.save()
    return result


def _apply(programme: Programme, old: dict, new: dict) -> None:
    delta = defaultdict(lambda: [0, 0.0, 0])
    for key in old.keys() | new.keys():
        instrument, _participant = key
        before, after = old.get(key, ({}, None))[0], new.get(key, ({}, None))[0]
        for cell in before.keys() | after.keys():
            n0, t0 = before.get(cell, (0, 0.0))
            n1, t1 = after.get(cell, (0, 0.0))
            d = delta[(instrument, *cell)]
            d[0] += n1 - n0
            d[1] += t1 - t0
            d[2] += (cell in after) - (cell in before)
    if delta:
        near = YearFigure.objects.filter(
            programme=programme,
            instrument__in={key[0] for key in delta},
            year__in={key[2] for key in delta},
        )  # a few rows more than needed, without an OR per cell
        existing = {(f.instrument, f.part, f.year): f for f in near}
        changed, added, gone = [], [], []
        for key, (values, total, people) in delta.items():
            figure = existing.get(key) or YearFigure(
                programme=programme, instrument=key[0], part=key[1], year=key[2], count=0, total=0.0, people=0
            )
            figure.count += values
            figure.total += total
            figure.people += people
            if figure.count <= 0:
                if figure.pk:
                    gone.append(figure.pk)
            elif figure.pk:
                changed.append(figure)
            else:
                added.append(figure)
        YearFigure.objects.filter(pk__in=gone).delete()
        YearFigure.objects.bulk_update(changed, ["count", "total", "people"])
        YearFigure.objects.bulk_create(added)
    for instrument, participants in _chunks(old.keys() | new.keys()):
        PersonPair.objects.filter(
            programme=programme, instrument=instrument, participant_id__in=participants
        ).delete()
    _insert_pairs(
        programme, [(i, p, *summary[1]) for (i, p), summary in new.items() if summary[1] is not None]
    )
