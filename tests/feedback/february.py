"""A small world worked out by hand for the figures (tests/feedback/
test_figures.py) and the dashboard: tickets driven through the workflow at
known times (backdated with at=) in February 2026, read on 20 March 2026.
Tết 2026 keeps offices closed Mon 16 - Fri 20 February (with the weekends:
14-22 February). The fixture is offered to tests/feedback/ by its conftest."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from feedback import workflow

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=HANOI)
FEB = dict(
    start=datetime(2026, 2, 1, tzinfo=HANOI), end=datetime(2026, 3, 1, tzinfo=HANOI), now=NOW
)


def at(day: int, hour: int = 9, month: int = 2) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HANOI)


def end_of(day: int, month: int = 2) -> datetime:
    """A period in days ends at the end of its last day (Civil Code art. 148)."""
    return datetime(2026, month, day, 23, 59, 59, 999999, tzinfo=HANOI)


@pytest.fixture
def february(world, submit):
    """The hand-worked tickets. Office A (ward A):

    - tet: received Fri 13 Feb 15:00 (acknowledge within 8 working hours:
      Fri 15-17 and Mon 23 Feb 8-12, 13-15, so due Mon 23 Feb 15:00),
      acknowledged Mon 23 Feb 10:00 = 4 working hours, on time although ten
      days later; resolved Tue 24 Feb 09:00 = 2 + 8 + 1 = 11 working hours,
      on time; rated 5.
    - reopened: received Mon 2 Feb 09:00 (acknowledge by Tue 3 Feb 09:00),
      acknowledged Tue 3 Feb 10:00 = 9 working hours, late; resolved Wed 4
      Feb 09:00 = 7 + 8 + 1 = 16 working hours, on time; rated 2 and
      reopened Thu 5 Feb; resolved again Mon 9 Feb, on time (round 2).
    - overdue: received Mon 2 Feb 10:00, never acknowledged (due Tue 3 Feb
      10:00: late), due at the end of Mon 23 Feb (10 working days, Tết skipped),
      still open: overdue at the end of February.
    - march: received 2 March, open, not due yet: backlog only.

    Office B (ward B): one ticket received 10 Feb, resolved 11 Feb.
    The dispatch office (the remote commune has no committee): one ticket
    received Thu 12 Feb, never acknowledged (due 17:00 the same day), due
    the end of Thu 5 March: not overdue at the end of February."""

    def file(received, **extra):
        ticket, secret = submit(at=received, **extra)
        return workflow.ticket_route(ticket, at=received), secret

    a = world.officer_a
    tet, tet_secret = file(at(13, 15))
    assert tet.ack_due_at == at(23, 15) and tet.due_at == end_of(6, month=3)
    workflow.ticket_acknowledge(tet, actor=a, at=at(23, 10))
    workflow.ticket_resolve(tet, actor=a, message="Đã thu gom.", at=at(24, 9))
    workflow.ticket_rate(tet, secret=tet_secret, overall=5, at=at(25))

    reopened, secret = file(at(2, 9))
    assert reopened.ack_due_at == at(3, 9)
    workflow.ticket_acknowledge(reopened, actor=a, at=at(3, 10))
    workflow.ticket_resolve(reopened, actor=a, message="Đã thu gom.", at=at(4, 9))
    workflow.ticket_rate(reopened, secret=secret, overall=2, at=at(5, 9))
    workflow.ticket_reopen(reopened, secret=secret, reason="Vẫn còn rác.", at=at(5, 10))
    workflow.ticket_resolve(reopened, actor=a, message="Đã thu gom lại.", at=at(9, 9))

    overdue, _ = file(at(2, 10))
    assert overdue.due_at == end_of(23)
    march, _ = file(at(2, 9, month=3))

    b, _ = file(at(10), unit=world.ward_b)
    workflow.ticket_resolve(b, actor=world.officer_b, message="Xong.", at=at(11))
    remote, _ = file(at(12), unit=world.remote)
    assert remote.office == world.dispatch and remote.due_at == end_of(5, month=3)
    return {"tet": tet, "reopened": reopened, "overdue": overdue, "march": march}
