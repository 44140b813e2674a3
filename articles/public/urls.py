from django.urls import path, register_converter
from django.urls.converters import StringConverter

from articles.caching.page_cache import public_page
from articles.models import Author, Keyword, Section
from articles.public import feeds, search_page, site_pages, sitemaps, views
from articles.public.sitemaps import NEWS_SITEMAPS, SITEMAPS


class TextConverter(StringConverter):
    """<str:> without NUL: slugs keep non-Latin letters, and a NUL (which no slug has and
    PostgreSQL refuses in a query) is a 404 before any view runs."""

    regex = r"[^/\x00]+"


register_converter(TextConverter, "text")

app_name = "articles"

keyword_articles = views.TaxonomyArticlesView.as_view(
    model=Keyword,
    relation="keywords",
    label="Topic",  # what readers call keywords (URLs keep /keywords/)
    feed="articles:keyword_feed",
    default_description="Articles about {name}",
    # No published article, no page (nor feed, below): a keyword only embargoed articles use would tell.
    require_articles=True,
)
section_articles = views.TaxonomyArticlesView.as_view(
    model=Section,
    relation="section",
    label="Section",
    feed="articles:section_feed",
    default_description="{name} from {site}",
)
author_articles = views.TaxonomyArticlesView.as_view(
    model=Author,
    relation="authors",
    label="Author",
    feed="articles:author_feed",
    template_name="articles/author.html",
    subject_related=["photo"],
    default_description="Articles by {name} from {site}",
    # Not require_articles: authors are public people the newsroom lists on purpose, and their page
    # (and feed) before their first live article shows their profile and nothing of their drafts.
)
keyword_feed = {
    "model": Keyword,
    "relation": "keywords",
    "describe": "The latest articles about {name} from {site}.",
    "require_articles": True,
}
section_feed = {"model": Section, "relation": "section", "describe": "The latest {name} articles from {site}."}
author_feed = {"model": Author, "relation": "authors", "describe": "The latest articles by {name} from {site}."}

# public_page: the same for every anonymous reader, so cached (caching/page_cache.py), with the
# query parameters the view reads (a request with others is not stored).
LIST = ("page",)
urlpatterns = [
    path("", public_page(views.HomeView.as_view(), query=LIST), name="home"),
    # <text:> rather than <slug:>: slugs keep non-Latin letters.
    path("articles/<text:slug>/", public_page(views.article_detail), name="detail"),
    path("keywords/<text:slug>/", public_page(keyword_articles, query=LIST), name="keyword"),
    path("sections/<text:slug>/", public_page(section_articles, query=LIST), name="section"),
    path("authors/<text:slug>/", public_page(author_articles, query=LIST), name="author"),
    path("search/", public_page(views.search, query=search_page.PARAMETERS), name="search"),
    path("corrections/", public_page(views.corrections), name="corrections"),
    # Feeds (public/feeds.py): RSS 2.0 and Atom, of the site, a keyword, a section, an author.
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesFeed(atom=True)), name="feed_atom"),
    # How a browser shows a feed to a person (public/site_pages.py).
    path("feed/style.xsl", public_page(site_pages.feed_stylesheet), name="feed_stylesheet"),
    path("keywords/<text:slug>/feed/", public_page(feeds.TaxonomyFeed(**keyword_feed)), name="keyword_feed"),
    path(
        "keywords/<text:slug>/feed/atom/",
        public_page(feeds.TaxonomyFeed(**keyword_feed, atom=True)),
        name="keyword_feed_atom",
    ),
    path("sections/<text:slug>/feed/", public_page(feeds.TaxonomyFeed(**section_feed)), name="section_feed"),
    path(
        "sections/<text:slug>/feed/atom/",
        public_page(feeds.TaxonomyFeed(**section_feed, atom=True)),
        name="section_feed_atom",
    ),
    path("authors/<text:slug>/feed/", public_page(feeds.TaxonomyFeed(**author_feed)), name="author_feed"),
    path(
        "authors/<text:slug>/feed/atom/",
        public_page(feeds.TaxonomyFeed(**author_feed, atom=True)),
        name="author_feed_atom",
    ),
    # Sitemaps (public/sitemaps.py) and robots.txt, which points at them.
    path(
        "sitemap.xml",
        public_page(sitemaps.index, query=("p",)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section", "template_name": "sitemaps/index.xml"},
        name="sitemap",
    ),
    path(
        "sitemap-news.xml",
        public_page(sitemaps.sitemap, query=("p",)),
        {"sitemaps": NEWS_SITEMAPS, "template_name": "sitemaps/news.xml"},
        name="sitemap_news",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps.sitemap, query=("p",)),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap_section",
    ),
    path("robots.txt", public_page(views.robots_txt), name="robots"),
    # The site's own pages (public/site_pages.py): footer pages (flatpages stored at /pages/...),
    # and what a phone's home screen reads.
    path("pages/<path:url>", public_page(site_pages.site_page), name="site_page"),
    path("manifest.webmanifest", public_page(site_pages.manifest), name="manifest"),
    path("favicon.ico", public_page(site_pages.favicon), name="favicon"),
    # A signed, expiring link to one unpublished article (editorial/share_links.py).
    path("preview/<str:token>/", views.share_link, name="share_link"),
    # Its name before the restructuring, kept for a release for code that reverses it.
    path("preview/<str:token>/", views.share_link, name="shared_preview"),
]
