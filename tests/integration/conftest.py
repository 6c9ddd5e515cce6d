"""Real services for the integration suite: PostgreSQL (pytest-django's
test database), Redis DB 4 (FEEDBACK_IT_REDIS_URL) and Celery workers
started as subprocesses on that same test database. Nothing here is eager:
tasks cross a real broker to a real worker. If a service is unreachable the
tests fail; they never skip."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
REDIS_URL = os.environ.get("FEEDBACK_IT_REDIS_URL", "redis://127.0.0.1:6379/4")
# Nothing listens here: the broker "is down".
DEAD_BROKER = "redis://127.0.0.1:6391/0"


def point_app_at(url: str, *, results: bool = False) -> None:
    """Make this (the web) process publish to `url` from now on; with
    `results`, also wait on task results there (production does not)."""
    from config.celery import app

    app.conf.broker_url = url
    app.conf.result_backend = url if results else None
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    app._after_fork()  # drop pooled connections to the previous broker


def database_url_for_workers() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(autouse=True)
def real_services(_inline_tasks, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.fail("the integration suite needs PostgreSQL: set DATABASE_URL=postgres://...")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        pytest.fail(f"the integration suite needs Redis at {REDIS_URL}: {exc}")
    settings.TASKS_INLINE = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.REDIS_URL = REDIS_URL
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    point_app_at(REDIS_URL)
    yield
    point_app_at(REDIS_URL)


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the worker and its pool children: no warm shutdown, no
        acks, open transactions die with their connections."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


@pytest.fixture
def celery_worker(tmp_path):
    """Start Celery workers on the test database; each is stopped after
    the test (or killed if it does not stop)."""
    started: list[Worker] = []

    @contextmanager
    def start(
        broker: str = REDIS_URL,
        *,
        concurrency: int = 2,
        beat: bool = False,
        env: dict[str, str] | None = None,
        include: tuple[str, ...] = (),
    ) -> Iterator[Worker]:
        n = len(started)
        log = tmp_path / f"worker{n}.log"
        environ = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # ROOT, plus the moved clock's directory when the run has one.
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "DATABASE_URL": database_url_for_workers(),
            "REDIS_URL": broker,
            "CELERY_RESULT_BACKEND": broker,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            "FEEDBACK_INLINE_SWEEPS": "0",
            **(env or {}),
        }
        cmd = [str(CELERY), "-A", "config", "worker", "-P", "prefork", "-c", str(concurrency)]
        cmd += ["-n", f"it{n}-{os.getpid()}@%h", "-l", "info"]
        cmd += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        if beat:
            cmd += ["-B", "-s", str(tmp_path / f"beat{n}")]
        for module in include:
            cmd += ["--include", module]
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                env=environ,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(proc, log)
        started.append(worker)
        wait_for(lambda: " ready." in worker.output() or proc.poll() is not None, 60)
        if proc.poll() is not None:
            pytest.fail(f"the Celery worker did not start:\n{worker.output()[-3000:]}")
        try:
            yield worker
        finally:
            stop(worker)

    yield start
    for worker in started:
        stop(worker)


def stop(worker: Worker) -> None:
    if worker.proc.poll() is not None:
        return
    worker.proc.terminate()  # warm shutdown: the main process lets its pool finish
    try:
        worker.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.proc.pid, signal.SIGKILL)
        worker.proc.wait(timeout=10)


@pytest.fixture
def throwaway_redis(tmp_path):
    """A Redis server of our own (Debian's redis-server) on a free port, to
    stop and start at will; it comes back on the same port, as a restarted
    production Redis would."""
    port = free_port()
    state: dict[str, subprocess.Popen | None] = {"proc": None}

    def up() -> str:
        proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        state["proc"] = proc
        client = redis.Redis(port=port, socket_connect_timeout=1)
        wait_for(lambda: _pings(client), 10)
        return f"redis://127.0.0.1:{port}/0"

    def down() -> None:
        proc = state["proc"]
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=10)
        state["proc"] = None

    yield up, down
    down()


def _pings(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False


def wait_for(condition, timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
