"""Two-factor enforcement and the idle session timeout (decision 0013)."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .policy import two_factor_required
from .services import has_two_factor

# Reachable with a password but without the second factor: the two-factor pages themselves,
# logging out, static files, the language switch, and the error pages' assets.
_OPEN_PREFIXES = ("/static/", "/i18n/")


def _open_paths() -> tuple[str, ...]:
    return (reverse("accounts:verify"), reverse("accounts:setup"), reverse("logout"))


class TwoFactorMiddleware:
    """A user logged in with a password only may do nothing but finish the second step.

    Placed after django_otp's OTPMiddleware (``request.user.is_verified()``). API requests with a
    session (not with a key) get 403 problem+json instead of a redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.two_factor_pending = False
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(_OPEN_PREFIXES):
            has_device = has_two_factor(user)
            request.two_factor_pending = has_device or two_factor_required(user)
            if request.two_factor_pending and request.path not in _open_paths():
                if request.path.startswith("/api/"):
                    from wijkinzicht.core.api import problem_http_response

                    return problem_http_response(
                        403, _("Two-factor login required"),
                        _("Finish the login with your second factor first, or use an API key."),
                    )
                target = "accounts:verify" if has_device else "accounts:setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Log out a session that was idle for WIJKINZICHT_SESSION_IDLE_MINUTES (the cookie's own age
    is the absolute limit). The time of the last request is written at most once a minute."""

    KEY = "_wijkinzicht_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(self.KEY)
            if seen is not None and now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                query = urlencode({"next": request.get_full_path(), "verlopen": 1})
                return redirect(f"{reverse('login')}?{query}")
            if seen is None or now - seen >= 60:
                request.session[self.KEY] = now
        return self.get_response(request)
