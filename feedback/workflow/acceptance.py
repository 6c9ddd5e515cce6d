"""Acceptance (thụ lý): the legal act that opens a complaint or a
denunciation for handling, or refuses it on the law's grounds.

- A complaint is accepted or refused within 10 days of receipt (Luật Khiếu
  nại 2011 art. 27; refusal grounds art. 11); the resolution period counts
  from acceptance (art. 28, first instance; art. 37, second instance).
- A denunciation is screened and accepted or refused within 7 working days
  of receipt, 10 where verification is needed at several places or is
  delegated (Luật Tố cáo 2018 art. 24(1)); acceptance needs the conditions
  of art. 25(1); the resolution period counts from acceptance (art. 30(1)).
- Reports (phản ánh, kiến nghị) are only acknowledged (office.py), by the
  city's rules.

Either act sets `acknowledged_at`, so "acknowledged on time" is
acknowledged_at <= ack_due_at for every kind, and writes an event the
notifications send to the citizen (the notice of acceptance or refusal).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from feedback import deadlines
from feedback.errors import ValidationFailed
from feedback.models import Ticket
from feedback.workflow.core import (
    MAX_TEXT,
    E,
    S,
    lock,
    now_or,
    record,
    record_language,
    require_actor,
    require_status,
    require_text,
    restart_flags,
    save,
)
from feedback.workflow.transitions import (
    STAFF_ACTION_FROM,
    require_awaiting_acceptance,
    require_screening_extendable,
)

# The grounds on which the law lets an office refuse to accept, by kind:
# (code, the ground as the notice states it). The code names the article.
REFUSAL_GROUNDS: dict[str, tuple[tuple[str, str], ...]] = {
    # Luật Khiếu nại 2011, art. 11: complaints that are not accepted.
    "complaint": (
        (
            "kn-11-1",
            gettext_lazy(
                "Quyết định, hành vi hành chính không thuộc đối tượng khiếu nại "
                "(Luật Khiếu nại 2011, Điều 11 khoản 1)"
            ),
        ),
        (
            "kn-11-2",
            gettext_lazy(
                "Không liên quan trực tiếp đến quyền, lợi ích hợp pháp của người khiếu nại "
                "(Điều 11 khoản 2)"
            ),
        ),
        (
            "kn-11-3",
            gettext_lazy(
                "Người khiếu nại không có năng lực hành vi dân sự đầy đủ mà không có người "
                "đại diện hợp pháp (Điều 11 khoản 3)"
            ),
        ),
        ("kn-11-4", gettext_lazy("Người đại diện không hợp pháp (Điều 11 khoản 4)")),
        (
            "kn-11-5",
            gettext_lazy("Đơn không có chữ ký hoặc điểm chỉ của người khiếu nại (Điều 11 khoản 5)"),
        ),
        (
            "kn-11-6",
            gettext_lazy(
                "Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng "
                "(Điều 11 khoản 6)"
            ),
        ),
        (
            "kn-11-7",
            gettext_lazy("Khiếu nại đã có quyết định giải quyết lần hai (Điều 11 khoản 7)"),
        ),
        (
            "kn-11-8",
            gettext_lazy(
                "Đã có thông báo đình chỉ giải quyết mà sau 30 ngày người khiếu nại không "
                "tiếp tục khiếu nại (Điều 11 khoản 8)"
            ),
        ),
        (
            "kn-11-9",
            gettext_lazy("Việc khiếu nại đã được Tòa án thụ lý hoặc giải quyết (Điều 11 khoản 9)"),
        ),
    ),
    # Luật Tố cáo 2018, art. 25(1): a denunciation is accepted only when all
    # of these conditions hold; the notice names the one that does not.
    "denunciation": (
        (
            "tc-25-1a",
            gettext_lazy(
                "Tố cáo không được thực hiện theo hình thức, thủ tục luật định "
                "(Luật Tố cáo 2018, Điều 25 khoản 1 điểm a)"
            ),
        ),
        (
            "tc-25-1b",
            gettext_lazy(
                "Người tố cáo không có năng lực hành vi dân sự và không có người đại diện "
                "(Điều 25 khoản 1 điểm b)"
            ),
        ),
        (
            "tc-25-1c",
            gettext_lazy("Vụ việc không thuộc thẩm quyền giải quyết (Điều 25 khoản 1 điểm c)"),
        ),
        (
            "tc-25-1d",
            gettext_lazy(
                "Nội dung tố cáo không có cơ sở để xác định người vi phạm, hành vi vi phạm "
                "(Điều 25 khoản 1 điểm d)"
            ),
        ),
    ),
}

# The article each kind's resolution period comes from, for the notice.
_RESOLUTION_LAW = {
    "complaint": gettext_lazy("Luật Khiếu nại 2011, Điều 28"),
    "denunciation": gettext_lazy("Luật Tố cáo 2018, Điều 30 khoản 1"),
}


def refusal_grounds(ticket: Ticket) -> tuple[tuple[str, str], ...]:
    """The grounds an office may give for refusing this ticket (empty for
    reports, which are not accepted by a legal act)."""
    return REFUSAL_GROUNDS.get(ticket.kind, ())


def _day(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "d/m/Y")


def _ack_act(ticket: Ticket, now: datetime) -> dict:
    """What an acceptance or a refusal records of the acceptance deadline."""
    due = ticket.ack_due_at
    return {
        "deadline": "ack",
        "on_time": due is None or now <= due,
        "ack_due_at": due.isoformat() if due else None,
    }


def accept(ticket: Ticket, *, actor, now: datetime) -> Ticket:
    """Accept a locked complaint or denunciation (ticket_acknowledge calls
    this for those kinds): the resolution period starts now."""
    require_awaiting_acceptance(ticket)
    before = ticket.status
    policy = deadlines.policy_for(ticket)
    ticket.status = S.IN_PROGRESS
    ticket.accepted_at = now
    ticket.acknowledged_at = now
    ticket.clock_started_at = now
    ticket.due_at = deadlines.resolution_due(ticket, now, policy=policy)
    fields = ["status", "accepted_at", "acknowledged_at", "clock_started_at", "due_at"]
    fields += restart_flags(ticket)
    if ticket.assignee_id is None:
        ticket.assignee = actor
        fields.append("assignee")
    save(ticket, fields)
    with record_language():
        message = _(
            "%(office)s đã thụ lý ngày %(day)s. Thời hạn giải quyết %(n)d %(unit)s kể từ ngày "
            "thụ lý, đến hết ngày %(due)s (%(law)s)."
        ) % {
            "office": ticket.office.name,
            "day": _day(now),
            "n": deadlines.resolve_amount(ticket, policy),
            "unit": policy.get_resolve_unit_display(),
            "due": _day(ticket.due_at),
            "law": _RESOLUTION_LAW[ticket.kind],
        }
    record(
        ticket,
        E.ACCEPTED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={**_ack_act(ticket, now), "due_at": ticket.due_at.isoformat()},
    )
    return ticket


@transaction.atomic
def ticket_refuse(
    ticket: Ticket | int,
    *,
    actor,
    grounds: Iterable[str],
    reason: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Refuse to accept a complaint or a denunciation, on one or more of the
    law's grounds (REFUSAL_GROUNDS) with the office's own words beside
    them. The case ends; the citizen is sent the notice."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    require_status(ticket, STAFF_ACTION_FROM["refuse"], _("thông báo không thụ lý"))
    require_awaiting_acceptance(ticket)
    known = dict(refusal_grounds(ticket))
    picked = list(dict.fromkeys(g for g in grounds if g))
    if not picked:
        raise ValidationFailed(_("Vui lòng chọn ít nhất một căn cứ không thụ lý."), field="grounds")
    unknown = [g for g in picked if g not in known]
    if unknown:
        raise ValidationFailed(
            _("Căn cứ không thụ lý không hợp lệ: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="grounds",
        )
    reason = (reason or "").strip()
    if len(reason) > MAX_TEXT:
        reason = require_text(reason, "reason", _("lý do"))  # raises: too long
    before = ticket.status
    ticket.status = S.REJECTED
    ticket.acknowledged_at = now
    ticket.closed_at = now
    save(ticket, ["status", "acknowledged_at", "closed_at"])
    with record_language():
        lines = [_("Không thụ lý. Căn cứ:")] + [f"- {known[g]}" for g in picked]
        if reason:
            lines.append(reason)
        message = "\n".join(str(line) for line in lines)
    record(
        ticket,
        E.REFUSED,
        at=now,
        actor=actor,
        from_status=before,
        public=True,
        message=message,
        data={**_ack_act(ticket, now), "grounds": picked, "reason": reason},
    )
    return ticket


@transaction.atomic
def ticket_extend_screening(
    ticket: Ticket | int, *, actor, reason: str, at: datetime | None = None
) -> Ticket:
    """Extend a denunciation's screening from 7 to 10 working days (Luật
    Tố cáo 2018 art. 24(1): verification at several places, or delegated),
    once, before the 7 days have run out. The provisional resolution
    deadline (counted from the latest lawful acceptance) moves with it."""
    now = now_or(at)
    ticket = lock(ticket)
    require_actor(actor, ticket)
    reason = require_text(reason, "reason", _("lý do gia hạn xử lý ban đầu"))
    require_status(ticket, STAFF_ACTION_FROM["extend_screening"], _("gia hạn xử lý ban đầu"))
    require_screening_extendable(ticket, now)
    old = ticket.ack_due_at
    ticket.screening_extended = True
    start = ticket.ack_started_at or ticket.received_at
    ticket.ack_due_at = deadlines.ack_due(ticket, start)
    ticket.ack_warned_at = None
    ticket.clock_started_at = ticket.ack_due_at
    ticket.due_at = deadlines.resolution_due(ticket, ticket.ack_due_at)
    save(
        ticket,
        ["screening_extended", "ack_due_at", "ack_warned_at", "clock_started_at", "due_at"],
    )
    with record_language():
        message = _(
            "Gia hạn xử lý ban đầu đơn tố cáo đến hết ngày %(due)s (Luật Tố cáo 2018, "
            "Điều 24 khoản 1): %(reason)s"
        ) % {"due": _day(ticket.ack_due_at), "reason": reason}
    record(
        ticket,
        E.EXTENDED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
        data={
            "deadline": "ack",
            "old_due": old.isoformat() if old else None,
            "new_due": ticket.ack_due_at.isoformat(),
            "reason": reason,
        },
    )
    return ticket
