"""An administrator adds a day off to the official calendar in the admin;
an open ticket's due date moves, and its timeline says why."""

from __future__ import annotations

import pytest

from feedback.deadlines import compute_due
from feedback.models import Ticket
from tests.conftest import PASSWORD
from tests.e2e.conftest import off_the_loop
from tests.feedback.test_deadlines import at, eod

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_a_day_off_and_an_open_ticket_follows(
    desktop, live_server, world, routed, axe
):
    page = desktop

    def year_end_report() -> Ticket:
        # Received Wed 31 Dec 2025: 10 working days end on Thu 15 Jan 2026.
        ticket = routed()
        ticket.received_at = at(2025, 12, 31, 10)
        due = compute_due(ticket)
        Ticket.objects.filter(pk=ticket.pk).update(
            received_at=ticket.received_at, ack_due_at=due.ack_due_at, due_at=due.due_at
        )
        return Ticket.objects.get(pk=ticket.pk)

    ticket = off_the_loop(year_end_report)
    assert ticket.due_at == eod(2026, 1, 15)

    page.goto(f"{live_server.url}/admin/login/?next=/admin/feedback/officialday/add/")
    page.locator("input[name=username]").fill("admin")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/feedback/officialday/add/")
    page.locator("input[name=date]").fill("2026-01-13")
    page.locator("select[name=kind]").select_option("day_off")
    page.locator("input[name=name]").fill("Nghỉ đột xuất")
    page.locator("input[name=legal_source]").fill("Thông báo của UBND Thành phố")
    page.locator("input[name=_save]").click()

    message = page.locator(".messagelist").inner_text()
    assert "Đã tính lại thời hạn của 1 phản ánh đang mở." in message
    ticket.refresh_from_db()
    assert ticket.due_at == eod(2026, 1, 16)  # Tue 13 Jan is off now

    page.goto(f"{live_server.url}/staff/tickets/{ticket.code}/")
    timeline = page.locator(".timeline").inner_text()
    assert "Tính lại thời hạn" in timeline
    assert "hạn giải quyết 15/01/2026 → 16/01/2026" in timeline
    axe(page)
