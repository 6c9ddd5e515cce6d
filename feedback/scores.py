"""Office pages and the transparency rankings: periods, the service score,
bands and ranks. The figures themselves (what counts as received, on
time, overdue...) are defined once, in feedback.figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback import figures
from feedback.models import Office


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
) -> figures.Figures:
    """The office's figures for one calendar month, by the same definitions
    as the rankings (feedback.figures): the office page and the
    transparency page read the same numbers for the same office and month."""
    start, end = month_bounds(month_start)
    return figures.compute(figures.Scope.of_office(office), start=start, end=end, now=now)


# --- transparency rankings (the public /minh-bach/ page) -----------------------

HIGH, MIDDLE, LOW = "high", "middle", "low"
HIGH_FROM, LOW_BELOW = 90, 70
PERIODS = ("this_month", "last_month", "3_months", "12_months")
PERIOD_LABELS = {
    "this_month": _("Tháng này"),
    "last_month": _("Tháng trước"),
    "3_months": _("3 tháng gần đây"),
    "12_months": _("12 tháng gần đây"),
}
RANKED_GROUPS = (
    Office.PeerGroup.WARDS,
    Office.PeerGroup.DEPARTMENTS,
    Office.PeerGroup.AGENCIES,
)


def period_bounds(period: str, *, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a named period in local time, whole calendar months:
    this month; last month; the last 3 or 12 months counting this one."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")
    now = now or timezone.now()
    this_start, next_start = month_bounds(now)
    back = {"this_month": 0, "last_month": 1, "3_months": 2, "12_months": 11}[period]
    start = this_start
    for _step in range(back):
        start, _end = month_bounds(start.date().replace(day=1) - timedelta(days=1))
    end = this_start if period == "last_month" else next_start
    return start, end


def band(score: float | None) -> str | None:
    """Hà Nội's reports: 90% and over high, under 70% low."""
    if score is None:
        return None
    return HIGH if score >= HIGH_FROM else LOW if score < LOW_BELOW else MIDDLE


@dataclass
class OfficeScore:
    office_id: int
    name: str
    short_name: str
    peer_group: str
    received: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    overdue_now: int = 0
    on_time_rate: float | None = None
    ratings: int = 0
    satisfied: int = 0
    satisfaction_rate: float | None = None
    mean_rating: float | None = None
    reopened: int = 0
    reopen_rate: float | None = None
    score: float | None = None
    ranked: bool = False
    rank: int | None = None
    band: str | None = None

    @property
    def sample(self) -> int:
        """What the on-time rate is measured on: resolved + overdue open."""
        return self.resolved + self.overdue_now

    @property
    def label(self) -> str:
        return self.short_name or self.name


def _round(value: float | None, places: int = 1) -> float | None:
    return round(value, places) if value is not None else None


def service_score(
    on_time_rate: float | None,
    satisfaction_rate: float | None,
    reopen_rate: float | None,
    weights: dict[str, float] | None = None,
) -> float | None:
    """The weighted mean of the parts that can be measured: on-time rate,
    satisfaction rate and 100 - reopen rate. A part with nothing to measure
    (no ratings yet) drops out and the others' weights are rescaled; without
    an on-time rate there is no score."""
    if on_time_rate is None:
        return None
    weights = settings.FEEDBACK_SCORE_WEIGHTS if weights is None else weights
    parts = {
        "on_time": on_time_rate,
        "satisfaction": satisfaction_rate,
        "reopen": None if reopen_rate is None else 100 - min(reopen_rate, 100.0),
    }
    used = {k: v for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    total = sum(weights[k] for k in used)
    if not total:
        return None
    return sum(weights[k] * v for k, v in used.items()) / total


def office_rankings(
    *,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    peer_group: str | None = None,
) -> list[OfficeScore]:
    """Every active office's numbers for [start, end), ranked within its
    peer group. Four queries whatever the number of offices: the offices,
    then one grouped aggregate each over tickets, events and ratings.

    - resolved / resolved_on_time: RESOLVED events of the office in the
      period (each round counts; the event keeps whether it met the due
      date, so a later reopening does not rewrite history);
    - overdue_now: open tickets of the office, clock running, whose due date
      passed before both now and the period's end: Decision 766/QĐ-TTg
      counts them late, so on_time_rate = on time / (resolved + overdue);
    - satisfaction_rate: share of ratings of 4 or 5 given in the period;
    - reopen_rate: REOPENED events in the period / resolved;
    - offices with fewer than FEEDBACK_MIN_SAMPLE resolved + overdue items
      are listed with their numbers but get no rank and no band.
    """
    now = now or timezone.now()
    offices = Office.objects.filter(is_active=True)
    if peer_group:
        offices = offices.filter(peer_group=peer_group)
    rows = {
        o["pk"]: OfficeScore(
            office_id=o["pk"],
            name=o["name"],
            short_name=o["short_name"],
            peer_group=o["peer_group"],
        )
        for o in offices.values("pk", "name", "short_name", "peer_group")
    }
    if not rows:
        return []
    found = figures.by_office(start=start, end=end, now=now)
    min_sample = settings.FEEDBACK_MIN_SAMPLE
    for row in rows.values():
        fig = found.get(row.office_id) or figures.Figures()
        row.received, row.overdue_now = fig.received, fig.overdue_now
        row.resolved, row.resolved_on_time = fig.resolved, fig.resolved_on_time
        row.reopened = fig.reopened
        row.ratings, row.satisfied = fig.ratings, fig.satisfied
        row.mean_rating = _round(fig.mean_rating, 2)
        on_time, satisfaction, reopen = fig.on_time_rate, fig.satisfaction_rate, fig.reopen_rate
        row.on_time_rate = _round(on_time)
        row.satisfaction_rate = _round(satisfaction)
        row.reopen_rate = _round(reopen)
        row.score = _round(service_score(on_time, satisfaction, reopen))
        row.ranked = row.score is not None and row.sample >= min_sample
        row.band = band(row.score) if row.ranked else None

    ordered = sorted(
        rows.values(),
        key=lambda r: (
            r.peer_group,
            not r.ranked,
            -(r.score or 0) if r.ranked else 0,
            -r.sample,
            r.label.casefold(),
        ),
    )
    # Competition ranking within each peer group: equal scores share a rank.
    group, position, previous = None, 0, None
    for row in ordered:
        if row.peer_group != group:
            group, position, previous = row.peer_group, 0, None
        if not row.ranked:
            continue
        position += 1
        tied = previous is not None and previous.score == row.score
        row.rank = previous.rank if tied else position
        previous = row
    return ordered
