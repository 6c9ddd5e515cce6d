"""The one place where tickets change.

Every action: locks the row, returns quietly if the change is already done
(where that makes sense), checks the actor's right to act, writes the ticket
and its TicketEvent in one transaction, recomputes due dates, and on commit
publishes a live update and queues delivery of notifications. Views, the
API, Celery tasks and management commands call these functions and nothing
else to change a ticket.

All actions take the ticket (or its id) first and keyword-only arguments
after it. `at` backdates an action; only trusted code (imports, demo data,
tests) passes it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from feedback import deadlines, live, notifications, permissions, routing
from feedback.attachments import CleanFile
from feedback.attachments import discard as attachments_discard
from feedback.attachments import store as attachments_store
from feedback.errors import (
    DomainError,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from feedback.models import (
    AdministrativeUnit,
    Category,
    Membership,
    Office,
    Rating,
    Support,
    Ticket,
    TicketEvent,
)
from feedback.text import fold

log = logging.getLogger(__name__)

# Set while history is replayed (demo data, imports of closed cases): the
# events are written as already delivered and nothing is published or queued.
_replaying: ContextVar[bool] = ContextVar("feedback_replaying_history", default=False)


@contextmanager
def replaying_history() -> Iterator[None]:
    """Write past events without their side effects: nobody is emailed
    about a ticket closed last spring, and routing is done by the caller."""
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


S = Ticket.Status
E = TicketEvent.Kind

# Channels where the citizen fills the form in themselves; anywhere else an
# officer records the report in the course of a public duty.
SELF_SERVICE_CHANNELS = {Ticket.Channel.WEB, Ticket.Channel.API, Ticket.Channel.OPEN311}
# How far into the future a clock may be ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)
# After this many offices say "not ours", a person triages the ticket.
MAX_REFUSALS = 2
MAX_TEXT = 10_000

# The statuses each staff action starts from: the one table that both the
# actions and allowed_actions() read, so a page never offers what the
# workflow would refuse (and the two cannot drift apart).
STAFF_ACTION_FROM: dict[str, tuple[str, ...]] = {
    "acknowledge": (S.ROUTED, S.REOPENED),
    "assign": (S.ROUTED, S.IN_PROGRESS, S.AWAITING_CITIZEN, S.REOPENED),
    "request_info": (S.IN_PROGRESS,),
    "answer": (S.IN_PROGRESS,),
    "note": tuple(S.values),
    "resolve": (S.ROUTED, S.IN_PROGRESS, S.REOPENED),
    "transfer": (S.ROUTED, S.IN_PROGRESS, S.REOPENED),
    "not_ours": (S.ROUTED, S.IN_PROGRESS),
    "reject": tuple(Ticket.OPEN_STATUSES),
    "merge": tuple(Ticket.OPEN_STATUSES),
    "extend": (S.ROUTED, S.IN_PROGRESS, S.AWAITING_CITIZEN),
}


# --- helpers ------------------------------------------------------------------


def reporter_secret(ticket: Ticket) -> str:
    """The token of the reporter's private link for this ticket."""
    return salted_hmac(
        "feedback.reporter", f"{ticket.code}:{ticket.reporter_key}", algorithm="sha256"
    ).hexdigest()[:32]


def check_secret(ticket: Ticket, secret: str | None) -> None:
    if (
        not secret
        or not ticket.reporter_key
        or not constant_time_compare(reporter_secret(ticket), secret)
    ):
        raise Forbidden(_("Liên kết riêng không đúng hoặc đã hết hiệu lực."))


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


_REFERENCES = ("category", "unit", "office")


def _lock(ticket: Ticket | int) -> Ticket:
    """The ticket's row, locked for this transaction and read fresh. The
    category, unit and office rows are not locked: they are reference data,
    and an instance the caller already holds lends its loaded ones."""
    pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    try:
        locked = Ticket.objects.select_for_update().get(pk=pk)
    except Ticket.DoesNotExist:
        raise NotFound(_("Không tìm thấy phản ánh.")) from None
    if isinstance(ticket, Ticket):
        for name in _REFERENCES:
            field = Ticket._meta.get_field(name)
            if field.is_cached(ticket) and getattr(ticket, field.attname) == getattr(
                locked, field.attname
            ):
                field.set_cached_value(locked, field.get_cached_value(ticket))
    return locked


def _require_status(ticket: Ticket, allowed: Iterable[str], action: str) -> None:
    if ticket.status not in allowed:
        raise InvalidTransition(
            _("Không thể %(action)s khi phản ánh đang ở trạng thái “%(status)s”.")
            % {"action": action, "status": ticket.get_status_display()}
        )


def _require_actor(user, ticket: Ticket) -> None:
    if not permissions.can_act(user, ticket):
        raise Forbidden(_("Bạn không có quyền xử lý phản ánh này."))


def _require_contactable(ticket: Ticket) -> None:
    if ticket.is_anonymous or not (ticket.contact_email or ticket.contact_phone):
        raise InvalidTransition(
            _("Người phản ánh không để lại cách liên hệ nên không thể đề nghị bổ sung.")
        )


def _require_not_dispatch(ticket: Ticket) -> None:
    if ticket.office is not None and ticket.office.kind == Office.Kind.DISPATCH:
        raise InvalidTransition(_("Bộ phận điều phối chuyển phản ánh bằng chức năng “Chuyển”."))


def _require_head(user, ticket: Ticket) -> None:
    if not permissions.is_head(user, ticket.office_id):
        raise Forbidden(_("Chỉ lãnh đạo cơ quan mới quyết định gia hạn."))


def _extended_due(ticket: Ticket) -> datetime:
    try:
        return deadlines.extended_due(ticket)
    except ValueError:
        raise InvalidTransition(_("Đã hết số lần gia hạn cho phép.")) from None


def _require_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("Vui lòng nhập %(label)s.") % {"label": label}, field=field)
    if len(value) > MAX_TEXT:
        raise ValidationFailed(
            _("%(label)s quá dài (tối đa %(n)d ký tự).") % {"label": label, "n": MAX_TEXT},
            field=field,
        )
    return value


def _actor_label(user) -> str:
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def _record_language():
    """Text kept on the ticket (timeline messages, routing reasons) is a
    shared record that citizens and every office read, so it is written in
    the site's language (settings.LANGUAGE_CODE) whatever language the
    acting person's pages are in. Error messages stay in the reader's
    language."""
    return translation.override(settings.LANGUAGE_CODE)


def _record(
    ticket: Ticket,
    kind: str,
    *,
    at: datetime,
    actor=None,
    actor_label: str | None = None,
    from_status: str = "",
    message: str = "",
    public: bool = False,
    office: Office | None = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    event = TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        at=at,
        actor=actor,
        actor_label=actor_label if actor_label is not None else _actor_label(actor),
        office=office if office is not None else ticket.office,
        from_status=from_status,
        to_status=ticket.status,
        is_public=public,
        message=message,
        data=data or {},
        notified_at=at if _replaying.get() or not notifications.owes_delivery(kind) else None,
    )
    _after_commit(ticket, event)
    return event


def _after_commit(ticket: Ticket, event: TicketEvent) -> None:
    if _replaying.get():
        return
    # A transfer also tells the office the ticket left, so its open inboxes
    # drop the row without a reload.
    from_office = (event.data or {}).get("from_office") if event.kind == E.TRANSFERRED else None
    office_ids = [ticket.office_id or 0, event.office_id or 0, from_office or 0]
    snapshot = {
        "ticket_id": ticket.pk,
        "code": ticket.code,
        "status": ticket.status,
        "office_ids": office_ids,
        "event_kind": event.kind,
        "public": event.is_public,
    }
    event_id, owed = event.pk, event.notified_at is None

    def publish() -> None:
        live.publish_ticket_change(**snapshot)
        if owed:
            queue_task("workers.tasks.deliver_event", event_id)

    transaction.on_commit(publish)


def queue_task(name: str, *args: Any) -> bool:
    """Send a task without ever failing the caller: the row that needs the
    work is committed, and a periodic sweep finds it if the broker is down."""
    if _replaying.get():
        return False
    from config.celery import app

    try:
        app.send_task(name, args=args) if not settings.TASKS_INLINE else _run_inline(name, args)
        return True
    except Exception:
        log.warning("could not queue %s%r; the sweep will pick it up", name, args, exc_info=True)
        return False


def _queue_on_commit(name: str, *args: Any) -> None:
    if not _replaying.get():
        transaction.on_commit(lambda: queue_task(name, *args))


def _run_inline(name: str, args: tuple) -> None:
    # Embedded default: no broker, so run the task body here, after commit.
    from config.celery import app

    app.tasks[name].apply(args=args, throw=False)


def _save(ticket: Ticket, fields: Iterable[str]) -> None:
    ticket.save(update_fields=[*fields, "updated_at"])


def _set_due(ticket: Ticket, *, start: datetime | None = None) -> list[str]:
    due = deadlines.compute_due(ticket, start=start)
    ticket.ack_due_at = due.ack_due_at
    ticket.due_at = due.due_at
    if ticket.forward_due_at is None:
        ticket.forward_due_at = due.forward_due_at
    ticket.warned_at = None
    ticket.breached_at = None
    ticket.escalated_at = None
    return ["ack_due_at", "due_at", "forward_due_at", "warned_at", "breached_at", "escalated_at"]


# --- intake -------------------------------------------------------------------


def _parse_coordinate(value: Any, low: int, high: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Tọa độ không hợp lệ."), field=field) from None
    if not number.is_finite() or not low <= number <= high:
        raise ValidationFailed(_("Tọa độ không hợp lệ."), field=field)
    return number


def ticket_submit(
    *,
    kind: str,
    category: Category,
    unit: AdministrativeUnit,
    title: str = "",
    description: str,
    channel: str,
    received_at: datetime | None = None,
    entered_by=None,
    priority: str = Ticket.Priority.NORMAL,
    is_complex: bool = False,
    latitude: Any = None,
    longitude: Any = None,
    address: str = "",
    extra: dict | None = None,
    source_ref: str = "",
    source_data: dict | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_address: str = "",
    consent: bool = False,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    is_public: bool = True,
    idempotency_key: str | None = None,
    attachments: Sequence[CleanFile] = (),
    at: datetime | None = None,
) -> tuple[Ticket, str | None]:
    """Store a new ticket and queue its routing on commit. Returns the ticket
    and the reporter's secret (for the private link); a replay of the same
    idempotency key returns the first ticket (and stores no files again).

    `attachments` are files already checked by feedback.attachments.validate;
    they are stored in the ticket's transaction: all or nothing."""
    now = _now(at)
    if kind not in Ticket.Kind.values:
        raise ValidationFailed(_("Loại phản ánh không hợp lệ."), field="kind")
    if channel not in Ticket.Channel.values:
        raise ValidationFailed(_("Kênh tiếp nhận không hợp lệ."), field="channel")
    if priority not in Ticket.Priority.values:
        raise ValidationFailed(_("Mức độ không hợp lệ."), field="priority")
    if category is None or not category.is_active:
        raise ValidationFailed(_("Lĩnh vực không tồn tại hoặc đã ngừng sử dụng."), field="category")
    if (
        unit is None
        or not unit.is_active
        or unit.kind
        not in (
            AdministrativeUnit.Kind.WARD,
            AdministrativeUnit.Kind.COMMUNE,
            AdministrativeUnit.Kind.SPECIAL_ZONE,
        )
    ):
        raise ValidationFailed(_("Vui lòng chọn phường, xã đang hoạt động."), field="unit")
    description = _require_text(description, "description", _("nội dung phản ánh"))
    title = (title or "").strip()[:200] or " ".join(description.split())[:80]

    lat = _parse_coordinate(latitude, -90, 90, "latitude")
    lng = _parse_coordinate(longitude, -180, 180, "longitude")
    if (lat is None) != (lng is None):
        raise ValidationFailed(_("Cần đủ cả vĩ độ và kinh độ."), field="latitude")
    if category.location_required and lat is None and not address.strip():
        raise ValidationFailed(
            _("Lĩnh vực này cần vị trí: chọn trên bản đồ hoặc nhập địa chỉ."), field="address"
        )

    if channel not in SELF_SERVICE_CHANNELS and entered_by is None:
        raise ValidationFailed(_("Phản ánh qua kênh này phải do cán bộ nhập."), field="channel")
    if received_at is None:
        received_at = now
    elif entered_by is None and channel in SELF_SERVICE_CHANNELS and received_at != now:
        raise ValidationFailed(
            _("Chỉ cán bộ mới được nhập thời điểm tiếp nhận."), field="received_at"
        )
    if received_at > now + CLOCK_SKEW:
        raise ValidationFailed(_("Thời điểm tiếp nhận không thể ở tương lai."), field="received_at")
    if received_at < now - timedelta(days=366):
        raise ValidationFailed(_("Thời điểm tiếp nhận quá cũ (hơn một năm)."), field="received_at")
    received_at = min(received_at, now)

    contact = {
        "contact_name": contact_name.strip()[:150],
        "contact_phone": contact_phone.strip()[:30],
        "contact_email": contact_email.strip()[:254],
        "contact_address": contact_address.strip()[:255],
    }
    has_identity = bool(contact["contact_name"]) and any(
        contact[f] for f in ("contact_phone", "contact_email", "contact_address")
    )
    if kind in (Ticket.Kind.COMPLAINT, Ticket.Kind.DENUNCIATION) and (
        is_anonymous or not has_identity
    ):
        raise ValidationFailed(
            _(
                "Khiếu nại và tố cáo cần họ tên và một cách liên hệ "
                "(điện thoại, thư điện tử hoặc địa chỉ)."
            ),
            field="contact_name",
        )
    if kind == Ticket.Kind.DENUNCIATION:
        # Luật Tố cáo art. 9: the denouncer's identity is always secret.
        is_confidential = True
    if kind != Ticket.Kind.FEEDBACK:
        # A complaint concerns the complainant's own case and a denunciation
        # is secret by law: only plain feedback is ever shown publicly.
        is_public = False
    if is_anonymous:
        contact = dict.fromkeys(contact, "")
    has_contact = any(contact.values())
    if has_contact and channel in SELF_SERVICE_CHANNELS and not consent:
        raise ValidationFailed(
            _("Vui lòng đồng ý cho cơ quan xử lý dữ liệu cá nhân để được liên hệ lại."),
            field="consent",
        )

    fields = dict(
        kind=kind,
        category=category,
        unit=unit,
        title=title,
        description=description,
        extra=extra or {},
        channel=channel,
        priority=priority,
        is_complex=is_complex,
        latitude=lat,
        longitude=lng,
        address=address.strip()[:255],
        source_ref=source_ref.strip()[:500],
        source_data=source_data or {},
        consent_at=now if has_contact and consent else None,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        is_public=is_public,
        reporter_key=secrets.token_hex(16),
        received_at=received_at,
        created_at=now,
        created_by=entered_by,
        idempotency_key=idempotency_key or None,
        **contact,
    )
    stored: list = []
    try:
        with transaction.atomic():
            ticket = Ticket(**fields)
            ticket.search_text = fold(" ".join([ticket.code, title, description, ticket.address]))
            ticket.save()
            data: dict[str, Any] = {"channel": channel}
            if entered_by is not None:
                data["entered_by"] = entered_by.pk
                data["entered_at"] = now.isoformat()
            if received_at != now:
                data["received_at"] = received_at.isoformat()
            received = _record(
                ticket,
                E.RECEIVED,
                at=received_at,
                actor=entered_by,
                actor_label=_actor_label(entered_by) if entered_by else "citizen",
                public=True,
                data=data,
            )
            if attachments:
                # Last in the block: nothing after it can fail and leave files behind.
                stored = attachments_store(
                    ticket,
                    attachments,
                    event=received,
                    uploaded_by=entered_by,
                    is_public=is_public,
                )
            _queue_on_commit("workers.tasks.route_ticket", ticket.pk)
    except IntegrityError:
        attachments_discard(stored)
        if not idempotency_key:
            raise
        existing = Ticket.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        if existing.description != description or existing.category_id != category.pk:
            raise InvalidTransition(
                _("Khóa chống gửi trùng này đã dùng cho một phản ánh khác.")
            ) from None
        return existing, reporter_secret(existing)
    return ticket, reporter_secret(ticket)


# --- routing ------------------------------------------------------------------


@transaction.atomic
def ticket_route(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    """System action: received -> routed. Idempotent: a second run (a task
    delivered twice, a sweep racing a worker) finds the ticket routed and
    does nothing."""
    now = _now(at)
    ticket = _lock(ticket)
    if ticket.status != S.RECEIVED:
        return ticket
    # ticket_not_ours writes each NOT_OURS event and counts it in `refusals`
    # in one transaction: with no refusal there is nothing to look up.
    refused = (
        set(ticket.events.filter(kind=E.NOT_OURS).values_list("office_id", flat=True)) - {None}
        if ticket.refusals
        else set()
    )
    with _record_language():
        if ticket.refusals >= MAX_REFUSALS:
            choice = routing.RouteChoice(
                routing.dispatch_office(ticket),
                None,
                _("%(n)d cơ quan đã trả lại (không thuộc thẩm quyền): chuyển bộ phận điều phối")
                % {"n": ticket.refusals},
            )
        else:
            choice = routing.pick_office(ticket, exclude=refused)
        message = _("Chuyển đến %(office)s") % {"office": choice.office.name}
    first_time = ticket.routed_at is None
    ticket.office = choice.office
    ticket.routing_rule = choice.rule
    ticket.routing_reason = choice.reason[:255]
    ticket.status = S.ROUTED
    ticket.routed_at = now
    ticket.assignee = None
    fields = ["office", "routing_rule", "routing_reason", "status", "routed_at", "assignee"]
    if first_time:
        fields += _set_due(ticket)
    _save(ticket, fields)
    _record(
        ticket,
        E.ROUTED,
        at=now,
        from_status=S.RECEIVED,
        public=True,
        message=message,
        data={"rule": choice.rule.pk if choice.rule else None, "reason": choice.reason},
    )
    return ticket


# --- office actions -----------------------------------------------------------


@transaction.atomic
def ticket_acknowledge(ticket: Ticket | int, *, actor, at: datetime | None = None) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    if ticket.status == S.IN_PROGRESS:
        return ticket
    _require_status(ticket, STAFF_ACTION_FROM["acknowledge"], _("thụ lý"))
    before = ticket.status
    ticket.status = S.IN_PROGRESS
    ticket.acknowledged_at = ticket.acknowledged_at or now
    fields = ["status", "acknowledged_at"]
    if ticket.assignee_id is None:
        ticket.assignee = actor
        fields.append("assignee")
    _save(ticket, fields)
    with _record_language():
        message = _("%(office)s đã tiếp nhận, đang xử lý") % {"office": ticket.office.name}
    _record(
        ticket,
        E.ACKNOWLEDGED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
    )
    return ticket


@transaction.atomic
def ticket_assign(ticket: Ticket | int, *, actor, assignee, at: datetime | None = None) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    _require_status(ticket, STAFF_ACTION_FROM["assign"], _("phân công"))
    if assignee is None:
        raise ValidationFailed(_("Vui lòng chọn cán bộ."), field="assignee")
    if assignee.pk != actor.pk and not permissions.is_head(actor, ticket.office_id):
        raise Forbidden(_("Chỉ lãnh đạo cơ quan mới phân công cho người khác."))
    works_here = Membership.objects.filter(
        user=assignee,
        office=ticket.office,
        role__in=(Membership.Role.OFFICER, Membership.Role.HEAD),
    ).exists()
    if not works_here:
        raise ValidationFailed(_("Người được phân công không thuộc cơ quan này."), field="assignee")
    if ticket.assignee_id == assignee.pk:
        return ticket
    ticket.assignee = assignee
    _save(ticket, ["assignee"])
    _record(
        ticket,
        E.ASSIGNED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        data={"assignee": assignee.pk, "assignee_name": _actor_label(assignee)},
    )
    return ticket


@transaction.atomic
def ticket_request_info(
    ticket: Ticket | int, *, actor, message: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    message = _require_text(message, "message", _("nội dung đề nghị bổ sung"))
    _require_status(ticket, STAFF_ACTION_FROM["request_info"], _("đề nghị bổ sung thông tin"))
    _require_contactable(ticket)
    ticket.status = S.AWAITING_CITIZEN
    ticket.paused_since = now
    _save(ticket, ["status", "paused_since"])
    _record(
        ticket,
        E.INFO_REQUESTED,
        at=now,
        actor=actor,
        from_status=S.IN_PROGRESS,
        public=True,
        message=message,
    )
    return ticket


@transaction.atomic
def ticket_answer(
    ticket: Ticket | int, *, actor, message: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    message = _require_text(message, "message", _("nội dung trả lời"))
    _require_status(ticket, STAFF_ACTION_FROM["answer"], _("trả lời"))
    ticket.first_response_at = ticket.first_response_at or now
    _save(ticket, ["first_response_at"])
    _record(
        ticket,
        E.ANSWERED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
    )
    return ticket


@transaction.atomic
def ticket_note(ticket: Ticket | int, *, actor, message: str, at: datetime | None = None) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    _require_status(ticket, STAFF_ACTION_FROM["note"], _("ghi chú"))
    message = _require_text(message, "message", _("ghi chú"))
    _record(ticket, E.NOTE, at=now, actor=actor, from_status=ticket.status, message=message)
    return ticket


@transaction.atomic
def ticket_resolve(
    ticket: Ticket | int, *, actor, message: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    message = _require_text(message, "message", _("kết quả giải quyết"))
    _require_status(ticket, STAFF_ACTION_FROM["resolve"], _("giải quyết"))
    before = ticket.status
    ticket.status = S.RESOLVED
    ticket.acknowledged_at = ticket.acknowledged_at or now
    ticket.first_response_at = ticket.first_response_at or now
    ticket.resolved_at = now
    _save(ticket, ["status", "acknowledged_at", "first_response_at", "resolved_at"])
    _record(
        ticket,
        E.RESOLVED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={
            "round": ticket.round,
            "on_time": ticket.due_at is None or now <= ticket.due_at,
            "due_at": ticket.due_at.isoformat() if ticket.due_at else None,
        },
    )
    return ticket


@transaction.atomic
def ticket_transfer(
    ticket: Ticket | int, *, actor, to_office: Office, reason: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    reason = _require_text(reason, "reason", _("lý do chuyển"))
    _require_status(ticket, STAFF_ACTION_FROM["transfer"], _("chuyển cơ quan khác"))
    if to_office is None or not to_office.is_active:
        raise ValidationFailed(_("Cơ quan nhận không hợp lệ."), field="to_office")
    if to_office.pk == ticket.office_id:
        raise ValidationFailed(_("Phản ánh đang ở chính cơ quan này."), field="to_office")
    before, from_office = ticket.status, ticket.office
    ticket.office = to_office
    ticket.status = S.ROUTED
    ticket.assignee = None
    ticket.routing_rule = None
    with _record_language():
        ticket.routing_reason = (
            _("Chuyển từ %(office)s: %(reason)s") % {"office": from_office.name, "reason": reason}
        )[:255]
        message = _("Chuyển từ %(a)s đến %(b)s: %(reason)s") % {
            "a": from_office.name,
            "b": to_office.name,
            "reason": reason,
        }
    _save(ticket, ["office", "status", "assignee", "routing_rule", "routing_reason"])
    _record(
        ticket,
        E.TRANSFERRED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={"from_office": from_office.pk, "to_office": to_office.pk, "reason": reason},
    )
    return ticket


@transaction.atomic
def ticket_not_ours(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    """The office says the ticket is not within its competence. The ticket
    goes back to routing without that office; after MAX_REFUSALS refusals a
    dispatcher triages it. For a denunciation this is the forwarding that
    the law wants within 5 working days: whether it was in time is kept."""
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    reason = _require_text(reason, "reason", _("lý do không thuộc thẩm quyền"))
    _require_status(ticket, STAFF_ACTION_FROM["not_ours"], _("trả lại (không thuộc thẩm quyền)"))
    _require_not_dispatch(ticket)
    before, office = ticket.status, ticket.office
    ticket.status = S.RECEIVED
    ticket.office = None
    ticket.assignee = None
    ticket.refusals += 1
    _save(ticket, ["status", "office", "assignee", "refusals"])
    data: dict[str, Any] = {"reason": reason, "refusals": ticket.refusals}
    if ticket.forward_due_at is not None:
        data["forward_on_time"] = now <= ticket.forward_due_at
    with _record_language():
        message = _("%(office)s: không thuộc thẩm quyền — %(reason)s") % {
            "office": office.name,
            "reason": reason,
        }
    _record(
        ticket,
        E.NOT_OURS,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        office=office,
        message=message,
        data=data,
    )
    _queue_on_commit("workers.tasks.route_ticket", ticket.pk)
    return ticket


@transaction.atomic
def ticket_reject(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    reason = _require_text(reason, "reason", _("lý do từ chối"))
    _require_status(ticket, STAFF_ACTION_FROM["reject"], _("từ chối"))
    before = ticket.status
    ticket.status = S.REJECTED
    ticket.closed_at = now
    _save(ticket, ["status", "closed_at"])
    _record(
        ticket, E.REJECTED, at=now, actor=actor, from_status=before, public=True, message=reason
    )
    return ticket


@transaction.atomic
def ticket_merge(
    ticket: Ticket | int, *, actor, into: Ticket | int, at: datetime | None = None
) -> Ticket:
    """A duplicate joins the original: its reporter becomes a supporter."""
    now = _now(at)
    target_pk = into.pk if isinstance(into, Ticket) else into
    ticket_pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    if target_pk == ticket_pk:
        raise ValidationFailed(_("Không thể gộp phản ánh vào chính nó."), field="into")
    # Lock both rows in id order so two merges in opposite directions
    # cannot deadlock.
    # (Instances the caller holds lend their loaded office, unit, category.)
    given = {ticket_pk: ticket, target_pk: into}
    locked = {t.pk: t for t in (_lock(given[pk]) for pk in sorted((ticket_pk, target_pk)))}
    ticket, target = locked[ticket_pk], locked[target_pk]
    _require_actor(actor, ticket)
    _require_status(ticket, STAFF_ACTION_FROM["merge"], _("gộp"))
    if target.status == S.REJECTED:
        raise InvalidTransition(_("Không thể gộp vào một phản ánh đã bị từ chối hoặc gộp."))
    before = ticket.status
    ticket.status = S.REJECTED
    ticket.duplicate_of = target
    ticket.closed_at = now
    _save(ticket, ["status", "duplicate_of", "closed_at"])
    target.supporter_count += 1 + ticket.supporter_count
    _save(target, ["supporter_count"])
    with _record_language():
        message = _("Trùng với phản ánh %(code)s") % {"code": target.display_code}
    _record(
        ticket,
        E.MERGED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={"into": target.pk, "into_code": target.code},
    )
    _record(
        target,
        E.SUPPORTED,
        at=now,
        actor=actor,
        from_status=target.status,
        public=True,
        data={"merged": ticket.pk, "merged_code": ticket.code},
    )
    return ticket


@transaction.atomic
def ticket_extend(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    """A written decision to extend the resolution period (denunciations:
    once for complex, twice for especially complex cases)."""
    now = _now(at)
    ticket = _lock(ticket)
    _require_actor(actor, ticket)
    _require_head(actor, ticket)
    reason = _require_text(reason, "reason", _("quyết định gia hạn"))
    _require_status(ticket, STAFF_ACTION_FROM["extend"], _("gia hạn"))
    new_due = _extended_due(ticket)
    old_due = ticket.due_at
    ticket.due_at = new_due
    ticket.extensions += 1
    ticket.warned_at = None
    ticket.breached_at = None
    _save(ticket, ["due_at", "extensions", "warned_at", "breached_at"])
    _record(
        ticket,
        E.EXTENDED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=reason,
        data={"old_due": old_due.isoformat() if old_due else None, "new_due": new_due.isoformat()},
    )
    return ticket


# --- the citizen's actions (authorised by the private link's secret) --------


@transaction.atomic
def ticket_citizen_reply(
    ticket: Ticket | int, *, secret: str, message: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    check_secret(ticket, secret)
    message = _require_text(message, "message", _("nội dung bổ sung"))
    _require_status(ticket, (S.AWAITING_CITIZEN,), _("bổ sung thông tin"))
    policy = deadlines.policy_for(ticket)
    fields = ["status", "paused_since"]
    if policy.pauses_for_citizen and ticket.paused_since and ticket.due_at:
        ticket.due_at = deadlines.calendar().shift_for_pause(
            ticket.due_at, ticket.paused_since, now, policy.resolve_unit
        )
        fields.append("due_at")
    paused_since = ticket.paused_since
    ticket.status = S.IN_PROGRESS
    ticket.paused_since = None
    _save(ticket, fields)
    _record(
        ticket,
        E.CITIZEN_REPLIED,
        at=now,
        actor_label="citizen",
        from_status=S.AWAITING_CITIZEN,
        public=False,
        message=message,
        data={"paused_since": paused_since.isoformat() if paused_since else None},
    )
    return ticket


def _reporter_window_open(ticket: Ticket, now: datetime) -> bool:
    days = settings.FEEDBACK_CLOSE_AFTER_DAYS
    return ticket.resolved_at is not None and now <= ticket.resolved_at + timedelta(days=days)


@transaction.atomic
def ticket_reopen(
    ticket: Ticket | int, *, secret: str, reason: str, at: datetime | None = None
) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    check_secret(ticket, secret)
    reason = _require_text(reason, "reason", _("lý do chưa hài lòng"))
    _require_status(ticket, (S.RESOLVED, S.CLOSED), _("mở lại"))
    if not _reporter_window_open(ticket, now):
        raise InvalidTransition(
            _("Đã quá %(n)d ngày kể từ khi có kết quả, không thể mở lại.")
            % {"n": settings.FEEDBACK_CLOSE_AFTER_DAYS}
        )
    if (
        ticket.status == S.CLOSED
        and ticket.ratings.filter(round=ticket.round, overall__gte=4).exists()
    ):
        raise InvalidTransition(_("Bạn đã đánh giá hài lòng nên phản ánh đã đóng."))
    before = ticket.status
    ticket.status = S.REOPENED
    ticket.round += 1
    ticket.resolved_at = None
    ticket.closed_at = None
    fields = ["status", "round", "resolved_at", "closed_at", *_set_due(ticket, start=now)]
    _save(ticket, fields)
    _record(
        ticket,
        E.REOPENED,
        at=now,
        actor_label="citizen",
        from_status=before,
        public=True,
        message=reason,
        data={"round": ticket.round},
    )
    return ticket


@transaction.atomic
def ticket_rate(
    ticket: Ticket | int,
    *,
    secret: str,
    overall: int,
    timeliness: int | None = None,
    attitude: int | None = None,
    quality: int | None = None,
    comment: str = "",
    at: datetime | None = None,
) -> Rating:
    now = _now(at)
    ticket = _lock(ticket)
    check_secret(ticket, secret)
    _require_status(ticket, (S.RESOLVED, S.CLOSED), _("đánh giá"))
    scores = {
        "overall": overall,
        "timeliness": timeliness,
        "attitude": attitude,
        "quality": quality,
    }
    for name, value in scores.items():
        if value is None and name != "overall":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValidationFailed(_("Điểm đánh giá phải từ 1 đến 5."), field=name)
    if ticket.ratings.filter(round=ticket.round).exists():
        raise InvalidTransition(_("Bạn đã đánh giá kết quả này."))
    rating = Rating.objects.create(
        ticket=ticket,
        round=ticket.round,
        office=ticket.office,
        comment=(comment or "")[:MAX_TEXT],
        created_at=now,
        **scores,
    )
    before = ticket.status
    if rating.satisfied and ticket.status == S.RESOLVED:
        ticket.status = S.CLOSED
        ticket.closed_at = now
        _save(ticket, ["status", "closed_at"])
    _record(
        ticket,
        E.RATED,
        at=now,
        actor_label="citizen",
        from_status=before,
        public=True,
        message=rating.comment,
        data={**scores, "round": rating.round},
    )
    return rating


# --- system actions (sweeps) --------------------------------------------------


@transaction.atomic
def ticket_close(ticket: Ticket | int, *, actor=None, at: datetime | None = None) -> Ticket:
    """Close a resolved ticket that the citizen left quiet. System only: an
    office cannot close its own ticket before the citizen's window ends."""
    now = _now(at)
    ticket = _lock(ticket)
    if ticket.status == S.CLOSED:
        return ticket
    if actor is not None and not permissions.roles(actor).is_admin:
        raise Forbidden(_("Phản ánh tự đóng khi hết thời hạn công dân phản hồi."))
    _require_status(ticket, (S.RESOLVED,), _("đóng"))
    ticket.status = S.CLOSED
    ticket.closed_at = now
    _save(ticket, ["status", "closed_at"])
    _record(ticket, E.CLOSED, at=now, actor=actor, from_status=S.RESOLVED, public=True)
    return ticket


@transaction.atomic
def ticket_mark_breached(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    if ticket.breached_at is not None or not ticket.is_overdue(now):
        return ticket
    ticket.breached_at = now
    _save(ticket, ["breached_at"])
    _record(
        ticket,
        E.BREACHED,
        at=now,
        from_status=ticket.status,
        data={"due_at": ticket.due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_warn(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    now = _now(at)
    ticket = _lock(ticket)
    if ticket.warned_at is not None or not ticket.is_open or ticket.paused_since:
        return ticket
    when = deadlines.warn_at(ticket)
    if when is None or now < when or ticket.is_overdue(now):
        return ticket
    ticket.warned_at = now
    _save(ticket, ["warned_at"])
    _record(
        ticket,
        E.WARNED,
        at=now,
        from_status=ticket.status,
        data={"due_at": ticket.due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_escalate(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    """A breached ticket is reported to the head of the parent office."""
    now = _now(at)
    ticket = _lock(ticket)
    if ticket.escalated_at is not None or ticket.breached_at is None or not ticket.is_open:
        return ticket
    parent = ticket.office.parent if ticket.office else None
    ticket.escalated_at = now
    _save(ticket, ["escalated_at"])
    _record(
        ticket,
        E.ESCALATED,
        at=now,
        from_status=ticket.status,
        office=parent or ticket.office,
        data={"to_office": parent.pk if parent else None, "from_office": ticket.office_id},
    )
    return ticket


# --- the staff workplace (what a user may do now, bulk actions) ----


# Preconditions of an action that do not depend on what the user types: the
# same helpers the actions call, so allowed_actions() cannot promise more.
def _require_someone_to_assign(user, ticket: Ticket) -> None:
    # ticket_assign lets a non-head assign only themselves, and assigning the
    # current assignee changes nothing: such a user has nothing to assign.
    if not permissions.is_head(user, ticket.office_id) and ticket.assignee_id == user.pk:
        raise InvalidTransition(_("Bạn đang xử lý phản ánh này."))


_ACTION_PRECONDITIONS = {
    "assign": _require_someone_to_assign,
    "request_info": lambda user, ticket: _require_contactable(ticket),
    "not_ours": lambda user, ticket: _require_not_dispatch(ticket),
    "extend": lambda user, ticket: (_require_head(user, ticket), _extended_due(ticket)),
}


def allowed_actions(user, ticket: Ticket) -> set[str]:
    """The staff actions that `user` may take on `ticket` in its current
    state: the names of STAFF_ACTION_FROM. Pages and the API show exactly
    these; the actions themselves still check everything again under lock."""
    if not permissions.can_act(user, ticket):
        return set()
    allowed = {name for name, statuses in STAFF_ACTION_FROM.items() if ticket.status in statuses}
    for name, check in _ACTION_PRECONDITIONS.items():
        if name in allowed:
            try:
                check(user, ticket)
            except DomainError:
                allowed.discard(name)
    return allowed


BULK_ACTIONS = ("acknowledge", "assign")


def tickets_bulk(
    action: str, *, actor, tickets: Iterable[Ticket | int], assignee=None
) -> list[tuple[Ticket | int, DomainError | None]]:
    """Apply one action to many tickets, each through its own workflow
    function and transaction: one refusal does not undo the others, and the
    caller gets each ticket's outcome (None = done) to report."""
    if action not in BULK_ACTIONS:
        raise ValidationFailed(_("Thao tác hàng loạt không hợp lệ."), field="action")
    results: list[tuple[Ticket | int, DomainError | None]] = []
    for ticket in tickets:
        try:
            if action == "acknowledge":
                ticket_acknowledge(ticket, actor=actor)
            else:
                ticket_assign(ticket, actor=actor, assignee=assignee)
        except DomainError as error:
            results.append((ticket, error))
        else:
            results.append((ticket, None))
    return results


# --- citizens' support and the reporter's available actions -----------


def support_fingerprint(*, ip: str = "", user_agent: str = "", email: str = "") -> str:
    """A keyed hash that tells one supporter from another without storing
    who they are: the email when given, else the address and browser."""
    basis = f"email:{email.strip().lower()}" if email.strip() else f"ip:{ip}|ua:{user_agent}"
    return salted_hmac("feedback.support", basis, algorithm="sha256").hexdigest()


@transaction.atomic
def ticket_support(ticket: Ticket | int, *, fingerprint: str, at: datetime | None = None) -> Ticket:
    """A citizen adds their voice to an open public report instead of filing
    a duplicate. A second support by the same fingerprint is a quiet no-op:
    the ticket lock serialises supports, so the check below cannot race."""
    now = _now(at)
    ticket = _lock(ticket)
    if not ticket.is_public:
        raise NotFound(_("Không tìm thấy phản ánh."))
    fingerprint = (fingerprint or "").strip()
    if not fingerprint or len(fingerprint) > 64:
        raise ValidationFailed(_("Không xác định được người ủng hộ."), field="fingerprint")
    if ticket.supports.filter(fingerprint=fingerprint).exists():
        return ticket
    _require_status(ticket, Ticket.OPEN_STATUSES, _("cùng phản ánh"))
    Support.objects.create(ticket=ticket, fingerprint=fingerprint, created_at=now)
    ticket.supporter_count += 1
    _save(ticket, ["supporter_count"])
    _record(
        ticket,
        E.SUPPORTED,
        at=now,
        actor_label="citizen",
        from_status=ticket.status,
        public=True,
        data={"supporters": ticket.supporter_count},
    )
    return ticket


def citizen_actions(ticket: Ticket, *, at: datetime | None = None) -> set[str]:
    """What the reporter may do now through the private link: "reply",
    "rate", "reopen". Pages show exactly these; the actions above still
    check everything again under the lock."""
    now = _now(at)
    actions: set[str] = set()
    if ticket.status == S.AWAITING_CITIZEN:
        actions.add("reply")
    if ticket.status in (S.RESOLVED, S.CLOSED):
        rated = ticket.ratings.filter(round=ticket.round)
        if not rated.exists():
            actions.add("rate")
        satisfied_closed = ticket.status == S.CLOSED and rated.filter(overall__gte=4).exists()
        if _reporter_window_open(ticket, now) and not satisfied_closed:
            actions.add("reopen")
    return actions


# --- the forwarding deadline of denunciations -----------------------------------


def forward_overdue(ticket: Ticket, now: datetime) -> bool:
    """Luật Tố cáo 2018: a denunciation that is not within the office's
    competence must be forwarded within 5 working days. The office that
    holds a denunciation past forward_due_at without either accepting it
    (acknowledge, or resolving it) or handing it on (not ours, transfer)
    has missed that deadline. A hand-over ends the forwarding clock for
    good: the next office is judged on the resolve deadline."""
    return (
        ticket.kind == Ticket.Kind.DENUNCIATION
        and ticket.forward_due_at is not None
        and now > ticket.forward_due_at
        and ticket.status == S.ROUTED
        and ticket.acknowledged_at is None
        and not ticket.events.filter(kind__in=(E.NOT_OURS, E.TRANSFERRED)).exists()
    )


@transaction.atomic
def ticket_mark_forward_breached(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    """System action: one BREACHED event with data {"deadline": "forward"}
    for a denunciation past its forwarding deadline (see forward_overdue).
    It tells the office, and leaves breached_at alone: that field and the
    escalation belong to the resolve deadline."""
    now = _now(at)
    ticket = _lock(ticket)
    if not forward_overdue(ticket, now):
        return ticket
    if ticket.events.filter(kind=E.BREACHED, data__deadline="forward").exists():
        return ticket
    with _record_language():
        message = _("Quá hạn chuyển đơn tố cáo không thuộc thẩm quyền (5 ngày làm việc).")
    _record(
        ticket,
        E.BREACHED,
        at=now,
        from_status=ticket.status,
        message=message,
        data={"deadline": "forward", "forward_due_at": ticket.forward_due_at.isoformat()},
    )
    return ticket
