"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django builds a new `redis.Redis` for every cache call, and redis-py 8 fills ~170 response
callbacks into each new client: on a page that reads the session, the user and the lab badge from
the shared cache, that setup cost more than the reads. A client is thread-safe (every command
borrows a connection from the pool), so one per pool serves the whole process.

And Redis being away (a restart) is not an error page: reads miss and writes are skipped, so the
session and the user are read from the database until it is back. What the shared cache holds is
dropped on write, and expires: a drop missed while Redis was unreachable lasts until the expiry.
"""

import functools
import logging
import time

import redis as redis_lib
from django.core.cache import caches
from django.core.cache.backends import redis
from django.db import transaction

logger = logging.getLogger(__name__)
UNREACHABLE = (redis_lib.ConnectionError, redis_lib.TimeoutError)


REPORT_EVERY_SECONDS = 60
_last_report = float("-inf")


def _report(operation: str, error: Exception) -> None:
    """A warning at most once a minute per process (an outage is worth a line, not one per request), else debug."""
    global _last_report
    now = time.monotonic()
    level = logging.WARNING if now - _last_report >= REPORT_EVERY_SECONDS else logging.DEBUG
    if level == logging.WARNING:
        _last_report = now
    logger.log(level, "Redis unreachable (%s): the shared cache is skipped, pages read the database (%s)", type(error).__name__, operation)


def _missing_when_unreachable(default_result):
    """While Redis is unreachable a read is a miss and a write is skipped: pages then read the database."""

    def decorate(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _report(method.__name__, error)
                return default_result(args) if callable(default_result) else default_result
        return guarded
    return decorate


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    get = _missing_when_unreachable(lambda args: args[1])(redis.RedisCacheClient.get)  # (key, default)
    get_many = _missing_when_unreachable({})(redis.RedisCacheClient.get_many)
    set = _missing_when_unreachable(None)(redis.RedisCacheClient.set)
    add = _missing_when_unreachable(False)(redis.RedisCacheClient.add)
    delete = _missing_when_unreachable(False)(redis.RedisCacheClient.delete)
    delete_many = _missing_when_unreachable(None)(redis.RedisCacheClient.delete_many)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


def drop(keys: list[str], alias: str = "shared") -> None:
    """Drop entries of the shared cache now and again once the writing transaction commits: a page that read
    the old rows before the commit and stored them after the first drop would otherwise keep them until expiry."""
    cache = caches[alias]
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:  # outside one, the write is already committed
        transaction.on_commit(lambda: cache.delete_many(keys))
