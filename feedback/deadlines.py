"""Deadlines: every due date and every "how long did it take" figure goes
through this module, so the whole product counts time the same way.

The calendar is Vietnam's (public holidays, Tết, make-up Saturdays): the
official table (OfficialDay, seeded from feedback/official_days.py and kept in
the admin) over the `holidays` package, which decides only the dates the
table does not list, plus per-deployment overrides from settings over both:

- ``FEEDBACK_EXTRA_HOLIDAYS``: ISO dates that are days off (e.g. a local
  day off);
- ``FEEDBACK_EXTRA_WORKDAYS``: ISO dates that are working days although they
  fall on a weekend or a holiday (make-up days);
- ``FEEDBACK_OFFICE_HOURS``: the office sessions, "08:00-12:00,13:00-17:00".

Counting rules (docs/deadlines.md has worked examples):

- ``working_hours``: N hours of office time on working days, starting at the
  start instant (or the next opening if it is outside office hours). A
  period that ends exactly at a session's close ends at that close (17:00),
  not at the next opening.
- ``working_days`` (Civil Code art. 147-148): the day of the event is not
  counted; the period ends at the end of the Nth working day after it.
- ``calendar_days``: the day of the event is not counted; the period ends at
  the end of the Nth day after it, or, if that day is a day off, at the end
  of the next working day.

"End of a day" is always the last representable instant of that local day,
23:59:59.999999 Asia/Ho_Chi_Minh (``END_OF_DAY``): an answer sent at any time
on the last day is on time, and ``now > due_at`` is the overdue test.

All inputs must be aware datetimes; all outputs are aware datetimes in the
calendar's time zone.
"""

from __future__ import annotations

import logging
import math
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

if TYPE_CHECKING:
    from feedback.models import DeadlinePolicy, Ticket

log = logging.getLogger(__name__)

WORKING_HOURS = "working_hours"
WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
UNITS = (WORKING_HOURS, WORKING_DAYS, CALENDAR_DAYS)

END_OF_DAY = time.max  # 23:59:59.999999: the last instant of a local day
DEFAULT_OFFICE_HOURS: tuple[tuple[time, time], ...] = (
    (time(8), time(12)),
    (time(13), time(17)),
)
DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# A guard for loops that look for the next working day: a misconfigured
# calendar where no day ever works must fail loudly, not hang a request.
_MAX_DAYS_SCAN = 366 * 2


def _check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise ValueError(f"unknown time unit {unit!r} (expected one of {', '.join(UNITS)})")
    return unit


class WorkCalendar:
    """Working days and office hours in one time zone."""

    def __init__(
        self,
        *,
        extra_holidays: Iterable[date] = (),
        extra_workdays: Iterable[date] = (),
        office_hours: Sequence[tuple[time, time]] = DEFAULT_OFFICE_HOURS,
        tz: ZoneInfo = DEFAULT_TZ,
    ) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        clash = self.extra_holidays & self.extra_workdays
        if clash:
            days = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"dates both extra holidays and extra workdays: {days}")
        sessions = tuple(sorted(office_hours))
        if not sessions:
            raise ValueError("office hours must have at least one session")
        for i, (opens, closes) in enumerate(sessions):
            if opens >= closes:
                raise ValueError(f"office session {opens}-{closes} ends before it starts")
            if i and sessions[i - 1][1] > opens:
                raise ValueError("office sessions overlap")
        self.office_hours = sessions
        self.tz = tz
        # Seconds of office time in one working day (8 h = 28,800 s by
        # default): the size of a "working day" when progress is measured.
        self.day_seconds = float(
            sum(
                (datetime.combine(date.min, c) - datetime.combine(date.min, o)).total_seconds()
                for o, c in sessions
            )
        )
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_holidays={sorted(self.extra_holidays)}, "
            f"extra_workdays={sorted(self.extra_workdays)}, "
            f"office_hours={self.office_hours}, tz={self.tz})"
        )

    # --- days -----------------------------------------------------------------

    def _year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(public holidays, make-up weekend workdays) of one year, memoised.
        The `holidays` package fills its dict lazily and is not meant for
        concurrent use, so each year is computed once under a lock. A make-up
        Saturday can be declared with the previous or next year's holidays,
        so the neighbours are loaded too."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        with self._lock:
            cached = self._years.get(year)
            if cached is None:
                vn = holidays.Vietnam(years=(year - 1, year, year + 1))
                days_off = frozenset(d for d in vn if d.year == year)
                workdays = frozenset(d for d in vn.weekend_workdays if d.year == year)
                cached = self._years[year] = (days_off, workdays)
        return cached

    def is_working_day(self, d: date) -> bool:
        # Overrides come first: a deployment knows about decisions (a new
        # holiday, a make-up Saturday) that the package may not.
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        days_off, weekend_workdays = self._year(d.year)
        if d.weekday() >= 5:  # Saturday, Sunday
            return d in weekend_workdays
        return d not in days_off

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        for _ in range(_MAX_DAYS_SCAN):
            d += timedelta(days=1)
            if self.is_working_day(d):
                return d
        raise ValueError(f"no working day within {_MAX_DAYS_SCAN} days after {d}")

    # --- instants ---------------------------------------------------------------

    def _local(self, dt: datetime) -> datetime:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError("an aware datetime is required")
        return dt.astimezone(self.tz)

    def _at(self, d: date, t: time) -> datetime:
        return datetime.combine(d, t, tzinfo=self.tz)

    def end_of_day(self, d: date) -> datetime:
        return self._at(d, END_OF_DAY)

    def _start_of_next_day(self, dt: datetime) -> datetime:
        """Midnight after the local day of `dt`: where day counts begin,
        since the day of the event is not counted."""
        return self._at(self._local(dt).date() + timedelta(days=1), time.min)

    def _add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """Walk office sessions from `start` until `seconds` of office time
        are used. `<=` keeps a period that ends exactly at a close there."""
        if seconds < 0:
            raise ValueError("cannot add negative working time")
        cursor = self._local(start)
        remaining = timedelta(seconds=seconds)
        day = cursor.date()
        for _ in range(_MAX_DAYS_SCAN * 10):
            if self.is_working_day(day):
                for opens, closes in self.office_hours:
                    session_end = self._at(day, closes)
                    if cursor >= session_end:
                        continue
                    begin = max(cursor, self._at(day, opens))
                    available = session_end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                    cursor = session_end
            day += timedelta(days=1)
            cursor = self._at(day, time.min)
        raise ValueError("working time does not fit in the calendar")

    def add(self, start: datetime, amount: int, unit: str) -> datetime:
        """The deadline `amount` `unit`s after `start` (see module docs)."""
        _check_unit(unit)
        if amount < 0:
            raise ValueError("amount must not be negative")
        local = self._local(start)
        if amount == 0:
            return local
        if unit == WORKING_HOURS:
            return self._add_working_seconds(local, amount * 3600)
        day = local.date()
        if unit == WORKING_DAYS:
            for _ in range(amount):
                day = self.next_working_day(day)
            return self.end_of_day(day)
        # CALENDAR_DAYS: count every day, then move off a day off.
        day += timedelta(days=amount)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return self.end_of_day(day)

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds of office time on working days within [start, end)."""
        a, b = self._local(start), self._local(end)
        if b <= a:
            return 0.0
        total = timedelta()
        day = a.date()
        while day <= b.date():
            if self.is_working_day(day):
                for opens, closes in self.office_hours:
                    lo = max(a, self._at(day, opens))
                    hi = min(b, self._at(day, closes))
                    if hi > lo:
                        total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds()

    def elapsed(self, start: datetime, end: datetime, unit: str) -> float:
        """How many `unit`s of a period that began at `start` have run by
        `end`, so that progress = elapsed / amount and
        elapsed(start, add(start, n, unit), unit) == n.

        - working_hours: office hours since `start`;
        - working_days: office time since the midnight after the event day,
          in office days (8 h = 1 day), so half a working day has run at
          12:00 and the day is used up at 17:00;
        - calendar_days: 24-hour days since the midnight after the event
          day. The grace days of a period moved off a weekend are not
          subtracted, so progress can exceed 1 on them without being late.
        """
        _check_unit(unit)
        if unit == WORKING_HOURS:
            return self.working_seconds(start, end) / 3600
        begin = self._start_of_next_day(start)
        if unit == WORKING_DAYS:
            return self.working_seconds(begin, end) / self.day_seconds
        stop = self._local(end)
        if stop.time() == END_OF_DAY:
            # The last instant of a day completes that day, so a calendar
            # period is exactly N days long at its due_at.
            stop += timedelta(microseconds=1)
        return max(0.0, (stop - begin).total_seconds() / 86400)

    def when_elapsed(self, start: datetime, amount: float, unit: str) -> datetime:
        """The inverse of `elapsed`: the first instant at which `amount`
        (fractional allowed) `unit`s of a period begun at `start` have run.
        Used for warnings ("75% of the time is used")."""
        _check_unit(unit)
        if amount < 0:
            raise ValueError("amount must not be negative")
        if unit == WORKING_HOURS:
            return self._add_working_seconds(start, amount * 3600)
        begin = self._start_of_next_day(start)
        if unit == WORKING_DAYS:
            return self._add_working_seconds(begin, amount * self.day_seconds)
        return begin + timedelta(days=amount)

    def shift_for_pause(
        self, due: datetime, paused_from: datetime, paused_to: datetime, unit: str
    ) -> datetime:
        """`due` pushed later by the time a pause (waiting for the citizen)
        consumed, measured the way `unit` counts:

        - working_hours: the office seconds inside the pause are added to
          `due` as office time;
        - working_days: the office time inside the pause, in office days,
          rounded UP to whole working days (a pause that eats any part of a
          day gives the whole day back, because the deadline can only end at
          the end of a day; a pause over a weekend alone gives nothing back);
          `due` moves that many working days later, keeping its time of day;
        - calendar_days: the pause's length in 24-hour days, rounded up;
          the new last day moves off a day off like any calendar period.
        """
        _check_unit(unit)
        due_local = self._local(due)
        if self._local(paused_to) <= self._local(paused_from):
            return due_local
        if unit == WORKING_HOURS:
            return self._add_working_seconds(
                due_local, self.working_seconds(paused_from, paused_to)
            )
        if unit == WORKING_DAYS:
            # round() first so float noise (e.g. 2.0000000001) does not add a day.
            days = math.ceil(
                round(self.working_seconds(paused_from, paused_to) / self.day_seconds, 9)
            )
            day = due_local.date()
            for _ in range(days):
                day = self.next_working_day(day)
            return self._at(day, due_local.time())
        seconds = (self._local(paused_to) - self._local(paused_from)).total_seconds()
        days = math.ceil(round(seconds / 86400, 9))
        if days == 0:
            return due_local
        day = due_local.date() + timedelta(days=days)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return self._at(day, due_local.time())


# --- the calendar from settings ---------------------------------------------------


def _parse_dates(values: Iterable[str | date], setting: str) -> list[date]:
    parsed = []
    for value in values:
        if isinstance(value, date):
            parsed.append(value)
            continue
        try:
            parsed.append(date.fromisoformat(str(value).strip()))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{setting}: {value!r} is not an ISO date") from exc
    return parsed


def parse_office_hours(spec: str) -> tuple[tuple[time, time], ...]:
    """Parse "08:00-12:00,13:00-17:00" into ((08:00, 12:00), (13:00, 17:00))."""
    sessions = []
    try:
        for part in spec.split(","):
            if not part.strip():
                continue
            opens, closes = part.split("-")
            sessions.append((time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip())))
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"FEEDBACK_OFFICE_HOURS: {spec!r} is not like 08:00-12:00,13:00-17:00"
        ) from exc
    return tuple(sessions)


# How often a process asks the shared cache whether another process changed
# the official calendar; the process that changed it drops its copy at once.
CALENDAR_CHECK_SECONDS = 30
CALENDAR_VERSION_KEY = "feedback:official-calendar-version"


def _settings_days(setting: str) -> set[date]:
    return set(_parse_dates(getattr(settings, setting, ()), setting))


def build_calendar() -> WorkCalendar:
    """The deployment's calendar read now: the official table (OfficialDay)
    over the `holidays` package, then FEEDBACK_EXTRA_HOLIDAYS /
    FEEDBACK_EXTRA_WORKDAYS over both (a deployment's own last word, e.g. a
    local day off). Not cached: see calendar()."""
    from feedback.models import OfficialDay

    extra_off = _settings_days("FEEDBACK_EXTRA_HOLIDAYS")
    extra_work = _settings_days("FEEDBACK_EXTRA_WORKDAYS")
    table_off, table_work = set(), set()
    for day, kind in OfficialDay.objects.values_list("date", "kind"):
        (table_work if kind == OfficialDay.Kind.WORKING_DAY else table_off).add(day)
    office_hours = getattr(settings, "FEEDBACK_OFFICE_HOURS", "") or ""
    try:
        return WorkCalendar(
            extra_holidays=(table_off - extra_work) | extra_off,
            extra_workdays=(table_work - extra_off) | extra_work,
            office_hours=parse_office_hours(office_hours) if office_hours else DEFAULT_OFFICE_HOURS,
            tz=ZoneInfo(getattr(settings, "TIME_ZONE", None) or "Asia/Ho_Chi_Minh"),
        )
    except ValueError as exc:
        raise ImproperlyConfigured(f"deadline calendar settings: {exc}") from exc


class _Kept:
    """This process's copy of the calendar and the version it was read at."""

    calendar: WorkCalendar | None = None
    version: str | None = None
    checked: float = 0.0


_kept = _Kept()
_using: ContextVar[WorkCalendar | None] = ContextVar("feedback_using_calendar", default=None)


def _shared_version() -> str | None:
    try:
        return cache.get(CALENDAR_VERSION_KEY)
    except Exception:  # a cache outage must not stop every deadline
        log.warning("could not read the calendar version from the cache", exc_info=True)
        return None


def calendar() -> WorkCalendar:
    """The deployment's calendar (build_calendar), kept per process. Every
    CALENDAR_CHECK_SECONDS the shared cache's version stamp is compared
    with the kept one, so a change made in the admin reaches every web
    process and worker within that time. Tests that override the settings
    or change the table call ``calendar.cache_clear()``."""
    using = _using.get()
    if using is not None:
        return using
    now = monotonic()
    kept = _kept.calendar
    if kept is not None and now - _kept.checked < CALENDAR_CHECK_SECONDS:
        return kept
    version = _shared_version()
    if kept is not None and (version is None or version == _kept.version):
        _kept.checked = now
        return kept
    kept = build_calendar()
    _kept.calendar, _kept.version, _kept.checked = kept, version, now
    return kept


def forget_calendar() -> None:
    """Drop this process's copy; the next calendar() reads the table."""
    _kept.calendar = None


calendar.cache_clear = forget_calendar  # type: ignore[attr-defined]


def calendar_changed() -> None:
    """The official table changed: this process reads it again at once, and
    once the change commits the other processes see a new version stamp."""
    forget_calendar()

    def publish() -> None:
        forget_calendar()
        try:
            cache.set(CALENDAR_VERSION_KEY, uuid.uuid4().hex, None)
        except Exception:
            log.warning("could not publish the calendar version", exc_info=True)

    transaction.on_commit(publish)


@contextmanager
def using_calendar(cal: WorkCalendar) -> Iterator[None]:
    """Count with `cal` inside the block (the old and the new calendar,
    side by side, when the official table changes)."""
    token = _using.set(cal)
    try:
        yield
    finally:
        _using.reset(token)


def remap(due: datetime, *, old: WorkCalendar, new: WorkCalendar, unit: str, since: datetime):
    """A due date counted on the `old` calendar, moved so that the same
    working time runs from `since` (the clock's start) to it on the `new`
    one. For due dates that cannot simply be computed again (a pause moved
    them):

    - working_hours: the office seconds from `since` to `due` on the old
      calendar, added to `since` on the new one;
    - working_days: the old working days from the day after `since` to the
      due day, counted again on the new calendar (the time of day is kept);
    - calendar_days: the last day stays, unless it is now a day off, then
      it moves to the next working day. (A period that had been moved off a
      day that is now a working day is not brought back: its nominal end is
      not stored, so the later day is kept.)
    """
    _check_unit(unit)
    due_local = new._local(due)
    if unit == WORKING_HOURS:
        return new._add_working_seconds(since, old.working_seconds(since, due))
    if unit == WORKING_DAYS:
        day, last = new._local(since).date(), due_local.date()
        count, cursor = 0, day
        while cursor < last:
            cursor += timedelta(days=1)
            count += old.is_working_day(cursor)
        for _ in range(count):
            day = new.next_working_day(day)
        return new._at(day, due_local.time())
    day = due_local.date()
    if not new.is_working_day(day):
        day = new.next_working_day(day)
    return new._at(day, due_local.time())


# --- policies -----------------------------------------------------------------------

# DeadlinePolicy field values by code. These are the defaults a fresh
# deployment gets; administrators may edit the rows (ensure_presets never
# overwrites them) or attach their own policies to categories.
PRESETS: dict[str, dict[str, Any]] = {
    # Normal and complex deadlines for reports vary by city (Đà Nẵng uses
    # 1 working day for emergencies and 3 for items that can be checked at
    # once); 10 working days is this deployment's default, not a national rule.
    "feedback": {
        "name": "Phản ánh, kiến nghị",
        "legal_basis": (
            "Quyết định 1207/QĐ-UBND năm 2025 của UBND TP Hà Nội (iHanoi): tiếp nhận trong "
            "8 giờ làm việc; thời hạn giải quyết do thành phố quy định (mặc định 10 ngày làm việc)"
        ),
        "ack_amount": 8,
        "ack_unit": WORKING_HOURS,
        "resolve_amount": 10,
        "resolve_unit": WORKING_DAYS,
        "warn_fraction": 0.75,
    },
    "urgent": {
        "name": "Phản ánh khẩn cấp",
        "legal_basis": (
            "Quyết định 1207/QĐ-UBND năm 2025 của UBND TP Hà Nội (iHanoi): "
            "việc khẩn cấp xử lý trong 4 giờ làm việc"
        ),
        "ack_amount": 1,
        "ack_unit": WORKING_HOURS,
        "resolve_amount": 4,
        "resolve_unit": WORKING_HOURS,
        "warn_fraction": 0.75,
    },
    "complaint": {
        "name": "Khiếu nại lần đầu",
        "legal_basis": (
            "Luật Khiếu nại 2011: thụ lý trong 10 ngày; giải quyết lần đầu không quá 30 ngày "
            "(phức tạp 45 ngày); vùng sâu, vùng xa 45 ngày (phức tạp 60 ngày)"
        ),
        "ack_amount": 10,
        "ack_unit": CALENDAR_DAYS,
        "resolve_amount": 30,
        "resolve_unit": CALENDAR_DAYS,
        "complex_resolve_amount": 45,
        "remote_resolve_amount": 45,
        "remote_complex_resolve_amount": 60,
        # Missing papers are asked for before acceptance (art. 27); once
        # accepted, only a suspension stops the clock.
        "pauses_for_citizen": False,
        "warn_fraction": 0.75,
    },
    "complaint_second": {
        "name": "Khiếu nại lần hai",
        "legal_basis": (
            "Luật Khiếu nại 2011: thụ lý trong 10 ngày; giải quyết lần hai không quá 45 ngày "
            "(phức tạp 60 ngày); vùng sâu, vùng xa 60 ngày (phức tạp 70 ngày)"
        ),
        "ack_amount": 10,
        "ack_unit": CALENDAR_DAYS,
        "resolve_amount": 45,
        "resolve_unit": CALENDAR_DAYS,
        "complex_resolve_amount": 60,
        "remote_resolve_amount": 60,
        "remote_complex_resolve_amount": 70,
        "pauses_for_citizen": False,
        "warn_fraction": 0.75,
    },
    "denunciation": {
        "name": "Tố cáo",
        "legal_basis": (
            "Luật Tố cáo 2018: xử lý ban đầu trong 7 ngày làm việc; chuyển đơn không thuộc "
            "thẩm quyền trong 5 ngày làm việc; giải quyết không quá 30 ngày, gia hạn một lần "
            "(phức tạp) hoặc hai lần (đặc biệt phức tạp), mỗi lần không quá 30 ngày"
        ),
        "ack_amount": 7,
        "ack_unit": WORKING_DAYS,
        "resolve_amount": 30,
        "resolve_unit": CALENDAR_DAYS,
        "extension_amount": 30,
        "max_extensions": 2,
        "forward_amount": 5,
        "forward_unit": WORKING_DAYS,
        # Only a written suspension stops a denunciation's clock (art. 34).
        "pauses_for_citizen": False,
        "warn_fraction": 0.75,
    },
}


def ensure_presets() -> dict[str, DeadlinePolicy]:
    """Create any missing preset rows (idempotent; existing rows, possibly
    edited by an administrator, are left alone). Returns them by code."""
    from feedback.models import DeadlinePolicy

    return {
        code: DeadlinePolicy.objects.get_or_create(code=code, defaults=fields)[0]
        for code, fields in PRESETS.items()
    }


def _preset_code(ticket: Ticket) -> str:
    if ticket.kind == "complaint":
        return "complaint_second" if (ticket.instance or 1) >= 2 else "complaint"
    if ticket.kind == "denunciation":
        return "denunciation"
    return "urgent" if ticket.priority == "urgent" else "feedback"


def policy_for(ticket: Ticket) -> DeadlinePolicy:
    """The category's own policy (inherited up the tree; the urgent one for
    urgent tickets) wins; otherwise the preset for the ticket's kind, and
    "urgent" for urgent reports. Statutory complaint and denunciation
    periods do not shrink for urgent priority, and a complaint or a
    denunciation filed under a category meant for another kind keeps the
    law's period, not the category's."""
    from feedback.models import DeadlinePolicy

    if ticket.kind == "complaint" and (ticket.instance or 1) >= 2:
        # A second-instance complaint has the law's own periods (Luật Khiếu
        # nại 2011 art. 37), whatever the category says.
        code = "complaint_second"
        policy = DeadlinePolicy.objects.filter(code=code).first()
        return policy if policy is not None else ensure_presets()[code]
    category = ticket.category if ticket.category_id or _cached(ticket, "category") else None
    statutory = ticket.kind in ("complaint", "denunciation")
    if category is not None and (not statutory or category.default_kind == ticket.kind):
        policy = category.effective_policy(urgent=ticket.priority == "urgent")
        if policy is not None:
            return policy
    code = _preset_code(ticket)
    policy = DeadlinePolicy.objects.filter(code=code).first()
    return policy if policy is not None else ensure_presets()[code]


def _cached(instance: Any, field: str) -> bool:
    """Whether a relation was assigned on an unsaved instance (no query)."""
    return instance._meta.get_field(field).is_cached(instance)


# --- due dates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    ack_due_at: datetime
    due_at: datetime
    # Only policies with a forward period (the denunciation preset): the
    # deadline to forward a denunciation that is not within competence.
    forward_due_at: datetime | None = None
    # Where the resolution period is counted from (Ticket.clock_started_at).
    clock_started_at: datetime | None = None


# Luật Tố cáo 2018 art. 24(1): screening (xử lý ban đầu) takes 7 working days
# (the denunciation preset's ack period); "where verification is needed at
# several places or is delegated" it may take longer, but at most 10.
SCREENING_EXTENDED_DAYS = 10


def awaits_acceptance(ticket: Ticket) -> bool:
    """A complaint or a denunciation not yet accepted (thụ lý): its
    resolution period has not started."""
    return ticket.kind in ("complaint", "denunciation") and ticket.accepted_at is None


def resolve_amount(ticket: Ticket, policy: DeadlinePolicy) -> int:
    """The base resolve period for this ticket: the longest variant that
    applies (remote and/or complex), falling back to the plain amount when
    the policy has no such variant. Extensions are not included."""
    unit = ticket.unit if ticket.unit_id or _cached(ticket, "unit") else None
    remote = bool(unit is not None and unit.is_remote)
    complex_ = bool(ticket.is_complex)
    candidates = [policy.resolve_amount]
    if complex_ and policy.complex_resolve_amount:
        candidates.append(policy.complex_resolve_amount)
    if remote and policy.remote_resolve_amount:
        candidates.append(policy.remote_resolve_amount)
    if remote and complex_ and policy.remote_complex_resolve_amount:
        candidates.append(policy.remote_complex_resolve_amount)
    return max(candidates)


def resolution_due(
    ticket: Ticket, start: datetime, *, policy: DeadlinePolicy | None = None
) -> datetime:
    """The resolve deadline of a period begun at `start`, with the
    extensions already granted added one after the other on top, exactly
    as `extended_due` does."""
    cal = calendar()
    policy = policy or policy_for(ticket)
    due = cal.add(start, resolve_amount(ticket, policy), policy.resolve_unit)
    if policy.extension_amount:
        for _ in range(ticket.extensions or 0):
            due = cal.add(due, policy.extension_amount, policy.resolve_unit)
    return due


def ack_due(ticket: Ticket, start: datetime, *, policy: DeadlinePolicy | None = None) -> datetime:
    """The receipt/acceptance deadline of a period begun at `start`: the
    policy's ack period, or 10 working days for a denunciation whose
    screening was extended (Luật Tố cáo 2018 art. 24(1))."""
    policy = policy or policy_for(ticket)
    if ticket.screening_extended and policy.ack_unit == WORKING_DAYS:
        return calendar().add(start, SCREENING_EXTENDED_DAYS, WORKING_DAYS)
    return calendar().add(start, policy.ack_amount, policy.ack_unit)


def compute_due(ticket: Ticket, *, start: datetime | None = None) -> Due:
    """Deadlines for a ticket, counted from `start` (default: received_at,
    the true receipt time, so a paper form entered late is not given extra
    time).

    Reports: the resolve period runs from `start`. Complaints and
    denunciations: from acceptance (Luật Khiếu nại 2011 art. 28, 37; Luật
    Tố cáo 2018 art. 30(1)); until the office accepts, due_at is counted
    from the acceptance deadline, the latest lawful acceptance, and the
    acceptance recomputes it (workflow.ticket_accept)."""
    cal = calendar()
    policy = policy_for(ticket)
    start = start if start is not None else ticket.received_at
    ack = ack_due(ticket, start, policy=policy)
    period_start = ack if awaits_acceptance(ticket) else start
    forward = (
        cal.add(start, policy.forward_amount, policy.forward_unit)
        if policy.forward_amount
        else None
    )
    return Due(
        ack_due_at=ack,
        due_at=resolution_due(ticket, period_start, policy=policy),
        forward_due_at=forward,
        clock_started_at=period_start,
    )


def _warn_instant(start: datetime, due: datetime, unit: str, fraction: float) -> datetime | None:
    cal = calendar()
    total = cal.elapsed(start, due, unit)
    if total <= 0:
        return None
    return cal.when_elapsed(start, fraction * total, unit)


def warn_at(ticket: Ticket, *, policy: DeadlinePolicy | None = None) -> datetime | None:
    """When `warn_fraction` of the resolve time has run, counted from the
    start of the period now running (clock_started_at: receipt, acceptance,
    a reopening; received_at for rows from before it was kept) in the
    resolve unit's time (office time for working units). The resolve time
    is the span to the ticket's current due_at (so pauses and extensions
    already applied move the warning too), or to the computed due date when
    due_at is not set yet. None without a start. A caller that looks at
    many tickets (the warning sweep) passes the policy it already has."""
    start = ticket.clock_started_at or ticket.received_at
    if start is None:
        return None
    policy = policy or policy_for(ticket)
    due = ticket.due_at or compute_due(ticket).due_at
    return _warn_instant(start, due, policy.resolve_unit, policy.warn_fraction)


def ack_warn_at(ticket: Ticket, *, policy: DeadlinePolicy | None = None) -> datetime | None:
    """When `warn_fraction` of the receipt/acceptance time has run, counted
    from ack_started_at (or received_at) to ack_due_at in the ack unit."""
    start = ticket.ack_started_at or ticket.received_at
    if start is None or ticket.ack_due_at is None:
        return None
    policy = policy or policy_for(ticket)
    return _warn_instant(start, ticket.ack_due_at, policy.ack_unit, policy.warn_fraction)


class ExtensionRefused(ValueError):
    """Why one more extension is not allowed: `reason` is "none" (the
    period has no extension: reports, complaints), "not_complex" (a
    denunciation not declared complex) or "limit" (as many as its
    complexity allows are granted)."""

    def __init__(self, reason: str) -> None:
        super().__init__("no extension allowed")
        self.reason = reason


def extensions_allowed(ticket: Ticket, policy: DeadlinePolicy | None = None) -> int:
    """How many extensions this ticket's period may have. A denunciation:
    once when complex, twice when especially complex, never otherwise (Luật
    Tố cáo 2018 art. 30(2)-(3)), within the policy's maximum. Other kinds:
    the policy's maximum (0 for the presets: a complaint has no extension,
    a complex one a longer period, Luật Khiếu nại 2011 art. 28, 37)."""
    policy = policy or policy_for(ticket)
    if not policy.extension_amount:
        return 0
    if ticket.kind == "denunciation":
        by_law = 2 if ticket.is_especially_complex else 1 if ticket.is_complex else 0
        return min(policy.max_extensions, by_law)
    return policy.max_extensions


def extended_due(ticket: Ticket) -> datetime:
    """The due date after one more extension: `extension_amount` in the
    resolve unit, added to the current due_at (counted from the day after
    it, like any period). Raises ExtensionRefused (a ValueError) when no
    more extension is allowed; the workflow turns it into a message."""
    policy = policy_for(ticket)
    allowed = extensions_allowed(ticket, policy)
    if (ticket.extensions or 0) >= allowed:
        if not policy.extension_amount:
            raise ExtensionRefused("none")
        if allowed == 0:
            raise ExtensionRefused("not_complex")
        raise ExtensionRefused("limit")
    current = ticket.due_at or compute_due(ticket).due_at
    return calendar().add(current, policy.extension_amount, policy.resolve_unit)


def complex_due(ticket: Ticket, policy: DeadlinePolicy | None = None) -> datetime:
    """The due date once the ticket is declared complex: the period now
    running counted again from its start with the (longer) complex amount,
    plus whatever pauses and extensions had already moved due_at. Call it
    with is_complex already set."""
    policy = policy or policy_for(ticket)
    start = ticket.clock_started_at or ticket.received_at
    was = ticket.is_complex
    try:
        ticket.is_complex = False
        plain = resolution_due(ticket, start, policy=policy)
    finally:
        ticket.is_complex = was
    moved = (ticket.due_at - plain) if ticket.due_at else timedelta(0)
    return resolution_due(ticket, start, policy=policy) + max(moved, timedelta(0))


# Luật Khiếu nại 2011 art. 33: a second-instance complaint is filed within
# 30 days of the first decision (or of the end of the first-instance period
# when no decision came), 45 in remote areas.
SECOND_INSTANCE_DAYS = 30
SECOND_INSTANCE_DAYS_REMOTE = 45


def second_instance_window(ticket: Ticket, now: datetime) -> tuple[datetime, datetime] | None:
    """When the complainant may take a first-instance complaint to the
    superior body: from the first decision (resolved_at), or from the end
    of the first-instance period if it passed without one, for 30 days (45
    in a remote area). None while neither has happened."""
    if ticket.resolved_at is not None:
        opens = ticket.resolved_at
    elif ticket.due_at is not None and now > ticket.due_at:
        opens = ticket.due_at
    else:
        return None
    unit = ticket.unit if ticket.unit_id or _cached(ticket, "unit") else None
    days = (
        SECOND_INSTANCE_DAYS_REMOTE if unit is not None and unit.is_remote else SECOND_INSTANCE_DAYS
    )
    return opens, calendar().add(opens, days, CALENDAR_DAYS)


def working_duration(start: datetime, end: datetime) -> float:
    """Hours of office time on working days between two instants (0 if end
    is not after start): the figure behind "time to acknowledge/resolve"."""
    return calendar().working_seconds(start, end) / 3600


def working_minutes(start: datetime, end: datetime) -> int:
    """working_duration in whole minutes, as the ticket keeps it
    (Ticket.ack_minutes, answer_minutes)."""
    return round(calendar().working_seconds(start, end) / 60)
