"""Monthly snapshots of the figures (issue 11, point 4), and the reads that
put them together with the live figures.

On the first of each month a periodic task (workers.tasks.freeze_figures)
freezes last month's figures of every office and every unit subtree, as
feedback.figures computes them at that moment (overdue and backlog at the
month's end): one FigureSnapshot row per subject, with the working-time
histograms that let several months merge into exact medians. From then on
that month is read from its snapshot, so a later change of a rule (a
deadline policy, the official calendar, how a figure is defined) does not
rewrite history. A correction is a new version with a reason
(`manage.py freeze_figures --month ... --reason ...`); reads take the
highest version, and every version stays.

The current month is always live, and so is any month that has no
snapshot (a fresh installation, a task that has not run): the reads fall
back to feedback.figures for it, with the same fixed number of queries.

A period is composed of parts: whole past months with snapshots in the
middle, live parts before and after. Counts add up; overdue and backlog are
the last part's (they are taken at the period's end); durations merge
through the histograms. The product's choice, not the law's: a past month
shows what its figures were at its close, so a ticket acknowledged on time
in the following month is not counted as acknowledged on time in the frozen
month (it was not, then).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from feedback import figures
from feedback.figures import DURATIONS, Duration, Figures, Scope, month_bounds
from feedback.models import AdministrativeUnit, FigureSnapshot, Office, Ticket

# Bumped when a figure's definition changes (docs/scores.md): each snapshot
# names the rules it was computed under.
RULES = "2026.11"
# At point-in-time figures of a period are those at its end, not a sum.
AT_END = ("overdue_now", "backlog_now")
# How far back the task looks for months that were never frozen.
CATCH_UP_MONTHS = 24


class SnapshotError(ValueError):
    """A freeze that cannot be done; nothing was written."""


def month_of(value: date | datetime) -> date:
    """The first day of the local month of a date or an instant."""
    start, _end = month_bounds(value)
    return start.date()


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


# --- histograms -------------------------------------------------------------------

Histogram = dict[int, int]  # working minutes -> tickets


def _histograms(
    key: str | None, *, start: datetime, end: datetime, scope: Scope | None = None
) -> dict:
    """{group: {"ack": {minutes: n}, "answer": {...}}} over tickets received in
    [start, end): one query per duration."""
    found: dict = {}
    where = scope.tickets() if scope else Q()
    received = Ticket.objects.filter(where, received_at__gte=start, received_at__lt=end)
    for name in DURATIONS:
        column = f"{name}_minutes"
        values = [key, column] if key else [column]
        rows = (
            received.filter(**{f"{column}__isnull": False})
            .values(*values)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            group = found.setdefault(row[key] if key else None, {})
            hist = group.setdefault(name, {})
            hist[row[column]] = hist.get(row[column], 0) + row["n"]
    return found


def _merge(into: dict, other: dict) -> None:
    for name in DURATIONS:
        target = into.setdefault(name, {})
        for minutes, n in other.get(name, {}).items():
            target[minutes] = target.get(minutes, 0) + n


def _durations(fig: Figures, hists: dict) -> None:
    """Set fig's durations from histograms, as figures computes them."""
    for name in DURATIONS:
        pairs = list(hists.get(name, {}).items())
        setattr(
            fig,
            f"{name}_hours",
            Duration(
                n=sum(n for _m, n in pairs),
                median=figures._hours(figures.quantile(pairs, 0.5)),
                p90=figures._hours(figures.quantile(pairs, 0.9)),
            ),
        )


def _stored(hists: dict) -> dict:
    return {name: sorted([m, n] for m, n in hists.get(name, {}).items()) for name in DURATIONS}


def _loaded(stored: dict) -> dict:
    return {name: {m: n for m, n in stored.get(name, [])} for name in DURATIONS}


# --- freezing ---------------------------------------------------------------------


def freeze(
    month: date,
    *,
    now: datetime | None = None,
    reason: str = "",
    by=None,
) -> int:
    """Freeze `month`'s figures of every office and every active unit.

    Without a reason, subjects that already have a snapshot of the month are
    left as they are (the task may run twice, or catch up), and only the
    missing ones are written. With a reason, it is a correction: the next
    version of every subject. Returns the number of rows written. About a
    dozen queries whatever the number of tickets or subjects; all or
    nothing."""
    now = now or timezone.now()
    month = month_of(month)
    start, end = month_bounds(month)
    reason = reason.strip()
    if end > now:
        raise SnapshotError(f"{month:%m/%Y} has not ended yet; its figures are live")
    existing: dict[tuple[str, int], int] = {}
    for office_id, unit_id, version in FigureSnapshot.objects.filter(month=month).values_list(
        "office_id", "unit_id", "version"
    ):
        subject = ("office", office_id) if office_id else ("unit", unit_id)
        existing[subject] = max(version, existing.get(subject, 0))
    if reason and not existing:
        raise SnapshotError(f"{month:%m/%Y} has no snapshot to correct; freeze it first")

    offices = list(Office.objects.values_list("pk", "is_active"))
    units = list(AdministrativeUnit.objects.filter(is_active=True))
    per_office = figures.grouped("office", start=start, end=end, now=now, durations=False)
    per_place = figures.grouped("unit", start=start, end=end, now=now, durations=False)
    per_unit = figures.roll_up({k: v for k, v in per_place.items() if k is not None}, units)
    hist_office = _histograms("office_id", start=start, end=end)
    hist_place = _histograms("unit_id", start=start, end=end)
    path_of = {u.pk: u.path for u in units}
    path_of.update(
        AdministrativeUnit.objects.filter(
            pk__in=[k for k in hist_place if k not in path_of]
        ).values_list("pk", "path")
    )
    hist_unit: dict[int, dict] = {u.pk: {} for u in units}
    for place, hists in hist_place.items():
        place_path = path_of.get(place, "")
        for u in units:
            if place_path.startswith(u.path):
                _merge(hist_unit[u.pk], hists)

    subjects: list[tuple[str, int, Figures, dict]] = []
    for office_id, is_active in offices:
        fig = per_office.get(office_id)
        if fig is None and not is_active:
            continue  # a closed office with nothing that month
        subjects.append(("office", office_id, fig or Figures(), hist_office.get(office_id, {})))
    for u in units:
        subjects.append(("unit", u.pk, per_unit[u.pk], hist_unit[u.pk]))

    rows = []
    for kind, pk, fig, hists in subjects:
        current = existing.get((kind, pk), 0)
        if current and not reason:
            continue
        _durations(fig, hists)
        rows.append(
            FigureSnapshot(
                month=month,
                office_id=pk if kind == "office" else None,
                unit_id=pk if kind == "unit" else None,
                version=current + 1,
                rules=RULES,
                figures=fig.as_dict(),
                histograms=_stored(hists),
                reason=reason if current else "",
                created_by=by,
            )
        )
    with transaction.atomic():
        FigureSnapshot.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def freeze_missing(*, now: datetime | None = None, months: int = CATCH_UP_MONTHS) -> list[date]:
    """Freeze every ended month of the last `months` that has tickets and no
    snapshot yet (what the monthly task does: last month, and any month a
    stopped beat missed). Two queries when there is nothing to do."""
    now = now or timezone.now()
    last = previous_month(month_of(now))
    first = last
    for _step in range(months - 1):
        first = previous_month(first)
    frozen = set(
        FigureSnapshot.objects.filter(month__gte=first, month__lte=last)
        .values_list("month", flat=True)
        .distinct()
    )
    earliest = Ticket.objects.order_by("received_at").values_list("received_at", flat=True).first()
    if earliest is None:
        return []
    month, done = max(first, month_of(earliest)), []
    while month <= last:
        if month not in frozen:
            freeze(month, now=now)
            done.append(month)
        month = next_month(month)
    return done


# --- reading ----------------------------------------------------------------------


def _subject(scope: Scope) -> Q | None:
    """The snapshot rows of a scope, or None where there are none (the whole
    city without a unit, or a scope given by path only)."""
    if scope.office_id is not None:
        return Q(office_id=scope.office_id)
    if scope.unit_id is not None:
        return Q(unit_id=scope.unit_id)
    return None


def _latest(where: Q, months: Iterable[date]) -> dict[tuple, FigureSnapshot]:
    """The highest version of each (month, office, unit) among `where`'s
    rows of `months`. One query."""
    found: dict[tuple, FigureSnapshot] = {}
    rows = (
        FigureSnapshot.objects.filter(where, month__in=list(months))
        .only(
            "month",
            "office_id",
            "unit_id",
            "version",
            "figures",
            "histograms",
            "reason",
            "created_at",
        )
        .order_by("version")
    )
    for row in rows:
        found[(row.month, row.office_id, row.unit_id)] = row
    return found


def _combine(parts: list[tuple[Figures, dict]]) -> Figures:
    """Parts in time order, (figures, histograms) each: counts summed,
    overdue and backlog from the last part (they are taken at the period's
    end), durations merged from the histograms."""
    total = Figures()
    hists: dict = {}
    for fig, part_hists in parts:
        for name in Figures.COUNTS:
            if name not in AT_END:
                setattr(total, name, getattr(total, name) + getattr(fig, name))
        _merge(hists, part_hists)
    for name in AT_END:
        setattr(total, name, getattr(parts[-1][0], name) if parts else 0)
    _durations(total, hists)
    return total


def _pieces(
    start: datetime, end: datetime, now: datetime, frozen: set[date]
) -> list[tuple[datetime, datetime, date | None]]:
    """The period cut into pieces in time order: (start, end, month) for a
    whole ended month in `frozen`, (start, end, None) for each live stretch
    between them (adjacent live time joined, so one computation each)."""
    this_month, _next = month_bounds(now)
    pieces: list[tuple[datetime, datetime, date | None]] = []
    cursor = start
    while cursor < end:
        m_start, m_end = month_bounds(cursor)
        whole = m_start == cursor and m_end <= end and m_end <= this_month
        piece_end = m_end if whole else min(m_end, end)
        if whole and m_start.date() in frozen:
            pieces.append((m_start, m_end, m_start.date()))
        elif pieces and pieces[-1][2] is None:
            pieces[-1] = (pieces[-1][0], piece_end, None)
        else:
            pieces.append((cursor, piece_end, None))
        cursor = piece_end
    return pieces


def _whole_months(start: datetime, end: datetime, now: datetime) -> list[date]:
    return [m for _a, _b, m in _pieces(start, end, now, _ALL) if m is not None]


class _Everything(set):
    def __contains__(self, item) -> bool:
        return True


_ALL = _Everything()


def compute(
    scope: Scope, *, start: datetime, end: datetime, now: datetime | None = None
) -> Figures:
    """figures.compute, with each whole past month read from its snapshot.
    One query for the snapshots, then figures' (and two for the
    histograms) for each live stretch: at most two when the months between
    have snapshots."""
    now = now or timezone.now()
    where = _subject(scope)
    months = _whole_months(start, end, now)
    if where is None or not months:
        return figures.compute(scope, start=start, end=end, now=now)
    frozen = {m: snap for (m, _o, _u), snap in _latest(where, months).items()}
    pieces = _pieces(start, end, now, set(frozen))
    if all(m is None for _a, _b, m in pieces):
        return figures.compute(scope, start=start, end=end, now=now)
    parts = []
    for a, b, m in pieces:
        if m is not None:
            snap = frozen[m]
            parts.append((Figures.from_dict(snap.figures), _loaded(snap.histograms)))
        else:
            live = figures.grouped(None, start=a, end=b, now=now, scope=scope, durations=False)
            hists = _histograms(None, start=a, end=b, scope=scope).get(None, {})
            parts.append((live.get(None, Figures()), hists))
    return _combine(parts)


def monthly(
    scope: Scope,
    *,
    months: int = 12,
    now: datetime | None = None,
    current: Figures | None = None,
    frozen: dict | None = None,
) -> list[tuple[datetime, Figures]]:
    """figures.monthly, each past month from its snapshot: one query for the
    snapshots and three for the current month (none when the caller has
    computed it already and passes it as `current`); four more
    (figures.monthly) only when a past month has no snapshot. `frozen`, when
    given, is filled with the snapshot behind each frozen month (its version,
    reason and date, for the page to say which months are frozen)."""
    now = now or timezone.now()
    starts = figures.local_month_starts(now, months)
    where = _subject(scope)
    found = _latest(where, [s.date() for s in starts[:-1]]) if where is not None else {}
    by_month = {m: snap for (m, _o, _u), snap in found.items()}
    if len(by_month) < len(starts) - 1:
        live = dict(figures.monthly(scope, months=months, now=now))
    else:
        this_start, this_end = month_bounds(now)
        if current is None:
            current = figures.compute(scope, start=this_start, end=this_end, now=now)
        live = {this_start: current}
    result = []
    for s in starts:
        snap = by_month.get(s.date())
        result.append((s, Figures.from_dict(snap.figures) if snap else live[s]))
        if snap is not None and frozen is not None:
            frozen[s] = snap
    return result


def by_office(*, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, Figures]:
    """figures.by_office (the rankings' counts, no durations), with each
    whole past month read from the offices' snapshots: one query for them,
    figures.by_office's for each live stretch. A past month without
    snapshots is computed live."""
    now = now or timezone.now()
    months = _whole_months(start, end, now)
    snaps = _latest(Q(office__isnull=False), months) if months else {}
    if not snaps:
        return figures.by_office(start=start, end=end, now=now)
    pieces = _pieces(start, end, now, {m for (m, _o, _u) in snaps})
    frozen: dict[date, dict[int, Figures]] = {}
    for (m, office_id, _u), snap in snaps.items():
        frozen.setdefault(m, {})[office_id] = Figures.from_dict(snap.figures)
    found = [
        figures.by_office(start=a, end=b, now=now) if m is None else frozen[m] for a, b, m in pieces
    ]
    result = {}
    for office_id in {o for per in found for o in per}:
        fig = _combine([(per.get(office_id, Figures()), {}) for per in found])
        fig.ack_hours = fig.answer_hours = Duration()
        if any(fig.counts().values()):
            result[office_id] = fig
    return result
