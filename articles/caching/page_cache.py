"""Whole-page caching of the public pages, for anonymous readers.

Views whose answer is the same for every anonymous reader say so with
@public_page (home, article, keyword, section and search pages).
PageCacheMiddleware then:

- serves an anonymous GET/HEAD (no session or messages cookie) from the cache
  when it holds a copy of the page made in the current content generation,
  before sessions, authentication or any SQL: a hit runs no query;
- otherwise lets the view answer and, when the answer is a public page (200,
  no cookie set, not varying on Cookie), stores it and marks it
  "Cache-Control: public" with an ETag and Last-Modified, so browsers,
  Varnish and CDNs can keep it too (ConditionalGetMiddleware answers 304);
- marks every other answer private and never stored: staff and anyone with a
  session, the admin, previews, errors, redirects.

Freshness. The content generation is one number in the cache (Redis); any
change to what pages show bumps it after commit (articles/signals.py), so every
copy made before is ignored at once, by every process. With the default
local-memory cache, one per process, the number lives in a file every worker on
the machine reads (NEWSROOM_PAGE_GENERATION_FILE), for the same effect. A copy
also never outlives the next scheduled publish time, so a scheduled article
appears on time with no save: the time is looked up once per generation and
kept in the cache.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, has_vary_header, patch_cache_control, set_response_etag
from django.utils.http import http_date

logger = logging.getLogger("newsroom.cache")

GENERATION_KEY = "pages:generation"
NEXT_PUBLISH_KEY = "pages:next-publish"
# The messages framework's cookie storage (django.contrib.messages.storage.cookie).
MESSAGES_COOKIE = "messages"
# Bookkeeping entries outlive any page; a lost one is only recomputed.
BOOKKEEPING_SECONDS = 24 * 3600


def public_page(view):
    """Mark a view's successful answers as the same for every anonymous reader, so cacheable."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return wrapper


def page_cache():
    return caches[settings.NEWSROOM_PAGE_CACHE_ALIAS]


# A bump the cache did not take (Redis unreachable: newsroom/cache.py turns that
# into a miss). This process bumps again as soon as the cache answers, before it
# serves anything from it, so the copies Redis kept through a stall are not served.
_bump_pending = False


def bump_generation() -> None:
    """Make every cached page stale. Called after a change is committed."""
    global _bump_pending
    path = _generation_file()
    if path is not None:
        try:
            _write_generation(path)
        except OSError as error:
            logger.error("Could not renew the page cache's generation in %s: %s", path, error)
        return
    cache = page_cache()
    try:
        cache.incr(GENERATION_KEY)
        _bump_pending = False
        return
    except ValueError:
        # No generation yet (or the cache lost it): any fresh random number
        # differs from the one old copies were made in.
        cache.set(GENERATION_KEY, secrets.randbits(62), timeout=None)
    _bump_pending = cache.get(GENERATION_KEY) is None


def _generation_file() -> Path | None:
    """Where the generation lives when the page cache is this process's memory: a file
    every worker on this machine reads (settings.NEWSROOM_PAGE_GENERATION_FILE)."""
    if isinstance(page_cache(), LocMemCache):
        return Path(settings.NEWSROOM_PAGE_GENERATION_FILE)
    return None


def _write_generation(path: Path) -> None:
    """A new file in place of the old one. Readers tell them apart by inode and modification
    time (one stat a request), and the new time is set later than the old one's even when
    both fall in one tick of the filesystem's clock."""
    try:
        previous = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        previous = 0
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    temporary.write_bytes(b"")
    stamp = max(time.time_ns(), previous + 1)
    os.utime(temporary, ns=(stamp, stamp))
    os.replace(temporary, path)  # readers see the old file or the new one


def _read_generation(path: Path) -> tuple[int, int] | None:
    """The file's generation, made when there is none; None (cache nothing) when it cannot be had."""
    try:
        try:
            found = os.stat(path)
        except FileNotFoundError:
            _write_generation(path)
            found = os.stat(path)
    except OSError as error:
        # Every request would say it again: once per process and file is enough.
        if path not in _unreadable:
            _unreadable.add(path)
            logger.error("Could not read the page cache's generation from %s (caching nothing): %s", path, error)
        return None
    _unreadable.discard(path)
    return found.st_ino, found.st_mtime_ns


_unreadable: set[Path] = set()


def _current_generation(cache, found):
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.randbits(62), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _seconds_to_next_publish(cache, generation, now: float) -> float:
    """Seconds until the next scheduled article goes live (inf when none), one query per generation.

    Only a miss asks: a stored copy already expires at the next publish time.
    """
    known = cache.get(NEXT_PUBLISH_KEY)
    if known is None or known[0] != generation or (known[1] is not None and known[1] <= now):
        from articles.models import Article

        next_at = Article.objects.scheduled().order_by("publish_at").values_list("publish_at", flat=True).first()
        known = (generation, next_at.timestamp() if next_at else None)
        if generation is not None:
            cache.set(NEXT_PUBLISH_KEY, known, timeout=BOOKKEEPING_SECONDS)
    return float("inf") if known[1] is None else known[1] - now


def _page_key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "pages:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


def _is_anonymous(request) -> bool:
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def _is_public(response) -> bool:
    return (
        getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
    )


def _cache_control(response, shared_seconds: int) -> None:
    browser_seconds = min(settings.NEWSROOM_PAGE_MAX_AGE, shared_seconds)
    response.headers["Cache-Control"] = f"public, max-age={browser_seconds}, s-maxage={shared_seconds}"


def _private(response):
    """Never stored by a shared cache: private, and no-store unless the view chose otherwise."""
    if not response.has_header("Cache-Control") or getattr(response, "public_page", False):
        add_never_cache_headers(response)
    elif response.cookies or has_vary_header(response, "Cookie"):
        patch_cache_control(response, private=True)
    return response


class PageCacheMiddleware:
    """See the module docstring. Goes after SecurityMiddleware and WhiteNoise, before sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        shared_seconds = settings.NEWSROOM_PAGE_SHARED_MAX_AGE
        if shared_seconds <= 0 or request.method not in ("GET", "HEAD") or not _is_anonymous(request):
            return _private(self.get_response(request))

        cache = page_cache()
        key = _page_key(request)
        store = settings.NEWSROOM_PAGE_CACHE
        path = _generation_file()
        if path is None:
            if _bump_pending and cache.get(GENERATION_KEY) is not None:  # it answers again
                bump_generation()
            found = cache.get_many([GENERATION_KEY, key] if store else [GENERATION_KEY])
        else:
            found = cache.get_many([key]) if store else {}
            found[GENERATION_KEY] = _read_generation(path)
        now = time.time()
        copy = found.get(key)
        if copy is not None and copy[0] == found.get(GENERATION_KEY) and copy[1] - now >= 1:
            generation, expires, content, headers = copy
            response = HttpResponse(content, headers=headers)
            _cache_control(response, int(expires - now))
            return response

        # The generation is read before the page is made: a change committed
        # while it renders bumps it, and this copy is never served.
        generation = found[GENERATION_KEY] if path else _current_generation(cache, found)
        response = self.get_response(request)
        if not _is_public(response):
            return _private(response)
        seconds = int(min(shared_seconds, _seconds_to_next_publish(cache, generation, now)))
        _cache_control(response, max(seconds, 0))
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response.headers["Last-Modified"] = http_date(now)
        if store and seconds >= 1 and generation is not None and request.method == "GET":
            cache.set(key, (generation, now + seconds, response.content, list(response.items())), seconds)
        return response
