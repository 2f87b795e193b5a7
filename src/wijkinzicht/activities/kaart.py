"""The public sociale kaart: the query from request parameters and the open-data shape of an
activity (used by the page, the JSON feed and the CSV download alike)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from wijkinzicht.analysis.geometry import BBox, Projection, bbox_of, contains, overlaps, tiles_for
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.constants import AREA_CODE_RE, normalise_code

from .constants import Frequency, TargetGroup, Theme, Weekday
from .models import Activity
from .selectors import _POSTCODE_PREFIX_RE, KaartQuery

FEED_COLUMNS = [
    "id",
    "titel",
    "omschrijving",
    "organisatie",
    "partners",
    "type",
    "themas",
    "doelgroepen",
    "bewonersinitiatief",
    "frequentie",
    "dagen",
    "begintijd",
    "eindtijd",
    "startdatum",
    "einddatum",
    "locatie",
    "adres",
    "postcode",
    "plaats",
    "lat",
    "lon",
    "gebieden",
    "gemeente",
    "kosten",
    "gratis",
    "toegankelijkheid",
    "rolstoeltoegankelijk",
    "contactpersoon",
    "telefoon",
    "email",
    "website",
]


def kaart_query_from(params) -> tuple[KaartQuery, dict[str, list[str]]]:
    """Parse q, area, postcode, theme, targetGroup (or doelgroep), weekday (or dag), gratis."""
    errors: dict[str, list[str]] = {}
    query = KaartQuery(q=(params.get("q") or "").strip()[:100])
    area = (params.get("area") or params.get("gebied") or "").strip()
    if area:
        if AREA_CODE_RE.match(normalise_code(area)) and not normalise_code(area).startswith("NL"):
            query.area = normalise_code(area)
        elif normalise_code(area).startswith("NL"):
            errors["area"] = [_("Choose a gemeente, wijk or buurt; for the whole country choose nothing.")]
        else:
            errors["area"] = [_("“%(value)s” is not a CBS area code.") % {"value": area[:20]}]
    postcode = (params.get("postcode") or "").strip()
    if postcode:
        if _POSTCODE_PREFIX_RE.match(postcode):
            query.postcode = postcode
        else:
            errors["postcode"] = [_("Give a postcode such as 1102 or 1102 AB.")]
    theme = params.get("theme") or params.get("thema") or ""
    if theme:
        if theme in Theme.values:
            query.theme = theme
        else:
            errors["theme"] = [_("Unknown theme.")]
    group = params.get("targetGroup") or params.get("doelgroep") or ""
    if group:
        if group in TargetGroup.values:
            query.target_group = group
        else:
            errors["targetGroup"] = [_("Unknown target group.")]
    day = params.get("weekday") or params.get("dag") or ""
    if day:
        if day in ("1", "2", "3", "4", "5", "6", "7"):  # not str.isdigit(): "²" is a digit int() refuses
            query.weekday = int(day)
        else:
            errors["weekday"] = [_("A day is a number from 1 (Monday) to 7 (Sunday).")]
    query.free_only = (params.get("gratis") or "") in ("1", "ja", "true", "on")
    return query, errors


def feed_row(a: Activity) -> dict:
    """One published activity as open data; the keys are FEED_COLUMNS."""
    return {
        "id": a.pk,
        "titel": a.title,
        "omschrijving": a.description,
        "organisatie": a.organisation.name,
        "partners": ", ".join(
            [p.name for p in a.partners.all()] + ([a.informal_partners] if a.informal_partners else [])
        ),
        "type": a.kind,
        "themas": a.theme_list,
        "doelgroepen": a.target_group_list,
        "bewonersinitiatief": a.resident_led,
        "frequentie": a.frequency,
        "dagen": a.weekday_list,
        "begintijd": a.start_time.strftime("%H:%M") if a.start_time else None,
        "eindtijd": a.end_time.strftime("%H:%M") if a.end_time else None,
        "startdatum": a.start_date.isoformat() if a.start_date else None,
        "einddatum": a.end_date.isoformat() if a.end_date else None,
        "locatie": a.location_name,
        "adres": a.address,
        "postcode": a.postcode,
        "plaats": a.city,
        "lat": a.latitude,
        "lon": a.longitude,
        "gebieden": [x.code for x in a.areas.all()],
        "gemeente": a.gemeente.code if a.gemeente else None,
        "kosten": a.cost,
        "gratis": a.is_free,
        "toegankelijkheid": a.accessibility,
        "rolstoeltoegankelijk": a.wheelchair_accessible,
        "contactpersoon": a.contact_name,
        "telefoon": a.contact_phone,
        "email": a.contact_email,
        "website": a.website,
    }


def feed_csv_row(row: dict) -> list:
    out = []
    for key in FEED_COLUMNS:
        value = row[key]
        if isinstance(value, list):
            value = "|".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "ja" if value else "nee"
        out.append(value)
    return out


def schedule_text(a: Activity) -> str:
    """'every week on Tuesday and Thursday, 10:00–12:00' in the active language."""
    parts = [str(Frequency(a.frequency).label)] if a.frequency else []
    if a.weekdays:
        days = [str(Weekday(d).label).lower() for d in a.weekday_list]
        parts.append(
            _("on %(days)s")
            % {"days": _(" and ").join([", ".join(days[:-1]), days[-1]]) if len(days) > 1 else days[0]}
        )
    text = " ".join(parts)
    if a.start_time:
        end = f"–{a.end_time:%H:%M}" if a.end_time else ""
        text += f", {a.start_time:%H:%M}{end}"
    return text


class _KaartItemBase(serializers.Serializer):
    def to_representation(self, instance):
        return feed_row(instance)


def _feed_field(name: str) -> serializers.Field:
    if name == "id":
        return serializers.IntegerField()
    if name in ("lat", "lon"):
        return serializers.FloatField(allow_null=True)
    if name in ("bewonersinitiatief", "gratis", "rolstoeltoegankelijk"):
        return serializers.BooleanField()
    if name in ("themas", "doelgroepen", "gebieden"):
        return serializers.ListField(child=serializers.CharField())
    if name == "dagen":
        return serializers.ListField(child=serializers.IntegerField(), help_text="1 = maandag … 7 = zondag")
    return serializers.CharField(allow_null=True)


# The open-data shape, declared field by field so that the OpenAPI document describes it.
KaartItemSerializer = type(
    "KaartItemSerializer", (_KaartItemBase,), {n: _feed_field(n) for n in FEED_COLUMNS}
)


@dataclass
class MapPoint:
    number: int
    activity: Activity
    x: float
    y: float
    # where the activity really is when its marker was moved aside to stay readable (a leader
    # line is drawn from there); None when the marker stands on the spot
    anchor_x: float | None = None
    anchor_y: float | None = None
    buurt: str = ""  # the buurt it lies in, where boundaries are known


@dataclass
class MapCluster:
    """Markers too many for one spot: one marker with their count; the list has them all."""

    x: float
    y: float
    numbers: list[int]


@dataclass
class MapBuurt:
    name: str
    path: str


@dataclass
class MapTile:
    url: str
    x: float
    y: float
    width: float
    height: float


@dataclass
class KaartMap:
    width: float
    height: float
    buurten: list[MapBuurt]
    points: list[MapPoint]
    clusters: list[MapCluster] = field(default_factory=list)
    tiles: list[MapTile] = field(default_factory=list)
    attribution: str = ""
    title: str = ""  # the gemeente
    key: str = ""  # for element ids
    more: int = 0  # activities with coordinates in further gemeenten, not drawn (only in the list)


MARKER_R = 9  # px, as drawn
SPREAD_MAX = 6  # up to this many markers on one spot are spread in a ring; more become one cluster


def spread(points: list[MapPoint]) -> tuple[list[MapPoint], list[MapCluster]]:
    """No marker on top of another (issue 14: markers piled up): markers closer than two radii are
    grouped; a group of up to SPREAD_MAX is spread around its middle in a ring, each with a leader
    line to its real spot; a larger group becomes one cluster marker with its count."""
    groups: list[list[MapPoint]] = []
    for p in sorted(points, key=lambda p: p.number):
        for g in groups:
            cx, cy = sum(q.x for q in g) / len(g), sum(q.y for q in g) / len(g)
            if math.hypot(p.x - cx, p.y - cy) < 2 * MARKER_R:
                g.append(p)
                break
        else:
            groups.append([p])
    shown, clusters = [], []
    for g in groups:
        if len(g) == 1:
            shown.append(g[0])
            continue
        cx, cy = sum(q.x for q in g) / len(g), sum(q.y for q in g) / len(g)
        if len(g) > SPREAD_MAX:
            clusters.append(MapCluster(cx, cy, [q.number for q in g]))
            continue
        ring = MARKER_R * 2.2 / (2 * math.sin(math.pi / len(g)))  # neighbours on the ring do not touch
        for k, q in enumerate(g):
            angle = -math.pi / 2 + 2 * math.pi * k / len(g)
            q.anchor_x, q.anchor_y = q.x, q.y
            q.x, q.y = cx + ring * math.cos(angle), cy + ring * math.sin(angle)
            shown.append(q)
    return shown, clusters


MAX_MAPS = 4  # one map per gemeente, for the gemeenten with the most activities on the page


def kaart_maps(activities: list[Activity], *, start: int = 1) -> list[KaartMap]:
    """One map per gemeente of the activities with coordinates (the gemeenten with the most of them
    first, at most MAX_MAPS; the list stays the text alternative of them all): a map spanning
    Amsterdam and Rotterdam would show two piles in two corners (issue 14). Each map shows the
    gemeente's buurten with their names on hover and numbered markers (the numbers are those of
    the result list); a marker's label names its buurt. A background map only when configured
    (WIJKINZICHT_MAP_TILES). `start`: the number of the first activity in the list (page 2 starts
    at 51), so that a marker's number is its number in the list."""
    located = [
        (start + i, a) for i, a in enumerate(activities) if a.latitude is not None and a.longitude is not None
    ]
    groups: dict[str, list[tuple[int, Activity]]] = {}
    for n, a in located:
        groups.setdefault(a.gemeente.code if a.gemeente else "", []).append((n, a))
    order = sorted(groups, key=lambda code: (-len(groups[code]), code))
    maps = []
    for code in order[:MAX_MAPS]:
        title = next((a.gemeente.display_name for _n, a in groups[code] if a.gemeente), "")
        maps.append(_one_map(groups[code], code, title))
    if len(order) > MAX_MAPS:
        maps[-1].more = sum(len(groups[c]) for c in order[MAX_MAPS:])
    return maps


def kaart_map(activities: list[Activity]) -> KaartMap | None:
    """The map of the first gemeente (the detail page of one activity)."""
    maps = kaart_maps(activities)
    return maps[0] if maps else None


def _one_map(located: list[tuple[int, Activity]], gemeente_code: str, title: str) -> KaartMap:
    shapes = area_selectors.buurt_shapes(gemeente_code=gemeente_code) if gemeente_code else []
    xs = [a.longitude for _n, a in located]
    ys = [a.latitude for _n, a in located]
    pad = 0.005
    box = BBox(min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad)
    whole = bbox_of([s.polygons for s in shapes])
    if whole is not None and all(whole.min_x <= x <= whole.max_x and whole.min_y <= y <= whole.max_y
                                 for x, y in zip(xs, ys, strict=True)):
        box = whole  # the whole gemeente, when its activities lie within its buurten
    projection = Projection(box, width=640)
    drawn = [s for s in shapes if overlaps(s.bbox, box)]
    points = []
    for n, a in located:
        x, y = projection.point(a.longitude, a.latitude)
        point = MapPoint(n, a, x, y)
        spot = BBox(a.longitude, a.latitude, a.longitude, a.latitude)
        point.buurt = next((s.name for s in drawn
                            if overlaps(s.bbox, spot) and contains(s.polygons, a.longitude, a.latitude)), "")
        points.append(point)
    shown, clusters = spread(points)
    result = KaartMap(projection.width, projection.height,
                      [MapBuurt(s.name, projection.path(s.polygons)) for s in drawn], shown, clusters,
                      title=title, key=gemeente_code or "elders")
    template = settings.MAP_TILES
    if template:
        result.attribution = settings.MAP_TILES_ATTRIBUTION
        for t in tiles_for(projection):
            url = template.replace("{z}", str(t.z)).replace("{x}", str(t.x)).replace("{y}", str(t.y))
            result.tiles.append(MapTile(url, t.left, t.top, t.width, t.height))
    return result
