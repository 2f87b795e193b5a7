"""Login required for every page, except those marked login_not_required and the API.

The API answers unauthenticated requests itself with 401 problem+json instead of a redirect.
"""

import re

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

from . import processing

# The API answers for itself; static files and the language switch are needed before login.
OPEN_PREFIXES = ("/api/", "/static/", "/i18n/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and ``Cache-Control: no-store`` on every response to
    a logged-in user or an API key: such pages, exports and API answers may hold personal data and
    must not stay in a browser's or a proxy's cache."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.permissions = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response



_TRACEPARENT = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$")


class ProcessingTraceMiddleware:
    """Every request is one trace of the processing log (core.processing): its id is taken from a
    W3C `traceparent` header when a calling system sends one, else drawn at random."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = _TRACEPARENT.match(request.META.get("HTTP_TRACEPARENT", "").strip().lower())
        trace = match.group(1) if match and match.group(1).strip("0") else None
        token = processing.set_trace(trace)
        try:
            return self.get_response(request)
        finally:
            processing.reset_trace(token)


class RejectNulMiddleware:
    """400 for a request whose address or query holds a NUL character: no text field of any
    database may contain one (PostgreSQL refuses it), so it can only be hostile or broken input.
    Forms and API bodies refuse it field by field already (Django's and DRF's CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # a decoded NUL can only come from "%00" or a raw NUL in the query: no need to parse it
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            from .views import error_response

            return error_response(request, 400)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A 405 (a POST to a page that only shows) answers with the house-style page instead of an
    empty body; the API's 405 is problem+json already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and not request.path.startswith("/api/"):
            from .views import error_response

            allowed = response.get("Allow")
            response = error_response(request, 405)
            if allowed:
                response["Allow"] = allowed
        return response
