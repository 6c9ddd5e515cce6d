"""Second-instance complaints (Luật Khiếu nại 2011 art. 33, 36, 37): a new
case at the superior body, linked to the first, filed within 30 days of the
first decision (45 in remote areas), with its own periods. Reports keep
their reopening. Dates written out by hand; each action is given its
instant."""

from __future__ import annotations

import pytest
from django.utils import timezone

from feedback import deadlines, workflow
from feedback.errors import InvalidTransition
from feedback.models import Ticket, TicketEvent
from feedback.reporter_link import private_path
from tests.feedback.test_deadlines import at, eod

S = Ticket.Status
E = TicketEvent.Kind


MON_2_MAR = at(2026, 3, 2, 9, 0)
DECIDED = at(2026, 3, 25, 10, 0)  # the first decision, Wed 25 Mar


def decided_complaint(submit, world) -> tuple[Ticket, str]:
    ticket, secret = submit(kind="complaint", category=world.complaints, at=MON_2_MAR)
    workflow.ticket_route(ticket, at=MON_2_MAR)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    ticket = workflow.ticket_resolve(
        ticket, actor=world.officer_a, message="Giữ nguyên quyết định số 12.", at=DECIDED
    )
    return ticket, secret


def test_a_second_instance_complaint_is_a_new_case_at_the_superior_body_art_33_37(world, submit):
    """Decided Wed 25 Mar; appealed Fri 24 Apr, the 30th day (art. 33). The
    city committee (office A's parent) must accept within 10 days, to the
    end of Mon 4 May (art. 36); accepted Tue 28 Apr, it resolves within 45
    days of that, Fri 12 Jun (art. 37)."""
    first, secret = decided_complaint(submit, world)
    assert "appeal" in workflow.citizen_actions(first, at=at(2026, 4, 24, 10))
    assert "reopen" not in workflow.citizen_actions(first, at=at(2026, 3, 26, 10))
    filed = workflow.ticket_appeal(
        first, secret=secret, reason="Không đồng ý với quyết định số 12.", at=at(2026, 4, 24, 10)
    )
    second = filed.ticket
    assert second.pk != first.pk and second.previous_instance == first
    assert second.instance == 2 and second.kind == Ticket.Kind.COMPLAINT
    assert second.office == world.city and second.status == S.ROUTED
    assert second.contact_email == first.contact_email
    assert deadlines.policy_for(second).code == "complaint_second"
    assert second.ack_due_at == eod(2026, 5, 4)
    second = workflow.ticket_acknowledge(second, actor=world.admin, at=at(2026, 4, 28, 9))
    assert second.due_at == eod(2026, 6, 12)
    link = first.events.get(kind=E.SECOND_INSTANCE)
    assert link.is_public and link.data["code"] == second.code
    # Once only.
    assert "appeal" not in workflow.citizen_actions(first, at=at(2026, 4, 24, 11))
    with pytest.raises(InvalidTransition):
        workflow.ticket_appeal(first, secret=secret, reason="Lần nữa", at=at(2026, 4, 24, 11))


def test_a_second_instance_complaint_after_30_days_is_refused_art_33(world, submit):
    first, secret = decided_complaint(submit, world)
    late = at(2026, 4, 25, 9)  # day 31
    assert "appeal" not in workflow.citizen_actions(first, at=late)
    with pytest.raises(InvalidTransition, match="Điều 33"):
        workflow.ticket_appeal(first, secret=secret, reason="Không đồng ý", at=late)
    assert not Ticket.objects.filter(instance=2).exists()


def test_a_remote_commune_has_45_days_to_appeal_art_33():
    """Decided Wed 25 Mar in a remote commune: 45 days end Sat 9 May, a day
    off, so the window closes at the end of Mon 11 May."""
    from feedback.models import AdministrativeUnit

    unit = AdministrativeUnit(code="x", name="Xã Ba Vì", kind="commune", is_remote=True)
    ticket = Ticket(kind="complaint", unit=unit, resolved_at=DECIDED, received_at=MON_2_MAR)
    assert deadlines.second_instance_window(ticket, DECIDED) == (DECIDED, eod(2026, 5, 11))
    unit.is_remote = False
    assert deadlines.second_instance_window(ticket, DECIDED) == (DECIDED, eod(2026, 4, 24))


def test_a_complaint_is_not_reopened_but_a_report_still_is(world, submit):
    first, secret = decided_complaint(submit, world)
    with pytest.raises(InvalidTransition, match="lần hai"):
        workflow.ticket_reopen(first, secret=secret, reason="Chưa hài lòng", at=at(2026, 3, 26))
    report, report_secret = submit(at=MON_2_MAR)
    workflow.ticket_route(report, at=MON_2_MAR)
    workflow.ticket_resolve(report, actor=world.officer_a, message="Xong", at=DECIDED)
    report = workflow.ticket_reopen(
        report, secret=report_secret, reason="Vẫn còn", at=at(2026, 3, 26)
    )
    assert report.status == S.REOPENED


def test_the_complainant_appeals_from_the_private_page(world, submit, client):
    """The page judges the window on the real clock: the first decision is
    moved to "just now", so the window is open whatever day the suite runs."""
    first, _secret = decided_complaint(submit, world)
    Ticket.objects.filter(pk=first.pk).update(resolved_at=timezone.now())
    page = private_path(first)
    body = client.get(page).content.decode()
    assert "Gửi khiếu nại lần hai" in body and "Đề nghị mở lại" not in body
    response = client.post(page, {"action": "appeal", "reason": "Không đồng ý."})
    second = Ticket.objects.get(previous_instance=first)
    assert response.status_code == 302 and response["Location"] == private_path(second)
    assert second.office == world.city and second.description == "Không đồng ý."
