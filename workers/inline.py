"""The embedded default's beat: without Redis there is no Celery worker or
beat, so a daemon thread in the web process runs the same sweeps every
FEEDBACK_SWEEP_SECONDS. Tasks the sweeps queue run in-process too
(workers.queue.queue_task with TASKS_INLINE), so `make run` routes, warns, marks
breaches, escalates and closes exactly as production does."""

from __future__ import annotations

import logging
import os
import sys
import threading

from django.conf import settings
from django.db import close_old_connections, connection

log = logging.getLogger(__name__)

_started = threading.Lock()
_thread: threading.Thread | None = None


def wanted(argv: list[str] | None = None, environ: dict | None = None) -> bool:
    """Whether this process should run the sweeps. Only the serving process
    of the embedded mode: `runserver` (in the child that autoreload starts,
    RUN_MAIN=true, or with --noreload) and daphne. Never tests, migrate,
    shell or a Celery worker; FEEDBACK_INLINE_SWEEPS=1/0 forces it."""
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    if not settings.TASKS_INLINE:
        return False
    choice = str(settings.FEEDBACK_INLINE_SWEEPS).lower()
    if choice in ("1", "true", "yes", "on"):
        return True
    if choice != "auto":
        return False
    program = os.path.basename(argv[0]) if argv else ""
    if program == "daphne":
        return True
    if len(argv) > 1 and argv[1] == "runserver":
        # Autoreload runs two processes; only the child serves requests.
        return "--noreload" in argv or environ.get("RUN_MAIN") == "true"
    return False


def run_once() -> dict[str, int]:
    from feedback import sweeps

    try:
        return sweeps.run_all()
    finally:
        # This thread's own connection: close it between passes so SQLite
        # holds no file lock while the thread sleeps.
        connection.close()


def _loop(stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        close_old_connections()
        try:
            counts = run_once()
            if any(counts.values()):
                log.info("inline sweeps: %s", counts)
        except Exception:
            # A locked SQLite file or a bad row must not kill the thread:
            # the next pass tries again.
            log.exception("inline sweeps failed; retrying in %ss", every)


def start(every: float | None = None) -> threading.Thread | None:
    """Start the sweep thread once per process; returns it (or the one
    already running)."""
    global _thread
    every = float(every or settings.FEEDBACK_SWEEP_SECONDS)
    with _started:
        if _thread is None or not _thread.is_alive():
            stop = threading.Event()
            _thread = threading.Thread(
                target=_loop,
                args=(stop, every),
                name="feedback-inline-sweeps",
                daemon=True,
            )
            _thread.stop = stop  # type: ignore[attr-defined]
            _thread.start()
            log.info("inline sweeps every %ss (no REDIS_URL: embedded mode)", every)
    return _thread


def stop() -> None:
    global _thread
    with _started:
        if _thread is not None:
            _thread.stop.set()  # type: ignore[attr-defined]
            _thread.join(timeout=5)
            _thread = None
