"""The periodic sweeps: what each one picks, that it acts once, and that it
stays within its batch."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from feedback import sweeps, workflow
from feedback.models import Ticket, TicketEvent

S = Ticket.Status
E = TicketEvent.Kind
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
FRI_13_FEB = datetime(2026, 2, 13, 10, 0, tzinfo=HANOI)  # the Friday before Tết


def later(minutes: int = 2) -> datetime:
    return timezone.now() + timedelta(minutes=minutes)


def routed(submit, at: datetime | None = None, **args) -> Ticket:
    ticket, _ = submit(at=at, **args) if at else submit(**args)
    return workflow.ticket_route(ticket, at=at)


def taken_up(submit, world, at: datetime, **args) -> Ticket:
    """Routed and acknowledged at once: only the resolution clock runs."""
    return workflow.ticket_acknowledge(routed(submit, at=at, **args), actor=world.officer_a, at=at)


def test_it_routes_tickets_left_in_received_after_a_minute(world, submit):
    ticket, _ = submit()  # on_commit never fires inside a test transaction: as if Redis was down
    assert sweeps.requeue_unrouted(now=timezone.now()) == 0  # too fresh
    assert sweeps.requeue_unrouted(now=later()) == 1
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED and ticket.office == world.office_a
    assert sweeps.requeue_unrouted(now=later()) == 0


def test_it_requeues_at_most_a_batch_of_unrouted_tickets(world, submit):
    for _ in range(3):
        submit()
    assert sweeps.requeue_unrouted(now=later(), batch=2) == 2
    assert Ticket.objects.filter(status=S.RECEIVED).count() == 1
    assert sweeps.requeue_unrouted(now=later(), batch=2) == 1
    assert not Ticket.objects.filter(status=S.RECEIVED).exists()


def test_it_delivers_events_left_in_the_outbox(world, submit):
    ticket = routed(submit)
    pending = TicketEvent.objects.filter(ticket=ticket, notified_at__isnull=True)
    assert pending.count() == 2  # received and routed, never delivered
    assert sweeps.requeue_undelivered(now=later()) == 2
    assert not pending.exists()
    subjects = [m.subject for m in mail.outbox]
    assert any(world.officer_a.email in m.to for m in mail.outbox)
    assert len(subjects) == 3  # the reporter twice, the office once
    assert sweeps.requeue_undelivered(now=later()) == 0


def test_it_warns_at_three_quarters_of_the_working_time_across_tet(world, submit):
    ticket = routed(submit, at=FRI_13_FEB)
    assert ticket.due_at == datetime(2026, 3, 6, 23, 59, 59, 999999, tzinfo=HANOI)
    assert sweeps.warn_due_soon(now=datetime(2026, 3, 4, 11, 0, tzinfo=HANOI)) == 0
    assert sweeps.warn_due_soon(now=datetime(2026, 3, 4, 12, 30, tzinfo=HANOI)) == 1
    assert sweeps.warn_due_soon(now=datetime(2026, 3, 5, 9, 0, tzinfo=HANOI)) == 0
    assert ticket.events.filter(kind=E.WARNED).count() == 1


def test_it_does_not_warn_while_waiting_for_the_citizen(world, submit):
    ticket = routed(submit, at=FRI_13_FEB)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=FRI_13_FEB)
    workflow.ticket_request_info(ticket, actor=world.officer_a, message="Số nhà?", at=FRI_13_FEB)
    assert sweeps.warn_due_soon(now=datetime(2026, 3, 5, 9, 0, tzinfo=HANOI)) == 0
    assert sweeps.mark_breaches(now=datetime(2026, 3, 9, 9, 0, tzinfo=HANOI)) == 0


def test_it_finds_a_ticket_to_warn_behind_a_full_batch(world, submit):
    # Two urgent tickets due soon but not yet at 75%, and a feedback ticket
    # due later that is: the rotating cursor reaches it within two runs.
    monday = datetime(2026, 3, 9, 8, 0, tzinfo=HANOI)
    slow = routed(submit, at=monday - timedelta(days=14))  # due end of Mon 9 Mar
    for _ in range(2):
        routed(submit, at=monday, priority="urgent")
    now = monday + timedelta(minutes=30)
    warned = sweeps.warn_due_soon(now=now, batch=1) + sweeps.warn_due_soon(now=now, batch=1)
    assert warned == 1
    assert slow.events.filter(kind=E.WARNED).exists()


def test_it_marks_breaches_on_working_time_once(world, submit):
    ticket = taken_up(submit, world, at=FRI_13_FEB)
    assert sweeps.mark_breaches(now=datetime(2026, 3, 2, 10, 0, tzinfo=HANOI)) == 0
    assert sweeps.mark_breaches(now=datetime(2026, 3, 6, 23, 0, tzinfo=HANOI)) == 0
    assert sweeps.mark_breaches(now=datetime(2026, 3, 9, 10, 0, tzinfo=HANOI)) == 1
    assert sweeps.mark_breaches(now=datetime(2026, 3, 10, 10, 0, tzinfo=HANOI)) == 0
    ticket.refresh_from_db()
    assert ticket.breached_at == datetime(2026, 3, 9, 10, 0, tzinfo=HANOI)


def test_it_escalates_a_breach_to_the_parent_office_once(world, submit):
    ticket = taken_up(submit, world, at=FRI_13_FEB)
    march_9 = datetime(2026, 3, 9, 10, 0, tzinfo=HANOI)
    assert sweeps.escalate_breaches(now=march_9) == 0  # not breached yet
    sweeps.mark_breaches(now=march_9)
    assert sweeps.escalate_breaches(now=march_9) == 1
    assert sweeps.escalate_breaches(now=march_9) == 0
    escalated = ticket.events.get(kind=E.ESCALATED)
    assert escalated.data["to_office"] == world.city.pk


def test_it_does_not_escalate_a_ticket_resolved_after_its_breach(world, submit):
    ticket = routed(submit, at=FRI_13_FEB)
    march_9 = datetime(2026, 3, 9, 10, 0, tzinfo=HANOI)
    sweeps.mark_breaches(now=march_9)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong.", at=march_9)
    assert sweeps.escalate_breaches(now=march_9) == 0


def test_it_closes_answers_left_quiet_for_seven_days(world, submit):
    ticket = routed(submit, at=FRI_13_FEB)
    answered = datetime(2026, 2, 24, 9, 0, tzinfo=HANOI)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.", at=answered)
    assert sweeps.close_quiet(now=answered + timedelta(days=6)) == 0
    assert sweeps.close_quiet(now=answered + timedelta(days=7, minutes=1)) == 1
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert sweeps.close_quiet(now=answered + timedelta(days=8)) == 0


def test_it_closes_an_answer_rated_unsatisfied_but_not_reopened(world, submit):
    ticket, secret = submit(at=FRI_13_FEB)
    workflow.ticket_route(ticket, at=FRI_13_FEB)
    answered = datetime(2026, 2, 24, 9, 0, tzinfo=HANOI)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom.", at=answered)
    workflow.ticket_rate(ticket, secret=secret, overall=2, at=answered + timedelta(days=1))
    assert sweeps.close_quiet(now=answered + timedelta(days=8)) == 1


def test_run_all_reports_a_count_per_sweep(world, submit):
    submit()
    counts = sweeps.run_all(now=later())
    assert set(counts) == set(sweeps.SWEEPS)
    assert counts["unrouted"] == 1


def test_a_sweep_goes_on_past_a_ticket_that_fails(world, submit, monkeypatch):
    first, _ = submit()
    second, _ = submit()
    real = sweeps.queue_task

    def flaky(name, pk):
        if pk == first.pk:
            raise RuntimeError("boom")
        return real(name, pk)

    monkeypatch.setattr(sweeps, "queue_task", flaky)
    assert sweeps.requeue_unrouted(now=later()) == 1
    second.refresh_from_db()
    assert second.status == S.ROUTED


@pytest.mark.parametrize("batch", [0, 1])
def test_it_touches_no_more_than_the_batch(world, submit, batch):
    for _ in range(2):
        taken_up(submit, world, at=FRI_13_FEB)
    assert sweeps.mark_breaches(now=datetime(2026, 3, 9, tzinfo=HANOI), batch=batch) == batch
