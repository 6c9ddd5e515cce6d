"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2/,
JSON and XML in the spec's shapes, errors in the spec's format.

Mapping to our model:
- a service is an active category (service_code = category code); its
  definition lists the category's extra questions plus two of ours:
  `ward` (the ward or commune, required: there are no ward boundaries to
  place a point in, so a client names it, here or as `address_id`) and
  `consent` (personal data may be used to answer; required by Decree
  356/2025 whenever contact details are given);
- a request is a ticket (service_request_id = its tracking code); status
  is "open" while the ticket is open, "closed" once resolved, closed or
  rejected; status_notes is the office's latest public word,
  agency_responsible the handling office, expected_datetime the due date;
- jurisdiction_id is the province code (FEEDBACK_OPEN311_JURISDICTION,
  "01" for Hà Nội); an empty one means that default.

Writes go through feedback.workflow like every other door; an api_key
(an API key with the "file" scope) is required to POST.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.exceptions import AuthenticationFailed

from api import authentication, clients, media
from api.models import ApiClient
from feedback import limits, selectors_public, workflow
from feedback.errors import DomainError
from feedback.models import Attachment, Category, Ticket, TicketEvent
from workers.queue import queue_task

SPEC = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
CLOSED = (Ticket.Status.RESOLVED, Ticket.Status.CLOSED, Ticket.Status.REJECTED)
# What counts as the office's public word for status_notes.
NOTE_KINDS = (
    TicketEvent.Kind.ANSWERED,
    TicketEvent.Kind.RESOLVED,
    TicketEvent.Kind.INFO_REQUESTED,
    TicketEvent.Kind.REJECTED,
    TicketEvent.Kind.MERGED,
)
MAX_REQUESTS = 1000
DEFAULT_WINDOW = timedelta(days=90)
# The XML element of one item of each list.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status = status
        self.description = description


# --- rendering ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        tag = ITEM.get(element.tag, "item")
        for child in value:
            _fill(ET.SubElement(element, tag), child)
    else:
        element.text = _text(value)


def render(data: Any, fmt: str, root: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        element = ET.Element(root)
        _fill(element, data)
        content = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, "utf-8")
    else:
        content = json.dumps(data, ensure_ascii=False, default=str).encode()
    return HttpResponse(content, status=status, content_type=FORMATS[fmt])


def error_response(request: HttpRequest, status: int, description: str) -> HttpResponse:
    fmt = "xml" if request.path.rstrip("/").endswith(".xml") else "json"
    return render([{"code": status, "description": description}], fmt, "errors", status)


def endpoint(view):
    """Common to every Open311 view: the format suffix, jurisdiction_id,
    the spec's error format, per-address limits for anonymous reads."""

    @csrf_exempt
    def wrapper(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
        if fmt not in FORMATS:
            return error_response(request, 404, _("Chỉ hỗ trợ định dạng json và xml."))
        try:
            jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get(
                "jurisdiction_id", ""
            )
            if jurisdiction and jurisdiction != settings.FEEDBACK_OPEN311_JURISDICTION:
                raise Open311Error(404, _("Không có jurisdiction_id này."))
            client = _client(request)
            if (
                client is None
                and request.method == "GET"
                and limits.limited(request, limits.LOOKUP, settings.FEEDBACK_LOOKUP_RATE)
            ):
                raise Open311Error(429, _("Quá nhiều yêu cầu, vui lòng thử lại sau."))
            return view(request, fmt, client=client, **kwargs)
        except Open311Error as exc:
            return error_response(request, exc.status, exc.description)
        except DomainError as exc:
            status = 400 if exc.status in (400, 409) else exc.status
            description = f"{exc.field}: {exc.message}" if exc.field else exc.message
            return error_response(request, status, description)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _client(request: HttpRequest) -> ApiClient | None:
    key = (
        request.POST.get("api_key")
        or request.GET.get("api_key")
        or authentication.key_from(request)
    )
    if not key:
        return None
    try:
        client = authentication.check_key(key)
    except AuthenticationFailed as exc:
        raise Open311Error(403, str(exc.detail)) from None
    request.api_client = client  # for the access log
    over = clients.over_limit(request, client)
    if over:
        raise Open311Error(429, _("Quá nhiều yêu cầu, vui lòng thử lại sau."))
    return client


# --- discovery and services --------------------------------------------------------------


@endpoint
def discovery(request, fmt, *, client):
    changeset = "2026-11-29T00:00:00Z"
    data = {
        "changeset": changeset,
        "contact": settings.DEFAULT_FROM_EMAIL,
        "key_service": f"{settings.SITE_URL}/api/v1/docs/",
        "endpoints": [
            {
                "specification": SPEC,
                "url": f"{settings.SITE_URL}/open311/v2",
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, "discovery")


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": selectors_public.category_label(category),
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": selectors_public.category_label(category.parent) if category.parent else "",
    }


@endpoint
def services(request, fmt, *, client):
    categories = selectors_public.active_categories().select_related("parent")
    return render([_service(c) for c in categories], fmt, "services")


def _values(values) -> list[dict]:
    out = []
    for value in values or []:
        if isinstance(value, dict):
            out.append({"key": str(value.get("key", "")), "name": str(value.get("name", ""))})
        else:
            out.append({"key": str(value), "name": str(value)})
    return out


def attributes(category: Category) -> list[dict]:
    """The service definition's attributes: ward, consent, then the category's questions."""
    units = selectors_public.reporting_units()
    result = [
        {
            "variable": True,
            "code": "ward",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": _("Mã phường, xã (hoặc gửi address_id)."),
            "order": 1,
            "description": _("Phường, xã nơi xảy ra sự việc"),
            "values": [{"key": u.code, "name": u.name} for u in units],
        },
        {
            "variable": True,
            "code": "consent",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": _("Bắt buộc khi gửi kèm thông tin liên hệ."),
            "order": 2,
            "description": _("Tôi đồng ý cho cơ quan xử lý dữ liệu cá nhân để liên hệ lại"),
            "values": [{"key": "true", "name": _("Đồng ý")}],
        },
    ]
    for order, field in enumerate(category.extra_fields or [], start=3):
        if not isinstance(field, dict) or not field.get("code"):
            continue
        result.append(
            {
                "variable": bool(field.get("variable", True)),
                "code": str(field["code"]),
                "datatype": str(field.get("datatype", "string")),
                "required": bool(field.get("required", False)),
                "datatype_description": str(field.get("datatype_description", "")),
                "order": order,
                "description": str(field.get("description", field["code"])),
                "values": _values(field.get("values")),
            }
        )
    return result


@endpoint
def service_definition(request, fmt, *, client, code: str):
    category = selectors_public.active_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("Không có service_code này."))
    data = {"service_code": category.code, "attributes": attributes(category)}
    return render(data, fmt, "service_definition")


# --- requests ----------------------------------------------------------------------------


def _requests_qs():
    notes = (
        TicketEvent.objects.filter(ticket=OuterRef("pk"), is_public=True, kind__in=NOTE_KINDS)
        .exclude(message="")
        .order_by("-at", "-pk")
        .values("message")[:1]
    )
    photo = (
        Attachment.objects.filter(ticket=OuterRef("pk"), is_public=True)
        .order_by("created_at", "pk")
        .values("pk")[:1]
    )
    return (
        Ticket.objects.select_related("category", "unit", "office")
        .annotate(status_notes=Subquery(notes), photo_id=Subquery(photo))
        .order_by("-received_at", "-pk")
    )


def _visible(client: ApiClient | None) -> Q:
    visible = Q(is_public=True) & ~Q(status=Ticket.Status.REJECTED)
    if client is not None and client.has_scope(ApiClient.Scope.READ_OWN):
        visible |= Q(api_client=client)
    return visible


def _w3c(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request(ticket: Ticket) -> dict:
    is_open = ticket.status not in CLOSED
    media_url = None
    if ticket.photo_id and ticket.is_public:
        media_url = f"{settings.SITE_URL}/tra-cuu/{ticket.code}/tep/{ticket.photo_id}/"
    return {
        "service_request_id": ticket.display_code,
        "status": "open" if is_open else "closed",
        "status_notes": ticket.status_notes or str(ticket.get_status_display()),
        "service_name": selectors_public.category_label(ticket.category),
        "service_code": ticket.category.code,
        "description": ticket.description,
        "agency_responsible": ticket.office.name if ticket.office_id else "",
        "service_notice": "",
        "requested_datetime": _w3c(ticket.received_at),
        "updated_datetime": _w3c(ticket.updated_at),
        "expected_datetime": _w3c(ticket.due_at) if is_open else None,
        "address": ticket.address,
        "address_id": ticket.unit.code,
        "zipcode": None,
        "lat": float(ticket.latitude) if ticket.latitude is not None else None,
        "long": float(ticket.longitude) if ticket.longitude is not None else None,
        "media_url": media_url,
    }


def _date(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    value = parse_datetime(raw.replace(" ", "+"))
    if value is None:
        raise Open311Error(
            400,
            _("%(name)s phải là thời điểm theo W3C, ví dụ 2026-01-01T00:00:00Z.") % {"name": name},
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _codes(raw: str) -> list[str]:
    return [part.strip().replace("-", "").upper() for part in raw.split(",") if part.strip()]


@csrf_exempt
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return post_request(request, fmt=fmt)
    if request.method != "GET":
        return error_response(request, 405, _("Phương thức không được hỗ trợ."))
    return get_requests(request, fmt=fmt)


@endpoint
def get_requests(request, fmt, *, client):
    qs = _requests_qs().filter(_visible(client))
    ids = _codes(request.GET.get("service_request_id", ""))
    if ids:
        # The spec: service_request_id overrides every other filter.
        rows = qs.filter(code__in=ids[:MAX_REQUESTS])
        return render([_request(t) for t in rows], fmt, "service_requests")
    service_codes = [c.strip() for c in request.GET.get("service_code", "").split(",") if c.strip()]
    if service_codes:
        qs = qs.filter(category__code__in=service_codes)
    start, end = _date(request, "start_date"), _date(request, "end_date")
    if start is None and end is None:
        start = timezone.now() - DEFAULT_WINDOW
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    statuses = {s.strip() for s in request.GET.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, _("status chỉ nhận open, closed."))
    if statuses == {"open"}:
        qs = qs.exclude(status__in=CLOSED)
    elif statuses == {"closed"}:
        qs = qs.filter(status__in=CLOSED)
    return render([_request(t) for t in qs[:MAX_REQUESTS]], fmt, "service_requests")


@endpoint
def get_request(request, fmt, *, client, request_id: str):
    ticket = _requests_qs().filter(_visible(client), code__in=_codes(request_id)[:1]).first()
    if ticket is None:
        raise Open311Error(404, _("Không tìm thấy phản ánh."))
    return render([_request(ticket)], fmt, "service_requests")


@endpoint
def token(request, fmt, *, client, token: str):
    """Requests are made at once, so a token is the request's own id."""
    ticket = Ticket.objects.filter(_visible(client), code__in=_codes(token)[:1]).first()
    if ticket is None:
        raise Open311Error(404, _("Không tìm thấy token này."))
    data = [{"service_request_id": ticket.display_code, "token": ticket.display_code}]
    return render(data, fmt, "service_requests")


def _attribute(request: HttpRequest, code: str) -> str:
    return request.POST.get(f"attribute[{code}]", "").strip()


@endpoint
def post_request(request, fmt, *, client):
    if client is None:
        raise Open311Error(403, _("Cần api_key để gửi phản ánh."))
    if not client.has_scope(ApiClient.Scope.FILE):
        raise Open311Error(403, _("Khóa API này không có phạm vi “file”."))
    p = request.POST
    category = selectors_public.active_categories().filter(code=p.get("service_code", "")).first()
    if category is None:
        raise Open311Error(400, _("service_code không hợp lệ."))
    lat, lng = p.get("lat", "").strip(), p.get("long", "").strip()
    address = p.get("address_string", "").strip()
    ward_code = _attribute(request, "ward") or p.get("address_id", "").strip()
    if not (lat and lng) and not address and not p.get("address_id", "").strip():
        raise Open311Error(400, _("Cần lat và long, hoặc address_string, hoặc address_id."))
    unit = selectors_public.reporting_units().filter(code=ward_code).first()
    if unit is None:
        raise Open311Error(
            400, _("Cần phường, xã: attribute[ward] hoặc address_id là mã phường, xã.")
        )
    extra = {}
    for field in category.extra_fields or []:
        if isinstance(field, dict) and field.get("code"):
            answer = _attribute(request, str(field["code"]))
            if field.get("required") and not answer:
                raise Open311Error(400, _("Thiếu attribute[%(code)s].") % {"code": field["code"]})
            if answer:
                extra[str(field["code"])] = answer[:1000]
    urls = [media.check_url(url) for url in p.getlist("media_url") if url.strip()]
    name = f"{p.get('last_name', '').strip()} {p.get('first_name', '').strip()}".strip()
    with workflow.via_client(client):
        filed = workflow.ticket_submit(
            kind=category.default_kind,
            category=category,
            unit=unit,
            description=p.get("description", ""),
            channel=Ticket.Channel.OPEN311,
            api_client=client,
            latitude=lat or None,
            longitude=lng or None,
            address=address,
            extra=extra,
            contact_name=name,
            contact_phone=p.get("phone", ""),
            contact_email=p.get("email", ""),
            consent=_attribute(request, "consent").lower() in ("true", "1", "yes", "on"),
            source_ref=p.get("device_id", "") or p.get("account_id", ""),
            source_data={"open311": {"account_id": p.get("account_id", "")}, "media_url": urls},
        )
        if filed.created:
            pk = filed.ticket.pk
            for url in urls:
                transaction.on_commit(
                    lambda url=url: queue_task("workers.tasks.fetch_media", pk, url)
                )
    answer = [
        {
            "service_request_id": filed.ticket.display_code,
            "service_notice": "",
            "account_id": p.get("account_id") or None,
        }
    ]
    return render(answer, fmt, "service_requests", status=201 if filed.created else 200)
