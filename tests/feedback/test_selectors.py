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
    assert pick(status="new") == {unassigned.code, paper.code}  # not yet acknowledged


def test_it_puts_new_work_first_by_its_receipt_deadline_then_the_rest_by_due_date(world, routed):
    now = timezone.now()
    working, paused, late_ack, early_ack, reopened = (routed() for _ in range(5))
    for t in (working, paused):
        workflow.ticket_acknowledge(t, actor=world.officer_a)
    Ticket.objects.filter(pk=paused.pk).update(status=S.AWAITING_CITIZEN, due_at=None)
    Ticket.objects.filter(pk=reopened.pk).update(status=S.REOPENED)
    # The resolve deadline of new work does not order it; its receipt deadline does.
    due = {
        working: (now - timedelta(days=9), now + timedelta(hours=1)),
        late_ack: (now + timedelta(hours=5), now + timedelta(minutes=1)),
        early_ack: (now + timedelta(hours=2), now + timedelta(days=30)),
        reopened: (now + timedelta(hours=3), now - timedelta(days=1)),
    }
    for t, (ack, resolve) in due.items():
        Ticket.objects.filter(pk=t.pk).update(ack_due_at=ack, due_at=resolve)
    place = selectors.workplace_for(world.officer_a, None)
    ordered = [t.code for t in selectors.inbox(world.officer_a, place, InboxFilters(), now=now)]
    assert ordered == [early_ack.code, reopened.code, late_ack.code, working.code, paused.code]


def test_it_counts_each_tab_in_one_query_as_the_tab_lists_it(world, routed):
    now = timezone.now()
    mine, waiting, overdue, soon, new = (routed() for _ in range(5))
    for t in (mine, waiting):
        workflow.ticket_acknowledge(t, actor=world.officer_a)
    for t in (overdue, soon):
        workflow.ticket_acknowledge(t, actor=world.head_a)
    Ticket.objects.filter(pk=waiting.pk).update(status=S.AWAITING_CITIZEN, paused_since=now)
    Ticket.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=1))
    Ticket.objects.filter(pk=soon.pk).update(due_at=now + timedelta(hours=2))
    routed(unit=world.ward_b)  # another office's
    place = selectors.workplace_for(world.officer_a, None)
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.inbox_counts(world.officer_a, place, now=now)
    assert len(ctx.captured_queries) == 1
    assert counts == {"open": 5, "new": 1, "overdue": 1, "soon": 1, "mine": 2, "waiting": 1}
    for tab, values in selectors.INBOX_TABS.items():
        filters = InboxFilters(**values)
        assert selectors.inbox_tab(filters) == tab
        listed = selectors.inbox(world.officer_a, place, filters, now=now)
        assert listed.count() == counts[tab], tab
    assert codes(selectors.inbox(world.officer_a, place, InboxFilters(status="new"))) == {new.code}
    assert selectors.inbox_tab(InboxFilters()) == "open"
    assert selectors.inbox_tab(InboxFilters(status="new", channel="web")) == ""


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
