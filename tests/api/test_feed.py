"""GET /api/v1/events/: the change feed for partners who poll."""

from __future__ import annotations

from feedback import workflow
from feedback.models import TicketEvent

URL = "/api/v1/events/"


def test_it_returns_public_events_after_the_cursor_oldest_first(world, api, routed, settings):
    settings.FEEDBACK_FEED_SETTLE_SECONDS = 0
    ticket = routed()
    workflow.ticket_note(ticket, actor=world.officer_a, message="nội bộ")
    first = api.get(URL).json()
    kinds = [e["kind"] for e in first["events"]]
    assert kinds == ["received", "routed"]
    assert all(e["ticket"] == ticket.display_code for e in first["events"])
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    later = api.get(URL, {"after": first["next"]}).json()
    assert [e["kind"] for e in later["events"]] == ["acknowledged"]
    assert api.get(URL, {"after": later["next"]}).json() == {"events": [], "next": later["next"]}


def test_it_holds_back_the_newest_events_for_the_settle_window(world, api, routed, settings):
    settings.FEEDBACK_FEED_SETTLE_SECONDS = 3600
    routed()
    assert api.get(URL).json() == {"events": [], "next": 0}


def test_it_adds_own_and_office_events_for_the_keys_scopes(
    world, api, routed, submit, make_key, as_key, settings
):
    settings.FEEDBACK_FEED_SETTLE_SECONDS = 0
    private, _ = submit(category=world.complaints, kind="complaint")
    office_key = make_key(
        "ward system", scopes=["read_public", "staff"], office=world.office_a, user=world.officer_a
    )[1]
    ticket = routed()
    workflow.ticket_note(ticket, actor=world.officer_a, message="nội bộ")
    anonymous = {e["id"] for e in api.get(URL).json()["events"]}
    office = {e["id"] for e in as_key(office_key).get(URL).json()["events"]}
    note = TicketEvent.objects.get(kind="note").pk
    assert note in office and note not in anonymous
    assert not TicketEvent.objects.filter(ticket=private, pk__in=anonymous).exists()


def test_it_refuses_a_bad_cursor(world, api):
    response = api.get(URL, {"after": "abc"})
    assert response.status_code == 400
    assert "after" in response.json()["error"]["fields"]
