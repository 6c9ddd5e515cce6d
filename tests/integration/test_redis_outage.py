"""Redis down: every ticket is accepted; when it comes back, every ticket is
routed (by the beat-driven sweep) within two minutes."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIClient

from feedback.models import Ticket, TicketEvent
from tests.integration.conftest import point_app_at, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
TICKETS = 200


def submit_over_http(client: APIClient, world, n: int):
    return client.post(
        "/api/v1/tickets/",
        {
            "category": world.waste.code,
            "unit": world.ward_a.code,
            "description": f"Rác thải tồn đọng ở ngõ {n} Hàng Bài.",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"outage-{n}",
    )


def test_it_accepts_every_ticket_while_redis_is_down_and_routes_them_when_it_is_back(
    world, throwaway_redis, celery_worker, settings
):
    up, down = throwaway_redis
    broker = up()
    down()  # the broker the web process uses is now unreachable
    point_app_at(broker)
    # 200 reports from one address stand for a partner system's burst, not
    # a flood: lift the per-address limit the public endpoint otherwise has.
    settings.FEEDBACK_SUBMIT_RATE = "10000/h"
    client = APIClient()

    started = time.monotonic()
    answers = [submit_over_http(client, world, n).status_code for n in range(TICKETS)]
    submit_seconds = time.monotonic() - started
    assert answers == [201] * TICKETS
    assert Ticket.objects.filter(status=Ticket.Status.RECEIVED).count() == TICKETS
    # Failing fast: a dead broker costs each request little.
    assert submit_seconds < TICKETS * 0.5

    up()
    back = time.monotonic()
    env = {"FEEDBACK_SWEEP_SECONDS": "2", "FEEDBACK_REQUEUE_AFTER_SECONDS": "5"}
    with celery_worker(broker, beat=True, env=env) as worker:
        all_routed = wait_for(
            lambda: not Ticket.objects.filter(status=Ticket.Status.RECEIVED).exists(), 120, 1
        )
        took = time.monotonic() - back
        assert all_routed, worker.output()[-3000:]
    assert took < 120
    routed = TicketEvent.objects.filter(kind=TicketEvent.Kind.ROUTED)
    assert routed.count() == TICKETS
    assert routed.values("ticket").distinct().count() == TICKETS
    print(
        f"\n{TICKETS} submitted in {submit_seconds:.1f}s with Redis down; routed {took:.1f}s after"
    )
