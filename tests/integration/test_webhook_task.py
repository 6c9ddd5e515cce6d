"""Webhook deliveries on a real worker and a real broker: written with the
event, sent after commit, retried by Celery with backoff when the partner
fails, until it answers; the workflow never waits for it."""

from __future__ import annotations

import pytest

from api.models import ApiClient, Webhook, WebhookDelivery
from tests.api.conftest import Receiver
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_worker_retries_a_failing_partner_until_it_answers(world, submit, celery_worker):
    receiver = Receiver()
    receiver.script = [503, 500]  # down twice, then up
    client = ApiClient.objects.create(name="City app", prefix="p1", scopes=["read_public"])
    Webhook.objects.create(client=client, url=f"{receiver.url}/hook", kinds=["received"])
    try:
        with celery_worker(env={"FEEDBACK_WEBHOOK_FIRST_RETRY_SECONDS": "1"}):
            submit()  # the delivery row is written with the RECEIVED event
            delivery = WebhookDelivery.objects.get()
            assert wait_for(
                lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered", 60
            )
        delivery.refresh_from_db()
        assert delivery.attempts == 3 and len(receiver.requests) == 3
        assert len({r["body"] for r in receiver.requests}) == 1
        assert delivery.last_error == "" and delivery.last_status_code == 200
    finally:
        receiver.stop()
