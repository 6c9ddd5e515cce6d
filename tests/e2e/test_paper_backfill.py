"""An officer backfills a paper form received two working days ago and sees
the due date counted from that day, not from today."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from feedback import deadlines
from feedback.models import Ticket
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def two_working_days_ago() -> datetime:
    """09:30 on the second working day before today, on the deployment's
    calendar: its deadline differs from one counted from now on any day of
    the year (a weekend, a holiday, the eve of Tết)."""
    cal = deadlines.calendar()
    day = timezone.localdate()
    for _ in range(2):
        day -= timedelta(days=1)
        while not cal.is_working_day(day):
            day -= timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(9, 30)))


def test_an_officer_backfills_a_paper_form_with_its_true_date(phone, live_server, world):
    page = phone
    received = two_working_days_ago()

    page.goto(f"{live_server.url}/staff/login/?next=/staff/intake/")
    page.get_by_label("Username").or_(page.get_by_label("Tên đăng nhập")).fill("officer_a")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/staff/intake/")
    page.get_by_role("link", name="Hồ sơ giấy (nhập bù)").click()

    page.get_by_label("Số hồ sơ / số đơn").fill("HS-2025-0042")
    page.get_by_label("Ngày giờ tiếp nhận thực tế").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lý do nhập bù").fill("Mất điện cả buổi sáng")
    page.get_by_label("Lĩnh vực").select_option(str(world.waste.pk))
    page.get_by_label("Phường, xã nơi xảy ra sự việc").select_option(str(world.ward_a.pk))
    page.locator("#id_description").fill("Đơn giấy: đề nghị sửa đèn chiếu sáng ngõ 7.")
    page.get_by_label("Họ và tên").fill("Phạm Văn Dũng")
    page.get_by_role("button", name="Lưu phản ánh").click()

    page.wait_for_selector("#due-at")
    ticket = Ticket.objects.get()
    assert ticket.received_at == received
    expected = deadlines.compute_due(ticket).due_at
    shown = datetime.fromisoformat(page.locator("#due-at").get_attribute("datetime"))
    assert shown == expected.replace(microsecond=0) or shown == expected
    assert shown != deadlines.compute_due(ticket, start=timezone.now()).due_at
    assert page.locator("#received-at").inner_text() == received.strftime("%H:%M %d/%m/%Y")
    assert "officer_a" in page.locator("main").inner_text()
    assert page.locator("#tracking-code").inner_text() == ticket.display_code
