"""The REST API, version 1: no trailing slashes (NLGov API design rules)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from wijkinzicht.accounts import api as accounts_api
from wijkinzicht.activities import api as activities_api
from wijkinzicht.areas import api as areas_api
from wijkinzicht.core.views import ApiRootSlashView
from wijkinzicht.network import api as network_api
from wijkinzicht.parties import api as parties_api
from wijkinzicht.signals import api as signals_api

urlpatterns = [
    path("", ApiRootSlashView.as_view(), name="api-root-slash"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("token", accounts_api.TokenView.as_view(), name="api-token"),
    path("areas", areas_api.AreaListView.as_view(), name="api-areas"),
    path("areas/<str:code>", areas_api.AreaDetailView.as_view(), name="api-area"),
    path("areas/<str:code>/observations", areas_api.ObservationListView.as_view(),
         name="api-area-observations"),
    path("areas/<str:code>/comparable", areas_api.ComparableView.as_view(),
         name="api-area-comparable"),
    path("indicators", areas_api.IndicatorListView.as_view(), name="api-indicators"),
    path("activities", activities_api.ActivityListView.as_view(), name="api-activities"),
    path("activities/<int:pk>", activities_api.ActivityDetailView.as_view(), name="api-activity"),
    path("participants", activities_api.ParticipantListView.as_view(), name="api-participants"),
    path("participants/<int:pk>", activities_api.ParticipantDetailView.as_view(), name="api-participant"),
    path("meetings", activities_api.MeetingListView.as_view(), name="api-meetings"),
    path("meetings/<int:pk>", activities_api.MeetingDetailView.as_view(), name="api-meeting"),
    path("imports", activities_api.ImportCreateView.as_view(), name="api-imports"),
    path("imports/<int:pk>", activities_api.ImportDetailView.as_view(), name="api-import"),
    path("imports/<int:pk>/rejected", activities_api.ImportRejectedView.as_view(),
         name="api-import-rejected"),
    path("reach", activities_api.ReachView.as_view(), name="api-reach"),
    path("sociale-kaart", activities_api.KaartFeedView.as_view(), name="api-kaart"),
    path("parties", network_api.PartyListView.as_view(), name="api-parties"),
    path("parties/<int:pk>", network_api.PartyDetailView.as_view(), name="api-party"),
    path("parties/<int:pk>/merge", network_api.PartyMergeView.as_view(), name="api-party-merge"),
    path("ties", network_api.TieListView.as_view(), name="api-ties"),
    path("ties/<int:pk>", network_api.TieDetailView.as_view(), name="api-tie"),
    path("ties/<int:pk>/answer", network_api.TieAnswerView.as_view(), name="api-tie-answer"),
    path("ties/<int:pk>/end", network_api.TieEndView.as_view(), name="api-tie-end"),
    path("network", network_api.NetworkView.as_view(), name="api-network"),
    path("signal-themes", signals_api.ThemeListView.as_view(), name="api-signal-themes"),
    path("signals", signals_api.SignalListView.as_view(), name="api-signals"),
    path("signals/check", signals_api.SignalCheckView.as_view(), name="api-signals-check"),
    path("signals/import", signals_api.SignalImportView.as_view(), name="api-signals-import"),
    path("signals/<int:pk>", signals_api.SignalDetailView.as_view(), name="api-signal"),
    path("signal-report", signals_api.SignalReportView.as_view(), name="api-signal-report"),
    path("signal-bundles/<int:pk>/responses", signals_api.BundleResponseView.as_view(),
         name="api-signal-bundle-responses"),
    path("organisations", parties_api.OrganisationListView.as_view(), name="api-organisations"),
    path("organisations/<int:organisation_id>/members", parties_api.MemberListView.as_view(),
         name="api-organisation-members"),
]
