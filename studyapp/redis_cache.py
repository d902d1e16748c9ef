"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django builds a new `redis.Redis` for every cache call, and redis-py 8 fills ~170 response
callbacks into each new client: on a page that reads the session, the user and the lab badge from
the shared cache, that setup cost more than the reads. A client is thread-safe (every command
borrows a connection from the pool), so one per pool serves the whole process.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

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
