"""The leaders' dashboard /staff/dashboard/ and the inbox behind its figures."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from feedback import figures, selectors, workflow
from tests.conftest import PASSWORD
from tests.feedback.february import FEB, NOW

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hrefs(response) -> dict[str, str]:
    """Each figure card's link, by its id."""
    html = response.content.decode()
    return {
        m.group(1): unescape(m.group(2))
        for m in re.finditer(r'id="fig-(\w+)">\s*<a class="figure" href="([^"]+)"', html)
    }


def codes(response) -> set[str]:
    return {t.code for t, _due in response.context["rows"]}


@pytest.mark.parametrize(
    ("persona", "lands_on"),
    [("leader", "/staff/dashboard/"), ("head_a", "/staff/dashboard/"), ("officer_a", "/staff/")],
)
def test_it_lands_leaders_and_heads_on_the_dashboard_and_officers_on_the_inbox(
    world, client, persona, lands_on
):
    r = client.post("/staff/login/", {"username": persona, "password": PASSWORD}, follow=True)
    assert r.redirect_chain[-1][0] == lands_on and r.status_code == 200


def test_it_is_for_leaders_heads_and_administrators_only(world, client_as):
    for persona in ("officer_a", "officer_b", "outsider"):
        assert client_as(getattr(world, persona)).get("/staff/dashboard/").status_code == 403
    assert client_as(None).get("/staff/dashboard/").status_code == 302
    for persona in ("leader", "head_a", "admin"):
        assert client_as(getattr(world, persona)).get("/staff/dashboard/").status_code == 200


def test_a_head_sees_their_office_and_its_officers_work(world, routed, client_as):
    mine = routed()
    workflow.ticket_acknowledge(mine, actor=world.officer_a)
    routed()  # unassigned
    routed(unit=world.ward_b)  # office B's
    r = client_as(world.head_a).get("/staff/dashboard/")
    assert r.context["watch"].office == world.office_a
    assert r.context["fig"].received == 2 and r.context["fig"].backlog_now == 2
    work = {w["name"]: w["open"] for w in r.context["workload"]}
    assert work == {"officer_a": 1, "Chưa phân công": 1}
    # Another office or a unit is not theirs: a message, and their own office.
    for scope in (f"office:{world.office_b.pk}", f"unit:{world.hanoi.pk}", "nonsense"):
        r = client_as(world.head_a).get("/staff/dashboard/", {"scope": scope})
        assert r.context["watch"].office == world.office_a
        assert "Không có phạm vi này" in r.content.decode()


def test_a_leader_watches_the_city_a_ward_or_an_office(world, routed, client_as):
    routed()
    routed(unit=world.ward_b)
    client = client_as(world.leader)
    r = client.get("/staff/dashboard/")
    assert r.context["watch"].unit == world.hanoi and r.context["fig"].received == 2
    assert r.context["workload"] is None  # not a head
    r = client.get("/staff/dashboard/", {"scope": f"unit:{world.ward_b.pk}"})
    assert r.context["fig"].received == 1
    r = client.get("/staff/dashboard/", {"scope": f"office:{world.office_a.pk}"})
    assert r.context["fig"].received == 1


def test_every_figure_links_to_exactly_the_tickets_it_counts(world, february, client_as, settings):
    """February as worked out in test_figures, read through the pages: each
    card's count and the inbox rows behind its link are the same tickets."""
    client = client_as(world.leader)
    r = client.get(
        "/staff/dashboard/",
        {"scope": f"office:{world.office_a.pk}", "from": "2026-02-01", "to": "2026-02-28"},
    )
    fig = r.context["fig"]
    assert (fig.received, fig.resolved, fig.reopened, fig.ratings) == (3, 3, 1, 2)
    links = hrefs(r)
    expected = {
        "received": {february[k].code for k in ("tet", "reopened", "overdue")},
        "resolved_on_time": {february[k].code for k in ("tet", "reopened")},
        "reopened": {february["reopened"].code},
        "satisfied": {february["tet"].code},
        # Overdue at the period's end: "march" was not yet received.
        "overdue_now": {february["overdue"].code},
        "backlog_now": {february[k].code for k in ("overdue", "march")},
    }
    for figure, tickets in expected.items():
        page = client.get(links[figure])
        assert page.status_code == 200, figure
        assert codes(page) == tickets, figure
        assert "figure-filter" in page.content.decode()


def test_an_administrator_follows_a_unit_figure_into_a_read_only_inbox(world, routed, client_as):
    a, b = routed(), routed(unit=world.ward_b)
    client = client_as(world.admin)
    r = client.get("/staff/dashboard/", {"scope": f"unit:{world.hanoi.pk}"})
    page = client.get(hrefs(r)["received"])
    assert codes(page) == {a.code, b.code}
    assert page.context["place"].read_only


def test_a_bad_period_gets_a_message_and_this_month(world, client_as):
    client = client_as(world.leader)
    for query in (
        {"from": "2026-03-01", "to": "2026-02-01"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "0001-01-01", "to": "9999-12-31"},
        {"from": "2020-01-01", "to": "2026-01-01"},
        {"from": "2026-01-01"},
    ):
        r = client.get("/staff/dashboard/", query)
        assert r.status_code == 200
        assert r.context["period"] == "this_month"
        assert "Khoảng thời gian không hợp lệ" in r.content.decode()
    r = client.get("/staff/dashboard/", {"period": "forever"})
    assert r.context["period"] == "this_month"


def test_the_inbox_ignores_nonsense_figure_parameters(world, routed, client_as):
    ticket = routed()
    r = client_as(world.head_a).get(
        "/staff/",
        {"figure": "everything", "from": "99999-1-1", "to": "x", "unit": "-3", "handler": "1e9"},
    )
    assert r.status_code == 200 and codes(r) == {ticket.code}
    assert "figure-filter" not in r.content.decode()


def test_it_runs_a_fixed_number_of_queries(world, routed, client_as, django_assert_max_num_queries):
    client = client_as(world.leader)
    routed()
    client.get("/staff/dashboard/")
    with django_assert_max_num_queries(40) as few:
        client.get("/staff/dashboard/")
    for i in range(12):
        routed(unit=world.ward_b if i % 2 else world.ward_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/dashboard/")


def test_the_charts_are_images_with_their_numbers_in_tables(world, routed, client_as):
    routed(latitude="21.0285", longitude="105.8542")
    html = client_as(world.leader).get("/staff/dashboard/").content.decode()
    assert html.count('src="data:image/svg+xml;base64,') == 3
    assert 'id="cap-months"' in html and 'id="cap-top"' in html and 'id="cap-areas"' in html
    # No chart script from outside: pygal's tooltips are left out.
    assert "kozea.github.io" not in html


def test_the_dashboard_reads_the_months_of_the_figures(world, client_as):
    r = client_as(world.leader).get("/staff/dashboard/")
    months = r.context["months"]["rows"]
    assert len(months) == 12
    this_month = timezone.localdate().strftime("%m/%Y")
    assert months[-1]["label"] == this_month


def test_selector_lists_resolutions_recorded_against_the_office(world, february):
    place = selectors.Workplace(world.office_a, "work")
    filters = selectors.InboxFilters(
        status="all",
        figure="resolved",
        start=datetime(2026, 2, 1).date(),
        end=datetime(2026, 2, 28).date(),
    )
    listed = {t.code for t in selectors.inbox(world.head_a, place, filters, now=NOW)}
    assert listed == {february["tet"].code, february["reopened"].code}
    f = figures.compute(figures.Scope.of_office(world.office_a), **FEB)
    assert f.resolved == 3  # the reopened ticket was resolved twice: one row


def test_the_trend_says_which_months_are_frozen_and_lists_corrections(
    world, february, client_as, time_machine
):
    from datetime import date

    from feedback import snapshots

    snapshots.freeze(date(2026, 2, 1), now=NOW)
    snapshots.freeze(date(2026, 2, 1), now=NOW, reason="Nhập bổ sung phiếu giấy")
    time_machine.move_to(NOW, tick=False)
    r = client_as(world.leader).get("/staff/dashboard/", {"scope": f"office:{world.office_a.pk}"})
    rows = {m["label"]: m for m in r.context["months"]["rows"]}
    assert rows["02/2026"]["snapshot"].version == 2
    assert rows["02/2026"]["fig"].received == 3
    assert rows["03/2026"]["snapshot"] is None  # this month: live
    html = r.content.decode()
    assert "đính chính lần 2" in html and "Nhập bổ sung phiếu giấy" in html
    assert "trực tiếp" in html and "tính lúc" not in html
    # With the current month's summary, the page says when it was computed.
    snapshots.refresh_live(now=NOW)
    html = (
        client_as(world.leader)
        .get("/staff/dashboard/", {"scope": f"office:{world.office_a.pk}"})
        .content.decode()
    )
    assert "Số liệu tháng này tính lúc 10:00." in html
