"""The transparency page on a 360 px phone: each office a card, nothing
scrolls sideways, offices with too few cases apart from the ranking."""

from __future__ import annotations

import pytest

from feedback import workflow
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _cases(world, submit):
    for _ in range(3):
        ticket, _ = submit()
        workflow.ticket_route(ticket)
        workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã xử lý.")
    ticket, _ = submit(unit=world.ward_b)
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_b, message="Đã xử lý.")


@pytest.fixture
def cases(world, submit, settings):
    settings.FEEDBACK_MIN_SAMPLE = 3
    settings.FEEDBACK_RANKINGS_CACHE_SECONDS = 0
    off_the_loop(_cases, world, submit)


def test_on_a_phone_offices_are_cards_and_nothing_scrolls_sideways(phone, live_server, cases, axe):
    phone.goto(f"{live_server.url}/minh-bach/")
    assert phone.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    for box in phone.locator(".table-scroll").all():
        assert box.evaluate("el => el.scrollWidth <= el.clientWidth")
    card = phone.locator("#khoi-wards .rankings tbody tr").first
    assert "UBND Phường Hoàn Kiếm" in card.inner_text()
    # Each number says what it is: its column's name is drawn before it.
    score = card.locator("td.score")
    assert score.inner_text() == "100,0" and score.get_attribute("data-label") == "Điểm"
    assert score.evaluate("el => getComputedStyle(el, '::before').content") != "none"
    assert card.evaluate("el => getComputedStyle(el).display") == "grid"
    apart = phone.locator("#khoi-wards .unranked-box")
    assert "UBND Phường Ba Đình" in apart.inner_text()
    assert "UBND Phường Ba Đình" not in phone.locator("#khoi-wards .rankings").inner_text()
    axe(phone)


def test_on_a_desktop_the_ranking_stays_a_table(desktop, live_server, cases, axe):
    desktop.goto(f"{live_server.url}/minh-bach/")
    row = desktop.locator("#khoi-wards .rankings tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "table-row"
    assert desktop.get_by_role("columnheader", name="Điểm").first.is_visible()
    axe(desktop)
