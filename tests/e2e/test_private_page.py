"""The reporter's private page on a phone: where the report stands and the
office's answer come first, then the rating as stars that work by keyboard."""

from __future__ import annotations

import pytest

from feedback import workflow
from feedback.models import Rating
from feedback.reporter_link import reporter_secret
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _resolved(world, routed):
    ticket = routed()
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom rác, dọn sạch ngõ.")
    return ticket


def test_the_answer_comes_first_and_the_stars_rate_it_by_keyboard(
    phone, live_server, world, routed, axe
):
    ticket = off_the_loop(_resolved, world, routed)
    phone.goto(f"{live_server.url}/tra-cuu/{ticket.code}/{reporter_secret(ticket)}/")

    tops = phone.evaluate(
        """() => ['#status-now', '#office-answer', '#rate', '#reopen', '#mine-h', '#tl-h']
             .map(s => document.querySelector(s).getBoundingClientRect().top + window.scrollY)"""
    )
    assert tops == sorted(tops)
    # The office's answer is on the first screen of a 360 x 740 phone.
    assert tops[1] < 740
    assert "Đã thu gom rác, dọn sạch ngõ." in phone.locator("#office-answer").inner_text()
    axe(phone)

    # Real radios under the stars: focus the first, arrow to the fourth.
    phone.locator("#id_overall_0").focus()
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    assert phone.get_by_role("radio", name="4 sao: hài lòng").is_checked()
    filled = phone.locator(".star-on").evaluate_all(
        "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
    )
    assert filled == 4
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_selector("text=Cảm ơn bạn đã đánh giá.")
    assert Rating.objects.get().overall == 4

    # The POST was redirected: a reload reads the page, it does not rate again.
    phone.reload()
    assert Rating.objects.count() == 1
    assert phone.locator("#rate").count() == 0
