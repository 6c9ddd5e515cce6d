"""The official calendar (OfficialDay) over the `holidays` package.

Every expected date is counted by hand. The seeded rows used here:
- Thu 1 Jan 2026 off (Bộ luật Lao động 2019 art. 112(1)(a)); Fri 2 Jan 2026
  off and Sat 10 Jan 2026 worked instead (Công văn 12729/VPCP-KGVX of
  25/12/2025), a swap the package does not know;
- Tết 2027: Thu 4 - Wed 10 Feb 2027 (art. 112(1)(b); the Prime Minister's
  decision for 2027 is not recorded yet, the package's reading is seeded);
- Tue 24 Nov 2026 a working day: the package calls it Culture Day, which
  the Labour Code does not (yet) make a holiday.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from feedback import deadlines
from feedback.deadlines import WorkCalendar, calendar, compute_due, remap
from feedback.models import OfficialDay, Ticket, TicketEvent
from feedback.official_days import ensure_official_days
from feedback.templatetags.events import event_text
from tests.feedback.test_deadlines import CD, WD, WH, at, eod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _seeded_calendar():
    ensure_official_days()
    calendar.cache_clear()
    yield
    # Rows changed here are rolled back without a signal: forget them.
    calendar.cache_clear()


def test_it_takes_friday_2_january_2026_off_and_works_saturday_10_january():
    """Công văn 12729/VPCP-KGVX (25/12/2025): Fri 2/1/2026 off, Sat 10/1/2026 worked."""
    cal = calendar()
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))
    # The package alone does not know the swap.
    assert WorkCalendar().is_working_day(date(2026, 1, 2))
    assert not WorkCalendar().is_working_day(date(2026, 1, 10))
    # 8 working hours from Wed 31 Dec 2025 14:00: 3 h on Wednesday, Thu 1 and
    # Fri 2 off, then 4 h and 1 h on Mon 5 Jan.
    assert cal.add(at(2025, 12, 31, 14), 8, WH) == at(2026, 1, 5, 14)
    # One working day after Fri 9 Jan is the working Saturday.
    assert cal.add(at(2026, 1, 9, 10), 1, WD) == eod(2026, 1, 10)
    # 4 working hours from Fri 9 Jan 15:00: 2 h on Friday, 2 h on Saturday.
    assert cal.add(at(2026, 1, 9, 15), 4, WH) == at(2026, 1, 10, 10)


def test_it_counts_a_report_across_the_2026_swap(routed):
    """A report received Wed 31 Dec 2025 (iHanoi, QĐ 1207/QĐ-UBND: receipt in
    8 working hours; the city's 10 working days to resolve)."""
    ticket = routed()
    ticket.received_at = at(2025, 12, 31, 10)
    due = compute_due(ticket)
    # 10:00-12:00 and 13:00-17:00 on Wednesday (6 h), then 2 h on Mon 5 Jan.
    assert due.ack_due_at == at(2026, 1, 5, 10)
    # Mon 5 - Fri 9 (5), Sat 10 (6), Mon 12 - Thu 15 (10).
    assert due.due_at == eod(2026, 1, 15)


def test_it_counts_across_tet_2027(routed, world):
    """Tết 2027 (Bộ luật Lao động art. 112(1)(b)): Thu 4 - Wed 10 Feb 2027 off."""
    cal = calendar()
    assert [cal.is_working_day(date(2027, 2, d)) for d in (3, 4, 5, 8, 9, 10, 11)] == [
        True,
        False,
        False,
        False,
        False,
        False,
        True,
    ]
    report = routed()
    report.received_at = at(2027, 2, 3, 9)
    # Thu 11 (1), Fri 12 (2), Mon 15 - Fri 19 (7), Mon 22 - Wed 24 (10).
    assert compute_due(report).due_at == eod(2027, 2, 24)
    # A complaint received Sun 31 Jan 2027: 10 days to accept (Luật Khiếu nại
    # art. 27) end on Wed 10 Feb, a day of Tết, so on Thu 11 Feb (Bộ luật Dân
    # sự 2015 art. 148(5)).
    complaint = routed(kind="complaint", category=world.complaints)
    complaint.received_at = at(2027, 1, 31, 9)
    assert compute_due(complaint).ack_due_at == eod(2027, 2, 11)


def test_it_counts_24_november_as_a_working_day_until_the_law_says_otherwise():
    assert calendar().is_working_day(date(2026, 11, 24))
    assert not WorkCalendar().is_working_day(date(2026, 11, 24))


@override_settings(FEEDBACK_EXTRA_WORKDAYS=["2026-01-02"], FEEDBACK_EXTRA_HOLIDAYS=["2026-01-10"])
def test_it_lets_the_deployment_settings_override_the_table():
    calendar.cache_clear()
    cal = calendar()
    assert cal.is_working_day(date(2026, 1, 2))
    assert not cal.is_working_day(date(2026, 1, 10))


def test_it_reads_a_changed_row_at_once_in_the_process_that_changed_it():
    kept = calendar()
    assert calendar() is kept
    OfficialDay.objects.create(
        date=date(2026, 12, 31), kind="day_off", name="Nghỉ thử", legal_source="Thử nghiệm"
    )
    assert calendar() is not kept
    assert not calendar().is_working_day(date(2026, 12, 31))


def test_it_reads_a_row_another_process_changed_when_the_version_moves():
    kept = calendar()
    # Another process wrote the row (no signal here) and published a version.
    OfficialDay.objects.bulk_create(
        [OfficialDay(date=date(2026, 12, 31), kind="day_off", name="Nghỉ", legal_source="Thử")]
    )
    deadlines._kept.checked = float("-inf")  # the check interval has passed
    assert calendar() is kept  # no new version yet: the kept copy stands
    cache.set(deadlines.CALENDAR_VERSION_KEY, "another-process")
    deadlines._kept.checked = float("-inf")
    assert calendar() is not kept
    assert not calendar().is_working_day(date(2026, 12, 31))


def test_it_moves_a_paused_due_date_by_the_working_days_it_kept():
    old = WorkCalendar(extra_holidays={date(2026, 1, 2)}, extra_workdays={date(2026, 1, 10)})
    new = WorkCalendar(extra_holidays={date(2026, 1, 2)})
    # From Wed 31 Dec to Thu 15 Jan: 10 working days on the old calendar
    # (5-9, 10, 12-15); without the working Saturday the tenth is Fri 16.
    moved = remap(eod(2026, 1, 15), old=old, new=new, unit=WD, since=at(2025, 12, 31, 10))
    assert moved == eod(2026, 1, 16)
    # Working hours: Fri 9 Jan 15:00 + 4 h ended Sat 10:00; now Mon 12 10:00.
    moved = remap(at(2026, 1, 10, 10), old=old, new=new, unit=WH, since=at(2026, 1, 9, 15))
    assert moved == at(2026, 1, 12, 10)
    # Calendar days: a last day that became a day off moves to the next working day.
    moved = remap(eod(2026, 1, 10), old=old, new=new, unit=CD, since=at(2025, 12, 11, 9))
    assert moved == eod(2026, 1, 12)


# --- the admin --------------------------------------------------------------------


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:feedback_officialday_{view}", args=args)


@pytest.fixture
def year_end_report(routed):
    """An open report received Wed 31 Dec 2025 10:00, its dates on the seeded calendar."""

    def _make(**overrides):
        ticket = routed(**overrides)
        ticket.received_at = at(2025, 12, 31, 10)
        due = compute_due(ticket)
        Ticket.objects.filter(pk=ticket.pk).update(
            received_at=ticket.received_at, ack_due_at=due.ack_due_at, due_at=due.due_at
        )
        ticket.refresh_from_db()
        assert ticket.due_at == eod(2026, 1, 15)
        return ticket

    return _make


def test_it_moves_open_due_dates_when_a_day_is_taken_out_in_the_admin(
    client_as, world, year_end_report
):
    ticket = year_end_report()
    done = year_end_report()
    Ticket.objects.filter(pk=done.pk).update(status=Ticket.Status.RESOLVED)
    swap = OfficialDay.objects.get(date=date(2026, 1, 2))

    response = client_as(world.admin).post(admin_url("delete", swap.pk), {"post": "yes"})

    assert response.status_code == 302
    ticket.refresh_from_db()
    # Fri 2 Jan is a working day again: Fri 2 (1), Mon 5 - Fri 9 (6), Sat 10
    # (7), Mon 12 - Wed 14 (10). Receipt: 2 h on Fri 2 Jan.
    assert ticket.due_at == eod(2026, 1, 14)
    assert ticket.ack_due_at == at(2026, 1, 2, 10)
    note = ticket.events.get(kind=TicketEvent.Kind.RECALCULATED)
    assert note.is_public
    assert note.actor == world.admin
    assert "02/01/2026" in note.message
    assert "hạn giải quyết 15/01/2026 → 14/01/2026" in note.message
    assert note.data["changes"]["due_at"][1] == eod(2026, 1, 14).isoformat()
    with translation.override("en"):
        assert event_text(note) == (
            "Deadlines recalculated on the official calendar (days changed: 02/01/2026): "
            "acceptance due 10:00 05/01/2026 → 10:00 02/01/2026; "
            "resolution due 15/01/2026 → 14/01/2026."
        )
    # A resolved ticket keeps its dates and gets no note.
    done.refresh_from_db()
    assert done.due_at == eod(2026, 1, 15)
    assert not done.events.filter(kind=TicketEvent.Kind.RECALCULATED).exists()
    assert calendar().is_working_day(date(2026, 1, 2))


def test_it_moves_open_due_dates_when_a_day_off_is_added_in_the_admin(
    client_as, world, year_end_report
):
    ticket = year_end_report()
    response = client_as(world.admin).post(
        admin_url("add"),
        {
            "date": "2026-01-13",
            "kind": "day_off",
            "name": "Nghỉ đột xuất",
            "legal_source": "Thông báo thử nghiệm",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    ticket.refresh_from_db()
    # Tue 13 Jan is now off: the tenth working day is Fri 16 Jan.
    assert ticket.due_at == eod(2026, 1, 16)
    assert ticket.events.filter(kind=TicketEvent.Kind.RECALCULATED).count() == 1


def test_it_refuses_a_second_row_for_the_same_date_and_changes_nothing(
    client_as, world, year_end_report
):
    ticket = year_end_report()
    response = client_as(world.admin).post(
        admin_url("add"),
        {"date": "2026-01-02", "kind": "working_day", "name": "Trùng", "legal_source": "Thử"},
    )
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert OfficialDay.objects.get(date=date(2026, 1, 2)).kind == "day_off"
    ticket.refresh_from_db()
    assert ticket.due_at == eod(2026, 1, 15)
    assert not ticket.events.filter(kind=TicketEvent.Kind.RECALCULATED).exists()


# --- the comparison command -----------------------------------------------------------


def test_it_lists_where_the_table_and_the_package_disagree(capsys):
    call_command("compare_calendar")
    out = capsys.readouterr().out
    assert "4 days differ for 2025, 2026, 2027" in out
    assert "2026-01-02 Fri  table: day off" in out
    assert "2026-01-10 Sat  table: working day" in out
    assert "2026-11-24 Tue  table: working day" in out
    assert "package: day off (Vietnam Cultural Day)" in out
    assert "2027-11-24 Wed" in out


def test_it_names_a_package_holiday_the_table_does_not_list(capsys):
    OfficialDay.objects.filter(date=date(2026, 4, 30)).delete()
    call_command("compare_calendar", "2026")
    out = capsys.readouterr().out
    assert "2026-04-30 Thu  table: not listed  package: day off" in out


def test_it_says_when_the_table_and_the_package_agree(capsys):
    call_command("compare_calendar", "2025")
    assert "The table and the package agree for 2025." in capsys.readouterr().out
