"""Helpers the HTML views share (public, staff, intake, transparency), so no
view module imports another: the staff-only decorator, the staff header's
links, putting a domain error on its form field, and the map's settings for
the page scripts."""

from __future__ import annotations

import json
import mimetypes
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404

from feedback import permissions
from feedback.errors import DomainError


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
