"""One shape for every API error, and the one place where a domain error
becomes an HTTP answer:

    {"error": {"code": "invalid", "message": "<a sentence>", "fields": {"name": ["..."]}}}

`message` is always a sentence for a person; `fields` (possibly empty) holds
the per-field details as data. Statuses: 400 bad input, 401 no or bad
credentials, 403 not allowed (or a key without the scope), 404 not found
(also what another office's ticket looks like), 409 a conflict with the
ticket's state or a used idempotency key, 413 a body over the size limit,
429 over a rate limit or quota."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from feedback.errors import DomainError

# A sentence for each status when the exception carries none of its own.
MESSAGES = {
    400: lambda: _("Yêu cầu không hợp lệ."),
    401: lambda: _("Cần xác thực."),
    403: lambda: _("Không được phép."),
    404: lambda: _("Không tìm thấy."),
    405: lambda: _("Phương thức không được hỗ trợ."),
    406: lambda: _("Không trả lời được ở định dạng yêu cầu."),
    413: lambda: _("Dữ liệu gửi lên quá lớn."),
    415: lambda: _("Kiểu dữ liệu gửi lên không được hỗ trợ."),
    429: lambda: _("Quá nhiều yêu cầu, vui lòng thử lại sau."),
    500: lambda: _("Lỗi máy chủ. Vui lòng thử lại sau."),
}
CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


def body(status: int, *, code: str | None = None, message: str | None = None, fields=None) -> dict:
    return {
        "error": {
            "code": code or CODES.get(status, "error"),
            "message": message or MESSAGES.get(status, MESSAGES[400])(),
            "fields": fields or {},
        }
    }


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"a.b.0": ["..."]}: one list of sentences per field."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix or "non_field_errors"
            for k, v in flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for k, v in flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def _invalid_message(fields: dict[str, list[str]]) -> str:
    if len(fields) == 1:
        ((name, messages),) = fields.items()
        return _("Trường “%(field)s”: %(message)s") % {"field": name, "message": messages[0]}
    return _("Dữ liệu chưa hợp lệ ở các trường: %(fields)s.") % {"fields": ", ".join(fields)}


def handler(exc, context):
    if isinstance(exc, DomainError):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(
            body(exc.status, code=exc.code, message=exc.message, fields=fields), status=exc.status
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(body(413), status=413)
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        response = Response(body(400, message=_invalid_message(fields), fields=fields), status=400)
        return response
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", None)
    if isinstance(exc, Http404):
        detail = None
    code = getattr(detail, "code", None) or getattr(exc, "default_code", None)
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        code = code if code not in (None, "not_authenticated") else "not_authenticated"
    message = str(detail) if isinstance(detail, str) else None
    response.data = body(response.status_code, code=code, message=message)
    return response
