"""Every email to the reporter carries the private link (issue #3)."""

from __future__ import annotations

from django.core import mail

from feedback import notifications, workflow
from feedback.models import TicketEvent


def test_every_reporter_email_links_to_the_private_page(submit, world, settings):
    settings.SITE_URL = "https://phananh.example.vn"
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.")
    mail.outbox.clear()
    for event in ticket.events.filter(kind__in=notifications.REPORTER_EVENTS):
        notifications.deliver_event(event.pk)
    to_reporter = [m for m in mail.outbox if m.to == ["an@example.com"]]
    kinds = set(
        ticket.events.filter(kind__in=notifications.REPORTER_EVENTS).values_list("kind", flat=True)
    )
    assert kinds == {TicketEvent.Kind.RECEIVED, TicketEvent.Kind.ROUTED, TicketEvent.Kind.RESOLVED}
    assert len(to_reporter) == 3
    for message in to_reporter:
        assert f"https://phananh.example.vn/tra-cuu/{ticket.code}/{secret}/" in message.body
        assert f"https://phananh.example.vn/tra-cuu/{ticket.code}/" in message.body


def test_office_emails_never_carry_the_reporters_private_link(submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    mail.outbox.clear()
    routed = ticket.events.get(kind=TicketEvent.Kind.ROUTED)
    notifications.deliver_event(routed.pk)
    to_office = [m for m in mail.outbox if m.to != ["an@example.com"]]
    assert to_office
    assert all(secret not in m.body for m in to_office)
