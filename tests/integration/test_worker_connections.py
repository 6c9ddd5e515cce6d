"""A Celery worker keeps its PostgreSQL connection from task to task, as a
web worker does from request to request (Celery's default was a new
connection for every task: three per routed ticket)."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from feedback.models import Ticket, TicketEvent
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def backends(app_name: str) -> set:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE application_name = %s",
            [app_name],
        )
        return set(cursor.fetchall())


def all_done() -> bool:
    return (
        not Ticket.objects.filter(status=Ticket.Status.RECEIVED).exists()
        and not TicketEvent.objects.filter(notified_at__isnull=True).exists()
    )


def test_a_worker_routes_and_delivers_over_one_connection(world, submit, celery_worker):
    app_name = f"it-worker-conn-{os.getpid()}"
    with celery_worker(concurrency=1, env={"PGAPPNAME": app_name}):
        submit()
        assert wait_for(all_done, 30)
        first = backends(app_name)
        for _ in range(3):
            submit()
        assert wait_for(all_done, 30)
        later = backends(app_name)
    assert first, "the connection was closed after the tasks"
    assert later == first
