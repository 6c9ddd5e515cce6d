"""The permission matrix: who reads and who acts on a ticket of office A,
through the domain (permissions, selectors, workflow) and the pages; and a
confidential identity reaches nobody but the assigned head."""

from __future__ import annotations

import pytest

from feedback import permissions, selectors, workflow
from feedback.errors import Forbidden, NotFound
from feedback.models import Ticket

#            can view, can act, sees contact of a plain report
MATRIX = {
    "officer_a": (True, True, True),
    "head_a": (True, True, True),
    "admin": (True, True, True),
    "leader": (True, False, False),
    "officer_b": (False, False, False),
    "dispatcher": (False, False, False),
    "outsider": (False, False, False),
}
NAME, PHONE = "Nguyễn Văn An", "0912345678"


@pytest.mark.parametrize("role", MATRIX)
def test_it_applies_the_same_rules_in_the_domain(world, routed, role):
    view, act, contact = MATRIX[role]
    ticket = routed()
    user = getattr(world, role)
    assert permissions.can_view(user, ticket) is view
    assert permissions.can_act(user, ticket) is act
    assert permissions.can_see_contact(user, ticket) is contact
    assert (ticket in permissions.visible_tickets(user)) is view
    if view:
        assert selectors.ticket_for_staff(user, ticket.code) == ticket
    else:
        with pytest.raises(NotFound):
            selectors.ticket_for_staff(user, ticket.code)
        with pytest.raises(NotFound):
            selectors.timeline(user, ticket)
    assert bool(workflow.allowed_actions(user, ticket)) is act
    if not act:
        with pytest.raises(Forbidden):
            workflow.ticket_note(ticket, actor=user, message="x")
        with pytest.raises(Forbidden):
            workflow.ticket_resolve(ticket, actor=user, message="x")
        ticket.refresh_from_db()
        assert ticket.status == Ticket.Status.ROUTED


@pytest.mark.parametrize("role", MATRIX)
def test_it_applies_the_same_rules_on_the_pages(world, routed, client_as, role):
    view, act, contact = MATRIX[role]
    ticket = routed()
    client = client_as(getattr(world, role))
    r = client.get(f"/staff/tickets/{ticket.code}/")
    assert r.status_code == (200 if view else 403 if role == "outsider" else 404)
    if view:
        html = r.content.decode()
        assert (NAME in html) is contact and (PHONE in html) is contact
    inbox = client.get("/staff/", {"status": "all", "office": world.office_a.pk})
    if inbox.status_code == 200:
        assert (ticket.display_code in inbox.content.decode()) is view
    r = client.post(f"/staff/tickets/{ticket.code}/resolve/", {"message": "Đã xong."})
    ticket.refresh_from_db()
    assert (ticket.status == Ticket.Status.RESOLVED) is act


@pytest.mark.parametrize("role", [*MATRIX, "assigned_officer"])
def test_it_shows_a_denouncers_identity_only_to_the_assigned_head(world, routed, client_as, role):
    ticket = routed(kind="denunciation", category=world.denunciations)
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.head_a)
    user = getattr(world, role, None)
    if role == "assigned_officer":
        workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.officer_a)
        user = world.officer_a
    ticket.refresh_from_db()
    sees = role == "head_a"
    assert permissions.can_see_contact(user, ticket) is sees
    client = client_as(user)
    for url in (f"/staff/tickets/{ticket.code}/", "/staff/?status=all", "/staff/inbox/table/"):
        r = client.get(url)
        html = r.content.decode()
        assert (NAME in html) is (sees and "tickets" in url), url
        assert (PHONE in html) is (sees and "tickets" in url), url
        assert "an@example.com" not in html or (sees and "tickets" in url)
    if MATRIX.get(role, (True,))[0] and not sees:
        html = client.get(f"/staff/tickets/{ticket.code}/").content.decode()
        assert "Danh tính được bảo mật" in html


def test_it_hides_the_identity_again_when_the_head_hands_the_ticket_on(world, routed, client_as):
    ticket = routed(kind="denunciation", category=world.denunciations)
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.head_a)
    html = client_as(world.head_a).get(f"/staff/tickets/{ticket.code}/").content.decode()
    assert NAME in html
    workflow.ticket_assign(ticket, actor=world.head_a, assignee=world.officer_a)
    html = client_as(world.head_a).get(f"/staff/tickets/{ticket.code}/").content.decode()
    assert NAME not in html and "Danh tính được bảo mật" in html


def test_the_officer_who_entered_a_report_follows_it_but_cannot_act(world, submit):
    from feedback import permissions, workflow

    ticket, _ = submit(channel="hotline", entered_by=world.officer_b, consent=False)
    ticket = workflow.ticket_route(ticket)
    assert ticket.office == world.office_a
    assert permissions.can_view(world.officer_b, ticket)
    assert permissions.can_see_contact(world.officer_b, ticket)
    assert not permissions.can_act(world.officer_b, ticket)
    assert ticket in permissions.visible_tickets(world.officer_b)
    assert not permissions.can_view(world.outsider, ticket)

    secret, _ = submit(
        kind="denunciation", category=world.denunciations, channel="walk_in",
        entered_by=world.officer_b, consent=False,
    )  # fmt: skip
    assert permissions.can_view(world.officer_b, secret)
    assert not permissions.can_see_contact(world.officer_b, secret)


def test_identity_visible_q_is_can_see_contact_in_sql(world, submit, routed):
    plain = routed()
    denunciation = routed(kind="denunciation", category=world.denunciations)
    workflow.ticket_assign(denunciation, actor=world.head_a, assignee=world.head_a)
    confidential = routed(is_confidential=True)
    entered, _ = submit(channel="hotline", entered_by=world.officer_b, consent=False)
    tickets = [plain, denunciation, confidential, entered]
    for role in [*MATRIX, "head_a"]:
        user = getattr(world, role)
        found = set(
            Ticket.objects.filter(permissions.identity_visible_q(user)).values_list("pk", flat=True)
        )
        for ticket in tickets:
            ticket.refresh_from_db()
            assert (ticket.pk in found) is permissions.can_see_contact(user, ticket), (role, ticket)
    # The matrix covers both answers for the protected tickets.
    assert permissions.can_see_contact(world.head_a, denunciation)
    assert not permissions.can_see_contact(world.admin, denunciation)
