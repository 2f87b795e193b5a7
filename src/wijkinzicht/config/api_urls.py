"""The REST API, version 1: no trailing slashes (NLGov API design rules)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.authtoken.views import obtain_auth_token

from wijkinzicht.areas import api as areas_api
from wijkinzicht.parties import api as parties_api

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("token", obtain_auth_token, name="api-token"),
    path("areas", areas_api.AreaListView.as_view(), name="api-areas"),
    path("areas/<str:code>", areas_api.AreaDetailView.as_view(), name="api-area"),
    path("areas/<str:code>/observations", areas_api.ObservationListView.as_view(),
         name="api-area-observations"),
    path("areas/<str:code>/comparable", areas_api.ComparableView.as_view(),
         name="api-area-comparable"),
    path("indicators", areas_api.IndicatorListView.as_view(), name="api-indicators"),
    path("organisations", parties_api.OrganisationListView.as_view(), name="api-organisations"),
    path("organisations/<int:organisation_id>/members", parties_api.MemberListView.as_view(),
         name="api-organisation-members"),
]
