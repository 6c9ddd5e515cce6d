"""The whole citizen loop in real Chromium, the citizen on a 360 px phone:
file a report, the officer acknowledges and answers on the staff pages, the
citizen opens the private link, reads the answer, rates it, asks to reopen
and, asked for more, replies. Every form post is the browser's own, with
the Origin header Django's CSRF check reads (the test client sends none),
and every one answers a redirect, so a refresh sends nothing again."""

from __future__ import annotations

import pytest
from django.test import Client

from feedback.models import Rating, Ticket, TicketEvent
from tests.e2e.conftest import DESKTOP, _page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
S = Ticket.Status


def posts_of(page) -> list:
    """The form posts the page sends from now on (Playwright requests)."""
    sent: list = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    return sent


def check_posts(sent: list, origin: str, count: int) -> None:
    assert len(sent) == count, [r.url for r in sent]
    for request in sent:
        assert request.all_headers().get("origin") == origin, request.url
        assert request.response().status in (302, 303), request.url


@pytest.fixture
def officer(browser, live_server, world):
    client = Client()
    client.force_login(world.officer_a)
    context, page = _page(browser, **DESKTOP)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield page
    context.close()


def staff_action(page, url: str, button: str, message: str | None = None, field: str = "") -> None:
    page.goto(url)
    if message is not None:
        form = page.locator(f"#form-{field}")
        if not form.is_visible():  # a closed <details>
            page.locator(f"details:has(#form-{field}) > summary").click()
        form.locator("textarea").fill(message)
        form.get_by_role("button", name=button).click()
    else:
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_selector("text=Đã cập nhật phản ánh")


def test_a_citizen_files_reads_the_answer_rates_reopens_and_replies(
    phone, officer, live_server, world, captcha_test_mode
):
    origin = live_server.url
    citizen, sent = phone, posts_of(phone)
    staff_sent = posts_of(officer)

    # 1. File on the phone.
    citizen.goto(f"{origin}/gui-phan-anh/")
    citizen.get_by_label("Lĩnh vực").select_option(str(world.waste.pk))
    citizen.locator("#id_unit").select_option(str(world.ward_a.pk))
    citizen.get_by_label("Địa chỉ, địa điểm cụ thể").fill("Trước số 12 ngõ 34 Hàng Bài")
    citizen.locator("#id_description").fill("Rác thải tồn đọng ba ngày, bốc mùi.")
    citizen.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    citizen.get_by_label("Thư điện tử").fill("hoa@example.com")
    citizen.locator("#id_consent").check()
    citizen.locator("#id_captcha_1").fill("PASSED")
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    citizen.wait_for_selector("#private-link")
    private_url = citizen.locator("#private-link").get_attribute("href")
    ticket = Ticket.objects.get()
    assert ticket.status == S.ROUTED and ticket.office == world.office_a  # routed inline
    check_posts(sent, origin, 1)

    # 2. The officer acknowledges, answers and gives the result.
    staff_page = f"{origin}/staff/tickets/{ticket.code}/"
    staff_action(officer, staff_page, "Thụ lý")
    staff_action(officer, staff_page, "Gửi trả lời", "Chúng tôi đã cử tổ thu gom.", "answer")
    staff_action(officer, staff_page, "Đánh dấu đã giải quyết", "Đã thu gom xong rác.", "resolve")
    check_posts(staff_sent, origin, 3)
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED

    # 3. The citizen opens the private link, reads the answer and rates it.
    citizen.goto(private_url)
    main = citizen.locator("main")
    assert "Chúng tôi đã cử tổ thu gom." in main.inner_text()
    assert "Đã thu gom xong rác." in main.inner_text()
    rate = citizen.locator("form:has(input[name=action][value=rate])")
    rate.locator("input[name=overall][value='2']").check()
    rate.locator("textarea").fill("Còn sót rác ở đầu ngõ.")
    rate.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_selector("text=Cảm ơn bạn đã đánh giá.")
    assert citizen.url == private_url  # Post/Redirect/Get
    citizen.reload()  # a refresh sends nothing again
    check_posts(sent, origin, 2)
    assert Rating.objects.get(ticket=ticket).overall == 2

    # 4. Not satisfied: ask to reopen.
    reopen = citizen.locator("form:has(input[name=action][value=reopen])")
    reopen.locator("textarea").fill("Đầu ngõ vẫn còn hai bao rác.")
    reopen.get_by_role("button", name="Đề nghị mở lại").click()
    citizen.wait_for_selector("text=Đã mở lại phản ánh")
    check_posts(sent, origin, 3)
    ticket.refresh_from_db()
    assert ticket.status == S.REOPENED

    # 5. The officer takes it up again and asks for more.
    staff_action(officer, staff_page, "Thụ lý")
    staff_action(officer, staff_page, "Gửi đề nghị", "Xin chụp ảnh đầu ngõ.", "request_info")
    check_posts(staff_sent, origin, 5)

    # 6. The citizen replies; a lost cookie first gets a page that says
    # what to do, in Vietnamese, and the retry goes through.
    citizen.goto(private_url)
    assert "Xin chụp ảnh đầu ngõ." in citizen.locator("main").inner_text()
    citizen.context.clear_cookies()
    reply = citizen.locator("form:has(input[name=action][value=reply])")
    reply.locator("textarea").fill("Ảnh đã gửi qua thư.")
    reply.get_by_role("button", name="Gửi bổ sung").click()
    citizen.wait_for_selector("#csrf-back")
    assert "Hãy tải lại trang rồi gửi lại." in citizen.locator("main").inner_text()
    ticket.refresh_from_db()
    assert ticket.status == S.AWAITING_CITIZEN  # nothing written
    citizen.locator("#csrf-back").click()
    citizen.wait_for_url(private_url)
    reply.locator("textarea").fill("Ảnh đã gửi qua thư.")
    reply.get_by_role("button", name="Gửi bổ sung").click()
    citizen.wait_for_selector("text=Đã gửi thông tin bổ sung")
    assert citizen.url == private_url
    assert len(sent) == 5 and sent[3].response().status == 403
    check_posts(sent[:3] + sent[4:], origin, 4)
    ticket.refresh_from_db()
    assert ticket.status == S.IN_PROGRESS
    replies = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.CITIZEN_REPLIED)
    assert [e.message for e in replies] == ["Ảnh đã gửi qua thư."]
