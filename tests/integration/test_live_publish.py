"""Live updates sent from synchronous code (a gunicorn worker, a Celery
task) over a Redis channel layer: one connection for the process however
many updates it sends, every update delivered, and a dead Redis never
holding the caller up for long. A Redis server of the test's own (a free
port) counts the connections exactly."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import time

import pytest
import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from feedback import live
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration]


@pytest.fixture
def own_redis(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=1)

    def pings() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    assert wait_for(pings, 10)
    yield proc, client, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def layer_on(settings, own_redis):
    _proc, _client, url = own_redis
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
    _proc, client, _url = own_redis
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
    proc, _client, _url = own_redis
    publish(1)  # the connection is made while Redis is up
    proc.terminate()
    proc.wait(timeout=10)

    started = time.monotonic()
    publish(2)  # logged, never raised: the ticket is already committed
    assert time.monotonic() - started < live.PUBLISH_TIMEOUT + 1
