"""Staff endpoints: an officer's token or an office's staff key; the same
permission rules as the pages."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from feedback import workflow
from feedback.models import Ticket


@pytest.fixture
def as_user(api):
    def _as(user):
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return api

    return _as


def test_it_needs_a_token_or_a_staff_key(world, api, routed):
    ticket = routed()
    response = api.get("/api/v1/staff/inbox/")
    assert response.status_code == 401
    assert api.get(f"/api/v1/staff/tickets/{ticket.code}/").status_code == 401


def test_it_refuses_a_citizen_account_and_a_key_without_the_scope(world, as_user, make_key, as_key):
    assert as_user(world.outsider).get("/api/v1/staff/inbox/").status_code == 403
    _, key = make_key("reader", scopes=["read_public"])
    response = as_key(key).get("/api/v1/staff/inbox/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "missing_scope"


def test_it_lists_the_inbox_with_its_filters(world, as_user, routed):
    mine = routed()
    other = routed(description="Đèn hỏng ở ngõ 5")
    workflow.ticket_assign(mine, actor=world.officer_a, assignee=world.officer_a)
    api = as_user(world.officer_a)
    body = api.get("/api/v1/staff/inbox/").json()
    assert body["count"] == 2
    mine_only = api.get("/api/v1/staff/inbox/", {"assignee": "mine"}).json()
    assert [r["code"] for r in mine_only["results"]] == [mine.display_code]
    found = api.get("/api/v1/staff/inbox/", {"q": "den hong"}).json()
    assert [r["code"] for r in found["results"]] == [other.display_code]
    assert as_user(world.officer_b).get("/api/v1/staff/inbox/").json()["count"] == 0


def test_it_shows_a_ticket_with_contact_and_allowed_actions(world, as_user, routed):
    ticket = routed()
    body = as_user(world.officer_a).get(f"/api/v1/staff/tickets/{ticket.display_code}/").json()
    assert body["contact"]["email"] == "an@example.com"
    assert set(body["allowed_actions"]) == workflow.allowed_actions(world.officer_a, ticket)
    assert "acknowledge" in body["allowed_actions"]


def test_another_offices_ticket_is_not_found(world, as_user, routed):
    ticket = routed()
    api = as_user(world.officer_b)
    assert api.get(f"/api/v1/staff/tickets/{ticket.code}/").status_code == 404
    response = api.post(f"/api/v1/staff/tickets/{ticket.code}/acknowledge/", {}, format="json")
    assert response.status_code == 404
    assert Ticket.objects.get().status == "routed"


def test_a_leader_reads_but_may_not_act(world, as_user, routed):
    ticket = routed()
    api = as_user(world.leader)
    body = api.get(f"/api/v1/staff/tickets/{ticket.code}/").json()
    assert body["allowed_actions"] == [] and body["contact"] is None
    response = api.post(f"/api/v1/staff/tickets/{ticket.code}/acknowledge/", {}, format="json")
    assert response.status_code == 403


def test_every_workflow_action_has_an_endpoint(world, as_user, routed):
    ticket = routed()
    api = as_user(world.officer_a)
    for name in workflow.STAFF_ACTIONS:
        response = api.post(f"/api/v1/staff/tickets/{ticket.code}/{name}/", {}, format="json")
        assert response.status_code != 404, name
    assert (
        api.post(f"/api/v1/staff/tickets/{ticket.code}/fly/", {}, format="json").status_code == 404
    )


def test_actions_run_the_workflow_and_answer_conflicts_with_409(world, as_user, routed):
    ticket = routed()
    api = as_user(world.officer_a)
    acked = api.post(f"/api/v1/staff/tickets/{ticket.code}/acknowledge/", {}, format="json")
    assert acked.status_code == 200 and acked.json()["status"] == "in_progress"
    empty = api.post(f"/api/v1/staff/tickets/{ticket.code}/answer/", {"message": ""}, format="json")
    assert empty.status_code == 400 and "message" in empty.json()["error"]["fields"]
    answered = api.post(
        f"/api/v1/staff/tickets/{ticket.code}/resolve/", {"message": "Đã dọn sạch."}, format="json"
    )
    assert answered.json()["status"] == "resolved"
    again = api.post(f"/api/v1/staff/tickets/{ticket.code}/acknowledge/", {}, format="json")
    assert again.status_code == 409


def test_a_staff_key_works_only_its_own_office(world, routed, make_key, as_key):
    _, key = make_key(
        "Một cửa Hoàn Kiếm", scopes=["staff"], office=world.office_a, user=world.admin
    )
    in_a = routed()
    in_b = routed(unit=world.ward_b, description="Ở Ba Đình")
    api = as_key(key)
    inbox = api.get("/api/v1/staff/inbox/").json()
    assert [r["code"] for r in inbox["results"]] == [in_a.display_code]
    # Its user is an administrator, but the key is for office A only.
    assert api.get(f"/api/v1/staff/tickets/{in_b.code}/").status_code == 404
    assert (
        api.post(f"/api/v1/staff/tickets/{in_a.code}/acknowledge/", {}, format="json").status_code
        == 200
    )


def test_a_staff_key_needs_an_office_and_an_officer(world, make_key):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_key("half", scopes=["staff"], office=world.office_a)
    with pytest.raises(ValidationError):
        make_key("stranger", scopes=["staff"], office=world.office_a, user=world.officer_b)


def test_the_staff_ticket_page_names_the_partner_system(world, routed, make_key, as_key, client):
    ticket = routed()
    _, key = make_key(
        "Hệ thống một cửa", scopes=["staff"], office=world.office_a, user=world.officer_a
    )
    as_key(key).post(f"/api/v1/staff/tickets/{ticket.code}/acknowledge/", {}, format="json")
    client.force_login(world.head_a)
    page = client.get(f"/staff/tickets/{ticket.code}/").content.decode()
    assert "qua Hệ thống một cửa" in page
    english = client.get(f"/staff/tickets/{ticket.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "via Hệ thống một cửa" in english.content.decode()
