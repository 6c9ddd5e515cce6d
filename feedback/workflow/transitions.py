"""What may happen next: the statuses each staff action starts from, the
preconditions that do not depend on what the user types, and the lists of
actions a page may offer now (allowed_actions for staff, citizen_actions
for the reporter). The actions check the same tables and helpers again
under the row lock, so a page never offers what the workflow would refuse."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from feedback import deadlines, permissions
from feedback.errors import DomainError, Forbidden, InvalidTransition
from feedback.models import Office, Ticket
from feedback.workflow.core import S, now_or

# The statuses each staff action starts from: the one table that both the
# actions and allowed_actions() read (and the two cannot drift apart).
STAFF_ACTION_FROM: dict[str, tuple[str, ...]] = {
    "acknowledge": Ticket.AWAITING_ACK_STATUSES,
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


# --- preconditions shared by the actions and the lists below -------------------


def require_contactable(ticket: Ticket) -> None:
    if ticket.is_anonymous or not (ticket.contact_email or ticket.contact_phone):
        raise InvalidTransition(
            _("Người phản ánh không để lại cách liên hệ nên không thể đề nghị bổ sung.")
        )


def require_not_dispatch(ticket: Ticket) -> None:
    if ticket.office is not None and ticket.office.kind == Office.Kind.DISPATCH:
        raise InvalidTransition(_("Bộ phận điều phối chuyển phản ánh bằng chức năng “Chuyển”."))


def require_head(user, ticket: Ticket) -> None:
    if not permissions.is_head(user, ticket.office_id):
        raise Forbidden(_("Chỉ lãnh đạo cơ quan mới quyết định gia hạn."))


def extended_due(ticket: Ticket) -> datetime:
    try:
        return deadlines.extended_due(ticket)
    except ValueError:
        raise InvalidTransition(_("Đã hết số lần gia hạn cho phép.")) from None


def require_someone_to_assign(user, ticket: Ticket) -> None:
    # ticket_assign lets a non-head assign only themselves, and assigning the
    # current assignee changes nothing: such a user has nothing to assign.
    if not permissions.is_head(user, ticket.office_id) and ticket.assignee_id == user.pk:
        raise InvalidTransition(_("Bạn đang xử lý phản ánh này."))


def reporter_window_ends(ticket: Ticket) -> datetime | None:
    """The end of the reporter's window after a result: until then they may
    rate it or ask to reopen, and a quiet ticket is closed after it
    (FEEDBACK_CLOSE_AFTER_DAYS, 7 days). None while there is no result.

    The product's choice, not the law's: the complaint and denunciation laws
    set no period for a citizen's verdict on an answer. One window for both
    keeps the rule simple to state ("within 7 days of the result") and keeps
    the satisfaction figures of a month from moving long after it ended: a
    ticket closed after a quiet window can no longer be rated."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + timedelta(days=settings.FEEDBACK_CLOSE_AFTER_DAYS)


def reporter_window_open(ticket: Ticket, now: datetime) -> bool:
    ends = reporter_window_ends(ticket)
    return ends is not None and now <= ends


def require_reporter_window(ticket: Ticket, now: datetime, refusal: str) -> None:
    """Refuse a reporter's rating or reopening once the window has ended;
    `refusal` says what can no longer be done, with %(n)d for the days."""
    if not reporter_window_open(ticket, now):
        raise InvalidTransition(refusal % {"n": settings.FEEDBACK_CLOSE_AFTER_DAYS})


# --- what a page may offer now ---------------------------------------------------

_ACTION_PRECONDITIONS = {
    "assign": require_someone_to_assign,
    "request_info": lambda user, ticket: require_contactable(ticket),
    "not_ours": lambda user, ticket: require_not_dispatch(ticket),
    "extend": lambda user, ticket: (require_head(user, ticket), extended_due(ticket)),
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


# The next step a ticket in each status is waiting for: the page offers it
# first. The product's choice: new work is acknowledged before anything else
# (the receipt deadline runs first), work in hand is resolved.
PRIMARY_ACTION: dict[str, str] = {
    S.ROUTED: "acknowledge",
    S.REOPENED: "acknowledge",
    S.IN_PROGRESS: "resolve",
}
# Actions that end or hand away the office's work on the report: pages set
# them apart and style them as such.
RISKY_ACTIONS = ("not_ours", "reject")


def actions_in_order(ticket: Ticket, allowed: set[str]) -> list[str]:
    """`allowed` (from allowed_actions) in the order a page offers them: the
    primary action for the ticket's status first, then the others in
    STAFF_ACTION_FROM's order, the risky ones last."""
    primary = PRIMARY_ACTION.get(ticket.status)

    def rank(name: str) -> tuple[int, int]:
        group = 0 if name == primary else 2 if name in RISKY_ACTIONS else 1
        return group, list(STAFF_ACTION_FROM).index(name)

    return sorted(allowed, key=rank)


def citizen_actions(ticket: Ticket, *, at: datetime | None = None) -> set[str]:
    """What the reporter may do now through the private link: "reply",
    "rate", "reopen". Pages show exactly these; the actions still check
    everything again under the lock."""
    now = now_or(at)
    actions: set[str] = set()
    if ticket.status == S.AWAITING_CITIZEN:
        actions.add("reply")
    if ticket.status in (S.RESOLVED, S.CLOSED):
        if not reporter_window_open(ticket, now):
            return actions
        rated = ticket.ratings.filter(round=ticket.round)
        if not rated.exists():
            actions.add("rate")
        satisfied_closed = ticket.status == S.CLOSED and rated.filter(overall__gte=4).exists()
        if not satisfied_closed:
            actions.add("reopen")
    return actions
