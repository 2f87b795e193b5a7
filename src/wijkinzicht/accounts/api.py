"""API keys over HTTP: POST /api/v1/token, and the authentication class that checks a key."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from wijkinzicht.core.api import problem_response

from . import services
from .policy import two_factor_required


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    code = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                 help_text="Authenticator or recovery code; required with two factors.")
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once; send it as `Authorization: Token <token>`.")
    expires = serializers.DateTimeField()


class TokenView(APIView):
    """Exchange user name, password (and the second factor) for an API key that expires."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=TokenRequestSerializer,
        responses={201: TokenResponseSerializer, 400: OpenApiResponse(description="Invalid input"),
                   401: OpenApiResponse(description="Wrong credentials or code"),
                   403: OpenApiResponse(description="Two factors must be set up first"),
                   429: OpenApiResponse(description="Locked after too many failures")},
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        django_request = request._request
        user = authenticate(django_request, username=values["username"], password=values["password"])
        if getattr(django_request, "axes_locked_out", False):
            from .views import locked_out

            return locked_out(django_request)
        if user is None:
            return problem_response(status.HTTP_401_UNAUTHORIZED, _("Wrong user name or password"))
        if services.has_two_factor(user):
            if services.two_factor_verify(user=user, code=values.get("code", "")) is None:
                return problem_response(status.HTTP_401_UNAUTHORIZED, _("Two-factor code missing or wrong"))
        elif two_factor_required(user):
            return problem_response(status.HTTP_403_FORBIDDEN, _("Two-factor login required"),
                                    _("Log in on the website once to set up your second factor."))
        token, key = services.api_token_issue(user=user, name=values.get("name", ""))
        response = Response({"token": key, "expires": token.expires_at}, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"  # a secret (RFC 6749 5.1 asks the same of token answers)
        response["Pragma"] = "no-cache"
        return response
