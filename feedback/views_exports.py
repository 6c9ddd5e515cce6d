"""The staff inbox as a CSV or XLSX download (feedback.exports), with the
page's filters: the tickets behind any figure that links to the inbox.
Thin: selectors read, exports writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from feedback import exports, selectors
from feedback.web import staff_required


@require_GET
@staff_required
def inbox_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The inbox as it is filtered on the page, every row, not one page."""
    place = selectors.workplace_for(
        request.user, request.GET.get("office") or request.session.get("staff_office")
    )
    if place is None:
        raise PermissionDenied
    filters = selectors.InboxFilters.from_query(request.GET)
    tickets = selectors.inbox(request.user, place, filters)
    name = f"phan-anh-{place.office.code}"
    return exports.response(exports.ticket_table(request.user, tickets, name=name), fmt)
