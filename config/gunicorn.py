"""gunicorn settings for the HTTP server (pages, API, admin, static files).

    gunicorn -c python:config.gunicorn config.wsgi:application

WebSockets are served by daphne (`/ws/`); the proxy in front sends each
path to its server (deploy/nginx.conf). Why two servers, with the figures:
docs/performance.md ("Production topology").

Sync workers: one request at a time per process, on the same thread, so
each worker holds one persistent PostgreSQL connection (CONN_MAX_AGE) and
the total is bounded by the number of workers. Slow clients are the
proxy's business: nginx buffers requests and responses.
"""

from __future__ import annotations

import gc
import os


def _int(name: str, default: int) -> int:
    """An integer from the environment; unset or empty is the default
    (docker-compose passes `${X:-}` as an empty string)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(
            f"Configuration error: {name} must be a whole number, not {value!r} (see .env.example)"
        ) from None


bind = os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"
# One worker per core by default, as measured (docs/performance.md).
# docker-compose passes WEB_CONCURRENCY as GUNICORN_WORKERS: gunicorn reads
# WEB_CONCURRENCY itself when it is imported, and fails on an empty one.
workers = _int("GUNICORN_WORKERS", 0) or _int("WEB_CONCURRENCY", 0) or os.cpu_count() or 2
worker_class = "sync"
backlog = 2048
# A request that takes longer than this is killed with its worker; no page
# should come near it (the slowest, a cold ranking, takes well under 1 s).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do
# not all restart at once): a slow leak in any library cannot grow a
# worker without bound. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 10000)
max_requests_jitter = max_requests // 10
accesslog = None  # the proxy logs requests
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()
# The proxy sets X-Forwarded-Proto; trust it from anywhere only because
# this port is reachable from the proxy alone (docker-compose.yml).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "*"


# The cyclic garbage collector (docs/performance.md, "Evening: garbage collection, ..."):
# the youngest generation is collected every GC_YOUNG_THRESHOLD new
# container objects instead of Python's 700.
GC_YOUNG_THRESHOLD = _int("GUNICORN_GC_YOUNG_THRESHOLD", 10000)


def post_worker_init(worker) -> None:
    """Once the worker has loaded the application: import every view
    (Django resolves its URLconf lazily, on the first request), then move
    every object alive now into the collector's permanent generation
    (gc.freeze). A full collection otherwise walks the whole of Django and
    the project's modules, several hundred thousand objects, to find no
    garbage there: measured in-process, 44 ms of a 12-month dashboard's 200
    ms went to it; 3 ms with the freeze and the larger young generation."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports the views)
    gc.collect()  # start-up garbage is freed, not frozen for good
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def child_exit(server, worker) -> None:
    # Prometheus multiprocess mode: a dead worker's live gauges go with it.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
