"""The one definition of each responsiveness figure, for an office or a unit
subtree and a period [start, end). The dashboard, the office page, the
transparency rankings, exports and monthly snapshots all read them here.

Whose tickets (`Scope`):

- an office: the tickets it holds now, the resolutions and reopenings
  recorded against it (TicketEvent.office: the office that resolved keeps
  the credit after a transfer), and the ratings of its answers;
- a unit: every ticket located in the unit's subtree (Ticket.unit), with
  their events and ratings, whoever handles them. A unit's figures are
  therefore the sum of its children's (plus tickets located on the unit
  itself): the roll-up is the same computation, never a second one;
- everything: the whole city.

The figures (each count is summable, so roll-ups and snapshots add up):

- received: tickets received in the period (`received_at`);
- acknowledged on time: of those received in the period, acknowledged by
  their acknowledgement deadline (`acknowledged_at <= ack_due_at`, no
  deadline counts as on time); `ack_measured` adds the late ones and the
  ones still unacknowledged, open, past that deadline at min(now, end);
- resolved / resolved on time: RESOLVED events in the period (each round
  counts, against its own deadline, as recorded by workflow.ticket_resolve
  in `data.on_time`; a later reopening does not rewrite history);
- overdue now: open tickets, clock running, due before min(now, end)
  (models.overdue_q). Decision 766/QĐ-TTg counts them late, so
  on-time rate = resolved on time / (resolved + overdue) x 100;
- backlog now: open tickets now, whatever the period;
- reopened: REOPENED events in the period; reopen rate = reopened /
  resolved x 100, capped at 100;
- ratings / satisfied (overall 4-5) / rating_sum: ratings given in the
  period; satisfaction rate = satisfied / ratings x 100, the way the city's
  satisfaction index is reported;
- time to acknowledge / to answer (first response): median and 90th
  percentile, in working hours (feedback.deadlines), over tickets received
  in the period, from Ticket.ack_minutes / answer_minutes.

A rate with nothing to measure is None, never 0. Every function runs a
fixed number of queries whatever the number of tickets or groups: three on
PostgreSQL (tickets with their percentiles, events, ratings), plus one per
duration elsewhere (percentiles from a histogram), plus one where noted.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time
from itertools import accumulate
from operator import itemgetter
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, Exists, F, FloatField, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback.models import AdministrativeUnit, Office, Rating, Ticket, TicketEvent, overdue_q

E = TicketEvent.Kind
DURATIONS = ("ack", "answer")  # Ticket.ack_minutes, Ticket.answer_minutes


# --- whose tickets ------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """An office's tickets, a unit subtree's, or (neither) everything."""

    office_id: int | None = None
    unit_path: str | None = None
    # The unit itself, for its snapshots (feedback.snapshots).
    unit_id: int | None = None
    # Every unit of the subtree, read once by of_unit(): tickets are then
    # selected by `unit_id IN (...)`. PostgreSQL estimates a prefix LIKE on
    # the units' path at one row whatever it matches, and with the city's
    # 127 units it joined every ticket one unit at a time (10 s instead of
    # 0.7 at a million tickets).
    unit_ids: tuple[int, ...] | None = None

    @classmethod
    def of_office(cls, office: Office | int) -> Scope:
        return cls(office_id=office if isinstance(office, int) else office.pk)

    @classmethod
    def of_unit(cls, unit: AdministrativeUnit) -> Scope:
        """One query: the subtree's units."""
        ids = AdministrativeUnit.subtree_ids(unit.path)
        return cls(unit_path=unit.path, unit_id=unit.pk, unit_ids=tuple(ids))

    def tickets(self) -> Q:
        if self.office_id is not None:
            return Q(office_id=self.office_id)
        if self.unit_ids is not None:
            return Q(unit_id__in=self.unit_ids)
        if self.unit_path is not None:
            return Q(unit__path__startswith=self.unit_path)
        return Q()

    def events(self) -> Q:
        """Events and ratings: the office recorded on them, or the ticket's place."""
        if self.office_id is not None:
            return Q(office_id=self.office_id)
        if self.unit_ids is not None:
            return Q(ticket__unit_id__in=self.unit_ids)
        if self.unit_path is not None:
            return Q(ticket__unit__path__startswith=self.unit_path)
        return Q()

    ratings = events


# --- the numbers ------------------------------------------------------------------


@dataclass
class Duration:
    """Working hours over `n` tickets (None when n is 0)."""

    n: int = 0
    median: float | None = None
    p90: float | None = None


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


_FIELD_NAMES: dict[type, frozenset[str]] = {}


@dataclass
class Figures:
    received: int = 0
    ack_measured: int = 0
    ack_on_time: int = 0
    resolved: int = 0
    resolved_on_time: int = 0
    overdue_now: int = 0
    backlog_now: int = 0
    reopened: int = 0
    ratings: int = 0
    satisfied: int = 0
    rating_sum: int = 0
    ack_hours: Duration = field(default_factory=Duration)
    answer_hours: Duration = field(default_factory=Duration)

    COUNTS = (
        "received",
        "ack_measured",
        "ack_on_time",
        "resolved",
        "resolved_on_time",
        "overdue_now",
        "backlog_now",
        "reopened",
        "ratings",
        "satisfied",
        "rating_sum",
    )

    @property
    def sample(self) -> int:
        """What the on-time rate is measured on: resolved + overdue."""
        return self.resolved + self.overdue_now

    @property
    def on_time_rate(self) -> float | None:
        return _percent(self.resolved_on_time, self.sample)

    @property
    def ack_on_time_rate(self) -> float | None:
        return _percent(self.ack_on_time, self.ack_measured)

    @property
    def reopen_rate(self) -> float | None:
        rate = _percent(self.reopened, self.resolved)
        return min(rate, 100.0) if rate is not None else None

    @property
    def satisfaction_rate(self) -> float | None:
        return _percent(self.satisfied, self.ratings)

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}

    def as_dict(self) -> dict:
        """Plain JSON-able values (counts, durations, unrounded rates), for
        snapshots and exports."""
        data = asdict(self)
        for rate in (
            "on_time_rate",
            "ack_on_time_rate",
            "reopen_rate",
            "satisfaction_rate",
            "mean_rating",
        ):
            data[rate] = getattr(self, rate)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Figures:
        names = _FIELD_NAMES.get(cls)
        if names is None:
            names = _FIELD_NAMES[cls] = frozenset(f.name for f in fields(cls))
        values = {k: v for k, v in data.items() if k in names}
        for name in ("ack_hours", "answer_hours"):
            if isinstance(values.get(name), dict):
                values[name] = Duration(**values[name])
        return cls(**values)


# --- SQL pieces -------------------------------------------------------------------


class Percentile(Aggregate):
    """PostgreSQL's percentile_cont: NULLs are ignored, values interpolated."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def _sql_percentiles() -> bool:
    return connection.vendor == "postgresql"


def _sorted_counts(values: Iterable[tuple[float, int]]) -> tuple[list, list[int]]:
    """(value, count) pairs sorted by value, with the running count at each:
    the pairs may repeat a value (histograms of several months, unmerged)."""
    pairs = sorted((p for p in values if p[1]), key=itemgetter(0))
    return pairs, list(accumulate(map(itemgetter(1), pairs)))


def _quantile(pairs: list, running: list[int], fraction: float) -> float | None:
    if not running:
        return None
    position = fraction * (running[-1] - 1)
    lo, hi = math.floor(position), math.ceil(position)
    last = len(pairs) - 1
    # The value at sorted index i is the first pair whose running count
    # passes i.
    low = pairs[min(bisect_right(running, lo), last)][0]
    high = pairs[min(bisect_right(running, hi), last)][0]
    return low + (high - low) * (position - lo)


def quantile(values: Iterable[tuple[float, int]], fraction: float) -> float | None:
    """percentile_cont over (value, count) pairs: the value at position
    fraction x (n - 1) in sorted order, interpolated between neighbours."""
    return _quantile(*_sorted_counts(values), fraction)


def _hours(minutes: float | None) -> float | None:
    return round(minutes / 60, 2) if minutes is not None else None


def duration_of(pairs: Iterable[tuple[float, int]]) -> Duration:
    """A Duration from (working minutes, count) pairs, a value possibly in
    several pairs: the median and 90th percentile as percentile_cont gives
    them, in hours. One sort; the ranks are found by bisection, so twelve
    months of a city's histograms cost milliseconds."""
    pairs, running = _sorted_counts(pairs)
    return Duration(
        n=running[-1] if running else 0,
        median=_hours(_quantile(pairs, running, 0.5)),
        p90=_hours(_quantile(pairs, running, 0.9)),
    )


def _cutoff(end: datetime, now: datetime | None) -> datetime:
    return min(now or timezone.now(), end)


def _ticket_filters(start: datetime, end: datetime, cutoff: datetime) -> dict[str, Q]:
    """The ticket figures as filters: what each counts, and what the inbox
    lists behind it (tickets_behind)."""
    in_period = Q(received_at__gte=start, received_at__lt=end)
    open_now = Q(status__in=Ticket.OPEN_STATUSES)
    return {
        "received": in_period,
        "ack_on_time": in_period
        & Q(acknowledged_at__isnull=False)
        & (Q(ack_due_at__isnull=True) | Q(acknowledged_at__lte=F("ack_due_at"))),
        "ack_late": in_period
        & (
            (Q(acknowledged_at__isnull=False) & Q(acknowledged_at__gt=F("ack_due_at")))
            | (Q(acknowledged_at__isnull=True) & open_now & Q(ack_due_at__lt=cutoff))
        ),
        "overdue_now": overdue_q(cutoff),
        "backlog_now": open_now,
    }


def _ticket_aggregates(start: datetime, end: datetime, cutoff: datetime, *, durations: bool):
    filters = _ticket_filters(start, end, cutoff)
    in_period = filters["received"]
    aggregates = {name: Count("pk", filter=q) for name, q in filters.items()}
    if durations:
        for name in DURATIONS:
            column = f"{name}_minutes"
            aggregates[f"{name}_n"] = Count(column, filter=in_period)
            if _sql_percentiles():
                aggregates[f"{name}_median"] = Percentile(column, 0.5, filter=in_period)
                aggregates[f"{name}_p90"] = Percentile(column, 0.9, filter=in_period)
    return in_period | filters["backlog_now"], aggregates


def _apply_tickets(fig: Figures, row: dict) -> None:
    fig.received = row["received"]
    fig.ack_on_time = row["ack_on_time"]
    fig.ack_measured = row["ack_on_time"] + row["ack_late"]
    fig.overdue_now = row["overdue_now"]
    fig.backlog_now = row["backlog_now"]
    for name in DURATIONS:
        if f"{name}_median" in row:
            setattr(
                fig,
                f"{name}_hours",
                Duration(
                    n=row[f"{name}_n"],
                    median=_hours(row[f"{name}_median"]),
                    p90=_hours(row[f"{name}_p90"]),
                ),
            )


_EVENT_AGGREGATES = {
    "resolved": Count("pk", filter=Q(kind=E.RESOLVED)),
    "resolved_on_time": Count("pk", filter=Q(kind=E.RESOLVED, data__on_time=True)),
    "reopened": Count("pk", filter=Q(kind=E.REOPENED)),
}
_RATING_AGGREGATES = {
    "ratings": Count("pk"),
    "satisfied": Count("pk", filter=Q(overall__gte=4)),
    "rating_sum": Sum("overall"),
}


def _apply(fig: Figures, row: dict, names: Iterable[str]) -> None:
    for name in names:
        setattr(fig, name, row[name] or 0)


# --- the tickets behind a figure ---------------------------------------------------

BEHIND = {
    "received": _("tiếp nhận trong kỳ"),
    "ack_on_time": _("tiếp nhận đúng hạn"),
    "ack_late": _("tiếp nhận trễ hạn"),
    "resolved": _("có lần giải quyết trong kỳ"),
    "resolved_on_time": _("giải quyết đúng hạn trong kỳ"),
    "resolved_late": _("giải quyết trễ hạn trong kỳ"),
    "overdue_now": _("quá hạn"),
    "backlog_now": _("đang tồn"),
    "reopened": _("mở lại trong kỳ"),
    "rated": _("được đánh giá trong kỳ"),
    "satisfied": _("được đánh giá hài lòng trong kỳ"),
    "not_satisfied": _("được đánh giá chưa hài lòng trong kỳ"),
}


def tickets_behind(
    figure: str,
    *,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    office_id: int | None = None,
) -> Q:
    """A filter on Ticket for the tickets a figure counts: what the inbox
    lists when the figure is clicked. Ticket figures use the very filters
    the counts use; event and rating figures list the tickets with such an
    event or rating in the period (recorded against `office_id` when the
    scope is an office), so a ticket resolved twice is one row of two
    resolutions."""
    if figure not in BEHIND:
        raise ValueError(f"unknown figure {figure!r}")
    ticket_filters = _ticket_filters(start, end, _cutoff(end, now))
    if figure in ticket_filters:
        return ticket_filters[figure]
    mine = Q(office_id=office_id) if office_id is not None else Q()
    if figure in ("rated", "satisfied", "not_satisfied"):
        score = {"rated": Q(), "satisfied": Q(overall__gte=4), "not_satisfied": Q(overall__lt=4)}
        ratings = Rating.objects.filter(
            mine, score[figure], ticket=OuterRef("pk"), created_at__gte=start, created_at__lt=end
        )
        return Q(Exists(ratings))
    kind = E.REOPENED if figure == "reopened" else E.RESOLVED
    on_time = {
        "resolved_on_time": Q(data__on_time=True),
        "resolved_late": ~Q(data__on_time=True),
    }.get(figure, Q())
    events = TicketEvent.objects.filter(
        mine, on_time, ticket=OuterRef("pk"), kind=kind, at__gte=start, at__lt=end
    )
    return Q(Exists(events))


# Group keys: (tickets, events, ratings).
GROUPS = {
    "office": ("office_id", "office_id", "office_id"),
    "unit": ("unit_id", "ticket__unit_id", "ticket__unit_id"),
    "category": ("category_id", "ticket__category_id", "ticket__category_id"),
}


def _columns(by: str | tuple[str, ...] | None) -> tuple[tuple[str, ...], ...]:
    """The columns to group tickets, events and ratings by, for a group name
    or a tuple of them (keys are then tuples)."""
    if by is None:
        return ((), (), ())
    names = (by,) if isinstance(by, str) else tuple(by)
    return tuple(tuple(GROUPS[n][i] for n in names) for i in range(3))


def _key(row: dict, columns: tuple[str, ...]):
    if not columns:
        return None
    return row[columns[0]] if len(columns) == 1 else tuple(row[c] for c in columns)


def grouped(
    by: str | tuple[str, ...] | None,
    *,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    scope: Scope = Scope(),
    durations: bool = True,
) -> dict:
    """Figures for [start, end) per group ("office", "unit", "category", or a
    tuple of them, whose keys are then tuples; None: the scope as one, under
    the key None), over the scope. Groups with nothing in them are absent.
    Three queries (tickets, events, ratings) on PostgreSQL; elsewhere one
    more per duration."""
    cutoff = _cutoff(end, now)
    keys = _columns(by)
    result: dict = {}

    def fig(key) -> Figures:
        if key not in result:
            result[key] = Figures()
        return result[key]

    where, aggregates = _ticket_aggregates(start, end, cutoff, durations=durations)
    tickets = Ticket.objects.filter(scope.tickets()).filter(where)
    if keys[0]:
        rows = tickets.values(*keys[0]).annotate(**aggregates).order_by()
        for row in rows:
            _apply_tickets(fig(_key(row, keys[0])), row)
    else:
        _apply_tickets(fig(None), tickets.aggregate(**aggregates))

    events = TicketEvent.objects.filter(
        scope.events(), kind__in=(E.RESOLVED, E.REOPENED), at__gte=start, at__lt=end
    )
    ratings = Rating.objects.filter(scope.ratings(), created_at__gte=start, created_at__lt=end)
    for qs, key, aggregates in (
        (events, keys[1], _EVENT_AGGREGATES),
        (ratings, keys[2], _RATING_AGGREGATES),
    ):
        if key:
            for row in qs.values(*key).annotate(**aggregates).order_by():
                _apply(fig(_key(row, key)), row, aggregates)
        else:
            _apply(fig(None), qs.aggregate(**aggregates), aggregates)

    if durations and not _sql_percentiles():
        in_period = Ticket.objects.filter(
            scope.tickets(), received_at__gte=start, received_at__lt=end
        )
        for name in DURATIONS:
            column = f"{name}_minutes"
            values = [*keys[0], column]
            hist: dict = {}
            for row in (
                in_period.filter(**{f"{column}__isnull": False})
                .values(*values)
                .annotate(c=Count("pk"))
                .order_by()
            ):
                hist.setdefault(_key(row, keys[0]), []).append((row[column], row["c"]))
            for key, pairs in hist.items():
                setattr(fig(key), f"{name}_hours", duration_of(pairs))
    return result


def compute(
    scope: Scope, *, start: datetime, end: datetime, now: datetime | None = None
) -> Figures:
    """The figures of one office or unit subtree (or the city) for [start, end)."""
    return grouped(None, start=start, end=end, now=now, scope=scope).get(None, Figures())


def by_office(
    *, start: datetime, end: datetime, now: datetime | None = None, durations: bool = False
) -> dict[int, Figures]:
    """Every office's figures, keyed by office id (offices with nothing are
    absent): what the rankings are made of."""
    return {
        k: v
        for k, v in grouped("office", start=start, end=end, now=now, durations=durations).items()
        if k is not None
    }


def roll_up(
    per_unit: dict[int, Figures], units: Iterable[AdministrativeUnit]
) -> dict[int, Figures]:
    """Counts per unit (as grouped("unit") gives them, one row per unit where
    tickets are located) summed into each of `units` over its subtree. Only
    counts add up; durations are left empty (use compute() for a unit's)."""
    units = list(units)
    path_of = dict(AdministrativeUnit.objects.filter(pk__in=per_unit).values_list("pk", "path"))
    totals = {u.pk: Figures() for u in units}
    for unit_id, fig in per_unit.items():
        path = path_of.get(unit_id, "")
        for u in units:
            if path.startswith(u.path):
                total = totals[u.pk]
                for name in Figures.COUNTS:
                    setattr(total, name, getattr(total, name) + getattr(fig, name))
    return totals


# --- months -----------------------------------------------------------------------


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


def local_month_starts(last: date | datetime, count: int) -> list[datetime]:
    """The first instants (local time) of `count` months ending with the month of `last`."""
    tz = ZoneInfo(settings.TIME_ZONE)
    if isinstance(last, datetime):
        last = timezone.localtime(last, tz).date() if timezone.is_aware(last) else last.date()
    year, month = last.year, last.month
    starts = []
    for _step in range(count):
        starts.append(datetime(year, month, 1, tzinfo=tz))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def monthly(
    scope: Scope, *, months: int = 12, now: datetime | None = None
) -> list[tuple[datetime, Figures]]:
    """Month by month for the `months` calendar months ending with the
    current one, each month's figures exactly as compute() gives them for
    that month (overdue at the month's end, or now for this month), in four
    queries on PostgreSQL whatever the number of months."""
    now = now or timezone.now()
    tz = ZoneInfo(settings.TIME_ZONE)
    starts = local_month_starts(now, months)
    last = starts[-1]
    following = datetime(last.year + last.month // 12, last.month % 12 + 1, 1, tzinfo=tz)
    ends = [*starts[1:], following]
    start, end = starts[0], following
    result = {s: Figures() for s in starts}

    def month_of(value: datetime) -> datetime:
        local = timezone.localtime(value, tz)
        return datetime(local.year, local.month, 1, tzinfo=tz)

    in_range = Q(received_at__gte=start, received_at__lt=end)
    _where, aggregates = _ticket_aggregates(start, end, now, durations=True)
    aggregates.pop("overdue_now")
    aggregates.pop("backlog_now")
    # Late acknowledgement of the unacknowledged counts at each month's
    # end; it is added per month below with the overdue counts.
    aggregates["ack_late"] = Count(
        "pk", filter=Q(acknowledged_at__isnull=False, acknowledged_at__gt=F("ack_due_at"))
    )
    rows = (
        Ticket.objects.filter(scope.tickets(), in_range)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        fig = result.get(month_of(row["month"]))
        if fig is not None:
            row.setdefault("overdue_now", 0)
            row.setdefault("backlog_now", 0)
            _apply_tickets(fig, row)

    # Per month: overdue at its end (or now), and tickets received in it
    # still open and unacknowledged past their deadline then. One query.
    open_now = Q(status__in=Ticket.OPEN_STATUSES)
    per_month = {}
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        cut = min(now, e)
        per_month[f"o{i}"] = Count("pk", filter=overdue_q(cut))
        per_month[f"a{i}"] = Count(
            "pk",
            filter=Q(received_at__gte=s, received_at__lt=e, acknowledged_at__isnull=True)
            & Q(ack_due_at__lt=cut),
        )
    counts = Ticket.objects.filter(scope.tickets(), open_now).aggregate(**per_month)
    for i, s in enumerate(starts):
        result[s].overdue_now = counts[f"o{i}"]
        result[s].ack_measured += counts[f"a{i}"]

    events = TicketEvent.objects.filter(
        scope.events(), kind__in=(E.RESOLVED, E.REOPENED), at__gte=start, at__lt=end
    )
    ratings = Rating.objects.filter(scope.ratings(), created_at__gte=start, created_at__lt=end)
    for qs, column, aggs in (
        (events, "at", _EVENT_AGGREGATES),
        (ratings, "created_at", _RATING_AGGREGATES),
    ):
        for row in (
            qs.annotate(month=TruncMonth(column, tzinfo=tz))
            .values("month")
            .annotate(**aggs)
            .order_by()
        ):
            fig = result.get(month_of(row["month"]))
            if fig is not None:
                _apply(fig, row, aggs)

    if not _sql_percentiles():
        for s, e in zip(starts, ends, strict=True):
            one = grouped(None, start=s, end=e, now=now, scope=scope).get(None, Figures())
            result[s].ack_hours, result[s].answer_hours = one.ack_hours, one.answer_hours
    return [(s, result[s]) for s in starts]


# --- where, and who -----------------------------------------------------------------


def place_sums(
    by: tuple[str, ...],
    *,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    scope: Scope = Scope(),
) -> dict:
    """Per group of ticket columns (`by` ends with "unit_id", where tickets
    are located): [tickets received in the period, tickets overdue at
    min(now, end) and tickets open now (as overdue_now and backlog_now count
    them, whenever received), sum of the latitudes and of the longitudes of
    those received, how many of them have coordinates]. Sums, so that
    months add up (feedback.snapshots; overdue and open are taken at a
    period's end). One query."""
    in_period = Q(received_at__gte=start, received_at__lt=end)
    overdue = overdue_q(_cutoff(end, now))
    open_now = Q(status__in=Ticket.OPEN_STATUSES)
    rows = (
        Ticket.objects.filter(scope.tickets())
        .filter(in_period | open_now)
        .values(*by)
        .annotate(
            received=Count("pk", filter=in_period),
            overdue_now=Count("pk", filter=overdue),
            backlog_now=Count("pk", filter=open_now),
            lat=Sum("latitude", filter=in_period),
            lng=Sum("longitude", filter=in_period),
            located=Count("latitude", filter=in_period),
        )
        .order_by()
    )
    return {
        _key(row, by): [
            row["received"],
            row["overdue_now"],
            row["backlog_now"],
            float(row["lat"] or 0),
            float(row["lng"] or 0),
            row["located"],
        ]
        for row in rows
    }


def place_rows(sums: dict) -> list[dict]:
    """place_sums() per located unit as the map shows it: received,
    overdue, open, and the mean position of those received with
    coordinates."""
    return [
        {
            "unit_id": unit_id,
            "received": received,
            "overdue_now": overdue,
            "backlog_now": backlog,
            "latitude": lat / located if located else None,
            "longitude": lng / located if located else None,
        }
        for unit_id, (received, overdue, backlog, lat, lng, located) in sums.items()
    ]


def places(
    scope: Scope, *, start: datetime, end: datetime, now: datetime | None = None
) -> list[dict]:
    """Per unit where tickets are located: tickets received in the period,
    tickets overdue at min(now, end), and the mean position of those
    received with coordinates (the map's circle). One query."""
    return place_rows(place_sums(("unit_id",), start=start, end=end, now=now, scope=scope))


def workload(office_id: int, *, now: datetime | None = None) -> list[dict]:
    """Each assignee's open tickets in an office (None: unassigned), how
    many of them are overdue now, and when the oldest was received. One
    query."""
    now = now or timezone.now()
    return list(
        Ticket.objects.filter(office_id=office_id, status__in=Ticket.OPEN_STATUSES)
        .values("assignee_id")
        .annotate(
            open=Count("pk"),
            overdue_now=Count("pk", filter=overdue_q(now)),
            oldest=Min("received_at"),
        )
        .order_by()
    )
