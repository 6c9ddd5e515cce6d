"""API key authentication (kept apart from the views: DRF imports it while
its own views module loads)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from api import clients
from api.models import ApiClient


class KeyRevoked(exceptions.AuthenticationFailed):
    default_code = "key_revoked"
    default_detail = gettext_lazy("Khóa API này đã bị thu hồi.")


class MissingScope(exceptions.PermissionDenied):
    default_code = "missing_scope"


class QuotaExceeded(exceptions.Throttled):
    default_code = "quota_exceeded"
    default_detail = gettext_lazy("Đã dùng hết hạn mức gọi API của ngày hôm nay.")


def key_from(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.META.get("HTTP_X_API_KEY", "").strip()


def check_key(key: str) -> ApiClient:
    """The active client of `key`, or the 401 to answer."""
    client = clients.client_for_key(key)
    if client is None:
        raise exceptions.AuthenticationFailed(_("Khóa API không đúng."))
    if not client.is_active:
        raise KeyRevoked()
    return client


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer hnk_...` (or `X-API-Key: hnk_...`). A staff-scoped
    key acts as its officer; any other key acts as nobody."""

    def authenticate(self, request):
        key = key_from(request)
        if not key:
            return None
        client = check_key(key)
        request._request.api_client = client  # for the access log
        user = client.user if client.has_scope(ApiClient.Scope.STAFF) and client.user else None
        return (user or AnonymousUser(), client)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'
