"""The system's clocks: warn before a deadline, mark a breach, escalate a
breached ticket to the parent office, close an answer the citizen left
quiet, and the forwarding deadline of denunciations. Two deadlines are
watched this way: the resolution deadline (due_at: warned_at, breached_at)
and the receipt/acceptance deadline (ack_due_at: ack_warned_at,
ack_breached_at; its events carry data {"deadline": "ack"}). Sweeps
(feedback.sweeps) call these; each does nothing when its change is already
made or no longer due, so a sweep may call it as often as it likes."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from feedback import deadlines, permissions
from feedback.errors import Forbidden
from feedback.models import Ticket
from feedback.workflow.core import (
    E,
    S,
    lock,
    now_or,
    record,
    record_language,
    require_status,
    save,
)


@transaction.atomic
def ticket_close(ticket: Ticket | int, *, actor=None, at: datetime | None = None) -> Ticket:
    """Close a resolved ticket that the citizen left quiet. System only: an
    office cannot close its own ticket before the citizen's window ends."""
    now = now_or(at)
    ticket = lock(ticket)
    if ticket.status == S.CLOSED:
        return ticket
    if actor is not None and not permissions.roles(actor).is_admin:
        raise Forbidden(_("Phản ánh tự đóng khi hết thời hạn công dân phản hồi."))
    require_status(ticket, (S.RESOLVED,), _("đóng"))
    ticket.status = S.CLOSED
    ticket.closed_at = now
    save(ticket, ["status", "closed_at"])
    record(ticket, E.CLOSED, at=now, actor=actor, from_status=S.RESOLVED, public=True)
    return ticket


@transaction.atomic
def ticket_mark_breached(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    if ticket.breached_at is not None or not ticket.is_overdue(now):
        return ticket
    ticket.breached_at = now
    save(ticket, ["breached_at"])
    record(
        ticket,
        E.BREACHED,
        at=now,
        from_status=ticket.status,
        data={"due_at": ticket.due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_warn(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    now = now_or(at)
    ticket = lock(ticket)
    if ticket.warned_at is not None or not ticket.clock_running:
        return ticket
    when = deadlines.warn_at(ticket)
    if when is None or now < when or ticket.is_overdue(now):
        return ticket
    ticket.warned_at = now
    save(ticket, ["warned_at"])
    record(
        ticket,
        E.WARNED,
        at=now,
        from_status=ticket.status,
        data={"due_at": ticket.due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_ack_warn(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    """Warn the office that `warn_fraction` of the receipt/acceptance time
    has run (8 working hours for a report; 10 days to accept a complaint;
    7 working days to screen a denunciation)."""
    now = now_or(at)
    ticket = lock(ticket)
    if ticket.ack_warned_at is not None or not ticket.ack_clock_running:
        return ticket
    when = deadlines.ack_warn_at(ticket)
    if when is None or now < when or ticket.is_ack_overdue(now):
        return ticket
    ticket.ack_warned_at = now
    save(ticket, ["ack_warned_at"])
    record(
        ticket,
        E.WARNED,
        at=now,
        from_status=ticket.status,
        data={"deadline": "ack", "due_at": ticket.ack_due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_mark_ack_breached(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    """Mark once that the receipt/acceptance deadline passed with the
    ticket neither acknowledged nor accepted or refused."""
    now = now_or(at)
    ticket = lock(ticket)
    if ticket.ack_breached_at is not None or not ticket.is_ack_overdue(now):
        return ticket
    ticket.ack_breached_at = now
    save(ticket, ["ack_breached_at"])
    record(
        ticket,
        E.BREACHED,
        at=now,
        from_status=ticket.status,
        data={"deadline": "ack", "due_at": ticket.ack_due_at.isoformat()},
    )
    return ticket


def escalation_due(ticket: Ticket) -> str | None:
    """Which breach of an open ticket is still to be reported upwards:
    "resolve" (breached_at), "ack" (ack_breached_at while the ticket is
    still not acknowledged), or None. escalated_at is cleared whenever a
    period starts again, so each new breach is reported."""
    if ticket.escalated_at is not None or not ticket.is_open:
        return None
    if ticket.breached_at is not None:
        return "resolve"
    if ticket.ack_breached_at is not None and ticket.ack_clock_running:
        return "ack"
    return None


@transaction.atomic
def ticket_escalate(ticket: Ticket | int, *, at: datetime | None = None) -> Ticket:
    """A breached ticket is reported to the head of the parent office."""
    now = now_or(at)
    ticket = lock(ticket)
    deadline = escalation_due(ticket)
    if deadline is None:
        return ticket
    parent = ticket.office.parent if ticket.office else None
    ticket.escalated_at = now
    save(ticket, ["escalated_at"])
    data = {"to_office": parent.pk if parent else None, "from_office": ticket.office_id}
    if deadline == "ack":
        data["deadline"] = "ack"
    record(
        ticket,
        E.ESCALATED,
        at=now,
        from_status=ticket.status,
        office=parent or ticket.office,
        data=data,
    )
    return ticket


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
    now = now_or(at)
    ticket = lock(ticket)
    if not forward_overdue(ticket, now):
        return ticket
    if ticket.events.filter(kind=E.BREACHED, data__deadline="forward").exists():
        return ticket
    with record_language():
        message = _("Quá hạn chuyển đơn tố cáo không thuộc thẩm quyền (5 ngày làm việc).")
    record(
        ticket,
        E.BREACHED,
        at=now,
        from_status=ticket.status,
        message=message,
        data={"deadline": "forward", "forward_due_at": ticket.forward_due_at.isoformat()},
    )
    return ticket
