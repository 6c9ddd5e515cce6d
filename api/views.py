"""API v1: thin views. Writes call feedback.workflow (inside
workflow.via_client, so the timeline names the partner system), reads call
the selectors; errors are DomainErrors turned into one shape by
api.exceptions."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api import examples as ex
from api import media
from api.access import ApiView, client_of
from api.models import ApiClient
from api.serializers import (
    CategorySerializer,
    CitizenViewSerializer,
    FeedEventSerializer,
    OfficeSerializer,
    PublicTicketPage,
    PublicTicketSerializer,
    RankingSerializer,
    RateSerializer,
    ReopenSerializer,
    ReplySerializer,
    TicketDetailSerializer,
    TicketFiledSerializer,
    TicketSubmitSerializer,
    UnitSerializer,
)
from feedback import attachments, limits, scores, selectors_public, workflow
from feedback.errors import Forbidden, NotFound, ValidationFailed
from feedback.models import AdministrativeUnit, Category, Office, Ticket, TicketEvent
from feedback.reporter_link import check_secret, private_path
from feedback.selectors import normalize_code
from workers.queue import queue_task

MAX_IDEMPOTENCY_KEY = 100
SECRET_HEADER = OpenApiParameter(
    "X-Reporter-Secret",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="The reporter's secret, from the answer that filed the ticket.",
)
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Makes a retry safe: the same key and content return the first ticket "
    "(200); the same key with other content is a conflict (409). Scoped to the API key.",
)


def ticket_url(ticket: Ticket) -> str:
    return f"{settings.SITE_URL}/api/v1/tickets/{ticket.display_code}/"


def _find(code: str) -> Ticket:
    ticket = selectors_public.ticket_by_code(normalize_code(code))
    if ticket is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return ticket


def readable_ticket(request, code: str) -> Ticket:
    """A ticket the caller may read here: a public one, or one its own key filed."""
    ticket = _find(code)
    client = client_of(request)
    own = (
        client is not None
        and client.has_scope(ApiClient.Scope.READ_OWN)
        and ticket.api_client_id == client.pk
    )
    if not (own or (ticket.is_public and ticket.status != Ticket.Status.REJECTED)):
        raise NotFound(_("Không tìm thấy phản ánh."))
    return ticket


# --- tickets: file, list, read --------------------------------------------------------


class TicketCursor(CursorPagination):
    ordering = "-received_at"
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class PublicListFilters(serializers.Serializer):
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=AdministrativeUnit.objects.all(), required=False
    )
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.all(), required=False
    )
    office = serializers.SlugRelatedField(
        slug_field="code", queryset=Office.objects.all(), required=False
    )
    status = serializers.ChoiceField(
        choices=["open", "resolved", *Ticket.Status.values], required=False
    )
    bbox = serializers.CharField(
        required=False, help_text="min_lng,min_lat,max_lng,max_lat (WGS 84)"
    )
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError(
                _("Viết bbox dạng kinh_độ_tây,vĩ_độ_nam,kinh_độ_đông,vĩ_độ_bắc.")
            ) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise serializers.ValidationError(_("Khung bbox không hợp lệ."))
        return west, south, east, north


class TicketsView(ApiView):
    """GET: public reports, newest first, with filters and cursor pagination.
    POST: file a report."""

    scope = {"GET": ApiClient.Scope.READ_PUBLIC, "POST": ApiClient.Scope.FILE}
    anonymous = {"GET": "read", "POST": "submit"}

    @extend_schema(
        operation_id="tickets_list",
        parameters=[PublicListFilters],
        responses={200: PublicTicketPage},
        examples=[ex.PUBLIC_LIST],
    )
    def get(self, request):
        filters = PublicListFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        f = filters.validated_data
        qs = selectors_public.filter_public_tickets(
            category=f.get("category"),
            unit=f.get("unit"),
            office=f.get("office"),
            status=f.get("status", ""),
            date_from=f.get("date_from"),
            date_to=f.get("date_to"),
        )
        if "bbox" in f:
            qs = selectors_public.within_bbox(qs, *f["bbox"])
        paginator = TicketCursor()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(PublicTicketSerializer(page, many=True).data)

    @extend_schema(
        operation_id="tickets_create",
        request={
            "application/json": TicketSubmitSerializer,
            "multipart/form-data": TicketSubmitSerializer,
        },
        parameters=[IDEMPOTENCY_HEADER],
        responses={201: TicketFiledSerializer, 200: TicketFiledSerializer},
        examples=[ex.SUBMIT_REQUEST, ex.SUBMIT_RESPONSE],
    )
    def post(self, request):
        key = (request.headers.get("Idempotency-Key") or "").strip() or None
        if key and len(key) > MAX_IDEMPOTENCY_KEY:
            raise ValidationFailed(
                _("Khóa chống gửi trùng quá dài (tối đa 100 ký tự)."), field="Idempotency-Key"
            )
        serializer = TicketSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = attachments.validate_all(data.pop("attachments", []))
        urls = [media.check_url(url) for url in data.pop("media_url", [])]
        if len(files) + len(urls) > settings.FEEDBACK_MAX_ATTACHMENTS:
            raise ValidationFailed(
                _("Chỉ được đính kèm tối đa %(n)d tệp.") % {"n": settings.FEEDBACK_MAX_ATTACHMENTS},
                field="attachments",
            )
        client = client_of(request)
        kind = data.pop("kind", None) or data["category"].default_kind
        with workflow.via_client(client):
            filed = workflow.ticket_submit(
                kind=kind,
                channel=client.channel if client else Ticket.Channel.API,
                api_client=client,
                idempotency_key=key,
                attachments=files,
                source_data={"media_url": urls} if urls else None,
                **data,
            )
            if filed.created:
                pk = filed.ticket.pk
                for url in urls:
                    transaction.on_commit(
                        lambda url=url: queue_task("workers.tasks.fetch_media", pk, url)
                    )
        ticket = filed.ticket
        answer = {
            "code": ticket.display_code,
            "status": ticket.status,
            "url": ticket_url(ticket),
            "secret": filed.secret,
            "private_url": f"{settings.SITE_URL}{private_path(ticket)}",
        }
        # The workflow's insert decides which of two racing calls made it.
        return Response(answer, status=status.HTTP_201_CREATED if filed.created else 200)


def _with_timeline(ticket: Ticket, events) -> Ticket:
    ticket.api_timeline = events
    return ticket


class TicketDetailView(ApiView):
    scope = ApiClient.Scope.READ_PUBLIC

    @extend_schema(
        operation_id="tickets_retrieve",
        responses={200: TicketDetailSerializer},
        examples=[ex.TICKET_DETAIL],
    )
    def get(self, request, code: str):
        """A public ticket (or one your key filed, with the read_own scope) and
        its public timeline."""
        ticket = readable_ticket(request, code)
        _with_timeline(ticket, selectors_public.public_timeline(ticket))
        return Response(TicketDetailSerializer(ticket).data)


# --- the reporter, with the secret ------------------------------------------------------


def _reporter_ticket(request, code: str) -> Ticket:
    """The ticket of a reporter's secret; wrong secrets and unknown codes
    count against the address in the pages' budget (limits.PRIVATE_LINK)."""
    if limits.private_link_refused(request._request):
        raise exceptions.Throttled(wait=3600)
    try:
        ticket = _find(code)
        check_secret(ticket, request.headers.get("X-Reporter-Secret", ""))
    except (NotFound, Forbidden):
        limits.wrong_private_link(request._request)
        raise
    return ticket


def _reporter_action(request, code: str, body: type[serializers.Serializer], action) -> Response:
    """Run a reporter's action (reply, rate, reopen) with their secret."""
    ticket = _reporter_ticket(request, code)
    data = body(data=request.data)
    data.is_valid(raise_exception=True)
    with workflow.via_client(client_of(request)):
        action(ticket, secret=request.headers["X-Reporter-Secret"], **data.validated_data)
    return Response(_reporter_view(ticket))


def _reporter_view(ticket: Ticket) -> dict:
    ticket = Ticket.objects.select_related("category", "unit", "office").get(pk=ticket.pk)
    _with_timeline(ticket, selectors_public.reporter_timeline(ticket))
    ticket.api_actions = sorted(workflow.citizen_actions(ticket))
    return CitizenViewSerializer(ticket).data


class ReporterView(ApiView):
    scope = ApiClient.Scope.FILE

    @extend_schema(
        operation_id="reporter_retrieve",
        parameters=[SECRET_HEADER],
        responses={200: CitizenViewSerializer},
        examples=[ex.REPORTER_VIEW],
    )
    def get(self, request, code: str):
        """The reporter's own view: status, timeline with their replies, and
        what they may do now (reply, rate, reopen)."""
        return Response(_reporter_view(_reporter_ticket(request, code)))


class ReplyView(ApiView):
    scope = ApiClient.Scope.FILE

    @extend_schema(
        operation_id="reporter_reply",
        parameters=[SECRET_HEADER],
        request=ReplySerializer,
        responses={200: CitizenViewSerializer},
        examples=[ex.REPLY_REQUEST],
    )
    def post(self, request, code: str):
        """Answer the office's request for more information."""
        return _reporter_action(request, code, ReplySerializer, workflow.ticket_citizen_reply)


class RateView(ApiView):
    scope = ApiClient.Scope.FILE

    @extend_schema(
        operation_id="reporter_rate",
        parameters=[SECRET_HEADER],
        request=RateSerializer,
        responses={200: CitizenViewSerializer},
        examples=[ex.RATE_REQUEST],
    )
    def post(self, request, code: str):
        """Rate the result, 1 to 5 (4 or 5 closes the ticket)."""
        return _reporter_action(request, code, RateSerializer, workflow.ticket_rate)


class ReopenView(ApiView):
    scope = ApiClient.Scope.FILE

    @extend_schema(
        operation_id="reporter_reopen",
        parameters=[SECRET_HEADER],
        request=ReopenSerializer,
        responses={200: CitizenViewSerializer},
        examples=[ex.REOPEN_REQUEST],
    )
    def post(self, request, code: str):
        """Ask to reopen a result you are not satisfied with (within the window)."""
        return _reporter_action(request, code, ReopenSerializer, workflow.ticket_reopen)


class SupportView(ApiView):
    scope = ApiClient.Scope.FILE
    anonymous = "support"

    @extend_schema(
        operation_id="tickets_support",
        request=None,
        responses={200: PublicTicketSerializer},
        examples=[ex.TICKET_PUBLIC],
    )
    def post(self, request, code: str):
        """Add your voice to an open public report instead of filing a duplicate
        (once per address)."""
        ticket = _find(code)
        fingerprint = workflow.support_fingerprint(address=limits.client_address(request._request))
        with workflow.via_client(client_of(request)):
            ticket = workflow.ticket_support(ticket, fingerprint=fingerprint)
        return Response(PublicTicketSerializer(_find(code)).data)


# --- reference data -----------------------------------------------------------------------


class CategoriesView(ApiView):
    scope = ApiClient.Scope.READ_PUBLIC

    @extend_schema(
        operation_id="categories_list",
        responses={200: CategorySerializer(many=True)},
        examples=[ex.CATEGORIES],
    )
    def get(self, request):
        """Active categories, as a tree (parent codes), with their extra questions."""
        qs = selectors_public.active_categories().select_related("parent")
        return Response(CategorySerializer(qs, many=True).data)


class UnitsView(ApiView):
    scope = ApiClient.Scope.READ_PUBLIC

    @extend_schema(
        operation_id="units_list",
        responses={200: UnitSerializer(many=True)},
        examples=[ex.UNITS],
    )
    def get(self, request):
        """Wards, communes and special zones a report can be filed in."""
        qs = selectors_public.reporting_units().select_related("parent")
        return Response(UnitSerializer(qs, many=True).data)


class OfficesView(ApiView):
    scope = ApiClient.Scope.READ_PUBLIC

    @extend_schema(
        operation_id="offices_list",
        responses={200: OfficeSerializer(many=True)},
        examples=[ex.OFFICES],
    )
    def get(self, request):
        """Offices that answer reports (wards, departments, agencies)."""
        qs = selectors_public.public_offices().select_related("unit").order_by("name")
        return Response(OfficeSerializer(qs, many=True).data)


class RankingsQuery(serializers.Serializer):
    period = serializers.ChoiceField(choices=list(scores.PERIODS), required=False)


class RankingsView(ApiView):
    scope = ApiClient.Scope.READ_PUBLIC

    @extend_schema(
        operation_id="rankings_list",
        parameters=[RankingsQuery],
        responses={200: RankingSerializer(many=True)},
        examples=[ex.RANKINGS],
    )
    def get(self, request):
        """The transparency rankings (docs/scores.md): each office's numbers for
        the period, ranked within its peer group."""
        query = RankingsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, end = scores.period_bounds(query.validated_data.get("period", "this_month"))
        rows = scores.office_rankings(start=start, end=end)
        return Response(RankingSerializer(rows, many=True).data)


# --- the change feed ----------------------------------------------------------------------


class FeedQuery(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, required=False, default=0)
    limit = serializers.IntegerField(min_value=1, max_value=500, required=False, default=100)


class FeedPage(serializers.Serializer):
    events = FeedEventSerializer(many=True)
    next = serializers.IntegerField(help_text="Pass as `after` on the next call.")


def feed_events(client: ApiClient | None, *, after: int, limit: int) -> tuple[list, int]:
    """Events after the cursor that this caller may see, oldest first. The
    newest FEEDBACK_FEED_SETTLE_SECONDS are held back so that a slower
    transaction cannot commit an event behind a cursor already handed out."""
    settled = timezone.now() - timedelta(seconds=settings.FEEDBACK_FEED_SETTLE_SECONDS)
    visible = Q(is_public=True, ticket__is_public=True)
    if client is not None and client.has_scope(ApiClient.Scope.READ_OWN):
        visible |= Q(is_public=True, ticket__api_client=client)
    office_id = None
    if client is not None and client.has_scope(ApiClient.Scope.STAFF):
        office_id = client.office_id
        visible |= Q(ticket__office_id=office_id)
    rows = list(
        TicketEvent.objects.filter(pk__gt=after, recorded_at__lt=settled)
        .filter(visible)
        .select_related("ticket", "office")
        .order_by("pk")[:limit]
    )
    # The office reads its tickets' whole timeline; anyone else, the public
    # words only (never a citizen's).
    selectors_public.public_events(
        r for r in rows if office_id is None or r.ticket.office_id != office_id
    )
    return rows, (rows[-1].pk if rows else after)


class FeedView(ApiView):
    scope = ApiClient.Scope.READ_PUBLIC

    @extend_schema(
        operation_id="events_list",
        parameters=[FeedQuery],
        responses={200: FeedPage},
        examples=[ex.FEED],
    )
    def get(self, request):
        """Ticket events since a cursor, for partners who poll: public events
        of public tickets, plus your own tickets' (read_own) and your office's
        (staff). Start with after=0; keep the `next` you get."""
        query = FeedQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows, cursor = feed_events(client_of(request), **query.validated_data)
        return Response({"events": FeedEventSerializer(rows, many=True).data, "next": cursor})
