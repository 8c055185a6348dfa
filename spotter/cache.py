"""Django's Redis cache backend, keeping one Redis client per connection pool.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis``
object for every cache operation, and redis-py's constructor fills a table of ~170 response
callbacks each time: at a handful of cache reads per page (session, fragment versions,
fragments) that was over 1 ms of CPU per request in bench/render_cpu.py. A client only wraps
the shared, thread-safe connection pool, so one per pool serves every call (Django already keeps
one cache object per thread).
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
