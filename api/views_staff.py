"""Staff endpoints, for offices with their own case systems: the inbox with
the inbox page's filters, a ticket with the actions allowed now, and one
endpoint per workflow action (workflow.STAFF_ACTIONS: an action added
there gets its endpoint here without more code). The same permission rules
as the pages: another office's ticket is not found, a leader may read but
not act. Callers: an officer with a token (`Authorization: Token ...`) or
a staff-scoped API key, which acts as its officer in its one office."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from api import examples as ex
from api.access import ApiView, client_of
from api.models import ApiClient
from api.serializers import (
    InboxPage,
    StaffActionSerializer,
    StaffRowSerializer,
    StaffTicketSerializer,
)
from feedback import permissions, selectors, workflow
from feedback.errors import Forbidden, NotFound
from feedback.models import Ticket

INBOX_FILTERS = [
    OpenApiParameter("office", int, description="Office id (default: your first)."),
    OpenApiParameter(
        "status",
        str,
        description="open (default), all, or a status: " + ", ".join(Ticket.Status.values),
    ),
    OpenApiParameter("category", int, description="Category id (with its subcategories)."),
    OpenApiParameter("channel", str, enum=Ticket.Channel.values),
    OpenApiParameter("assignee", str, description="mine, unassigned, or a user id"),
    OpenApiParameter("due", str, enum=["soon", "overdue"]),
    OpenApiParameter("q", str, description="Search; diacritics optional, codes too."),
    OpenApiParameter("page", int),
]


class StaffView(ApiView):
    scope = ApiClient.Scope.STAFF
    anonymous = None

    def check_permissions(self, request) -> None:
        super().check_permissions(request)
        if not permissions.is_staff_user(request.user):
            raise Forbidden(_("Chỉ cán bộ mới dùng được chức năng này."))

    def ticket(self, request, code: str) -> Ticket:
        ticket = selectors.ticket_for_staff(request.user, code)
        client = client_of(request)
        # A staff key works its own office's tickets, whatever else its officer may see.
        if client is not None and ticket.office_id != client.office_id:
            raise NotFound(_("Không tìm thấy phản ánh."))
        return ticket


class InboxPaginator(PageNumberPagination):
    page_size = 50


class InboxView(StaffView):
    @extend_schema(
        operation_id="staff_inbox",
        parameters=INBOX_FILTERS,
        responses={200: InboxPage},
        examples=[ex.INBOX],
    )
    def get(self, request):
        """One office's inbox, soonest due first, with the inbox page's filters."""
        client = client_of(request)
        office = client.office_id if client is not None else request.query_params.get("office")
        place = selectors.workplace_for(request.user, office)
        if place is None or (client is not None and place.office.pk != client.office_id):
            raise Forbidden(_("Bạn không có hộp thư nào."))
        filters = selectors.InboxFilters.from_query(request.query_params)
        paginator = InboxPaginator()
        page = paginator.paginate_queryset(
            selectors.inbox(request.user, place, filters), request, view=self
        )
        return paginator.get_paginated_response(StaffRowSerializer(page, many=True).data)


def staff_view(user, ticket: Ticket) -> dict:
    ticket.api_timeline = selectors.timeline(user, ticket)
    ticket.api_actions = sorted(workflow.allowed_actions(user, ticket))
    ticket.api_show_contact = selectors.contact_shown(user, ticket, via="api:staff_ticket")
    return StaffTicketSerializer(ticket).data


class StaffTicketView(StaffView):
    @extend_schema(
        operation_id="staff_ticket",
        responses={200: StaffTicketSerializer},
        examples=[ex.STAFF_TICKET],
    )
    def get(self, request, code: str):
        """A ticket with its whole timeline and `allowed_actions`: exactly the
        actions endpoints that would accept a call now."""
        return Response(staff_view(request.user, self.ticket(request, code)))


class StaffActionView(StaffView):
    """POST /api/v1/staff/tickets/{code}/{action}/, one URL per action."""

    action_name = ""

    def post(self, request, code: str):
        ticket = self.ticket(request, code)
        body = StaffActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with workflow.via_client(client_of(request)):
            ticket = workflow.perform(
                self.action_name, ticket, actor=request.user, params=body.validated_data
            )
        return Response(staff_view(request.user, selectors.ticket_for_staff(request.user, code)))


# What each action reads from the body (shown in the schema).
ACTION_FIELDS = {
    "assign": "assignee (user id)",
    "request_info": "message",
    "note": "message",
    "answer": "message",
    "resolve": "message",
    "transfer": "to_office (office id), reason",
    "not_ours": "reason",
    "merge": "into (the original ticket's code)",
    "reject": "reason",
    "extend": "reason",
    "refuse": "grounds (list of refusal ground codes), reason (optional)",
    "extend_screening": "reason",
    "declare_complex": "level (complex or especially_complex), reason",
    "suspend": "ground (34-1a or 34-1b), reason (optional)",
    "resume": "reason",
}


def action_view(name: str):
    """The view for one staff action, with its own operation in the schema."""
    fields = ACTION_FIELDS.get(name, "see the staff guide")

    # A function of its own per action: extend_schema marks the function.
    def post(self, request, code: str):
        return StaffActionView.post(self, request, code)

    post = extend_schema(
        operation_id=f"staff_{name}",
        summary=f"Staff action: {name}",
        description=f"Runs the workflow action `{name}` (reads: {fields}). 409 when the "
        "ticket's state does not allow it, 403 when you may not act on it.",
        request=StaffActionSerializer,
        responses={200: StaffTicketSerializer},
        examples=[ex.staff_action_example(name)],
    )(post)
    view = type(f"Staff_{name}_View", (StaffActionView,), {"action_name": name, "post": post})
    return view.as_view()
