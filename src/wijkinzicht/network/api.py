"""REST API of the network (/api/v1): parties, ties, and the network of an area in aggregate.

Tenancy (decision 0024): parties are public (name, kind, areas, contact, description); a tie is seen
in full by its two ends (and by the organisation that added an informal end), its private note only
by the organisation that declared it; the partners in an area see the area's network as measures per
party and for the whole, never the individual tie records. Ties of other organisations answer 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkinzicht.analysis import network as analysis
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.api import MAX_ID
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for
from wijkinzicht.parties import selectors as party_selectors
from wijkinzicht.parties.constants import OrganisationKind
from wijkinzicht.parties.models import Organisation

from . import selectors, services
from .constants import EDIT_ROLES, TieKind
from .forms import EARLIEST, LATEST
from .models import Party, Tie

ID = {"min_value": 1, "max_value": MAX_ID}


def _organisation_for_write(request, organisation_id: int | None) -> Organisation:
    ids = organisation_ids_for(request.user, roles=EDIT_ROLES)
    if not ids:
        raise TenancyError("no editing role in any organisation")
    if organisation_id is None:
        if len(ids) != 1:
            raise serializers.ValidationError({"organisation": [_("give the organisation (id)")]})
        organisation_id = next(iter(ids))
    if organisation_id not in ids:
        raise TenancyError("not an editing member")
    return Organisation.objects.get(pk=organisation_id)


def _check_date(value: dt.date | None) -> dt.date | None:
    if value is not None and not EARLIEST <= value <= LATEST:
        raise serializers.ValidationError(_("choose a date between 1990 and 2100"))
    return value


def _input_error(exc: services.NetworkInputError) -> serializers.ValidationError:
    """The service's message under the API's field name (the message itself names it in Dutch)."""
    if not exc.field:
        return serializers.ValidationError({"nonFieldErrors": [str(exc)]})
    return serializers.ValidationError({exc.field: [str(exc).partition(": ")[2] or str(exc)]})


# ------------------------------------------------------------------ parties


class PartySerializer(serializers.ModelSerializer):
    isFormal = serializers.BooleanField(source="is_formal", read_only=True)  # noqa: N815
    areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    organisation = serializers.IntegerField(
        source="organisation_id",
        read_only=True,
        allow_null=True,
        help_text="The organisation of the foundation this party is, if any.",
    )
    mergedInto = serializers.IntegerField(source="merged_into_id", read_only=True, allow_null=True)  # noqa: N815

    class Meta:
        model = Party
        fields = [
            "id",
            "name",
            "kind",
            "isFormal",
            "areas",
            "contact",
            "description",
            "organisation",
            "mergedInto",
        ]


class PartyCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, help_text="Your organisation that adds it.", **ID)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    areas = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        max_length=200,
        help_text="CBS codes of the areas served.",
    )
    contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class PartyCreatedSerializer(PartySerializer):
    likelyDuplicates = serializers.SerializerMethodField()  # noqa: N815

    class Meta(PartySerializer.Meta):
        fields = [*PartySerializer.Meta.fields, "likelyDuplicates"]

    def get_likelyDuplicates(self, obj) -> list[int]:  # noqa: N802
        return [p.pk for p in services.likely_duplicates(obj)]


def _areas(codes: list[str]) -> list[Area]:
    found = area_selectors.areas_by_code(codes=[c.strip().upper() for c in codes])
    missing = [c for c in codes if c.strip().upper() not in found]
    if missing:
        raise serializers.ValidationError(
            {"areas": [_("unknown area code: %(code)s") % {"code": missing[0]}]}
        )
    return list(found.values())


class PartyListView(generics.ListCreateAPIView):
    """Parties in the network (public fields); ?area=CODE: the parties serving that area. POST adds an
    informal party your organisation works with; the answer lists likely duplicates to merge."""

    serializer_class = PartySerializer

    def get_queryset(self):
        qs = Party.objects.filter(merged_into=None).prefetch_related("areas").order_by("name", "pk")
        code = self.request.query_params.get("area")
        if code:
            try:
                area = area_selectors.area_get(code=code[:12])
            except Area.DoesNotExist:
                raise exceptions.ValidationError({"area": [_("unknown area code")]}) from None
            qs = selectors.area_parties(area=area).prefetch_related("areas").order_by("name", "pk")
        return qs

    @extend_schema(
        parameters=[OpenApiParameter("area", OpenApiTypes.STR, description="CBS code: parties serving it")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PartyCreateSerializer, responses={201: PartyCreatedSerializer})
    def post(self, request, *args, **kwargs):
        serializer = PartyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _organisation_for_write(request, data.get("organisation"))
        try:
            party = services.party_create(
                user=request.user,
                organisation=organisation,
                name=data["name"],
                kind=data["kind"],
                areas=_areas(data.get("areas", [])),
                contact=data.get("contact", ""),
                description=data.get("description", ""),
            )
        except services.NetworkInputError as exc:
            raise _input_error(exc) from exc
        return Response(PartyCreatedSerializer(party).data, status=status.HTTP_201_CREATED)


class PartyDetailView(generics.RetrieveAPIView):
    """One party (public fields)."""

    serializer_class = PartySerializer
    queryset = Party.objects.prefetch_related("areas")


# ------------------------------------------------------------------ ties


class TieSerializer(serializers.ModelSerializer):
    source = serializers.IntegerField(source="source_id", read_only=True)
    target = serializers.IntegerField(source="target_id", read_only=True)
    areas = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    status = serializers.SerializerMethodField(
        help_text="confirmed, disputed or unanswered by the other end (for an informal party: the "
        "organisation that added it); one-sided when nobody but the declarer speaks for the other end; "
        "derived from records."
    )
    declaredBy = serializers.IntegerField(source="declared_by_id", read_only=True, allow_null=True)  # noqa: N815
    note = serializers.SerializerMethodField(help_text="Private: empty unless your organisation declared it.")

    class Meta:
        model = Tie
        fields = [
            "id",
            "source",
            "target",
            "kind",
            "directed",
            "strength",
            "since",
            "until",
            "areas",
            "origin",
            "status",
            "declaredBy",
            "note",
        ]

    def get_status(self, obj) -> str:
        return services.tie_status(obj)

    def get_note(self, obj) -> str:
        own = self.context.get("organisations", set())
        return obj.note if obj.declared_by_id in own else ""


class TieCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, help_text="Your organisation that declares it.", **ID
    )
    source = serializers.IntegerField(help_text="Party id (the giver for a referral or funding).", **ID)
    target = serializers.IntegerField(help_text="Party id.", **ID)
    kind = serializers.ChoiceField(choices=TieKind.choices)
    since = serializers.DateField(validators=[_check_date])
    until = serializers.DateField(
        required=False, allow_null=True, validators=[_check_date], help_text="First day without the tie."
    )
    strength = serializers.IntegerField(required=False, min_value=1, max_value=3)
    directed = serializers.BooleanField(required=False, allow_null=True)
    areas = serializers.ListField(child=serializers.CharField(max_length=12), required=False, max_length=200)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class TieAnswerSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, **ID)
    confirm = serializers.BooleanField(
        help_text="true confirms the tie, false disputes it (it stays, marked)."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TieEndSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, **ID)
    until = serializers.DateField(validators=[_check_date], help_text="First day without the tie.")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


def _context(request) -> dict:
    return {"organisations": organisation_ids_for(request.user)}


class TieListView(generics.ListCreateAPIView):
    """Ties of your organisations (and of the informal parties they added); POST declares one."""

    serializer_class = TieSerializer

    def get_queryset(self):
        return (
            selectors.ties_for_user(user=self.request.user)
            .prefetch_related("areas", "events")
            .order_by("-since", "pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_context(self.request)}

    @extend_schema(request=TieCreateSerializer, responses={201: TieSerializer})
    def post(self, request, *args, **kwargs):
        serializer = TieCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _organisation_for_write(request, data.get("organisation"))
        ends = {p.pk: p for p in Party.objects.filter(pk__in=[data["source"], data["target"]])}
        for field in ("source", "target"):
            if data[field] not in ends:
                raise serializers.ValidationError({field: [_("no such party")]})
        try:
            tie = services.tie_declare(
                user=request.user,
                organisation=organisation,
                source=ends[data["source"]],
                target=ends[data["target"]],
                kind=data["kind"],
                since=data["since"],
                until=data.get("until"),
                strength=data.get("strength", 2),
                directed=data.get("directed"),
                areas=_areas(data.get("areas", [])),
                note=data.get("note", ""),
            )
        except services.NetworkInputError as exc:
            raise _input_error(exc) from exc
        return Response(TieSerializer(tie, context=_context(request)).data, status=status.HTTP_201_CREATED)


def _tie(request, pk: int) -> Tie:
    tie = selectors.ties_for_user(user=request.user).filter(pk=pk).first()
    if tie is None:
        raise Http404
    return tie


class TieDetailView(generics.RetrieveAPIView):
    """One tie of your organisations."""

    serializer_class = TieSerializer

    def get_object(self):
        return _tie(self.request, self.kwargs["pk"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_context(self.request)}


class TieAnswerView(APIView):
    """The other end confirms or disputes a tie declared with it (a disputed tie stays, marked)."""

    @extend_schema(request=TieAnswerSerializer, responses={200: TieSerializer})
    def post(self, request, pk):
        tie = _tie(request, pk)
        serializer = TieAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _organisation_for_write(request, data.get("organisation"))
        services.tie_respond(
            user=request.user,
            organisation=organisation,
            tie=tie,
            confirm=data["confirm"],
            note=data.get("note", ""),
        )
        return Response(TieSerializer(tie, context=_context(request)).data)


class TieEndView(APIView):
    """Either end records the first day without the tie; it stays in the history."""

    @extend_schema(request=TieEndSerializer, responses={200: TieSerializer})
    def post(self, request, pk):
        tie = _tie(request, pk)
        serializer = TieEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _organisation_for_write(request, data.get("organisation"))
        try:
            services.tie_end(
                user=request.user,
                organisation=organisation,
                tie=tie,
                until=data["until"],
                note=data.get("note", ""),
            )
        except services.NetworkInputError as exc:
            raise _input_error(exc) from exc
        return Response(TieSerializer(tie, context=_context(request)).data)


# ------------------------------------------------------------------ the network of an area


class NetworkQuerySerializer(serializers.Serializer):
    area = serializers.CharField(max_length=12, help_text="CBS code of the area.")
    date = serializers.DateField(required=False, validators=[_check_date], help_text="Default: today.")


NODES = inline_serializer(
    "NetworkNode",
    many=True,
    fields={
        "id": serializers.CharField(),
        "name": serializers.CharField(),
        "formal": serializers.BooleanField(),
        "kind": serializers.CharField(),
        "degree": serializers.IntegerField(),
        "weighted_degree": serializers.FloatField(),
        "betweenness": serializers.FloatField(),
        "closeness": serializers.FloatField(),
        "constraint": serializers.FloatField(allow_null=True),
        "effective_size": serializers.FloatField(allow_null=True),
        "community": serializers.IntegerField(),
        "brokerage": serializers.DictField(child=serializers.IntegerField(), required=False),
        "brokerage_z": serializers.DictField(child=serializers.FloatField(allow_null=True), required=False),
    },
)


class NetworkView(APIView):
    """The network of an area on a date, for the partners in the area: measures per party and for the
    whole, and the findings -- not the individual ties (GET /api/v1/ties has your own)."""

    @extend_schema(
        parameters=[NetworkQuerySerializer],
        responses={
            200: inline_serializer(
                "AreaNetwork",
                {
                    "area": serializers.CharField(),
                    "date": serializers.DateField(),
                    "nodes": NODES,
                    "graph": serializers.DictField(),
                    "findings": serializers.ListField(child=serializers.DictField()),
                },
            )
        },
    )
    def get(self, request):
        query = NetworkQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            area = area_selectors.area_get(code=query.validated_data["area"])
        except Area.DoesNotExist:
            raise exceptions.ValidationError({"area": [_("unknown area code")]}) from None
        if not party_selectors.serves_area(user=request.user, area=area):
            raise TenancyError("not a partner in the area")
        at = query.validated_data.get("date") or dt.date.today()
        network = selectors.network_at(area=area, at=at, derived=True)
        result = analysis.metrics(network)
        return Response({"area": area.code, "date": at, **result})


class PartyMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text="Id of the party it turned out to be.", **ID)


class PartyMergeView(APIView):
    """The party (an informal one your organisation added) turns out to be another: its ties move
    there, each with an event, and it points there from now on. Coordinators and administrators."""

    @extend_schema(request=PartyMergeSerializer, responses={200: PartySerializer})
    def post(self, request, pk):
        duplicate = Party.objects.filter(pk=pk).first()
        if duplicate is None:
            raise Http404
        if not services.may_merge(request.user, duplicate):
            raise TenancyError("only the organisation that added a party merges it")
        serializer = PartyMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        keep = Party.objects.filter(pk=serializer.validated_data["into"]).first()
        if keep is None:
            raise serializers.ValidationError({"into": [_("no such party")]})
        try:
            services.party_merge(user=request.user, keep=keep, duplicate=duplicate)
        except services.NetworkInputError as exc:
            raise _input_error(exc) from exc
        return Response(PartySerializer(keep).data)
