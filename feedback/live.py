"""Live updates over Channels. Only the workflow publishes, after commit.

Groups: one per office inbox, one per ticket tracking page, one for the
dashboard. The payload carries no private data: a page that receives it
re-reads what its viewer may see.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from feedback.outage import Breaker

log = logging.getLogger(__name__)


def _breaker(layer) -> Breaker:
    """While the layer's Redis is down, live updates are skipped for a few
    seconds at a time: the ticket is committed, pages reload their data
    when they reconnect, and a request should not wait on a dead server.
    One per layer object (a new configuration gets a fresh one)."""
    breaker = getattr(layer, "_feedback_breaker", None)
    if breaker is None:
        breaker = layer._feedback_breaker = Breaker("live updates", log)
    return breaker


DASHBOARD_GROUP = "dashboard"


def office_group(office_id: int) -> str:
    return f"office.{office_id}"


def ticket_group(code: str) -> str:
    return f"ticket.{code}"


def ticket_staff_group(code: str) -> str:
    """Staff who have the ticket's page open (presence: "X is also here")."""
    return f"ticket-staff.{code}"


def publish_ticket_change(
    *,
    ticket_id: int,
    code: str,
    status: str,
    office_ids: list[int],
    event_kind: str,
    public: bool = True,
) -> None:
    layer = get_channel_layer()
    if layer is None or _breaker(layer).is_open():
        return
    message = {
        "type": "ticket.changed",
        "ticket_id": ticket_id,
        "code": code,
        "status": status,
        "event": event_kind,
        # The office that holds the ticket now: an inbox tells a new
        # arrival from a ticket leaving it.
        "office_id": office_ids[0] if office_ids else 0,
        # Public pages forward only public events (an internal note is no
        # business of the tracking page).
        "public": public,
    }
    groups = [office_group(o) for o in dict.fromkeys(office_ids) if o] + [
        ticket_group(code),
        DASHBOARD_GROUP,
    ]
    if _SHARED_LOOP_LAYERS and isinstance(layer, _SHARED_LOOP_LAYERS):
        _publisher.send(layer, groups, message)
    else:
        # The in-memory layer (embedded mode, tests) keeps its queues on
        # the server's own event loop: reach it through async_to_sync.
        async_to_sync(_send_all)(layer, groups, message)


async def _send_all(layer, groups: list[str], message: dict) -> None:
    for group in groups:
        try:
            await layer.group_send(group, message)
        except Exception as exc:
            # A live update is a courtesy: the ticket is already committed,
            # and pages reload their data anyway. Never fail the caller, and
            # do not try the other groups of a layer that just failed.
            _breaker(layer).failed(exc)
            return
    _breaker(layer).succeeded()


try:
    from channels_redis.core import RedisChannelLayer
    from channels_redis.pubsub import RedisPubSubChannelLayer

    _SHARED_LOOP_LAYERS: tuple[type, ...] = (RedisChannelLayer, RedisPubSubChannelLayer)
except ImportError:  # pragma: no cover - channels_redis is a dependency
    _SHARED_LOOP_LAYERS = ()

# How long a publish may hold up its caller (a request, a task) when Redis
# hangs (a dead one fails at once); the ticket is committed whatever
# happens here. Generous: on a saturated machine a healthy Redis took over
# 2 s, and a timeout stops live updates for a few seconds (the breaker).
PUBLISH_TIMEOUT = 5.0


class _Publisher:
    """Sends from synchronous code (a gunicorn worker, a Celery task) over
    one event loop that lives as long as the process. channels_redis keeps
    its connections per event loop, and async_to_sync builds a new loop on
    every call from plain sync code: each workflow action then opened a new
    Redis connection (200 creates, 201 connections) and paid its set-up.
    Here the loop, and so the connection, is made once per process (again
    after a fork: a Celery pool process or gunicorn worker gets its own)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                thread = threading.Thread(
                    target=loop.run_forever, name="live-publisher", daemon=True
                )
                thread.start()
                self._loop, self._pid = loop, os.getpid()
            return self._loop

    def send(self, layer, groups: list[str], message: dict) -> None:
        future = asyncio.run_coroutine_threadsafe(
            _send_all(layer, groups, message), self._running_loop()
        )
        try:
            future.result(timeout=PUBLISH_TIMEOUT)
        except Exception as exc:  # a hung Redis: skip it for a while, like a dead one
            future.cancel()
            _breaker(layer).failed(exc)


_publisher = _Publisher()
