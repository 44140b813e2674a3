"""Whole-page caching of the public pages, for anonymous readers.

Views whose answer is the same for every anonymous reader say so with
@public_page (home, article, keyword, section and search pages, feeds, the
API). PageCacheMiddleware, first in MIDDLEWARE, then:

- serves an anonymous GET/HEAD (no session or messages cookie) from the cache
  when it holds a copy of the page made in the current content generation
  (caching/generation.py), before any other middleware, sessions or SQL: a hit
  runs no query, and the copy carries every header the other middleware added
  when it was made;
- otherwise lets the page be made and, when it is public (200, no cookie set,
  not varying on Cookie), stores it and marks it "Cache-Control: public" with an
  ETag and Last-Modified, so browsers, Varnish and CDNs can keep it too; a page
  asked for with a query parameter its view does not read (@public_page(query=...))
  is made and sent but not stored, so random query strings cannot fill the cache;
- marks every other answer private and never stored: staff and anyone with a
  session, the admin, previews, errors, redirects;
- answers conditional GETs with 304 (Django's ConditionalGetMiddleware, which it
  runs itself so that a hit needs nothing else).

A copy never outlives the next scheduled publish time, so a scheduled article
appears on time with no save.
"""

from __future__ import annotations

import functools
import hashlib
import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import add_never_cache_headers, has_vary_header, patch_cache_control, set_response_etag
from django.utils.http import http_date

from articles.caching import generation

# The messages framework's cookie storage (django.contrib.messages.storage.cookie).
MESSAGES_COOKIE = "messages"


def public_page(view=None, *, query: tuple[str, ...] = ()):
    """Mark a view's successful answers as the same for every anonymous reader, so cacheable.

    query: the query parameters the view reads (public_page(query=("page",))(view)); a request
    with any other is answered but not stored.
    """
    if view is None:
        return functools.partial(public_page, query=query)
    reads = frozenset(query)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.public_page = True
        response.public_query = reads
        return response

    return wrapper


def page_key(request, host: str) -> str:
    url = f"{request.scheme}://{host}{request.get_full_path()}"
    return "pages:" + hashlib.blake2b(url.encode(), digest_size=16).hexdigest()


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
    """See the module docstring. First in MIDDLEWARE; ConditionalGetMiddleware is not listed, this runs it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.conditional = ConditionalGetMiddleware(get_response)
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else None

    def __call__(self, request):
        if self.static_prefix and request.path_info.startswith(self.static_prefix):
            return self.get_response(request)  # WhiteNoise's files: their own caching and conditional answers
        shared_seconds = settings.NEWSROOM_PAGE_SHARED_MAX_AGE
        cookies = request.COOKIES
        if (
            shared_seconds <= 0
            or request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in cookies
            or MESSAGES_COOKIE in cookies
        ):
            return self._answered(request, _private(self.get_response(request)))
        try:
            key = page_key(request, request.get_host())
        except DisallowedHost:
            return self.get_response(request)  # Django answers 400; nothing of it is cached
        store = settings.NEWSROOM_PAGE_CACHE
        # The generation is read before the page is made: a change committed while it
        # renders bumps it, and a copy made now is never served.
        current, copy = generation.read(key if store else None)
        request.content_generation = current  # the fragments cache keys on it too (public/context_processors.py)
        now = time.time()
        if copy is not None and copy[0] == current and copy[1] - now >= 1:
            response = copy[2]
            _cache_control(response, int(copy[1] - now))
            return self._answered(request, response) if _is_conditional(request) else response
        return self._made(request, key if store else None, current, now, shared_seconds)

    def _made(self, request, key: str | None, current, now: float, shared_seconds: int):
        """The page made by the view; stored under key (None: not stored) when it is public."""
        response = self.get_response(request)
        if not _is_public(response):
            return self._answered(request, _private(response))
        seconds = int(min(shared_seconds, generation.seconds_to_next_publish(current, now)))
        _cache_control(response, max(seconds, 0))
        if not response.has_header("ETag"):
            set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response.headers["Last-Modified"] = http_date(now)
        if key and seconds >= 1 and current is not None and request.method == "GET" and _reads_all(request, response):
            generation.shared_cache().set(key, (current, now + seconds, response), seconds)
        return self._answered(request, response)

    def _answered(self, request, response):
        """What ConditionalGetMiddleware would make of it: an ETag on GETs, 304 when the client's copy is current."""
        return self.conditional.process_response(request, response)


def _reads_all(request, response) -> bool:
    """Whether the view reads every query parameter sent: else the key would be new and the page not."""
    return request.GET.keys() <= getattr(response, "public_query", frozenset())


def _is_conditional(request) -> bool:
    meta = request.META
    return "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta
