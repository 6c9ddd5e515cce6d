"""The inbox selector: filters, search, order, scope and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback import selectors, workflow
from feedback.models import Ticket
from feedback.selectors import InboxFilters, Workplace

S = Ticket.Status


def codes(qs) -> set[str]:
    return {t.code for t in qs}


def test_it_shows_an_office_only_its_own_open_tickets(world, routed):
    ours, theirs, done = routed(), routed(unit=world.ward_b), routed()
    workflow.ticket_resolve(done, actor=world.officer_a, message="Xong")
    place = selectors.workplace_for(world.officer_a, None)
    assert place.office == world.office_a and not place.read_only
    assert codes(selectors.inbox(world.officer_a, place, InboxFilters())) == {ours.code}
    everything = selectors.inbox(world.officer_a, place, InboxFilters(status="all"))
    assert codes(everything) == {ours.code, done.code}
    assert theirs.code not in codes(everything)


def test_it_gives_nothing_when_the_workplace_is_not_the_users(world, routed):
    routed(unit=world.ward_b)
    forged = Workplace(world.office_b, "work")
    assert list(selectors.inbox(world.officer_a, forged, InboxFilters(status="all"))) == []


def test_it_lets_a_member_of_several_offices_choose_defaulting_to_the_first(world):
    from feedback.models import Membership

    Membership.objects.create(user=world.officer_a, office=world.office_b)
    places = selectors.workplaces(world.officer_a)
    assert [p.office for p in places] == [world.office_a, world.office_b]
    assert selectors.workplace_for(world.officer_a, None).office == world.office_a
    assert selectors.workplace_for(world.officer_a, world.office_b.pk).office == world.office_b
    assert selectors.workplace_for(world.officer_a, world.water.pk).office == world.office_a
    assert selectors.workplace_for(world.outsider, None) is None


def test_it_gives_a_leader_a_read_only_view_of_the_subtree(world, routed):
    a, b = routed(), routed(unit=world.ward_b)
    place = selectors.workplace_for(world.leader, None)
    assert place.read_only and place.office == world.city
    assert codes(selectors.inbox(world.leader, place, InboxFilters())) == {a.code, b.code}


def test_it_searches_without_diacritics_and_by_code_with_or_without_dash(world, routed):
    road = routed(title="Ổ gà trên đường Láng", description="Mặt đường hư hỏng nặng.")
    routed()
    place = selectors.workplace_for(world.officer_a, None)

    def search(q):
        return codes(selectors.inbox(world.officer_a, place, InboxFilters(q=q)))

    assert search("duong lang") == {road.code}
    assert search("ĐƯỜNG") == {road.code}
    assert search(road.display_code) == {road.code}
    assert search(road.code.lower()) == {road.code}
    assert search("khong co gi") == set()


def test_it_filters_by_category_channel_assignee_and_due(world, routed):
    now = timezone.now()
    mine = routed()
    workflow.ticket_acknowledge(mine, actor=world.officer_a)
    unassigned = routed(category=world.complaints, kind="complaint")
    paper = routed(channel="paper", entered_by=world.officer_a, consent=False)
    Ticket.objects.filter(pk=unassigned.pk).update(due_at=now - timedelta(hours=1))
    Ticket.objects.filter(pk=paper.pk).update(due_at=now + timedelta(hours=2))
    Ticket.objects.filter(pk=mine.pk).update(due_at=now + timedelta(days=10))
    place = selectors.workplace_for(world.officer_a, None)

    def pick(**kw):
        return codes(selectors.inbox(world.officer_a, place, InboxFilters(**kw), now=now))

    assert pick(assignee="mine") == {mine.code}
    assert pick(assignee="unassigned") == {unassigned.code, paper.code}
    assert pick(assignee=str(world.officer_a.pk)) == {mine.code}
    assert pick(category=world.environment.pk) == {mine.code, paper.code}  # subtree
    assert pick(channel="paper") == {paper.code}
    assert pick(due="overdue") == {unassigned.code}
    assert pick(due="soon") == {paper.code}
    ordered = [t.code for t in selectors.inbox(world.officer_a, place, InboxFilters(), now=now)]
    assert ordered == [unassigned.code, paper.code, mine.code]  # soonest due first


def test_it_ignores_nonsense_in_the_query_string():
    f = InboxFilters.from_query(
        {"status": "evil", "category": "x", "channel": "fax", "assignee": "1 or 1", "due": "?"}
    )
    assert (f.status, f.category, f.channel, f.assignee, f.due) == ("open", None, "", "", "")


@pytest.mark.parametrize("role", ["officer_a", "leader"])
def test_it_answers_in_the_same_number_of_queries_for_5_and_50_tickets(world, routed, role):
    from django.core.paginator import Paginator

    user = getattr(world, role)

    def run() -> int:
        user._feedback_roles = user._feedback_workplaces = None  # a fresh request
        with CaptureQueriesContext(connection) as ctx:
            place = selectors.workplace_for(user, None)
            page = Paginator(selectors.inbox(user, place, InboxFilters()), 100).get_page(1)
            for t in page.object_list:
                seen = (t.category.name, t.unit.name, t.office.name, t.assignee)
                assert seen[0]
        return len(ctx.captured_queries)

    for _ in range(5):
        workflow.ticket_acknowledge(routed(), actor=world.officer_a)  # with an assignee
    small = run()
    for _ in range(45):
        workflow.ticket_acknowledge(routed(), actor=world.officer_a)
    assert run() == small
