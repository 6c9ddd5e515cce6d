"""The suite's moved clock (FEEDBACK_TEST_CLOCK), for the test process and
for every Python process a test starts (Celery workers, daphne, gunicorn,
manage.py): tests/conftest.py travels there at start, and puts this
directory on PYTHONPATH so that Python imports this file as `sitecustomize`
in each child, which then travels to the same moment.

FEEDBACK_TEST_CLOCK is an ISO moment with its offset, e.g.
"2026-12-31T23:30+07:00"; the clock ticks on from there. A child started
later starts later on the moved clock too: FEEDBACK_TEST_CLOCK_SINCE is the
machine's time when the run began."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

CLOCK = "FEEDBACK_TEST_CLOCK"
SINCE = "FEEDBACK_TEST_CLOCK_SINCE"


def moment(value: str) -> datetime:
    at = datetime.fromisoformat(value)
    if at.tzinfo is None:
        raise ValueError(f'{CLOCK} needs an offset, e.g. "2026-12-31T23:30+07:00" (got {value!r})')
    return at


def travel_from_env(environ=os.environ):
    """Start travelling if FEEDBACK_TEST_CLOCK is set; returns the traveller
    (to stop) or None."""
    value = environ.get(CLOCK)
    if not value:
        return None
    import time_machine

    since = float(environ.setdefault(SINCE, repr(time.time())))
    traveller = time_machine.travel(
        moment(value) + timedelta(seconds=time.time() - since), tick=True
    )
    traveller.start()
    return traveller


if __name__ == "sitecustomize":
    try:
        travel_from_env()
    except ValueError as exc:
        # Python would print "Error in sitecustomize" and run on the real clock.
        raise SystemExit(f"error: {exc}") from None
