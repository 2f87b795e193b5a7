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
    """Page-number paging after the NLGov API design rules' pagination module (decision 0013):
    ``page`` and ``pageSize`` parameters; HAL ``_links`` (self, first, prev, next, last) in the
    body; ``X-Total-Count``, ``X-Pagination-Page``, ``X-Pagination-Limit`` and an RFC 8288 ``Link``
    header. The items stay under ``results`` with ``count``, as before, so clients keep working."""

    page_size_query_param = "pageSize"
    max_page_size = 1000

    def _url(self, number: int) -> str:
        from rest_framework.utils.urls import replace_query_param

        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)

    def get_paginated_response(self, data):
        page = self.page
        last = page.paginator.num_pages
        links = {"self": {"href": self._url(page.number)}, "first": {"href": self._url(1)},
                 "last": {"href": self._url(last)}}
        if page.has_previous():
            links["prev"] = {"href": self._url(page.previous_page_number())}
        if page.has_next():
            links["next"] = {"href": self._url(page.next_page_number())}
        response = Response({
            "_links": links,
            "count": page.paginator.count,
            "next": links.get("next", {}).get("href"),
            "previous": links.get("prev", {}).get("href"),
            "results": data,
        })
        response["X-Total-Count"] = str(page.paginator.count)
        response["X-Pagination-Page"] = str(page.number)
        response["X-Pagination-Limit"] = str(page.paginator.per_page)
        response["Link"] = ", ".join(f'<{v["href"]}>; rel="{k}"' for k, v in links.items() if k != "self")
        return response

    def get_paginated_response_schema(self, schema):
        base = super().get_paginated_response_schema(schema)
        link = {"type": "object", "properties": {"href": {"type": "string", "format": "uri"}},
                "required": ["href"]}
        base["properties"]["_links"] = {
            "type": "object",
            "properties": {k: link for k in ("self", "first", "prev", "next", "last")},
            "required": ["self", "first", "last"],
        }
        base["required"] = sorted({*base.get("required", []), "_links"})
        return base


def _problem(status_code: int, title: str, detail: str, extra: dict) -> dict:
    body = {"type": "about:blank", "title": str(title), "status": status_code}
    if detail:
        body["detail"] = str(detail)
    body.update(extra)
    return body


def problem_response(status_code: int, title: str, detail: str = "", **extra) -> Response:
    """A problem+json response."""
    body = _problem(status_code, title, detail, extra)
    return Response(body, status=status_code, content_type=PROBLEM_JSON)


def problem_http_response(status_code: int, title: str, detail: str = "", **extra):
    """The same problem+json body as a plain Django response (middleware, error handlers)."""
    from django.http import JsonResponse

    body = _problem(status_code, title, detail, extra)
    return JsonResponse(body, status=status_code, content_type=PROBLEM_JSON)


def problem_exception_handler(exc, context):
    """Turn every API error into application/problem+json, with field errors listed."""
    if isinstance(exc, OverflowError) or (isinstance(exc, DataError) and "out of range" in str(exc)):
        # a number too large for the database (an id >= 2**63 in a query or body): bad input, not a bug
        return bad_request("number", gettext("a number is out of range"))
    if isinstance(exc, DataError) and "NUL" in str(exc):  # PostgreSQL refuses NUL in text
        return bad_request("text", gettext("text may not contain NUL characters"))
    if isinstance(exc, RecursionError):  # JSON nested thousands deep: bad input, not a bug
        return bad_request("body", gettext("the JSON is nested too deeply"))
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


MAX_ID = 2**63 - 1


def id_param(params, name: str) -> int | None:
    """An optional id in the query string: absent gives None; anything but 1 .. 2**63-1 is a 400
    (the same answer on SQLite and PostgreSQL, whose integers end at different places)."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if not str(raw).isdigit() or not 1 <= int(raw) <= MAX_ID:
        raise exceptions.ValidationError({name: [gettext("not a valid id")]})
    return int(raw)
