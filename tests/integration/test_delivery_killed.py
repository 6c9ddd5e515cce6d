"""A worker SIGKILLed in the middle of sending an event's mail: the event
is not lost. Its claim runs out, the re-queue sweep hands it to the next
worker, and that worker sends only the half that had not gone out (the
office's), not the reporter's again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from config.celery import app
from feedback import workflow
from feedback.models import TicketEvent
from tests.integration.conftest import DEAD_BROKER, REDIS_URL, point_app_at, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
E = TicketEvent.Kind


def mails_to(folder, address: str) -> int:
    if not folder.exists():
        return 0
    return sum(address in p.read_text() for p in folder.iterdir())


def test_mail_owed_by_a_worker_killed_while_sending_is_sent_after_the_sweep(
    world, submit, celery_worker, tmp_path
):
    point_app_at(DEAD_BROKER)  # nothing is queued on commit: the test hands out the work
    ticket, _ = submit()
    workflow.ticket_route(ticket)
    point_app_at(REDIS_URL)
    TicketEvent.objects.filter(ticket=ticket, kind=E.RECEIVED).update(notified_at=timezone.now())
    routed = TicketEvent.objects.get(ticket=ticket, kind=E.ROUTED)
    marker, outbox = tmp_path / "stalled", tmp_path / "mail"
    env = {
        "EMAIL_BACKEND": "tests.integration.slow_mail.StallingFileBackend",
        "STALL_MAIL_TO": world.head_a.email,  # the office's half hangs
        "STALL_MAIL_MARKER": str(marker),
        "FEEDBACK_DELIVERY_CLAIM_SECONDS": "5",
    }

    with celery_worker(env=env) as first:
        app.send_task("workers.tasks.deliver_event", args=(routed.pk,), queue="delivery")
        assert wait_for(marker.exists, 60), first.output()[-3000:]
        first.kill()
    routed.refresh_from_db()
    assert routed.notified_at is None  # not marked sent before the send
    assert routed.reporter_sent_at is not None and routed.office_sent_at is None
    assert mails_to(outbox, "an@example.com") == 1
    assert mails_to(outbox, world.head_a.email) == 0

    # The next worker runs beat, as production does: the sweep finds the
    # event once its claim has run out (the dead worker's task itself comes
    # back only after the broker's visibility timeout, 600 s).
    sweep = {**env, "FEEDBACK_SWEEP_SECONDS": "2", "FEEDBACK_REQUEUE_AFTER_SECONDS": "1"}
    with celery_worker(env=sweep, beat=True) as second:
        sent = wait_for(lambda: TicketEvent.objects.get(pk=routed.pk).notified_at, 90, 0.5)
        assert sent, second.output()[-3000:]
    assert mails_to(outbox, world.head_a.email) == 1
    assert mails_to(outbox, "an@example.com") == 1  # the reporter's half was not sent twice
