"""One shape for every API error, and the one place where a domain error
becomes an HTTP answer: {"error": {"code", "message", "field"?}}."""

from __future__ import annotations

from rest_framework.response import Response
from rest_framework.views import exception_handler

from feedback.errors import DomainError


def handler(exc, context):
    if isinstance(exc, DomainError):
        error = {"code": exc.code, "message": exc.message}
        if exc.field:
            error["field"] = exc.field
        return Response({"error": error}, status=exc.status)
    response = exception_handler(exc, context)
    if response is not None:
        detail = response.data
        message = detail.get("detail") if isinstance(detail, dict) else None
        error = {
            "code": getattr(exc, "default_code", "error"),
            "message": str(message) if message else str(exc),
        }
        if isinstance(detail, dict) and "detail" not in detail:
            error["fields"] = detail
        response.data = {"error": error}
    return response
