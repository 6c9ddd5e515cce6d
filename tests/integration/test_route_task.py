"""route_ticket on a real worker: queued on commit of the intake, routes
once however often it is delivered, mails the office through the outbox and
publishes a live update."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from config.celery import app
from feedback import live
from feedback.models import Ticket, TicketEvent
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_it_routes_a_ticket_delivered_three_times_once_and_tells_the_office(
    world, submit, celery_worker, tmp_path
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(live.office_group(world.office_a.pk), channel)

    with celery_worker(concurrency=2):
        ticket, _ = submit()  # queues route_ticket on commit
        for _ in range(2):  # and the same task delivered twice more
            app.send_task("workers.tasks.route_ticket", args=(ticket.pk,))
        assert wait_for(
            lambda: (
                TicketEvent.objects.filter(notified_at__isnull=True).count() == 0
                and ticket.events.filter(kind=TicketEvent.Kind.ROUTED).exists()
            ),
            30,
        )

        async def receive():
            return await asyncio.wait_for(layer.receive(channel), 10)

        message = async_to_sync(receive)()
        time_for_duplicates = wait_for(lambda: False, 2)  # let the extra deliveries run
        assert not time_for_duplicates

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.ROUTED and ticket.office == world.office_a
    assert ticket.events.filter(kind=TicketEvent.Kind.ROUTED).count() == 1
    assert "UBND địa bàn" in ticket.routing_reason
    assert message["status"] == "routed" and message["code"] == ticket.code

    mails = "".join(p.read_text() for p in (tmp_path / "mail").iterdir())
    assert f"To: {world.head_a.email}, {world.officer_a.email}" in mails
    assert ticket.display_code in mails
