"""A real Celery worker serves its task counters for Prometheus: the
outcomes counted in its pool processes (prometheus-client's multiprocess
mode), on FEEDBACK_WORKER_METRICS_PORT."""

from __future__ import annotations

import urllib.request

import pytest

from config.celery import app
from feedback.models import Ticket
from tests.feedback.test_metrics import value
from tests.integration.conftest import wait_for
from tests.services import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def scrape(port: int) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            return r.read().decode()
    except OSError:
        return ""


def test_a_worker_serves_the_outcomes_of_its_pool_processes(world, submit, celery_worker, tmp_path):
    port = free_port()
    prom = tmp_path / "prometheus"
    prom.mkdir()
    env = {"FEEDBACK_WORKER_METRICS_PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(prom)}
    route = "workers.tasks.route_ticket"

    def count(outcome: str) -> float:
        return value(scrape(port), "feedback_celery_tasks_total", task=route, outcome=outcome)

    with celery_worker(concurrency=2, env=env):
        ticket, _ = submit()  # routed by the worker once committed
        app.send_task(route, args=(10**9,))  # no such ticket: fails, not retried
        assert wait_for(lambda: count("success") >= 1 and count("failure") == 1, 30), scrape(port)
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.ROUTED
