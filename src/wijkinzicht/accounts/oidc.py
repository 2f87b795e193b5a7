"""Optional login through a municipality's OpenID Connect provider (mozilla-django-oidc).

On when WIJKINZICHT_OIDC_CLIENT_ID is set (docs/configuration.md). Only existing, active accounts
can log in this way, found by the e-mail address the provider vouches for; nobody is created
(an administrator makes the account and gives its roles). The second factor of Wijkinzicht is
still asked after it: we cannot see how the provider checked the person.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class Backend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        if enabled():
            super().__init__(*args, **kwargs)
        else:  # off: the library would refuse its missing settings on every password login
            from django.contrib.auth import get_user_model

            self.UserModel = get_user_model()

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def verify_claims(self, claims):
        """An e-mail address, and not one the provider itself calls unverified."""
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None  # a password login: not ours
        return super().authenticate(request, **kwargs)


def _only_when_enabled(view):
    @login_not_required
    def wrapped(request, *args, **kwargs):
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback = _only_when_enabled(OIDCAuthenticationCallbackView.as_view())


def context(request) -> dict:
    """Template context: the label of the provider's login button, when OIDC is on."""
    if not enabled():
        return {}
    from django.utils.translation import gettext as _

    return {"oidc_label": settings.OIDC_LOGIN_LABEL or _("Log in through your organisation")}
