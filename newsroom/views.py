"""Site-wide views: error pages and, for a local-disk setup, the uploaded pictures."""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.template import loader
from django.utils._os import safe_join
from django.utils.http import http_date
from django.views import defaults
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from articles.documents.checks import KINDS as DOCUMENT_KINDS

RETRY_AFTER_SECONDS = 30


def database_unavailable() -> HttpResponse:
    """The 503 page: a static template rendered without a request (no context
    processors, so no query), and its own tight policy since it has inline CSS."""
    body = loader.get_template("503.html").render({"site_name": settings.NEWSROOM_SITE_NAME})
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
    )
    return response


def server_error(request, template_name="500.html"):
    """handler500: a database outage met outside a view is a 503 too; anything else is Django's 500."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable()
    return defaults.server_error(request, template_name)


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
