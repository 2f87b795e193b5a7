"""Limits on uploaded files (issue 12, docs/privacy.md): the size is checked before anything is
read -- the Content-Length of the request -- and again while the body streams in, per file; the
number of rows and, for XLSX workbooks, the unpacked size are checked by core.tabular while the
file is read. Every refusal names the limit and the setting that sets it."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.translation import gettext as _

# room for the other fields and the multipart boundaries of a form with one file at the limit
FORM_OVERHEAD = 64 * 1024


class UploadTooLarge(Exception):
    """An uploaded file is larger than WIJKINZICHT_UPLOAD_MAX_BYTES."""


def megabytes(n: int) -> str:
    """A size as people read it, Dutch decimal comma: 20 MB, 1,5 MB, 800 kB."""
    if n < 1_000_000:
        return f"{max(1, round(n / 1000))} kB"
    value = n / 1_000_000
    return f"{value:.0f} MB" if value >= 10 else f"{value:.1f} MB".replace(".", ",")


def too_large_text() -> str:
    return _("The file is larger than the limit of %(limit)s (setting WIJKINZICHT_UPLOAD_MAX_BYTES).") % {
        "limit": megabytes(settings.UPLOAD_MAX_BYTES)
    }


class LimitedUploadHandler(FileUploadHandler):
    """The first upload handler: stops a file as soon as more than the limit has arrived, whatever
    the request's Content-Length said (chunked bodies have none)."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            raise UploadTooLarge
        return raw_data

    def file_complete(self, file_size):
        return None


class UploadLimitMiddleware:
    """413 before the body is read when the request announces more than the limit, and 413 when
    the upload handler stops a file on its way in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD:
            return self._refuse(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UploadTooLarge):
            return self._refuse(request)
        return None

    @staticmethod
    def _refuse(request):
        from .views import error_response

        return error_response(request, 413, detail=too_large_text())
