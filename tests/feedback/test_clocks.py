"""The clocks as every reader sees them: the receipt/acceptance deadline
warned, breached and escalated like the resolution deadline; a new period
(reopening, extension, acceptance) warned and escalated in its own right;
waiting for the citizen pauses only where the policy pauses. Dates are
written out by hand; `now` is given to every sweep and action."""

from __future__ import annotations

from datetime import datetime

from feedback import deadlines, selectors, sweeps, workflow
from feedback.models import Ticket, TicketEvent, ack_overdue_q, clock_running_q, overdue_q
from tests.feedback.test_deadlines import at, eod

S = Ticket.Status
E = TicketEvent.Kind


MON_2_MAR = at(2026, 3, 2, 9, 0)


def routed_at(submit, when: datetime, **extra) -> Ticket:
    ticket, _ = submit(at=when, **extra)
    return workflow.ticket_route(ticket, at=when)


def ack_events(ticket: Ticket, kind: str):
    return ticket.events.filter(kind=kind, data__deadline="ack")


# --- the receipt/acceptance deadline (issue 10 point 2) -----------------------------


def test_a_report_is_warned_after_6_of_its_8_working_hours_for_receipt(world, submit):
    """QĐ 1207/QĐ-UBND 2025 (iHanoi): receipt within 8 working hours. Mon 2
    Mar 09:00 + 8 h = Tue 3 Mar 09:00; 75 % (6 h) is Mon 16:00."""
    ticket = routed_at(submit, MON_2_MAR)
    assert ticket.ack_due_at == at(2026, 3, 3, 9, 0)
    assert deadlines.ack_warn_at(ticket) == at(2026, 3, 2, 16, 0)
    assert sweeps.warn_due_soon(now=at(2026, 3, 2, 15, 55)) == 0
    assert sweeps.warn_due_soon(now=at(2026, 3, 2, 16, 5)) == 1
    assert sweeps.warn_due_soon(now=at(2026, 3, 2, 16, 30)) == 0
    warned = ack_events(ticket, E.WARNED).get()
    assert datetime.fromisoformat(warned.data["due_at"]) == at(2026, 3, 3, 9, 0)
    assert not ticket.events.filter(kind=E.WARNED).exclude(data__deadline="ack").exists()


def test_a_late_receipt_is_breached_and_escalated_once_then_the_resolution_breach_again(
    world, submit
):
    ticket = routed_at(submit, MON_2_MAR)
    assert sweeps.mark_breaches(now=at(2026, 3, 3, 8, 59)) == 0
    assert sweeps.mark_breaches(now=at(2026, 3, 3, 9, 30)) == 1
    assert sweeps.mark_breaches(now=at(2026, 3, 3, 10, 0)) == 0
    ticket.refresh_from_db()
    assert ticket.ack_breached_at == at(2026, 3, 3, 9, 30) and ticket.breached_at is None
    assert Ticket.objects.filter(ack_overdue_q(at(2026, 3, 3, 9, 30))).get() == ticket
    assert sweeps.escalate_breaches(now=at(2026, 3, 3, 9, 35)) == 1
    assert sweeps.escalate_breaches(now=at(2026, 3, 3, 9, 40)) == 0
    escalated = ack_events(ticket, E.ESCALATED).get()
    assert escalated.data["to_office"] == world.city.pk
    # Acknowledged late: the scores read it as late, the ack clock stops.
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=at(2026, 3, 3, 10))
    assert ticket.acknowledged_at > ticket.ack_due_at
    assert not Ticket.objects.filter(ack_overdue_q(at(2026, 3, 4, 9))).exists()
    # 10 working days from Mon 2 Mar: end of Mon 16 Mar. Its breach is a new
    # one, reported in its own right.
    assert ticket.due_at == eod(2026, 3, 16)
    assert sweeps.mark_breaches(now=at(2026, 3, 17, 9)) == 1
    assert sweeps.escalate_breaches(now=at(2026, 3, 17, 9, 5)) == 1
    assert ticket.events.filter(kind=E.ESCALATED).count() == 2


def test_a_complaint_not_accepted_within_10_days_is_warned_breached_and_escalated_art_27(
    world, submit
):
    """Luật Khiếu nại 2011 art. 27: 10 days from Mon 2 Mar end on Thu 12
    Mar; 7.5 days from the midnight after receipt is Tue 10 Mar 12:00."""
    ticket = routed_at(submit, MON_2_MAR, kind="complaint", category=world.complaints)
    assert deadlines.ack_warn_at(ticket) == at(2026, 3, 10, 12, 0)
    assert sweeps.warn_due_soon(now=at(2026, 3, 10, 11, 0)) == 0
    assert sweeps.warn_due_soon(now=at(2026, 3, 10, 12, 5)) == 1
    assert sweeps.mark_breaches(now=at(2026, 3, 12, 23, 0)) == 0
    assert sweeps.mark_breaches(now=at(2026, 3, 13, 8, 0)) == 1
    assert sweeps.escalate_breaches(now=at(2026, 3, 13, 8, 5)) == 1
    # Accepted late on Fri 13 Mar: 30 days from then, Sun 12 Apr -> Mon 13 Apr.
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=at(2026, 3, 13, 9))
    assert ticket.due_at == eod(2026, 4, 13)
    assert ticket.escalated_at is None and ticket.ack_breached_at == at(2026, 3, 13, 8, 0)
    assert sweeps.escalate_breaches(now=at(2026, 3, 13, 9, 5)) == 0
    assert sweeps.mark_breaches(now=at(2026, 4, 14, 8)) == 1
    assert sweeps.escalate_breaches(now=at(2026, 4, 14, 8, 5)) == 1


def test_a_denunciation_is_warned_after_75_percent_of_its_7_screening_days_art_24(world, submit):
    """Luật Tố cáo 2018 art. 24(1): 7 working days from Mon 2 Mar; 5.25 of
    them have run at 10:00 on Tue 10 Mar (3-6, 9 Mar, then 2 office hours)."""
    ticket = routed_at(submit, MON_2_MAR, kind="denunciation", category=world.denunciations)
    assert ticket.ack_due_at == eod(2026, 3, 11)
    assert deadlines.ack_warn_at(ticket) == at(2026, 3, 10, 10, 0)


def test_the_inbox_shows_and_filters_a_late_acceptance(world, submit):
    ticket = routed_at(submit, MON_2_MAR, kind="complaint", category=world.complaints)
    place = selectors.workplace_for(world.officer_a, None)
    late = selectors.inbox(
        world.officer_a, place, selectors.InboxFilters(due="overdue"), now=at(2026, 3, 13, 8)
    )
    assert list(late) == [ticket]
    from feedback.views_staff import due_info

    info = due_info(ticket, at(2026, 3, 13, 8))
    assert info["ack"]["overdue"] and not info["overdue"]
    assert "thụ lý" in info["ack"]["label"]
    assert due_info(ticket, at(2026, 3, 5, 8))["ack"]["overdue"] is False


# --- a new period is watched in its own right (issue 9 point 5) ---------------------


def test_a_reopened_report_is_warned_at_75_percent_of_its_new_period(world, submit):
    """Reopened Thu 5 Mar 10:00: 10 working days end Thu 19 Mar; 7.5 of them
    run from the midnight after the reopening to Tue 17 Mar 12:00, not from
    the first receipt on Mon 2 Mar."""
    ticket, secret = submit(at=MON_2_MAR)
    workflow.ticket_route(ticket, at=MON_2_MAR)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong", at=at(2026, 3, 4, 10))
    reopened = at(2026, 3, 5, 10)
    ticket = workflow.ticket_reopen(ticket, secret=secret, reason="Vẫn còn rác", at=reopened)
    assert ticket.clock_started_at == reopened
    assert ticket.due_at == eod(2026, 3, 19)
    assert ticket.ack_due_at == at(2026, 3, 3, 9, 0)  # the first receipt's, settled
    assert deadlines.warn_at(ticket) == at(2026, 3, 17, 12, 0)
    assert sweeps.warn_due_soon(now=at(2026, 3, 16, 16, 0)) == 0
    assert sweeps.warn_due_soon(now=at(2026, 3, 17, 12, 30)) == 1


def test_a_denunciation_breached_again_after_an_extension_is_escalated_again_art_30(world, submit):
    """Luật Tố cáo 2018 art. 30: accepted Mon 2 Mar, 30 days end Wed 1 Apr.
    Breached and escalated Thu 2 Apr; extended 30 days from the old due date:
    Fri 1 May is a holiday, so end of Mon 4 May. Breached again on Tue 5 May:
    escalated again."""
    ticket = routed_at(
        submit, MON_2_MAR, kind="denunciation", category=world.denunciations, is_complex=True
    )
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    assert ticket.due_at == eod(2026, 4, 1)
    assert sweeps.mark_breaches(now=at(2026, 4, 2, 9)) == 1
    assert sweeps.escalate_breaches(now=at(2026, 4, 2, 9, 5)) == 1
    ticket = workflow.ticket_extend(
        ticket, actor=world.head_a, reason="QĐ gia hạn số 12", at=at(2026, 4, 2, 10)
    )
    assert ticket.due_at == eod(2026, 5, 4)
    assert ticket.escalated_at is None and ticket.breached_at is None
    assert sweeps.mark_breaches(now=at(2026, 5, 4, 23)) == 0
    assert sweeps.mark_breaches(now=at(2026, 5, 5, 9)) == 1
    assert sweeps.escalate_breaches(now=at(2026, 5, 5, 9, 5)) == 1
    assert ticket.events.filter(kind=E.ESCALATED).count() == 2


# --- waiting for the citizen pauses only where the policy pauses ---------------------


def test_asking_a_complainant_for_more_does_not_stop_the_clock(world, submit):
    """The complaint preset does not pause (missing papers are asked for
    before acceptance, Luật Khiếu nại 2011 art. 27): overdue, warned and
    breached all read the running clock."""
    ticket = routed_at(submit, MON_2_MAR, kind="complaint", category=world.complaints)
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    due = ticket.due_at
    assert due == eod(2026, 4, 1)
    ticket = workflow.ticket_request_info(
        ticket, actor=world.officer_a, message="Bản sao quyết định?", at=at(2026, 3, 3, 9)
    )
    assert ticket.status == S.AWAITING_CITIZEN and ticket.paused_since is None
    assert ticket.clock_running
    late = at(2026, 4, 2, 9)
    assert ticket.is_overdue(late)
    assert Ticket.objects.filter(overdue_q(late)).get() == ticket
    assert sweeps.mark_breaches(now=late) == 1
    # The reply gives no time back: the clock never stopped.
    ticket = workflow.ticket_citizen_reply(
        ticket, secret=_secret(ticket), message="Đã gửi", at=at(2026, 3, 10, 9)
    )
    assert ticket.due_at == due


def test_asking_a_reporter_for_more_stops_the_clock_everywhere(world, submit):
    """The feedback preset pauses: no reader counts a paused ticket late."""
    ticket = routed_at(submit, MON_2_MAR)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    ticket = workflow.ticket_request_info(
        ticket, actor=world.officer_a, message="Số nhà?", at=at(2026, 3, 3, 9)
    )
    assert ticket.paused_since == at(2026, 3, 3, 9) and not ticket.clock_running
    late = at(2026, 3, 20, 9)
    assert not ticket.is_overdue(late)
    assert not Ticket.objects.filter(clock_running_q()).exists()
    assert sweeps.mark_breaches(now=late) == 0
    assert sweeps.warn_due_soon(now=late) == 0


def _secret(ticket: Ticket) -> str:
    from feedback.reporter_link import reporter_secret

    return reporter_secret(ticket)
