"""scores.office_month_numbers on hand-built tickets with known times."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from feedback import scores
from feedback.models import Rating, Ticket

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=HANOI)


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HANOI)


@pytest.fixture
def make(world):
    def _make(**fields) -> Ticket:
        base = dict(
            kind="feedback",
            category=world.waste,
            unit=world.ward_a,
            title="t",
            description="d",
            channel="web",
            office=world.office_a,
            status=Ticket.Status.IN_PROGRESS,
        )
        base.update(fields)
        base.setdefault("created_at", base.get("received_at", at(2)))
        base.setdefault("received_at", base["created_at"])
        return Ticket.objects.create(**base)

    return _make


def test_it_counts_the_months_tickets_of_the_office_only(world, make):
    # Mon 2 March 09:00, first answer Tue 3 March 09:00 = 8 working hours.
    a = make(received_at=at(2), first_response_at=at(3))
    # Wed 4 March 09:00 -> Fri 6 March 11:00 = 8 + 8 + 2 = 18 working hours.
    make(received_at=at(4), first_response_at=at(6, 11))
    # Thu 5 March 09:00 -> Thu 5 March 13:00 = 3 working hours (lunch 12-13).
    make(received_at=at(5), first_response_at=at(5, 13))
    make(received_at=at(10))  # no answer yet: not in the median
    make(received_at=at(27, month=2), first_response_at=at(2))  # February
    make(received_at=at(3), office=world.office_b, first_response_at=at(3, 10))  # office B

    n = scores.office_month_numbers(world.office_a, date(2026, 3, 1), now=NOW)
    assert n["received"] == 4
    assert n["answered"] == 3
    assert n["median_hours_to_answer"] == 8.0
    assert n["month_start"] == at(1, 0) and n["month_end"] == at(1, 0, month=4)
    assert a.pk  # the fixture built real rows


def test_it_counts_on_time_by_the_due_date_and_overdue_now(world, make):
    S = Ticket.Status
    make(status=S.RESOLVED, resolved_at=at(10), due_at=at(12))  # on time
    make(status=S.RESOLVED, resolved_at=at(12), due_at=at(12))  # on the dot: on time
    make(status=S.RESOLVED, resolved_at=at(15), due_at=at(12))  # late
    make(status=S.RESOLVED, resolved_at=at(2, month=4), due_at=at(1, month=4))  # April
    make(status=S.IN_PROGRESS, due_at=at(19))  # overdue now
    make(status=S.AWAITING_CITIZEN, due_at=at(19), paused_since=at(18))  # paused: not overdue
    make(status=S.IN_PROGRESS, due_at=at(25))  # not yet due
    make(status=S.IN_PROGRESS, due_at=at(19), office=world.office_b)  # another office

    n = scores.office_month_numbers(world.office_a, date(2026, 3, 1), now=NOW)
    assert (n["resolved"], n["resolved_on_time"], n["on_time_rate"]) == (3, 2, 66.7)
    assert n["overdue_now"] == 1


def test_it_reports_satisfaction_as_the_share_of_4_and_5_and_the_mean(world, make):
    for overall, office, when in [
        (5, world.office_a, at(3)),
        (4, world.office_a, at(4)),
        (2, world.office_a, at(5)),
        (1, world.office_a, at(2, month=4)),  # April
        (5, world.office_b, at(5)),  # another office
    ]:
        ticket = make(status=Ticket.Status.RESOLVED, resolved_at=at(2))
        Rating.objects.create(ticket=ticket, office=office, overall=overall, created_at=when)

    n = scores.office_month_numbers(world.office_a, date(2026, 3, 1), now=NOW)
    assert (n["ratings"], n["satisfied"]) == (3, 2)
    assert n["satisfaction_rate"] == 66.7
    assert n["mean_rating"] == pytest.approx(3.67)


def test_it_gives_none_rather_than_zero_when_there_is_nothing_to_measure(world):
    n = scores.office_month_numbers(world.office_a, date(2026, 3, 1), now=NOW)
    assert n["received"] == 0 and n["overdue_now"] == 0
    assert n["on_time_rate"] is None
    assert n["median_hours_to_answer"] is None
    assert n["satisfaction_rate"] is None and n["mean_rating"] is None


def test_it_takes_any_day_of_the_month(world):
    start, end = scores.month_bounds(datetime(2026, 12, 31, 23, 30, tzinfo=HANOI))
    assert (start, end) == (
        datetime(2026, 12, 1, tzinfo=HANOI),
        datetime(2027, 1, 1, tzinfo=HANOI),
    )
