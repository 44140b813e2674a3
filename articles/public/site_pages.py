"""The site's own pages around the news: the reader-styled 404, footer pages, the web app manifest.

The 500 and 503 pages live in newsroom/views.py: they must render with no database.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.flatpages.views import flatpage
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import SITE_PAGES_PREFIX, Article

LATEST_ON_NOT_FOUND = 5


def latest_headlines(count: int = LATEST_ON_NOT_FOUND):
    """The newest live articles' titles, slugs and times: one query, and only when a template reads it
    (a warm fragments-cache block reads nothing)."""
    return Article.objects.published().newest_first().values("title", "slug", "publish_at")[:count]


def page_not_found(request, exception=None):
    """handler404: the site's layout, a search box and the latest stories instead of a bare "Not Found".

    Two queries at most whatever is published (the sections, the headlines), none from a warm cache."""
    return render(request, "404.html", {"latest": latest_headlines()}, status=404)


@require_safe
def site_page(request, url):
    """A footer page (About, Contact...): Django's flatpage view for the page stored at /pages/<url>,
    drawn by templates/flatpages/default.html in the site's layout. Its content was sanitised on save
    (articles/models/site_pages.py). Two queries: the page, the navigation's sections."""
    return flatpage(request, SITE_PAGES_PREFIX + url)


@require_safe
def feed_stylesheet(request):
    """The XSLT stylesheet the feeds name (public/feeds.py), so that a feed opened in a browser reads as a
    page. Served by the site rather than from static files: browsers apply only a same-origin XSLT, and
    STATIC_URL may be a CDN; and the page it makes links the site's (hashed) stylesheet."""
    return render(request, "feeds/feed.xsl", content_type="application/xml; charset=utf-8")


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for where a page names no icon (a feed, a picture): the PNG icon."""
    return redirect(static("brand/favicon-32.png"))


@require_safe
def manifest(request):
    """The web app manifest: the name, colours and icons a phone uses for a home-screen shortcut."""
    icons = [
        {"src": static(f"brand/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"} for size in (192, 512)
    ]
    icons.append({"src": static("brand/favicon.svg"), "sizes": "any", "type": "image/svg+xml"})
    data = {
        "name": settings.NEWSROOM_SITE_NAME,
        "short_name": settings.NEWSROOM_SITE_NAME[:12],
        "description": settings.NEWSROOM_SITE_TAGLINE,
        "start_url": reverse("articles:home"),
        "scope": reverse("articles:home"),
        "display": "browser",
        "theme_color": settings.NEWSROOM_THEME_COLOUR,
        "background_color": "#ffffff",
        "icons": icons,
    }
    return JsonResponse(data, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})
