"""The Celery tasks, run in-process: thin, idempotent, and a sweep runs
once at a time."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from feedback.errors import NotFound
from feedback.models import Ticket, TicketEvent
from workers import tasks


def test_it_routes_a_ticket_once_however_often_the_task_runs(world, submit):
    ticket, _ = submit()
    assert tasks.route_ticket.apply(args=(ticket.pk,)).get() == Ticket.Status.ROUTED
    tasks.route_ticket.apply(args=(ticket.pk,)).get()
    assert ticket.events.filter(kind=TicketEvent.Kind.ROUTED).count() == 1


def test_it_records_a_readable_reason_for_the_route(world, submit):
    ticket, _ = submit(category=world.water_cat, address="12 Hàng Bài")
    tasks.route_ticket.apply(args=(ticket.pk,)).get()
    ticket.refresh_from_db()
    rule = ticket.routing_rule
    assert ticket.routing_reason == (
        f"Theo quy tắc #{rule.pk} (lĩnh vực: Cấp nước; địa bàn: mọi địa bàn) "
        "→ Công ty Nước sạch Hà Nội"
    )
    event = ticket.events.get(kind=TicketEvent.Kind.ROUTED)
    assert event.data["rule"] == rule.pk and event.is_public


def test_it_does_not_retry_a_ticket_that_does_not_exist(db):
    # An autoretry would surface as celery.exceptions.Retry, not NotFound.
    with pytest.raises(NotFound):
        tasks.route_ticket.apply(args=(999_999,))


def test_a_sweep_task_takes_an_instant_and_returns_a_count(world, submit):
    submit()
    assert tasks.sweep_unrouted.apply(kwargs={"older_than": 0}).get() == 1
    assert tasks.sweep_breaches.apply(kwargs={"at": "2026-03-09T10:00:00+07:00"}).get() == 0


def test_a_sweep_task_refuses_a_malformed_instant(db):
    with pytest.raises(ValueError, match="ISO 8601"):
        tasks.sweep_breaches.apply(kwargs={"at": "next tuesday"}).get()


def test_a_sweep_is_skipped_while_another_run_holds_its_lock(world, submit):
    submit()
    cache.add("feedback:sweep-lock:unrouted", 1, 60)
    try:
        assert tasks.sweep_unrouted.apply(kwargs={"older_than": 0}).get() is None
        assert Ticket.objects.filter(status=Ticket.Status.RECEIVED).count() == 1
    finally:
        cache.delete("feedback:sweep-lock:unrouted")
    assert tasks.sweep_unrouted.apply(kwargs={"older_than": 0}).get() == 1


def test_every_scheduled_task_exists(settings):
    from celery.schedules import crontab

    from config.celery import app

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
        if isinstance(entry["schedule"], crontab):  # daily or weekly
            assert entry["options"]["expires"] < 24 * 3600
        else:
            assert entry["options"]["expires"] < entry["schedule"] or entry["schedule"] <= 1


def test_two_refusals_send_the_ticket_to_dispatch_with_every_hand_over_public(world, submit):
    from feedback import workflow

    ticket, _ = submit()
    tasks.route_ticket.apply(args=(ticket.pk,)).get()
    workflow.ticket_not_ours(ticket, actor=world.officer_a, reason="Đường của thành phố")
    tasks.route_ticket.apply(args=(ticket.pk,)).get()
    ticket.refresh_from_db()
    assert ticket.office == world.dispatch  # no other committee for ward A: manual triage
    workflow.ticket_transfer(
        ticket, actor=world.dispatcher, to_office=world.office_b, reason="Ba Đình"
    )
    workflow.ticket_not_ours(ticket, actor=world.officer_b, reason="Không thuộc")
    tasks.route_ticket.apply(args=(ticket.pk,)).get()
    ticket.refresh_from_db()
    assert ticket.office == world.dispatch and ticket.refusals == 2
    assert "2 cơ quan đã trả lại" in ticket.routing_reason
    E = TicketEvent.Kind
    hand_overs = ticket.events.filter(kind__in=(E.ROUTED, E.NOT_OURS, E.TRANSFERRED))
    assert [e.kind for e in hand_overs] == [
        E.ROUTED,
        E.NOT_OURS,
        E.ROUTED,
        E.TRANSFERRED,
        E.NOT_OURS,
        E.ROUTED,
    ]
    assert all(e.is_public for e in hand_overs)


def test_a_filing_and_its_routing_send_their_notifications_in_one_task(
    world, submit, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    """Filing queues one task (routing, carrying the receipt's id); routing
    queues one delivery task for the receipt and the routing, in that order.
    Three tasks per ticket became two."""
    from feedback.workflow import core

    queued = []
    monkeypatch.setattr(core, "queue_task", lambda *args: queued.append(args) or True)
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _ = submit()
    received = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    assert received.notified_at is None  # owed, not yet sent
    assert queued == [("workers.tasks.route_ticket", ticket.pk, received.pk)]

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.route_ticket.apply(args=(ticket.pk, received.pk)).get()
    routed = ticket.events.get(kind=TicketEvent.Kind.ROUTED)
    assert queued == [("workers.tasks.deliver_event", received.pk, routed.pk)]
    assert mailoutbox == []

    assert tasks.deliver_event.apply(args=queued[0][1:]).get() is True
    # One message to the reporter naming both, not two within a second.
    to_reporter = [m for m in mailoutbox if m.to == ["an@example.com"]]
    assert [m.subject for m in to_reporter] == [
        f"[Phản ánh {ticket.display_code}] Tiếp nhận · Chuyển xử lý"
    ]
    assert "Tiếp nhận · Chuyển xử lý\n" in to_reporter[0].body
    assert not TicketEvent.objects.filter(ticket=ticket, notified_at__isnull=True).exists()
    # A redelivered task sends nothing twice.
    sent = len(mailoutbox)
    assert tasks.deliver_event.apply(args=queued[0][1:]).get() is False
    assert len(mailoutbox) == sent


def test_a_receipt_carried_to_a_ticket_routed_already_is_still_queued(
    world, submit, monkeypatch, django_capture_on_commit_callbacks
):
    """A second routing task (a sweep raced the first) routes nothing, but
    the receipt it carries is still handed to a delivery task."""
    from feedback.workflow import core

    ticket, _ = submit()
    tasks.route_ticket.apply(args=(ticket.pk,)).get()  # the first routing task
    received = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    queued = []
    monkeypatch.setattr(core, "queue_task", lambda *args: queued.append(args) or True)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.route_ticket.apply(args=(ticket.pk, received.pk)).get()
    assert queued == [("workers.tasks.deliver_event", received.pk)]
    assert ticket.events.filter(kind=TicketEvent.Kind.ROUTED).count() == 1


def test_a_receipt_and_its_routing_reach_an_english_reporter_in_english(
    world, submit, monkeypatch, django_capture_on_commit_callbacks, mailoutbox
):
    from feedback.workflow import core

    queued = []
    monkeypatch.setattr(core, "queue_task", lambda *args: queued.append(args) or True)
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _ = submit(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.route_ticket.apply(args=queued[0][1:]).get()
    tasks.deliver_event.apply(args=queued[-1][1:]).get()
    (mail,) = [m for m in mailoutbox if m.to == ["an@example.com"]]
    assert mail.subject == f"[Report {ticket.display_code}] Received · Forwarded", mail.subject


def test_a_receipt_delivered_alone_still_reaches_the_reporter(world, submit, mailoutbox):
    """The outbox sweep queues events one by one: a receipt whose routing
    never ran is not folded into anything."""
    from feedback import notifications

    ticket, _ = submit()
    received = ticket.events.get(kind=TicketEvent.Kind.RECEIVED)
    assert notifications.deliver_events([received.pk]) is True
    (mail,) = [m for m in mailoutbox if m.to == ["an@example.com"]]
    assert mail.subject == f"[Phản ánh {ticket.display_code}] Tiếp nhận"


def test_a_receipt_is_not_folded_into_another_tickets_event(world, submit, mailoutbox):
    from feedback import notifications, workflow

    first, _ = submit()
    second, _ = submit(contact_email="binh@example.com")
    workflow.ticket_route(second.pk)
    received_first = first.events.get(kind=TicketEvent.Kind.RECEIVED)
    routed_second = second.events.get(kind=TicketEvent.Kind.ROUTED)
    assert notifications.deliver_events([received_first.pk, routed_second.pk]) is True
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects["an@example.com"] == f"[Phản ánh {first.display_code}] Tiếp nhận"
    assert subjects["binh@example.com"] == f"[Phản ánh {second.display_code}] Chuyển xử lý"
