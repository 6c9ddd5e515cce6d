"""Acceptance (thụ lý) of complaints and denunciations: the legal act, its
period, its refusal grounds and the notice to the citizen
(workflow.acceptance). Dates are written out by hand; the clock is the
`at=` each action is given."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail

from feedback import notifications, workflow
from feedback.errors import InvalidTransition, ValidationFailed
from feedback.models import Ticket, TicketEvent
from tests.feedback.test_deadlines import at, eod

S = Ticket.Status
E = TicketEvent.Kind


MON_2_MAR = at(2026, 3, 2, 9, 0)


def complaint(submit, world, when: datetime = MON_2_MAR, **extra) -> Ticket:
    ticket, _ = submit(kind="complaint", category=world.complaints, at=when, **extra)
    return workflow.ticket_route(ticket, at=when)


def denunciation(submit, world, when: datetime = MON_2_MAR) -> Ticket:
    ticket, _ = submit(kind="denunciation", category=world.denunciations, at=when)
    return workflow.ticket_route(ticket, at=when)


def test_a_complaint_is_accepted_on_day_10_and_resolved_within_30_days_of_it_art_27_28(
    world, submit
):
    """Luật Khiếu nại 2011 art. 27: accept within 10 days of receipt (Mon 2
    Mar -> end of Thu 12 Mar); art. 28: 30 days from acceptance, not from
    receipt. Accepted Thu 12 Mar: day 30 is Sat 11 Apr, a day off, so the
    period ends at the end of Mon 13 Apr (Civil Code art. 148)."""
    ticket = complaint(submit, world)
    assert ticket.ack_due_at == eod(2026, 3, 12)
    # Until it is accepted, the period is counted from the latest lawful
    # acceptance.
    assert ticket.due_at == eod(2026, 4, 13)
    assert ticket.accepted_at is None

    accepted = at(2026, 3, 12, 15, 0)
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=accepted)
    assert ticket.status == S.IN_PROGRESS
    assert ticket.accepted_at == accepted == ticket.acknowledged_at == ticket.clock_started_at
    assert ticket.due_at == eod(2026, 4, 13)
    assert ticket.acknowledged_at <= ticket.ack_due_at  # on time, for the scores
    event = ticket.events.get(kind=E.ACCEPTED)
    assert event.is_public and event.actor == world.officer_a
    assert event.data["on_time"] is True and event.data["deadline"] == "ack"
    assert "12/03/2026" in event.message and "13/04/2026" in event.message
    assert "Điều 28" in event.message


def test_a_complaint_accepted_on_day_3_runs_30_days_from_day_3_art_28(world, submit):
    """Accepted Thu 5 Mar: 30 days end Sat 4 Apr -> end of Mon 6 Apr. Counted
    from receipt it would have been Wed 1 Apr."""
    ticket = complaint(submit, world)
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=at(2026, 3, 5, 10))
    assert ticket.due_at == eod(2026, 4, 6)


def test_a_late_acceptance_is_recorded_as_late(world, submit):
    ticket = complaint(submit, world)
    late = at(2026, 3, 13, 8, 0)  # day 11
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=late)
    assert ticket.acknowledged_at > ticket.ack_due_at
    assert ticket.events.get(kind=E.ACCEPTED).data["on_time"] is False
    # Still 30 days from the acceptance itself: 13 Mar + 30 = Sun 12 Apr -> Mon 13 Apr.
    assert ticket.due_at == eod(2026, 4, 13)


def test_a_denunciation_is_screened_in_7_then_10_working_days_art_24(world, submit):
    """Luật Tố cáo 2018 art. 24(1): 7 working days from Mon 2 Mar end on Wed
    11 Mar; extended (verification at several places) to 10: Mon 16 Mar.
    Accepted that day, art. 30(1): 30 days from acceptance, Wed 15 Apr."""
    ticket = denunciation(submit, world)
    assert ticket.ack_due_at == eod(2026, 3, 11)
    assert ticket.forward_due_at == eod(2026, 3, 9)
    ticket = workflow.ticket_extend_screening(
        ticket, actor=world.officer_a, reason="Xác minh tại hai phường", at=at(2026, 3, 10, 9)
    )
    assert ticket.ack_due_at == eod(2026, 3, 16)
    event = ticket.events.get(kind=E.EXTENDED)
    assert event.data["deadline"] == "ack"
    assert datetime.fromisoformat(event.data["new_due"]) == eod(2026, 3, 16)
    assert "Điều 24" in event.message
    with pytest.raises(InvalidTransition):
        workflow.ticket_extend_screening(
            ticket, actor=world.officer_a, reason="Lần nữa", at=at(2026, 3, 11, 9)
        )
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=at(2026, 3, 16, 10))
    assert ticket.accepted_at == at(2026, 3, 16, 10)
    assert ticket.due_at == eod(2026, 4, 15)
    assert ticket.acknowledged_at <= ticket.ack_due_at


def test_screening_cannot_be_extended_once_the_7_days_have_run_art_24(world, submit):
    ticket = denunciation(submit, world)
    with pytest.raises(InvalidTransition):
        workflow.ticket_extend_screening(
            ticket, actor=world.officer_a, reason="Muộn", at=at(2026, 3, 12, 9)
        )
    ticket.refresh_from_db()
    assert ticket.ack_due_at == eod(2026, 3, 11) and not ticket.screening_extended
    assert not ticket.events.filter(kind=E.EXTENDED).exists()


def test_only_a_denunciation_has_a_screening_to_extend(world, submit):
    ticket = complaint(submit, world)
    with pytest.raises(InvalidTransition):
        workflow.ticket_extend_screening(ticket, actor=world.officer_a, reason="Xác minh")


def test_a_complaint_is_refused_on_a_ground_of_art_11_with_a_notice(world, submit):
    """Luật Khiếu nại 2011 art. 11(6): the time limit to complain has run.
    The case ends, acknowledged_at records the act, and the citizen is
    emailed the notice."""
    ticket = complaint(submit, world)
    mail.outbox.clear()
    ticket = workflow.ticket_refuse(
        ticket,
        actor=world.officer_a,
        grounds=["kn-11-6"],
        reason="Quyết định bị khiếu nại ban hành năm 2023.",
        at=at(2026, 3, 6, 10),
    )
    assert ticket.status == S.REJECTED
    assert ticket.acknowledged_at == at(2026, 3, 6, 10) == ticket.closed_at
    assert ticket.accepted_at is None
    event = ticket.events.get(kind=E.REFUSED)
    assert event.is_public and event.data["grounds"] == ["kn-11-6"]
    assert event.data["on_time"] is True
    assert "Điều 11 khoản 6" in event.message and "năm 2023" in event.message
    assert event.notified_at is None and notifications.owes_delivery(event.kind)
    notifications.deliver_event(event.pk)
    assert [m.to for m in mail.outbox] == [["an@example.com"]]
    assert "Điều 11 khoản 6" in mail.outbox[0].body


def test_a_denunciation_is_refused_on_a_condition_of_art_25(world, submit):
    ticket = denunciation(submit, world)
    ticket = workflow.ticket_refuse(ticket, actor=world.officer_a, grounds=["tc-25-1d"])
    assert ticket.status == S.REJECTED
    assert "Điều 25 khoản 1 điểm d" in ticket.events.get(kind=E.REFUSED).message


@pytest.mark.parametrize(
    ("grounds", "field"),
    [([], "grounds"), (["tc-25-1d"], "grounds"), (["kn-11-6", "bịa"], "grounds")],
)
def test_a_refusal_without_a_ground_of_its_kind_changes_nothing(world, submit, grounds, field):
    """A complaint is refused only on art. 11's grounds (tc-25-1d is a
    denunciation's); a bad request leaves the ticket as it was."""
    ticket = complaint(submit, world)
    with pytest.raises(ValidationFailed) as error:
        workflow.ticket_refuse(ticket, actor=world.officer_a, grounds=grounds)
    assert error.value.field == field
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED and ticket.acknowledged_at is None
    assert not ticket.events.filter(kind=E.REFUSED).exists()


def test_a_report_is_acknowledged_not_accepted(world, routed):
    """Reports keep the city's rules: no acceptance act, no refusal."""
    ticket = routed()
    due = ticket.due_at
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    assert ticket.accepted_at is None and ticket.due_at == due
    assert ticket.events.filter(kind=E.ACKNOWLEDGED).exists()
    assert not ticket.events.filter(kind=E.ACCEPTED).exists()
    with pytest.raises(InvalidTransition):
        workflow.ticket_refuse(ticket, actor=world.officer_a, grounds=["kn-11-6"])


def test_a_complaint_is_not_resolved_before_it_is_accepted(world, submit):
    ticket = complaint(submit, world)
    assert "resolve" not in workflow.allowed_actions(world.officer_a, ticket)
    assert {"acknowledge", "refuse"} <= workflow.allowed_actions(world.officer_a, ticket)
    with pytest.raises(InvalidTransition):
        workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong")
    ticket.refresh_from_db()
    assert ticket.status == S.ROUTED


def test_the_office_refuses_through_dispatch_with_form_values(world, submit):
    """perform() reads the grounds as a form's repeated field or a JSON list."""
    from django.http import QueryDict

    ticket = complaint(submit, world)
    params = QueryDict(mutable=True)
    params.setlist("grounds", ["kn-11-2", "kn-11-5"])
    params["reason"] = "Không ký đơn."
    ticket = workflow.perform("refuse", ticket, actor=world.officer_a, params=params)
    assert ticket.events.get(kind=E.REFUSED).data["grounds"] == ["kn-11-2", "kn-11-5"]
    other = complaint(submit, world)
    other = workflow.perform(
        "refuse", other, actor=world.officer_a, params={"grounds": ["kn-11-9"]}
    )
    assert other.status == S.REJECTED
