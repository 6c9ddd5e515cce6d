"""Someone signs up on a phone for news of a ward, confirms from the link in
the mail, gets an alert for a new report, and unsubscribes in one click."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from feedback.models import Subscription
from tests.e2e.conftest import off_the_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def path_of(body: str, prefix: str) -> str:
    (path,) = re.findall(rf"https?://[^/\s]+({re.escape(prefix)}\S+/)", body)
    return path


def test_subscribe_confirm_from_the_mail_and_unsubscribe(phone, live_server, world, routed, axe):
    page = phone
    page.goto(f"{live_server.url}/theo-doi/")
    axe(page)
    page.get_by_label("Thư điện tử").fill("lan@example.com")
    page.get_by_label("Phường, xã").select_option(str(world.ward_a.pk))
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_selector("#alert-sent")
    assert Subscription.objects.get().confirmed_at is None

    (confirmation,) = [m for m in mail.outbox if m.to == ["lan@example.com"]]
    page.goto(live_server.url + path_of(confirmation.body, "/theo-doi/xac-nhan/"))
    page.wait_for_selector("#alert-confirmed")
    assert "Phường Hoàn Kiếm" in page.locator("#alert-confirmed").inner_text()
    assert Subscription.objects.get().confirmed_at is not None
    axe(page)

    mail.outbox.clear()
    ticket = off_the_loop(routed, title="Nắp cống bị vỡ")  # delivered inline after commit
    (alert,) = [m for m in mail.outbox if m.to == ["lan@example.com"]]
    assert ticket.display_code in alert.subject

    page.goto(live_server.url + path_of(alert.body, "/theo-doi/huy/"))
    axe(page)
    page.get_by_role("button", name="Hủy đăng ký").click()
    page.wait_for_selector("#alert-unsubscribed")
    assert not Subscription.objects.exists()
