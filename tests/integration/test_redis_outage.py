"""The whole of Redis down (broker, cache, channel layer) under the
production settings: every report through the form and the API is
accepted, the limits still hold (in each process's memory, with a logged
warning), the tracking pages work, and when Redis is back a real worker
routes every ticket exactly once and sends what the events owe."""

from __future__ import annotations

import importlib.util
import logging
import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from rest_framework.test import APIClient

from feedback.models import Ticket, TicketEvent
from tests.integration.conftest import point_app_at, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
API_TICKETS = 100
FORM_TICKETS = 20
SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"


def production_redis_settings(redis_url: str):
    """config/settings.py read afresh with REDIS_URL set, as a production
    process reads it: its cache, channel layer and broker, not test stand-ins."""
    spec = importlib.util.spec_from_file_location("production_settings", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    with mock.patch.dict(os.environ, {"REDIS_URL": redis_url}):
        spec.loader.exec_module(module)
    return module


def api_report(client: APIClient, world, n: int):
    return client.post(
        "/api/v1/tickets/",
        {
            "category": world.waste.code,
            "unit": world.ward_a.code,
            "description": f"Rác thải tồn đọng ở ngõ {n} Hàng Bài.",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"outage-{n}",
        REMOTE_ADDR=f"198.51.100.{n % 250}",
    )


def test_with_all_of_redis_down_reports_are_accepted_and_routed_once_when_it_is_back(
    world, report_form, throwaway_redis, celery_worker, settings, caplog
):
    up, down = throwaway_redis
    redis_url = up()
    production = production_redis_settings(redis_url)
    assert production.CACHES["default"]["BACKEND"] == "feedback.limits.FallbackRedisCache"
    settings.CACHES = production.CACHES
    settings.CHANNEL_LAYERS = production.CHANNEL_LAYERS
    settings.FEEDBACK_SUBMIT_RATE = production.FEEDBACK_SUBMIT_RATE
    point_app_at(production.CELERY_BROKER_URL)
    down()

    api, browser = APIClient(), Client()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING):
        # Each citizen from an address of their own, as on the real site.
        answers = [api_report(api, world, n).status_code for n in range(API_TICKETS)]
        forms = [
            browser.post(
                "/gui-phan-anh/",
                report_form(
                    description=f"Đèn đường hỏng ở số {n} Tràng Tiền.",
                    idempotency_key=f"outage-form-{n}-0123456789abcdef",
                ),
                REMOTE_ADDR=f"203.0.113.{n}",
            )
            for n in range(FORM_TICKETS)
        ]
        # One address flooding the form is still stopped: the limits count
        # in this process while Redis is away.
        flood = [
            browser.post(
                "/gui-phan-anh/",
                report_form(
                    description=f"Tin rác số {n}.", idempotency_key=f"flood-{n}-0123456789abcdef"
                ),
                REMOTE_ADDR="192.0.2.66",
            ).status_code
            for n in range(12)
        ]
    submit_seconds = time.monotonic() - started
    assert answers == [201] * API_TICKETS
    assert [f.status_code for f in forms] == [302] * FORM_TICKETS
    assert flood == [302] * 10 + [429] * 2
    total = API_TICKETS + FORM_TICKETS + 10
    assert Ticket.objects.filter(status=Ticket.Status.RECEIVED).count() == total
    assert "Redis unreachable" in caplog.text

    # The citizen's pages still work: the private page the form led to, the
    # public tracking page, the transparency page (cached in Redis normally).
    private_page = browser.get(forms[0]["Location"])
    assert private_page.status_code == 200
    code = Ticket.objects.filter(channel=Ticket.Channel.WEB).first().code
    assert browser.get(f"/tra-cuu/{code}/").status_code == 200
    assert browser.get("/minh-bach/").status_code == 200

    up()
    back = time.monotonic()
    env = {"FEEDBACK_SWEEP_SECONDS": "2", "FEEDBACK_REQUEUE_AFTER_SECONDS": "5"}
    with celery_worker(redis_url, beat=True, env=env) as worker:
        all_routed = wait_for(
            lambda: not Ticket.objects.filter(status=Ticket.Status.RECEIVED).exists(), 240, 1
        )
        assert all_routed, worker.output()[-3000:]
        took = time.monotonic() - back
        # What the events owe (the office's emails) is sent too.
        delivered = wait_for(
            lambda: not TicketEvent.objects.filter(notified_at__isnull=True).exists(), 240, 1
        )
        assert delivered, worker.output()[-3000:]
    routed = TicketEvent.objects.filter(kind=TicketEvent.Kind.ROUTED)
    assert routed.count() == total
    assert routed.values("ticket").distinct().count() == total
    print(f"\n{total} accepted in {submit_seconds:.1f}s with Redis down; routed {took:.1f}s after")
