"""A denunciation handed to another body starts that body's own periods
(Luật Tố cáo 2018 art. 24(1), 30(1)); the denouncer's identity is shown
only to the handling head, and every showing is logged (art. 9)."""

from __future__ import annotations

from django.urls import reverse

from feedback import workflow
from feedback.models import IdentityView, Membership, Ticket
from tests.feedback.test_deadlines import at, eod

MON_2_MAR = at(2026, 3, 2, 9, 0)


def denunciation(submit, world) -> Ticket:
    ticket, _ = submit(kind="denunciation", category=world.denunciations, at=MON_2_MAR)
    return workflow.ticket_route(ticket, at=MON_2_MAR)


def test_a_transferred_denunciation_starts_the_receiving_bodys_periods_art_24_30(world, submit):
    """Received by office A on Mon 2 Mar (screening due end of Wed 11 Mar),
    forwarded to office B on Thu 5 Mar 10:00: B screens within 7 working
    days of that, to the end of Mon 16 Mar, and accepted on Mon 16 Mar it
    resolves within 30 days of its own acceptance, Wed 15 Apr."""
    ticket = denunciation(submit, world)
    assert ticket.ack_due_at == eod(2026, 3, 11)
    ticket = workflow.ticket_transfer(
        ticket,
        actor=world.officer_a,
        to_office=world.office_b,
        reason="Người bị tố cáo công tác tại phường Ba Đình",
        at=at(2026, 3, 5, 10),
    )
    assert ticket.office == world.office_b
    assert ticket.ack_started_at == at(2026, 3, 5, 10)
    assert ticket.ack_due_at == eod(2026, 3, 16)
    assert ticket.acknowledged_at is None and ticket.accepted_at is None
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_b, at=at(2026, 3, 16, 9))
    assert ticket.due_at == eod(2026, 4, 15)
    assert ticket.acknowledged_at <= ticket.ack_due_at


def test_an_accepted_denunciation_sent_on_is_accepted_again_by_the_next_body(world, submit):
    """Accepted by A on Mon 2 Mar and extended... then found not within A's
    competence and forwarded on Mon 9 Mar: B's own screening and acceptance
    follow; A's acceptance stays on the timeline."""
    ticket = denunciation(submit, world)
    ticket = workflow.ticket_acknowledge(ticket, actor=world.officer_a, at=MON_2_MAR)
    ticket = workflow.ticket_transfer(
        ticket, actor=world.officer_a, to_office=world.office_b, reason="Sai thẩm quyền",
        at=at(2026, 3, 9, 10),
    )  # fmt: skip
    assert ticket.status == Ticket.Status.ROUTED and ticket.accepted_at is None
    # 7 working days from Mon 9 Mar: 10-13, 16-18 Mar.
    assert ticket.ack_due_at == eod(2026, 3, 18)
    assert "acknowledge" in workflow.allowed_actions(world.officer_b, ticket)
    assert ticket.events.filter(kind="accepted").count() == 1


def test_a_transferred_report_keeps_its_deadlines(world, routed):
    """Reports keep the city's rules: a transfer does not restart them."""
    ticket = routed()
    ack, due = ticket.ack_due_at, ticket.due_at
    ticket = workflow.ticket_transfer(
        ticket, actor=world.officer_a, to_office=world.office_b, reason="Địa bàn Ba Đình"
    )
    assert (ticket.ack_due_at, ticket.due_at) == (ack, due)


def test_every_showing_of_a_denouncers_identity_is_logged(world, submit, client_as):
    """Luật Tố cáo 2018 art. 9: only the head of the handling office who is
    assigned sees the identity; each page view that shows it writes an
    IdentityView row that administrators read in the admin."""
    ticket = denunciation(submit, world)
    page = reverse("staff:ticket", args=[ticket.code])
    assert "Nguyễn Văn An" not in client_as(world.officer_a).get(page).content.decode()
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.head_a)
    assert not IdentityView.objects.exists()

    body = client_as(world.head_a).get(page).content.decode()
    assert "Nguyễn Văn An" in body
    client_as(world.head_a).get(page)
    views = list(IdentityView.objects.values_list("user__username", "office_id", "via"))
    assert views == [("head_a", world.office_a.pk, "staff:ticket")] * 2

    # Transferred away: office A's head sees it no more, and nothing is logged.
    workflow.ticket_transfer(
        ticket, actor=world.head_a, to_office=world.office_b, reason="Sai thẩm quyền"
    )
    assert client_as(world.head_a).get(page).status_code == 404
    assert IdentityView.objects.count() == 2

    listing = client_as(world.admin).get(reverse("admin:feedback_identityview_changelist"))
    assert listing.status_code == 200 and ticket.display_code in listing.content.decode()


def test_a_report_shown_to_its_office_is_not_logged(world, routed, client_as):
    ticket = routed()
    client_as(world.officer_a).get(reverse("staff:ticket", args=[ticket.code]))
    assert not IdentityView.objects.exists()


def test_the_api_logs_a_denouncers_identity_it_returns(world, submit, client):
    ticket = denunciation(submit, world)
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.head_a)
    client.force_login(world.head_a)
    response = client.get(f"/api/v1/staff/tickets/{ticket.code}/")
    assert response.status_code == 200
    assert response.json()["contact"]["name"] == "Nguyễn Văn An"
    assert IdentityView.objects.get().via == "api:staff_ticket"
    Membership.objects.filter(user=world.head_a).update(role=Membership.Role.OFFICER)
    client.get(f"/api/v1/staff/tickets/{ticket.code}/")
    assert IdentityView.objects.count() == 1
