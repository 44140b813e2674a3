"""The content generation: a value that changes after every committed change a reader could see;
and the fragments cache, whose blocks are keyed by it.

Whatever is cached from content (whole pages, the fragments cache's blocks) is
keyed by the generation it was made in, so bumping it makes every copy stale at
once, in every process. It lives in the cache itself (Redis, shared by every
worker and machine), or, when the cache is each process's memory, in a file
every worker on this machine reads (NEWSROOM_PAGE_GENERATION_FILE): one stat a
read, told apart by inode and modification time.

Time changes what readers see too: a scheduled article goes live with no save.
seconds_to_next_publish() says how long anything cached now may be kept.

The fragments cache (CACHES["fragments"]: each process's memory, or nothing with
DEBUG or NEWSROOM_FRAGMENT_CACHE off) keeps the parts of pages that many rows
make (navigation, related articles, counts) for the rest of the generation:
templates use {% cache freshness.seconds ... freshness.generation %}, views
remember().
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import setting_changed
from django.dispatch import receiver

from articles.models import Article

logger = logging.getLogger("newsroom.cache")

GENERATION_KEY = "pages:generation"
NEXT_PUBLISH_KEY = "pages:next-publish"
# Bookkeeping entries outlive any page; a lost one is only recomputed.
BOOKKEEPING_SECONDS = 24 * 3600
FRAGMENTS_CACHE = "fragments"
# The longest a fragments-cache block made from many rows is kept, even when nothing changes.
LONGEST_SECONDS = 3600


def shared_cache():
    """The cache pages and the generation live in (NEWSROOM_PAGE_CACHE_ALIAS)."""
    return caches[settings.NEWSROOM_PAGE_CACHE_ALIAS]


@functools.cache
def generation_file() -> Path | None:
    """Where the generation lives when the shared cache is this process's memory, else None."""
    if isinstance(shared_cache(), LocMemCache):
        return Path(settings.NEWSROOM_PAGE_GENERATION_FILE)
    return None


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting in ("CACHES", "NEWSROOM_PAGE_CACHE_ALIAS", "NEWSROOM_PAGE_GENERATION_FILE"):
        generation_file.cache_clear()


# A bump the cache did not take (Redis unreachable: newsroom/cache.py turns that
# into a miss). Redis keeps its copies of pages through a stall, and every worker
# would serve them once it answers again: so this process keeps trying the bump
# in the background (every RETRY_BUMP_SECONDS) until Redis takes it, rather than
# waiting for its own next request, and bumps before it reads the cache itself.
_bump_pending = False
_bump_retrier: threading.Thread | None = None
RETRY_BUMP_SECONDS = 0.1


def bump() -> None:
    """Make everything cached from content stale. Called after a change is committed."""
    global _bump_pending
    path = generation_file()
    if path is not None:
        try:
            _write_file(path)
        except OSError as error:
            logger.error("Could not renew the page cache's generation in %s: %s", path, error)
        return
    cache = shared_cache()
    try:
        cache.incr(GENERATION_KEY)
        _bump_pending = False
        return
    except ValueError:
        # No generation yet (or the cache lost it): any fresh random number
        # differs from the one old copies were made in.
        cache.set(GENERATION_KEY, secrets.randbits(62), timeout=None)
    _bump_pending = cache.get(GENERATION_KEY) is None
    if _bump_pending:
        _retry_bump_until_taken()


def _retry_bump_until_taken() -> None:
    global _bump_retrier
    if _bump_retrier is not None and _bump_retrier.is_alive():
        return

    def retry():
        # A thread has its own cache connection, which is not in the failed one's pause.
        while _bump_pending:
            time.sleep(RETRY_BUMP_SECONDS)
            if _bump_pending:
                bump()
        logger.info("The page cache's generation was renewed once the cache answered again.")

    _bump_retrier = threading.Thread(target=retry, name="retry-generation-bump", daemon=True)
    _bump_retrier.start()


def read(key: str | None = None):
    """(the current generation, the shared cache's value for key): one round trip to Redis for both.

    The generation is None when it cannot be had (an unreadable file): cache nothing then.
    """
    cache, path = shared_cache(), generation_file()
    if path is not None:
        return _read_file(path), (cache.get(key) if key else None)
    if _bump_pending and cache.get(GENERATION_KEY) is not None:  # it answers again
        bump()
    found = cache.get_many([GENERATION_KEY, key] if key else [GENERATION_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.randbits(62), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation, found.get(key)


def current():
    """The current generation (None: cache nothing), read once per request where there is one."""
    return read()[0]


def seconds_to_next_publish(generation, now: float | None = None) -> float:
    """Seconds until the next scheduled article goes live (inf when none): one query per generation."""
    now = time.time() if now is None else now
    cache = shared_cache()
    known = cache.get(NEXT_PUBLISH_KEY)
    if known is None or known[0] != generation or (known[1] is not None and known[1] <= now):
        next_at = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
        known = (generation, next_at.timestamp() if next_at else None)
        if generation is not None:
            cache.set(NEXT_PUBLISH_KEY, known, timeout=BOOKKEEPING_SECONDS)
    return float("inf") if known[1] is None else known[1] - now


def _write_file(path: Path) -> None:
    """A new file in place of the old one. Readers tell them apart by inode and modification
    time, and the new time is set later than the old one's even when both fall in one tick
    of the filesystem's clock."""
    try:
        previous = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        previous = 0
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    temporary.write_bytes(b"")
    stamp = max(time.time_ns(), previous + 1)
    os.utime(temporary, ns=(stamp, stamp))
    os.replace(temporary, path)  # readers see the old file or the new one


_unreadable: set[Path] = set()


def _read_file(path: Path) -> tuple[int, int] | None:
    """The file's generation, made when there is none; None when it cannot be had."""
    try:
        try:
            found = os.stat(path)
        except FileNotFoundError:
            _write_file(path)
            found = os.stat(path)
    except OSError as error:
        # Every request would say it again: once per process and file is enough.
        if path not in _unreadable:
            _unreadable.add(path)
            logger.error("Could not read the page cache's generation from %s (caching nothing): %s", path, error)
        return None
    _unreadable.discard(path)
    return found.st_ino, found.st_mtime_ns


@dataclass(frozen=True)
class Freshness:
    """How a block made now for this request may be cached: keyed by generation, kept seconds
    (0: not at all). own_seconds is for blocks made from one article's own rows, keyed by its
    fragment_version instead (None: for as long as the cache keeps it)."""

    generation: object
    seconds: int
    own_seconds: int | None = None


UNCACHED = Freshness(generation=None, seconds=0, own_seconds=0)


def for_request(request) -> Freshness:
    """This request's Freshness, worked out once (the page cache has read the generation already)."""
    found = getattr(request, "freshness", None)
    if found is None and isinstance(caches[FRAGMENTS_CACHE], DummyCache):
        found = request.freshness = UNCACHED  # no fragments cache to key: nothing to look up
    if found is None:
        value = getattr(request, "content_generation", None)
        if value is None:
            value = request.content_generation = current()
        if value is None:
            found = UNCACHED
        else:
            seconds = int(min(LONGEST_SECONDS, max(seconds_to_next_publish(value), 0)))
            found = Freshness(value, seconds)
        request.freshness = found
    return found


def remember(request, key: str, compute):
    """compute(), kept in the fragments cache for the rest of the generation."""
    freshness = for_request(request)
    if freshness.seconds < 1:
        return compute()
    digest = hashlib.blake2b(f"{key}|{freshness.generation}".encode(), digest_size=16).hexdigest()
    return caches[FRAGMENTS_CACHE].get_or_set(f"remember:{digest}", compute, freshness.seconds)
