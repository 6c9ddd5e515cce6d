"""feedback.figures on the hand-worked February of tests/feedback/february.py."""

from __future__ import annotations

import pytest

from feedback import figures, scores
from feedback.models import Ticket
from tests.feedback.february import FEB, NOW, at


def test_it_works_out_an_offices_month_by_hand(world, february):
    f = figures.compute(figures.Scope.of_office(world.office_a), **FEB)
    assert f.received == 3
    assert (f.ack_on_time, f.ack_measured) == (1, 3)  # tet; reopened late, overdue never
    assert (f.resolved, f.resolved_on_time, f.overdue_now) == (3, 3, 1)
    assert f.on_time_rate == 75.0  # 3 / (3 resolved + 1 overdue)
    assert f.backlog_now == 2  # overdue and march are open now
    assert (f.reopened, round(f.reopen_rate, 1)) == (1, 33.3)
    assert (f.ratings, f.satisfied, f.mean_rating, f.satisfaction_rate) == (2, 1, 3.5, 50.0)
    # 4 h (across Tết) and 9 h; percentile_cont interpolates.
    assert f.ack_hours == figures.Duration(n=2, median=6.5, p90=8.5)
    assert f.answer_hours == figures.Duration(n=2, median=13.5, p90=15.5)


def test_the_workflow_keeps_the_working_minutes_with_the_timestamps(february):
    tet = Ticket.objects.get(pk=february["tet"].pk)
    assert (tet.ack_minutes, tet.answer_minutes) == (4 * 60, 11 * 60)
    reopened = Ticket.objects.get(pk=february["reopened"].pk)
    # The second round does not move the first answer.
    assert (reopened.ack_minutes, reopened.answer_minutes) == (9 * 60, 16 * 60)


def test_a_past_month_counts_overdue_at_its_end_and_this_month_now(world, february):
    march = dict(start=at(1, 0, month=3), end=at(1, 0, month=4), now=NOW)
    dispatch = figures.Scope.of_office(world.dispatch)
    assert figures.compute(dispatch, **FEB).overdue_now == 0  # due 5 March
    assert figures.compute(dispatch, **march).overdue_now == 1


def test_a_unit_is_the_sum_of_its_parts(world, february):
    city = figures.compute(figures.Scope.of_unit(world.hanoi), **FEB)
    parts = [
        figures.compute(figures.Scope.of_unit(u), **FEB)
        for u in (world.ward_a, world.ward_b, world.remote)
    ]
    assert city.received == 5
    for name in figures.Figures.COUNTS:
        assert getattr(city, name) == sum(getattr(p, name) for p in parts), name
    # ... and of the offices that handle its tickets, computed the same way.
    offices = figures.by_office(**FEB)
    for name in ("received", "resolved", "resolved_on_time", "overdue_now", "ratings"):
        assert getattr(city, name) == sum(getattr(f, name) for f in offices.values()), name
    # The grouped read and the roll-up give each ward what compute() gives it.
    per_unit = figures.grouped("unit", scope=figures.Scope.of_unit(world.hanoi), **FEB)
    rolled = figures.roll_up(per_unit, [world.hanoi, world.ward_a, world.ward_b])
    assert rolled[world.hanoi.pk].counts() == city.counts()
    assert rolled[world.ward_a.pk].counts() == parts[0].counts()


def test_the_office_page_and_the_rankings_read_the_same(world, february, client_as):
    row = {r.office_id: r for r in scores.office_rankings(**FEB)}[world.office_a.pk]
    page = scores.office_month_numbers(world.office_a, at(1), now=NOW)
    assert (page.received, page.resolved, page.resolved_on_time, page.overdue_now) == (
        row.received,
        row.resolved,
        row.resolved_on_time,
        row.overdue_now,
    )
    assert round(page.on_time_rate, 1) == row.on_time_rate == 75.0
    assert round(page.satisfaction_rate, 1) == row.satisfaction_rate


def test_it_gives_none_rather_than_zero_when_there_is_nothing_to_measure(world):
    f = figures.compute(figures.Scope.of_office(world.office_a), **FEB)
    assert f.counts() == dict.fromkeys(figures.Figures.COUNTS, 0)
    assert f.on_time_rate is None and f.ack_on_time_rate is None and f.reopen_rate is None
    assert f.satisfaction_rate is None and f.mean_rating is None
    assert f.ack_hours == figures.Duration(n=0, median=None, p90=None)


def test_it_gives_the_last_twelve_months_each_as_compute_does(world, february):
    months = figures.monthly(figures.Scope.of_office(world.office_a), now=NOW)
    assert [m.date().isoformat() for m, _f in months][:2] == ["2025-04-01", "2025-05-01"]
    assert len(months) == 12 and months[-1][0] == at(1, 0, month=3)
    by_month = dict(months)
    for month in (at(1, 0), at(1, 0, month=3)):
        end = at(1, 0, month=month.month + 1)
        one = figures.compute(
            figures.Scope.of_office(world.office_a), start=month, end=end, now=NOW
        )
        got = by_month[month]
        assert got.counts() | {"backlog_now": 0} == one.counts() | {"backlog_now": 0}
        assert (got.ack_hours, got.answer_hours) == (one.ack_hours, one.answer_hours)
    assert by_month[at(1, 0, month=1)].counts() == figures.Figures().counts()


def test_the_percentiles_are_the_same_without_postgresql(world, february, monkeypatch):
    scope = figures.Scope.of_office(world.office_a)
    in_sql = figures.compute(scope, **FEB)
    monkeypatch.setattr(figures, "_sql_percentiles", lambda: False)
    by_hand = figures.compute(scope, **FEB)
    assert (by_hand.ack_hours, by_hand.answer_hours) == (in_sql.ack_hours, in_sql.answer_hours)
    assert figures.quantile([(1, 1), (2, 2), (10, 1)], 0.5) == 2
    assert figures.quantile([(1, 1), (2, 2), (10, 1)], 0.9) == pytest.approx(7.6)
    assert figures.quantile([], 0.5) is None


def test_durations_of_unmerged_histograms_equal_the_merged_ones():
    """Twelve months' histograms are passed as they are stored, a minute
    value in several pairs ([m, n] lists from JSON beside (m, n) tuples of a
    live stretch); the percentiles are those of the merged counts, as
    percentile_cont gives them over the 10 tickets."""
    months = [[[30, 2], [90, 1]], [[30, 1], [600, 1]], [(90, 3), (30, 0), (45, 2)]]
    unmerged = figures.duration_of(pair for month in months for pair in month)
    merged = figures.duration_of([(30, 3), (45, 2), (90, 4), (600, 1)])
    assert unmerged == merged
    # Sorted: 30 30 30 45 45 90 90 90 90 600. The median is between the 5th
    # and 6th (45 and 90 minutes); the 90th percentile at 8.1 of 9.
    assert merged.n == 10
    assert merged.median == round(67.5 / 60, 2)
    assert merged.p90 == round((90 + 0.1 * 510) / 60, 2)
    assert figures.duration_of([]) == figures.Duration()


def test_it_runs_a_fixed_number_of_queries(world, february, django_assert_num_queries):
    city = figures.Scope.of_unit(world.hanoi)
    with django_assert_num_queries(3):
        figures.compute(city, **FEB)
    with django_assert_num_queries(3):
        figures.grouped("category", scope=city, **FEB)
    with django_assert_num_queries(4):
        figures.monthly(city, now=NOW)


def test_it_round_trips_through_plain_values(world, february):
    f = figures.compute(figures.Scope.of_office(world.office_a), **FEB)
    data = f.as_dict()
    assert data["on_time_rate"] == 75.0 and data["ack_hours"]["median"] == 6.5
    assert figures.Figures.from_dict(data) == f
