"""feedback/limits.py: one per-address budget whatever the door, and limits
that neither fail nor take intake down when the cache's Redis is gone."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from rest_framework.test import APIClient

from feedback import limits
from feedback.models import Ticket
from tests.services import dead_redis_url

FORM = "/gui-phan-anh/"
API = "/api/v1/tickets/"


def api_payload(world, n: int) -> dict:
    return {
        "category": world.waste.code,
        "unit": world.ward_a.code,
        "description": f"Rác thải tồn đọng ở ngõ {n} Hàng Bài.",
    }


def test_the_form_and_the_api_share_one_budget_per_address(client, report_form, world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "3/h"
    api = APIClient()
    assert client.post(FORM, report_form(idempotency_key="k1-0123456789abcdef")).status_code == 302
    assert api.post(API, api_payload(world, 1), format="json").status_code == 201
    assert client.post(FORM, report_form(idempotency_key="k2-0123456789abcdef")).status_code == 302
    # The fourth, through either door, is over the one budget.
    assert api.post(API, api_payload(world, 2), format="json").status_code == 429
    assert client.post(FORM, report_form(idempotency_key="k3-0123456789abcdef")).status_code == 429
    assert Ticket.objects.count() == 3


def test_another_address_has_its_own_budget(client, report_form, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    first = report_form(idempotency_key="k1-0123456789abcdef")
    assert client.post(FORM, first, REMOTE_ADDR="203.0.113.1").status_code == 302
    second = report_form(idempotency_key="k2-0123456789abcdef")
    assert client.post(FORM, second, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.post(FORM, second, REMOTE_ADDR="203.0.113.2").status_code == 302


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "203.0.113.5"}, "203.0.113.5"),
        ({"REMOTE_ADDR": "2001:db8:aa:bb:1:2:3:4"}, "2001:db8:aa:bb::"),
        # Behind the proxy: the last hop is the one it appended.
        ({"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7", "REMOTE_ADDR": "10.0.0.1"}, None),
    ],
)
def test_the_client_address(meta, expected, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", **meta)
    if expected is None:
        assert limits.client_address(request) == "198.51.100.7"
    else:
        assert limits.client_address(request) == expected


def test_a_forged_first_forwarded_address_does_not_get_a_new_budget(client, report_form, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    codes = [
        client.post(
            FORM,
            report_form(idempotency_key=f"k{n}-0123456789abcdef"),
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.7",
        ).status_code
        for n in range(2)
    ]
    assert codes == [302, 429]


# --- Redis down -----------------------------------------------------------------


@pytest.fixture
def dead_redis_cache(settings):
    """The production cache backend pointed at a Redis that is not there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "feedback.limits.FallbackRedisCache",
            "LOCATION": dead_redis_url(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield caches["default"]


def test_with_redis_down_the_cache_answers_from_memory_and_warns_once(dead_redis_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="feedback.limits"):
        assert dead_redis_cache.add("k", 1, 60) is True
        assert dead_redis_cache.incr("k") == 2
        assert dead_redis_cache.get("k") == 2
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1


def test_with_redis_down_reports_are_accepted_and_still_limited(
    dead_redis_cache, client, report_form, world, settings, caplog
):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    api = APIClient()
    with caplog.at_level(logging.WARNING, logger="feedback.limits"):
        assert client.post(FORM, report_form()).status_code == 302
        assert api.post(API, api_payload(world, 1), format="json").status_code == 201
        # The per-process fallback still counts the shared budget.
        assert api.post(API, api_payload(world, 2), format="json").status_code == 429
    assert Ticket.objects.count() == 2
    assert any("Redis unreachable" in r.getMessage() for r in caplog.records)


def test_the_tracking_page_works_with_redis_down(dead_redis_cache, client, submit):
    ticket, secret = submit()
    assert client.get(f"/tra-cuu/{ticket.code}/").status_code == 200
    assert client.get(f"/tra-cuu/{ticket.code}/{secret}/").status_code == 200


def test_a_limit_that_cannot_be_checked_lets_the_request_in(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("cache exploded")

    monkeypatch.setattr(limits, "is_ratelimited", broken)
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.5")
    with caplog.at_level(logging.WARNING, logger="feedback.limits"):
        assert limits.limited(request, limits.SUBMIT, "1/h") is False
    assert "letting the request in" in caplog.text
