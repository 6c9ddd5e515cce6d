"""A worker killed with SIGKILL in the middle of a batch: its unacknowledged
tasks come back (acks_late + visibility timeout), beat's sweep re-queues any
ticket still unrouted, as in production, and every ticket is routed exactly
once."""

from __future__ import annotations

import pytest

from config.celery import app
from feedback.models import Ticket, TicketEvent
from tests.integration.conftest import DEAD_BROKER, REDIS_URL, point_app_at, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
TICKETS = 12
E = TicketEvent.Kind


def test_every_ticket_is_routed_exactly_once_after_a_worker_is_killed(world, submit, celery_worker):
    point_app_at(DEAD_BROKER)  # intake cannot queue: only our slow tasks will route
    ids = [submit(description=f"Rác ở ngõ {n} Hàng Bài.")[0].pk for n in range(TICKETS)]
    point_app_at(REDIS_URL)
    env = {"CELERY_VISIBILITY_TIMEOUT": "6", "SLOW_ROUTE_SECONDS": "1.5"}
    include = ("tests.integration.slow_tasks",)
    routed = TicketEvent.objects.filter(kind=E.ROUTED)

    with celery_worker(env=env, include=include) as first:
        for pk in ids:
            app.send_task("tests.integration.slow_route", args=(pk,))
        assert wait_for(lambda: routed.count() >= 2, 30), first.output()[-3000:]
        first.kill()
    done_before_kill = routed.count()
    assert done_before_kill < TICKETS

    # The second worker also runs beat, as production does: its sweep is the
    # backstop for a task the broker could not hand back.
    sweep_env = {**env, "FEEDBACK_SWEEP_SECONDS": "5", "FEEDBACK_REQUEUE_AFTER_SECONDS": "20"}
    with celery_worker(env=sweep_env, include=include, beat=True) as second:
        ok = wait_for(lambda: routed.count() >= TICKETS, 90, 0.5)
        assert ok, second.output()[-3000:]
        wait_for(lambda: False, 3)  # any late redelivery would land now

    assert not Ticket.objects.filter(status=Ticket.Status.RECEIVED).exists()
    for pk in ids:
        assert routed.filter(ticket_id=pk).count() == 1
