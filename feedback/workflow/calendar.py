"""When the official calendar changes (a day off added, a make-up Saturday
announced, a row corrected in the admin), the due dates of open tickets
that the changed days fall under are counted again, each with a timeline
entry that says what moved and why.

A due date that the ticket's own rule still gives on the old calendar is
computed again by that rule on the new one (deadlines.compute_due: the
period, its variants, extensions). A due date that no longer matches it (a
pause moved it, a reopening restarted it) is moved by deadlines.remap, which
keeps the working time from the clock's start to the due date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback import deadlines
from feedback.models import Ticket, TicketEvent
from feedback.workflow.core import lock, now_or, record, record_language, save

S = Ticket.Status
E = TicketEvent.Kind

# (ticket field, policy field of its unit)
_DUE_FIELDS = (
    ("ack_due_at", "ack_unit"),
    ("due_at", "resolve_unit"),
    ("forward_due_at", "forward_unit"),
)


def tickets_follow_calendar(
    *,
    old: deadlines.WorkCalendar,
    new: deadlines.WorkCalendar,
    days: Iterable[date],
    actor=None,
    at: datetime | None = None,
) -> list[int]:
    """Count again the due dates of the open tickets whose periods the
    changed `days` can touch (received by the last of them, some deadline
    on or after the first), from the `old` calendar to the `new`. Each
    ticket under its own row lock, in its own transaction (a savepoint of
    the caller's, as in the admin, where the table's change and every
    ticket's follow-up commit together). Returns the ids of the tickets
    whose dates moved."""
    days = sorted(set(days))
    if not days:
        return []
    now = now_or(at)
    first = new._at(days[0], datetime.min.time())
    candidates = (
        Ticket.objects.filter(
            status__in=Ticket.OPEN_STATUSES, received_at__lte=new.end_of_day(days[-1])
        )
        .filter(Q(due_at__gte=first) | Q(ack_due_at__gte=first) | Q(forward_due_at__gte=first))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [
        pk for pk in candidates if _follow(pk, old=old, new=new, days=days, actor=actor, now=now)
    ]


def _clock_start(ticket: Ticket) -> datetime:
    """Where the ticket's current resolve period began: as the workflow
    recorded it where it does (clock_started_at), else its receipt, its
    acceptance where one is recorded, or its last reopening."""
    recorded = getattr(ticket, "clock_started_at", None)
    if recorded is not None:
        return recorded
    start = getattr(ticket, "accepted_at", None) or ticket.received_at
    if ticket.round > 1:
        reopens = ticket.events.filter(kind=E.REOPENED).order_by("-at")
        reopened = reopens.values_list("at", flat=True).first()
        if reopened is not None and reopened > start:
            start = reopened
    return start


_ORDER = {field: i for i, (field, _unit) in enumerate(_DUE_FIELDS)}


def recalculated_message(data: dict) -> str:
    """The timeline text of a RECALCULATED event, from its data, in the
    active language (stored in the site's; re-said for each reader)."""
    labels = {
        "ack_due_at": _("hạn tiếp nhận"),
        "due_at": _("hạn giải quyết"),
        "forward_due_at": _("hạn chuyển đơn"),
    }
    changes = "; ".join(
        _("%(deadline)s %(old)s → %(new)s")
        % {
            "deadline": labels[field],
            "old": _show(datetime.fromisoformat(old)),
            "new": _show(datetime.fromisoformat(new)),
        }
        # In a fixed order: the database does not keep a JSON object's.
        for field, (old, new) in sorted(data["changes"].items(), key=lambda c: _ORDER[c[0]])
    )
    days = ", ".join(f"{date.fromisoformat(d):%d/%m/%Y}" for d in data["days"])
    return _(
        "Thời hạn được tính lại theo lịch ngày nghỉ chính thức (ngày %(days)s): %(changes)s."
    ) % {"days": days, "changes": changes}


def _show(value: datetime) -> str:
    local = timezone.localtime(value, deadlines.DEFAULT_TZ)
    if local.time() == deadlines.END_OF_DAY:
        return f"{local:%d/%m/%Y}"
    return f"{local:%H:%M %d/%m/%Y}"


@transaction.atomic
def _follow(pk: int, *, old, new, days: list[date], actor, now: datetime) -> bool:
    ticket = lock(pk)
    if not ticket.is_open:
        return False
    policy = deadlines.policy_for(ticket)
    with deadlines.using_calendar(old):
        before = deadlines.compute_due(ticket)
    with deadlines.using_calendar(new):
        after = deadlines.compute_due(ticket)
    moves: dict[str, tuple[datetime, datetime]] = {}
    for field, unit_field in _DUE_FIELDS:
        current = getattr(ticket, field)
        if current is None:
            continue
        if current == getattr(before, field):
            moved = getattr(after, field)
        else:
            since = (
                _clock_start(ticket)
                if field == "due_at"
                else getattr(ticket, "ack_started_at", None) or ticket.received_at
            )
            unit = getattr(policy, unit_field)
            moved = deadlines.remap(current, old=old, new=new, unit=unit, since=since)
        if moved is not None and moved != current:
            moves[field] = (current, moved)
    if not moves:
        return False
    fields = list(moves)
    for field, (_old, moved) in moves.items():
        setattr(ticket, field, moved)
    if "due_at" in moves and ticket.due_at > now:
        # No longer late (or not yet near): the sweeps judge the new date.
        ticket.warned_at = None
        ticket.breached_at = None
        fields += ["warned_at", "breached_at"]
    save(ticket, fields)
    data = {
        "days": [d.isoformat() for d in days],
        "changes": {f: [a.isoformat(), b.isoformat()] for f, (a, b) in moves.items()},
    }
    with record_language():
        message = recalculated_message(data)
    record(
        ticket,
        E.RECALCULATED,
        at=now,
        actor=actor,
        from_status=ticket.status,
        public=True,
        message=message,
        data=data,
    )
    return True
