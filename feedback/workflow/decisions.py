"""Written decisions on the period of an accepted complaint or denunciation,
each recorded on the timeline with who, when and why (the extension itself
is office.ticket_extend):

- complexity: a complex complaint gets the longer period (Luật Khiếu nại
  2011 art. 28, 37); a denunciation declared complex may be extended once,
  especially complex twice (Luật Tố cáo 2018 art. 30(2)-(3));
- suspension (tạm đình chỉ) and resumption: the clock stops, and resumes
  with the time that was left (Luật Tố cáo 2018 art. 34).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import deadlines
from feedback.errors import ValidationFailed
from feedback.models import Ticket
from feedback.workflow.core import (
    E,
    lock,
    now_or,
    record,
    record_language,
    require_actor,
    require_status,
    require_text,
    save,
)
from feedback.workflow.transitions import (
    STAFF_ACTION_FROM,
    require_complexity_decidable,
    require_head,
    require_suspendable,
    require_suspended,
)

COMPLEXITY_LEVELS = {
    "complex": gettext_lazy("phức tạp"),
    "especially_complex": gettext_lazy("đặc biệt phức tạp"),
}

# The grounds for suspending: Luật Tố cáo 2018 art. 34(1). Luật Khiếu nại
# 2011 names no suspension of the handling itself; the product offers the
# same two grounds for complaints (docs/deadlines.md says so).
SUSPENSION_GROUNDS: tuple[tuple[str, str], ...] = (
    (
        "34-1a",
        gettext_lazy(
            "Cần đợi kết quả giải quyết của cơ quan, tổ chức, cá nhân khác hoặc vụ việc khác "
            "có liên quan (Luật Tố cáo 2018, Điều 34 khoản 1 điểm a)"
        ),
    ),
    (
        "34-1b",
        gettext_lazy(
            "Cần đợi kết quả giám định bổ sung, giám định lại "
            "(Luật Tố cáo 2018, Điều 34 khoản 1 điểm b)"
        ),
    ),
)


def _day(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y")


@transaction.atomic
def ticket_declare_complex(
    ticket: Ticket | int,
    *,
    actor,
    level: str = "complex",
    reason: str,
    at: datetime | None = None,
) -> Ticket:
    """The head's decision that a case is complex (or, for a denunciation,
    especially complex). A complaint's due date moves to the complex
    period, counted from the same start; a denunciation's does not move,
    its extensions become possible."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_head(actor, ticket)
    if level not in COMPLEXITY_LEVELS:
        raise ValidationFailed(_("Mức độ phức tạp không hợp lệ."), field="level")
    reason = require_text(reason, "reason", _("căn cứ xác định vụ việc phức tạp"))
    require_status(ticket, STAFF_ACTION_FROM["declare_complex"], _("xác định vụ việc phức tạp"))
    require_complexity_decidable(ticket, level)
    old_due = ticket.due_at
    ticket.is_complex = True
    ticket.is_especially_complex = level == "especially_complex"
    fields = ["is_complex", "is_especially_complex"]
    if ticket.kind == Ticket.Kind.COMPLAINT and ticket.due_at is not None:
        ticket.due_at = deadlines.complex_due(ticket)
        fields.append("due_at")
    save(ticket, fields)
    with record_language():
        message = _("Xác định vụ việc %(level)s: %(reason)s") % {
            "level": COMPLEXITY_LEVELS[level],
            "reason": reason,
        }
        if ticket.due_at != old_due:
            message += " " + _("Thời hạn giải quyết đến hết ngày %(due)s.") % {
                "due": _day(ticket.due_at)
            }
    record(
        ticket,
        E.COMPLEXITY,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
        data={
            "level": level,
            "reason": reason,
            "old_due": old_due.isoformat() if old_due else None,
            "new_due": ticket.due_at.isoformat() if ticket.due_at else None,
        },
    )
    return ticket


@transaction.atomic
def ticket_suspend(
    ticket: Ticket | int,
    *,
    actor,
    ground: str,
    reason: str = "",
    at: datetime | None = None,
) -> Ticket:
    """The head suspends the handling (tạm đình chỉ) on a ground of art.
    34(1): the clock stops (paused_since) until ticket_resume."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_head(actor, ticket)
    grounds = dict(SUSPENSION_GROUNDS)
    if ground not in grounds:
        raise ValidationFailed(_("Vui lòng chọn căn cứ tạm đình chỉ."), field="ground")
    reason = (reason or "").strip()
    if reason:
        reason = require_text(reason, "reason", _("lý do"))
    require_status(ticket, STAFF_ACTION_FROM["suspend"], _("tạm đình chỉ"))
    require_suspendable(ticket)
    ticket.paused_since = now
    save(ticket, ["paused_since"])
    with record_language():
        message = _("Tạm đình chỉ việc giải quyết. Căn cứ: %(ground)s") % {
            "ground": grounds[ground]
        }
        if reason:
            message += "\n" + reason
    record(
        ticket,
        E.SUSPENDED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
        data={"ground": ground, "reason": reason, "due_at": ticket.due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_resume(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    """The ground for suspending is gone: the handling resumes and the due
    date moves later by the suspension (the time that was left runs on;
    art. 34(2): the suspension is not counted in the period)."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_head(actor, ticket)
    reason = require_text(reason, "reason", _("lý do tiếp tục giải quyết"))
    require_status(ticket, STAFF_ACTION_FROM["resume"], _("tiếp tục giải quyết"))
    require_suspended(ticket)
    policy = deadlines.policy_for(ticket)
    since, old_due = ticket.paused_since, ticket.due_at
    ticket.due_at = deadlines.calendar().shift_for_pause(
        ticket.due_at, since, now, policy.resolve_unit
    )
    ticket.paused_since = None
    save(ticket, ["due_at", "paused_since"])
    with record_language():
        message = _(
            "Tiếp tục giải quyết: %(reason)s. Thời hạn giải quyết đến hết ngày %(due)s."
        ) % {
            "reason": reason,
            "due": _day(ticket.due_at),
        }
    record(
        ticket,
        E.RESUMED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
        data={
            "suspended_since": since.isoformat(),
            "old_due": old_due.isoformat(),
            "new_due": ticket.due_at.isoformat(),
        },
    )
    return ticket
