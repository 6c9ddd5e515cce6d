"""The production servers under concurrent load, on the real PostgreSQL and
Redis: gunicorn's sync workers (HTTP) hold one database connection each,
and daphne (WebSockets) stays inside its pool however many requests it
runs at once (issue 9 point 6: under daphne every request runs on a new
thread, so persistent connections were never reused and piled up).

Each server is a subprocess on pytest-django's test database; its
connections are told apart in pg_stat_activity by application_name
(libpq's PGAPPNAME)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection

from feedback import live
from feedback.models import Ticket
from tests.integration.conftest import REDIS_URL, ROOT, database_url_for_workers, wait_for
from tests.services import free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "integration-only-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": "http://127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "FEEDBACK_SUBMIT_RATE": "100000/h",
    "FEEDBACK_INLINE_SWEEPS": "0",
    "LOG_LEVEL": "WARNING",
}


@contextmanager
def serving(cmd: list[str], port: int, app_name: str, tmp_path: Path, **env: str) -> Iterator[str]:
    log = tmp_path / f"{app_name}.log"
    environ = {
        **os.environ,
        **PRODUCTION,
        "DATABASE_URL": database_url_for_workers(),
        "REDIS_URL": REDIS_URL,
        "PGAPPNAME": app_name,
        **env,
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        if not wait_for(lambda: _answers(base) or proc.poll() is not None, 60):
            pytest.fail(f"{cmd[0]} did not start:\n{log.read_text()[-3000:]}")
        if proc.poll() is not None:
            pytest.fail(f"{cmd[0]} exited:\n{log.read_text()[-3000:]}")
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def connections_of(app_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [app_name]
        )
        return cursor.fetchone()[0]


@contextmanager
def most_connections(app_name: str) -> Iterator[list[int]]:
    """Samples the server's connection count while the block runs; the
    list holds the highest seen."""
    seen = [0]
    stop = threading.Event()

    def sample() -> None:
        from django.db import connection as own

        while not stop.is_set():
            seen[0] = max(seen[0], connections_of(app_name))
            stop.wait(0.05)
        own.close()

    thread = threading.Thread(target=sample)
    thread.start()
    try:
        yield seen
    finally:
        stop.set()
        thread.join()
        seen[0] = max(seen[0], connections_of(app_name))


def hammer(calls: list[Callable[[], int]], threads: int = 32) -> list[int]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda call: call(), calls))


def status_of(request: str | urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def get(url: str) -> Callable[[], int]:
    return lambda: status_of(url)


def post_ticket(base: str, world, n: int) -> Callable[[], int]:
    body = json.dumps(
        {
            "category": world.waste.code,
            "unit": world.ward_a.code,
            "description": f"Đèn đường hỏng số {n} trước ngõ 12 Hàng Bài.",
        }
    ).encode()

    def call() -> int:
        request = urllib.request.Request(
            base + "/api/v1/tickets/",
            data=body,
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        return status_of(request)

    return call


def gunicorn(port: int, tmp_path: Path, app_name: str, workers: int = 2):
    return serving(
        [str(BIN / "gunicorn"), "-c", "python:config.gunicorn", "config.wsgi:application"],
        port,
        app_name,
        tmp_path,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=str(workers),
    )


def daphne(port: int, tmp_path: Path, app_name: str, **env: str):
    cmd = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"]
    return serving(cmd, port, app_name, tmp_path, **env)


def test_it_serves_http_on_gunicorn_with_one_connection_per_worker(world, tmp_path):
    app_name = f"it-gunicorn-{os.getpid()}"
    with gunicorn(free_port(), tmp_path, app_name, workers=2) as base:
        calls = [get(base + "/readyz") for _ in range(200)]
        calls += [post_ticket(base, world, n) for n in range(100)]
        with most_connections(app_name) as seen:
            statuses = hammer(calls)
    assert statuses.count(200) == 200 and statuses.count(201) == 100, statuses
    assert Ticket.objects.filter(channel=Ticket.Channel.API).count() == 100
    # One per worker, reused from request to request.
    assert 1 <= seen[0] <= 2


def test_it_keeps_daphne_inside_its_pool_under_concurrent_requests(world, tmp_path):
    app_name = f"it-daphne-pool-{os.getpid()}"
    with daphne(free_port(), tmp_path, app_name, DATABASE_POOL_SIZE="3") as base:
        calls = [get(base + "/readyz") for _ in range(300)]
        calls += [post_ticket(base, world, n) for n in range(60)]
        with most_connections(app_name) as seen:
            statuses = hammer(calls, threads=48)
    assert statuses.count(200) == 300 and statuses.count(201) == 60, statuses
    assert 1 <= seen[0] <= 3


def test_without_the_pool_daphne_leaves_a_connection_behind_per_thread(world, tmp_path):
    """Why the pool is there: the same load on daphne with persistent
    connections (the old production setting) holds more connections than
    the pool above allows, and they outlive the requests. (Kept small: at
    300 requests this PostgreSQL, max_connections 100, refused new ones.)"""
    app_name = f"it-daphne-bare-{os.getpid()}"
    with daphne(free_port(), tmp_path, app_name) as base, most_connections(app_name) as seen:
        statuses = hammer([get(base + "/readyz") for _ in range(40)], threads=8)
    assert statuses.count(200) == 40
    assert seen[0] > 3


def test_a_ticket_filed_on_gunicorn_reaches_live_listeners_over_redis(world, tmp_path):
    """The live update is sent from the gunicorn worker after commit (no
    event loop of its own there) and arrives through Redis, where daphne's
    consumers listen."""
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(live.DASHBOARD_GROUP, channel)

    async def receive(n: int) -> list[dict]:
        return [await asyncio.wait_for(layer.receive(channel), 15) for _ in range(n)]

    with gunicorn(free_port(), tmp_path, f"it-live-{os.getpid()}", workers=2) as base:
        statuses = hammer([post_ticket(base, world, n) for n in range(10)], threads=4)
        messages = async_to_sync(receive)(10)
    assert statuses == [201] * 10
    codes = set(Ticket.objects.values_list("code", flat=True))
    assert {m["code"] for m in messages} == codes
    assert {m["event"] for m in messages} == {"received"}
