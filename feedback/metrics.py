"""Operations metrics for Prometheus (prometheus-client).

- `feedback_http_request_duration_seconds{view,method,status}`: every
  request's latency by the URL pattern's name (MetricsMiddleware);
- `feedback_tickets{status,office_kind}`: tickets now, by status and by the
  kind of office that holds them ("none" before routing);
- `feedback_routing_queue_depth`, `feedback_routing_oldest_unrouted_seconds`:
  route_ticket messages waiting in Redis, and how long the oldest ticket
  still "received" has waited for an office;
- `feedback_outbox_backlog`, `feedback_outbox_oldest_seconds`: events whose
  notifications are not delivered yet;
- `feedback_celery_tasks_total{task,outcome}`: task successes, failures and
  retries (Celery signals, counted in the worker processes, which serve
  them on FEEDBACK_WORKER_METRICS_PORT).

The web endpoint (/metrics) answers only a request that carries
`Authorization: Bearer <FEEDBACK_METRICS_TOKEN>`; without the setting it
does not exist (404). Under gunicorn's several workers the counters and
histograms are shared through PROMETHEUS_MULTIPROC_DIR (prometheus-client's
multiprocess mode); the gauges are read from the database and Redis at
scrape time, cached for FEEDBACK_METRICS_CACHE_SECONDS.
"""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger(__name__)

# Buckets around the targets: 50 ms for pages, 300 ms for cold rankings.
REQUEST_SECONDS = Histogram(
    "feedback_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL pattern name.",
    ["view", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10),
)
TASKS = Counter(
    "feedback_celery_tasks_total",
    "Celery task runs by outcome (success, failure, retry).",
    ["task", "outcome"],
)


class MetricsMiddleware:
    """Times each request. The label is the URL pattern's name, never the
    path, so a tracking code cannot make a new time series."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unmatched"
        REQUEST_SECONDS.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        return response


# --- what the database and Redis say at scrape time ------------------------------------


def _state() -> dict:
    """The gauges' values; one GROUP BY over the tickets, three indexed
    reads and an LLEN, cached so a scrape every few seconds costs little."""
    key = "feedback:metrics:state"
    ttl = settings.FEEDBACK_METRICS_CACHE_SECONDS
    if ttl > 0:
        try:
            hit = cache.get(key)
        except Exception:
            hit = None
        if hit is not None:
            return hit
    from feedback.models import Ticket, TicketEvent

    now = timezone.now()
    by_status = [
        (row["status"], row["office__kind"] or "none", row["n"])
        for row in Ticket.objects.values("status", "office__kind")
        .annotate(n=Count("id"))
        .order_by()
    ]
    # Index (status, created_at): the oldest ticket still waiting for routing.
    oldest = (
        Ticket.objects.filter(status=Ticket.Status.RECEIVED)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    # The partial index on undelivered events.
    outbox = TicketEvent.objects.filter(notified_at__isnull=True).aggregate(
        n=Count("id"), oldest=Min("at")
    )
    state = {
        "tickets": by_status,
        "unrouted_age": (now - oldest).total_seconds() if oldest else 0.0,
        "outbox": outbox["n"],
        "outbox_age": (now - outbox["oldest"]).total_seconds() if outbox["oldest"] else 0.0,
        "queue_depth": _queue_depth("routing"),
    }
    if ttl > 0:
        try:
            cache.set(key, state, ttl)
        except Exception:
            log.warning("metrics: cache unavailable", exc_info=True)
    return state


def _queue_depth(queue: str) -> float:
    if not settings.REDIS_URL:
        return 0.0  # embedded mode: tasks run in-process, nothing waits
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
        return float(client.llen(queue))
    except redis.RedisError:
        return float("nan")  # "unknown", not "empty"


class StateCollector:
    def collect(self) -> Iterator[GaugeMetricFamily]:
        state = _state()
        tickets = GaugeMetricFamily(
            "feedback_tickets",
            "Tickets by status and office kind.",
            labels=["status", "office_kind"],
        )
        for status, kind, n in state["tickets"]:
            tickets.add_metric([status, kind], n)
        yield tickets
        yield GaugeMetricFamily(
            "feedback_routing_queue_depth",
            "route_ticket messages waiting in the broker.",
            value=state["queue_depth"],
        )
        yield GaugeMetricFamily(
            "feedback_routing_oldest_unrouted_seconds",
            "Age of the oldest ticket still waiting for an office (0: none waits).",
            value=state["unrouted_age"],
        )
        yield GaugeMetricFamily(
            "feedback_outbox_backlog",
            "Events whose notifications are not delivered yet.",
            value=state["outbox"],
        )
        yield GaugeMetricFamily(
            "feedback_outbox_oldest_seconds",
            "Age of the oldest undelivered event (0: none).",
            value=state["outbox_age"],
        )


def registry(*, with_state: bool) -> CollectorRegistry:
    """The process's own metrics, or in multiprocess mode everyone's."""
    reg = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(reg)
    else:
        for collector in (REQUEST_SECONDS, TASKS):
            reg.register(collector)
    if with_state:
        reg.register(StateCollector())
    return reg


def metrics_view(request: HttpRequest) -> HttpResponse:
    token = settings.FEEDBACK_METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return HttpResponse("metrics need a bearer token\n", status=401, content_type="text/plain")
    return HttpResponse(
        generate_latest(registry(with_state=True)), content_type=CONTENT_TYPE_LATEST
    )


# --- Celery ----------------------------------------------------------------------------


def count_task(task_name: str | None, outcome: str) -> None:
    TASKS.labels(task_name or "unknown", outcome).inc()


def connect_celery_signals() -> None:
    """Count task outcomes in the worker processes (called from
    config/celery.py)."""
    from celery import signals

    def name_of(sender) -> str | None:
        return getattr(sender, "name", None)

    for signal, outcome in (
        (signals.task_success, "success"),
        (signals.task_failure, "failure"),
        (signals.task_retry, "retry"),
    ):
        signal.connect(
            lambda sender=None, outcome=outcome, **kw: count_task(name_of(sender), outcome),
            weak=False,
            dispatch_uid=f"feedback.metrics.{outcome}",
        )


def serve_worker_metrics(port: int, addr: str = "0.0.0.0") -> None:  # noqa: S104
    """A worker's own /metrics for Prometheus on its private network: the
    task counters of all its pool processes (multiprocess mode)."""
    from prometheus_client import start_http_server

    start_http_server(port, addr=addr, registry=registry(with_state=False))
