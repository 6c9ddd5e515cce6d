"""Live updates over Channels. Only the workflow publishes, after commit.

Groups: one per office inbox, one per ticket tracking page, one for the
dashboard. The payload carries no private data: a page that receives it
re-reads what its viewer may see.
"""

from __future__ import annotations

import logging

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
        # Public pages forward only public events (an internal note is no
        # business of the tracking page).
        "public": public,
    }
    groups = [office_group(o) for o in dict.fromkeys(office_ids) if o] + [
        ticket_group(code),
        DASHBOARD_GROUP,
    ]
    # One trip into async code for all groups: each async_to_sync call
    # runs its own event loop, and channels_redis opens a connection per
    # loop, so a call per group tripled the cost of every workflow action
    # (measured in bench/routing.py).
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
