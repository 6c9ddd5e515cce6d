"""config.redis_cache: Django's Redis cache, one client per pool."""

from __future__ import annotations

import os
import uuid

import redis

from config.redis_cache import RedisCache
from tests.integration.conftest import REDIS_URL


def test_it_reuses_one_client_and_still_reads_and_writes():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"t-{uuid.uuid4().hex}"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is client  # one server: reads use the same pool
    cache.set("k", {"n": 1}, 30)
    assert cache.get("k") == {"n": 1}
    assert cache.add("n", 0, 30)
    assert cache.incr("n") == 1 and cache.get("n") == 1
    cache.delete_many(["k", "n"])


def test_a_forked_child_gets_its_own_connection():
    cache = RedisCache(REDIS_URL, {"KEY_PREFIX": f"t-{uuid.uuid4().hex}"})
    cache.set("k", "parent", 30)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a Celery pool process, a gunicorn worker
        try:
            os.write(write, str(cache.get("k")).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100) == b"parent"
    assert cache.get("k") == "parent"  # and the parent's connection still works
    cache.delete("k")
    assert isinstance(cache._cache.get_client(), redis.Redis)
