"""The progress rule against hand-worked cases, and its invariants (hypothesis)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkinzicht.analysis.instruments.reliability import cronbach_alpha
from wijkinzicht.analysis.progress import ACHIEVED, BEHIND, ON_TRACK, UNKNOWN, progress

B, T = date(2024, 1, 1), date(2026, 1, 1)


def run(series, baseline=10.0, target=20.0, **kw):
    return progress(baseline=baseline, baseline_date=B, target=target, target_date=T, series=series, **kw)


@pytest.mark.parametrize(
    ("series", "status", "expected"),
    [
        ([(date(2025, 1, 1), 16.0)], ON_TRACK, 15.0 + 5.0 * (1 / 731)),  # a year in: line at ~15
        ([(date(2025, 1, 1), 14.0)], BEHIND, None),
        ([(date(2025, 1, 1), 20.0)], ACHIEVED, None),
        ([(date(2027, 1, 1), 19.0)], BEHIND, 20.0),  # target date passed without reaching it
        ([(date(2023, 6, 1), 10.0)], ON_TRACK, 10.0),  # before the baseline date: the line is at b
        ([(date(2024, 6, 1), 30.0), (date(2025, 6, 1), 12.0)], BEHIND, None),  # the latest counts
        ([], UNKNOWN, None),
    ],
)
def test_hand_worked_upwards(series, status, expected):
    result = run(series)
    assert result.status == status
    if expected is not None:
        assert result.expected == pytest.approx(expected, abs=0.01)


def test_downward_targets_and_missing_pieces():
    # lower is the aim (e.g. share of lonely residents 40 -> 30)
    assert run([(date(2025, 1, 1), 34.0)], baseline=40.0, target=30.0).status == ON_TRACK
    assert run([(date(2025, 1, 1), 37.0)], baseline=40.0, target=30.0).status == BEHIND
    assert run([(date(2025, 1, 1), 29.0)], baseline=40.0, target=30.0).status == ACHIEVED
    assert run([(date(2025, 1, 1), 5.0)], baseline=None).status == UNKNOWN
    assert run([(date(2025, 1, 1), 5.0)], target=10.0).status == UNKNOWN  # target equals baseline
    result = run([(date(2025, 1, 1), 5.0)], target=None)
    assert result.status == UNKNOWN and result.latest == 5.0


values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
days = st.integers(min_value=-1000, max_value=2000)


@given(values, values, values, days)
def test_invariants(baseline, target, latest, day):
    when = date.fromordinal(B.toordinal() + day)
    result = run([(when, latest)], baseline=baseline, target=target)
    if target == baseline:
        assert result.status == UNKNOWN
        return
    up = target > baseline
    reached = latest >= target if up else latest <= target
    assert (result.status == ACHIEVED) == reached
    # the expected value lies between baseline and target
    assert min(baseline, target) - 1e-6 <= result.expected <= max(baseline, target) + 1e-6
    # moving the latest value towards the target never makes the status worse
    rank = {BEHIND: 0, ON_TRACK: 1, ACHIEVED: 2}
    better = run(
        [(when, latest + (1 if up else -1) * abs(target - baseline))], baseline=baseline, target=target
    )
    assert rank[better.status] >= rank[result.status]


def test_cronbach_alpha_hand_worked():
    # 10 people, 3 items; item variances 0.2667 each... computed by hand below
    rows = [
        [1, 1, 1],
        [1, 1, 0],
        [0, 0, 0],
        [1, 1, 1],
        [0, 1, 0],
        [0, 0, 0],
        [1, 1, 1],
        [1, 0, 1],
        [0, 0, 0],
        [1, 1, 1],
    ]
    k = 3
    item_var = sum(_var([r[j] for r in rows]) for j in range(k))
    total_var = _var([sum(r) for r in rows])
    assert cronbach_alpha(rows) == pytest.approx(k / (k - 1) * (1 - item_var / total_var))
    assert cronbach_alpha(rows[:5]) is None  # too few people
    assert cronbach_alpha([[1, 1]] * 12) is None  # no variance


def _var(xs):
    m = sum(xs) / len(xs)
    return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)
