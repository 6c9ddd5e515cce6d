"""WebSocket consumers. They only listen: every change is published by the
workflow (feedback.live) after commit, and every read here goes through the
same selectors and permission checks as the pages (ORM only through
database_sync_to_async)."""

from __future__ import annotations

import logging
import secrets
from importlib import import_module
from types import SimpleNamespace

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib import auth
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from feedback import live, permissions, selectors
from feedback.errors import NotFound
from feedback.models import Ticket

log = logging.getLogger(__name__)


async def join(consumer: AsyncJsonWebsocketConsumer, *groups: str) -> bool:
    """Add the socket to its groups; False when the channel layer (Redis)
    cannot be reached. The socket is then refused quietly: the page works
    without live updates and its script tries again later, with backoff."""
    try:
        for group in groups:
            await consumer.channel_layer.group_add(group, consumer.channel_name)
    except Exception as exc:
        log.warning("live updates unavailable, socket refused: %s", exc)
        await consumer.close()
        return False
    return True


# The close code for "you may no longer listen": the pages' scripts do not
# reconnect after it (static/js/staff-inbox.js, staff-ticket.js).
NOT_ALLOWED = 4403
# "Service restart": the scripts reconnect after it, as after any other close.
RECONNECT = 1012


def user_now(scope):
    """The socket's user as the database has them now, or None.

    The user in the scope was read once, at the handshake, and keeps the
    roles and workplaces it cached then (feedback.permissions, selectors).
    A socket lives for hours, so every staff socket asks again before it
    passes anything on: the session is read afresh from its store and
    checked as Django checks a request's (django.contrib.auth.get_user:
    signed out, password changed, account deactivated), and the user comes
    back without cached roles, so a membership removed since the handshake
    counts. Without a session in the scope (a consumer driven directly),
    the user is read again by id."""
    first = scope.get("user")
    if first is None or not first.is_authenticated:
        return None
    session = scope.get("session")
    key = getattr(session, "session_key", None)
    if session is not None:
        if not key:
            return None
        store = import_module(settings.SESSION_ENGINE).SessionStore(key)
        user = auth.get_user(SimpleNamespace(session=store))
        return user if user.is_authenticated and user.pk == first.pk else None
    model = type(first)
    return model._default_manager.filter(pk=first.pk, is_active=True).first()


def _still_listening(scope, office_id: int, ticket_id: int):
    """(the workplace, whether the change belongs in it) for an inbox
    socket's user now; the workplace is None when they may no longer watch
    the office."""
    user = user_now(scope)
    place = selectors.can_watch_office(user, office_id) if user is not None else None
    if place is None:
        return None, False
    return place, not place.read_only or selectors.ticket_in_workplace(user, place, ticket_id)


# Events that put a ticket into an office's hands, waiting to be acknowledged.
ARRIVALS = ("routed", "transferred", "reopened")


class OfficeInboxConsumer(AsyncJsonWebsocketConsumer):
    """ws/staff/office/<office_id>/: the open inboxes of one office hear of
    every change to its tickets ({type, code, status, event, arrived}) and
    re-fetch their table; "arrived" marks new work for this office, which
    the page announces. A leader's read-only subtree inbox listens to all
    changes and keeps those of tickets in its subtree."""

    group: str | None = None

    async def connect(self):
        self.user = self.scope.get("user")
        office_id = self.scope["url_route"]["kwargs"]["office_id"]
        self.place = await database_sync_to_async(selectors.can_watch_office)(self.user, office_id)
        if self.place is None:
            await self.close()  # refuses the handshake: nothing is sent
            return
        group = live.DASHBOARD_GROUP if self.place.read_only else live.office_group(office_id)
        if not await join(self, group):
            return
        self.group = group
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass  # the inbox only listens

    async def ticket_changed(self, event):
        # Asked again at every change (user_now): a member removed from the
        # office, signed out or deactivated hears nothing more.
        place, mine = await database_sync_to_async(_still_listening)(
            self.scope, self.place.office.pk, event["ticket_id"]
        )
        if place is None:
            await self.close(code=NOT_ALLOWED)
            return
        if place.read_only != self.place.read_only:
            # Their role changed (leader to officer, or back): this socket
            # is in the other kind's group. The page reconnects, and the
            # handshake puts it in the right one.
            await self.close(code=RECONNECT)
            return
        if not mine:
            return
        await self.send_json(
            {
                "type": "ticket.changed",
                "code": event["code"],
                "status": event["status"],
                "event": event["event"],
                "arrived": not self.place.read_only
                and event["event"] in ARRIVALS
                and event.get("office_id") == self.place.office.pk,
            }
        )


def scope_language(scope) -> str:
    """The language the page behind this socket was served in, decided as
    LocaleMiddleware decides for pages (there is no middleware on sockets):
    the language cookie, else the browser's Accept-Language, else the site
    default."""
    candidates = [(scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME) or ""]
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    candidates += [code for code, _q in parse_accept_lang_header(accept) if code != "*"]
    for code in candidates:
        if not code:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class TicketConsumer(AsyncJsonWebsocketConsumer):
    """ws/ticket/<code>/: the citizen's tracking page. Knowing the code is
    what lets anyone track a ticket, so no login; only the status and the
    kind of a public event are sent, never private data."""

    group: str | None = None

    async def connect(self):
        code = selectors.normalize_code(self.scope["url_route"]["kwargs"]["code"])
        if not selectors.CODE_RE.match(code):
            await self.close()
            return
        self.language = scope_language(self.scope)
        if not await join(self, live.ticket_group(code)):
            return
        self.group = live.ticket_group(code)
        await self.accept()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass

    async def ticket_changed(self, event):
        if not event.get("public", True):
            return
        try:
            # In the reader's language, like the page the label replaces.
            with translation.override(self.language):
                label = str(Ticket.Status(event["status"]).label)
        except ValueError:
            label = event["status"]
        await self.send_json(
            {
                "type": "ticket.changed",
                "status": event["status"],
                "status_label": label,
                "event": event["event"],
            }
        )


def _viewer_name(user, code: str) -> str | None:
    if user is None:
        return None
    try:
        ticket = selectors.ticket_for_staff(user, code)
    except NotFound:
        return None
    if not permissions.can_view(user, ticket):
        return None
    return user.get_full_name() or user.get_username()


class TicketPresenceConsumer(AsyncJsonWebsocketConsumer):
    """ws/staff/tickets/<code>/: staff on the same ticket page see each other,
    so nobody answers twice. Presence lives in the channel layer only: a
    newcomer announces itself (join), everyone present answers it directly
    (here), the page sends a heartbeat every 25 s that is relayed to the
    others (so a browser that vanished without a leave fades out), and a
    leave on disconnect. The page also hears that the ticket changed."""

    joined = False

    async def connect(self):
        self.user = self.scope.get("user")
        self.code = selectors.normalize_code(self.scope["url_route"]["kwargs"]["code"])
        name = await database_sync_to_async(_viewer_name)(self.user, self.code)
        if name is None:
            await self.close()
            return
        self.name = name
        self.id = secrets.token_hex(8)
        self.presence = live.ticket_staff_group(self.code)
        self.changes = live.ticket_group(self.code)
        if not await join(self, self.presence, self.changes):
            return
        self.joined = True
        await self.accept()
        await self._announce("presence.join", reply_to=self.channel_name)

    async def disconnect(self, code):
        if not self.joined:
            return
        await self._announce("presence.leave")
        await self.channel_layer.group_discard(self.presence, self.channel_name)
        await self.channel_layer.group_discard(self.changes, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "heartbeat":
            # Every 25 s: a viewer who lost the right to see the ticket stops
            # appearing to the others, and hearing of them, within a beat.
            if not await self._may_still_view():
                return
            await self._announce("presence.heartbeat")

    async def _may_still_view(self) -> bool:
        """The right to watch is the right to view, asked again of the user as
        they are now (user_now): a ticket transferred to another office, a
        membership removed, a sign-out. When it is gone the socket leaves
        (the others see it go) and is closed for good."""
        viewer = await database_sync_to_async(
            lambda: _viewer_name(user_now(self.scope), self.code)
        )()
        if viewer is not None:
            return True
        await self.disconnect(None)
        self.joined = False
        await self.close(code=NOT_ALLOWED)
        return False

    async def _announce(self, kind: str, **extra):
        await self.channel_layer.group_send(
            self.presence,
            {"type": kind, "id": self.id, "user_id": self.user.pk, "name": self.name, **extra},
        )

    def _others(self, event) -> bool:
        return event["id"] != self.id and event["user_id"] != self.user.pk

    async def _relay(self, event):
        if self._others(event):
            await self.send_json({"type": event["type"], "id": event["id"], "name": event["name"]})

    async def presence_join(self, event):
        if not self._others(event):
            return
        await self._relay(event)
        # Tell the newcomer we are here too.
        await self.channel_layer.send(
            event["reply_to"],
            {"type": "presence.here", "id": self.id, "user_id": self.user.pk, "name": self.name},
        )

    presence_here = _relay
    presence_heartbeat = _relay
    presence_leave = _relay

    async def ticket_changed(self, event):
        # Asked at every change too: a ticket transferred to another office
        # stops reaching the first office's open pages.
        if not await self._may_still_view():
            return
        await self.send_json(
            {"type": "ticket.changed", "status": event["status"], "event": event["event"]}
        )
