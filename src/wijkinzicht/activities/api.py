"""REST API of activities, meetings, participants, imports and reach (/api/v1).

Serializers parse and type-check; the services apply the rules and tenancy. Records of another
organisation answer 404 (their existence is not confirmed), writes for an organisation you are
not a registering member of answer 403. The sociale kaart feed is public.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core import processing
from wijkinzicht.core.api import id_param
from wijkinzicht.core.openapi import LocalTimeField, OptionalEmailField, OptionalURLField
from wijkinzicht.core.tabular import TableError
from wijkinzicht.core.tenancy import TenancyError, organisation_ids_for
from wijkinzicht.parties.models import Organisation

from . import importers, reach, selectors, services
from .constants import (
    REGISTER_ROLES,
    ActivityKind,
    Frequency,
    ImportKind,
    ImportMode,
    ImportStatus,
    TargetGroup,
    Theme,
)
from .kaart import KaartItemSerializer, kaart_query_from
from .models import Activity, ImportBatch, Meeting, Participant


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def call_service(fn, **kwargs):
    """Run a service; its per-field errors become a 400 with camelCase field names."""
    try:
        return fn(**kwargs)
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError({_camel(k): v for k, v in exc.message_dict.items()}) from exc
        raise serializers.ValidationError(exc.messages) from exc


def _organisation_for_write(request, organisation_id: int | None) -> Organisation:
    ids = organisation_ids_for(request.user, roles=REGISTER_ROLES)
    if organisation_id is None:
        if len(ids) != 1:
            raise serializers.ValidationError({"organisation": ["Geef de organisatie op (id)."]})
        organisation_id = next(iter(ids))
    if organisation_id not in ids:
        raise TenancyError("not a registering member")
    return Organisation.objects.get(pk=organisation_id)


# ------------------------------------------------------------------ activities

ACTIVITY_API_FIELDS = {
    "title": "title",
    "description": "description",
    "kind": "kind",
    "themes": "themes",
    "targetGroups": "target_groups",
    "residentLed": "resident_led",
    "startDate": "start_date",
    "endDate": "end_date",
    "frequency": "frequency",
    "weekdays": "weekdays",
    "startTime": "start_time",
    "endTime": "end_time",
    "locationName": "location_name",
    "address": "address",
    "postcode": "postcode",
    "city": "city",
    "latitude": "latitude",
    "longitude": "longitude",
    "cost": "cost",
    "isFree": "is_free",
    "accessibility": "accessibility",
    "wheelchairAccessible": "wheelchair_accessible",
    "contactName": "contact_name",
    "contactPhone": "contact_phone",
    "contactEmail": "contact_email",
    "website": "website",
    "isPublished": "is_published",
    "informalPartners": "informal_partners",
}


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(required=False, help_text="Id of the lead organisation.")
    organisationName = serializers.CharField(source="organisation.name", read_only=True)  # noqa: N815
    code = serializers.CharField(required=False, allow_blank=True, max_length=60)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    themes = serializers.ListField(child=serializers.ChoiceField(choices=Theme.choices), required=False)
    targetGroups = serializers.ListField(  # noqa: N815
        child=serializers.ChoiceField(choices=TargetGroup.choices), required=False
    )
    residentLed = serializers.BooleanField(required=False)  # noqa: N815
    startDate = serializers.DateField(required=False, allow_null=True)  # noqa: N815
    endDate = serializers.DateField(required=False, allow_null=True)  # noqa: N815
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    weekdays = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=7), required=False)
    startTime = LocalTimeField(required=False, allow_null=True)  # noqa: N815
    endTime = LocalTimeField(required=False, allow_null=True)  # noqa: N815
    locationName = serializers.CharField(required=False, allow_blank=True, max_length=200)  # noqa: N815
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    areas = serializers.ListField(
        child=serializers.CharField(max_length=12),
        required=False,
        help_text="CBS codes of buurten or wijken, in one gemeente.",
    )
    gemeente = serializers.CharField(source="gemeente.code", read_only=True, default=None, allow_null=True)
    cost = serializers.CharField(required=False, allow_blank=True, max_length=120)
    isFree = serializers.BooleanField(required=False)  # noqa: N815
    accessibility = serializers.CharField(required=False, allow_blank=True, max_length=300)
    wheelchairAccessible = serializers.BooleanField(required=False)  # noqa: N815
    contactName = serializers.CharField(required=False, allow_blank=True, max_length=120)  # noqa: N815
    contactPhone = serializers.CharField(required=False, allow_blank=True, max_length=30)  # noqa: N815
    contactEmail = OptionalEmailField()  # noqa: N815
    website = OptionalURLField()
    isPublished = serializers.BooleanField(required=False)  # noqa: N815
    partners = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        help_text="Ids of registered partner organisations.",
    )
    informalPartners = serializers.CharField(required=False, allow_blank=True, max_length=300)  # noqa: N815

    def to_representation(self, obj: Activity):
        data = {
            "id": obj.pk,
            "organisation": obj.organisation_id,
            "organisationName": obj.organisation.name,
            "code": obj.code,
            "areas": [a.code for a in obj.areas.all()],
            "gemeente": obj.gemeente.code if obj.gemeente else None,
            "partners": [p.pk for p in obj.partners.all()],
        }
        for api_name, field in ACTIVITY_API_FIELDS.items():
            value = getattr(obj, field)
            if field in ("themes", "target_groups"):
                value = [p for p in value.strip(",").split(",") if p]
            elif field == "weekdays":
                value = [int(d) for d in value]
            elif isinstance(value, dt.date | dt.time):
                value = value.isoformat()
            elif api_name in ("contactEmail", "website"):
                value = value or None  # none given: null, as the schema's email/uri formats admit no ""
            data[api_name] = value
        return data

    @staticmethod
    def service_fields(data: dict) -> dict:
        return {ACTIVITY_API_FIELDS[k]: v for k, v in data.items() if k in ACTIVITY_API_FIELDS}


class ActivityListView(generics.ListCreateAPIView):
    """Activities led by your organisations; POST creates one (fieldworker, coordinator, administrator)."""

    serializer_class = ActivitySerializer

    def get_queryset(self):
        return selectors.activities_for_user(user=self.request.user).prefetch_related("areas", "partners")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = _organisation_for_write(request, data.pop("organisation", None))
        activity = call_service(
            services.activity_create,
            user=request.user,
            organisation=organisation,
            code=data.pop("code", ""),
            area_codes=data.pop("areas", []),
            partner_ids=data.pop("partners", []),
            **ActivitySerializer.service_fields(data),
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(generics.RetrieveUpdateAPIView):
    """One activity of your organisations; PATCH changes the given fields."""

    serializer_class = ActivitySerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        try:
            return selectors.activity_get(user=self.request.user, pk=self.kwargs["pk"])
        except Activity.DoesNotExist as exc:
            raise Http404 from exc

    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = self.get_serializer(activity, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("organisation", None)
        data.pop("code", None)
        activity = call_service(
            services.activity_update,
            user=request.user,
            activity=activity,
            area_codes=data.pop("areas", None),
            partner_ids=data.pop("partners", None),
            **ActivitySerializer.service_fields(data),
        )
        return Response(ActivitySerializer(activity).data)


# ------------------------------------------------------------------ participants


class ParticipantSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    organisation = serializers.IntegerField(source="organisation_id", required=False)
    participantId = serializers.CharField(source="pseudonym", max_length=40)  # noqa: N815
    birthYear = serializers.IntegerField(source="birth_year", required=False, allow_null=True)  # noqa: N815
    homeBuurt = serializers.CharField(
        source="home_buurt.code",
        required=False,
        allow_null=True,  # noqa: N815
        allow_blank=True,
    )
    consentDate = serializers.DateField(source="consent_date", required=False, allow_null=True)  # noqa: N815

    class Meta:
        model = Participant
        fields = [
            "id",
            "organisation",
            "participantId",
            "birthYear",
            "gender",
            "homeBuurt",
            "consent",
            "consentDate",
        ]
        extra_kwargs = {"gender": {"required": False}, "consent": {"required": False}}

    def validate(self, attrs):
        return attrs  # the rules are the service's


def _participant_kwargs(data: dict) -> dict:
    return {
        "birth_year": data.get("birth_year"),
        "gender": data.get("gender", ""),
        "home_buurt_code": (data.get("home_buurt") or {}).get("code"),
        "consent": data.get("consent", False),
        "consent_date": data.get("consent_date"),
    }


class ReadLogged:
    """Writes the processing log of a GET: one line per participant in the answer (core.processing)."""

    log_name = ""
    log_activity = ""

    def log_subjects(self, objects) -> list[tuple[int, int]]:
        return processing.subjects_of(objects)

    def _log(self, objects) -> None:
        if self.request.method == "GET":
            processing.record(name=self.log_name, activity=self.log_activity, user=self.request.user,
                              subjects=self.log_subjects(objects))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._log(page if page is not None else queryset)
        return page

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        self._log([instance])
        return Response(self.get_serializer(instance).data)


class MeetingReadLogged(ReadLogged):
    """A meeting's answer names the participants present."""

    log_name, log_activity = "attendance.read", "aanwezigheid"

    def log_subjects(self, objects) -> list[tuple[int, int]]:
        return [(m.organisation_id, a.participant_id) for m in objects for a in m.attendances.all()]


class ParticipantListView(ReadLogged, generics.ListCreateAPIView):
    """Participants of your organisations (pseudonymous); POST registers one."""

    serializer_class = ParticipantSerializer
    log_name, log_activity = "participants.read", "deelnemers"

    def get_queryset(self):
        return selectors.participants_for_user(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organisation = _organisation_for_write(request, data.get("organisation_id"))
        participant = call_service(
            services.participant_create,
            user=request.user,
            organisation=organisation,
            pseudonym=data["pseudonym"],
            **_participant_kwargs(data),
        )
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)


class ParticipantDetailView(ReadLogged, generics.RetrieveUpdateAPIView):
    """One participant of your organisations; PUT/PATCH change year of birth, gender, buurt, consent."""

    serializer_class = ParticipantSerializer
    log_name, log_activity = "participants.read", "deelnemers"

    def get_object(self):
        try:
            return selectors.participant_get(user=self.request.user, pk=self.kwargs["pk"])
        except Participant.DoesNotExist as exc:
            raise Http404 from exc

    def update(self, request, *args, **kwargs):
        participant = self.get_object()
        if not selectors.can_register(user=request.user, organisation_id=participant.organisation_id):
            raise exceptions.PermissionDenied  # before the body is judged: 403, whatever was sent
        serializer = self.get_serializer(participant, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        current = {
            "birth_year": participant.birth_year,
            "gender": participant.gender,
            "home_buurt": {"code": participant.home_buurt.code} if participant.home_buurt else None,
            "consent": participant.consent,
            "consent_date": participant.consent_date,
        }
        current.update(serializer.validated_data)
        participant = call_service(
            services.participant_update,
            user=request.user,
            participant=participant,
            **_participant_kwargs(current),
        )
        return Response(ParticipantSerializer(participant).data)


# ------------------------------------------------------------------ meetings


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    activity = serializers.IntegerField(help_text="Id of the activity.")
    date = serializers.DateField()
    anonymousCount = serializers.IntegerField(min_value=0, max_value=100000, default=0)  # noqa: N815
    volunteers = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    volunteerHours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=0, default=0)  # noqa: N815
    professionalHours = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=0,  # noqa: N815
        default=0,
    )
    participants = serializers.ListField(
        child=serializers.CharField(max_length=40),
        default=list,
        help_text="Participant ids (the organisation's pseudonyms) present.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

    def to_representation(self, obj: Meeting):
        return {
            "id": obj.pk,
            "activity": obj.activity_id,
            "date": obj.date.isoformat(),
            "anonymousCount": obj.anonymous_count,
            "volunteers": obj.volunteers,
            "volunteerHours": str(obj.volunteer_hours),
            "professionalHours": str(obj.professional_hours),
            "participants": sorted(a.participant.pseudonym for a in obj.attendances.all()),
            "note": obj.note,
        }


def _meeting_counts(data: dict) -> dict:
    """The service's keyword arguments for the counts, hours and note of a meeting."""
    return {
        "anonymous_count": data["anonymousCount"], "volunteers": data["volunteers"],
        "volunteer_hours": data["volunteerHours"], "professional_hours": data["professionalHours"],
        "note": data.get("note", ""),
    }


def _participant_ids(user, organisation_id: int, pseudonyms: list[str]) -> list[int]:
    found = dict(
        selectors.participants_for_user(user=user)
        .filter(organisation_id=organisation_id, pseudonym__in=pseudonyms)
        .values_list("pseudonym", "pk")
    )
    unknown = sorted(set(pseudonyms) - set(found))
    if unknown:
        raise serializers.ValidationError(
            {"participants": [f"Onbekende deelnemer(s): {', '.join(unknown)}."]}
        )
    return list(found.values())


class MeetingListView(MeetingReadLogged, generics.ListCreateAPIView):
    """Meetings of your organisations' activities; POST registers one with who was present."""

    serializer_class = MeetingSerializer

    def get_queryset(self):
        qs = selectors.meetings_for_user(user=self.request.user).prefetch_related("attendances__participant")
        activity = id_param(self.request.query_params, "activity")
        if activity is not None:
            qs = qs.filter(activity_id=activity)
        return qs

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            activity = selectors.activity_get(user=request.user, pk=data["activity"])
        except Activity.DoesNotExist:
            raise serializers.ValidationError({"activity": ["Onbekende activiteit."]}) from None
        ids = _participant_ids(request.user, activity.organisation_id, data["participants"])
        meeting = call_service(
            services.meeting_register, user=request.user, activity=activity, date=data["date"],
            participant_ids=ids, **_meeting_counts(data),
        )
        return Response(MeetingSerializer(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailView(MeetingReadLogged, generics.RetrieveUpdateDestroyAPIView):
    """One meeting; PUT corrects counts and attendance (not the activity or date); DELETE removes it."""

    serializer_class = MeetingSerializer
    http_method_names = ["get", "put", "delete", "head", "options"]

    def get_object(self):
        try:
            return selectors.meeting_get(user=self.request.user, pk=self.kwargs["pk"])
        except Meeting.DoesNotExist as exc:
            raise Http404 from exc

    def update(self, request, *args, **kwargs):
        meeting = self.get_object()
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"nonFieldErrors": ["Verwacht een JSON-object."]})
        payload = {**request.data, "activity": meeting.activity_id, "date": meeting.date.isoformat()}
        serializer = self.get_serializer(data=payload)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = _participant_ids(request.user, meeting.organisation_id, data["participants"])
        meeting = call_service(
            services.meeting_update, user=request.user, meeting=meeting, participant_ids=ids,
            **_meeting_counts(data),
        )
        return Response(MeetingSerializer(meeting).data)

    def perform_destroy(self, instance):
        services.meeting_delete(user=self.request.user, meeting=instance)


# ------------------------------------------------------------------ imports


class ImportSerializer(serializers.ModelSerializer):
    errors = serializers.JSONField(read_only=True)
    rejectedRows = serializers.SerializerMethodField()  # noqa: N815

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "organisation",
            "kind",
            "mode",
            "status",
            "filename",
            "sha256",
            "imported_at",
            "rows_total",
            "rows_created",
            "rows_updated",
            "rows_rejected",
            "errors",
            "message",
            "rejectedRows",
        ]

    def get_rejectedRows(self, obj) -> str | None:  # noqa: N802
        return f"/api/v1/imports/{obj.pk}/rejected" if obj.rejected_file else None


@extend_schema(
    request={
        "multipart/form-data": {
            "type": "object",
            "properties": {
                "file": {"type": "string", "format": "binary"},
                "kind": {"type": "string", "enum": ImportKind.values},
                "mode": {"type": "string", "enum": ImportMode.values},
                "organisation": {"type": "integer"},
            },
        }
    },
    responses=ImportSerializer,
)
class ImportCreateView(APIView):
    """Upload a CSV or XLSX file (kind: activities, participants, meetings or attendance)."""

    parser_classes = [MultiPartParser, FormParser]

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": ["Voeg een CSV- of XLSX-bestand toe."]})
        if upload.size > 200 * 1024 * 1024:
            raise serializers.ValidationError({"file": ["Het bestand is groter dan 200 MB."]})
        org_raw = request.data.get("organisation")
        organisation = _organisation_for_write(
            request, _small_id(org_raw)
        )
        try:
            batch = importers.import_upload(
                user=request.user,
                organisation=organisation,
                kind=request.data.get("kind", ""),
                filename=upload.name,
                data=upload.read(),
                mode=request.data.get("mode") or ImportMode.KEEP_VALID,
            )
        except TableError as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from exc
        if batch.status == ImportStatus.QUEUED:  # a job imports it: follow Location until the status is final
            response = Response(ImportSerializer(batch).data, status=status.HTTP_202_ACCEPTED)
            response["Location"] = f"/api/v1/imports/{batch.pk}"
            return response
        code = status.HTTP_201_CREATED if batch.status != "rejected" else status.HTTP_422_UNPROCESSABLE_ENTITY
        return Response(ImportSerializer(batch).data, status=code)


class ImportDetailView(APIView):
    """One import of your organisations: its status (queued, running, then the outcome) and rows."""

    @extend_schema(responses={200: ImportSerializer})
    def get(self, request, pk: int):
        try:
            batch = selectors.import_get(user=request.user, pk=pk)
        except ImportBatch.DoesNotExist as exc:  # also for ids beyond the database's integers
            raise Http404 from exc
        return Response(ImportSerializer(batch).data)


class ImportRejectedView(APIView):
    """The rejected rows of an import as CSV, with a column 'fout' giving the reason."""

    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request, pk: int):
        try:
            batch = selectors.rejected_rows_get(user=request.user, pk=pk)
        except ImportBatch.DoesNotExist as exc:
            raise Http404 from exc
        processing.record(name="import.rejected_rows.export", activity="imports", user=request.user,
                          organisation_id=batch.organisation_id)
        return rejected_response(batch)


def rejected_response(batch: ImportBatch) -> HttpResponse:
    response = HttpResponse("\ufeff" + batch.rejected_file, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="afgekeurd-{batch.pk}.csv"'
    return response


# ------------------------------------------------------------------ reach


def parse_period(params) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    try:
        start = dt.date.fromisoformat(params.get("start") or f"{today.year}-01-01")
        end = dt.date.fromisoformat(params.get("end") or today.isoformat())
    except ValueError as exc:
        raise serializers.ValidationError({"start": ["Gebruik datums als 2025-01-31."]}) from exc
    if end < start:
        raise serializers.ValidationError({"end": ["Het einde ligt voor het begin."]})
    if (end - start).days > 366 * 5:
        raise serializers.ValidationError({"end": ["Een periode is ten hoogste vijf jaar."]})
    return start, end


@extend_schema(
    parameters=[
        OpenApiParameter("organisation", int),
        OpenApiParameter("area", str, description="CBS code"),
        OpenApiParameter("start", OpenApiTypes.DATE),
        OpenApiParameter("end", OpenApiTypes.DATE),
    ],
    responses=OpenApiTypes.OBJECT,
)
class ReachView(APIView):
    """Reach of an organisation or area for a period; exact only for your own organisation."""

    def get(self, request):
        organisation, area = reach_target(request.query_params)
        start, end = parse_period(request.query_params)
        report = reach.reach_report(
            user=request.user, start=start, end=end, organisation=organisation, area=area
        )
        return Response(reach.report_json(report))


def reach_target(params) -> tuple[Organisation | None, Area | None]:
    org_raw, area_raw = params.get("organisation"), params.get("area")
    organisation = area = None
    if org_raw:
        org_id = _small_id(org_raw)
        organisation = Organisation.objects.filter(pk=org_id).first() if org_id else None
        if organisation is None:
            raise serializers.ValidationError({"organisation": ["Onbekende organisatie."]})
    if area_raw:
        try:
            area = area_selectors.area_get(code=str(area_raw))
        except Area.DoesNotExist:
            raise serializers.ValidationError({"area": ["Onbekende gebiedscode."]}) from None
    if organisation is None and area is None:
        raise serializers.ValidationError({"organisation": ["Geef een organisatie of een gebied op."]})
    return organisation, area


# ------------------------------------------------------------------ the sociale kaart feed (public)


@extend_schema(
    parameters=[
        OpenApiParameter("q", str),
        OpenApiParameter("area", str),
        OpenApiParameter("postcode", str),
        OpenApiParameter("theme", str, enum=Theme.values),
        OpenApiParameter("targetGroup", str, enum=TargetGroup.values),
        OpenApiParameter("weekday", int, description="1 = Monday … 7 = Sunday"),
    ]
)
class KaartFeedView(generics.ListAPIView):
    """The published offer of the sociale kaart as open data (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    serializer_class = KaartItemSerializer

    def get_queryset(self):
        query, errors = kaart_query_from(self.request.query_params)
        if errors:
            raise serializers.ValidationError(errors)
        return selectors.kaart_search(query).prefetch_related("areas", "partners")


def _small_id(raw) -> int | None:
    """A row id from a parameter: ASCII digits only ("²" passes str.isdigit() and breaks int()),
    and small enough for the database's 64-bit integers; None otherwise."""
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None
