"""Denunciations not within competence are forwarded within 5 working days
(Luật Tố cáo 2018): workflow.ticket_mark_forward_breached and its sweep."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from feedback import sweeps, workflow
from feedback.models import TicketEvent

E = TicketEvent.Kind
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MON_2_MAR = datetime(2026, 3, 2, 9, 0, tzinfo=HANOI)
# 5 working days from Mon 2 Mar: end of Mon 9 Mar.
TUE_10_MAR = datetime(2026, 3, 10, 9, 0, tzinfo=HANOI)


def denunciation(submit, world):
    ticket, _ = submit(kind="denunciation", category=world.denunciations, at=MON_2_MAR)
    return workflow.ticket_route(ticket, at=MON_2_MAR)


def forward_breaches(ticket):
    return ticket.events.filter(kind=E.BREACHED, data__deadline="forward")


def test_it_sets_the_forwarding_deadline_at_routing(world, submit):
    ticket = denunciation(submit, world)
    assert ticket.forward_due_at == datetime(2026, 3, 9, 23, 59, 59, 999999, tzinfo=HANOI)


def test_it_marks_an_untouched_denunciation_late_to_forward_once(world, submit):
    ticket = denunciation(submit, world)
    workflow.ticket_mark_forward_breached(ticket, at=datetime(2026, 3, 9, 17, 0, tzinfo=HANOI))
    assert not forward_breaches(ticket).exists()
    workflow.ticket_mark_forward_breached(ticket, at=TUE_10_MAR)
    workflow.ticket_mark_forward_breached(ticket, at=TUE_10_MAR)
    event = forward_breaches(ticket).get()
    assert event.office == world.office_a and not event.is_public
    ticket.refresh_from_db()
    assert ticket.breached_at is None  # the resolve deadline is another matter


def test_it_does_not_count_an_accepted_denunciation(world, submit):
    ticket = denunciation(submit, world)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    workflow.ticket_mark_forward_breached(ticket, at=TUE_10_MAR)
    assert not forward_breaches(ticket).exists()


def test_it_does_not_count_a_denunciation_handed_on(world, submit):
    ticket = denunciation(submit, world)
    workflow.ticket_transfer(
        ticket, actor=world.officer_a, to_office=world.office_b, reason="Cán bộ phường Ba Đình"
    )
    workflow.ticket_mark_forward_breached(ticket, at=TUE_10_MAR)
    assert not forward_breaches(ticket).exists()


def test_it_does_not_apply_to_other_kinds(world, submit):
    ticket, _ = submit(at=MON_2_MAR)
    ticket = workflow.ticket_route(ticket, at=MON_2_MAR)
    assert ticket.forward_due_at is None
    workflow.ticket_mark_forward_breached(ticket, at=TUE_10_MAR)
    assert not forward_breaches(ticket).exists()


def test_the_breach_sweep_marks_late_forwarding_once_and_tells_the_office(world, submit):
    ticket = denunciation(submit, world)
    assert sweeps.mark_breaches(now=datetime(2026, 3, 9, 12, 0, tzinfo=HANOI)) == 0
    assert sweeps.mark_breaches(now=TUE_10_MAR) == 1
    assert sweeps.mark_breaches(now=TUE_10_MAR) == 0
    event = forward_breaches(ticket).get()
    from feedback import notifications

    assert notifications.office_recipients(event) == [
        world.head_a.email,
        world.officer_a.email,
    ]
