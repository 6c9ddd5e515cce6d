"""Written decisions on a case's period: complexity, extensions, suspension
and resumption (workflow.decisions, office.ticket_extend). Dates written
out by hand; each action is given its instant."""

from __future__ import annotations

import pytest

from feedback import sweeps, workflow
from feedback.errors import Forbidden, InvalidTransition, ValidationFailed
from feedback.models import Ticket, TicketEvent
from tests.feedback.test_deadlines import at, eod

S = Ticket.Status
E = TicketEvent.Kind


MON_2_MAR = at(2026, 3, 2, 9, 0)


def accepted(submit, world, kind: str) -> Ticket:
    """Received, routed and accepted on Mon 2 Mar 2026: 30 days end Wed 1 Apr."""
    category = world.complaints if kind == "complaint" else world.denunciations
    ticket, _ = submit(kind=kind, category=category, at=MON_2_MAR)
    workflow.ticket_route(ticket, at=MON_2_MAR)
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    assert ticket.due_at == eod(2026, 4, 1)
    return ticket


def extend(ticket, world, when):
    return workflow.ticket_extend(ticket, actor=world.head_a, reason="QĐ gia hạn", at=when)


def test_a_denunciation_not_declared_complex_is_not_extended_art_30_2(world, submit):
    ticket = accepted(submit, world, "denunciation")
    assert "extend" not in workflow.allowed_actions(world.head_a, ticket)
    with pytest.raises(InvalidTransition, match="Điều 30 khoản 2"):
        extend(ticket, world, at(2026, 3, 20, 9))
    ticket.refresh_from_db()
    assert ticket.due_at == eod(2026, 4, 1) and ticket.extensions == 0


def test_a_complex_denunciation_is_extended_once_and_a_second_is_refused_art_30_2(world, submit):
    """Complex: one extension of 30 days from the due date, Wed 1 Apr + 30 =
    Fri 1 May (Labour Day) -> end of Mon 4 May."""
    ticket = accepted(submit, world, "denunciation")
    ticket = workflow.ticket_declare_complex(
        ticket, actor=world.head_a, reason="Nhiều nội dung, nhiều nơi", at=at(2026, 3, 10, 9)
    )
    assert ticket.is_complex and not ticket.is_especially_complex
    assert ticket.due_at == eod(2026, 4, 1)  # no longer period, an extension is possible
    decision = ticket.events.get(kind=E.COMPLEXITY)
    assert decision.actor == world.head_a and decision.data["level"] == "complex"
    ticket = extend(ticket, world, at(2026, 3, 30, 9))
    assert ticket.due_at == eod(2026, 5, 4) and ticket.extensions == 1
    with pytest.raises(InvalidTransition, match="Đã gia hạn 1 lần"):
        extend(ticket, world, at(2026, 4, 30, 9))


def test_an_especially_complex_denunciation_is_extended_twice_and_a_third_is_refused_art_30_3(
    world, submit
):
    """Especially complex: two extensions, Mon 4 May then Wed 3 Jun; the
    third is refused with a message that names the article."""
    ticket = accepted(submit, world, "denunciation")
    ticket = workflow.ticket_declare_complex(
        ticket,
        actor=world.head_a,
        level="especially_complex",
        reason="Liên quan nhiều cơ quan",
        at=at(2026, 3, 10, 9),
    )
    ticket = extend(ticket, world, at(2026, 3, 30, 9))
    ticket = extend(ticket, world, at(2026, 4, 30, 9))
    assert ticket.due_at == eod(2026, 6, 3) and ticket.extensions == 2
    with pytest.raises(InvalidTransition, match="Đã gia hạn 2 lần") as refused:
        extend(ticket, world, at(2026, 6, 1, 9))
    assert "Điều 30 khoản 2, 3" in refused.value.message
    ticket.refresh_from_db()
    assert ticket.due_at == eod(2026, 6, 3) and ticket.extensions == 2
    assert ticket.events.filter(kind=E.EXTENDED).count() == 2
    assert "extend" not in workflow.allowed_actions(world.head_a, ticket)


def test_a_complex_complaint_gets_45_days_from_acceptance_and_no_extension_art_28(world, submit):
    """Luật Khiếu nại 2011 art. 28: 45 days for a complex case, from the
    acceptance on Mon 2 Mar: end of Thu 16 Apr. There is no extension."""
    ticket = accepted(submit, world, "complaint")
    with pytest.raises(InvalidTransition, match="không cho gia hạn"):
        extend(ticket, world, at(2026, 3, 20, 9))
    with pytest.raises(InvalidTransition):
        workflow.ticket_declare_complex(
            ticket, actor=world.head_a, level="especially_complex", reason="x"
        )
    ticket = workflow.ticket_declare_complex(
        ticket, actor=world.head_a, reason="Nhiều người khiếu nại", at=at(2026, 3, 20, 9)
    )
    assert ticket.due_at == eod(2026, 4, 16)
    event = ticket.events.get(kind=E.COMPLEXITY)
    assert "16/04/2026" in event.message
    with pytest.raises(InvalidTransition):
        workflow.ticket_declare_complex(ticket, actor=world.head_a, reason="Lần nữa")


def test_only_the_head_decides_and_a_report_has_no_complexity(world, submit, routed):
    ticket = accepted(submit, world, "denunciation")
    with pytest.raises(Forbidden):
        workflow.ticket_declare_complex(ticket, actor=world.officer_a, reason="Phức tạp")
    with pytest.raises(ValidationFailed):
        workflow.ticket_declare_complex(ticket, actor=world.head_a, level="rất", reason="x")
    report = routed()
    with pytest.raises(InvalidTransition):
        workflow.ticket_declare_complex(report, actor=world.head_a, reason="Phức tạp")
    ticket.refresh_from_db()
    assert not ticket.is_complex
    assert not TicketEvent.objects.filter(kind=E.COMPLEXITY).exists()


def test_a_suspended_denunciation_resumes_with_the_time_that_was_left_art_34(world, submit):
    """Luật Tố cáo 2018 art. 34: suspended Mon 9 Mar 10:00 awaiting a new
    expert examination, resumed Mon 23 Mar 10:00: 14 days are not counted,
    so the period ends at the end of Wed 15 Apr instead of Wed 1 Apr."""
    ticket = accepted(submit, world, "denunciation")
    ticket = workflow.ticket_suspend(
        ticket,
        actor=world.head_a,
        ground="34-1b",
        reason="Chờ kết quả giám định lại",
        at=at(2026, 3, 9, 10),
    )
    assert ticket.is_suspended and not ticket.clock_running
    assert ticket.status == S.IN_PROGRESS
    suspended = ticket.events.get(kind=E.SUSPENDED)
    assert suspended.is_public and "Điều 34 khoản 1 điểm b" in suspended.message
    # No reader counts it late while suspended.
    assert not ticket.is_overdue(at(2026, 4, 2, 9))
    assert sweeps.mark_breaches(now=at(2026, 4, 2, 9)) == 0
    assert not workflow.allowed_actions(world.head_a, ticket) & {"resolve", "extend", "suspend"}
    with pytest.raises(InvalidTransition):
        workflow.ticket_resolve(ticket, actor=world.officer_a, message="Xong")
    ticket = workflow.ticket_resume(
        ticket, actor=world.head_a, reason="Đã có kết quả giám định", at=at(2026, 3, 23, 10)
    )
    assert ticket.paused_since is None and ticket.clock_running
    assert ticket.due_at == eod(2026, 4, 15)
    resumed = ticket.events.get(kind=E.RESUMED)
    assert "15/04/2026" in resumed.message
    assert sweeps.mark_breaches(now=at(2026, 4, 15, 23)) == 0
    assert sweeps.mark_breaches(now=at(2026, 4, 16, 9)) == 1


def test_a_suspension_needs_a_ground_of_the_law_and_an_accepted_case(world, submit):
    ticket = accepted(submit, world, "denunciation")
    with pytest.raises(ValidationFailed):
        workflow.ticket_suspend(ticket, actor=world.head_a, ground="chờ")
    with pytest.raises(Forbidden):
        workflow.ticket_suspend(ticket, actor=world.officer_a, ground="34-1a")
    with pytest.raises(InvalidTransition):
        workflow.ticket_resume(ticket, actor=world.head_a, reason="Không bị tạm đình chỉ")
    ticket.refresh_from_db()
    assert ticket.paused_since is None
    new, _ = submit(kind="denunciation", category=world.denunciations)
    new = workflow.ticket_route(new)
    assert "suspend" not in workflow.allowed_actions(world.head_a, new)


def test_the_head_decides_through_dispatch(world, submit):
    ticket = accepted(submit, world, "denunciation")
    ticket = workflow.perform(
        "declare_complex",
        ticket,
        actor=world.head_a,
        params={"level": "especially_complex", "reason": "Nhiều nơi"},
    )
    assert ticket.is_especially_complex
    ticket = workflow.perform(
        "suspend", ticket, actor=world.head_a, params={"ground": "34-1a", "reason": ""}
    )
    assert ticket.is_suspended
    ticket = workflow.perform("resume", ticket, actor=world.head_a, params={"reason": "Xong"})
    assert not ticket.is_suspended
