"""Twenty partners' retries racing with one Idempotency-Key, on real
PostgreSQL from real threads: one ticket, one 201, and 200 for the rest
(issue 9, point 8). The workflow's insert decides, not a check before it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from feedback.models import Ticket, TicketEvent
from tests.api.test_ticket_submit import URL, payload

CALLS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_with_one_key_make_one_ticket_and_one_201(world, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the race is about PostgreSQL's unique index")
    settings.FEEDBACK_SUBMIT_RATE = "1000/h"
    body = payload(world)
    start = threading.Barrier(CALLS)

    def post(_n: int) -> tuple[int, dict]:
        try:
            client = APIClient()
            start.wait(timeout=30)
            r = client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
            return r.status_code, r.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(CALLS) as pool:
        answers = list(pool.map(post, range(CALLS)))

    statuses = sorted(status for status, _body in answers)
    assert statuses == [200] * (CALLS - 1) + [201]
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert {body["code"] for _status, body in answers} == {ticket.display_code}
    assert ticket.events.filter(kind=TicketEvent.Kind.RECEIVED).count() == 1
