"""Progress of an indicator towards its target, by one rule that the page shows in words.

With a baseline b at date t0, a target g at date t1 and the latest value v at date t:
- unknown   when the baseline, the target or a latest value is missing, or g equals b;
- achieved  when v has reached g (v >= g when g > b, v <= g when g < b);
- on track  when v is at least where a straight line from b to g would be at t
            (expected = b + (g - b) * clamp((t - t0) / (t1 - t0), 0, 1)), in the direction of g;
- behind    otherwise (also when t1 has passed without reaching g).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACHIEVED, ON_TRACK, BEHIND, UNKNOWN = "achieved", "on_track", "behind", "unknown"


@dataclass(frozen=True)
class ProgressResult:
    status: str
    latest: float | None
    latest_date: date | None
    expected: float | None  # where the straight line would be at latest_date
    share: float | None  # share of the way from baseline to target covered, 0 = baseline, 1 = target


def progress(
    *,
    baseline: float | None,
    baseline_date: date | None,
    target: float | None,
    target_date: date | None,
    series: list[tuple[date, float]],
) -> ProgressResult:
    known = [(d, v) for d, v in series if v is not None]
    if not known or None in (baseline, baseline_date, target, target_date) or target == baseline:
        latest = max(known) if known else (None, None)
        return ProgressResult(UNKNOWN, latest[1], latest[0], None, None)
    t, v = max(known, key=lambda p: p[0])
    span = (target_date - baseline_date).days
    elapsed = 1.0 if span <= 0 else min(max((t - baseline_date).days / span, 0.0), 1.0)
    expected = baseline + (target - baseline) * elapsed
    up = target > baseline
    share = (v - baseline) / (target - baseline)
    if (v >= target) if up else (v <= target):
        status = ACHIEVED
    elif (v >= expected) if up else (v <= expected):
        status = ON_TRACK
    else:
        status = BEHIND
    return ProgressResult(status, v, t, expected, share)
