"""A city leader signs in, lands on the dashboard, clicks a figure and lands
on the inbox listing exactly the tickets behind it; a head does the same on
a phone. Both pages pass axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import workflow
from tests.conftest import PASSWORD
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _tickets(world):
    """Three reports received now (two in ward A, one in ward B; one of
    them resolved) and one received 40 days ago, still open and overdue."""

    def file(unit, **extra):
        filed = workflow.ticket_submit(
            kind="feedback",
            category=world.waste,
            unit=unit,
            title="Rác thải tồn đọng",
            description="Rác thải tồn đọng nhiều ngày.",
            channel="web",
            **extra,
        )
        return workflow.ticket_route(filed.ticket, at=extra.get("at"))

    old = file(world.ward_a, at=timezone.now() - timedelta(days=40))
    a1, a2, b1 = file(world.ward_a), file(world.ward_a), file(world.ward_b)
    workflow.ticket_resolve(a2, actor=world.officer_a, message="Đã thu gom.")
    return {"old": old.code, "new": {a1.code, a2.code, b1.code}}


def _sign_in(page, url, username):
    page.goto(f"{url}/staff/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _listed(page) -> set[str]:
    page.wait_for_selector("table.inbox")
    return set(
        page.locator("table.inbox tbody tr[data-code]").evaluate_all(
            "rows => rows.map(r => r.dataset.code)"
        )
    )


def test_a_leader_goes_from_a_figure_to_its_tickets(desktop, live_server, world, axe):
    made = off_the_loop(_tickets, world)
    page = desktop
    _sign_in(page, live_server.url, "leader")
    page.wait_for_url("**/staff/dashboard/")
    assert page.locator("h1").inner_text().endswith("Thành phố Hà Nội")
    received = page.locator("#fig-received a.figure")
    assert received.inner_text() == "3"
    axe(page)

    received.click()
    page.wait_for_url("**/staff/?*figure=received*")
    assert _listed(page) == made["new"]
    assert "tiếp nhận trong kỳ" in page.locator("#figure-filter").inner_text()
    axe(page)

    page.go_back()
    page.locator("#fig-overdue_now a.figure").click()
    page.wait_for_url("**/staff/?*figure=overdue_now*")
    assert _listed(page) == {made["old"]}


def test_a_head_reads_their_office_on_a_phone(phone, live_server, world, axe):
    off_the_loop(_tickets, world)
    page = phone
    _sign_in(page, live_server.url, "head_a")
    page.wait_for_url("**/staff/dashboard/")
    assert "UBND Phường Hoàn Kiếm" in page.locator("h1").inner_text()
    assert page.locator("#fig-received a.figure").inner_text() == "2"
    # Nothing wider than the screen but the scrollable tables.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator("#h-workload").is_visible()
    axe(page)


def test_a_leader_pages_through_the_tickets_behind_a_figure(
    desktop, live_server, world, monkeypatch
):
    """A leader's lists are read ids first (selectors.IdsFirst): two to a
    page, the next page holds the rest, and nothing shows twice."""
    from feedback import views_staff

    monkeypatch.setattr(views_staff, "PAGE_SIZE", 2)
    made = off_the_loop(_tickets, world)
    page = desktop
    _sign_in(page, live_server.url, "leader")
    page.wait_for_url("**/staff/dashboard/")
    page.locator("#fig-received a.figure").click()
    page.wait_for_url("**/staff/?*figure=received*")
    first = _listed(page)
    assert len(first) == 2 and "Trang 1/2" in page.locator("nav.pager").inner_text()

    page.locator("nav.pager a", has_text="Sau").click()
    page.wait_for_url("**page=2*")
    second = _listed(page)
    assert "Trang 2/2" in page.locator("nav.pager").inner_text()
    assert len(second) == 1 and first | second == made["new"]
