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
from feedback.models import Office, SurveyResponse, Ticket
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
    # Complaints and denunciations (workflow.acceptance); acceptance itself
    # is "acknowledge".
    "refuse": (S.ROUTED,),
    "extend_screening": (S.ROUTED,),
    # Written decisions on an accepted complaint's or denunciation's period
    # (workflow.decisions).
    "declare_complex": (S.ROUTED, S.IN_PROGRESS, S.AWAITING_CITIZEN),
    "suspend": (S.IN_PROGRESS,),
    "resume": (S.IN_PROGRESS,),
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
    """Extensions, complexity and suspensions are written decisions of the
    head of the office that handles the case."""
    if not permissions.is_head(user, ticket.office_id):
        raise Forbidden(_("Chỉ lãnh đạo cơ quan mới ra quyết định này."))


def extended_due(ticket: Ticket) -> datetime:
    """The due date one more extension gives, or the law's reason why not."""
    require_accepted(ticket)
    require_not_suspended(ticket)
    try:
        return deadlines.extended_due(ticket)
    except deadlines.ExtensionRefused as refused:
        if refused.reason == "not_complex":
            message = _(
                "Chỉ gia hạn khi vụ việc phức tạp (một lần) hoặc đặc biệt phức tạp (hai lần): "
                "Luật Tố cáo 2018, Điều 30 khoản 2, 3. Hãy xác định mức độ phức tạp trước."
            )
        elif refused.reason == "limit" and ticket.kind == Ticket.Kind.DENUNCIATION:
            message = _(
                "Đã gia hạn %(n)d lần, tối đa mức độ phức tạp của vụ việc cho phép "
                "(Luật Tố cáo 2018, Điều 30 khoản 2, 3)."
            ) % {"n": ticket.extensions}
        elif ticket.kind == Ticket.Kind.COMPLAINT:
            message = _(
                "Luật Khiếu nại 2011 không cho gia hạn giải quyết khiếu nại; vụ việc phức tạp "
                "được áp dụng thời hạn dài hơn (Điều 28, 37): hãy xác định vụ việc phức tạp."
            )
        else:
            message = _("Đã hết số lần gia hạn cho phép.")
        raise InvalidTransition(message) from None


def require_not_suspended(ticket: Ticket) -> None:
    if ticket.is_suspended:
        raise InvalidTransition(
            _("Việc giải quyết đang tạm đình chỉ: hãy tiếp tục giải quyết trước.")
        )


def require_suspendable(ticket: Ticket) -> None:
    """Only an accepted complaint or denunciation that is being handled (not
    waiting for the citizen, not already suspended) can be suspended."""
    if not ticket.needs_acceptance or ticket.accepted_at is None:
        raise InvalidTransition(_("Chỉ tạm đình chỉ đơn khiếu nại, tố cáo đã thụ lý."))
    require_not_suspended(ticket)


def require_suspended(ticket: Ticket) -> None:
    if not ticket.is_suspended:
        raise InvalidTransition(_("Việc giải quyết không bị tạm đình chỉ."))


def require_complexity_decidable(ticket: Ticket, level: str) -> None:
    """Complaints (a longer period) and denunciations (extensions) may be
    declared complex, denunciations especially complex; reports keep the
    city's periods. A declaration only ever raises the level."""
    if not ticket.needs_acceptance:
        raise InvalidTransition(_("Chỉ đơn khiếu nại, tố cáo mới xác định mức độ phức tạp."))
    if level == "especially_complex" and ticket.kind != Ticket.Kind.DENUNCIATION:
        raise InvalidTransition(_("Chỉ vụ việc tố cáo mới có mức đặc biệt phức tạp."))
    if ticket.is_especially_complex or (ticket.is_complex and level == "complex"):
        raise InvalidTransition(_("Vụ việc đã được xác định ở mức này."))


def require_awaiting_acceptance(ticket: Ticket) -> None:
    """Only a complaint or a denunciation not yet accepted can be accepted
    or refused (and only by the office that holds it, not the dispatch)."""
    if not deadlines.awaits_acceptance(ticket):
        raise InvalidTransition(_("Chỉ đơn khiếu nại, tố cáo chưa thụ lý mới thụ lý hoặc từ chối."))
    require_not_dispatch(ticket)


def require_accepted(ticket: Ticket) -> None:
    """A complaint or a denunciation is resolved only after acceptance."""
    if deadlines.awaits_acceptance(ticket):
        raise InvalidTransition(_("Cần thụ lý đơn trước khi giải quyết."))


def require_screening_extendable(ticket: Ticket, now: datetime) -> None:
    """Luật Tố cáo 2018 art. 24(1): a denunciation's screening may take up to
    10 working days instead of 7, decided once, before the 7 run out."""
    if ticket.kind != Ticket.Kind.DENUNCIATION or not deadlines.awaits_acceptance(ticket):
        raise InvalidTransition(_("Chỉ gia hạn xử lý ban đầu đối với đơn tố cáo chưa thụ lý."))
    if ticket.screening_extended:
        raise InvalidTransition(_("Thời hạn xử lý ban đầu đã được gia hạn một lần."))
    if ticket.ack_due_at is not None and now > ticket.ack_due_at:
        raise InvalidTransition(_("Đã hết thời hạn xử lý ban đầu, không thể gia hạn."))


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


# The satisfaction survey stays open this long after the result: long
# enough to answer once the case has closed (7 days, or at a satisfied
# rating), short enough that an answer is about this service. The product's
# choice, published on the methodology page.
SURVEY_OPEN_DAYS = 30


def survey_open(ticket: Ticket, now: datetime) -> bool:
    """Whether the reporter may still answer the survey: after a result
    (resolved or closed), within SURVEY_OPEN_DAYS of it, once per ticket."""
    return (
        ticket.status in (S.RESOLVED, S.CLOSED)
        and ticket.resolved_at is not None
        and now <= ticket.resolved_at + timedelta(days=SURVEY_OPEN_DAYS)
        and not SurveyResponse.objects.filter(ticket=ticket).exists()
    )


def require_reporter_window(ticket: Ticket, now: datetime, refusal: str) -> None:
    """Refuse a reporter's rating or reopening once the window has ended;
    `refusal` says what can no longer be done, with %(n)d for the days."""
    if not reporter_window_open(ticket, now):
        raise InvalidTransition(refusal % {"n": settings.FEEDBACK_CLOSE_AFTER_DAYS})


# --- what a page may offer now ---------------------------------------------------

_ACTION_PRECONDITIONS = {
    "assign": require_someone_to_assign,
    "request_info": lambda user, ticket: (
        require_contactable(ticket),
        require_not_suspended(ticket),
    ),
    "not_ours": lambda user, ticket: require_not_dispatch(ticket),
    "extend": lambda user, ticket: (require_head(user, ticket), extended_due(ticket)),
    "resolve": lambda user, ticket: (require_accepted(ticket), require_not_suspended(ticket)),
    "declare_complex": lambda user, ticket: (
        require_head(user, ticket),
        require_complexity_decidable(
            ticket, "especially_complex" if ticket.is_complex else "complex"
        ),
    ),
    "suspend": lambda user, ticket: (require_head(user, ticket), require_suspendable(ticket)),
    "resume": lambda user, ticket: (require_head(user, ticket), require_suspended(ticket)),
    "refuse": lambda user, ticket: require_awaiting_acceptance(ticket),
    "extend_screening": lambda user, ticket: require_screening_extendable(ticket, now_or(None)),
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
RISKY_ACTIONS = ("refuse", "not_ours", "reject")


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
    "rate", "reopen" (reports), "appeal" (a first-instance complaint: the
    second instance at the superior body), "survey". Pages show exactly
    these; the actions still check everything again under the lock."""
    now = now_or(at)
    actions: set[str] = set()
    if ticket.status == S.AWAITING_CITIZEN:
        actions.add("reply")
    # The second instance has the law's own window (30 or 45 days), longer
    # than the reporter's window for rating and reopening.
    try:
        require_appealable(ticket, now)
    except DomainError:
        pass
    else:
        actions.add("appeal")
    if ticket.status in (S.RESOLVED, S.CLOSED):
        if survey_open(ticket, now):  # open longer than the reporter's window
            actions.add("survey")
        if not reporter_window_open(ticket, now):
            return actions
        rated = ticket.ratings.filter(round=ticket.round)
        if not rated.exists():
            actions.add("rate")
        satisfied_closed = ticket.status == S.CLOSED and rated.filter(overall__gte=4).exists()
        if ticket.kind != Ticket.Kind.COMPLAINT and not satisfied_closed:
            actions.add("reopen")
    return actions


def require_appealable(ticket: Ticket, now: datetime) -> Office:
    """A first-instance complaint may be taken to the superior body (the
    parent of the office that decided it) within the window of Luật Khiếu
    nại 2011 art. 33, once. Returns that body."""
    if ticket.kind != Ticket.Kind.COMPLAINT or (ticket.instance or 1) != 1:
        raise InvalidTransition(_("Chỉ khiếu nại lần đầu mới được khiếu nại lần hai."))
    if ticket.status == S.REJECTED:
        raise InvalidTransition(_("Khiếu nại này không được thụ lý hoặc đã bị gộp."))
    window = deadlines.second_instance_window(ticket, now)
    if window is None:
        raise InvalidTransition(
            _("Chưa có quyết định giải quyết lần đầu và chưa hết thời hạn giải quyết.")
        )
    if now > window[1]:
        raise InvalidTransition(
            _("Đã hết thời hạn khiếu nại lần hai (Luật Khiếu nại 2011, Điều 33).")
        )
    if ticket.later_instances.exists():
        raise InvalidTransition(_("Khiếu nại này đã được khiếu nại lần hai."))
    parent = ticket.office.parent if ticket.office is not None else None
    if parent is None or not parent.is_active:
        raise InvalidTransition(
            _("Chưa xác định được cơ quan cấp trên giải quyết lần hai; hãy liên hệ cơ quan.")
        )
    return parent
