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


def test_a_point_in_a_polygon_with_a_hole():
    from wijkinzicht.analysis.geometry import contains

    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    hole = [(1.0, 1.0), (3.0, 1.0), (3.0, 3.0), (1.0, 3.0), (1.0, 1.0)]
    assert contains([[square]], 2, 2) and not contains([[square, hole]], 2, 2)
    assert contains([[square, hole]], 0.5, 2) and not contains([[square]], 5, 2)


def test_background_tiles_cover_the_map_and_sit_where_their_places_are():
    from wijkinzicht.analysis.geometry import BBox, Projection, tiles_for

    box = BBox(4.85, 52.35, 4.95, 52.40)  # the centre of Amsterdam
    projection = Projection(box, width=640)
    tiles = tiles_for(projection)
    assert 1 <= len(tiles) <= 64 and len({t.z for t in tiles}) == 1
    z = tiles[0].z
    assert 13 <= z <= 15  # about one tile pixel per drawing pixel
    assert min(t.left for t in tiles) <= 0 and max(t.left + t.width for t in tiles) >= projection.width
    assert min(t.top for t in tiles) <= 0 and max(t.top + t.height for t in tiles) >= projection.height
    # the Dam (4.8932, 52.3731) lies in the tile the XYZ scheme gives it, and is drawn inside it
    n = 2 ** z
    tx = int((4.8932 + 180) / 360 * n)
    ty = int((1 - math.asinh(math.tan(math.radians(52.3731))) / math.pi) / 2 * n)
    tile = next(t for t in tiles if (t.x, t.y) == (tx, ty))
    x, y = projection.point(4.8932, 52.3731)
    assert tile.left <= x <= tile.left + tile.width and tile.top <= y <= tile.top + tile.height
    assert len(tiles_for(Projection(BBox(3.3, 50.7, 7.3, 53.6), width=640), most=4)) <= 4


def test_the_kaart_draws_named_buurten_and_names_a_markers_buurt(client, orgs, activity,
                                                                 amsterdam_boundaries):
    html = client.get("/sociale-kaart/").content.decode()
    assert html.count('class="outline"') > 400  # Amsterdam's buurten, each its own outline
    assert "<title>Kop Zeedijk</title>" in html  # named on hover
    assert "1. Koffieochtend Zeedijk (buurt Kop Zeedijk)" in html  # and in the marker's label
    assert "<image" not in html  # no background map unless configured: nothing leaves the server


def test_a_configured_background_map_is_drawn_with_its_attribution(client, orgs, activity,
                                                                  amsterdam_boundaries, settings):
    settings.MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Voorbeeldkaart"
    html = client.get("/sociale-kaart/").content.decode()
    assert '<image href="https://tiles.example.org/' in html and "© Voorbeeldkaart" in html
    assert 'class="kaart-map with-tiles"' in html


def test_the_tile_setting_is_checked_and_opens_the_policy_to_that_host_only():
    import os
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='wijkinzicht.config.settings'; "
            "from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])")
    env = {**os.environ, "WIJKINZICHT_MAP_TILES": "https://service.pdok.nl/brt/{z}/{x}/{y}.png"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "'https://service.pdok.nl'" in out.stdout and "'*'" not in out.stdout
    env["WIJKINZICHT_MAP_TILES"] = "http://service.pdok.nl/{z}/{x}/{y}.png"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "WIJKINZICHT_MAP_TILES" in bad.stderr


def test_results_in_two_gemeenten_get_a_map_each_numbered_as_the_list(db, amsterdam_boundaries):
    """The demo's kaart spanned Amsterdam and Rotterdam: one map with two piles in two corners."""
    from wijkinzicht.activities.kaart import kaart_maps

    def activity(n, code, name, lat, lon):
        return types.SimpleNamespace(pk=n, title=f"A{n}", latitude=lat, longitude=lon,
                                     gemeente=types.SimpleNamespace(code=code, display_name=name))

    page = [activity(1, "GM0599", "Rotterdam", 51.92, 4.48),
            activity(2, "GM0363", "Amsterdam", 52.376, 4.9005),
            activity(3, "GM0363", "Amsterdam", 52.36, 4.88),
            activity(4, "GM0599", "Rotterdam", 51.90, 4.47),
            activity(5, "GM0363", "Amsterdam", None, None)]
    maps = kaart_maps(page, start=51)  # the second page of 50
    assert [m.title for m in maps] == ["Amsterdam", "Rotterdam"]  # the most activities first
    amsterdam, rotterdam = maps
    assert sorted(p.number for p in amsterdam.points) == [52, 53] and len(amsterdam.buurten) > 400
    assert sorted(p.number for p in rotterdam.points) == [51, 54] and rotterdam.buurten == []
    assert all(0 <= p.x <= m.width and 0 <= p.y <= m.height for m in maps for p in m.points)
