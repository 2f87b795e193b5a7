"""The OpenAPI document states every answer an operation can give (NLGov API design rules).

drf-spectacular documents the success responses; this hook adds the problem+json errors that
every operation can return (400 bad input, 401 no or wrong credentials, 403 no right, 404 not
found or not yours, 429 locked out or throttled, 500 an error on our side), a shared Problem
schema for them, and a pattern for wall-clock times (HH:MM[:SS], local Dutch time, no offset).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$",
    "example": "10:00",
}

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
    "required": ["title", "status"],
}

ERRORS = {
    "400": "Invalid input: the problem names each parameter or field.",
    "401": "No credentials, or a key that is unknown, expired or revoked.",
    "403": "Logged in, but without the right for this.",
    "404": "Not found, or not visible to you.",
    "429": "Too many failed logins or requests; see Retry-After.",
    "500": "An error on our side (logged).",
}


@extend_schema_field(TIME_SCHEMA)
class LocalTimeField(serializers.TimeField):
    """A wall-clock time in Dutch local time, without an offset (e.g. an activity's start)."""


class _BlankAsNull:
    """An optional address: "" is stored for none, and shown as null (a format such as email or
    uri does not admit "")."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        if data is None or data == "":
            return ""
        return super().run_validation(data)

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class OptionalEmailField(_BlankAsNull, serializers.EmailField):
    pass


class OptionalURLField(_BlankAsNull, serializers.URLField):
    pass


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOK: every operation documents its problem+json answers."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM
    ref = {"$ref": "#/components/schemas/Problem"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, text in ERRORS.items():
                responses.setdefault(code, {"description": text, "content": {"application/problem+json": {
                    "schema": ref}}})
    return result
