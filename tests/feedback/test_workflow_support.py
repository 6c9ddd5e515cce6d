"""workflow.ticket_support, support_fingerprint and citizen_actions (issue #3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback import workflow
from feedback.errors import InvalidTransition, NotFound, ValidationFailed
from feedback.models import Support, TicketEvent

E = TicketEvent.Kind


def test_it_counts_a_supporter_and_records_a_public_event(submit):
    ticket, _ = submit()
    workflow.ticket_support(ticket, fingerprint="f" * 64)
    ticket.refresh_from_db()
    assert ticket.supporter_count == 1
    event = ticket.events.get(kind=E.SUPPORTED)
    assert event.is_public
    assert event.actor_label == "citizen"
    assert "f" * 64 not in str(event.data)


def test_a_second_support_by_the_same_person_is_a_quiet_no_op(submit):
    ticket, _ = submit()
    workflow.ticket_support(ticket, fingerprint="abc")
    workflow.ticket_support(ticket, fingerprint="abc")
    ticket.refresh_from_db()
    assert ticket.supporter_count == 1
    assert Support.objects.filter(ticket=ticket).count() == 1
    assert ticket.events.filter(kind=E.SUPPORTED).count() == 1


def test_two_people_count_twice(submit):
    ticket, _ = submit()
    workflow.ticket_support(ticket, fingerprint="a")
    workflow.ticket_support(ticket, fingerprint="b")
    ticket.refresh_from_db()
    assert ticket.supporter_count == 2


def test_it_refuses_a_closed_ticket(submit, world):
    ticket, _ = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_reject(ticket, actor=world.officer_a, reason="Spam")
    with pytest.raises(InvalidTransition):
        workflow.ticket_support(ticket, fingerprint="a")


def test_it_hides_a_non_public_ticket(submit, world):
    ticket, _ = submit(kind="denunciation", category=world.denunciations)
    with pytest.raises(NotFound):
        workflow.ticket_support(ticket, fingerprint="a")
    assert Support.objects.count() == 0


def test_it_needs_a_fingerprint(submit):
    ticket, _ = submit()
    with pytest.raises(ValidationFailed):
        workflow.ticket_support(ticket, fingerprint="  ")


def test_the_fingerprint_is_a_keyed_hash_of_the_address_not_the_raw_data():
    fp = workflow.support_fingerprint(address="203.0.113.9")
    assert len(fp) == 64
    assert "203.0.113.9" not in fp
    assert fp == workflow.support_fingerprint(address="203.0.113.9")
    assert fp != workflow.support_fingerprint(address="203.0.113.10")


def test_the_reporter_may_reply_only_when_asked(submit, world):
    ticket, _ = submit()
    assert workflow.citizen_actions(ticket) == set()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Số nhà?")
    ticket.refresh_from_db()
    assert workflow.citizen_actions(ticket) == {"reply"}


def test_the_reporter_may_rate_and_reopen_a_resolved_ticket_in_time(submit, world, settings):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.")
    ticket.refresh_from_db()
    assert workflow.citizen_actions(ticket) == {"rate", "reopen"}
    later = ticket.resolved_at + timedelta(days=settings.FEEDBACK_CLOSE_AFTER_DAYS, seconds=1)
    assert workflow.citizen_actions(ticket, at=later) == set()  # rating closes with the window


def test_a_satisfied_rating_ends_the_reporters_actions(submit, world):
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.")
    workflow.ticket_rate(ticket, secret=secret, overall=5)
    ticket.refresh_from_db()
    assert workflow.citizen_actions(ticket, at=timezone.now()) == set()
