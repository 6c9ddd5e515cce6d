"""scores.office_rankings on tickets driven through the workflow with known
outcomes (backdated with at=), and the period, band and score rules."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from feedback import scores, workflow
from feedback.models import Category, Membership, Office, RoutingRule

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 20, 10, 0, tzinfo=HANOI)
MARCH = (datetime(2026, 3, 1, tzinfo=HANOI), datetime(2026, 4, 1, tzinfo=HANOI))
FEBRUARY = (datetime(2026, 2, 1, tzinfo=HANOI), datetime(2026, 3, 1, tzinfo=HANOI))


def at(day: int, hour: int = 9, month: int = 3, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def _small_sample(settings):
    settings.FEEDBACK_MIN_SAMPLE = 3
    settings.FEEDBACK_SCORE_WEIGHTS = {"on_time": 0.5, "satisfaction": 0.4, "reopen": 0.1}


@pytest.fixture
def department(world):
    """A city department with its own officer and category (khối sở, ngành)."""
    office = Office.objects.create(
        code="so-xay-dung",
        name="Sở Xây dựng",
        kind=Office.Kind.DEPARTMENT,
        peer_group=Office.PeerGroup.DEPARTMENTS,
        unit=world.hanoi,
        parent=world.city,
    )
    roads = Category.objects.create(code="duong-hu-hong", name="Đường hư hỏng")
    RoutingRule.objects.create(category=roads, office=office)
    officer = get_user_model().objects.create_user(username="officer_xd", password="x")
    Membership.objects.create(user=officer, office=office, role=Membership.Role.OFFICER)
    return office, roads, officer


@pytest.fixture
def handle(world, submit):
    """File a report at `received` and route it; then resolve it on time
    (a day later), late (a day after its due date) or not at all. Returns
    (ticket, secret)."""

    def _handle(received, outcome=None, *, officer=None, **overrides):
        ticket, secret = submit(at=received, **overrides)
        ticket = workflow.ticket_route(ticket, at=received)
        officer = officer or world.officer_a
        if outcome == "on_time":
            when = received + timedelta(days=1)
            assert when <= ticket.due_at
        elif outcome == "late":
            when = ticket.due_at + timedelta(days=1)
        elif outcome is None:
            return ticket, secret
        elif isinstance(outcome, datetime):
            when = outcome
        workflow.ticket_resolve(ticket, actor=officer, message="Đã xử lý xong.", at=when)
        ticket.refresh_from_db()
        return ticket, secret

    return _handle


def by_office(rows):
    return {r.office_id: r for r in rows}


def test_it_computes_exact_rates_with_overdue_open_items_counted_late(world, handle):
    handle(at(2), "on_time")
    handle(at(3), "on_time")
    rated_5, secret_5 = handle(at(4), "on_time")
    late, secret_late = handle(at(2, month=2), at(10))  # due mid-February, resolved 10 March
    assert late.resolved_at > late.due_at
    handle(at(2, month=2))  # never resolved: overdue since February
    workflow.ticket_rate(rated_5, secret=secret_5, overall=5, at=at(6))
    workflow.ticket_rate(late, secret=secret_late, overall=2, at=at(11))
    workflow.ticket_reopen(late, secret=secret_late, reason="Vẫn còn rác.", at=at(12))

    row = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))[
        world.office_a.pk
    ]
    assert (row.received, row.resolved, row.resolved_on_time, row.overdue_now) == (3, 4, 3, 1)
    assert row.on_time_rate == 60.0  # 3 on time / (4 resolved + 1 overdue)
    assert (row.ratings, row.satisfied, row.satisfaction_rate, row.mean_rating) == (2, 1, 50.0, 3.5)
    # QĐ 766: (5 items - 1 rated not satisfied - 1 overdue) / 5
    assert (row.not_satisfied, row.satisfaction_766) == (1, 60.0)
    assert (row.reopened, row.reopen_rate) == (1, 25.0)
    # 0.5 x 60 + 0.4 x 50 + 0.1 x (100 - 25)
    assert row.score == 57.5
    assert row.ranked and row.rank == 1
    assert row.band is None  # two ratings are too few to band (minimum 3 here)


def test_it_does_not_count_a_paused_or_not_yet_due_ticket_as_overdue(world, handle):
    waiting, _ = handle(at(2, month=2))
    workflow.ticket_acknowledge(waiting, actor=world.officer_a, at=at(3, month=2))
    workflow.ticket_request_info(
        waiting, actor=world.officer_a, message="Xin địa chỉ cụ thể.", at=at(4, month=2)
    )
    handle(at(18))  # due in April

    row = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))[
        world.office_a.pk
    ]
    assert row.overdue_now == 0
    assert row.on_time_rate is None and row.score is None and not row.ranked


def test_it_counts_as_overdue_in_a_past_period_only_what_was_due_before_it_ended(world, handle):
    early, _ = handle(at(2, month=2))  # due mid-February, still open
    late_due, _ = handle(at(25, month=2))  # due in March, still open
    assert early.due_at < FEBRUARY[1] <= late_due.due_at < NOW

    feb = by_office(scores.office_rankings(start=FEBRUARY[0], end=FEBRUARY[1], now=NOW))
    mar = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))
    assert feb[world.office_a.pk].overdue_now == 1
    assert mar[world.office_a.pk].overdue_now == 2


def test_it_shows_small_samples_without_ranking_them(world, handle):
    for day in (2, 3, 4):
        handle(at(day), "on_time")
    for day in (2, 3):
        handle(at(day), "on_time", unit=world.ward_b, officer=world.officer_b)

    rows = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))
    a, b = rows[world.office_a.pk], rows[world.office_b.pk]
    assert a.ranked and a.rank == 1
    assert (b.resolved, b.on_time_rate, b.score) == (2, 100.0, 100.0)
    assert not b.ranked and b.rank is None and b.band is None


def test_it_bands_satisfaction_not_the_score_and_only_with_enough_ratings(world, handle):
    """Hà Nội's reports band the satisfaction rate: over 90 % high, under 70 % low."""
    pleased = [handle(at(day), "late") for day in (2, 3, 4)]
    for (ticket, secret), stars in zip(pleased, (5, 5, 4), strict=True):
        workflow.ticket_rate(ticket, secret=secret, overall=stars, at=ticket.resolved_at)
    unhappy = [
        handle(at(day), "on_time", unit=world.ward_b, officer=world.officer_b) for day in (2, 3)
    ]
    for (ticket, secret), stars in zip(unhappy, (1, 2), strict=True):
        workflow.ticket_rate(ticket, secret=secret, overall=stars, at=ticket.resolved_at)

    rows = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))
    a, b = rows[world.office_a.pk], rows[world.office_b.pk]
    # A resolved everything late: a low score, yet satisfied people.
    assert (a.on_time_rate, a.satisfaction_rate, a.band) == (0.0, 100.0, scores.HIGH)
    assert a.score == 50.0  # 0.5 x 0 + 0.4 x 100 + 0.1 x (100 - 0)
    # B: 0 % satisfied, but two ratings are not enough to band.
    assert (b.satisfaction_rate, b.ratings, b.band) == (0.0, 2, None)
    # QĐ 766 counts unrated items satisfied: B had 2 items, both rated not satisfied.
    assert (a.satisfaction_766, b.satisfaction_766) == (100.0, 0.0)


def test_the_766_satisfaction_counts_unrated_items_satisfied_and_overdue_ones_not():
    assert scores.satisfaction_766(total=10, not_satisfied=2, overdue=1) == 70
    assert scores.satisfaction_766(total=3, not_satisfied=3, overdue=3) == 0  # never below 0
    assert scores.satisfaction_766(total=0, not_satisfied=0, overdue=0) is None


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (12.25, 1, 12.3),  # round() gives 12.2: the float is just below 12.25
        (0.125, 2, 0.13),  # round() gives 0.12: halves to even
        (2.5, 0, 3.0),
        (57.45, 1, 57.5),
        (-1.25, 1, -1.3),  # away from zero, as a person writes it
        (Decimal(100) / Decimal(8), 1, 12.5),
        (Decimal(100) / Decimal(3), 1, 33.3),
        (Decimal("66.65"), 1, 66.7),
        (None, 1, None),
    ],
)
def test_it_rounds_halves_up(value, places, expected):
    assert scores.round_half_up(value, places) == expected


def test_a_rate_ending_in_a_half_is_rounded_up_in_the_rankings(world, handle):
    """13 on time of 16 is 81.25 %: shown 81.3 (round() would show 81.2)."""
    for day in range(2, 15):
        handle(at(day), "on_time")
    for day in (15, 16, 17):
        handle(at(day, month=2), at(day))
    row = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))[
        world.office_a.pk
    ]
    assert (row.resolved, row.resolved_on_time) == (16, 13)
    assert row.on_time_rate == 81.3
    # (0.5 x 81.25 + 0.1 x 100) / 0.6 = 84.375, from the unrounded rate
    assert row.score == 84.4


def test_an_office_with_three_perfect_ratings_does_not_top_the_ranking(world, handle, settings):
    settings.FEEDBACK_MIN_SAMPLE = 10
    # Office B: three tickets, each on time and rated 5: a perfect 100.
    for day in (2, 3, 4):
        ticket, secret = handle(at(day), "on_time", unit=world.ward_b, officer=world.officer_b)
        workflow.ticket_rate(ticket, secret=secret, overall=5, at=at(day + 2))
    # Office A: ten tickets, eight on time, two late (due 2 weeks after receipt).
    for day in range(2, 12):
        handle(at(day, month=2), "on_time" if day < 10 else "late")

    ordered = [
        r
        for r in scores.office_rankings(start=FEBRUARY[0], end=MARCH[1], now=NOW)
        if r.peer_group == Office.PeerGroup.WARDS
    ]
    a, b = ordered
    # No ratings: (0.5 x 80 on time + 0.1 x (100 - 0 reopened)) / 0.6
    assert (a.office_id, a.rank, a.on_time_rate, a.score) == (world.office_a.pk, 1, 80.0, 83.3)
    assert (b.office_id, b.ratings, b.score) == (world.office_b.pk, 3, 100.0)
    assert not b.ranked and b.rank is None and b.band is None


def test_it_ranks_each_peer_group_on_its_own(world, handle, department):
    office, roads, officer = department
    for day in (2, 3, 4):
        handle(at(day), "late")  # ward A: 0% on time
        handle(at(day), "on_time", unit=world.ward_b, officer=world.officer_b)
        handle(at(day), "on_time", category=roads, officer=officer)

    rows = scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW)
    ranked = [(r.peer_group, r.rank, r.office_id) for r in rows if r.ranked]
    assert ranked == [
        ("departments", 1, office.pk),
        ("wards", 1, world.office_b.pk),
        ("wards", 2, world.office_a.pk),
    ]
    only_departments = scores.office_rankings(
        start=MARCH[0], end=MARCH[1], now=NOW, peer_group=Office.PeerGroup.DEPARTMENTS
    )
    assert [r.office_id for r in only_departments] == [office.pk]


def test_it_gives_equal_scores_the_same_rank(world, handle, department):
    office_c = Office.objects.create(
        code="ubnd-ba-vi",
        name="UBND Xã Ba Vì",
        kind=Office.Kind.COMMITTEE,
        peer_group=Office.PeerGroup.WARDS,
        unit=world.remote,
        parent=world.city,
    )
    officer_c = get_user_model().objects.create_user(username="officer_c", password="x")
    Membership.objects.create(user=officer_c, office=office_c, role=Membership.Role.OFFICER)
    for day in (2, 3, 4):
        handle(at(day), "on_time")
        handle(at(day), "on_time", unit=world.ward_b, officer=world.officer_b)
        handle(at(day), "late", unit=world.remote, officer=officer_c)

    rows = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))
    assert rows[world.office_a.pk].rank == rows[world.office_b.pk].rank == 1
    assert rows[office_c.pk].rank == 3


def test_it_splits_periods_at_midnight_local_time(world, handle):
    # 23:30 on 28 February in Hà Nội is 16:30 UTC: February.
    handle(at(10, month=2), at(28, 23, month=2, minute=30))
    # 00:30 on 1 March in Hà Nội is still 28 February in UTC: March.
    handle(at(11, month=2), at(1, 0, minute=30))

    feb = by_office(scores.office_rankings(start=FEBRUARY[0], end=FEBRUARY[1], now=NOW))
    mar = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))
    assert feb[world.office_a.pk].resolved == 1
    assert mar[world.office_a.pk].resolved == 1


def test_it_names_the_periods_in_local_calendar_months():
    assert scores.period_bounds("this_month", now=NOW) == MARCH
    assert scores.period_bounds("last_month", now=NOW) == FEBRUARY
    assert scores.period_bounds("3_months", now=NOW) == (
        datetime(2026, 1, 1, tzinfo=HANOI),
        MARCH[1],
    )
    assert scores.period_bounds("12_months", now=NOW) == (
        datetime(2025, 4, 1, tzinfo=HANOI),
        MARCH[1],
    )
    # 31 Dec 20:00 UTC is already 1 January in Hà Nội.
    new_year = datetime(2026, 12, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert scores.period_bounds("this_month", now=new_year)[0] == datetime(2027, 1, 1, tzinfo=HANOI)
    with pytest.raises(ValueError):
        scores.period_bounds("forever", now=NOW)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(100, "high"), (90.1, "high"), (90, "middle"), (70, "middle"), (69.9, "low"), (0, "low")],
)
def test_it_bands_a_satisfaction_rate_as_the_citys_reports_do(rate, expected):
    """Over 90 % high, under 70 % low."""
    assert scores.band(rate) == expected


def test_it_leaves_no_band_without_a_score():
    assert scores.band(None) is None


def test_it_rescales_the_weights_when_nothing_is_rated():
    weights = {"on_time": 0.5, "satisfaction": 0.4, "reopen": 0.1}
    # Without ratings: (0.5 x 80 + 0.1 x 100) / 0.6
    assert float(scores.service_score(80, None, 0, weights)) == pytest.approx(83.333, abs=0.001)
    assert scores.service_score(80, 50, 10, weights) == 40 + 20 + 9
    assert scores.service_score(None, 100, 0, weights) is None
    assert scores.service_score(80, 50, 10, {"on_time": 1}) == 80


def test_it_reads_the_published_weights_from_settings(world, handle, settings):
    settings.FEEDBACK_SCORE_WEIGHTS = {"on_time": 1.0}
    for day in (2, 3):
        handle(at(day), "on_time")
    handle(at(4), "late")
    row = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))[
        world.office_a.pk
    ]
    assert row.score == row.on_time_rate == 66.7


def test_it_leaves_out_inactive_offices(world, handle):
    Office.objects.filter(pk=world.office_b.pk).update(is_active=False)
    rows = by_office(scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW))
    assert world.office_b.pk not in rows and world.office_a.pk in rows


def test_it_runs_a_fixed_number_of_queries_however_many_offices(
    world, handle, django_assert_num_queries
):
    handle(at(2), "on_time")
    # The offices, the month's summaries (none: computed, three).
    with django_assert_num_queries(5):
        few = scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW)
    for i in range(30):
        unit = type(world.ward_a).objects.create(
            code=f"9{i:04d}", name=f"Phường {i}", kind="ward", parent=world.hanoi
        )
        Office.objects.create(
            code=f"ubnd-{i}",
            name=f"UBND Phường {i}",
            kind=Office.Kind.COMMITTEE,
            peer_group=Office.PeerGroup.WARDS,
            unit=unit,
        )
    with django_assert_num_queries(5):
        many = scores.office_rankings(start=MARCH[0], end=MARCH[1], now=NOW)
    assert len(many) == len(few) + 30
