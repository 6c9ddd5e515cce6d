"""Django's Redis cache, with one client object per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every cache call,
and redis-py's constructor fills a table of about a hundred response
callbacks each time: the rate limit of every public request (two cache
calls) paid for it twice. A Redis client is thread-safe and its pool
notices a fork, so one per pool is enough (measured in docs/performance.md).
feedback.limits.FallbackRedisCache, the cache in production, builds on it.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
