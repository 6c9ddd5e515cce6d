"""Live updates sent from synchronous code (a gunicorn worker, a Celery
task) over a Redis channel layer: one connection for the process however
many updates it sends, every update delivered, and a dead Redis never
holding the caller up for long. A Redis server of the test's own counts
the connections exactly."""

from __future__ import annotations

import asyncio
import time

import pytest
import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from feedback import live

pytestmark = [pytest.mark.integration]


@pytest.fixture
def own_redis(throwaway_redis):
    up, down = throwaway_redis
    url = up()
    return redis.Redis.from_url(url), url, down


@pytest.fixture
def layer_on(settings, own_redis):
    _client, url, _down = own_redis
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }
    return get_channel_layer()


def publish(n: int) -> None:
    live.publish_ticket_change(
        ticket_id=n, code=f"CODE{n:04d}", status="received", office_ids=[7], event_kind="received"
    )


def test_it_sends_every_update_over_one_connection(own_redis, layer_on):
    client, _url, _down = own_redis
    channel = async_to_sync(layer_on.new_channel)()
    async_to_sync(layer_on.group_add)(live.office_group(7), channel)
    before = client.info("stats")["total_connections_received"]

    for n in range(50):
        publish(n)

    # The listener's own connection (made above) is not counted: only
    # those the 50 sends opened.
    opened = client.info("stats")["total_connections_received"] - before

    async def receive() -> list[dict]:
        return [await asyncio.wait_for(layer_on.receive(channel), 10) for _ in range(50)]

    messages = async_to_sync(receive)()
    assert [m["code"] for m in messages] == [f"CODE{n:04d}" for n in range(50)]
    assert opened <= 1


def test_a_dead_redis_costs_the_caller_at_most_the_publish_timeout(own_redis, layer_on):
    _client, _url, down = own_redis
    publish(1)  # the connection is made while Redis is up
    down()

    started = time.monotonic()
    publish(2)  # logged, never raised: the ticket is already committed
    assert time.monotonic() - started < live.PUBLISH_TIMEOUT + 1
