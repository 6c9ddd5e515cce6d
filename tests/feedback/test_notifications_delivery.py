"""Notifications are delivered at least once: an event is marked delivered
only after its mail went out, a worker's claim runs out if the worker dies,
and each half of an event (the reporter's mail, the office's) is sent once
even when the other half has to be sent again."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from feedback import notifications, outbound, sweeps, workflow
from feedback.models import TicketEvent

E = TicketEvent.Kind
REPORTER = ["an@example.com"]


@pytest.fixture
def routed_event(submit, world):
    """The ROUTED event of a fresh ticket: it owes the reporter a mail and
    the office's staff a mail. Nothing is delivered yet (no commit in a test
    transaction, so no task ran)."""
    ticket, _ = submit()
    workflow.ticket_route(ticket)
    mail.outbox.clear()
    return ticket.events.get(kind=E.ROUTED)


def to_reporter() -> list:
    return [m for m in mail.outbox if m.to == REPORTER]


def to_office() -> list:
    return [m for m in mail.outbox if m.to != REPORTER]


def test_it_sends_both_halves_then_marks_the_event_delivered(routed_event, world):
    assert notifications.deliver_event(routed_event.pk) is True
    assert len(to_reporter()) == 1
    assert to_office()[0].to == sorted([world.officer_a.email, world.head_a.email])
    routed_event.refresh_from_db()
    assert routed_event.notified_at is not None and routed_event.claimed_until is None
    assert routed_event.reporter_sent_at and routed_event.office_sent_at
    assert notifications.deliver_event(routed_event.pk) is False  # delivered: nothing again
    assert len(mail.outbox) == 2


def test_a_failed_send_leaves_the_event_owed_and_unclaimed(routed_event):
    down = OSError("mail server down")
    with (
        # The reporter's half goes through their channel (outbound), the office's directly.
        mock.patch.object(outbound, "send_mail", side_effect=down),
        mock.patch.object(notifications, "send_mail", side_effect=down),
        pytest.raises(OSError),
    ):
        notifications.deliver_event(routed_event.pk)
    routed_event.refresh_from_db()
    assert routed_event.notified_at is None
    assert routed_event.claimed_until is None  # a retry may take it at once
    assert routed_event.reporter_sent_at is None and routed_event.office_sent_at is None
    assert notifications.deliver_event(routed_event.pk) is True
    assert len(mail.outbox) == 2


def test_when_the_office_half_fails_the_retry_sends_only_that_half(routed_event):
    real = notifications.send_mail

    def reporter_only(subject, body, sender, to):
        if to != REPORTER:
            raise OSError("mail server down")
        return real(subject, body, sender, to)

    with mock.patch.object(notifications, "send_mail", reporter_only), pytest.raises(OSError):
        notifications.deliver_event(routed_event.pk)
    assert len(to_reporter()) == 1 and not to_office()
    routed_event.refresh_from_db()
    assert routed_event.reporter_sent_at is not None and routed_event.notified_at is None

    assert notifications.deliver_event(routed_event.pk) is True
    assert len(to_reporter()) == 1  # not again
    assert len(to_office()) == 1


def test_a_live_claim_keeps_other_workers_off(routed_event):
    later = timezone.now() + timedelta(minutes=2)
    TicketEvent.objects.filter(pk=routed_event.pk).update(claimed_until=later)
    assert notifications.deliver_event(routed_event.pk) is False
    assert mail.outbox == []
    routed_event.refresh_from_db()
    assert routed_event.notified_at is None and routed_event.claimed_until == later


def test_a_claim_that_ran_out_is_taken_again_and_only_what_is_owed_is_sent(routed_event):
    # A worker died after sending the reporter's mail: its claim ran out.
    died_at = timezone.now() - timedelta(minutes=5)
    TicketEvent.objects.filter(pk=routed_event.pk).update(
        claimed_until=died_at + timedelta(seconds=1), reporter_sent_at=died_at
    )
    assert notifications.deliver_event(routed_event.pk) is True
    assert not to_reporter() and len(to_office()) == 1


def test_the_claim_lasts_longer_than_a_task_may_run(routed_event, settings):
    assert settings.FEEDBACK_DELIVERY_CLAIM_SECONDS > settings.CELERY_TASK_TIME_LIMIT
    seen = {}

    def look(*args, **kwargs):
        seen["claimed_until"] = TicketEvent.objects.get(pk=routed_event.pk).claimed_until

    with mock.patch.object(notifications, "_mail", look):
        before = timezone.now()
        notifications.deliver_event(routed_event.pk)
    lease = seen["claimed_until"] - before
    assert lease >= timedelta(seconds=settings.FEEDBACK_DELIVERY_CLAIM_SECONDS)


def test_the_sweep_requeues_expired_claims_but_not_live_ones(submit, world):
    ticket, _ = submit()
    workflow.ticket_route(ticket)
    received, routed = ticket.events.get(kind=E.RECEIVED), ticket.events.get(kind=E.ROUTED)
    now = timezone.now()
    TicketEvent.objects.filter(pk=received.pk).update(claimed_until=now + timedelta(minutes=3))
    TicketEvent.objects.filter(pk=routed.pk).update(claimed_until=now - timedelta(seconds=1))
    mail.outbox.clear()
    assert sweeps.requeue_undelivered(now=now + timedelta(minutes=2)) == 1
    routed.refresh_from_db()
    received.refresh_from_db()
    assert routed.notified_at is not None
    assert received.notified_at is None  # its worker may still be sending it
    assert len(mail.outbox) == 2


def test_only_the_delivery_fields_of_an_event_can_be_written_later(routed_event):
    message = routed_event.message
    routed_event.claimed_until = timezone.now()
    routed_event.save(update_fields=["claimed_until"])
    routed_event.message = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        routed_event.save(update_fields=["message", "notified_at"])
    with pytest.raises(ValueError, match="append-only"):
        routed_event.save()
    routed_event.refresh_from_db()
    assert routed_event.message == message


def test_an_event_that_owes_nothing_is_marked_delivered_in_one_statement(
    submit, django_assert_num_queries
):
    # Anonymous: no reporter to tell; a receipt is no business of the office;
    # nobody subscribes to the ward.
    ticket, _ = submit(is_anonymous=True, contact_name="", contact_email="", contact_phone="")
    received = ticket.events.get(kind=E.RECEIVED)
    mail.outbox.clear()
    with django_assert_num_queries(3):  # the read, the ward's subscribers, the mark
        assert notifications.deliver_event(received.pk) is True
    received.refresh_from_db()
    assert received.notified_at is not None and received.claimed_until is None
    assert mail.outbox == []


def test_a_routed_event_takes_six_statements_with_its_last_half_marked_with_it(
    routed_event, django_assert_num_queries
):
    # The read (nothing of the ticket read later by the mails), the office's
    # staff, the report's followers, the claim, the reporter's half marked
    # before the office's mail is tried, the office's half with the event.
    with django_assert_num_queries(6):
        assert notifications.deliver_event(routed_event.pk) is True
    routed_event.refresh_from_db()
    assert routed_event.reporter_sent_at <= routed_event.office_sent_at
    assert routed_event.office_sent_at <= routed_event.notified_at


def test_a_half_marked_since_the_read_stops_the_claim(routed_event):
    owed = notifications._owed

    def another_worker_sends_meanwhile(event, **kwargs):
        steps = owed(event, **kwargs)
        TicketEvent.objects.filter(pk=event.pk).update(reporter_sent_at=timezone.now())
        return steps

    with mock.patch.object(notifications, "_owed", another_worker_sends_meanwhile):
        assert notifications.deliver_event(routed_event.pk) is False
    assert mail.outbox == []
    routed_event.refresh_from_db()
    assert routed_event.claimed_until is None and routed_event.notified_at is None
    # The next run sends only the office's half.
    assert notifications.deliver_event(routed_event.pk) is True
    assert not to_reporter() and len(to_office()) == 1


def test_when_the_alerts_fail_both_halves_stay_sent(routed_event, world):
    from feedback.models import Subscription

    Subscription.objects.create(
        email="follower@example.com", ticket=routed_event.ticket, confirmed_at=timezone.now()
    )
    with (
        mock.patch("feedback.alerts._send", side_effect=OSError("down")),
        pytest.raises(OSError),
    ):
        notifications.deliver_event(routed_event.pk)
    routed_event.refresh_from_db()
    assert routed_event.reporter_sent_at and routed_event.office_sent_at
    assert routed_event.notified_at is None and routed_event.claimed_until is None
    assert notifications.deliver_event(routed_event.pk) is True
    # The reporter's and the office's mails are not sent again; the alert is.
    assert [m.to for m in mail.outbox] == [
        REPORTER,
        sorted([world.officer_a.email, world.head_a.email]),
        ["follower@example.com"],
    ]
