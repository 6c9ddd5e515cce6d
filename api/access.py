"""Who is calling and how much they may call: API keys (partner systems),
staff tokens and sessions (officers), anonymous callers (citizens' apps).

- A key must hold the endpoint's scope (403 missing_scope), a revoked or
  unknown key is 401, and each key has its own rate and daily quota.
- Anonymous callers are limited per address by feedback.limits, in the
  budgets of the public pages: submissions share ONE budget with the public
  form (limits.SUBMIT), supports with the support button, reads with the
  look-up and tracking pages (limits.LOOKUP). The API is no way around them.
- Every call is logged with its client (api.middleware)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import APIView

from api import clients
from api.authentication import MissingScope, QuotaExceeded
from api.models import ApiClient
from feedback import limits

log = logging.getLogger(__name__)

# Calls with a staff token, per address (API keys have their own limits).
STAFF_BUDGET = "api-staff-token"


def client_of(request) -> ApiClient | None:
    return request.auth if isinstance(request.auth, ApiClient) else None


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
            group, rate = STAFF_BUDGET, settings.FEEDBACK_API_USER_RATE
        elif (anonymous := self._for_method(self.anonymous, request)) == "submit":
            group, rate = limits.SUBMIT, settings.FEEDBACK_SUBMIT_RATE
        elif anonymous == "support":
            group, rate = limits.SUPPORT, settings.FEEDBACK_SUPPORT_RATE
        else:
            group, rate = limits.LOOKUP, settings.FEEDBACK_LOOKUP_RATE
        if limits.limited(request._request, group, rate):
            raise exceptions.Throttled(wait=60)
