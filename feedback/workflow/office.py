"""The office's actions on a ticket it holds: acknowledge, assign, ask the
citizen for more, answer, note, resolve, reject, merge a duplicate, extend
the period; and the same action over many tickets from the inbox."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from feedback import deadlines, permissions
from feedback.coordinates import parse_point
from feedback.errors import DomainError, Forbidden, InvalidTransition, NotFound, ValidationFailed
from feedback.models import Membership, Ticket
from feedback.workflow import acceptance
from feedback.workflow.core import (
    E,
    S,
    actor_label,
    lock,
    may_be_public,
    now_or,
    record,
    record_language,
    require_actor,
    require_status,
    require_text,
    restart_flags,
    save,
    search_text,
)
from feedback.workflow.transitions import (
    STAFF_ACTION_FROM,
    extended_due,
    require_accepted,
    require_contactable,
    require_head,
    require_not_suspended,
)


@transaction.atomic
def ticket_acknowledge(ticket: Ticket | int, *, actor, at: datetime | None = None) -> Ticket:
    """The office takes the ticket up. For a complaint or a denunciation not
    yet accepted this is the acceptance (thụ lý, workflow.acceptance): the
    legal act that starts the resolution period."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    if ticket.status == S.IN_PROGRESS:
        return ticket
    require_status(ticket, STAFF_ACTION_FROM["acknowledge"], _("thụ lý"))
    if deadlines.awaits_acceptance(ticket):
        return acceptance.accept(ticket, actor=actor, now=now)
    before = ticket.status
    ticket.status = S.IN_PROGRESS
    ticket.acknowledged_at = ticket.acknowledged_at or now
    fields = ["status", "acknowledged_at"]
    if ticket.breached_at is None and ticket.escalated_at is not None:
        # The escalation was for the receipt deadline, now settled: a later
        # breach of the resolution deadline is reported in its own right.
        ticket.escalated_at = None
        fields.append("escalated_at")
    if ticket.assignee_id is None:
        ticket.assignee = actor
        fields.append("assignee")
    save(ticket, fields)
    with record_language():
        message = _("%(office)s đã tiếp nhận, đang xử lý") % {"office": ticket.office.name}
    record(
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
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_status(ticket, STAFF_ACTION_FROM["assign"], _("phân công"))
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
    save(ticket, ["assignee"])
    record(
        ticket,
        E.ASSIGNED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        data={"assignee": assignee.pk, "assignee_name": actor_label(assignee)},
    )
    return ticket


@transaction.atomic
def ticket_request_info(
    ticket: Ticket | int, *, actor, message: str, at: datetime | None = None
) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    message = require_text(message, "message", _("nội dung đề nghị bổ sung"))
    require_status(ticket, STAFF_ACTION_FROM["request_info"], _("đề nghị bổ sung thông tin"))
    require_contactable(ticket)
    require_not_suspended(ticket)
    ticket.status = S.AWAITING_CITIZEN
    # The clock stops only where the policy says so: a complaint's or a
    # denunciation's runs on (only a written suspension stops it).
    if deadlines.policy_for(ticket).pauses_for_citizen:
        ticket.paused_since = now
    save(ticket, ["status", "paused_since"])
    record(
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
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    message = require_text(message, "message", _("nội dung trả lời"))
    require_status(ticket, STAFF_ACTION_FROM["answer"], _("trả lời"))
    ticket.first_response_at = ticket.first_response_at or now
    save(ticket, ["first_response_at"])
    record(
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
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_status(ticket, STAFF_ACTION_FROM["note"], _("ghi chú"))
    message = require_text(message, "message", _("ghi chú"))
    record(ticket, E.NOTE, at=now, actor=actor, from_status=ticket.status, message=message)
    return ticket


@transaction.atomic
def ticket_resolve(
    ticket: Ticket | int, *, actor, message: str, at: datetime | None = None
) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    message = require_text(message, "message", _("kết quả giải quyết"))
    require_status(ticket, STAFF_ACTION_FROM["resolve"], _("giải quyết"))
    require_accepted(ticket)
    require_not_suspended(ticket)
    before = ticket.status
    ticket.status = S.RESOLVED
    ticket.acknowledged_at = ticket.acknowledged_at or now
    ticket.first_response_at = ticket.first_response_at or now
    ticket.resolved_at = now
    save(ticket, ["status", "acknowledged_at", "first_response_at", "resolved_at"])
    record(
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
def ticket_reject(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    reason = require_text(reason, "reason", _("lý do từ chối"))
    require_status(ticket, STAFF_ACTION_FROM["reject"], _("từ chối"))
    before = ticket.status
    ticket.status = S.REJECTED
    ticket.closed_at = now
    save(ticket, ["status", "closed_at"])
    record(ticket, E.REJECTED, at=now, actor=actor, from_status=before, public=True, message=reason)
    return ticket


@transaction.atomic
def ticket_merge(
    ticket: Ticket | int, *, actor, into: Ticket | int, at: datetime | None = None
) -> Ticket:
    """A duplicate joins the original: its reporter becomes a supporter."""
    now = now_or(at)
    target_pk = into.pk if isinstance(into, Ticket) else into
    ticket_pk = ticket.pk if isinstance(ticket, Ticket) else ticket
    if target_pk == ticket_pk:
        raise ValidationFailed(_("Không thể gộp phản ánh vào chính nó."), field="into")
    # Lock both rows in id order so two merges in opposite directions
    # cannot deadlock.
    # (Instances the caller holds lend their loaded office, unit, category.)
    given = {ticket_pk: ticket, target_pk: into}
    locked = {t.pk: t for t in (lock(given[pk]) for pk in sorted((ticket_pk, target_pk)))}
    ticket, target = locked[ticket_pk], locked[target_pk]
    require_actor(actor, ticket)
    require_status(ticket, STAFF_ACTION_FROM["merge"], _("gộp"))
    if not permissions.can_view(actor, target):
        # As for an unknown code: never say that someone else's ticket exists.
        raise NotFound(_("Không tìm thấy phản ánh."), field="into")
    if not permissions.can_merge_into(actor, target):
        raise Forbidden(
            _("Chỉ gộp được vào phản ánh do cơ quan mình xử lý; hãy chuyển phản ánh này đi."),
            field="into",
        )
    if target.status == S.REJECTED:
        raise InvalidTransition(_("Không thể gộp vào một phản ánh đã bị từ chối hoặc gộp."))
    before = ticket.status
    ticket.status = S.REJECTED
    ticket.duplicate_of = target
    ticket.closed_at = now
    save(ticket, ["status", "duplicate_of", "closed_at"])
    target.supporter_count += 1 + ticket.supporter_count
    save(target, ["supporter_count"])
    with record_language():
        message = _("Trùng với phản ánh %(code)s") % {"code": target.display_code}
    record(
        ticket,
        E.MERGED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={"into": target.pk, "into_code": target.code},
    )
    record(
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
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_head(actor, ticket)
    reason = require_text(reason, "reason", _("quyết định gia hạn"))
    require_status(ticket, STAFF_ACTION_FROM["extend"], _("gia hạn"))
    new_due = extended_due(ticket)
    old_due = ticket.due_at
    ticket.due_at = new_due
    ticket.extensions += 1
    save(ticket, ["due_at", "extensions", *restart_flags(ticket)])
    record(
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


# What an administrator may correct on a ticket's record (a typo in the
# title, a wrong address, a misspelt name). Everything else is the
# workflow's own (status, office, clocks) or decided at intake.
CORRECTABLE_FIELDS = (
    "title",
    "description",
    "address",
    "latitude",
    "longitude",
    "extra",
    "source_ref",
    "is_public",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_address",
)
# Kept in the event as they were: the text everyone may read. Identity
# fields are named, never copied into the timeline.
_KEPT_BEFORE = ("title", "description", "address")


@transaction.atomic
def ticket_correct(
    ticket: Ticket | int, *, actor, changes: dict, at: datetime | None = None
) -> Ticket:
    """Correct the record (the Django admin's ticket form): only the
    CORRECTABLE_FIELDS that really change are written, with an internal
    EDITED event naming them (and the old title, description and address),
    and the search text follows. Nothing changed: nothing written."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Không sửa được trường này ở đây: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    changes = dict(changes)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()[:200]
        if not changes["title"]:
            raise ValidationFailed(_("Vui lòng nhập %(label)s.") % {"label": _("tiêu đề")},
                                   field="title")  # fmt: skip
    if "description" in changes:
        changes["description"] = require_text(
            changes["description"], "description", _("nội dung phản ánh")
        )
    if "latitude" in changes or "longitude" in changes:
        changes["latitude"], changes["longitude"] = parse_point(
            changes.get("latitude", ticket.latitude), changes.get("longitude", ticket.longitude)
        )
    if changes.get("is_public") and not may_be_public(ticket.kind):
        raise ValidationFailed(_("Chỉ phản ánh, kiến nghị mới được công khai."), field="is_public")
    changed = [name for name in CORRECTABLE_FIELDS
               if name in changes and getattr(ticket, name) != changes[name]]  # fmt: skip
    if not changed:
        return ticket
    before = {name: getattr(ticket, name) for name in changed if name in _KEPT_BEFORE}
    for name in changed:
        setattr(ticket, name, changes[name])
    ticket.search_text = search_text(ticket)
    save(ticket, [*changed, "search_text"])
    with record_language():
        message = edited_message(changed)
    record(
        ticket,
        E.EDITED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        message=message,
        data={"fields": changed, "before": before},
    )
    return ticket


def edited_message(fields: Iterable[str]) -> str:
    """The EDITED event's message, in the active language."""
    labels = ", ".join(str(Ticket._meta.get_field(name).verbose_name) for name in fields)
    return _("Sửa hồ sơ: %(fields)s") % {"fields": labels}
