"""scores.office_month_numbers: feedback.figures over one calendar month
(the figures themselves: tests/feedback/test_figures.py)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from feedback import scores, workflow

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=HANOI)


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=HANOI)


def test_it_reads_the_offices_figures_for_the_calendar_month(world, routed):
    inside = routed(at=at(2))
    workflow.ticket_resolve(inside, actor=world.officer_a, message="Xong.", at=at(3))
    routed(at=at(28, month=2))  # February
    routed(at=at(1, 0, month=4))  # April
    routed(at=at(3), unit=world.ward_b)  # office B

    n = scores.office_month_numbers(world.office_a, date(2026, 3, 17), now=NOW)
    assert (n.received, n.resolved, n.resolved_on_time) == (1, 1, 1)
    assert n.answer_hours.n == 1 and n.answer_hours.median == 8.0  # Mon 09:00 -> Tue 09:00


def test_it_takes_any_day_of_the_month(world):
    start, end = scores.month_bounds(datetime(2026, 12, 31, 23, 30, tzinfo=HANOI))
    assert (start, end) == (
        datetime(2026, 12, 1, tzinfo=HANOI),
        datetime(2027, 1, 1, tzinfo=HANOI),
    )
