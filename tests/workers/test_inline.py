"""The embedded mode's sweep thread: when it starts, and that it sweeps."""

from __future__ import annotations

import pytest

from feedback.models import Ticket
from workers import inline


@pytest.mark.parametrize(
    ("argv", "environ", "expected"),
    [
        (["manage.py", "runserver"], {"RUN_MAIN": "true"}, True),
        (["manage.py", "runserver"], {}, False),  # autoreload's watcher process
        (["manage.py", "runserver", "--noreload"], {}, True),
        (["/venv/bin/daphne", "config.asgi:application"], {}, True),
        (["manage.py", "migrate"], {"RUN_MAIN": "true"}, False),
        (["/venv/bin/pytest", "tests"], {}, False),
        (["/venv/bin/celery", "-A", "config", "worker"], {}, False),
    ],
)
def test_it_starts_only_in_the_embedded_web_server(settings, argv, environ, expected):
    settings.FEEDBACK_INLINE_SWEEPS = "auto"
    assert inline.wanted(argv, environ) is expected


def test_it_never_starts_with_a_broker(settings):
    settings.TASKS_INLINE = False
    settings.FEEDBACK_INLINE_SWEEPS = "1"
    assert inline.wanted(["manage.py", "runserver", "--noreload"], {}) is False


def test_the_setting_forces_it_on_or_off(settings):
    settings.FEEDBACK_INLINE_SWEEPS = "0"
    assert inline.wanted(["manage.py", "runserver", "--noreload"], {}) is False
    settings.FEEDBACK_INLINE_SWEEPS = "1"
    assert inline.wanted(["manage.py", "shell"], {}) is True


@pytest.mark.django_db(transaction=True)
def test_the_thread_routes_a_ticket_left_in_received(settings, world, submit):
    settings.FEEDBACK_REQUEUE_AFTER_SECONDS = 0
    ticket, _ = submit()
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.RECEIVED, office=None)
    thread = inline.start(every=0.05)
    try:
        for _ in range(200):
            ticket.refresh_from_db()
            if ticket.status == Ticket.Status.ROUTED:
                break
            thread.join(0.05)
    finally:
        inline.stop()
    assert ticket.status == Ticket.Status.ROUTED
    assert not thread.is_alive()
