"""Django's Redis cache backend, made so that a Redis outage cannot take the site down.

A cache is an optimisation: when Redis is unreachable (stopped, restarting,
network trouble, out of memory) every read is a miss and every write is
dropped, with a warning in the log, and pages are served from the database.

After a failure the backend leaves Redis alone for NEWSROOM_CACHE_RETRY_SECONDS
(default 5) instead of paying a connection attempt on every cache call of
every request; the warning is logged once per such pause, not once per call.
The socket timeouts in settings (OPTIONS) bound how long one attempt can take.
Only the cache's public methods are overridden, each calling Django's own.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("newsroom.cache")


class ResilientRedisCache(RedisCache):
    """RedisCache whose failures behave like misses (reads) or no-ops (writes)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._retry_at = 0.0  # Redis is skipped until time.monotonic() passes this

    def _available(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _failed(self, operation: str, error: Exception) -> None:
        pause = getattr(settings, "NEWSROOM_CACHE_RETRY_SECONDS", 5)
        self._retry_at = time.monotonic() + pause
        logger.warning(
            "Cache unavailable (%s failed: %s: %s); serving without it for %ss.",
            operation,
            type(error).__name__,
            error,
            pause,
        )

    def _call(self, operation, fallback, *args, despite_pause=False, **kwargs):
        if not despite_pause and not self._available():
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except RedisError as error:
            self._failed(operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        # Tried even during a pause: here incr is the page cache's generation bump
        # (articles/caching/generation.py), rare, and a dropped one leaves stale pages in Redis.
        result = self._call("incr", None, key, delta=delta, version=version, despite_pause=True)
        if result is None:
            # What a missing key does, so callers' "except ValueError: set()" paths work.
            raise ValueError(f"Key '{key}' not found (cache unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # The contract: return the keys that were not stored.
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
