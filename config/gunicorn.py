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

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# gunicorn itself reads WEB_CONCURRENCY too; the default here is one
# worker per core, as measured (docs/performance.md).
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "sync"
backlog = 2048
# A request that takes longer than this is killed with its worker; no page
# should come near it (the slowest, a cold ranking, takes well under 1 s).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do
# not all restart at once): a slow leak in any library cannot grow a
# worker without bound. 0 turns it off.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
accesslog = None  # the proxy logs requests
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy sets X-Forwarded-Proto; trust it from anywhere only because
# this port is reachable from the proxy alone (docker-compose.yml).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "*")


def child_exit(server, worker) -> None:
    # Prometheus multiprocess mode: a dead worker's live gauges go with it.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
