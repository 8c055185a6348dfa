"""spotter.cache.RedisCache keeps one Redis client per connection pool (Django's builds one per
cache call: spotter/cache.py). No server is needed: a client connects on its first command."""

from spotter.cache import RedisCache


def test_one_client_per_pool():
    backend = RedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client  # one server: one pool
    other = RedisCache("redis://127.0.0.1:6379/15", {})
    assert other._cache.get_client("a") is not client  # each cache object has its own
