"""Test-only tasks, loaded into the test worker with --include. Nothing in
production imports this module."""

import os
import time

from celery import shared_task
from django.db import transaction

from feedback import workflow


@shared_task(name="tests.integration.slow_route", acks_late=True)
def slow_route(ticket_id: int) -> str:
    # Route, then linger before the commit: a worker killed in the pause
    # has done the work but not committed it, the worst moment to die.
    with transaction.atomic():
        ticket = workflow.ticket_route(ticket_id)
        time.sleep(float(os.environ.get("SLOW_ROUTE_SECONDS", "1")))
    return ticket.status
