"""Login required for every page, except those marked login_not_required and the API.

The API answers unauthenticated requests itself with 401 problem+json instead of a redirect.
"""

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired

# The API answers for itself; static files and the language switch are needed before login.
OPEN_PREFIXES = ("/api/", "/static/", "/i18n/")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
