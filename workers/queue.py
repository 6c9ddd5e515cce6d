"""Sending a task to the broker without ever failing the caller. The row
that needs the work is committed first; when the broker is down the send
is logged and a periodic sweep (feedback.sweeps) queues it again.

Without Redis (the embedded default, settings.TASKS_INLINE) the task body
runs here, in the web process, right away: callers queue after commit. It
runs in a fresh context, as it would on a worker: nothing the request set
in a context variable (the partner system a call came through, a replay)
leaks into the task's own events."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

from django.conf import settings

log = logging.getLogger(__name__)


def queue_task(name: str, *args: Any) -> bool:
    """Send task `name` with `args`; True if it was sent (or run inline)."""
    # Imported here: the Celery app imports the tasks, which import the domain.
    from config.celery import app

    try:
        if settings.TASKS_INLINE:
            contextvars.Context().run(app.tasks[name].apply, args=args, throw=False)
        else:
            app.send_task(name, args=args)
        return True
    except Exception:
        log.warning("could not queue %s%r; the sweep will pick it up", name, args, exc_info=True)
        return False
