"""Sitemaps for search engines, on django.contrib.sitemaps, with addresses on the host the request came to.

The sites framework is installed for the footer pages (flatpages), but its one Site's domain is never
used here: every sitemap is made per request (for_request()) and takes the request's host, and the
index's addresses are put on that host too (index()). /sitemap-pages.xml lists the footer pages.

/sitemap.xml is an index of the sections below, each split into pages of at
most `limit` addresses (/sitemap-articles.xml?p=2 ...). Every published
article is listed with its last change and its pictures (<image:image>, Google's
image extension); keyword and section pages that list at least one published
article follow. /sitemap-news.xml is the Google News sitemap: articles
published in the last two days. robots.txt points at both.
Each sitemap page costs a fixed number of queries, however many articles.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.contrib.flatpages.sitemaps import FlatPageSitemap
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.requests import RequestSite
from django.contrib.sites.shortcuts import get_current_site
from django.db.models import Max, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleFigure, Keyword, Section
from articles.public.seo import absolute_url, modified

NEWS_WINDOW = timedelta(days=2)  # Google News reads articles from the last two days only
NEWS_LIMIT = 1000  # and at most this many per sitemap


def latest_change():
    """When anything readers see last changed: the newest publish or update time of a published article."""
    found = Article.objects.published().aggregate(updated=Max("updated_at"), published=Max("publish_at"))
    times = [t for t in found.values() if t is not None]
    return max(times) if times else None


class RequestHostSitemap(Sitemap):
    """A sitemap whose addresses are on the host of the request it was made for (for_request())."""

    def __init__(self, request=None):
        super().__init__()
        self.request = request

    def get_domain(self, site=None):
        return RequestSite(self.request).domain if self.request is not None else super().get_domain(site)


def for_request(sitemaps: dict, request) -> dict:
    """Each sitemap class made for this request, so its addresses are on the request's host."""
    return {name: sitemap(request) for name, sitemap in sitemaps.items()}


def index(request, sitemaps, **kwargs):
    """django.contrib.sitemaps' index view, with the sitemaps' own addresses on the request's host
    (the view puts them on the current Site's domain)."""
    response = sitemap_views.index(request, for_request(sitemaps, request), **kwargs)
    site_origin = f"{request.scheme}://{get_current_site(request).domain}"
    request_origin = f"{request.scheme}://{RequestSite(request).domain}"
    response.context_data["sitemaps"] = [
        replace(item, location=request_origin + item.location.removeprefix(site_origin))
        for item in response.context_data["sitemaps"]
    ]
    return response


def sitemap(request, sitemaps, **kwargs):
    """django.contrib.sitemaps' sitemap view, with addresses on the request's host."""
    return sitemap_views.sitemap(request, for_request(sitemaps, request), **kwargs)


class HomeSitemap(RequestHostSitemap):
    changefreq = "hourly"

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return latest_change()

    def get_latest_lastmod(self):
        return latest_change()


class ArticleSitemap(RequestHostSitemap):
    """Every published article, newest first, with its pictures."""

    limit = 5000  # well under the protocol's 50,000: each address also carries its pictures

    def items(self):
        figures = Prefetch("figures", queryset=ArticleFigure.objects.select_related("image"))
        return (
            Article.objects.published()
            .select_related("lead_image")
            .prefetch_related(figures)
            .defer("body", "body_text", "source_metadata")  # the largest columns, and not needed here
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, item):
        return modified(item)

    def get_latest_lastmod(self):
        return latest_change()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            url["images"] = image_locations(url["item"], origin)
        return urls


def image_locations(article, origin: str) -> list[str]:
    """Absolute addresses of an article's pictures, the lead first, each once."""
    images = [article.lead_image] if article.lead_image else []
    images += [figure.image for figure in article.figures.all()]
    locations = []
    for image in images:
        url = absolute_url(image.url, origin)
        if url not in locations:
            locations.append(url)
    return locations[:1000]  # the image extension's limit per page


class _ListingSitemap(RequestHostSitemap):
    """Keyword or section pages that list at least one published article; lastmod is their newest article."""

    model = None
    relation = ""

    def items(self):
        newest = (
            Article.objects.published()
            .filter(**{self.relation: OuterRef("pk")})
            .order_by("-publish_at")
            .values("publish_at")[:1]
        )
        return self.model.objects.annotate(newest=Subquery(newest)).filter(newest__isnull=False).order_by("slug")

    def lastmod(self, item):
        return item.newest

    def get_latest_lastmod(self):
        return latest_change()


class KeywordSitemap(_ListingSitemap):
    model = Keyword
    relation = "keywords"


class SectionSitemap(_ListingSitemap):
    model = Section
    relation = "section"


class NewsSitemap(RequestHostSitemap):
    """Google News: what was published in the last two days, newest first."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .only("slug", "title", "publish_at", "updated_at")
            .order_by("-publish_at", "-pk")[:NEWS_LIMIT]
        )

    def lastmod(self, item):
        return modified(item)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["news"] = {
                "name": settings.NEWSROOM_SITE_NAME,
                "language": news_language(settings.LANGUAGE_CODE),
                "publication_date": url["item"].publish_at,
                "title": url["item"].title,
            }
        return urls


def news_language(language_code: str) -> str:
    """Google News wants an ISO 639 code ("en"), except Chinese, which is zh-cn or zh-tw."""
    code = language_code.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


class SitePageSitemap(RequestHostSitemap, FlatPageSitemap):
    """The footer pages (Django's flatpages) open to everyone."""

    changefreq = "monthly"


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "keywords": KeywordSitemap,
    "sections": SectionSitemap,
    "pages": SitePageSitemap,
}
NEWS_SITEMAPS = {"news": NewsSitemap}
