"""Notifications in the reporter's language, on the channel they chose: email
built in, SMS through a brand-name gateway over HTTP (here a real local
HTTP server standing in for the provider)."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from feedback import notifications, outbound, workflow
from feedback.errors import ValidationFailed
from feedback.models import Ticket, TicketEvent
from tests.api.conftest import Receiver
from tests.feedback.test_views_intake_forms import base

E = TicketEvent.Kind


@pytest.fixture
def gateway(settings):
    """A brand-name SMS provider on 127.0.0.1 (the webhook tests' receiver)."""
    fake = Receiver()
    settings.FEEDBACK_SMS_URL = f"{fake.url}/sms/send"
    settings.FEEDBACK_SMS_TOKEN = "bi-mat"
    settings.FEEDBACK_SMS_BRAND = "UBND-HANOI"
    settings.FEEDBACK_SMS_TIMEOUT = 5
    yield fake
    fake.stop()


def deliver_all(ticket: Ticket) -> None:
    for pk in ticket.events.order_by("pk").values_list("pk", flat=True):
        notifications.deliver_event(pk)


def test_an_english_citizen_gets_english_mail_and_the_office_vietnamese(world, submit):
    ticket, _secret = submit(language="en")
    assert ticket.language == "en"
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom xong.")
    mail.outbox.clear()
    deliver_all(ticket)
    to_reporter = [m for m in mail.outbox if m.to == ["an@example.com"]]
    assert [m.subject for m in to_reporter] == [
        f"[Report {ticket.display_code}] Received",
        f"[Report {ticket.display_code}] Forwarded",
        f"[Report {ticket.display_code}] Resolved",
    ]
    routed = to_reporter[1].body
    assert routed.startswith("Dear Nguyễn Văn An,")
    assert f"Forwarded to {world.office_a.name}" in routed  # the system's message, translated
    assert "Đã thu gom xong." in to_reporter[2].body  # what the officer wrote, as written
    assert "Status: Resolved" in to_reporter[2].body
    to_office = [m for m in mail.outbox if m.to != ["an@example.com"]]
    assert [m.subject.split(":")[0] for m in to_office] == [f"[{ticket.display_code}] Chuyển xử lý"]


def test_a_vietnamese_citizen_still_gets_vietnamese_mail(world, submit):
    ticket, _secret = submit()
    assert ticket.language == "vi"
    mail.outbox.clear()
    notifications.deliver_event(ticket.events.get(kind=E.RECEIVED).pk)
    (message,) = mail.outbox
    assert message.subject == f"[Phản ánh {ticket.display_code}] Tiếp nhận"
    assert message.body.startswith("Kính gửi Nguyễn Văn An,")


def test_an_sms_reaches_the_gateway_without_diacritics_in_the_citizens_language(
    world, submit, gateway
):
    ticket, secret = submit(notify_by="sms", language="en", contact_email="")
    mail.outbox.clear()
    workflow.ticket_route(ticket)
    deliver_all(ticket)
    sent = [json.loads(r["body"]) for r in gateway.requests]
    assert [s["to"] for s in sent] == ["84912345678", "84912345678"]
    first = gateway.requests[0]
    assert first["path"] == "/sms/send"
    assert first["headers"]["Authorization"] == "Bearer bi-mat"
    assert first["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert sent[0]["brandname"] == "UBND-HANOI"
    text = sent[1]["text"]
    assert text.startswith(f"Report {ticket.display_code}: Forwarded for handling.")
    assert f"/tra-cuu/{ticket.code}/{secret}/" in text
    assert text.isascii()
    assert not [m for m in mail.outbox if m.to == ["an@example.com"]]  # SMS, not also email


def test_a_vietnamese_sms_drops_the_diacritics(world, submit, gateway):
    ticket, _secret = submit(notify_by="sms")
    notifications.deliver_event(ticket.events.get(kind=E.RECEIVED).pk)
    (request,) = gateway.requests
    assert json.loads(request["body"])["text"].startswith(
        f"Phan anh {ticket.display_code}: Da tiep nhan."
    )


def test_a_gateway_error_gives_the_message_back_to_the_outbox(world, submit, gateway):
    ticket, _secret = submit(notify_by="sms")
    received = ticket.events.get(kind=E.RECEIVED)
    gateway.status = 503
    with pytest.raises(outbound.OutboundError, match="503"):
        notifications.deliver_event(received.pk)
    received.refresh_from_db()
    assert received.notified_at is None  # owed still: a retry or the sweep sends it
    gateway.status = 200
    assert notifications.deliver_event(received.pk) is True
    assert len(gateway.requests) == 2


def test_an_unreachable_gateway_is_an_outbound_error(settings):
    settings.FEEDBACK_SMS_URL = "http://127.0.0.1:9/nothing-listens-here"
    settings.FEEDBACK_SMS_TIMEOUT = 2
    with pytest.raises(outbound.OutboundError, match="unreachable"):
        outbound.send("sms", to="84912345678", subject="", body="x")


def test_sms_needs_a_gateway_and_a_mobile_number(world, submit, settings, gateway):
    with pytest.raises(ValidationFailed) as refused:
        submit(notify_by="sms", contact_phone="")
    assert refused.value.field == "contact_phone"
    settings.FEEDBACK_SMS_URL = ""
    with pytest.raises(ValidationFailed) as refused:
        submit(notify_by="sms")
    assert refused.value.field == "notify_by"
    with pytest.raises(ValidationFailed) as refused:
        submit(language="fr")
    assert refused.value.field == "language"
    assert not Ticket.objects.exists()  # nothing half-written


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912 345 678", "84912345678"),
        ("+84 912.345.678", "84912345678"),
        ("84912345678", "84912345678"),
        ("024 3825 3536", "842438253536"),
        ("12345", ""),
        ("", ""),
    ],
)
def test_it_writes_numbers_the_way_gateways_take_them(typed, expected):
    assert outbound.normalize_phone(typed) == expected


def test_an_anonymous_reporter_is_told_nothing(world, submit, gateway):
    ticket, _secret = submit(is_anonymous=True, notify_by="sms")
    mail.outbox.clear()
    notifications.deliver_event(ticket.events.get(kind=E.RECEIVED).pk)
    assert gateway.requests == [] and mail.outbox == []


# --- the doors keep the language and the channel --------------------------------


def test_the_web_form_keeps_the_pages_language_and_offers_sms_only_with_a_gateway(
    client, report_form, world, settings
):
    settings.FEEDBACK_SMS_URL = ""
    assert 'name="notify_by"' not in client.get("/gui-phan-anh/").content.decode()
    settings.FEEDBACK_SMS_URL = "http://127.0.0.1:9/sms"
    english = client.get("/gui-phan-anh/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="notify_by" value="sms"' in english.content.decode()
    assert "Receive updates by" in english.content.decode()
    r = client.post("/gui-phan-anh/", report_form(notify_by="sms"), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.language, ticket.notify_by) == ("en", "sms")


def test_the_web_form_refuses_sms_without_a_phone_and_stores_nothing(
    client, report_form, world, settings
):
    settings.FEEDBACK_SMS_URL = "http://127.0.0.1:9/sms"
    r = client.post("/gui-phan-anh/", report_form(notify_by="sms", contact_phone=""))
    assert r.status_code == 200
    assert "vui lòng nhập số điện thoại di động" in str(r.context["form"].errors["contact_phone"])
    assert not Ticket.objects.exists()


def test_staff_intake_records_the_callers_language(client, world):
    client.force_login(world.officer_a)
    r = client.post(
        "/staff/intake/duong-day-nong/",
        base(world, contact_name="John Smith", contact_email="john@example.com", language="en"),
    )
    assert r.status_code == 302, r.context["form"].errors if r.context else r
    assert Ticket.objects.get().language == "en"


def test_the_api_takes_language_and_channel_and_refuses_unknown_ones(world, gateway):
    from rest_framework.test import APIClient

    api = APIClient()
    body = {
        "category": world.waste.code,
        "unit": world.ward_a.code,
        "description": "Rác thải tồn đọng nhiều ngày.",
        "contact_name": "Jane Doe",
        "contact_phone": "0912345678",
        "consent": True,
    }
    assert (
        api.post("/api/v1/tickets/", {**body, "language": "fr"}, format="json").status_code == 400
    )
    assert not Ticket.objects.exists()
    r = api.post("/api/v1/tickets/", {**body, "language": "en", "notify_by": "sms"}, format="json")
    assert r.status_code == 201
    ticket = Ticket.objects.get()
    assert (ticket.language, ticket.notify_by) == ("en", "sms")
