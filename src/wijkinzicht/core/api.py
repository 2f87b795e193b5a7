"""Shared API plumbing: problem+json errors (RFC 9457, NLGov API design rules) and paging."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .tenancy import TenancyError

PROBLEM_JSON = "application/problem+json"


class Pagination(PageNumberPagination):
    page_size_query_param = "pageSize"
    max_page_size = 1000


def problem_response(status_code: int, title: str, detail: str = "", **extra) -> Response:
    """A problem+json response."""
    body = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_JSON)


def problem_http_response(status_code: int, title: str, detail: str = "", **extra):
    """The same problem+json body as a plain Django response (middleware, error handlers)."""
    from django.http import JsonResponse

    body = {"type": "about:blank", "title": str(title), "status": status_code}
    if detail:
        body["detail"] = str(detail)
    body.update(extra)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_JSON)


def problem_exception_handler(exc, context):
    """Turn every API error into application/problem+json, with field errors listed."""
    if isinstance(exc, OverflowError) or (isinstance(exc, DataError) and "out of range" in str(exc)):
        # a number too large for the database (an id >= 2**63 in a query or body): bad input, not a bug
        return bad_request("number", gettext("a number is out of range"))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied | TenancyError):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    extra = {}
    if isinstance(exc, exceptions.ValidationError):
        title = "Ongeldige invoer"
        extra["invalidParams"] = _invalid_params(data)
        detail = "; ".join(f"{p['name']}: {p['reason']}" for p in extra["invalidParams"])
    else:
        title = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        detail = ""
        code = getattr(exc, "default_code", "")
        extra["code"] = code
    problem = problem_response(response.status_code, title, detail, **extra)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem


def _invalid_params(data, prefix: str = "") -> list[dict]:
    params: list[dict] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            params.extend(_invalid_params(value, name))
    elif isinstance(data, list):
        if all(not isinstance(v, dict | list) for v in data):
            for v in data:
                params.append({"name": prefix or "nonFieldErrors", "reason": str(v)})
        else:
            for i, v in enumerate(data):
                params.extend(_invalid_params(v, f"{prefix}[{i}]"))
    else:
        params.append({"name": prefix or "nonFieldErrors", "reason": str(data)})
    return params


def bad_request(name: str, reason: str) -> Response:
    """A 400 problem+json for one invalid query parameter."""
    return problem_response(
        status.HTTP_400_BAD_REQUEST, "Ongeldige invoer", f"{name}: {reason}",
        invalidParams=[{"name": name, "reason": reason}],
    )
