"""feedback.deadlines against the real 2026 Vietnamese calendar.

2026 days off (holidays 0.109): Thu 1 Jan; Tết Mon 16 - Fri 20 Feb; Hùng Kings
Sun 26 Apr + observed Mon 27 Apr; Thu 30 Apr; Fri 1 May; Mon 31 Aug
(substituted, worked on Sat 22 Aug); Tue 1 - Wed 2 Sep; Tue 24 Nov.
Every expected value below was counted by hand on that calendar.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from feedback import deadlines
from feedback.deadlines import (
    PRESETS,
    Due,
    ExtensionRefused,
    WorkCalendar,
    calendar,
    compute_due,
    ensure_presets,
    extended_due,
    extensions_allowed,
    policy_for,
    warn_at,
    working_duration,
)
from feedback.models import AdministrativeUnit, Category, DeadlinePolicy, Ticket

# calendar() reads the official calendar table (OfficialDay).
pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
WH, WD, CD = "working_hours", "working_days", "calendar_days"


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=VN)


def eod(y: int, m: int, d: int) -> datetime:
    """The end of a local day, where day-counted periods end."""
    return datetime(y, m, d, 23, 59, 59, 999999, tzinfo=VN)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    # calendar() is cached from settings; clear it around every test so an
    # override_settings in one test cannot leak into another.
    calendar.cache_clear()
    yield
    calendar.cache_clear()


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def make_ticket(
    *,
    policy_code: str | None = None,
    kind: str = "feedback",
    priority: str = "normal",
    received_at: datetime,
    is_complex: bool = False,
    remote: bool = False,
    extensions: int = 0,
    due_at: datetime | None = None,
    accepted_at: datetime | None = None,
) -> Ticket:
    """An unsaved ticket. With policy_code the category carries an unsaved
    copy of that preset, so no database is needed. A complaint's or a
    denunciation's resolution period counts from `accepted_at`."""
    policy = DeadlinePolicy(code=policy_code, **PRESETS[policy_code]) if policy_code else None
    if priority == "urgent":
        category = Category(code="c", name="c", default_kind=kind, urgent_deadline_policy=policy)
    else:
        category = Category(code="c", name="c", default_kind=kind, deadline_policy=policy)
    unit = AdministrativeUnit(code="u", name="u", kind="ward", is_remote=remote)
    return Ticket(
        kind=kind,
        priority=priority,
        category=category,
        unit=unit,
        title="t",
        description="d",
        channel="web",
        received_at=received_at,
        created_at=received_at,
        is_complex=is_complex,
        extensions=extensions,
        due_at=due_at,
        accepted_at=accepted_at,
    )


# --- the calendar -------------------------------------------------------------------


def test_it_knows_the_2026_days_off(cal):
    assert not cal.is_working_day(date(2026, 2, 16))  # Tết
    assert not cal.is_working_day(date(2026, 2, 20))
    assert cal.is_working_day(date(2026, 2, 23))
    assert not cal.is_working_day(date(2026, 4, 27))  # Hùng Kings, observed Monday
    assert cal.is_working_day(date(2026, 4, 28))
    assert not cal.is_working_day(date(2026, 4, 30))
    assert not cal.is_working_day(date(2026, 5, 1))
    assert not cal.is_working_day(date(2026, 11, 24))  # already in holidays 0.109
    assert not cal.is_working_day(date(2026, 3, 7))  # a plain Saturday
    # The package's own make-up Saturday (for Mon 31 Aug) is a working day.
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31))


def test_it_finds_the_next_working_day_strictly_after(cal):
    assert cal.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)  # Fri before Tết
    assert cal.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)
    assert cal.next_working_day(date(2026, 4, 29)) == date(2026, 5, 4)
    assert cal.next_working_day(date(2026, 3, 9)) == date(2026, 3, 10)


def test_it_rejects_a_date_that_is_both_holiday_and_workday():
    with pytest.raises(ValueError):
        WorkCalendar(extra_holidays=[date(2026, 12, 26)], extra_workdays=[date(2026, 12, 26)])


def test_it_rejects_naive_datetimes(cal):
    with pytest.raises(ValueError):
        cal.add(datetime(2026, 3, 6, 10), 1, WH)


# --- working hours ------------------------------------------------------------------


def test_it_counts_working_hours_across_the_lunch_break(cal):
    assert cal.add(at(2026, 3, 6, 10, 30), 4, WH) == at(2026, 3, 6, 15, 30)
    assert cal.add(at(2026, 3, 6, 10, 30), 1, WH) == at(2026, 3, 6, 11, 30)


def test_it_counts_working_hours_across_the_weekend(cal):
    # Fri 15:30-17:00 is 1.5 h, the other 2.5 h are Monday morning.
    assert cal.add(at(2026, 3, 6, 15, 30), 4, WH) == at(2026, 3, 9, 10, 30)


def test_it_counts_working_hours_across_tet(cal):
    # Fri 13 Feb 15:00-17:00 = 2 h; Tết and the weekend; Mon 23 Feb 6 h more.
    assert cal.add(at(2026, 2, 13, 15), 8, WH) == at(2026, 2, 23, 15)


def test_it_stays_at_the_close_when_hours_end_exactly_there(cal):
    assert cal.add(at(2026, 3, 6, 13), 4, WH) == at(2026, 3, 6, 17)
    assert cal.add(at(2026, 3, 6, 11), 1, WH) == at(2026, 3, 6, 12)


def test_it_starts_counting_hours_at_the_next_opening(cal):
    assert cal.add(at(2026, 3, 7, 20), 1, WH) == at(2026, 3, 9, 9)  # Saturday evening
    assert cal.add(at(2026, 3, 6, 12, 30), 1, WH) == at(2026, 3, 6, 14)  # lunch
    assert cal.add(at(2026, 3, 6, 6), 1, WH) == at(2026, 3, 6, 9)  # before opening


# --- working days -------------------------------------------------------------------


def test_it_counts_working_days_from_the_day_after_across_tet(cal):
    # Fri 13 Feb not counted; Tết and two weekends skipped:
    # 23,24,25,26,27 Feb, 2,3,4,5,6 Mar.
    assert cal.add(at(2026, 2, 13, 15), 10, WD) == eod(2026, 3, 6)


def test_it_counts_working_days_across_hung_kings_and_may_day(cal):
    # Fri 24 Apr: 28, 29 Apr, 4..8 May, 11, 12, 13 May.
    assert cal.add(at(2026, 4, 24, 10), 10, WD) == eod(2026, 5, 13)


def test_it_uses_the_local_day_of_a_utc_instant(cal):
    # 17:30 UTC on Thu 5 Mar is 00:30 on Fri 6 Mar in Hà Nội: Friday is the
    # event day, so the first working day counted is Monday.
    assert cal.add(datetime(2026, 3, 5, 17, 30, tzinfo=UTC), 1, WD) == eod(2026, 3, 9)


# --- calendar days ------------------------------------------------------------------


def test_it_moves_a_calendar_period_ending_on_sunday_to_monday(cal):
    # Fri 6 Feb + 30 days = Sun 8 Mar.
    assert cal.add(at(2026, 2, 6, 9), 30, CD) == eod(2026, 3, 9)


def test_it_moves_a_calendar_period_ending_in_tet_past_tet(cal):
    # Sat 17 Jan + 30 days = Mon 16 Feb (Tết) -> Mon 23 Feb.
    assert cal.add(at(2026, 1, 17, 9), 30, CD) == eod(2026, 2, 23)


def test_it_ends_a_calendar_period_on_a_working_day_as_counted(cal):
    assert cal.add(at(2026, 3, 3, 10), 30, CD) == eod(2026, 4, 2)  # Thu 2 Apr


# --- settings overrides -------------------------------------------------------------


@override_settings(
    FEEDBACK_EXTRA_HOLIDAYS=["2026-12-24"],
    FEEDBACK_EXTRA_WORKDAYS=["2026-12-26"],
    FEEDBACK_OFFICE_HOURS="08:00-12:00,13:00-17:00",
)
def test_it_applies_extra_holidays_and_workdays_from_settings():
    calendar.cache_clear()
    cal = calendar()
    assert not cal.is_working_day(date(2026, 12, 24))
    assert cal.is_working_day(date(2026, 12, 26))  # a Saturday made a working day
    # Tue 22 Dec: Wed 23, (Thu 24 off), Fri 25.
    assert cal.add(at(2026, 12, 22, 9), 2, WD) == eod(2026, 12, 25)
    # Fri 25 Dec 16:00: 1 h on Friday, 1 h on the working Saturday.
    assert cal.add(at(2026, 12, 25, 16), 2, WH) == at(2026, 12, 26, 9)


def test_it_has_no_extra_days_without_the_settings():
    cal = calendar()
    assert cal.add(at(2026, 12, 22, 9), 2, WD) == eod(2026, 12, 24)
    assert cal.add(at(2026, 12, 25, 16), 2, WH) == at(2026, 12, 28, 9)


@override_settings(FEEDBACK_OFFICE_HOURS="07:30-11:30,13:30-17:30")
def test_it_reads_office_hours_from_settings():
    calendar.cache_clear()
    assert calendar().add(at(2026, 3, 6, 11), 1, WH) == at(2026, 3, 6, 14)


@override_settings(FEEDBACK_EXTRA_HOLIDAYS=["24/12/2026"])
def test_it_refuses_a_malformed_extra_holiday():
    from django.core.exceptions import ImproperlyConfigured

    calendar.cache_clear()
    with pytest.raises(ImproperlyConfigured):
        calendar()


# --- measuring ----------------------------------------------------------------------


def test_it_measures_working_time_across_a_weekend():
    # Fri 16:00-17:00 and Mon 08:00-10:00.
    assert working_duration(at(2026, 3, 6, 16), at(2026, 3, 9, 10)) == 3.0
    assert working_duration(at(2026, 3, 9, 11), at(2026, 3, 9, 14)) == 2.0  # lunch
    assert working_duration(at(2026, 3, 9, 14), at(2026, 3, 9, 11)) == 0.0
    utc_start = datetime(2026, 3, 6, 9, tzinfo=UTC)  # 16:00 in Hà Nội
    assert working_duration(utc_start, at(2026, 3, 9, 10)) == 3.0


def test_it_measures_elapsed_time_so_that_the_due_date_is_100_percent(cal):
    start = at(2026, 2, 13, 15)
    assert cal.elapsed(start, cal.add(start, 10, WD), WD) == 10.0
    assert cal.elapsed(start, cal.add(start, 8, WH), WH) == 8.0
    assert cal.elapsed(start, eod(2026, 2, 13), WD) == 0.0  # the event day is free
    assert cal.elapsed(start, at(2026, 2, 23, 12), WD) == 0.5
    assert cal.elapsed(at(2026, 3, 3, 10), eod(2026, 4, 2), CD) == 30.0


# --- pauses -------------------------------------------------------------------------


def test_it_shifts_a_working_hours_due_by_the_office_time_paused(cal):
    # Paused Fri 16:00 -> Mon 09:00: 2 office hours; 10:30 + 2 h crosses lunch.
    shifted = cal.shift_for_pause(at(2026, 3, 9, 10, 30), at(2026, 3, 6, 16), at(2026, 3, 9, 9), WH)
    assert shifted == at(2026, 3, 9, 13, 30)


def test_it_shifts_a_working_days_due_by_whole_working_days_rounded_up(cal):
    due = eod(2026, 3, 6)
    # Mon 16:00 -> Wed 09:00 uses 1 + 8 + 1 = 10 office hours = 1.25 days -> 2.
    assert cal.shift_for_pause(due, at(2026, 2, 23, 16), at(2026, 2, 25, 9), WD) == eod(2026, 3, 10)
    # 4 office hours on one day -> 1 day.
    assert cal.shift_for_pause(due, at(2026, 2, 24, 10), at(2026, 2, 24, 15), WD) == eod(2026, 3, 9)
    # Exactly one office day (Tue 08:00 -> 17:00) is one day, not two.
    assert cal.shift_for_pause(due, at(2026, 2, 24, 8), at(2026, 2, 24, 17), WD) == eod(2026, 3, 9)
    # A pause over a weekend only consumed no working time.
    assert cal.shift_for_pause(due, at(2026, 2, 28, 9), at(2026, 3, 1, 18), WD) == due


def test_it_shifts_a_calendar_days_due_by_days_rounded_up(cal):
    due = eod(2026, 3, 9)
    assert cal.shift_for_pause(due, at(2026, 2, 20, 10), at(2026, 2, 23, 10), CD) == eod(
        2026, 3, 12
    )
    assert cal.shift_for_pause(due, at(2026, 2, 20, 10), at(2026, 2, 23, 11), CD) == eod(
        2026, 3, 13
    )
    # Thu 5 Mar + 3 days = Sun 8 Mar -> Mon 9 Mar.
    assert cal.shift_for_pause(eod(2026, 3, 5), at(2026, 2, 20), at(2026, 2, 23), CD) == eod(
        2026, 3, 9
    )


def test_it_does_not_shift_for_an_empty_pause(cal):
    due = at(2026, 3, 9, 10, 30)
    assert cal.shift_for_pause(due, at(2026, 3, 2, 9), at(2026, 3, 2, 9), WH) == due


# --- compute_due ----------------------------------------------------------------------


def test_it_computes_a_feedback_received_before_tet():
    ticket = make_ticket(policy_code="feedback", received_at=at(2026, 2, 13, 15))
    assert compute_due(ticket) == Due(
        ack_due_at=at(2026, 2, 23, 15),
        due_at=eod(2026, 3, 6),
        forward_due_at=None,
        clock_started_at=at(2026, 2, 13, 15),
    )


def test_it_computes_an_urgent_report_in_working_hours():
    ticket = make_ticket(
        policy_code="urgent", priority="urgent", received_at=at(2026, 3, 6, 15, 30)
    )
    due = compute_due(ticket)
    assert due.ack_due_at == at(2026, 3, 6, 16, 30)
    assert due.due_at == at(2026, 3, 9, 10, 30)


def test_it_counts_from_received_at_for_a_backfilled_paper_form():
    # Received on paper Wed 4 Mar 09:00, typed in Fri 6 Mar 14:00 after an outage.
    ticket = make_ticket(policy_code="feedback", received_at=at(2026, 3, 4, 9))
    ticket.created_at = at(2026, 3, 6, 14)
    due = compute_due(ticket)
    # 09:00-12:00 + 13:00-17:00 = 7 h on Wednesday, 1 h on Thursday.
    assert due.ack_due_at == at(2026, 3, 5, 9)
    # Thu 5, Fri 6, 9..13, 16, 17, 18 Mar.
    assert due.due_at == eod(2026, 3, 18)
    # An explicit start still wins.
    assert compute_due(ticket, start=at(2026, 3, 6, 14)).due_at == eod(2026, 3, 20)


@pytest.mark.parametrize(
    ("is_complex", "remote", "expected"),
    [
        (False, False, eod(2026, 4, 2)),  # 30 days: Thu 2 Apr
        (True, False, eod(2026, 4, 17)),  # 45 days: Fri 17 Apr
        (False, True, eod(2026, 4, 17)),  # 45 days
        (True, True, eod(2026, 5, 4)),  # 60 days: Sat 2 May -> Mon 4 May
    ],
)
def test_it_picks_the_complaint_variant(is_complex, remote, expected):
    """Luật Khiếu nại 2011 art. 28: 30 days, 45 when complex; remote areas 45
    and 60; counted from acceptance, here the day of receipt, Tue 3 Mar."""
    ticket = make_ticket(
        policy_code="complaint",
        kind="complaint",
        received_at=at(2026, 3, 3, 10),
        accepted_at=at(2026, 3, 3, 10),
        is_complex=is_complex,
        remote=remote,
    )
    due = compute_due(ticket)
    assert due.due_at == expected
    assert due.ack_due_at == eod(2026, 3, 13)  # 10 days: Fri 13 Mar
    assert due.forward_due_at is None


def test_it_gives_a_second_instance_complaint_in_a_remote_area_70_days():
    """Luật Khiếu nại 2011 art. 37: remote and complex, 70 days from
    acceptance (here the day of receipt)."""
    ticket = make_ticket(
        policy_code="complaint_second",
        kind="complaint",
        received_at=at(2026, 3, 3, 10),
        accepted_at=at(2026, 3, 3, 10),
        is_complex=True,
        remote=True,
    )
    assert compute_due(ticket).due_at == eod(2026, 5, 12)  # Tue 12 May
    ticket.is_complex = False
    assert compute_due(ticket).due_at == eod(2026, 5, 4)  # 60 days


def test_it_computes_a_denunciation_across_hung_kings_and_may_day():
    """Luật Tố cáo 2018 art. 24(1), 30(1); accepted on the day of receipt."""
    ticket = make_ticket(
        policy_code="denunciation",
        kind="denunciation",
        received_at=at(2026, 4, 24, 10),
        accepted_at=at(2026, 4, 24, 10),
    )
    due = compute_due(ticket)
    # Screening 7 working days: 28, 29 Apr, 4..8 May.
    assert due.ack_due_at == eod(2026, 5, 8)
    # Forward 5 working days: 28, 29 Apr, 4, 5, 6 May.
    assert due.forward_due_at == eod(2026, 5, 6)
    # 30 days = Sun 24 May -> Mon 25 May.
    assert due.due_at == eod(2026, 5, 25)


# --- extensions -----------------------------------------------------------------------


def test_it_extends_a_denunciation_twice_then_refuses():
    """Luật Tố cáo 2018 art. 30(3): an especially complex case, at most two
    extensions of 30 days."""
    ticket = make_ticket(
        policy_code="denunciation",
        kind="denunciation",
        received_at=at(2026, 4, 24, 10),
        accepted_at=at(2026, 4, 24, 10),
        is_complex=True,
    )
    ticket.is_especially_complex = True
    first = extended_due(ticket)
    assert first == eod(2026, 6, 24)  # Mon 25 May + 30 days
    ticket.extensions, ticket.due_at = 1, first
    second = extended_due(ticket)
    assert second == eod(2026, 7, 24)
    ticket.extensions, ticket.due_at = 2, second
    with pytest.raises(ValueError, match="no extension allowed"):
        extended_due(ticket)
    # compute_due applies granted extensions the same way.
    ticket.due_at = None
    assert compute_due(ticket).due_at == eod(2026, 7, 24)


@pytest.mark.parametrize(
    ("is_complex", "especially", "allowed"), [(False, False, 0), (True, False, 1), (True, True, 2)]
)
def test_a_denunciation_may_be_extended_as_often_as_its_complexity_allows_art_30(
    is_complex, especially, allowed
):
    """Luật Tố cáo 2018 art. 30(2)-(3): never when not complex, once when
    complex, twice when especially complex."""
    ticket = make_ticket(
        policy_code="denunciation",
        kind="denunciation",
        received_at=at(2026, 4, 24, 10),
        accepted_at=at(2026, 4, 24, 10),
        is_complex=is_complex,
    )
    ticket.is_especially_complex = especially
    assert extensions_allowed(ticket) == allowed
    ticket.extensions = allowed
    with pytest.raises(ExtensionRefused) as refused:
        extended_due(ticket)
    assert refused.value.reason == ("not_complex" if allowed == 0 else "limit")


def test_it_refuses_to_extend_a_policy_without_extensions():
    ticket = make_ticket(policy_code="feedback", received_at=at(2026, 3, 4, 9))
    with pytest.raises(ValueError, match="no extension allowed"):
        extended_due(ticket)


# --- warnings -------------------------------------------------------------------------


def test_it_warns_at_75_percent_of_working_days():
    ticket = make_ticket(policy_code="feedback", received_at=at(2026, 2, 13, 15))
    # 7.5 of 10 working days: 7 whole days (23 Feb - 3 Mar), then 4 office
    # hours of Wed 4 Mar.
    assert warn_at(ticket) == at(2026, 3, 4, 12)


def test_it_warns_at_75_percent_of_working_hours():
    ticket = make_ticket(
        policy_code="urgent", priority="urgent", received_at=at(2026, 3, 6, 10, 30)
    )
    # 3 of 4 hours: 1.5 h before lunch, 1.5 h after.
    assert warn_at(ticket) == at(2026, 3, 6, 14, 30)


def test_it_warns_at_75_percent_of_calendar_days():
    ticket = make_ticket(
        policy_code="complaint",
        kind="complaint",
        received_at=at(2026, 3, 3, 10),
        accepted_at=at(2026, 3, 3, 10),
    )
    # 22.5 days after midnight on Wed 4 Mar.
    assert warn_at(ticket) == at(2026, 3, 26, 12)


def test_it_moves_the_warning_with_a_paused_due_date():
    ticket = make_ticket(
        policy_code="urgent", priority="urgent", received_at=at(2026, 3, 6, 10, 30)
    )
    # Paused 11:00-14:00 = 2 office hours, so due moves from Fri 15:30 to
    # Mon 08:30: the resolve time is now 6 office hours, and 75% of it
    # (4.5 h from 10:30, across lunch) is Friday 16:00.
    ticket.due_at = calendar().shift_for_pause(
        at(2026, 3, 6, 15, 30), at(2026, 3, 6, 11), at(2026, 3, 6, 14), WH
    )
    assert ticket.due_at == at(2026, 3, 9, 8, 30)
    assert warn_at(ticket) == at(2026, 3, 6, 16)


# --- policies from the database -------------------------------------------------------


@pytest.mark.django_db
def test_it_creates_the_presets_once():
    first = ensure_presets()
    assert set(first) == {"feedback", "urgent", "complaint", "complaint_second", "denunciation"}
    again = ensure_presets()
    assert {c: p.pk for c, p in first.items()} == {c: p.pk for c, p in again.items()}
    assert DeadlinePolicy.objects.count() == 5
    denunciation = again["denunciation"]
    assert (denunciation.extension_amount, denunciation.max_extensions) == (30, 2)
    assert all(p.name and p.legal_basis for p in again.values())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "priority", "code"),
    [
        ("feedback", "normal", "feedback"),
        ("feedback", "urgent", "urgent"),
        ("complaint", "normal", "complaint"),
        ("complaint", "urgent", "complaint"),
        ("denunciation", "normal", "denunciation"),
    ],
)
def test_it_picks_the_preset_for_the_kind_and_priority(kind, priority, code):
    ticket = make_ticket(kind=kind, priority=priority, received_at=at(2026, 3, 4, 9))
    assert policy_for(ticket).code == code  # created on first use


@pytest.mark.django_db
def test_it_prefers_the_category_policy_inherited_from_its_parent():
    own = DeadlinePolicy.objects.create(
        code="roads", name="Đường sá", ack_amount=4, ack_unit=WH, resolve_amount=3,
        resolve_unit=WD,
    )  # fmt: skip
    # 4 working hours from Fri 15:30: 1.5 h on Friday, 2.5 h on Monday.
    parent = Category.objects.create(code="roads", name="Giao thông", deadline_policy=own)
    child = Category.objects.create(code="potholes", name="Ổ gà", parent=parent)
    unit = AdministrativeUnit.objects.create(code="00070", name="Phường Hoàn Kiếm", kind="ward")
    ticket = Ticket(
        kind="feedback", category=child, unit=unit, title="t", description="d",
        channel="web", received_at=at(2026, 3, 6, 15, 30),
    )  # fmt: skip
    assert policy_for(ticket) == own
    assert compute_due(ticket) == Due(
        ack_due_at=at(2026, 3, 9, 10, 30),
        due_at=eod(2026, 3, 11),
        forward_due_at=None,
        clock_started_at=at(2026, 3, 6, 15, 30),
    )
    # Urgent tickets in a category without an urgent policy get the preset.
    ticket.priority = "urgent"
    assert policy_for(ticket).code == "urgent"
    # A complaint filed under a feedback category keeps the law's 30 days.
    ticket.kind, ticket.priority = "complaint", "normal"
    assert policy_for(ticket).code == "complaint"
    # A complaint category's own policy does apply to complaints.
    child.default_kind = "complaint"
    assert policy_for(ticket) == own


def test_it_exposes_cache_clear_for_tests():
    assert calendar() is calendar()
    deadlines.calendar.cache_clear()
    assert isinstance(calendar(), WorkCalendar)
    assert calendar().office_hours == ((time(8), time(12)), (time(13), time(17)))
