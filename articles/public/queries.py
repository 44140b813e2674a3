"""What the public pages read: plain querysets, with the articles' stored fragments (caching/fragments.py).

Every view of a page runs its defining query (the live article at a slug; the
page of a list); the rest is read when a template block first asks for it, and
the fragments cache keeps those blocks between views (templates/articles/*.html),
so most views of a page run one query. ArticlePage and cards() make the fragments
nobody has stored yet; the view stores them after rendering (fragments.store()).
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from articles.caching import fragments
from articles.models import Article, ArticleFigure, ArticleFragment, Section
from articles.public import seo, share

Kind = ArticleFragment.Kind
MAIN, CARD, FEATURED, TEASER = (
    fragments.attribute(kind) for kind in (Kind.MAIN, Kind.CARD, Kind.FEATURED, Kind.TEASER)
)


def live_article(slug: str) -> dict | None:
    """The live article at slug, as every view of its page needs it: pk, slug, title, fragment_version
    and its stored main fragment (main_html, None when it has to be made). One query."""
    found = fragments.with_stored(Kind.MAIN).published().filter(slug=slug)
    return found.order_by().values("pk", "slug", "title", "fragment_version", MAIN).first()


class ArticlePage:
    """The rest of the article page, each part read on first use: the article with its section, lead
    picture, authors, keywords, corrections and neighbours (one query each for the article, its
    authors, its keywords and its corrections), its figures
    only to make its main fragment, its related articles' teasers.

    row: live_article()'s answer, or (previews of unpublished articles) {"pk": ...} with no main_html.
    """

    def __init__(self, row: dict, request, fresh: list[ArticleFragment]):
        self.row, self.request, self.fresh = row, request, fresh

    @cached_property
    def article(self) -> Article:
        return (
            Article.objects.select_related("section", "lead_image")
            .defer("body_text")
            .with_neighbours()
            .with_authors()
            .prefetch_related("keywords", "corrections")
            .get(pk=self.row["pk"])
        )

    @cached_property
    def main_html(self) -> SafeString:
        if self.row.get(MAIN) is not None:
            return fragments.safe(self.row[MAIN])
        article = self.article
        prefetch_related_objects([article], Prefetch("figures", queryset=ArticleFigure.objects.select_related("image")))
        fragments.make([article], Kind.MAIN, self.fresh)
        return getattr(article, MAIN)

    @cached_property
    def meta(self) -> seo.PageMeta:
        return seo.article_page(self.article, self.request)

    @cached_property
    def related(self) -> list[SafeString]:
        """Up to four live articles sharing a keyword (else the section), newest first, as teasers: one query."""
        article = self.article
        related = fragments.with_stored(Kind.TEASER).published()
        # Never the articles the previous and next links already offer.
        besides = tuple(neighbour["slug"] for neighbour in (article.older, article.newer) if neighbour)
        related = related.related_to(article, has_keywords=bool(article.keyword_list), besides=besides)
        rows = list(related.values("pk", TEASER))
        return made(rows, [Kind.TEASER] * len(rows), self.fresh)

    @cached_property
    def share_url(self) -> str:
        """The article's address to share (absolute), from the live article's row: no query."""
        return self.request.build_absolute_uri(reverse("articles:detail", kwargs={"slug": self.row["slug"]}))

    @cached_property
    def share_links(self) -> list[share.ShareLink]:
        """Links that share the article on other sites: plain addresses, nothing loaded from them."""
        return share.links(self.share_url, self.row["title"])


def listing(*, extra: tuple[str, ...] = (), **filters) -> QuerySet:
    """A list page's live articles (narrowed by filters), newest first, as the rows cards() takes:
    pk and the stored card and featured card (and the extra fields named)."""
    articles = fragments.with_stored(Kind.CARD, Kind.FEATURED).published().filter(**filters)
    return articles.newest_first().values("pk", CARD, FEATURED, *extra)


def cards(rows: list[dict], *, featured: bool, fresh: list[ArticleFragment]) -> list[SafeString]:
    """The cards of a page of listing() rows, the first one featured if featured: no query,
    one when some have to be made (added to fresh)."""
    kinds = [Kind.FEATURED if featured and not i else Kind.CARD for i in range(len(rows))]
    return made(rows, kinds, fresh)


def made(rows: list[dict], kinds: list[str], fresh: list[ArticleFragment]) -> list[SafeString]:
    """For each row ({"pk", "<kind>_html"} from a query annotated with its stored fragment), the
    fragment of its kind: stored, or made now from its article (one query for all). A row whose
    article has gone since is left out."""
    missing = [row["pk"] for row, kind in zip(rows, kinds, strict=True) if row[fragments.attribute(kind)] is None]
    if missing:
        found = {article.pk: article for article in Article.objects.filter(pk__in=missing).for_cards()}
        to_make: dict[str, list[Article]] = {}
        for row, kind in zip(rows, kinds, strict=True):
            if row[fragments.attribute(kind)] is None and row["pk"] in found:
                to_make.setdefault(kind, []).append(found[row["pk"]])
        for kind, articles in to_make.items():  # one template lookup per kind
            fragments.make(articles, kind, fresh)
        for row, kind in zip(rows, kinds, strict=True):
            name = fragments.attribute(kind)
            if row[name] is None and row["pk"] in found:
                row[name] = getattr(found[row["pk"]], name)
    return [
        fragments.safe(html) for row, kind in zip(rows, kinds, strict=True) if (html := row[fragments.attribute(kind)])
    ]


class NavSection(NamedTuple):
    name: str
    slug: str
    current: bool


def navigation_sections(current: str | None = None) -> list[NavSection]:
    """The sections in navigation order, the one whose page this is (current, a slug) marked. One query."""
    return [NavSection(name, slug, slug == current) for name, slug in Section.objects.values_list("name", "slug")]
