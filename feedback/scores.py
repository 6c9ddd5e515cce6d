"""Numbers about offices. Counts are SQL aggregates over indexed columns;
only durations in working time (which need the holiday calendar) are
computed in Python, from two timestamps per ticket."""

from __future__ import annotations

import statistics
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from feedback import deadlines
from feedback.models import Office, Rating, Ticket


def month_bounds(month_start: date | datetime) -> tuple[datetime, datetime]:
    """[first instant of the month, first instant of the next), local time."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if isinstance(month_start, datetime):
        if timezone.is_aware(month_start):
            month_start = timezone.localtime(month_start, tz)
        month_start = month_start.date()
    first = month_start.replace(day=1)
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(following, time.min, tzinfo=tz),
    )


def office_month_numbers(
    office: Office, month_start: date | datetime, *, now: datetime | None = None
) -> dict:
    """The office's own numbers for one calendar month:

    - received: tickets of this office received in the month;
    - resolved / resolved_on_time: tickets of this office resolved in the
      month, and those resolved by their due date (no due date counts as on
      time); on_time_rate is their share in percent (None without any);
    - overdue_now: open tickets of the office past their due date, clock not
      paused (a figure about now, whatever the month);
    - median_hours_to_answer: median working hours from receipt to the
      first response, over tickets received in the month that have one;
    - ratings, satisfied, satisfaction_rate (share of ratings 4-5, percent)
      and mean_rating: ratings of this office given in the month.
    """
    now = now or timezone.now()
    start, end = month_bounds(month_start)
    in_month = Q(received_at__gte=start, received_at__lt=end)
    resolved_in_month = Q(resolved_at__gte=start, resolved_at__lt=end)

    counts = Ticket.objects.filter(office=office).aggregate(
        received=Count("pk", filter=in_month),
        resolved=Count("pk", filter=resolved_in_month),
        resolved_on_time=Count(
            "pk",
            filter=resolved_in_month & (Q(due_at__isnull=True) | Q(resolved_at__lte=F("due_at"))),
        ),
        overdue_now=Count(
            "pk",
            filter=Q(
                status__in=Ticket.OPEN_STATUSES,
                paused_since__isnull=True,
                due_at__lt=now,
            ),
        ),
    )
    pairs = Ticket.objects.filter(
        in_month, office=office, first_response_at__isnull=False
    ).values_list("received_at", "first_response_at")
    hours = [deadlines.working_duration(a, b) for a, b in pairs]

    ratings = Rating.objects.filter(office=office, created_at__gte=start, created_at__lt=end)
    rated = ratings.aggregate(
        ratings=Count("pk"),
        satisfied=Count("pk", filter=Q(overall__gte=4)),
        mean=Avg("overall"),
    )

    def percent(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    return {
        "month_start": start,
        "month_end": end,
        "received": counts["received"],
        "resolved": counts["resolved"],
        "resolved_on_time": counts["resolved_on_time"],
        "on_time_rate": percent(counts["resolved_on_time"], counts["resolved"]),
        "overdue_now": counts["overdue_now"],
        "answered": len(hours),
        "median_hours_to_answer": round(statistics.median(hours), 2) if hours else None,
        "ratings": rated["ratings"],
        "satisfied": rated["satisfied"],
        "satisfaction_rate": percent(rated["satisfied"], rated["ratings"]),
        "mean_rating": round(rated["mean"], 2) if rated["mean"] is not None else None,
    }
