"""Alerts: follow a report, or subscribe to new and resolved public reports
in a ward or a category; double opt-in, one-click unsubscribe, Atom feeds."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.core import mail, signing

from feedback import alerts, notifications, workflow
from feedback.models import Subscription, TicketEvent

E = TicketEvent.Kind


def link(message, path: str) -> str:
    """The site-relative link to `path` in a mail."""
    (url,) = re.findall(rf"https?://[^/\s]+({re.escape(path)}[^\s]+/)", message.body)
    return url


def deliver_all(ticket) -> None:
    for pk in ticket.events.order_by("pk").values_list("pk", flat=True):
        notifications.deliver_event(pk)


def alerts_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address] and "List-Unsubscribe" in m.extra_headers]


def test_a_ward_subscription_counts_only_once_confirmed_and_stops_in_one_click(
    client, world, routed
):
    r = client.post("/theo-doi/", {"email": "Ha@Example.com", "unit": world.ward_a.pk})
    assert r.status_code == 302 and r.url == "/theo-doi/da-gui/"
    (confirmation,) = mail.outbox
    assert confirmation.to == ["ha@example.com"]
    assert "Phường Hoàn Kiếm" in confirmation.body
    sub = Subscription.objects.get()
    assert sub.confirmed_at is None

    deliver_all(routed())  # not confirmed yet: nothing
    assert alerts_to("ha@example.com") == []

    r = client.get(link(confirmation, "/theo-doi/xac-nhan/"))
    assert r.status_code == 200 and "Đã xác nhận" in r.content.decode()
    sub.refresh_from_db()
    assert sub.confirmed_at is not None

    mail.outbox.clear()
    ticket = routed(title="Cống tràn ở Hàng Bài")
    routed(unit=world.ward_b)  # another ward
    deliver_all(ticket)
    (alert,) = alerts_to("ha@example.com")
    assert alert.subject.startswith(f"Phản ánh mới {ticket.display_code}: Cống tràn")
    assert f"/tra-cuu/{ticket.code}/" in alert.body
    unsubscribe = link(alert, "/theo-doi/huy/")
    assert alert.extra_headers["List-Unsubscribe"].endswith(f"{unsubscribe}>")
    assert alert.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert "Hủy đăng ký" in client.get(unsubscribe).content.decode()  # a page, not the deed
    assert Subscription.objects.exists()
    r = client.post(unsubscribe)  # one click (or the mail client's POST), no CSRF token
    assert r.status_code == 200 and Subscription.objects.count() == 0
    assert "đã được hủy" in client.get(unsubscribe).content.decode()
    mail.outbox.clear()
    deliver_all(routed())
    assert alerts_to("ha@example.com") == []


def test_a_category_subscription_hears_of_its_subcategories_resolved(world, routed):
    sub = alerts.subscribe(
        email="moi-truong@example.com", language="en", category=world.environment
    )
    alerts.confirm(signing.dumps(sub.pk, salt=alerts.CONFIRM_SALT))
    ticket = routed()  # waste, under environment
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.")
    mail.outbox.clear()
    notifications.deliver_event(ticket.events.get(kind=E.RESOLVED).pk)
    (alert,) = alerts_to("moi-truong@example.com")
    assert alert.subject.startswith(f"Resolved: report {ticket.display_code}")  # their language
    assert "Đã thu gom." in alert.body


def test_anyone_may_follow_a_public_report_but_not_a_private_one(client, world, routed, submit):
    ticket = routed()
    page = client.get(f"/tra-cuu/{ticket.code}/").content.decode()
    assert 'id="follow-form"' in page
    client.post("/theo-doi/", {"email": "theo@example.com", "ticket": ticket.display_code})
    (confirmation,) = mail.outbox
    assert ticket.display_code in confirmation.body
    client.get(link(confirmation, "/theo-doi/xac-nhan/"))
    mail.outbox.clear()
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_answer(ticket, actor=world.officer_a, message="Chiều nay đội vệ sinh tới.")
    notifications.deliver_event(ticket.events.get(kind=E.ANSWERED).pk)
    (alert,) = alerts_to("theo@example.com")
    assert alert.subject.startswith(f"Phản ánh {ticket.display_code} có cập nhật")
    assert "Chiều nay đội vệ sinh tới." in alert.body

    complaint, _secret = submit(kind="complaint", category=world.complaints)
    r = client.post("/theo-doi/", {"email": "x@example.com", "ticket": complaint.code})
    assert r.status_code == 200 and "Không tìm thấy phản ánh công khai" in r.content.decode()
    assert not Subscription.objects.filter(email="x@example.com").exists()


def test_private_reports_never_reach_ward_subscribers(world, submit):
    sub = alerts.subscribe(email="ha@example.com", language="vi", unit=world.ward_a)
    alerts.confirm(signing.dumps(sub.pk, salt=alerts.CONFIRM_SALT))
    mail.outbox.clear()
    ticket, _secret = submit(kind="denunciation", category=world.denunciations)
    deliver_all(ticket)
    assert alerts_to("ha@example.com") == []


@pytest.mark.parametrize(
    "data",
    [
        {"email": "a@example.com"},  # nothing chosen
        {"email": "a@example.com", "unit": "WARD", "category": "CAT"},  # both
        {"email": "not-an-address", "unit": "WARD"},
    ],
)
def test_bad_sign_ups_are_refused_and_store_and_send_nothing(client, world, data):
    ids = {"WARD": str(world.ward_a.pk), "CAT": str(world.waste.pk)}
    r = client.post("/theo-doi/", {k: ids.get(v, v) for k, v in data.items()})
    assert r.status_code == 200 and r.context["form"].errors
    assert not Subscription.objects.exists() and mail.outbox == []


def test_confirmation_links_are_checked_and_expire(client, world):
    sub = alerts.subscribe(email="a@example.com", language="vi", unit=world.ward_a)
    assert client.get("/theo-doi/xac-nhan/forged/").status_code == 400
    token = signing.dumps(sub.pk, salt=alerts.UNSUBSCRIBE_SALT)  # the other kind of link
    assert client.get(f"/theo-doi/xac-nhan/{token}/").status_code == 400
    eight_days_ago = time.time() - 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=eight_days_ago):
        stale = signing.dumps(sub.pk, salt=alerts.CONFIRM_SALT)
    r = client.get(f"/theo-doi/xac-nhan/{stale}/")
    sub.refresh_from_db()
    assert sub.confirmed_at is None
    assert r.status_code == 400 and "hết hạn" in r.content.decode()
    fresh = signing.dumps(sub.pk, salt=alerts.CONFIRM_SALT)
    assert client.get(f"/theo-doi/xac-nhan/{fresh}/").status_code == 200


def test_asking_again_resends_only_until_confirmed(world):
    alerts.subscribe(email="a@example.com", language="vi", unit=world.ward_a)
    sub = alerts.subscribe(email="a@example.com", language="en", unit=world.ward_a)
    assert len(mail.outbox) == 2 and Subscription.objects.count() == 1
    assert sub.language == "en"
    alerts.confirm(signing.dumps(sub.pk, salt=alerts.CONFIRM_SALT))
    alerts.subscribe(email="a@example.com", language="vi", unit=world.ward_a)
    assert len(mail.outbox) == 2  # a confirmed address is not mailed again


def test_sign_ups_are_rate_limited_per_address(client, world, settings):
    settings.FEEDBACK_ALERT_RATE = "2/h"
    for n in range(2):
        r = client.post("/theo-doi/", {"email": f"a{n}@example.com", "unit": world.ward_a.pk})
        assert r.status_code == 302
    r = client.post("/theo-doi/", {"email": "a9@example.com", "unit": world.ward_a.pk})
    assert r.status_code == 429
    assert Subscription.objects.count() == 2


def test_each_ward_and_category_has_an_atom_feed_of_public_reports(client, world, routed, submit):
    public = routed(title="Cây đổ chắn đường")
    secret, _s = submit(kind="complaint", category=world.complaints, title="Khiếu nại riêng")
    r = client.get(f"/phan-anh/atom/phuong/{world.ward_a.code}/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    body = r.content.decode()
    assert "Cây đổ chắn đường" in body and f"/tra-cuu/{public.code}/" in body
    assert "Khiếu nại riêng" not in body and secret.code not in body
    r = client.get(f"/phan-anh/atom/linh-vuc/{world.environment.code}/")
    assert "Cây đổ chắn đường" in r.content.decode()  # the category's subtree
    assert client.get(f"/phan-anh/atom/linh-vuc/{world.water_cat.code}/").status_code == 200
    assert client.get("/phan-anh/atom/phuong/99999/").status_code == 404


def test_the_admin_lists_subscriptions(client, world):
    alerts.subscribe(email="a@example.com", language="vi", unit=world.ward_a)
    client.force_login(world.admin)
    r = client.get("/admin/feedback/subscription/")
    assert r.status_code == 200 and "a@example.com" in r.content.decode()
    assert client.get("/admin/feedback/subscription/add/").status_code == 403
