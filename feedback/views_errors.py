"""Error pages Django would otherwise answer with its own English ones."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form was refused because its token or its origin
    did not check out. For a person that almost always means a page left
    open too long, a cookie blocked or cleared, or a second tab; the way out
    is to reload the page and send again, so the page says that in the
    reader's language and links back to where the form was. `reason` is
    Django's (logged by Django under django.security.csrf), not shown."""
    staff = request.path.startswith("/staff/")
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("staff:inbox" if staff else "public:home")
    return render(
        request,
        "403_csrf.html",
        {"layout": "staff/layout.html" if staff else "public/layout.html", "back": back},
        status=403,
    )
