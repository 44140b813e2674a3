"""Tell the HTTP caches in front of the site (Varnish, a CDN) which pages changed.

NEWSROOM_PURGE_BACKEND chooses how:

- "none" (the default): nothing is sent; shared caches keep a page until its
  s-maxage runs out.
- "http": Varnish/Fastly style requests to each base URL in NEWSROOM_PURGE_URLS.
  With NEWSROOM_PURGE_METHOD=PURGE, one "PURGE <path>" per changed page;
  with BAN, one "BAN /" whose X-Url header is a regular expression matching
  the changed paths with any query string (so ?page=2 and searches go too;
  deploy/varnish/default.vcl understands both).
- "cloudflare": Cloudflare's purge API, the changed pages' full URLs
  (NEWSROOM_SITE_URL + path), 30 to a request.

Purges are jobs (articles/jobs.py), queued after the change is committed
(caching/invalidation.py): a purge endpoint that is down or slow never holds up a
save. Each request times out after NEWSROOM_PURGE_TIMEOUT seconds; a purge that
fails is logged and tried again later, NEWSROOM_RETRY_FIRST_SECONDS after the first
failure and twice as long after each next one, NEWSROOM_PURGE_ATTEMPTS times in all
(again at once when it is only on a backend that cannot wait, NEWSROOM_TASKS=immediate:
then one attempt). Purging a page twice is harmless, so a retry sends the whole purge.
"""

from __future__ import annotations

import json
import logging
import re
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.utils import timezone

from articles.jobs import can_wait, enqueue_at, retry_delay, task

logger = logging.getLogger("newsroom.purge")

CLOUDFLARE_FILES_PER_REQUEST = 30  # the API's limit per purge-by-URL call

_pool = urllib3.PoolManager(retries=False)


def enabled() -> bool:
    return settings.NEWSROOM_PURGE_BACKEND != "none"


def purge(paths, *, everything: bool = False) -> None:
    """Queue a job asking the configured backend to forget these site paths (or every page). Never raises."""
    if not enabled() or not (paths or everything):
        return
    try:
        send.enqueue(sorted(paths), everything)
    except Exception:
        logger.exception("Could not queue a purge of %s path(s).", len(paths))


@task()
def send(paths: list[str], everything: bool, attempt: int = 1) -> bool:
    """One attempt at a purge; when it fails, the next is queued after a wait. Whether it was delivered."""
    name = settings.NEWSROOM_PURGE_BACKEND
    backend = BACKENDS.get(name)
    if backend is None:
        logger.error("Unknown NEWSROOM_PURGE_BACKEND %r: nothing purged.", name)
        return False
    try:
        if backend(paths, everything):
            return True
    except Exception:
        logger.exception("Purge through %s failed.", name)
    if attempt >= settings.NEWSROOM_PURGE_ATTEMPTS or not can_wait(send):
        logger.error("Purge of %s path(s) through %s given up after %s attempt(s).", len(paths), name, attempt)
        return False
    when = timezone.now() + retry_delay(attempt)
    logger.warning("Purge through %s failed (attempt %s); trying again at %s.", name, attempt, when)
    enqueue_at(send, when, paths, everything, attempt + 1)
    return False


def _timeout():
    return urllib3.Timeout(total=settings.NEWSROOM_PURGE_TIMEOUT)


def _site_host() -> str:
    return urlsplit(settings.NEWSROOM_SITE_URL).netloc


def _request(method, url, **kwargs) -> bool:
    try:
        response = _pool.request(method, url, timeout=_timeout(), **kwargs)
    except urllib3.exceptions.HTTPError as error:
        logger.warning("Purge %s %s failed: %s", method, url, error)
        return False
    if response.status >= 400:
        logger.warning("Purge %s %s answered %s: %s", method, url, response.status, response.data[:200])
        return False
    return True


def ban_pattern(paths, everything: bool) -> str:
    """One regular expression for a BAN: these paths with or without a query string."""
    if everything:
        return "^/"
    return "^(" + "|".join(re.escape(path) for path in paths) + r")(\?|$)"


def http_purge(paths, everything: bool) -> bool:
    """Whether every server took every purge."""
    host = _site_host()
    headers = {"Host": host} if host else {}
    method = settings.NEWSROOM_PURGE_METHOD.upper()
    delivered = True
    for base in settings.NEWSROOM_PURGE_URLS:
        base = base.rstrip("/")
        if method == "BAN":
            delivered &= _request("BAN", base + "/", headers={**headers, "X-Url": ban_pattern(paths, everything)})
            continue
        if everything:
            logger.info("PURGE removes one URL at a time; pages other than those listed refresh at their s-maxage.")
        for path in paths:
            if not _request(method, base + path, headers=headers):
                delivered = False
                break  # that server is unwell: do not wait out a timeout per path
    return delivered


def cloudflare_purge(paths, everything: bool) -> bool:
    """Whether Cloudflare took every request (True when it is not configured: retrying will not help)."""
    zone, token = settings.NEWSROOM_CLOUDFLARE_ZONE_ID, settings.NEWSROOM_CLOUDFLARE_API_TOKEN
    site = settings.NEWSROOM_SITE_URL.rstrip("/")
    if not (zone and token and (site or everything)):
        logger.error("Cloudflare purge needs NEWSROOM_CLOUDFLARE_ZONE_ID, CLOUDFLARE_API_TOKEN and NEWSROOM_SITE_URL.")
        return True
    url = f"{settings.NEWSROOM_CLOUDFLARE_API_URL.rstrip('/')}/zones/{zone}/purge_cache"
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if everything:
        bodies = [{"purge_everything": True}]
    else:
        files = [site + path for path in paths]
        bodies = [
            {"files": files[i : i + CLOUDFLARE_FILES_PER_REQUEST]}
            for i in range(0, len(files), CLOUDFLARE_FILES_PER_REQUEST)
        ]
    # all() stops at the first failure: the rest would fail the same way.
    return all(_request("POST", url, body=json.dumps(body).encode(), headers=headers) for body in bodies)


BACKENDS = {"http": http_purge, "cloudflare": cloudflare_purge}
