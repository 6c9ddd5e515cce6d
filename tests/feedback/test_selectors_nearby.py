"""selectors.nearby_open_reports: same category, same ward or within 250 m."""

from __future__ import annotations

from feedback import selectors_public as selectors
from feedback import workflow

LAKE = (21.028500, 105.852200)


def test_it_finds_open_public_reports_of_the_category_in_the_same_ward(submit, world):
    ticket, _ = submit()
    other_cat, _ = submit(category=world.environment)
    found = selectors.nearby_open_reports(category=world.waste, unit=world.ward_a)
    assert [n.ticket.pk for n in found] == [ticket.pk]
    assert other_cat.pk not in [n.ticket.pk for n in found]


def test_it_finds_a_pinned_report_across_the_ward_border_within_250_m(submit, world):
    close, _ = submit(unit=world.ward_b, latitude=LAKE[0] + 0.0015, longitude=LAKE[1])  # ~167 m
    far, _ = submit(unit=world.ward_b, latitude=LAKE[0] + 0.004, longitude=LAKE[1])  # ~445 m
    found = selectors.nearby_open_reports(
        category=world.waste, unit=world.ward_a, latitude=LAKE[0], longitude=LAKE[1]
    )
    assert [n.ticket.pk for n in found] == [close.pk]
    assert 150 < found[0].distance_m < 185
    assert far.pk not in [n.ticket.pk for n in found]


def test_it_leaves_out_closed_and_private_reports(submit, world):
    rejected, _ = submit()
    workflow.ticket_route(rejected)
    workflow.ticket_reject(rejected, actor=world.officer_a, reason="Spam")
    private, _ = submit(is_public=False)
    assert selectors.nearby_open_reports(category=world.waste, unit=world.ward_a) == []


def test_haversine_measures_a_known_distance():
    # One thousandth of a degree of latitude is about 111 m.
    assert 110 < selectors.haversine_m(21.0, 105.0, 21.001, 105.0) < 112
