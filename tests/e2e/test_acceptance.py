"""An officer accepts a complaint from its page (thụ lý, Luật Khiếu nại 2011
art. 27), and refuses another on a ground of art. 11, in real Chromium."""

from __future__ import annotations

import pytest

from feedback import workflow
from feedback.models import Ticket, TicketEvent
from tests.conftest import PASSWORD
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

S = Ticket.Status
E = TicketEvent.Kind


def _complaint(world, submit) -> Ticket:
    def make():
        ticket, _ = submit(kind="complaint", category=world.complaints, title="Khiếu nại")
        return workflow.ticket_route(ticket)

    return off_the_loop(make)


def _sign_in(page, live_server, next_path: str) -> None:
    page.goto(f"{live_server.url}/staff/login/?next={next_path}")
    page.get_by_label("Username").or_(page.get_by_label("Tên đăng nhập")).fill("officer_a")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{next_path}")


def test_an_officer_accepts_a_complaint_from_its_page(desktop, live_server, world, submit, axe):
    page = desktop
    ticket = _complaint(world, submit)
    path = f"/staff/tickets/{ticket.code}/"
    _sign_in(page, live_server, path)

    card = page.locator("#form-acknowledge")
    assert "Thụ lý giải quyết" in card.inner_text()
    assert "Điều 27" in card.inner_text()
    assert "Hạn thụ lý" in page.locator("#ack-countdown").inner_text()
    axe(page)
    card.get_by_role("button", name="Thụ lý").click()
    page.wait_for_selector(".messages .msg-success")

    assert page.locator("#ticket-status").inner_text() == "Đang xử lý"
    timeline = page.locator(".timeline").inner_text()
    assert "Thông báo thụ lý" in timeline and "Điều 28" in timeline
    assert page.locator("#ack-countdown").count() == 0
    ticket.refresh_from_db()
    assert ticket.accepted_at is not None and ticket.acknowledged_at <= ticket.ack_due_at
    assert ticket.events.filter(kind=E.ACCEPTED).count() == 1


def test_an_officer_refuses_a_complaint_on_a_ground_of_the_law(desktop, live_server, world, submit):
    page = desktop
    ticket = _complaint(world, submit)
    path = f"/staff/tickets/{ticket.code}/"
    _sign_in(page, live_server, path)

    page.get_by_text("Không thụ lý", exact=True).click()
    form = page.locator("#form-refuse")
    # No ground ticked: a clear message, nothing changes.
    form.get_by_role("button", name="Gửi thông báo không thụ lý").click()
    page.wait_for_selector(".messages .msg-error")
    assert "ít nhất một căn cứ" in page.locator(".messages").inner_text()
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED

    page.get_by_text("Không thụ lý", exact=True).click()
    form.get_by_label("Thời hiệu, thời hạn khiếu nại đã hết", exact=False).check()
    form.get_by_label("Giải thích thêm").fill("Quyết định bị khiếu nại ban hành năm 2023.")
    form.get_by_role("button", name="Gửi thông báo không thụ lý").click()
    page.wait_for_selector(".messages .msg-success")
    timeline = page.locator(".timeline").inner_text()
    assert "Thông báo không thụ lý" in timeline and "Điều 11 khoản 6" in timeline
    ticket.refresh_from_db()
    assert ticket.status == S.REJECTED
    assert ticket.events.get(kind=E.REFUSED).data["grounds"] == ["kn-11-6"]
