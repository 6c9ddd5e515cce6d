"""What citizens do, with no account: the reporter acts through the
private link's secret (reply, reopen, rate); anyone may add their voice to
an open public report instead of filing a duplicate."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from feedback import deadlines
from feedback.errors import InvalidTransition, NotFound, ValidationFailed
from feedback.models import Rating, Support, Ticket
from feedback.reporter_link import check_secret
from feedback.workflow.core import (
    MAX_TEXT,
    SELF_SERVICE_CHANNELS,
    E,
    S,
    lock,
    now_or,
    record,
    record_language,
    require_status,
    require_text,
    save,
    set_due,
)
from feedback.workflow.intake import Submission, ticket_submit
from feedback.workflow.transitions import require_appealable, require_reporter_window


@transaction.atomic
def ticket_citizen_reply(
    ticket: Ticket | int, *, secret: str, message: str, at: datetime | None = None
) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    check_secret(ticket, secret)
    message = require_text(message, "message", _("nội dung bổ sung"))
    require_status(ticket, (S.AWAITING_CITIZEN,), _("bổ sung thông tin"))
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
    save(ticket, fields)
    record(
        ticket,
        E.CITIZEN_REPLIED,
        at=now,
        actor_name="citizen",
        from_status=S.AWAITING_CITIZEN,
        public=False,
        message=message,
        data={"paused_since": paused_since.isoformat() if paused_since else None},
    )
    return ticket


@transaction.atomic
def ticket_reopen(
    ticket: Ticket | int, *, secret: str, reason: str, at: datetime | None = None
) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    check_secret(ticket, secret)
    reason = require_text(reason, "reason", _("lý do chưa hài lòng"))
    require_status(ticket, (S.RESOLVED, S.CLOSED), _("mở lại"))
    if ticket.kind == Ticket.Kind.COMPLAINT:
        # The law has no reopening of a complaint: the complainant takes it
        # to the superior body (Luật Khiếu nại 2011 art. 33; ticket_appeal).
        raise InvalidTransition(
            _("Đã có quyết định lần đầu: bạn có thể khiếu nại lần hai đến cơ quan cấp trên.")
        )
    require_reporter_window(
        ticket, now, _("Đã quá %(n)d ngày kể từ khi có kết quả, không thể mở lại.")
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
    # The new round gets a new resolve deadline; the acknowledgement stays
    # the first round's (acknowledged_at is kept), so does its deadline:
    # "acknowledged on time" compares the two (feedback.figures).
    fields = ["status", "round", "resolved_at", "closed_at", *set_due(ticket, start=now, ack=False)]
    save(ticket, fields)
    record(
        ticket,
        E.REOPENED,
        at=now,
        actor_name="citizen",
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
    now = now_or(at)
    ticket = lock(ticket)
    check_secret(ticket, secret)
    require_status(ticket, (S.RESOLVED, S.CLOSED), _("đánh giá"))
    require_reporter_window(
        ticket, now, _("Đã quá %(n)d ngày kể từ khi có kết quả, không thể đánh giá.")
    )
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
        save(ticket, ["status", "closed_at"])
    record(
        ticket,
        E.RATED,
        at=now,
        actor_name="citizen",
        from_status=before,
        public=True,
        message=rating.comment,
        data={**scores, "round": rating.round},
    )
    return rating


def support_fingerprint(*, address: str) -> str:
    """A keyed hash that tells one supporter from another without storing
    who they are. It is the client's address alone (an IPv6 /64, see
    limits.client_address): a browser's User-Agent or cookies are the
    client's to change, so counting them let one person support a report
    again and again. The price, chosen knowingly: people behind one address
    (a household's Wi-Fi, an office, a carrier's shared NAT) count once per
    report, so the figure is a lower bound (docs/citizens.md)."""
    return salted_hmac("feedback.support", f"ip:{address}", algorithm="sha256").hexdigest()


@transaction.atomic
def ticket_support(ticket: Ticket | int, *, fingerprint: str, at: datetime | None = None) -> Ticket:
    """A citizen adds their voice to an open public report instead of filing
    a duplicate. A second support by the same fingerprint is a quiet no-op:
    the ticket lock serialises supports, so the check below cannot race."""
    now = now_or(at)
    ticket = lock(ticket)
    if not ticket.is_public:
        raise NotFound(_("Không tìm thấy phản ánh."))
    fingerprint = (fingerprint or "").strip()
    if not fingerprint or len(fingerprint) > 64:
        raise ValidationFailed(_("Không xác định được người ủng hộ."), field="fingerprint")
    if ticket.supports.filter(fingerprint=fingerprint).exists():
        return ticket
    require_status(ticket, Ticket.OPEN_STATUSES, _("cùng phản ánh"))
    Support.objects.create(ticket=ticket, fingerprint=fingerprint, created_at=now)
    ticket.supporter_count += 1
    save(ticket, ["supporter_count"])
    record(
        ticket,
        E.SUPPORTED,
        at=now,
        actor_name="citizen",
        from_status=ticket.status,
        public=True,
        data={"supporters": ticket.supporter_count},
    )
    return ticket


@transaction.atomic
def ticket_appeal(
    ticket: Ticket | int, *, secret: str, reason: str, at: datetime | None = None
) -> Submission:
    """The complainant takes a first-instance complaint to the superior body
    (khiếu nại lần hai, Luật Khiếu nại 2011 art. 33): a new case at the
    parent of the office that decided it, linked to the first, with the
    second instance's own periods (acceptance within 10 days, art. 36;
    45 days, complex 60, remote 60 / 70 from its acceptance, art. 37).
    Returns the new case and its private link's secret."""
    now = now_or(at)
    first = lock(ticket)
    check_secret(first, secret)
    reason = require_text(reason, "reason", _("lý do khiếu nại lần hai"))
    superior = require_appealable(first, now)
    filed = ticket_submit(
        kind=Ticket.Kind.COMPLAINT,
        category=first.category,
        unit=first.unit,
        title=(_("Khiếu nại lần hai: %(title)s") % {"title": first.title})[:200],
        description=reason,
        channel=first.channel if first.channel in SELF_SERVICE_CHANNELS else Ticket.Channel.WEB,
        contact_name=first.contact_name,
        contact_phone=first.contact_phone,
        contact_email=first.contact_email,
        contact_address=first.contact_address,
        consent=first.consent_at is not None,
        is_confidential=first.is_confidential,
        is_public=False,
        at=now,
    )
    second = filed.ticket
    second.instance = 2
    second.previous_instance = first
    second.office = superior
    second.status = S.ROUTED
    second.routed_at = now
    with record_language():
        second.routing_reason = (
            _("Khiếu nại lần hai đối với quyết định của %(office)s") % {"office": first.office.name}
        )[:255]
    fields = ["instance", "previous_instance", "office", "status", "routed_at", "routing_reason"]
    save(second, [*fields, *set_due(second)])
    record(
        second,
        E.ROUTED,
        at=now,
        from_status=S.RECEIVED,
        public=True,
        message=second.routing_reason,
        data={"previous_instance": first.pk, "previous_code": first.code},
    )
    with record_language():
        message = _("Người khiếu nại khiếu nại lần hai đến %(office)s (mã %(code)s).") % {
            "office": superior.name,
            "code": second.display_code,
        }
    record(
        first,
        E.SECOND_INSTANCE,
        at=now,
        actor_name="citizen",
        from_status=first.status,
        public=True,
        message=message,
        data={"second_instance": second.pk, "code": second.code, "office": superior.pk},
    )
    return filed
