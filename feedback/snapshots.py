"""Monthly snapshots of the figures (issue 11, point 4), the current month's
summary, and the reads that put them together.

On the first of each month a periodic task (workers.tasks.freeze_figures)
freezes last month's figures of every office and every unit subtree, as
feedback.figures computes them at that moment (overdue and backlog at the
month's end): one FigureSnapshot row per subject, with the working-time
histograms that let several months merge into exact medians, and the
per-category and per-place breakdown the dashboard shows. From then on that
month is read from its snapshot, so a later change of a rule (a deadline
policy, the official calendar, how a figure is defined) does not rewrite
history. A correction is a new version with a reason
(`manage.py freeze_figures --month ... --reason ...`); reads take the
highest version, and every version stays.

The current month is live. A second task (workers.tasks.refresh_live_figures)
recomputes it for every subject every FEEDBACK_LIVE_FIGURES_SECONDS, by the
same computation, into LiveFigures: a summary table kept current by a task,
so that a city-wide page reads a few rows instead of aggregating a month of
tickets and events on each request. A summary older than
FEEDBACK_LIVE_FIGURES_MAX_AGE is not used (the figures are then computed from
the tickets, slower and exact), nor is any month without a snapshot (a fresh
installation, a task that has not run).

A period is composed of parts: whole past months with snapshots, the
current month from its summary, live computations for the rest. Counts add
up; overdue and backlog are the last part's (they are taken at the period's
end); durations merge through the histograms. The product's choice, not the
law's: a past month shows what its figures were at its close, so a ticket
acknowledged on time in the following month is not counted as acknowledged
on time in the frozen month (it was not, then).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.fields.json import KT
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from feedback import figures
from feedback.figures import DURATIONS, Duration, Figures, Scope, month_bounds
from feedback.models import (
    AdministrativeUnit,
    FigureSnapshot,
    LiveFigures,
    Office,
    Ticket,
    display_code,
)

# Bumped when a figure's definition changes (docs/scores.md): each snapshot
# names the rules it was computed under.
RULES = "2026.11"
# Point-in-time figures: a period's are those at its end, not a sum.
AT_END = ("overdue_now", "backlog_now")
# How far back the task looks for months that were never frozen.
CATCH_UP_MONTHS = 24
# A place's sums (figures.place_sums): received, overdue and open at the
# end (taken from a period's last part), latitude and longitude sums, how
# many have coordinates.
PLACE_SUMS = 6
PLACE_AT_END = (1, 2)


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


def _histograms(
    by: tuple[str, ...],
    *,
    start: datetime,
    end: datetime,
    scope: Scope | None = None,
    names: tuple[str, ...] = DURATIONS,
) -> dict:
    """{group: {"ack": {minutes: n}, "answer": {...}}} over tickets received in
    [start, end), grouped by ticket columns `by` (keys are tuples, or None
    for no column): one query per duration."""
    found: dict = {}
    where = scope.tickets() if scope else Q()
    received = Ticket.objects.filter(where, received_at__gte=start, received_at__lt=end)
    for name in names:
        column = f"{name}_minutes"
        rows = (
            received.filter(**{f"{column}__isnull": False})
            .values_list(*by, column)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for *key, minutes, n in rows:
            hist = found.setdefault(tuple(key) if by else None, {}).setdefault(name, {})
            hist[minutes] = hist.get(minutes, 0) + n
    return found


def _merge(into: dict, other: dict) -> None:
    """Histograms by duration name ({"ack": {...}, "answer": {...}}) added."""
    for name, hist in other.items():
        _merge_one(into.setdefault(name, {}), hist)


def _duration(hist: dict[int, int]) -> Duration:
    return figures.duration_of(hist.items())


def _durations(fig: Figures, hists: dict) -> None:
    """Set fig's durations from histograms, as figures computes them."""
    for name in DURATIONS:
        setattr(fig, f"{name}_hours", _duration(hists.get(name, {})))


def _stored_hist(hist: dict[int, int]) -> list[list[int]]:
    return sorted([m, n] for m, n in hist.items())


def _loaded_hist(stored: list) -> dict[int, int]:
    return {m: n for m, n in stored}


def _add_counts(total: Figures, fig: Figures) -> None:
    for name in Figures.COUNTS:
        setattr(total, name, getattr(total, name) + getattr(fig, name))


# --- measuring: every office and unit at once ------------------------------------


@dataclass
class _Measure:
    """One subject's figures for a period, with what composes them."""

    fig: Figures = field(default_factory=Figures)
    hists: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)  # id -> [Figures, answer hist]
    places: dict = field(default_factory=dict)  # unit id -> the five sums

    def add(self, fig: Figures, category: int | None) -> None:
        _add_counts(self.fig, fig)
        entry = self.categories.setdefault(category, [Figures(), {}])
        _add_counts(entry[0], fig)

    def details(self) -> dict:
        return {
            "categories": {
                str(c): {"counts": f.counts(), "answer": _stored_hist(answer)}
                for c, (f, answer) in self.categories.items()
                if c is not None
            },
            "places": {str(u): sums for u, sums in self.places.items()},
        }


def _measure(start: datetime, end: datetime, now: datetime) -> dict[tuple[str, int], _Measure]:
    """Every active unit's and every office's figures for [start, end), by
    feedback.figures' definitions: the tickets, events and ratings grouped
    once by (office, unit where located, category), the histograms and the
    places likewise, then added up per office and up the unit tree (the
    roll-up: a unit is the sum of what is located in its subtree). Six
    queries whatever the number of tickets or subjects (medians come from
    the histograms, on any database), plus two or three for the subjects."""
    units = list(AdministrativeUnit.objects.filter(is_active=True).only("pk", "path"))
    offices = list(Office.objects.values_list("pk", "is_active"))
    cells = figures.grouped(
        ("office", "unit", "category"), start=start, end=end, now=now, durations=False
    )
    hists = _histograms(("office_id", "unit_id", "category_id"), start=start, end=end)
    places = figures.place_sums(("office_id", "unit_id"), start=start, end=end, now=now)

    found: dict[tuple[str, int], _Measure] = {}
    for pk, is_active in offices:
        if is_active:
            found[("office", pk)] = _Measure()
    for u in units:
        found[("unit", u.pk)] = _Measure()
    paths = {u.pk: u.path for u in units}
    located = {k[1] for k in cells} | {k[1] for k in hists} | {k[1] for k in places}
    missing = [u for u in located if u is not None and u not in paths]
    paths.update(AdministrativeUnit.objects.filter(pk__in=missing).values_list("pk", "path"))
    above: dict[int | None, list[int]] = {
        place: [u.pk for u in units if paths.get(place, "\0").startswith(u.path)]
        for place in located
    }

    def subjects(office_id, unit_id) -> list[_Measure]:
        targets = [("unit", u) for u in above.get(unit_id, [])]
        if office_id is not None:
            targets.append(("office", office_id))
        return [found.setdefault(t, _Measure()) for t in targets]

    for (office_id, unit_id, category_id), fig in cells.items():
        for m in subjects(office_id, unit_id):
            m.add(fig, category_id)
    for (office_id, unit_id, category_id), h in hists.items():
        for m in subjects(office_id, unit_id):
            _merge(m.hists, h)
            entry = m.categories.setdefault(category_id, [Figures(), {}])
            _merge_one(entry[1], h.get("answer", {}))
    for (office_id, unit_id), sums in places.items():
        for m in subjects(office_id, unit_id):
            have = m.places.setdefault(unit_id, [0] * PLACE_SUMS)
            for i, value in enumerate(sums):
                have[i] += value
    for m in found.values():
        _durations(m.fig, m.hists)
    return found


def _merge_one(into: dict[int, int], hist: dict[int, int]) -> None:
    for minutes, n in hist.items():
        into[minutes] = into.get(minutes, 0) + n


def _columns(kind: str, pk: int, m: _Measure) -> dict:
    return {
        "office_id": pk if kind == "office" else None,
        "unit_id": pk if kind == "unit" else None,
        "rules": RULES,
        "figures": m.fig.as_dict(),
        "histograms": {name: _stored_hist(m.hists.get(name, {})) for name in DURATIONS},
        "details": m.details(),
    }


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
    version of every subject. Returns the number of rows written. About ten
    queries whatever the number of tickets or subjects; all or nothing."""
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
    rows = []
    for (kind, pk), m in _measure(start, end, now).items():
        current = existing.get((kind, pk), 0)
        if current and not reason:
            continue
        rows.append(
            FigureSnapshot(
                month=month,
                version=current + 1,
                reason=reason if current else "",
                created_at=now,
                created_by=by,
                **_columns(kind, pk, m),
            )
        )
    with transaction.atomic():
        FigureSnapshot.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _window(now: datetime, months: int) -> tuple[date, date]:
    """The first and last month of the `months` ended months before `now`."""
    last = previous_month(month_of(now))
    first = last
    for _step in range(months - 1):
        first = previous_month(first)
    return first, last


def freeze_missing(*, now: datetime | None = None, months: int = CATCH_UP_MONTHS) -> list[date]:
    """Freeze every ended month of the last `months` that has tickets and no
    snapshot yet (what the monthly task does: last month, and any month a
    stopped beat missed). Two queries when there is nothing to do."""
    now = now or timezone.now()
    first, last = _window(now, months)
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


# How many tracking codes a late-entry correction's reason names.
LATE_CODES_NAMED = 10


def correct_late_entries(
    *, now: datetime | None = None, months: int = CATCH_UP_MONTHS
) -> list[date]:
    """Write a correction for every frozen month of the last `months` that
    has reports entered after its last version was written: paper forms
    typed in later with their true receipt time (workflow intake), or
    reports recovered after an outage. The product's choice: a month's
    figures count every report received in it, and the change shows as a
    new version whose reason says how many reports it adds and names them,
    never as a silent rewrite. The correction is measured as any correction
    is, by the rules in force when it is written. Two queries when there is
    nothing to do (the daily task runs it after freeze_missing)."""
    now = now or timezone.now()
    first, last = _window(now, months)
    written = dict(
        FigureSnapshot.objects.filter(month__gte=first, month__lte=last)
        .order_by()
        .values("month")
        .annotate(at=Max("created_at"))
        .values_list("month", "at")
    )
    if not written:
        return []
    # Only the late tickets are read: for each frozen month, those received
    # in it and entered after its last version (a month's snapshot is
    # written weeks after the months before it, so one cut-off for all would
    # read nearly every ticket of the window, every day).
    entered_late = Q()
    for month, at in written.items():
        start, end = month_bounds(month)
        entered_late |= Q(received_at__gte=start, received_at__lt=end, created_at__gt=at)
    late: dict[date, list[str]] = {}
    for code, received in (
        Ticket.objects.filter(entered_late)
        .order_by("received_at", "pk")
        .values_list("code", "received_at")
    ):
        late.setdefault(month_of(received), []).append(code)
    for month, codes in sorted(late.items()):
        freeze(month, now=now, reason=late_entries_reason(codes))
    return sorted(late)


def late_entries_reason(codes: list[str]) -> str:
    """The reason of a late-entry correction, in the deployment's language."""
    named = ", ".join(display_code(c) for c in codes[:LATE_CODES_NAMED])
    more = len(codes) - LATE_CODES_NAMED
    with translation.override(settings.LANGUAGE_CODE):
        reason = ngettext(
            "Tự động bổ sung %(n)d phản ánh tiếp nhận trong tháng nhưng nhập vào hệ thống "
            "sau khi chốt số liệu (phiếu giấy nhập sau): %(codes)s",
            "Tự động bổ sung %(n)d phản ánh tiếp nhận trong tháng nhưng nhập vào hệ thống "
            "sau khi chốt số liệu (phiếu giấy nhập sau): %(codes)s",
            len(codes),
        ) % {"n": len(codes), "codes": named}
        if more > 0:
            reason += gettext(" và %(n)d phản ánh khác") % {"n": more}
    return reason + "."


def frozen_month(at: datetime) -> date | None:
    """The month of `at` when its figures are frozen (a report received
    then and entered only now joins them with the next daily correction,
    correct_late_entries): the staff intake says so. One query."""
    month = month_of(at)
    return month if FigureSnapshot.objects.filter(month=month).exists() else None


def refresh_live(*, now: datetime | None = None) -> int:
    """Recompute the current month's summary of every subject and replace
    the old one in one transaction (readers see the old rows or the new,
    never a mix). Returns the number of rows."""
    now = now or timezone.now()
    start, end = month_bounds(now)
    rows = [
        LiveFigures(month=start.date(), computed_at=now, **_columns(kind, pk, m))
        for (kind, pk), m in _measure(start, end, now).items()
    ]
    with transaction.atomic():
        LiveFigures.objects.all().delete()
        LiveFigures.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# --- reading ----------------------------------------------------------------------


def _subject(scope: Scope) -> Q | None:
    """The snapshot rows of a scope, or None where there are none (the whole
    city without a unit, or a scope given by path only)."""
    if scope.office_id is not None:
        return Q(office_id=scope.office_id)
    if scope.unit_id is not None:
        return Q(unit_id=scope.unit_id)
    return None


_FIELDS = ("month", "office_id", "unit_id", "figures", "histograms")


def _latest(where: Q, months: Iterable[date], *, details: bool = False) -> dict[tuple, object]:
    """The highest version of each (month, office, unit) among `where`'s
    rows of `months`. One query."""
    found: dict[tuple, object] = {}
    fields = (*_FIELDS, "version", "reason", "created_at", *(("details",) if details else ()))
    rows = FigureSnapshot.objects.filter(where, month__in=list(months)).only(*fields)
    for row in rows.order_by("version"):
        found[(row.month, row.office_id, row.unit_id)] = row
    return found


def _live(where: Q, now: datetime, *, details: bool = False) -> dict[tuple, object]:
    """The current month's summary rows among `where`, when fresh. One query."""
    oldest = now - timedelta(seconds=settings.FEEDBACK_LIVE_FIGURES_MAX_AGE)
    fields = (*_FIELDS, "computed_at", *(("details",) if details else ()))
    rows = LiveFigures.objects.filter(
        where, month=month_of(now), computed_at__gte=oldest, computed_at__lte=now
    ).only(*fields)
    return {(row.month, row.office_id, row.unit_id): row for row in rows}


def _rows(where: Q, months: list[date], now: datetime, *, details: bool = False) -> dict:
    """Snapshot rows of the ended months and the current month's summary,
    by (month, office, unit): two queries (one when there is no current
    month among `months`)."""
    this_month = month_of(now)
    ended = [m for m in months if m < this_month]
    rows = _latest(where, ended, details=details) if ended else {}
    if this_month in months:
        rows.update(_live(where, now, details=details))
    return rows


def _pieces(
    start: datetime, end: datetime, now: datetime, stored: set[date] | None
) -> list[tuple[datetime, datetime, date | None]]:
    """The period cut into pieces in time order: (start, end, month) for a
    whole month in `stored` (a snapshot, or the current month's summary; None:
    every whole month that has ended or is the current one),
    (start, end, None) for each live stretch between them (adjacent live
    time joined, so one computation each)."""
    this_month, next_start = month_bounds(now)
    pieces: list[tuple[datetime, datetime, date | None]] = []
    cursor = start
    while cursor < end:
        m_start, m_end = month_bounds(cursor)
        whole = m_start == cursor and m_end <= end and m_end <= next_start
        piece_end = m_end if whole else min(m_end, end)
        if whole and (stored is None or m_start.date() in stored):
            pieces.append((m_start, m_end, m_start.date()))
        elif pieces and pieces[-1][2] is None:
            pieces[-1] = (pieces[-1][0], piece_end, None)
        else:
            pieces.append((cursor, piece_end, None))
        cursor = piece_end
    return pieces


def _months_of(start: datetime, end: datetime, now: datetime) -> list[date]:
    """The whole months of the period that may be stored: ended ones, and
    the current one."""
    return [m for _a, _b, m in _pieces(start, end, now, None) if m is not None]


def _plan(scope: Scope, start: datetime, end: datetime, now: datetime, *, details: bool = False):
    """(pieces, rows by month) for a scope and period, or None when nothing
    is stored for it (then figures computes it all)."""
    where = _subject(scope)
    months = _months_of(start, end, now)
    if where is None or not months:
        return None
    rows = {m: row for (m, _o, _u), row in _rows(where, months, now, details=details).items()}
    pieces = _pieces(start, end, now, set(rows))
    if all(m is None for _a, _b, m in pieces):
        return None
    return pieces, rows


def _combine(parts: list[tuple[Figures, dict]]) -> Figures:
    """Parts in time order, (figures, histograms) each: counts summed,
    overdue and backlog from the last part, durations merged."""
    total = Figures()
    hists: dict = {}
    for fig, part_hists in parts:
        _add_counts(total, fig)
        _merge(hists, part_hists)
    for name in AT_END:
        setattr(total, name, getattr(parts[-1][0], name) if parts else 0)
    _durations(total, hists)
    return total


def compute(
    scope: Scope,
    *,
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    info: dict | None = None,
) -> Figures:
    """figures.compute, with each whole past month read from its snapshot
    and the current month from its summary. Two queries for them, then
    figures' (and two for the histograms) for each live stretch. `info`,
    when given, gets "as_of": when the current month's summary was computed
    (absent when it was not used)."""
    now = now or timezone.now()
    plan = _plan(scope, start, end, now)
    if plan is None:
        return figures.compute(scope, start=start, end=end, now=now)
    pieces, rows = plan
    parts = []
    for a, b, m in pieces:
        if m is not None:
            row = rows[m]
            hists = {k: _loaded_hist(v) for k, v in row.histograms.items()}
            parts.append((Figures.from_dict(row.figures), hists))
            if info is not None and isinstance(row, LiveFigures):
                info["as_of"] = row.computed_at
        else:
            live = figures.grouped(None, start=a, end=b, now=now, scope=scope, durations=False)
            hists = _histograms((), start=a, end=b, scope=scope).get(None, {})
            parts.append((live.get(None, Figures()), hists))
    if len(parts) == 1:
        return parts[0][0]  # one stored month: its figures as stored
    return _combine(parts)


def breakdown(
    scope: Scope, *, start: datetime, end: datetime, now: datetime | None = None
) -> tuple[dict, list[dict]]:
    """The dashboard's per-category figures ({category id: Figures}, with the
    time to answer) and its places (figures.place_rows) for a scope and
    period, from the snapshots and the current month's summary where they
    exist: two queries for them, and figures' for each live stretch."""
    now = now or timezone.now()
    plan = _plan(scope, start, end, now, details=True)
    if plan is None:
        plan = ([(start, end, None)], {})
    pieces, rows = plan
    categories: dict = {}
    places: dict = {}
    for i, (a, b, m) in enumerate(pieces):
        last = i == len(pieces) - 1
        if m is not None:
            details = rows[m].details
            per_category = {
                int(c): (Figures(**v["counts"]), v["answer"])
                for c, v in details.get("categories", {}).items()
            }
            per_place = {int(u): sums for u, sums in details.get("places", {}).items()}
        else:
            live = figures.grouped(
                "category", start=a, end=b, now=now, scope=scope, durations=False
            )
            answers = _histograms(("category_id",), start=a, end=b, scope=scope, names=("answer",))
            per_category = {
                c: (fig, answers.get((c,), {}).get("answer", {}).items()) for c, fig in live.items()
            }
            per_place = figures.place_sums(("unit_id",), start=a, end=b, now=now, scope=scope)
        for c, (fig, answer) in per_category.items():
            total, pairs = categories.setdefault(c, (Figures(), []))
            for name in Figures.COUNTS:
                if name in AT_END and not last:
                    continue
                setattr(total, name, getattr(total, name) + getattr(fig, name))
            # (minutes, count) pairs, unmerged: duration_of sorts them once.
            pairs.extend(answer)
        for u, sums in per_place.items():
            have = places.setdefault(u, [0] * PLACE_SUMS)
            for j, value in enumerate(sums):
                if j in PLACE_AT_END and not last:
                    continue
                have[j] += value
    result = {}
    for c, (fig, pairs) in categories.items():
        fig.answer_hours = figures.duration_of(pairs)
        result[c] = fig
    return result, figures.place_rows(places)


def monthly(
    scope: Scope,
    *,
    months: int = 12,
    now: datetime | None = None,
    current: Figures | None = None,
    frozen: dict | None = None,
) -> list[tuple[datetime, Figures]]:
    """figures.monthly, each past month from its snapshot and the current
    month from its summary: two queries, or one with `current` (this month's
    figures, which the caller has already); four more (figures.monthly) only
    when a past month has no snapshot. `frozen`, when given, is filled with
    the snapshot behind each past month (its version, reason and date, for
    the page to say which months are frozen)."""
    now = now or timezone.now()
    starts = figures.local_month_starts(now, months)
    where = _subject(scope)
    wanted = [s.date() for s in (starts[:-1] if current is not None else starts)]
    found = _rows(where, wanted, now) if where is not None else {}
    by_month = {m: row for (m, _o, _u), row in found.items()}
    this_start = starts[-1]
    if any(s.date() not in by_month for s in starts[:-1]):
        live = dict(figures.monthly(scope, months=months, now=now))
    else:
        live = {}
    if current is None and this_start.date() not in by_month and this_start not in live:
        _s, this_end = month_bounds(now)
        current = figures.compute(scope, start=this_start, end=this_end, now=now)
    result = []
    for s in starts:
        row = by_month.get(s.date())
        if s == this_start and current is not None:
            fig = current
        elif row is not None:
            fig = Figures.from_dict(row.figures)
            if frozen is not None and isinstance(row, FigureSnapshot):
                frozen[s] = row
        else:
            fig = live[s]
        result.append((s, fig))
    return result


def _office_counts(months: list[date], now: datetime) -> dict[date, dict[int, dict]]:
    """Every office's stored counts of `months` (snapshots, highest version;
    the current month's summary when fresh), as plain dicts: two queries.
    Twelve months of a city's offices are a few thousand rows: the counts
    are taken out of the JSON by the database (decoding each row's whole
    `figures` in Python cost 7x more), with no model instances and no
    Figures until the sums are made."""
    this_month = month_of(now)
    found: dict[date, dict[int, dict]] = {}
    ended = [m for m in months if m < this_month]
    counts = [KT(f"figures__{name}") for name in Figures.COUNTS]
    rows: list = []
    if ended:
        rows += (
            FigureSnapshot.objects.filter(office__isnull=False, month__in=ended)
            .order_by("version")
            .values_list("month", "office_id", *counts)
        )
    if this_month in months:
        oldest = now - timedelta(seconds=settings.FEEDBACK_LIVE_FIGURES_MAX_AGE)
        rows += LiveFigures.objects.filter(
            office__isnull=False, month=this_month, computed_at__gte=oldest, computed_at__lte=now
        ).values_list("month", "office_id", *counts)
    for m, office_id, *values in rows:
        # Text on PostgreSQL (->>), numbers on SQLite; a count missing from
        # an older row's JSON is 0.
        found.setdefault(m, {})[office_id] = {
            name: int(v) if v is not None else 0
            for name, v in zip(Figures.COUNTS, values, strict=True)
        }
    return found


def by_office(*, start: datetime, end: datetime, now: datetime | None = None) -> dict[int, Figures]:
    """figures.by_office (the rankings' counts, no durations), with each
    whole past month read from the offices' snapshots and the current month
    from their summaries: two queries for them, figures.by_office's for
    each live stretch. A month with no stored rows is computed live."""
    now = now or timezone.now()
    months = _months_of(start, end, now)
    per_month = _office_counts(months, now) if months else {}
    if not per_month:
        return figures.by_office(start=start, end=end, now=now)
    pieces = _pieces(start, end, now, set(per_month))
    found = [
        {o: f.counts() for o, f in figures.by_office(start=a, end=b, now=now).items()}
        if m is None
        else per_month[m]
        for a, b, m in pieces
    ]
    summed = [name for name in Figures.COUNTS if name not in AT_END]
    last = found[-1]
    result = {}
    for office_id in {o for per in found for o in per}:
        counts = dict.fromkeys(Figures.COUNTS, 0)
        for per in found:
            data = per.get(office_id)
            if data is not None:
                for name in summed:
                    counts[name] += data[name]
        for name in AT_END:
            counts[name] = last[office_id][name] if office_id in last else 0
        if any(counts.values()):
            result[office_id] = Figures(**counts)
    return result
