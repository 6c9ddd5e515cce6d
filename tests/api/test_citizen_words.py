"""A citizen's words on a public event (a rating's comment, a reopen
reason) reach the office and the reporter only: every reader of public
events goes through selectors_public.public_message (issue 9, point 10)."""

from __future__ import annotations

import pytest

from api.models import Webhook, WebhookDelivery
from feedback import selectors_public, workflow
from feedback.models import TicketEvent

E = TicketEvent.Kind
COMMENT, REASON = "Cán bộ Trần Văn Bảy thô lỗ", "Vẫn còn rác trước nhà số 12"


@pytest.fixture
def rated_and_reopened(world, submit, settings):
    settings.FEEDBACK_FEED_SETTLE_SECONDS = 0
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_acknowledge(ticket, actor=world.officer_a)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom xong.")
    workflow.ticket_rate(ticket, secret=secret, overall=2, comment=COMMENT)
    workflow.ticket_reopen(ticket, secret=secret, reason=REASON)
    ticket.refresh_from_db()
    # Stored public, with the words: the readers are the guard.
    for kind, words in ((E.RATED, COMMENT), (E.REOPENED, REASON)):
        event = ticket.events.get(kind=kind)
        assert event.is_public and event.message == words
    return ticket, secret


def leaks(text: str) -> bool:
    return COMMENT in text or REASON in text


def test_the_public_selector_drops_them_and_keeps_the_offices_words(rated_and_reopened):
    ticket, _ = rated_and_reopened
    events = selectors_public.public_timeline(ticket)
    assert {E.RATED, E.REOPENED} <= {e.kind for e in events}
    assert not any(leaks(e.message) for e in events)
    assert "Đã thu gom xong." in [e.message for e in events]


def test_the_tracking_page_and_the_apis_public_reads_do_not_show_them(
    rated_and_reopened, client, api
):
    ticket, secret = rated_and_reopened
    assert not leaks(client.get(f"/tra-cuu/{ticket.code}/").content.decode())
    detail = api.get(f"/api/v1/tickets/{ticket.display_code}/")
    assert detail.status_code == 200 and not leaks(detail.content.decode())
    assert "Đã thu gom xong." in detail.content.decode()
    feed = api.get("/api/v1/events/")
    assert {E.RATED, E.REOPENED} <= {e["kind"] for e in feed.json()["events"]}
    assert not leaks(feed.content.decode())
    # The reporter reads their own words on the private page.
    private = client.get(f"/tra-cuu/{ticket.code}/{secret}/").content.decode()
    assert COMMENT in private and REASON in private


def test_the_office_key_reads_them_another_offices_key_does_not(
    world, rated_and_reopened, make_key, as_key
):
    ours = make_key("A", scopes=["read_public", "staff"], office=world.office_a,
                    user=world.officer_a)[1]  # fmt: skip
    theirs = make_key("B", scopes=["read_public", "staff"], office=world.office_b,
                      user=world.officer_b)[1]  # fmt: skip
    assert COMMENT in as_key(ours).get("/api/v1/events/").content.decode()
    assert not leaks(as_key(theirs).get("/api/v1/events/").content.decode())


def test_webhooks_carry_them_only_to_the_office(world, submit, make_key, receiver):
    public = make_key("City app", scopes=["read_public"])[0]
    ours = make_key("A", scopes=["staff"], office=world.office_a, user=world.officer_a)[0]
    theirs = make_key("B", scopes=["read_public", "staff"], office=world.office_b,
                      user=world.officer_b)[0]  # fmt: skip
    for client in (public, ours, theirs):
        Webhook.objects.create(client=client, url=f"{receiver.url}/hook", kinds=["rated",
                               "reopened"])  # fmt: skip
    ticket, secret = submit()
    workflow.ticket_route(ticket)
    workflow.ticket_resolve(ticket, actor=world.officer_a, message="Đã thu gom xong.")
    workflow.ticket_rate(ticket, secret=secret, overall=2, comment=COMMENT)
    workflow.ticket_reopen(ticket, secret=secret, reason=REASON)
    sent = {
        (d.webhook.client.name, d.event.kind): d.payload["event"]["message"]
        for d in WebhookDelivery.objects.select_related("webhook__client", "event")
    }
    assert len(sent) == 6
    assert sent[("A", "rated")] == COMMENT and sent[("A", "reopened")] == REASON
    for name in ("City app", "B"):
        assert sent[(name, "rated")] == sent[(name, "reopened")] == ""
