"""Markers on the sociale kaart never pile up (issue 14, item 6): close markers are spread in a
ring with a leader line to their real spot, or, when many, become one cluster with their count."""

import math
import types

from wijkinzicht.activities.kaart import MARKER_R, MapPoint, spread


def points(coords):
    return [MapPoint(n, types.SimpleNamespace(pk=n, title=f"A{n}"), x, y)
            for n, (x, y) in enumerate(coords, 1)]


def test_markers_on_one_spot_are_spread_with_leader_lines():
    shown, clusters = spread(points([(100, 100)] * 4 + [(300, 300)]))
    assert clusters == [] and len(shown) == 5
    ring = [p for p in shown if p.anchor_x is not None]
    assert len(ring) == 4 and all((p.anchor_x, p.anchor_y) == (100, 100) for p in ring)
    for a in shown:
        for b in shown:
            if a is not b:
                assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * MARKER_R  # no marker covers another
    alone = next(p for p in shown if p.number == 5)
    assert (alone.x, alone.y, alone.anchor_x) == (300, 300, None)


def test_many_markers_on_one_spot_become_one_cluster():
    shown, clusters = spread(points([(50, 50)] * 9 + [(52, 51)]))
    assert shown == [] and len(clusters) == 1 and clusters[0].numbers == list(range(1, 11))
