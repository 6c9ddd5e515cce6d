"""The office inbox /staff/: what each persona sees, filters, bulk actions, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from feedback import workflow
from feedback.models import Membership, Ticket, overdue_q

S = Ticket.Status


def test_it_shows_an_officer_the_tickets_of_their_office_only(world, routed, client_as):
    ours, theirs = routed(title="Rác ở Hàng Bài"), routed(unit=world.ward_b, title="Rác Ba Đình")
    r = client_as(world.officer_a).get("/staff/")
    html = r.content.decode()
    assert r.status_code == 200
    assert ours.display_code in html and theirs.display_code not in html
    assert "Rác Ba Đình" not in html


def test_it_refuses_accounts_without_a_staff_role(world, client_as):
    assert client_as(world.outsider).get("/staff/").status_code == 403


def test_it_lets_a_user_of_several_offices_choose_the_office(world, routed, client_as):
    Membership.objects.create(user=world.officer_a, office=world.office_b)
    ours, theirs = routed(), routed(unit=world.ward_b)
    client = client_as(world.officer_a)
    first = client.get("/staff/").content.decode()
    assert ours.display_code in first and theirs.display_code not in first
    chosen = client.get(f"/staff/?office={world.office_b.pk}").content.decode()
    assert theirs.display_code in chosen and ours.display_code not in chosen
    # The choice is remembered for the next visit.
    assert theirs.display_code in client.get("/staff/").content.decode()


def test_it_searches_without_diacritics(world, routed, client_as):
    road = routed(title="Ổ gà đường Láng")
    other = routed()
    html = client_as(world.officer_a).get("/staff/", {"q": "duong lang"}).content.decode()
    assert road.display_code in html and other.display_code not in html


def test_it_renders_a_countdown_to_the_due_date(world, routed, client_as):
    ticket = routed()
    html = client_as(world.officer_a).get("/staff/").content.decode()
    assert f'data-due="{timezone.localtime(ticket.due_at).isoformat()}"' in html
    assert "Còn " in html


def test_it_serves_the_table_alone_for_live_refresh(world, routed, client_as):
    ticket = routed()
    r = client_as(world.officer_a).get("/staff/inbox/table/", {"office": world.office_a.pk})
    html = r.content.decode()
    assert r.status_code == 200 and ticket.display_code in html
    assert "<html" not in html


def test_it_gives_a_leader_a_read_only_inbox_of_the_subtree(world, routed, client_as):
    a, b = routed(), routed(unit=world.ward_b)
    html = client_as(world.leader).get("/staff/").content.decode()
    assert a.display_code in html and b.display_code in html
    assert 'name="tickets"' not in html  # no bulk selection
    r = client_as(world.leader).post(
        "/staff/inbox/bulk/",
        {"office": world.city.pk, "action": "acknowledge", "tickets": [a.code]},
    )
    assert r.status_code == 403
    a.refresh_from_db()
    assert a.status == S.ROUTED


def test_it_acknowledges_in_bulk_and_reports_each_failure(world, routed, client_as):
    fresh, done, theirs = routed(), routed(), routed(unit=world.ward_b)
    workflow.ticket_resolve(done, actor=world.officer_a, message="Xong")
    r = client_as(world.officer_a).post(
        "/staff/inbox/bulk/",
        {
            "office": world.office_a.pk,
            "action": "acknowledge",
            "tickets": [fresh.code, done.display_code, theirs.code],
        },
        follow=True,
    )
    assert r.status_code == 200
    texts = [str(m) for m in r.context["messages"]]
    assert "Đã xử lý 1 phản ánh." in texts
    assert any(done.display_code in t and "Không thể" in t for t in texts)
    assert any(theirs.code in t and "không tìm thấy" in t for t in texts)
    fresh.refresh_from_db()
    theirs.refresh_from_db()
    assert fresh.status == S.IN_PROGRESS and theirs.status == S.ROUTED


def test_it_lets_a_head_assign_in_bulk_but_not_an_officer(world, routed, client_as):
    one, two = routed(), routed()
    data = {
        "office": world.office_a.pk,
        "action": "assign",
        "assignee": world.officer_a.pk,
        "tickets": [one.code, two.code],
    }
    client_as(world.head_a).post("/staff/inbox/bulk/", data)
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {world.officer_a.pk}

    three = routed()
    data.update(assignee=world.head_a.pk, tickets=[three.code])
    r = client_as(world.officer_a).post("/staff/inbox/bulk/", data, follow=True)
    texts = [str(m) for m in r.context["messages"]]
    assert any("Chỉ lãnh đạo" in t for t in texts)
    three.refresh_from_db()
    assert three.assignee is None


def test_it_refuses_to_assign_someone_from_another_office(world, routed, client_as):
    ticket = routed()
    r = client_as(world.head_a).post(
        "/staff/inbox/bulk/",
        {
            "office": world.office_a.pk,
            "action": "assign",
            "assignee": world.officer_b.pk,
            "tickets": [ticket.code],
        },
        follow=True,
    )
    assert any("cán bộ thuộc cơ quan" in str(m) for m in r.context["messages"])
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_it_reports_an_empty_selection_or_unknown_action(world, routed, client_as):
    client = client_as(world.officer_a)
    r = client.post("/staff/inbox/bulk/", {"office": world.office_a.pk}, follow=True)
    assert any("Chưa chọn" in str(m) for m in r.context["messages"])
    r = client.post(
        "/staff/inbox/bulk/",
        {"office": world.office_a.pk, "action": "resolve", "tickets": [routed().code]},
        follow=True,
    )
    assert r.status_code == 200
    assert any("không hợp lệ" in str(m) for m in r.context["messages"])


def test_it_does_not_follow_a_foreign_next_url(world, routed, client_as):
    r = client_as(world.officer_a).post(
        "/staff/inbox/bulk/",
        {"office": world.office_a.pk, "tickets": [], "next": "https://evil.example/"},
    )
    assert r.url == "/staff/"


@pytest.mark.parametrize("role", ["officer_a", "leader"])
def test_it_renders_in_the_same_number_of_queries_for_5_and_50_tickets(
    world, routed, client_as, role
):
    client = client_as(getattr(world, role))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/staff/", {"status": "all"}).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(5):
        workflow.ticket_acknowledge(routed(), actor=world.officer_a)
    count()  # the first visit also remembers the office in the session
    small = count()
    for _ in range(45):
        workflow.ticket_acknowledge(routed(), actor=world.officer_a)
    assert count() == small


def test_it_does_not_write_the_session_on_every_visit(world, routed, client_as):
    routed()
    client = client_as(world.officer_a)
    client.get("/staff/")  # the first visit remembers the office
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/staff/").status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"]]
    assert not [w for w in writes if w.startswith(("UPDATE", "INSERT"))], writes


def test_it_reads_the_users_workplaces_once_a_request(world, routed, client_as):
    routed()
    client = client_as(world.officer_a)
    client.get("/staff/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/staff/")
    memberships = [q for q in ctx.captured_queries if 'FROM "feedback_membership"' in q["sql"]]
    # One for the roles (permissions.roles), one for the workplaces.
    assert len(memberships) == 2, [q["sql"][:120] for q in memberships]


def plan_of(queryset) -> str:
    """PostgreSQL's plan for a query, as the index would serve it: tiny test
    tables would be read whole, so sequential scans are ruled out."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_its_first_page_is_read_in_order_from_the_inbox_index(world, routed):
    from feedback import selectors

    for _ in range(3):
        routed()
    place = selectors.workplace_for(world.officer_a, None)
    page = selectors.inbox(world.officer_a, place, selectors.InboxFilters())[:25]
    plan = plan_of(page)
    assert "ticket_inbox_open" in plan, plan
    assert "Sort" not in plan, plan


def test_the_inbox_index_covers_exactly_the_open_statuses():
    index = next(i for i in Ticket._meta.indexes if i.name == "ticket_inbox_open")
    (lookup, statuses) = index.condition.children[0]
    assert lookup == "status__in"
    assert sorted(statuses) == sorted(Ticket.OPEN_STATUSES)


def test_the_running_clock_index_is_exactly_clock_running_q():
    from feedback.models import clock_running_q

    index = next(i for i in Ticket._meta.indexes if i.name == "ticket_running_due")

    def plain(q):
        return {k: sorted(v) if isinstance(v, list | tuple) else v for k, v in q.children}

    assert plain(index.condition) == plain(clock_running_q())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_the_dashboards_overdue_list_is_read_in_order_from_its_index(world, routed):
    from feedback import selectors_dashboard as reads

    for _ in range(3):
        routed()
    watch = reads.Watch(unit=world.hanoi)
    qs = (
        Ticket.objects.filter(watch.scope.tickets())
        .filter(overdue_q(timezone.now()))
        .order_by("due_at", "pk")[:10]
    )
    plan = plan_of(qs)
    assert "ticket_running_due" in plan, plan
    assert "Sort" not in plan, plan


def test_the_inbox_order_puts_first_exactly_the_statuses_awaiting_acknowledgement():
    from feedback.models import inbox_order
    from feedback.workflow import STAFF_ACTION_FROM

    first = inbox_order()[0]
    (lookup, statuses) = first.cases[0].condition.children[0]
    assert lookup == "status__in"
    assert sorted(statuses) == sorted(Ticket.AWAITING_ACK_STATUSES)
    assert STAFF_ACTION_FROM["acknowledge"] == Ticket.AWAITING_ACK_STATUSES


def test_it_shows_tabs_with_counts_and_marks_the_current_one(world, routed, client_as):
    workflow.ticket_acknowledge(routed(), actor=world.officer_a)
    routed()
    routed()
    client = client_as(world.officer_a)
    html = client.get("/staff/", {"status": "new"}).content.decode()
    start = html.index('class="inbox-tabs"')
    tabs = html[start : html.index("</nav>", start)]
    office = world.office_a.pk
    assert (
        f'href="/staff/?office={office}&amp;status=new" data-tab="new" aria-current="page">'
        'Mới, chưa thụ lý <span class="tab-count">2</span>'
    ) in tabs
    assert 'data-tab="mine">Của tôi <span class="tab-count">1</span>' in tabs
    assert 'data-tab="open">Tất cả đang mở <span class="tab-count">3</span>' in tabs
    assert tabs.count("aria-current") == 1
    # The live refresh brings the counts too.
    fragment = client.get("/staff/inbox/table/", {"status": "new"}).content.decode()
    assert 'data-tab="new" aria-current="page">' in fragment


def test_a_subtree_inbox_is_paged_ids_first_in_the_same_order(world, routed, client_as):
    """A leader's inbox (the city's subtree) reads each page in two steps;
    the pages are the plain list's slices, in order, with nothing lost."""
    from feedback import selectors

    for n in range(7):
        ticket = routed(unit=(world.ward_a, world.ward_b, world.remote)[n % 3])
        if n % 3 == 0 and n % 2 == 0:
            workflow.ticket_acknowledge(ticket, actor=world.head_a)
    place = selectors.workplace_for(world.leader, None)
    assert place.read_only
    tickets = selectors.inbox(world.leader, place, selectors.InboxFilters(status="all"))
    expected = list(tickets)
    source = selectors.inbox_page_source(tickets, place, per_page=3)
    assert isinstance(source, selectors.IdsFirst)
    assert source.count() == len(expected) == 7
    assert source[0:3] + source[3:6] + source[6:9] == expected
    with pytest.raises(TypeError):
        source[0]
    # The page asked for: its ids come with the count, in one statement.
    second = selectors.inbox_page_source(tickets, place, page="2", per_page=3)
    with CaptureQueriesContext(connection) as ctx:
        assert second.count() == 7
    assert len(ctx.captured_queries) == 1
    assert second[3:6] == expected[3:6]
    # A page past the end (or not a number) still counts everything.
    assert selectors.inbox_page_source(tickets, place, page="99", per_page=3).count() == 7
    assert selectors.inbox_page_source(tickets, place, page="x", per_page=3)[0:3] == expected[:3]
    # An office's own inbox is read straight from its index.
    office = selectors.workplace_for(world.officer_a, None)
    plain = selectors.inbox(world.officer_a, office, selectors.InboxFilters())
    assert selectors.inbox_page_source(plain, office, per_page=25) is plain

    # Through the page, 2 to a page: the second page holds the 3rd and 4th.
    from feedback import views_staff

    views_staff.PAGE_SIZE, saved = 2, views_staff.PAGE_SIZE
    try:
        html = client_as(world.leader).get("/staff/", {"status": "all", "page": 2})
    finally:
        views_staff.PAGE_SIZE = saved
    body = html.content.decode()
    shown = [t for t in expected if t.display_code in body]
    assert shown == expected[2:4]


def test_the_covering_indexes_name_the_open_statuses_and_the_on_time_flag():
    for name in ("ticket_inbox_open", "ticket_open_unit"):
        index = next(i for i in Ticket._meta.indexes if i.name == name)
        (lookup, statuses) = index.condition.children[0]
        assert lookup == "status__in"
        assert sorted(statuses) == sorted(Ticket.OPEN_STATUSES)
    from feedback.models import TicketEvent

    index = next(i for i in TicketEvent._meta.indexes if i.name == "event_resolved_on_time")
    assert dict(index.condition.children) == {"kind": "resolved", "data__on_time": True}


def test_a_unit_filter_narrows_a_subtree_inbox_and_never_widens_it(world, routed):
    from feedback import selectors
    from feedback.models import AdministrativeUnit as U

    in_a, in_b = routed(), routed(unit=world.ward_b)
    elsewhere = U.objects.create(
        code="31", name="Thành phố Hải Phòng", kind=U.Kind.CITY, parent=world.vn
    )
    place = selectors.workplace_for(world.leader, None)

    def listed(unit):
        filters = selectors.InboxFilters(status="all", unit=unit.pk)
        return set(selectors.inbox(world.leader, place, filters))

    assert listed(world.ward_a) == {in_a}
    assert listed(world.hanoi) == {in_a, in_b}
    assert listed(world.vn) == {in_a, in_b}  # the country: still only the leader's city
    assert listed(elsewhere) == set()
    # An office's inbox filtered by a unit it does not serve is empty too.
    office = selectors.workplace_for(world.officer_a, None)
    filters = selectors.InboxFilters(status="all", unit=world.ward_b.pk)
    assert list(selectors.inbox(world.officer_a, office, filters)) == []


def test_the_countdown_tells_the_working_hours_left_in_the_users_language(
    world, routed, client_as, time_machine
):
    """The tooltip of the countdown (inbox row and ticket page): working
    hours left, as deadlines counts them, with the language's decimal mark.
    Filed on Monday 2 March 2026 at 09:00 (Hà Nội), seen at 10:00."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from feedback import deadlines

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=hanoi), tick=False)
    ticket = routed()
    time_machine.move_to(datetime(2026, 3, 2, 10, 0, tzinfo=hanoi), tick=False)
    left = round(deadlines.working_duration(timezone.now(), ticket.due_at), 1)
    assert left > 1
    client = client_as(world.officer_a)
    vi_number = f"{left:.1f}".replace(".", ",")
    inbox = client.get("/staff/").content.decode()
    page = client.get(f"/staff/tickets/{ticket.code}/").content.decode()
    for html in (inbox, page):
        assert f'title="{vi_number} giờ làm việc còn lại"' in html
    english = client.get("/staff/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'title="{left:.1f} working hours left"' in english
