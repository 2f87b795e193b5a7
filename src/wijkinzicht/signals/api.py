"""REST API of the signals (/api/v1): an organisation's own signals (list, read, create, import,
check), the themes, and for the partners in an area the report in aggregate (counts through the
disclosure layer, alarms with their rule, bundles with the municipality's answers), and answering
a bundle. Other organisations' signals answer 404; texts never leave the organisation except as
reviewed quotes in the report."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkinzicht.activities.constants import TargetGroup
from wijkinzicht.areas import selectors as area_selectors
from wijkinzicht.areas.models import Area
from wijkinzicht.core.api import MAX_ID
from wijkinzicht.core.tenancy import organisation_ids_for
from wijkinzicht.parties import selectors as party_selectors
from wijkinzicht.parties.models import Organisation

from . import importers, periods, presentation, selectors, services
from .constants import TEXT_MAX, Novelty, ResponseKind, Urgency
from .models import Bundle, BundleResponse, Signal, Theme

ID = {"min_value": 1, "max_value": MAX_ID}


def _organisation(request, organisation_id):
    if organisation_id is None:
        return None
    if organisation_id not in organisation_ids_for(request.user):
        raise exceptions.PermissionDenied()
    return Organisation.objects.get(pk=organisation_id)


def _invalid(exc: services.SignalInputError) -> serializers.ValidationError:
    message = exc.message
    if exc.findings:
        message += " " + "; ".join(
            f"{services.kind_label(f.kind)} {f.start}-{f.end} '{f.text}'" for f in exc.findings
        )
    field = API_FIELDS.get(exc.field, exc.field) or "nonFieldErrors"
    return serializers.ValidationError({field: [message]})


# the services name their fields as the models do; the API as the request does
API_FIELDS = {"observed_on": "observedOn", "main_theme": "mainTheme", "target_group": "targetGroup"}


class ThemeSerializer(serializers.ModelSerializer):
    nameEn = serializers.CharField(source="name_en", read_only=True)  # noqa: N815
    isActive = serializers.BooleanField(source="is_active", read_only=True)  # noqa: N815

    class Meta:
        model = Theme
        fields = ["key", "name", "nameEn", "description", "isActive"]


class ThemeListView(generics.ListAPIView):
    """The managed list of themes; the key is stable, names may change."""

    serializer_class = ThemeSerializer
    queryset = Theme.objects.all()


class SignalSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    observedOn = serializers.DateField(source="observed_on", read_only=True)  # noqa: N815
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="key")
    mainTheme = serializers.CharField(source="main_theme.key", read_only=True)  # noqa: N815
    targetGroup = serializers.CharField(source="target_group", read_only=True)  # noqa: N815
    bundle = serializers.IntegerField(source="bundle_id", read_only=True, allow_null=True)
    shareable = serializers.BooleanField(
        read_only=True, help_text="false when the reporter kept words the check marked as personal data"
    )

    class Meta:
        model = Signal
        fields = [
            "id",
            "organisation",
            "area",
            "observedOn",
            "text",
            "themes",
            "mainTheme",
            "targetGroup",
            "urgency",
            "novelty",
            "quotable",
            "shareable",
            "bundle",
        ]


class SignalCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False, help_text="Your organisation that reports it.", **ID
    )
    area = serializers.CharField(max_length=12, help_text="CBS code of a buurt or wijk.")
    observedOn = serializers.DateField(help_text="When it was noticed.")  # noqa: N815
    text = serializers.CharField(max_length=TEXT_MAX, help_text="What was noticed; never about a person.")
    themes = serializers.ListField(child=serializers.SlugField(max_length=50), min_length=1, max_length=20)
    mainTheme = serializers.SlugField(max_length=50, required=False)  # noqa: N815
    targetGroup = serializers.ChoiceField(choices=TargetGroup.choices, required=False)  # noqa: N815
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    novelty = serializers.ChoiceField(choices=Novelty.choices, required=False)
    confirmNoPersonalData = serializers.BooleanField(  # noqa: N815
        required=False,
        default=False,
        help_text="The words the check marks are not personal data (the text then stays in your "
        "organisation).",
    )


def _input(data) -> services.SignalInput:
    try:
        area = area_selectors.area_get(code=data["area"].strip().upper())
    except Area.DoesNotExist:
        raise serializers.ValidationError({"area": [_("unknown area code")]}) from None
    keys = list(dict.fromkeys(data["themes"]))
    themes = {t.key: t for t in Theme.objects.filter(key__in=keys)}
    missing = [k for k in keys if k not in themes]
    if missing:
        raise serializers.ValidationError(
            {"themes": [_("unknown theme '%(theme)s'") % {"theme": missing[0]}]}
        )
    main = None
    if data.get("mainTheme"):
        main = themes.get(data["mainTheme"])
        if main is None:
            raise serializers.ValidationError(
                {"mainTheme": [_("The main theme must be one of the chosen themes.")]}
            )
    return services.SignalInput(
        area=area,
        observed_on=data["observedOn"],
        text=data["text"],
        themes=[themes[k] for k in keys],
        main_theme=main,
        target_group=data.get("targetGroup") or TargetGroup.EVERYONE,
        urgency=data.get("urgency") or Urgency.NORMAL,
        novelty=data.get("novelty") or Novelty.NEW,
        confirm_no_personal_data=data.get("confirmNoPersonalData", False),
    )


class SignalListView(generics.ListCreateAPIView):
    """Your organisations' signals, newest first; POST reports one (checked for personal data like
    the form: findings are refused with their place unless confirmNoPersonalData)."""

    serializer_class = SignalSerializer

    def get_queryset(self):
        return selectors.signals_for_user(user=self.request.user).prefetch_related("themes")

    @extend_schema(request=SignalCreateSerializer, responses={201: SignalSerializer})
    def post(self, request, *args, **kwargs):
        serializer = SignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            signal = services.signal_create(
                user=request.user,
                organisation=_organisation(request, data.get("organisation")),
                data=_input(data),
            )
        except services.SignalInputError as exc:
            raise _invalid(exc) from exc
        return Response(SignalSerializer(signal).data, status=status.HTTP_201_CREATED)


class SignalDetailView(generics.RetrieveAPIView):
    """One of your organisations' signals."""

    serializer_class = SignalSerializer

    def get_queryset(self):
        return selectors.signals_for_user(user=self.request.user).prefetch_related("themes")


class CheckSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=TEXT_MAX)


FINDING = inline_serializer(
    "PersonalDataFinding",
    {
        "kind": serializers.ChoiceField(
            choices=["name", "bsn", "phone", "email", "postcode", "address", "iban"]
        ),
        "start": serializers.IntegerField(),
        "end": serializers.IntegerField(),
        "text": serializers.CharField(),
    },
    many=True,
)
SUGGESTION = inline_serializer(
    "ThemeSuggestion",
    {
        "theme": serializers.CharField(),
        "confidence": serializers.FloatField(),
        "certain": serializers.BooleanField(
            help_text="at or above the calibrated threshold: an answer, not a question"
        ),
    },
    many=True,
)


class SignalCheckView(APIView):
    """Check a text before reporting it: personal-data findings (kind, start, end, text) and theme
    suggestions with their confidence. Nothing is stored."""

    @extend_schema(
        request=CheckSerializer,
        responses={
            200: inline_serializer(
                "SignalCheck",
                {
                    "personalData": FINDING,
                    "suggestions": SUGGESTION,
                    "classifierVersion": serializers.IntegerField(allow_null=True),
                },
            )
        },
    )
    def post(self, request):
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not organisation_ids_for(request.user):
            raise exceptions.PermissionDenied()
        text = serializer.validated_data["text"]
        suggested, version = services.suggest(text)
        return Response(
            {
                "personalData": [f.as_dict() for f in services.check_text(text)],
                "suggestions": [
                    {"theme": s.theme.key, "confidence": round(s.confidence, 4), "certain": s.certain}
                    for s in suggested
                ],
                "classifierVersion": version,
            }
        )


class SignalImportView(APIView):
    """Import signals: a JSON body {"organisation": id, "signals": [{...}]} with the fields of POST
    /signals (or the Dutch column names), or a multipart CSV/XLSX file in "file". All rows are
    checked first; one error and nothing is saved (400 naming each row and field)."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        request={
            "application/json": inline_serializer(
                "SignalImport",
                {
                    "organisation": serializers.IntegerField(required=False, **ID),
                    "signals": serializers.ListField(child=serializers.DictField(), max_length=5000),
                },
            ),
            "multipart/form-data": inline_serializer(
                "SignalImportFile",
                {
                    "organisation": serializers.IntegerField(required=False, **ID),
                    "file": serializers.FileField(),
                },
            ),
        },
        responses={
            201: inline_serializer(
                "SignalImported",
                {
                    "imported": serializers.IntegerField(),
                    "ids": serializers.ListField(child=serializers.IntegerField()),
                },
            )
        },
    )
    def post(self, request):
        if not hasattr(request.data, "get"):  # a number, a string or a list instead of an object
            raise serializers.ValidationError({"signals": [_("Send an object with a list of signals.")]})
        organisation_id = request.data.get("organisation")
        try:
            if isinstance(organisation_id, bool):
                raise TypeError
            organisation_id = int(organisation_id) if organisation_id not in (None, "") else None
        except (TypeError, ValueError):
            raise serializers.ValidationError({"organisation": [_("give the organisation (id)")]}) from None
        if organisation_id is not None and not 1 <= organisation_id <= MAX_ID:
            raise serializers.ValidationError({"organisation": [_("give the organisation (id)")]})
        organisation = _organisation(request, organisation_id)
        try:
            if "file" in request.FILES:
                upload = request.FILES["file"]
                rows = importers.rows_from_file(upload.name, upload.read())
            else:
                rows = importers.rows_from_json(request.data.get("signals"))
            saved = importers.import_rows(user=request.user, organisation=organisation, rows=rows)
        except importers.SignalImportError as exc:
            raise serializers.ValidationError(
                {
                    (f"signals[{row}].{column}" if row else (column or "signals")): [message]
                    for row, column, message in exc.errors[:100]
                }
            ) from None
        except services.SignalInputError as exc:
            raise _invalid(exc) from exc
        return Response(
            {"imported": len(saved), "ids": [s.pk for s in saved]}, status=status.HTTP_201_CREATED
        )


class ResponseSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    createdAt = serializers.DateTimeField(source="created_at", read_only=True)  # noqa: N815

    class Meta:
        model = BundleResponse
        fields = ["id", "organisation", "kind", "text", "createdAt"]


class BundleSerializer(serializers.ModelSerializer):
    theme = serializers.CharField(source="theme.key", read_only=True)
    area = serializers.CharField(source="area.code", read_only=True)
    firstOn = serializers.DateField(source="first_on", read_only=True)  # noqa: N815
    lastOn = serializers.DateField(source="last_on", read_only=True)  # noqa: N815
    organisations = serializers.IntegerField(source="n_organisations", read_only=True)
    responses = ResponseSerializer(many=True, read_only=True)

    class Meta:
        model = Bundle
        fields = ["id", "theme", "area", "firstOn", "lastOn", "organisations", "responses"]


def _area_for_reader(request, code: str | None) -> Area:
    if not code:
        raise serializers.ValidationError({"area": [_("give an area code")]})
    try:
        area = area_selectors.area_get(code=code.strip().upper()[:12])
    except Area.DoesNotExist:
        raise serializers.ValidationError({"area": [_("unknown area code")]}) from None
    if not party_selectors.serves_area(user=request.user, area=area):
        raise exceptions.PermissionDenied()
    return area


REPORT_PARAMS = [
    OpenApiParameter(
        "area", OpenApiTypes.STR, required=True, description="CBS code of a gemeente, wijk or buurt"
    ),
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        description="a calendar month (2026-11), quarter (2026-K4) or year (2026) of the past five years; "
        "default: the quarter so far. Free date ranges are not offered: see decision 0025.",
    ),
    OpenApiParameter("per", OpenApiTypes.STR, enum=["maand", "week"], description="trend per month or week"),
]
COUNT = serializers.CharField(help_text="a count of signals, or '<5' when fewer (perturbed by up to 2)")


class SignalReportView(APIView):
    """The signal report of an area for the organisations serving it: per theme the count (through
    the disclosure layer) and the change, the unusual rises with their rule in words, and the bundles
    with the municipality's answers."""

    @extend_schema(
        parameters=REPORT_PARAMS,
        responses={
            200: inline_serializer(
                "SignalReport",
                {
                    "area": serializers.CharField(),
                    "from": serializers.DateField(),
                    "to": serializers.DateField(),
                    "per": serializers.CharField(),
                    "themes": inline_serializer(
                        "SignalReportTheme",
                        {
                            "theme": serializers.CharField(),
                            "signals": COUNT,
                            "previous": COUNT,
                            "change": serializers.CharField(),
                            "method": serializers.CharField(),
                        },
                        many=True,
                    ),
                    "alarms": inline_serializer(
                        "SignalAlarm",
                        {
                            "theme": serializers.CharField(),
                            "area": serializers.CharField(),
                            "period": serializers.CharField(),
                            "signals": COUNT,
                            "rule": serializers.CharField(),
                        },
                        many=True,
                    ),
                    "bundles": BundleSerializer(many=True),
                },
            )
        },
    )
    def get(self, request):
        area = _area_for_reader(request, request.query_params.get("area"))
        today = timezone.localdate()
        code = request.query_params.get("period")
        period = periods.parse(code, today) if code else periods.default(today)
        if period is None:
            raise serializers.ValidationError(
                {"period": [_("a month (2026-11), quarter (2026-K4) or year (2026) of the past five years")]}
            )
        per = request.query_params.get("per") or "maand"
        if per not in ("maand", "week"):
            raise serializers.ValidationError({"per": [_("maand or week")]})
        built = presentation.for_period(area=area, period=period, per=per)
        return Response(
            {
                "area": area.code,
                "period": period.code,
                "from": period.since,
                "to": period.until,
                "per": built.per,
                "themes": [
                    {
                        "theme": r.theme.key,
                        "signals": str(r.shown),
                        "previous": str(r.previous),
                        "change": r.change,
                        "method": r.method,
                    }
                    for r in built.rows
                ],
                "alarms": [
                    {
                        "theme": a.theme.key,
                        "area": a.area.code,
                        "period": a.period,
                        "signals": str(a.shown),
                        "rule": a.rule,
                    }
                    for a in built.alarms
                ],
                "bundles": BundleSerializer(built.bundles, many=True).data,
            }
        )


class BundleResponseCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResponseKind.choices)
    text = serializers.CharField(max_length=TEXT_MAX, help_text="What is done, or why nothing is done.")


class BundleResponseView(APIView):
    """The municipality's answers to a bundle (GET: for the organisations serving its wijk; POST: a
    municipality serving it appends one; answers are never edited)."""

    def _bundle(self, request, pk) -> Bundle:
        bundle = Bundle.objects.select_related("area").filter(pk=pk).first()
        if bundle is None or not party_selectors.serves_area(user=request.user, area=bundle.area):
            raise Http404
        return bundle

    @extend_schema(responses={200: ResponseSerializer(many=True)})
    def get(self, request, pk):
        bundle = self._bundle(request, pk)
        return Response(ResponseSerializer(bundle.responses.all(), many=True).data)

    @extend_schema(request=BundleResponseCreateSerializer, responses={201: ResponseSerializer})
    def post(self, request, pk):
        bundle = self._bundle(request, pk)
        if not services.answering_organisations(user=request.user, bundle=bundle).exists():
            raise exceptions.PermissionDenied()
        serializer = BundleResponseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            answer = services.bundle_respond(user=request.user, bundle=bundle, **serializer.validated_data)
        except services.SignalInputError as exc:
            raise _invalid(exc) from exc
        return Response(ResponseSerializer(answer).data, status=status.HTTP_201_CREATED)
