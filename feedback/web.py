"""Helpers the HTML views share (public, staff, intake, transparency,
survey), so no view module imports another: the staff-only decorator, the
staff header's links, the reporter's ticket behind a private link and the
429 page, putting a domain error on its form field, and the map's settings
for the page scripts."""

from __future__ import annotations

import json
import mimetypes
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from feedback import limits, permissions
from feedback.errors import DomainError, Forbidden
from feedback.forms import normalize_code
from feedback.models import Ticket
from feedback.reporter_link import check_secret
from feedback.selectors_public import ticket_by_code


def too_many(request: HttpRequest, *, what: str = "requests") -> HttpResponse:
    """429 with a page that says which limit this address reached:
    "requests" (reports, look-ups) or "private_link" (wrong secrets)."""
    response = render(request, "public/429.html", {"what": what}, status=429)
    response["Retry-After"] = "3600"
    return response


def reporters_ticket(request: HttpRequest, code: str, secret: str) -> Ticket | None:
    """The ticket of a private link, or None when this address has tried too
    many wrong ones; a wrong secret or an unknown code is a 404 (the same
    answer for both) and counts against the address."""
    if limits.private_link_refused(request):
        return None
    ticket = ticket_by_code(normalize_code(code) or "")
    try:
        if ticket is None:
            raise Forbidden("")
        check_secret(ticket, secret)
    except Forbidden:
        limits.wrong_private_link(request)
        raise Http404 from None
    return ticket


def staff_required(view):
    """Signed in, and staff somewhere (officer, head, leader or admin)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_staff_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def staff_nav(request) -> dict:
    """Which of the staff header's links the user gets."""
    r = permissions.roles(request.user)
    return {
        "can_see_numbers": r.is_admin or bool(r.head_of),
        "can_see_dashboard": permissions.sees_figures(request.user),
    }


def intake_required(view):
    """Staff who may record a report for a citizen (not a read-only leader)."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.can_take_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def put_error(form, exc: DomainError) -> None:
    """A workflow error goes next to the field it is about, or on top."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def map_settings() -> str:
    """The map's tile server, attribution and centre, as JSON for maps.js."""
    return json.dumps(
        {
            "tiles": settings.FEEDBACK_MAP_TILE_URL,
            "attribution": settings.FEEDBACK_MAP_ATTRIBUTION,
            "center": list(settings.FEEDBACK_MAP_CENTER),
        }
    )


def serve_file(attachment, *, filename: str, cache_control: str) -> FileResponse:
    """An uploaded file, to a citizen or to staff. Only images are shown in
    the page; anything else (a PDF, which may carry JavaScript) is a
    download, and every file is sandboxed: opened directly, it runs no
    script and reaches nothing of the site."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    is_image = attachment.content_type.startswith("image/")
    response = FileResponse(
        handle,
        content_type=attachment.content_type
        or mimetypes.guess_type(attachment.file.name)[0]
        or "application/octet-stream",
        as_attachment=not is_image,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = cache_control
    return response
