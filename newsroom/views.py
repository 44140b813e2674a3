"""Site-wide views: error pages and, for a local-disk setup, the uploaded pictures."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.template import loader
from django.utils import timezone
from django.utils._os import safe_join
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from articles.documents.checks import KINDS as DOCUMENT_KINDS
from newsroom import brand

logger = logging.getLogger("newsroom.errors")

RETRY_AFTER_SECONDS = 30


def static_page_context() -> dict:
    """What the error layout (templates/errors/layout.html) shows: settings only, no query, no request."""
    from articles.public.context_processors import brand  # the reader layout's brand, in one place

    return {**brand(), "language_code": settings.LANGUAGE_CODE, "year": timezone.localdate().year}


def static_page_policy() -> str:
    """The error pages' own Content-Security-Policy: the site's stylesheet, pictures and brand style, nothing else."""
    brand_style = f" {brand.csp_hash(settings.NEWSROOM_BRAND_CSS)}" if settings.NEWSROOM_BRAND_CSS else ""
    return (
        f"default-src 'none'; style-src 'self'{brand_style}; img-src 'self' https:; manifest-src 'self'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def static_page(template_name: str, *, status: int, fallback: str) -> HttpResponse:
    """An error page in the site's layout, or, should that fail too (a missing static files manifest,
    a broken template), the plain fallback HTML: an error page must always answer."""
    try:
        body = loader.get_template(template_name).render(static_page_context())
    except Exception:  # noqa: BLE001
        logger.exception("The %s page itself failed; answering a plain one", status)
        body = fallback
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = static_page_policy()
    return response


def database_unavailable() -> HttpResponse:
    """The 503 page: a template rendered without a request (no context processors, so no query)."""
    name = escape(settings.NEWSROOM_SITE_NAME)
    response = static_page(
        "503.html", status=503, fallback=f"<h1>{name} is back in a moment</h1><p>Please try again in a minute.</p>"
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """handler500: a database outage met outside a view is a 503; anything else the site's static 500 page.

    Rendered like the 503, without the request's context processors: whatever broke may be the
    database, the cache or a context processor itself."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable()
    return static_page(template_name, status=500, fallback="<h1>Server Error (500)</h1>")


# Uploaded files are only ever served as pictures: the type comes from this
# list by extension, never from the file or the client.
MEDIA_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "avif": "image/avif",
}
STAGING_PREFIX = "staging/"
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"  # stored names are generated, never reused
# The documents library (articles/documents/checks.py: checked by content, stored with the
# checked kind's extension) lives under documents/; they are served as downloads.
DOCUMENT_CONTENT_TYPES = {kind.extension: kind.content_type for kind in DOCUMENT_KINDS}


@require_safe
def serve_media(request, path):
    """Uploaded pictures from MEDIA_ROOT, for a production-like setup on one machine.

    On when NEWSROOM_SERVE_MEDIA is (by default when media is on the local
    disk). Only allow-listed image types; nothing outside MEDIA_ROOT (links
    included); no directory listings. Better still: object storage or a
    separate domain (docs/deployment.md, "Media").
    """
    if not settings.NEWSROOM_SERVE_MEDIA:
        raise Http404
    extension = path.rsplit("/", 1)[-1].rpartition(".")[2].lower()
    is_document = path.startswith("documents/")
    content_type = (DOCUMENT_CONTENT_TYPES if is_document else MEDIA_CONTENT_TYPES).get(extension)
    # staging/: pictures parked by an older version before they had alt text; never public.
    if content_type is None or "." not in path or path.startswith(STAGING_PREFIX):
        raise Http404
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        full = Path(safe_join(root, path)).resolve()
    except (SuspiciousFileOperation, ValueError) as exc:
        raise Http404 from exc
    if not full.is_relative_to(root) or not full.is_file():
        raise Http404
    stat = full.stat()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(full.open("rb"), content_type=content_type)
    response["Last-Modified"] = http_date(stat.st_mtime)
    response["Cache-Control"] = MEDIA_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    if is_document:  # opened by the reader's own program, never rendered on this site's origin
        response["Content-Disposition"] = "attachment"
    return response
