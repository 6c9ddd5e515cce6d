"""Office pages and the transparency rankings: periods, the service score,
bands and ranks. The figures themselves (what counts as received, on
time, overdue...) are defined once, in feedback.figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from feedback import figures, snapshots
from feedback.figures import month_bounds
from feedback.models import Office, SurveyResponse


def round_half_up(value: float | Decimal | int | None, places: int = 1) -> float | None:
    """Every figure shown is rounded here: halves go up (12.25 -> 12.3, 12.5
    -> 13), as people and the city's reports round. Python's round() sends
    halves to the even neighbour and works on the binary value, so 12.25
    would show 12.2. A float is read as its shortest decimal form (what it
    prints as) before rounding."""
    if value is None:
        return None
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def office_month_numbers(
    office: Office, month_start: date | datetime, *, now: datetime | None = None
) -> figures.Figures:
    """The office's figures for one calendar month, by the same definitions
    as the rankings (feedback.figures): the office page and the
    transparency page read the same numbers for the same office and month,
    a past month from its snapshot (feedback.snapshots)."""
    start, end = month_bounds(month_start)
    return snapshots.compute(figures.Scope.of_office(office), start=start, end=end, now=now)


# --- transparency rankings (the public /minh-bach/ page) -----------------------

HIGH, MIDDLE, LOW = "high", "middle", "low"
# Hà Nội's reports name the units whose satisfaction is over 90 % and those
# under 70 %: the city bands satisfaction, so only satisfaction is banded.
HIGH_ABOVE, LOW_BELOW = 90, 70
# QĐ 766's satisfaction formula subtracts the items rated "not satisfied".
# Our scale is 1-5 stars and the city counts 4-5 as satisfied, so the
# product counts 1-3 as not satisfied: each rating is one or the other.
NOT_SATISFIED_UP_TO = 3
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


def band(rate: float | None) -> str | None:
    """Hà Nội's bands for a satisfaction rate: over 90 % high, under 70 %
    low, the rest middle."""
    if rate is None:
        return None
    return HIGH if rate > HIGH_ABOVE else LOW if rate < LOW_BELOW else MIDDLE


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
    not_satisfied: int = 0
    satisfaction_rate: float | None = None
    satisfaction_766: float | None = None
    mean_rating: float | None = None
    reopened: int = 0
    reopen_rate: float | None = None
    score: float | None = None
    ranked: bool = False
    rank: int | None = None
    band: str | None = None  # of satisfaction_rate, with enough ratings

    @property
    def sample(self) -> int:
        """What the on-time rate is measured on: resolved + overdue open."""
        return self.resolved + self.overdue_now

    @property
    def label(self) -> str:
        return self.short_name or self.name


def _percent(part: int, whole: int) -> Decimal | None:
    """Exact (a Decimal), so that a half is a half when it is rounded."""
    return Decimal(100 * part) / Decimal(whole) if whole else None


def _decimal(value: float | Decimal) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def satisfaction_766(*, total: int, not_satisfied: int, overdue: int) -> Decimal | None:
    """Decision 766/QĐ-TTg (2022)'s satisfaction: (total - items rated not
    satisfied - overdue items) / total x 100. An item nobody rated counts
    as satisfied; an overdue one as not. Total is what the on-time rate is
    measured on (resolved + overdue now); never below 0."""
    if not total:
        return None
    return max(_percent(total - not_satisfied - overdue, total), Decimal(0))


def service_score(
    on_time_rate: float | Decimal | None,
    satisfaction_rate: float | Decimal | None,
    reopen_rate: float | Decimal | None,
    weights: dict[str, float] | None = None,
) -> Decimal | None:
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
        "reopen": None if reopen_rate is None else 100 - min(_decimal(reopen_rate), Decimal(100)),
    }
    used = {k: _decimal(v) for k, v in parts.items() if v is not None and weights.get(k, 0) > 0}
    total = sum(_decimal(weights[k]) for k in used)
    if not total:
        return None
    return sum(_decimal(weights[k]) * v for k, v in used.items()) / total


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
    - satisfaction_rate: share of ratings of 4 or 5 given in the period
      (the city's way); satisfaction_766: Decision 766/QĐ-TTg's formula;
    - reopen_rate: REOPENED events in the period / resolved;
    - score: the product's own composite (docs/scores.md); offices with
      fewer than FEEDBACK_MIN_SAMPLE resolved + overdue items are listed
      with their numbers but not ranked;
    - band: the city's band of satisfaction_rate, only with at least
      FEEDBACK_MIN_SAMPLE ratings.
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
    found = snapshots.by_office(start=start, end=end, now=now)
    min_sample = settings.FEEDBACK_MIN_SAMPLE
    for row in rows.values():
        fig = found.get(row.office_id) or figures.Figures()
        row.received, row.overdue_now = fig.received, fig.overdue_now
        row.resolved, row.resolved_on_time = fig.resolved, fig.resolved_on_time
        row.reopened = fig.reopened
        row.ratings, row.satisfied = fig.ratings, fig.satisfied
        # Each rating is satisfied (4-5) or not (1-3, NOT_SATISFIED_UP_TO).
        row.not_satisfied = fig.ratings - fig.satisfied
        row.mean_rating = round_half_up(fig.mean_rating, 2)
        # Rates from the counts, exactly, so that a half rounds up.
        on_time = _percent(row.resolved_on_time, row.sample)
        satisfaction = _percent(row.satisfied, row.ratings)
        reopen = _percent(row.reopened, row.resolved)
        reopen = min(reopen, Decimal(100)) if reopen is not None else None
        row.on_time_rate = round_half_up(on_time)
        row.satisfaction_rate = round_half_up(satisfaction)
        row.satisfaction_766 = round_half_up(
            satisfaction_766(
                total=row.sample, not_satisfied=row.not_satisfied, overdue=row.overdue_now
            )
        )
        row.reopen_rate = round_half_up(reopen)
        row.score = round_half_up(service_score(on_time, satisfaction, reopen))
        row.ranked = row.score is not None and row.sample >= min_sample
        row.band = band(row.satisfaction_rate) if row.ratings >= min_sample else None

    return _rank_within_groups(rows.values(), value="score", size="sample")


def _rank_within_groups(rows, *, value: str, size: str) -> list:
    """The rows ordered by peer group, ranked rows first, best `value` first
    (then the larger `size`, then the name), with competition ranks within
    each group: equal values share a rank (1, 1, 3)."""
    ordered = sorted(
        rows,
        key=lambda r: (
            r.peer_group,
            not r.ranked,
            -(getattr(r, value) or 0) if r.ranked else 0,
            -getattr(r, size),
            r.label.casefold(),
        ),
    )
    group, position, previous = None, 0, None
    for row in ordered:
        if row.peer_group != group:
            group, position, previous = row.peer_group, 0, None
        if not row.ranked:
            continue
        position += 1
        tied = previous is not None and getattr(previous, value) == getattr(row, value)
        row.rank = previous.rank if tied else position
        previous = row
    return ordered


# --- the satisfaction survey (SIPAS-style) ---------------------------------------


@dataclass
class SurveyIndex:
    office_id: int
    name: str
    short_name: str
    peer_group: str
    responses: int = 0
    elements: dict[str, float | None] | None = None
    index: float | None = None
    ranked: bool = False
    rank: int | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def element_list(self) -> list[float | None]:
        """The element indices in SurveyResponse.QUESTIONS' order."""
        return [(self.elements or {}).get(q) for q in SurveyResponse.QUESTIONS]


def survey_index(
    *, start: datetime, end: datetime, offices: list[OfficeScore] | None = None
) -> list[SurveyIndex]:
    """Each office's survey index for responses given in [start, end):

    - an element's index: answers of 4 or 5 to that question / answers to
      it x 100 (a question left out counts in neither);
    - the office's index: the plain mean of its element indices, unrounded,
      then rounded (SIPAS asks about the same five elements; equal weights
      are the product's choice);
    - offices with fewer than FEEDBACK_MIN_SAMPLE responses are listed
      with their numbers but not ranked.
    Only offices with at least one response are returned. One grouped
    query, plus one for the offices unless the caller has them."""
    if offices is None:
        offices = [
            OfficeScore(
                office_id=o["pk"],
                name=o["name"],
                short_name=o["short_name"],
                peer_group=o["peer_group"],
            )
            for o in Office.objects.filter(is_active=True).values(
                "pk", "name", "short_name", "peer_group"
            )
        ]
    known = {o.office_id: o for o in offices}
    questions = SurveyResponse.QUESTIONS
    counts = {"n": Count("pk")}
    for q in questions:
        counts[f"{q}_n"] = Count(q)
        counts[f"{q}_ok"] = Count("pk", filter=Q(**{f"{q}__gte": 4}))
    min_sample = settings.FEEDBACK_MIN_SAMPLE
    rows = []
    for r in (
        SurveyResponse.objects.filter(
            office_id__in=list(known), created_at__gte=start, created_at__lt=end
        )
        .values("office_id")
        .annotate(**counts)
        .order_by()
    ):
        office = known[r["office_id"]]
        exact = {q: _percent(r[f"{q}_ok"], r[f"{q}_n"]) for q in questions}
        answered = [v for v in exact.values() if v is not None]
        index = sum(answered) / len(answered) if answered else None
        rows.append(
            SurveyIndex(
                office_id=office.office_id,
                name=office.name,
                short_name=office.short_name,
                peer_group=office.peer_group,
                responses=r["n"],
                elements={q: round_half_up(v) for q, v in exact.items()},
                index=round_half_up(index),
                ranked=index is not None and r["n"] >= min_sample,
            )
        )
    return _rank_within_groups(rows, value="index", size="responses")
