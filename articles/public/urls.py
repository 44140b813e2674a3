from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.urls.converters import StringConverter

from articles.caching.page_cache import public_page
from articles.public import feeds, views
from articles.public.sitemaps import NEWS_SITEMAPS, SITEMAPS


class TextConverter(StringConverter):
    """<str:> without NUL: slugs keep non-Latin letters, and a NUL (which no slug has and
    PostgreSQL refuses in a query) is a 404 before any view runs."""

    regex = r"[^/\x00]+"


register_converter(TextConverter, "text")

app_name = "articles"

# public_page: the same for every anonymous reader, so cached (articles/caching.py).
urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    # <text:> rather than <slug:>: slugs keep non-Latin letters.
    path("articles/<text:slug>/", public_page(views.article_detail), name="detail"),
    path("keywords/<text:slug>/", public_page(views.KeywordView.as_view()), name="keyword"),
    path("sections/<text:slug>/", public_page(views.SectionView.as_view()), name="section"),
    path("search/", public_page(views.search), name="search"),
    # Feeds (articles/feeds.py): RSS 2.0 and Atom, the site, a keyword, a section.
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("keywords/<text:slug>/feed/", public_page(feeds.KeywordFeed()), name="keyword_feed"),
    path("keywords/<text:slug>/feed/atom/", public_page(feeds.KeywordAtomFeed()), name="keyword_feed_atom"),
    path("sections/<text:slug>/feed/", public_page(feeds.SectionFeed()), name="section_feed"),
    path("sections/<text:slug>/feed/atom/", public_page(feeds.SectionAtomFeed()), name="section_feed_atom"),
    # Sitemaps (articles/sitemaps.py) and robots.txt, which points at them.
    path(
        "sitemap.xml",
        public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section", "template_name": "sitemaps/index.xml"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", public_page(views.robots_txt), name="robots"),
    # A signed, expiring link to one unpublished article (articles/preview_links.py).
    path("preview/<str:token>/", views.shared_preview, name="shared_preview"),
]
