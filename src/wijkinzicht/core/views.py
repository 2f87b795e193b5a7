"""Error pages in the house style (Dutch first), problem+json under /api/, and the API's root."""

from __future__ import annotations

import logging

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import problem_http_response

logger = logging.getLogger(__name__)

_TITLES = {
    400: (gettext_noop("Bad request"),
          gettext_noop("The request could not be understood. Check the address or the form.")),
    403: (gettext_noop("No access"),
          gettext_noop("You do not have access to this page. Ask a coordinator of your organisation.")),
    404: (gettext_noop("Page not found"),
          gettext_noop("This page does not exist (any more), or you have no access to it.")),
    500: (gettext_noop("Something went wrong"),
          gettext_noop("An error on our side. It has been logged; try again later.")),
    405: (gettext_noop("Not possible here"),
          gettext_noop("This page can only be opened, not sent to. Go back and use its links.")),
    413: (gettext_noop("File too large"), ""),
    503: (gettext_noop("The database cannot be reached right now"),
          gettext_noop("Try again in a few seconds.")),
}


def error_response(request, status: int, *, detail: str = "", plain: bool = False):
    return _error(request, status, plain=plain, detail=detail)


def _error(request, status: int, *, plain: bool = False, detail: str = ""):
    """problem+json under /api/, else the page in the house style; ``plain``: a page without the
    template (when the database is gone, the template's context would ask it for the user)."""
    title, text = (_(t) if t else "" for t in _TITLES[status])
    text = detail or text
    if request.path.startswith("/api/"):
        return problem_http_response(status, title, text)
    if not plain:
        try:
            return render(request, "core/error.html", {"status": status, "title": title, "text": text},
                          status=status)
        except Exception:  # the error page itself must never fail
            logger.exception("error page %s could not be rendered", status)
    from django.http import HttpResponse
    from django.utils.html import escape

    return HttpResponse(f'<!DOCTYPE html><html lang="nl"><meta charset="utf-8"><title>{escape(title)}</title>'
                        f"<h1>{escape(title)}</h1><p>{escape(text)}</p></html>", status=status)


def bad_request(request, exception=None):
    return _error(request, 400)


def permission_denied(request, exception=None):
    return _error(request, 403)


def page_not_found(request, exception=None):
    return _error(request, 404)


def csrf_failure(request, reason=""):
    """A form that expired or came from another site: the house-style page, not Django's (which
    speaks English and about DEBUG)."""
    return _error(request, 403, detail=_(
        "The form has expired or was not sent from this site. Go back, reload the page and send it again."))


def server_error(request):
    """500, or 503 with Retry-After while the database cannot be reached (a restart, a fail-over):
    the client should simply try again. Nothing was half-written: writes run in transactions."""
    import sys

    from django.db import InterfaceError, OperationalError

    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable: %s", exc)
        response = _error(request, 503, plain=True)
        response["Retry-After"] = "5"
        return response
    return _error(request, 500)


class ApiRootView(APIView):
    """The resources of the API, with a link to each (NLGov API design rules: a discoverable root).

    Served at /api/v1 (in the OpenAPI document) and at /api/v1/ (left out of it: no trailing
    slashes in the API's own paths)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    RESOURCES = [
        ("openapi", "openapi", "The OpenAPI 3.0 description of this API."),
        ("token", "api-token", "Exchange user name, password and second factor for an API key."),
        ("areas", "api-areas", "CBS areas: gemeenten, wijken and buurten."),
        ("indicators", "api-indicators", "The indicators of the neighbourhood figures."),
        ("organisations", "api-organisations", "Organisations working in the neighbourhoods."),
        ("activities", "api-activities", "Activities of your organisations and published ones."),
        ("meetings", "api-meetings", "Meetings of your organisations' activities."),
        ("participants", "api-participants", "Participants (pseudonymous) of your organisations."),
        ("imports", "api-imports", "Upload a CSV or XLSX file of activities, meetings or participants."),
        ("reach", "api-reach", "Reach figures of an organisation or an area."),
        ("sociale-kaart", "api-kaart", "The published offer per neighbourhood (public)."),
        ("parties", "api-parties", "Formal and informal parties in the collaboration network."),
        ("ties", "api-ties", "Ties of your organisations with other parties (declare, answer, end)."),
        ("network", "api-network", "The network of an area on a date: measures and findings (its partners)."),
        ("signals", "api-signals", "Field signals of your organisations (report, check, import)."),
        ("signal-themes", "api-signal-themes", "The managed list of signal themes."),
        ("signal-report", "api-signal-report", "Signals of an area in aggregate: themes, alarms, bundles."),
    ]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, auth=[])
    def get(self, request):
        return Response({
            "_links": {
                name: {"href": request.build_absolute_uri(reverse(url)), "title": title}
                for name, url, title in self.RESOURCES
            }
        })


class ApiRootSlashView(ApiRootView):
    @extend_schema(exclude=True)
    def get(self, request):
        return super().get(request)
