"""Webhooks against a real HTTP receiver on 127.0.0.1: signed, retried with
backoff, never blocking the workflow, logged and replayable."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api import webhooks
from api.models import Webhook, WebhookDelivery
from feedback import workflow
from feedback.models import TicketEvent


@pytest.fixture
def hook(world, make_key, receiver):
    client, _ = make_key("City app", scopes=["read_public"])
    return Webhook.objects.create(client=client, url=f"{receiver.url}/hook", secret="s3cret")


def verify(request: dict, secret: str) -> dict:
    header = request["headers"]["X-Feedback-Signature"]
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(expected, parts["v1"])
    return json.loads(request["body"])


def test_it_writes_deliveries_with_the_event_and_sends_them_signed(
    world, hook, receiver, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket, _ = submit()  # routing runs on commit, so "routed" is sent as well
    delivery = WebhookDelivery.objects.get(event__kind="received")
    assert delivery.status == "delivered"
    request = next(r for r in receiver.requests if str(delivery.uid) in str(r["headers"]))
    body = verify(request, "s3cret")
    assert body["event"]["kind"] == "received"
    assert body["ticket"]["code"] == ticket.display_code
    assert "an@example.com" not in request["body"].decode()
    assert request["headers"]["X-Feedback-Delivery"] == str(delivery.uid)


def test_a_wrong_secret_does_not_verify(
    world, hook, receiver, submit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit()
    with pytest.raises(AssertionError):
        verify(receiver.requests[0], "another secret")


def test_it_filters_by_kind_unit_and_category_and_hides_private_events(world, hook, routed):
    hook.kinds = ["routed"]
    hook.unit = world.ward_a
    hook.category = world.environment
    hook.save()
    ticket = routed()
    routed(unit=world.ward_b, description="Ở Ba Đình")
    routed(category=world.water_cat, description="Mất nước", address="Phố Huế")
    workflow.ticket_note(ticket, actor=world.officer_a, message="nội bộ")
    sent = WebhookDelivery.objects.all()
    assert [(d.event.ticket_id, d.event.kind) for d in sent] == [(ticket.pk, "routed")]


def test_a_staff_key_hears_its_offices_internal_events(world, make_key, receiver, routed):
    client, _ = make_key("ward", scopes=["staff"], office=world.office_a, user=world.officer_a)
    Webhook.objects.create(client=client, url=f"{receiver.url}/hook", kinds=["note"])
    ticket = routed()
    workflow.ticket_note(ticket, actor=world.officer_a, message="nội bộ")
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload["event"]["message"] == "nội bộ"


def test_a_failing_partner_is_retried_with_backoff_and_never_blocks(world, hook, receiver, submit):
    receiver.status = 503
    ticket, _ = submit()  # the workflow action completes whatever the partner does
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    outcome = webhooks.deliver(delivery.pk, now=now)
    delivery.refresh_from_db()
    assert (outcome.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 503)
    assert delivery.last_error == "HTTP 503"
    assert delivery.next_attempt_at == now + timedelta(seconds=30)
    # Not due yet: nothing is sent.
    assert webhooks.deliver(delivery.pk, now=now + timedelta(seconds=10)).status == "skipped"
    webhooks.deliver(delivery.pk, now=now + timedelta(seconds=30))
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == now + timedelta(seconds=30 + 60)
    assert len(receiver.requests) == 2


def test_a_partner_down_for_a_day_loses_nothing(world, hook, receiver, submit, settings):
    receiver.status = 500
    submit()
    delivery = WebhookDelivery.objects.get()
    start = delivery.created_at
    at = start
    # The sweep queues what is due; a day of failures keeps it pending.
    while at < start + timedelta(hours=24):
        webhooks.deliver(delivery.pk, now=at)
        delivery.refresh_from_db()
        assert delivery.status == "pending"
        at = delivery.next_attempt_at
    receiver.status = 204
    assert webhooks.deliver(delivery.pk, now=at).status == "delivered"
    assert receiver.requests[0]["body"] == receiver.requests[-1]["body"]
    delivery.refresh_from_db()
    assert delivery.attempts == len(receiver.requests) and delivery.delivered_at == at


def test_it_gives_up_after_the_window_and_an_admin_replays_it(
    world, hook, receiver, submit, settings
):
    receiver.status = 500
    submit()
    delivery = WebhookDelivery.objects.get()
    late = delivery.created_at + timedelta(hours=settings.FEEDBACK_WEBHOOK_GIVE_UP_HOURS)
    assert webhooks.deliver(delivery.pk, now=late).status == "failed"
    assert webhooks.requeue_due(now=late + timedelta(days=1)) == 0
    receiver.status = 200
    webhooks.replay([delivery.pk])
    assert webhooks.deliver(delivery.pk).status == "delivered"


def test_an_unreachable_partner_is_a_failed_attempt(world, make_key, submit):
    client, _ = make_key("gone")
    Webhook.objects.create(client=client, url="http://127.0.0.1:6391/hook")
    submit()
    delivery = WebhookDelivery.objects.get()
    assert webhooks.deliver(delivery.pk).status == "pending"
    delivery.refresh_from_db()
    assert delivery.last_status_code is None and "Error" in delivery.last_error


def test_the_sweep_queues_due_deliveries_and_the_claim_sends_once(
    world, hook, receiver, submit, settings
):
    settings.FEEDBACK_WEBHOOK_FIRST_RETRY_SECONDS = 0
    receiver.status = 500
    submit()
    delivery = WebhookDelivery.objects.get()
    webhooks.deliver(delivery.pk)
    receiver.status = 200
    later = timezone.now() + timedelta(minutes=5)
    assert webhooks.requeue_due(now=later) == 1  # runs the task inline
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(receiver.requests) == 2
    assert webhooks.requeue_due(now=later) == 0


def test_replayed_history_writes_no_deliveries(world, hook, submit):
    with workflow.replaying_history():
        submit()
    assert not WebhookDelivery.objects.exists()
    assert TicketEvent.objects.exists()


def test_a_revoked_client_gets_nothing(world, hook, submit):
    hook.client.revoked_at = timezone.now()
    hook.client.save()
    submit()
    assert not WebhookDelivery.objects.exists()


def test_a_delivery_written_before_its_key_was_revoked_is_never_sent(
    world, hook, receiver, submit, monkeypatch
):
    monkeypatch.setattr(webhooks, "queue_task", lambda *args: True)  # the send waits
    submit()
    delivery = WebhookDelivery.objects.get()
    hook.client.revoked_at = timezone.now()
    hook.client.save()
    outcome = webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert outcome.status == delivery.status == WebhookDelivery.Status.FAILED
    assert "revoked" in delivery.last_error
    assert receiver.requests == []


def test_a_subscription_saved_in_this_process_is_heard_at_once(world, make_key, receiver, submit):
    submit()  # reads (and keeps) the empty list of subscriptions
    client, _ = make_key("Late app", scopes=["read_public"])
    Webhook.objects.create(client=client, url=f"{receiver.url}/late", secret="x")
    submit(description="Một phản ánh khác sau khi đăng ký webhook.")
    assert WebhookDelivery.objects.filter(webhook__client=client).exists()


def test_recording_an_event_reads_the_subscriptions_once_per_process(
    world, hook, submit, django_assert_num_queries
):
    submit()
    webhooks.active_hooks()
    with django_assert_num_queries(0):
        hooks = webhooks.active_hooks()
    assert [h.pk for h in hooks] == [hook.pk]


def test_an_administrator_sees_and_replays_deliveries(world, hook, receiver, submit, client):
    receiver.status = 500
    submit()
    delivery = WebhookDelivery.objects.get()
    webhooks.deliver(delivery.pk)
    client.force_login(world.admin)
    page = client.get("/admin/api/webhookdelivery/")
    assert page.status_code == 200 and "HTTP 500" in page.content.decode()
    receiver.status = 200
    response = client.post(
        "/admin/api/webhookdelivery/",
        {"action": "replay", "_selected_action": [delivery.pk]},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status in ("pending", "delivered")
