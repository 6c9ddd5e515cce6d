"""A citizen who reads the site in English files a report and gets the
confirmation mail in English; the office still reads Vietnamese."""

from __future__ import annotations

import pytest
from django.core import mail

from feedback.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_english_citizen_gets_english_mail(phone, live_server, world, captcha_test_mode):
    page = phone
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/gui-phan-anh/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("#id_category").select_option(str(world.waste.pk))
    page.locator("#id_unit").select_option(str(world.ward_a.pk))
    page.locator("#id_address").fill("12 Hang Bai lane")
    page.locator("#id_description").fill("Rubbish has piled up for three days.")
    page.locator("#id_contact_name").fill("Jane Doe")
    page.locator("#id_contact_email").fill("jane@example.com")
    page.locator("#id_consent").check()
    page.locator("#id_captcha_1").fill("PASSED")
    page.locator("form button[type=submit]").last.click()

    page.wait_for_selector("#tracking-code")
    ticket = Ticket.objects.get()
    assert ticket.language == "en"
    to_citizen = [m for m in mail.outbox if m.to == ["jane@example.com"]]
    assert to_citizen, [m.subject for m in mail.outbox]
    # One message for the receipt and the routing, in English.
    (received,) = to_citizen
    assert received.subject == f"[Report {ticket.display_code}] Received · Forwarded"
    assert received.body.startswith("Dear Jane Doe,")
    to_office = [m for m in mail.outbox if m.to != ["jane@example.com"]]
    assert to_office and all("Chuyển xử lý" in m.subject for m in to_office)
