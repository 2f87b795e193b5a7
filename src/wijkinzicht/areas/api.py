"""REST API of areas and indicators (/api/v1, no trailing slash, problem+json errors)."""

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkinzicht.core.api import bad_request

from . import selectors
from .constants import AreaLevel, ObservationStatus
from .models import Area, Indicator, Observation


class AreaSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", default=None, read_only=True, allow_null=True)
    firstYear = serializers.IntegerField(source="first_year", read_only=True, allow_null=True)  # noqa: N815
    lastYear = serializers.IntegerField(source="last_year", read_only=True, allow_null=True)  # noqa: N815
    hasBoundary = serializers.SerializerMethodField()  # noqa: N815

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "firstYear", "lastYear", "hasBoundary"]

    def get_hasBoundary(self, obj) -> bool:  # noqa: N802
        has = getattr(obj, "has_boundary", None)
        return bool(obj.geometry) if has is None else has


class AreaDetailSerializer(AreaSerializer):
    children = serializers.SerializerMethodField()

    class Meta(AreaSerializer.Meta):
        fields = [*AreaSerializer.Meta.fields, "children"]

    def get_children(self, obj) -> list[str]:
        return list(obj.children.order_by("code").values_list("code", flat=True))


class IndicatorSerializer(serializers.ModelSerializer):
    labelNl = serializers.CharField(source="label_nl")  # noqa: N815
    labelEn = serializers.CharField(source="label_en")  # noqa: N815
    keyFigure = serializers.BooleanField(source="is_key_figure")  # noqa: N815

    class Meta:
        model = Indicator
        fields = ["key", "labelNl", "labelEn", "unit", "category", "direction", "decimals",
                  "source", "keyFigure"]


def _area(code: str) -> Area:
    try:
        return selectors.area_get(code=code)
    except Area.DoesNotExist as exc:
        raise Http404 from exc


@extend_schema(parameters=[
    OpenApiParameter("level", str, enum=[c for c, _ in AreaLevel.choices]),
    OpenApiParameter("parent", str, description="CBS code of the parent area"),
    OpenApiParameter("search", str, description="Part of the name, or the start of a code"),
])
class AreaListView(generics.ListAPIView):
    """Areas of the CBS hierarchy."""

    serializer_class = AreaSerializer

    def list(self, request, *args, **kwargs):
        level = request.query_params.get("level")
        if level and level not in AreaLevel.values:
            return bad_request("level", f"must be one of {', '.join(AreaLevel.values)}")
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return selectors.area_search(q=p.get("search", ""), level=p.get("level") or None,
                                     parent=p.get("parent") or None).defer(
            "geometry", "parent__geometry").annotate(
            has_boundary=ExpressionWrapper(~Q(geometry=""), output_field=BooleanField()))


class AreaDetailView(APIView):
    """One area with its children."""

    @extend_schema(responses=AreaDetailSerializer)
    def get(self, request, code):
        return Response(AreaDetailSerializer(_area(code)).data)


class ObservationSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)
    status = serializers.ChoiceField(choices=ObservationStatus.choices)


class ObservationListView(APIView):
    """Figures of one area; `value` is null with status `secret` where CBS published '.'."""

    @extend_schema(
        parameters=[OpenApiParameter("indicator", str, description="Indicator key"),
                    OpenApiParameter("year", int)],
        responses=ObservationSerializer(many=True),
    )
    def get(self, request, code):
        area = _area(code)
        qs = Observation.objects.filter(area=area)
        key = request.query_params.get("indicator")
        if key:
            if not Indicator.objects.filter(key=key).exists():
                return bad_request("indicator", f"unknown indicator {key!r}; see /api/v1/indicators")
            qs = qs.filter(indicator__key=key)
        year = request.query_params.get("year")
        if year:
            if not (year.isascii() and year.isdigit()) or not 1800 <= int(year) <= 2200:
                return bad_request("year", "must be a year such as 2017")
            qs = qs.filter(year=int(year))
        rows = qs.order_by("indicator__sort_order", "year").values_list(
            "indicator__key", "year", "value", "status")
        return Response([{"indicator": k, "year": y, "value": v, "status": s}
                         for k, y, v, s in rows])


class IndicatorListView(generics.ListAPIView):
    """The indicators with their stable keys."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.all()
    pagination_class = None


class ComparableView(APIView):
    """The k nearest areas of the same level on standardised indicators (the donor pool)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("indicators", str, description="Comma-separated indicator keys"),
            OpenApiParameter("year", int), OpenApiParameter("k", int),
            OpenApiParameter("within", str, description="CBS code of a gemeente or wijk"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, code):
        area = _area(code)
        p = request.query_params
        keys, year = selectors.comparable_defaults(area=area)
        if p.get("indicators"):
            keys = [k.strip() for k in p["indicators"].split(",") if k.strip()]
            known = set(Indicator.objects.filter(key__in=keys).values_list("key", flat=True))
            unknown = [k for k in keys if k not in known]
            if unknown:
                return bad_request("indicators", f"unknown indicator(s): {', '.join(unknown)}")
        if p.get("year"):
            if not (p["year"].isascii() and p["year"].isdigit()):
                return bad_request("year", "must be a year such as 2017")
            year = int(p["year"])
        k = 10
        if p.get("k"):
            if not (p["k"].isascii() and p["k"].isdigit()) or not 1 <= int(p["k"]) <= 100:
                return bad_request("k", "must be a whole number from 1 to 100")
            k = int(p["k"])
        within = None
        if p.get("within"):
            try:
                within = selectors.area_get(code=p["within"])
            except Area.DoesNotExist:
                return bad_request("within", f"unknown area {p['within']!r}")
            if not selectors.lies_within(area=area, within=within):
                return bad_request("within", f"{area.code} does not lie within {within.code}")
        if not keys or year is None:
            return bad_request("indicators", "this area has no figures to compare on")
        try:
            c = selectors.comparable_areas(area=area, indicator_keys=keys, year=year, k=k,
                                           within=within)
        except ValueError:
            return bad_request("indicators", f"{area.code} has no known value for every "
                               f"indicator in {year}")
        return Response({
            "area": area.code, "year": year, "indicators": keys,
            "candidates": c.result.candidates, "excludedMissing": c.result.excluded_missing,
            "values": c.result.target_values,
            "neighbours": [{
                "code": n.unit, "name": c.areas[n.unit].name if n.unit in c.areas else "",
                "distance": round(n.distance, 4),
                "values": {key: v for key, (v, _) in n.differences.items()},
                "differencesSd": {key: round(d, 4) for key, (_, d) in n.differences.items()},
                "mostSimilarOn": n.most_similar(),
            } for n in c.result.neighbours],
        })
