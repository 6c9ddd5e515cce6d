"""An officer issues a receipt slip from the ticket page, sees it on the
timeline and downloads the PDF; another office's officer cannot."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str, next_path: str) -> None:
    page.goto(f"{live_server.url}/staff/login/?next={next_path}")
    page.get_by_label("Username").or_(page.get_by_label("Tên đăng nhập")).fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"**{next_path}")


def test_an_officer_issues_and_downloads_a_receipt_slip(desktop, live_server, world, routed, axe):
    page = desktop
    ticket = off_the_loop(routed)
    ticket_path = f"/staff/tickets/{ticket.code}/"

    sign_in(page, live_server, "officer_a", ticket_path)
    documents = page.locator("#documents")
    documents.get_by_label("Ban hành văn bản").select_option("receipt")
    documents.get_by_role("button", name="Ban hành").click()

    page.wait_for_url(f"**{ticket_path}")
    link = documents.get_by_role("link", name="Phiếu tiếp nhận số 1/PTN-UBND-HOAN-KIEM")
    assert link.is_visible()
    assert (
        "Ban hành Phiếu tiếp nhận số 1/PTN-UBND-HOAN-KIEM" in page.locator(".timeline").inner_text()
    )
    # Issued once: nothing more to issue for this receipt.
    assert documents.get_by_label("Ban hành văn bản").count() == 0
    axe(page)

    response = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text()
    assert "PHIẾU TIẾP NHẬN" in text
    assert f"Mã tra cứu: {ticket.display_code}" in text

    page.context.clear_cookies()
    sign_in(page, live_server, "officer_b", "/staff/")
    assert page.context.request.get(live_server.url + link_href(ticket)).status == 404


def link_href(ticket) -> str:
    document = ticket.documents.get()
    return f"/staff/tickets/{ticket.code}/van-ban/{document.pk}/"
