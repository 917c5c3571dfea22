"""Redis as an accelerator, never a dependency: Django's ``RedisCache`` that survives Redis.

``settings.CACHES`` uses :class:`ResilientRedisCache` when ``REDIS_URL`` is set. Every cache
operation that Redis cannot answer (refused, reset, timed out) behaves as a miss: ``get``
gives the default, ``set`` stores nothing, ``add`` says it added nothing. So with Redis down
pages render uncached, ``/healthz`` still answers (``"cache": "error"``) and an import's
``data_changed`` receivers finish.

- After a failure the backend leaves Redis alone for :data:`RETRY_SECONDS` (every call is a
  miss at once), so a Redis that hangs costs one socket timeout per few seconds per process,
  not one per cache call.
- It logs one WARNING a minute per process on the ``kremlin_meetings.cache`` logger, with
  the number of calls that missed since the last one, never one line per request.
- Anything written while Redis was away (an import's or an editor's change) could not retire
  the cached pages, so :func:`recovered` says, once per process, that Redis answers again
  after an outage: ``meetings.caching.data_generation`` then starts a new data generation
  before serving anything from the cache.

The state is per process (shared by its threads), like the connection pool.
"""

from __future__ import annotations

import functools
import logging
import pickle
import threading
import time
import zlib
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FAST_COMPRESSION = 1  # zlib's level for FastFileBasedCache

# Seconds without trying Redis after it failed, and between two warnings.
RETRY_SECONDS = 5.0
WARNING_INTERVAL_SECONDS = 60.0


class _Outage:
    """Process-wide: is Redis being left alone, and did an outage happen since last asked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.pending_recovery = False
        self.last_warning = float("-inf")
        self.missed = 0

    def skipping(self) -> bool:
        if time.monotonic() < self.down_until:
            with self.lock:
                self.missed += 1
            return True
        return False

    def failed(self, error: BaseException) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_SECONDS
            self.pending_recovery = True
            self.missed += 1
            if now - self.last_warning < WARNING_INTERVAL_SECONDS:
                return
            self.last_warning, missed, self.missed = now, self.missed, 0
        logger.warning(
            "Redis cache unreachable, serving uncached (%d cache calls missed since the last "
            "warning; next warning in %d s at the earliest): %s",
            missed,
            WARNING_INTERVAL_SECONDS,
            " ".join(str(error).split())[:200],
        )

    def answered(self) -> None:
        self.down_until = 0.0

    def take_recovery(self) -> bool:
        with self.lock:
            if self.pending_recovery and time.monotonic() >= self.down_until:
                self.pending_recovery = False
                return True
            return False


outage = _Outage()


def _guarded(fallback: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Run a client call unless Redis is being left alone; on a Redis error, the fallback."""

    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def call(self: RedisCacheClient, *args: Any) -> Any:
            if outage.skipping():
                return fallback(*args)
            try:
                result = method(self, *args)
            except RedisError as error:
                outage.failed(error)
                return fallback(*args)
            outage.answered()
            return result

        return call

    return decorate


def _nothing(*args: Any) -> None:
    return None


def _false(*args: Any) -> bool:
    return False


def _default(key: str, default: Any) -> Any:
    return default


def _empty(*args: Any) -> dict:
    return {}


def _not_found(key: str, delta: int) -> int:
    raise ValueError(f"Key {key!r} not found (the cache is unreachable).")


class ResilientRedisCacheClient(RedisCacheClient):
    add = _guarded(_false)(RedisCacheClient.add)
    get = _guarded(_default)(RedisCacheClient.get)
    set = _guarded(_nothing)(RedisCacheClient.set)
    touch = _guarded(_false)(RedisCacheClient.touch)
    delete = _guarded(_false)(RedisCacheClient.delete)
    get_many = _guarded(_empty)(RedisCacheClient.get_many)
    has_key = _guarded(_false)(RedisCacheClient.has_key)
    incr = _guarded(_not_found)(RedisCacheClient.incr)
    set_many = _guarded(_nothing)(RedisCacheClient.set_many)
    delete_many = _guarded(_nothing)(RedisCacheClient.delete_many)
    clear = _guarded(_false)(RedisCacheClient.clear)

    def ping(self) -> bool:
        """Ask Redis itself, even while it is being left alone (``/healthz``)."""
        try:
            self.get_client(write=True).ping()
        except RedisError as error:
            outage.failed(error)
            return False
        outage.answered()
        return True


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient

    def reachable(self) -> bool:
        """Whether Redis answers a PING now."""
        client = self._cache
        assert isinstance(client, ResilientRedisCacheClient)
        return client.ping()

    def recovered(self) -> bool:
        """True once after an outage, when Redis may be asked again: whatever changed
        meanwhile could not retire the cached pages."""
        return outage.take_recovery()


class FastFileBasedCache(FileBasedCache):
    """Django's file cache, compressing at zlib's fastest level instead of its default.

    Without ``REDIS_URL`` the page cache is this file cache, and a cold page pays for storing
    itself before it is sent: at the default level that was 48 ms for a 1.5 MB page of API
    search results and 85 ms for the old 770 KB map on an idle core, at level 1 10 and 7 ms,
    for files a third larger. Reading is the same ``zlib.decompress`` at any level."""

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), FAST_COMPRESSION))
