"""GET /metrics: Prometheus's view of the site, behind a bearer token."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from celery import signals
from django.utils import timezone

from config.celery import app
from feedback import workflow

TOKEN = "scrape-token-0123456789"
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def scrape(client, settings):
    settings.FEEDBACK_METRICS_TOKEN = TOKEN
    settings.FEEDBACK_METRICS_CACHE_SECONDS = 0

    def _scrape() -> str:
        response = client.get("/metrics", **AUTH)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return _scrape


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name{labels}` in the exposition text (0 if absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and line.split(" ")[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_it_does_not_exist_without_a_token(client, settings):
    settings.FEEDBACK_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", **AUTH).status_code == 404


def test_it_refuses_a_scrape_without_the_right_token(client, settings):
    settings.FEEDBACK_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    assert wrong.status_code == 401
    assert b"feedback_" not in wrong.content


def test_it_times_requests_by_the_url_patterns_name_not_the_path(client, scrape, db):
    labels = {"view": "healthz", "method": "GET", "status": "2xx"}
    before = value(scrape(), "feedback_http_request_duration_seconds_count", **labels)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/tra-cuu/ABCD2345/")  # a 404: one series for every code
    text = scrape()
    assert value(text, "feedback_http_request_duration_seconds_count", **labels) == before + 2
    assert value(
        text,
        "feedback_http_request_duration_seconds_count",
        view="public:track",
        status="4xx",
    )
    assert "ABCD2345" not in text


def test_it_counts_tickets_by_status_and_the_kind_of_office_holding_them(world, submit, scrape):
    submit()
    workflow.ticket_route(submit()[0])
    text = scrape()
    assert value(text, "feedback_tickets", status="received", office_kind="none") == 1
    assert value(text, "feedback_tickets", status="routed", office_kind="committee") == 1


def test_it_tells_how_long_the_oldest_ticket_has_waited_for_routing(world, submit, scrape):
    ten_minutes_ago = timezone.now() - timedelta(minutes=10)
    submit(at=ten_minutes_ago)
    submit()
    age = value(scrape(), "feedback_routing_oldest_unrouted_seconds")
    assert 600 <= age < 700


def test_it_reports_the_undelivered_notifications(world, submit, scrape):
    # Test transactions never commit, so nothing is delivered: each
    # RECEIVED event owes its notifications.
    submit()
    submit()
    text = scrape()
    assert value(text, "feedback_outbox_backlog") == 2
    assert value(text, "feedback_outbox_oldest_seconds") >= 0


def test_it_counts_task_successes_failures_and_retries(world, submit, scrape):
    ticket, _ = submit()
    route = app.tasks["workers.tasks.route_ticket"]
    text = scrape()
    before = {
        outcome: value(text, "feedback_celery_tasks_total", task=route.name, outcome=outcome)
        for outcome in ("success", "failure", "retry")
    }
    route.apply(args=(ticket.pk,))
    route.apply(args=(10**9,), throw=False)  # no such ticket: a failure, not retried
    signals.task_retry.send(sender=route, request=None, reason="broker away")
    text = scrape()
    for outcome in ("success", "failure", "retry"):
        now = value(text, "feedback_celery_tasks_total", task=route.name, outcome=outcome)
        assert now == before[outcome] + 1, outcome


def test_the_sample_grafana_dashboard_reads_only_metrics_that_exist(client, scrape, world):
    client.get("/healthz")
    text = scrape()
    dashboard = (
        Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
    ).read_text()
    exprs = [t["expr"] for p in json.loads(dashboard)["panels"] for t in p["targets"]]
    used = {m for e in exprs for m in re.findall(r"\bfeedback_[a-z_]+", e)}
    assert used
    for name in used:
        family = re.sub(r"_(bucket|count|sum)$", "", name)
        assert f"# HELP {family} " in text, name
