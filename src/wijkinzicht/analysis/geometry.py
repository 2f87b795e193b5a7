"""GeoJSON polygons: simplification for storage and projection to SVG paths for maps."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Ring = list[tuple[float, float]]


def polygons_of(geometry: dict) -> list[list[Ring]]:
    """The polygons (each a list of rings) of a Polygon or MultiPolygon geometry."""
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind == "Polygon":
        polys = [coords]
    elif kind == "MultiPolygon":
        polys = coords
    else:
        raise ValueError(f"geometry type {kind!r} is not Polygon or MultiPolygon")
    out = []
    for poly in polys:
        rings = []
        for ring in poly:
            pts = [(float(p[0]), float(p[1])) for p in ring]
            if len(pts) < 4:
                raise ValueError("a ring needs at least four positions")
            for x, y in pts:
                if not (-180 <= x <= 180 and -90 <= y <= 90):
                    raise ValueError(f"position {x}, {y} is not WGS84 longitude/latitude")
            rings.append(pts)
        out.append(rings)
    return out


def _perp_distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify_ring(ring: Sequence[tuple[float, float]], tolerance: float) -> Ring:
    """Douglas–Peucker on a closed ring; keeps at least four positions (a triangle, closed)."""
    pts = list(ring)
    if len(pts) <= 4:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    # Split a closed ring at its farthest point from the start so both halves are open lines.
    far = max(range(1, len(pts) - 1), key=lambda i: math.hypot(pts[i][0] - pts[0][0], pts[i][1] - pts[0][1]))
    keep[far] = True
    stack = [(0, far), (far, len(pts) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, best_d = -1, tolerance
        for i in range(lo + 1, hi):
            d = _perp_distance(pts[i], pts[lo], pts[hi])
            if d > best_d:
                best, best_d = i, d
        if best >= 0:
            keep[best] = True
            stack.extend([(lo, best), (best, hi)])
    out = [p for p, k in zip(pts, keep, strict=True) if k]
    if len(out) < 4:
        step = max(1, (len(pts) - 1) // 3)
        out = [pts[0], pts[step], pts[2 * step], pts[-1]]
    return out


def simplify_geometry(geometry: dict, tolerance: float = 0.00003, digits: int = 6) -> dict:
    """A MultiPolygon with simplified rings and rounded coordinates (about 3 m tolerance)."""
    polys = []
    for rings in polygons_of(geometry):
        polys.append(
            [[[round(x, digits), round(y, digits)] for x, y in simplify_ring(r, tolerance)] for r in rings]
        )
    return {"type": "MultiPolygon", "coordinates": polys}


@dataclass(frozen=True)
class BBox:
    min_x: float
    min_y: float
    max_x: float
    max_y: float


def bbox_of(polygon_sets: Iterable[list[list[Ring]]]) -> BBox | None:
    xs: list[float] = []
    ys: list[float] = []
    for polys in polygon_sets:
        for rings in polys:
            for x, y in rings[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        return None
    return BBox(min(xs), min(ys), max(xs), max(ys))


class Projection:
    """Equirectangular projection with cos(latitude) scaling, fitted to a width in pixels."""

    def __init__(self, bbox: BBox, width: float = 640.0, margin: float = 4.0):
        mid_lat = math.radians((bbox.min_y + bbox.max_y) / 2)
        self.kx = math.cos(mid_lat)
        span_x = max((bbox.max_x - bbox.min_x) * self.kx, 1e-9)
        span_y = max(bbox.max_y - bbox.min_y, 1e-9)
        self.scale = (width - 2 * margin) / span_x
        self.bbox = bbox
        self.margin = margin
        self.width = width
        self.height = span_y * self.scale + 2 * margin

    def point(self, x: float, y: float) -> tuple[float, float]:
        px = (x - self.bbox.min_x) * self.kx * self.scale + self.margin
        py = (self.bbox.max_y - y) * self.scale + self.margin
        return px, py

    def path(self, polygons: list[list[Ring]]) -> str:
        """An SVG path 'd' attribute for the polygons (even-odd holes)."""
        parts = []
        for rings in polygons:
            for ring in rings:
                pts = [self.point(x, y) for x, y in ring]
                parts.append("M" + "L".join(f"{px:.1f},{py:.1f}" for px, py in pts) + "Z")
        return "".join(parts)


def _vertices(polys: list[list[Ring]]) -> list[tuple[float, float]]:
    return [p for rings in polys for ring in rings for p in ring]


def borders(a: list[list[Ring]], b: list[list[Ring]], *, within_m: float = 30.0) -> bool:
    """Whether two areas touch: some boundary vertex of one lies within ``within_m`` metres of a
    boundary vertex of the other. Boundaries are simplified, so shared edges keep close vertices;
    distances use a local equirectangular approximation (error well under 1% in the Netherlands)."""
    va, vb = _vertices(a), _vertices(b)
    if not va or not vb:
        return False
    lat = math.radians(sum(y for _, y in va) / len(va))
    kx, ky = 111_320.0 * math.cos(lat), 110_574.0
    box = bbox_of([a])
    other = bbox_of([b])
    margin_x, margin_y = within_m / kx, within_m / ky
    if (
        other.min_x > box.max_x + margin_x
        or other.max_x < box.min_x - margin_x
        or other.min_y > box.max_y + margin_y
        or other.max_y < box.min_y - margin_y
    ):
        return False
    limit = within_m * within_m
    near = [
        (x, y)
        for x, y in vb
        if box.min_x - margin_x <= x <= box.max_x + margin_x
        and box.min_y - margin_y <= y <= box.max_y + margin_y
    ]
    for x, y in near:
        for u, v in va:
            dx, dy = (x - u) * kx, (y - v) * ky
            if dx * dx + dy * dy <= limit:
                return True
    return False


def contains(polygons: list[list[Ring]], x: float, y: float) -> bool:
    """Whether the point lies inside the polygons (even-odd rule over every ring, so holes count)."""
    inside = False
    for rings in polygons:
        for ring in rings:
            n = len(ring)
            for i in range(n):
                (x1, y1), (x2, y2) = ring[i], ring[(i + 1) % n]
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def overlaps(a: BBox, b: BBox) -> bool:
    return a.min_x <= b.max_x and b.min_x <= a.max_x and a.min_y <= b.max_y and b.min_y <= a.max_y


@dataclass(frozen=True)
class Tile:
    """A web-map tile placed on a Projection: where to draw it and its z/x/y."""

    z: int
    x: int
    y: int
    left: float
    top: float
    width: float
    height: float


def _tile_lon(x: int, z: int) -> float:
    return x / 2 ** z * 360.0 - 180.0


def _tile_lat(y: int, z: int) -> float:
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2 ** z))))


def tiles_for(projection: Projection, *, tile_px: int = 256, most: int = 64) -> list[Tile]:
    """The Web Mercator (XYZ) tiles that cover the projection's box, at the zoom whose tiles come
    closest to their natural size on the drawing, each placed by projecting its corners -- within a
    tile of a city-sized map the difference between Mercator and this projection is far below a
    pixel. At most `most` tiles (a zoom level lower when more would be needed)."""
    box = projection.bbox
    lon_span = max(box.max_x - box.min_x, 1e-9)
    px_per_degree = (projection.width - 2 * projection.margin) / lon_span
    z = max(0, min(19, round(math.log2(px_per_degree * 360.0 / tile_px))))

    def index(lon: float, lat: float, zoom: int) -> tuple[int, int]:
        n = 2 ** zoom
        lat_r = math.radians(max(min(lat, 85.05), -85.05))
        tx = int((lon + 180.0) / 360.0 * n)
        ty = int((1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n)
        return min(max(tx, 0), n - 1), min(max(ty, 0), n - 1)

    while True:
        x0, y0 = index(box.min_x, box.max_y, z)
        x1, y1 = index(box.max_x, box.min_y, z)
        if (x1 - x0 + 1) * (y1 - y0 + 1) <= most or z == 0:
            break
        z -= 1
    tiles = []
    for tx in range(x0, x1 + 1):
        for ty in range(y0, y1 + 1):
            left, top = projection.point(_tile_lon(tx, z), _tile_lat(ty, z))
            right, bottom = projection.point(_tile_lon(tx + 1, z), _tile_lat(ty + 1, z))
            tiles.append(Tile(z, tx, ty, left, top, right - left, bottom - top))
    return tiles
