"""API authentication with hashed, expiring keys (its own module: DRF imports it while loading
its views, so it must not import rest_framework.views)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services


class KeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``) with a key from /api/v1/token."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode(errors="replace") not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid key header."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid key header.")) from exc
        token = services.api_token_check(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Unknown, expired or revoked key."))
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class KeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "wijkinzicht.accounts.authentication.KeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <key>`; a key comes from POST /api/v1/token and expires."}
