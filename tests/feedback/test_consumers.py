"""WebSocket consumers (Channels), with the in-memory layer: who may listen,
what they hear, and presence on a ticket page."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from feedback import workflow
from feedback.ws_urls import websocket_urlpatterns
from tests.services import dead_redis_url

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

app = URLRouter(websocket_urlpatterns)


async def connect(path: str, user=None) -> tuple[WebsocketCommunicator, bool]:
    communicator = WebsocketCommunicator(app, path)
    if user is not None:
        communicator.scope["user"] = user
    else:
        from django.contrib.auth.models import AnonymousUser

        communicator.scope["user"] = AnonymousUser()
    connected, _ = await communicator.connect()
    return communicator, connected


async def silent(communicator: WebsocketCommunicator) -> bool:
    return await communicator.receive_nothing(timeout=0.2)


async def drain(communicator: WebsocketCommunicator) -> list[dict]:
    messages = [await communicator.receive_json_from(timeout=2)]
    while not await communicator.receive_nothing(timeout=0.2):
        messages.append(await communicator.receive_json_from())
    return messages


@database_sync_to_async
def file_ticket(submit, **overrides):
    ticket, secret = submit(**overrides)  # routes inline after commit
    ticket.refresh_from_db()
    return ticket, secret


@database_sync_to_async
def act(fn, *args, **kwargs):
    return fn(*args, **kwargs)


# --- office inbox -----------------------------------------------------------------


async def test_it_tells_every_open_inbox_of_the_office_about_a_new_ticket(world, submit):
    officer, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)
    head, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.head_a)
    other, _ = await connect(f"/ws/staff/office/{world.office_b.pk}/", world.officer_b)
    ticket, _ = await file_ticket(submit)
    for inbox in (officer, head):
        message = await inbox.receive_json_from(timeout=2)
        assert message == {
            "type": "ticket.changed",
            "code": ticket.code,
            "status": "routed",
            "event": "routed",
            "arrived": True,
        }
    assert await silent(other)
    for c in (officer, head, other):
        await c.disconnect()


@pytest.mark.parametrize("role", ["officer_b", "outsider", "dispatcher", None])
async def test_it_refuses_to_let_outsiders_listen_to_an_office(world, role):
    user = getattr(world, role) if role else None
    _, connected = await connect(f"/ws/staff/office/{world.office_a.pk}/", user)
    assert not connected


async def test_it_lets_a_leader_follow_only_their_subtree(world, submit):
    from feedback.models import AdministrativeUnit as U
    from feedback.models import Membership, Office

    outside = await database_sync_to_async(U.objects.create)(
        code="79", name="TP Hồ Chí Minh", kind=U.Kind.CITY, parent=world.vn
    )
    saigon_ward = await database_sync_to_async(U.objects.create)(
        code="26734", name="Phường Bến Nghé", kind=U.Kind.WARD, parent=outside
    )
    await database_sync_to_async(Office.objects.create)(
        code="ubnd-ben-nghe",
        name="UBND Phường Bến Nghé",
        kind=Office.Kind.COMMITTEE,
        peer_group=Office.PeerGroup.WARDS,
        unit=saigon_ward,
    )
    leader_b = await database_sync_to_async(type(world.leader).objects.create_user)("leader_b")
    await database_sync_to_async(Membership.objects.create)(
        user=leader_b, office=world.office_b, role=Membership.Role.LEADER
    )
    city, ok = await connect(f"/ws/staff/office/{world.city.pk}/", world.leader)
    ward_b, ok_b = await connect(f"/ws/staff/office/{world.office_b.pk}/", leader_b)
    assert ok and ok_b
    ticket, _ = await file_ticket(submit)  # ward A: in Hà Nội, not in ward B
    heard = await drain(city)  # received, then routed
    assert {m["code"] for m in heard} == {ticket.code}
    assert [m["event"] for m in heard] == ["received", "routed"]
    assert await silent(ward_b)
    await file_ticket(submit, unit=saigon_ward)
    assert await silent(city)
    await city.disconnect()
    await ward_b.disconnect()


async def test_it_tells_the_old_office_when_a_ticket_is_transferred_away(world, submit):
    ticket, _ = await file_ticket(submit)
    inbox, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)
    await act(
        workflow.ticket_transfer, ticket, actor=world.officer_a, to_office=world.water, reason="x"
    )
    message = await inbox.receive_json_from(timeout=2)
    assert (message["code"], message["event"]) == (ticket.code, "transferred")
    assert message["arrived"] is False  # it left; it did not arrive
    await inbox.disconnect()


async def test_it_marks_only_new_work_for_the_office_as_arrived(world, submit):
    ticket, _ = await file_ticket(submit)
    inbox, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)
    water, _ = await connect(f"/ws/staff/office/{world.water.pk}/", world.admin)
    await act(workflow.ticket_acknowledge, ticket, actor=world.officer_a)
    message = await inbox.receive_json_from(timeout=2)
    assert (message["event"], message["arrived"]) == ("acknowledged", False)
    await act(
        workflow.ticket_transfer, ticket, actor=world.officer_a, to_office=world.water, reason="x"
    )
    message = await water.receive_json_from(timeout=2)
    assert (message["event"], message["arrived"]) == ("transferred", True)
    await inbox.disconnect()
    await water.disconnect()


async def test_an_inbox_hears_nothing_more_of_a_ticket_transferred_away(world, submit):
    ticket, _ = await file_ticket(submit)
    old, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)
    new, _ = await connect(f"/ws/staff/office/{world.office_b.pk}/", world.officer_b)
    await act(
        workflow.ticket_transfer, ticket, actor=world.officer_a, to_office=world.office_b,
        reason="Thuộc địa bàn phường Ba Đình",
    )  # fmt: skip
    assert (await old.receive_json_from(timeout=2))["event"] == "transferred"
    assert (await new.receive_json_from(timeout=2))["event"] == "transferred"
    await act(workflow.ticket_acknowledge, ticket, actor=world.officer_b)
    await act(workflow.ticket_note, ticket, actor=world.officer_b, message="Đã gọi lại.")
    assert [m["event"] for m in await drain(new)] == ["acknowledged", "note"]
    assert await silent(old)
    await old.disconnect()
    await new.disconnect()


@database_sync_to_async
def signed_in_session(user):
    """A real signed-in session, as AuthMiddlewareStack puts it in the scope."""
    from importlib import import_module

    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return client, import_module(settings.SESSION_ENGINE).SessionStore(key)


async def connect_signed_in(path: str, user) -> tuple[WebsocketCommunicator, object]:
    client, session = await signed_in_session(user)
    communicator = WebsocketCommunicator(app, path)
    communicator.scope["user"] = user
    communicator.scope["session"] = session
    connected, _ = await communicator.connect()
    assert connected
    return communicator, client


async def closed_with(communicator: WebsocketCommunicator) -> int:
    message = await communicator.receive_output(timeout=2)
    assert message["type"] == "websocket.close"
    return message["code"]


async def test_an_officer_removed_from_the_office_hears_nothing_more(world, submit):
    from feedback.models import Membership

    inbox, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)
    head, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.head_a)
    first, _ = await file_ticket(submit)
    assert {m["code"] for m in await drain(inbox)} == {first.code}
    await drain(head)
    await database_sync_to_async(
        Membership.objects.filter(user=world.officer_a, office=world.office_a).delete
    )()
    second, _ = await file_ticket(submit)
    # The scope's user still holds the workplaces it cached at the
    # handshake; the socket asks the database again and closes for good.
    assert await closed_with(inbox) == 4403
    assert await inbox.receive_nothing(timeout=0.3)
    assert second.code in {m["code"] for m in await drain(head)}  # the others go on
    await head.disconnect()


async def test_a_deactivated_officer_hears_nothing_more(world, submit):
    inbox, _ = await connect(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)
    world.officer_a.is_active = False
    await database_sync_to_async(world.officer_a.save)(update_fields=["is_active"])
    await file_ticket(submit)
    assert await closed_with(inbox) == 4403


async def test_an_officer_who_signed_out_hears_nothing_more(world, submit):
    path = f"/ws/staff/office/{world.office_a.pk}/"
    inbox, client = await connect_signed_in(path, world.officer_a)
    first, _ = await file_ticket(submit)
    assert {m["code"] for m in await drain(inbox)} == {first.code}
    await database_sync_to_async(client.post)("/staff/logout/")
    await file_ticket(submit)
    assert await closed_with(inbox) == 4403


async def test_a_password_change_elsewhere_ends_the_socket_as_it_ends_the_session(world, submit):
    inbox, _ = await connect_signed_in(f"/ws/staff/office/{world.office_a.pk}/", world.officer_a)

    @database_sync_to_async
    def change_password():
        user = type(world.officer_a).objects.get(pk=world.officer_a.pk)
        user.set_password("a whole new passphrase 2026")
        user.save()

    await change_password()
    await file_ticket(submit)
    assert await closed_with(inbox) == 4403


async def test_a_leader_made_an_officer_is_sent_to_reconnect_not_kept_on_the_city(world, submit):
    from feedback.models import Membership

    city, _ = await connect(f"/ws/staff/office/{world.city.pk}/", world.leader)
    await database_sync_to_async(
        Membership.objects.filter(user=world.leader, office=world.city).update
    )(role=Membership.Role.OFFICER)
    await file_ticket(submit)
    # As an officer of the city's office the page listens to that office's
    # group only; left in the city-wide group it would hear every ward.
    assert await closed_with(city) == 1012


# --- the public tracking page -------------------------------------------------------


async def test_it_sends_the_tracking_page_only_status_and_event(world, submit):
    ticket, _ = await file_ticket(submit)
    page, connected = await connect(f"/ws/ticket/{ticket.display_code}/")
    assert connected
    await act(workflow.ticket_acknowledge, ticket, actor=world.officer_a)
    message = await page.receive_json_from(timeout=2)
    assert message == {
        "type": "ticket.changed",
        "status": "in_progress",
        "status_label": "Đang xử lý",
        "event": "acknowledged",
    }
    await act(workflow.ticket_note, ticket, actor=world.officer_a, message="Nội bộ")
    assert await silent(page)  # an internal note is nobody's business outside
    await page.disconnect()


async def test_it_refuses_a_malformed_tracking_code():
    for bad in ("ABC", "ABCD-EFGH-IJ", "%3Cscript%3E"):
        _, connected = await connect(f"/ws/ticket/{bad}/")
        assert not connected


# --- presence ----------------------------------------------------------------------------


async def test_it_shows_two_officers_on_the_same_ticket_to_each_other(world, submit):
    await database_sync_to_async(world.head_a.__class__.objects.filter(pk=world.head_a.pk).update)(
        first_name="Văn A", last_name="Nguyễn"
    )
    head = await database_sync_to_async(type(world.head_a).objects.get)(pk=world.head_a.pk)
    ticket, _ = await file_ticket(submit)
    path = f"/ws/staff/tickets/{ticket.code}/"
    first, ok = await connect(path, world.officer_a)
    assert ok
    assert await silent(first)
    second, _ = await connect(path, head)
    joined = await first.receive_json_from(timeout=2)
    assert joined["type"] == "presence.join" and joined["name"] == head.get_full_name()
    here = await second.receive_json_from(timeout=2)
    assert here["type"] == "presence.here" and here["name"] == "officer_a"

    await second.send_json_to({"type": "heartbeat"})
    beat = await first.receive_json_from(timeout=2)
    assert beat["type"] == "presence.heartbeat" and beat["id"] == joined["id"]
    assert await silent(second)  # nobody hears their own heartbeat

    await act(workflow.ticket_acknowledge, ticket, actor=world.officer_a)
    for c in (first, second):
        assert (await c.receive_json_from(timeout=2))["type"] == "ticket.changed"

    await second.disconnect()
    left = await first.receive_json_from(timeout=2)
    assert left == {"type": "presence.leave", "id": joined["id"], "name": head.get_full_name()}
    await first.disconnect()


@pytest.mark.parametrize("role", ["officer_b", "outsider", None])
async def test_it_keeps_non_viewers_out_of_a_tickets_presence(world, submit, role):
    ticket, _ = await file_ticket(submit)
    watcher, _ = await connect(f"/ws/staff/tickets/{ticket.code}/", world.officer_a)
    user = getattr(world, role) if role else None
    _, connected = await connect(f"/ws/staff/tickets/{ticket.code}/", user)
    assert not connected
    assert await silent(watcher)  # and nobody learns of the attempt
    await watcher.disconnect()


async def test_it_does_not_echo_a_users_second_tab(world, submit):
    ticket, _ = await file_ticket(submit)
    path = f"/ws/staff/tickets/{ticket.code}/"
    one, _ = await connect(path, world.officer_a)
    two, _ = await connect(path, world.officer_a)
    assert await silent(one) and await silent(two)
    await asyncio.gather(one.disconnect(), two.disconnect())


async def test_it_sends_an_english_tracking_page_the_status_in_english(world, submit):
    ticket, _ = await file_ticket(submit)
    page = WebsocketCommunicator(
        app, f"/ws/ticket/{ticket.code}/", headers=[(b"accept-language", b"en-US,en;q=0.9")]
    )
    assert (await page.connect())[0]
    await act(workflow.ticket_acknowledge, ticket, actor=world.officer_a)
    message = await page.receive_json_from(timeout=2)
    assert message["status_label"] == "In progress"
    await page.disconnect()


async def test_the_socket_language_follows_the_cookie_then_the_browser_then_the_site():
    from feedback.consumers import scope_language

    english_browser = [(b"accept-language", b"en-GB,en;q=0.8")]
    assert scope_language({"headers": english_browser}) == "en"
    assert scope_language({"headers": english_browser, "cookies": {"django_language": "vi"}}) == (
        "vi"
    )
    assert scope_language({"headers": [(b"accept-language", b"fr-FR,de;q=0.5")]}) == "vi"
    assert scope_language({"cookies": {"django_language": "xx"}}) == "vi"
    assert scope_language({}) == "vi"


async def test_a_ticket_transferred_away_stops_reaching_the_first_offices_page(world, submit):
    ticket, _ = await file_ticket(submit)
    path = f"/ws/staff/tickets/{ticket.code}/"
    page, ok = await connect(path, world.officer_a)
    assert ok
    await act(
        workflow.ticket_transfer,
        ticket,
        actor=world.officer_a,
        to_office=world.office_b,
        reason="Thuộc địa bàn phường Ba Đình",
    )
    # The change that took the ticket away closes the socket instead.
    closed = await page.receive_output(timeout=2)
    assert closed["type"] == "websocket.close"
    newcomer, ok = await connect(path, world.officer_b)
    assert ok
    await act(workflow.ticket_acknowledge, ticket, actor=world.officer_b)
    assert (await newcomer.receive_json_from(timeout=2))["event"] == "acknowledged"
    assert await page.receive_nothing(timeout=0.3)
    await newcomer.disconnect()


async def test_a_viewer_removed_from_the_office_leaves_the_tickets_presence(world, submit):
    from feedback.models import Membership

    ticket, _ = await file_ticket(submit)
    path = f"/ws/staff/tickets/{ticket.code}/"
    head, _ = await connect(path, world.head_a)
    officer, _ = await connect(path, world.officer_a)
    await drain(head)
    await drain(officer)
    await database_sync_to_async(
        Membership.objects.filter(user=world.officer_a, office=world.office_a).delete
    )()
    await officer.send_json_to({"type": "heartbeat"})
    assert await closed_with(officer) == 4403
    # The head sees them leave, not a heartbeat.
    assert [m["type"] for m in await drain(head)] == ["presence.leave"]
    await head.disconnect()


async def test_the_reporters_entering_officer_keeps_watching_after_a_transfer(world, submit):
    ticket, _ = await file_ticket(submit, channel="hotline", entered_by=world.officer_b)
    page, ok = await connect(f"/ws/staff/tickets/{ticket.code}/", world.officer_b)
    assert ok
    await act(
        workflow.ticket_transfer, ticket, actor=world.officer_a, to_office=world.water, reason="x"
    )
    message = await page.receive_json_from(timeout=2)
    assert message["event"] == "transferred"
    await page.disconnect()


async def test_with_the_channel_layer_down_sockets_are_refused_quietly(world, submit, settings):
    ticket, _ = await file_ticket(submit)
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [dead_redis_url()]},
        }
    }
    for path, user in (
        (f"/ws/ticket/{ticket.code}/", None),
        (f"/ws/staff/tickets/{ticket.code}/", world.officer_a),
        (f"/ws/staff/office/{world.office_a.pk}/", world.officer_a),
    ):
        _, connected = await connect(path, user)
        assert not connected
