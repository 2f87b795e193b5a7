"""The pure libraries: index scaling, nearest neighbours, geometry. No Django."""

import math

import numpy as np
import pytest

from wijkinzicht.analysis import index as ix
from wijkinzicht.analysis.geometry import Projection, bbox_of, polygons_of, simplify_geometry
from wijkinzicht.analysis.similarity import nearest

PILLARS = (
    ix.Pillar(
        "social",
        (ix.IndexIndicator("income", "higher_better"), ix.IndexIndicator("low_income", "higher_worse")),
    ),
    ix.Pillar("safety", (ix.IndexIndicator("crime", "higher_worse"),)),
)


def test_reference_scores_100_and_one_sd_is_10_points():
    refs = {
        "income": ix.Reference(30.0, 5.0, 10),
        "low_income": ix.Reference(10.0, 2.0, 10),
        "crime": ix.Reference(50.0, 10.0, 10),
    }
    same = ix.compute_index({"income": 30.0, "low_income": 10.0, "crime": 50.0}, refs, PILLARS)
    assert same.score == pytest.approx(100)
    better = ix.compute_index({"income": 35.0, "low_income": 8.0, "crime": 40.0}, refs, PILLARS)
    assert [p.score for p in better.pillars] == [pytest.approx(110), pytest.approx(110)]


def test_unknown_is_left_out_never_zero():
    pillars = (ix.Pillar("social", PILLARS[0].indicators, min_known=1), PILLARS[1])
    refs = {"income": ix.Reference(30.0, 5.0, 10), "low_income": ix.Reference(10.0, 2.0, 10),
            "crime": ix.Reference(50.0, 10.0, 10)}
    r = ix.compute_index({"income": 25.0, "low_income": None, "crime": 50.0}, refs, pillars)
    assert r.pillars[0].score == pytest.approx(90)
    assert r.pillars[0].indicators[1].reason == "unknown" and r.pillars[0].missing == ["low_income"]
    assert r.score == pytest.approx(95)


def test_a_pillar_below_its_minimum_and_an_index_without_every_pillar_are_not_shown():
    """Issue 14: "Index 2025: 122" came from one indicator while 12 of 13 were unknown."""
    refs = {"income": ix.Reference(30.0, 5.0, 10), "low_income": ix.Reference(10.0, 2.0, 10), "crime": None}
    r = ix.compute_index({"income": 25.0, "low_income": None, "crime": 3.0}, refs, PILLARS)
    assert PILLARS[0].minimum == 2  # more than half of two
    assert r.pillars[0].score is None and r.pillars[0].known == 1 and r.pillars[0].needed == 2
    assert r.pillars[1].score is None and r.pillars[1].indicators[0].reason == "no reference"
    assert r.score is None and r.missing_pillars == ["social", "safety"]


def test_a_context_indicator_is_shown_but_never_scored():
    pillars = (ix.Pillar("physical", (ix.IndexIndicator("woz", ix.CONTEXT),
                                      ix.IndexIndicator("vacant", ix.HIGHER_WORSE))),)
    assert pillars[0].minimum == 1 and [i.key for i in pillars[0].scored] == ["vacant"]
    r = ix.compute_index({"woz": 900.0, "vacant": 2.0},
                         {"woz": ix.Reference(300.0, 50.0, 9), "vacant": ix.Reference(2.0, 1.0, 9)}, pillars)
    woz, vacant = r.pillars[0].indicators
    assert woz.score is None and woz.reason == "context" and woz.value == 900.0
    assert r.score == pytest.approx(100) and r.pillars[0].missing == [] and r.complete


def test_the_default_base_year_is_the_newest_with_full_coverage():
    assert ix.default_base_year({2016: 1, 2017: 3, 2020: 3, 2024: 2}, PILLARS) == 2020
    assert ix.default_base_year({2016: 1, 2024: 2, 2023: 2}, PILLARS) == 2024  # none full: most, newest
    assert ix.default_base_year({}, PILLARS) is None
    refs = {"income": ix.Reference(1.0, 1.0, 3), "low_income": ix.Reference(1.0, 0.0, 3), "crime": None}
    assert ix.reference_coverage(refs, PILLARS) == 1  # no spread and no reference do not count


def test_reference_from_uses_sample_sd_of_known_children():
    ref = ix.reference_from([1.0, None, 3.0, float("nan")], 2.0)
    assert ref.sd == pytest.approx(math.sqrt(2)) and ref.n == 2
    assert ix.reference_from([1.0], 2.0) is None


def test_nearest_orders_by_standardised_distance_and_skips_missing():
    units = ["A", "B", "C", "D", "E"]
    m = np.array([[0, 0], [1, 100], [10, 0], [np.nan, 0], [0.5, 1]], dtype=float)
    r = nearest("A", units, m, ["x", "y"], k=3)
    assert [n.unit for n in r.neighbours] == ["E", "C", "B"] or r.neighbours[0].unit == "E"
    assert r.excluded_missing == 1 and "D" not in [n.unit for n in r.neighbours]
    with pytest.raises(ValueError):
        nearest("D", units, m, ["x", "y"])


def test_nearest_is_scale_invariant():
    rng = np.random.default_rng(1)
    m = rng.normal(size=(50, 3))
    units = [f"U{i}" for i in range(50)]
    a = nearest("U0", units, m, ["a", "b", "c"], k=5)
    b = nearest("U0", units, m * [1, 1000, 0.001], ["a", "b", "c"], k=5)
    assert [n.unit for n in a.neighbours] == [n.unit for n in b.neighbours]


def test_simplify_keeps_shape_and_validates():
    ring = [
        [4.9 + 0.001 * math.cos(t / 50 * 2 * math.pi), 52.3 + 0.001 * math.sin(t / 50 * 2 * math.pi)]
        for t in range(50)
    ] + [[4.901, 52.3]]
    g = simplify_geometry({"type": "Polygon", "coordinates": [ring]}, tolerance=0.00005)
    out = g["coordinates"][0][0]
    assert 4 <= len(out) < len(ring) and g["type"] == "MultiPolygon"
    with pytest.raises(ValueError):
        polygons_of({"type": "Point", "coordinates": [4.9, 52.3]})
    with pytest.raises(ValueError):
        polygons_of({"type": "Polygon", "coordinates": [[[400, 52], [4, 52], [4, 53], [400, 52]]]})


def test_projection_fits_width():
    polys = polygons_of({"type": "Polygon", "coordinates": [[[4, 52], [5, 52], [5, 53], [4, 52]]]})
    p = Projection(bbox_of([polys]), width=100)
    x0, y0 = p.point(4, 53)
    x1, y1 = p.point(5, 52)
    assert x0 == pytest.approx(4) and x1 == pytest.approx(96) and y0 == pytest.approx(4)
    assert p.path(polys).startswith("M")
