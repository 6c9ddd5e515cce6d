"""For the machine endpoints (/api/, /open311/): every answer is in the
caller's format, even the ones Django makes before or after a view runs
(an unknown URL, a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a server error),
and every call is logged with the partner system that made it."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse

from api import exceptions, open311

log = logging.getLogger("api.access")
PREFIXES = ("/api/", "/open311/")


def _ours(response: HttpResponse) -> bool:
    kind = response.get("Content-Type", "")
    return "json" in kind or "xml" in kind or response.status_code < 400


class MachineErrors:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIXES):
            return self.get_response(request)
        response = self.get_response(request)
        if not _ours(response):
            response = self.error(request, response.status_code)
        client = getattr(request, "api_client", None)
        log.info(
            "%s %s %s client=%s",
            request.method,
            request.path,
            response.status_code,
            f"{client.pk}:{client.name}" if client else "-",
        )
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(PREFIXES):
            return None
        if isinstance(exception, RequestDataTooBig):
            return self.error(request, 413)
        log.exception("unhandled error on %s", request.path)
        return self.error(request, 500)

    def error(self, request, status: int) -> HttpResponse:
        if request.path.startswith("/open311/"):
            return open311.error_response(
                request, status, exceptions.MESSAGES.get(status, exceptions.MESSAGES[400])()
            )
        data = exceptions.body(status)
        return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
