"""Who is calling and how much they may call: API keys (partner systems),
staff tokens and sessions (officers), anonymous callers (citizens' apps).

- A key must hold the endpoint's scope (403 missing_scope), a revoked or
  unknown key is 401, and each key has its own rate and daily quota.
- Anonymous callers are limited per address. Anonymous submissions share
  ONE budget with the public form (the same django-ratelimit group and
  rate), so the API is no way around the form's limit.
- Every call is logged with its client (api.middleware)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited
from rest_framework import exceptions
from rest_framework.views import APIView

from api import clients
from api.authentication import MissingScope, QuotaExceeded
from api.models import ApiClient

log = logging.getLogger(__name__)

# The public form's rate-limit group (the default group django-ratelimit
# gives feedback.views_public.submit): an anonymous API submission counts
# against the same per-address budget.
FORM_SUBMIT_GROUP = "feedback.views_public.submit"


def client_of(request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


def _address_limited(request, group: str, rate: str, *, method=ALL) -> bool:
    try:
        return is_ratelimited(
            request, group=group, key="ip", rate=rate, increment=True, method=method
        )
    except Exception:
        log.warning("rate limit %s not checked: cache unavailable", group)
        return False


class ApiView(APIView):
    """Base of every API v1 view.

    `scope`: the key scope the endpoint needs (a key without it gets 403).
    `anonymous`: what an anonymous call is limited as ("read", "submit",
    "support"), or None when a caller must identify itself (401)."""

    scope: str | dict[str, str] | None = None
    anonymous: str | dict[str, str | None] | None = "read"

    def _for_method(self, value, request):
        return value.get(request.method) if isinstance(value, dict) else value

    def check_permissions(self, request) -> None:
        super().check_permissions(request)
        if isinstance(self.anonymous, dict) and request.method not in self.anonymous:
            return  # a method the view lacks: DRF answers 405
        client = client_of(request)
        scope = self._for_method(self.scope, request)
        if client is not None:
            if scope and not client.has_scope(scope):
                raise MissingScope(
                    _("Khóa API này không có phạm vi “%(scope)s”.") % {"scope": scope}
                )
        elif (
            self._for_method(self.anonymous, request) is None and not request.user.is_authenticated
        ):
            raise exceptions.NotAuthenticated(_("Cần khóa API hoặc mã truy cập của cán bộ."))

    def check_throttles(self, request) -> None:
        client = client_of(request)
        if client is not None:
            over = clients.over_limit(request._request, client)
            if over == "quota":
                raise QuotaExceeded(wait=3600)
            if over == "rate":
                raise exceptions.Throttled(wait=60)
            return
        if request.user.is_authenticated:
            limited = _address_limited(
                request._request, "api-user", settings.FEEDBACK_API_USER_RATE
            )
        elif (anonymous := self._for_method(self.anonymous, request)) == "submit":
            limited = _address_limited(
                request._request, FORM_SUBMIT_GROUP, settings.FEEDBACK_SUBMIT_RATE, method="POST"
            )
        elif anonymous == "support":
            limited = _address_limited(
                request._request, "api-support", settings.FEEDBACK_SUPPORT_RATE
            )
        else:
            limited = _address_limited(request._request, "api-read", settings.FEEDBACK_LOOKUP_RATE)
        if limited:
            raise exceptions.Throttled(wait=60)
