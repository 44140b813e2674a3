"""What the public pages read, as prepared queries (articles/prepared.py).

The same querysets as ArticleQuerySet.published().for_detail().with_neighbours(),
related_to() and for_cards(), compiled once per process, each with the stored
drawings it needs (articles/drawings.py). The article comes back as
for_detail() leaves it (section, lead image, keywords; figures with their
images when it has to be drawn), so templates and metadata read it with no
further query; list pages get their cards and the count their pagination shows.
"""

from __future__ import annotations

import datetime

from django.db.models import Func, IntegerField, QuerySet
from django.utils.safestring import mark_safe

from articles import drawings
from articles.drawings import Kind
from articles.links import path_to
from articles.models import Article, ArticleFigure, Keyword, Section
from articles.prepared import PreparedQuery

ARTICLE = PreparedQuery(
    lambda slug, now, fp: (
        Article.objects.published(now)
        .filter(slug=slug)
        .select_related("section", "lead_image")
        .with_neighbours(now)
        .with_drawing(Kind.MAIN, fp)
    ),
    slug=str,
    now=datetime.datetime,
    fp=str,
)
FIGURES = PreparedQuery(
    lambda article: ArticleFigure.objects.filter(article_id=article).select_related("image").order_by("position"),
    article=int,
)
KEYWORDS = PreparedQuery(lambda article: Keyword.objects.filter(articles=article), article=int)


def _related(has_keywords: bool, **params: type) -> PreparedQuery:
    """related_to() as {"pk", "teaser_html"}: by shared keyword, or (has_keywords False) in the same section."""
    return PreparedQuery(
        lambda now, fp, article, section=None: (
            Article.objects.published(now)
            .with_drawing(Kind.TEASER, fp)
            .related_to(Article(pk=article, section_id=section), has_keywords=has_keywords)
            .values("pk", drawings.attribute(Kind.TEASER))
        ),
        now=datetime.datetime,
        fp=str,
        article=int,
        **params,
    )


RELATED_BY_KEYWORD = _related(True)
RELATED_IN_SECTION = _related(False, section=int)


class RowCount(Func):
    """COUNT(*) as a plain expression, so values(n=RowCount()) is one row and no GROUP BY.

    (values() with the Count aggregate would group by every column of the model.)
    COUNT(*) rather than COUNT(id): SQLite then counts index entries without
    reading the id from each, about twice as fast over 10,000 articles.
    """

    template = "COUNT(*)"
    arity = 0
    output_field = IntegerField()


class Listing:
    """A list page's cards and their count, as prepared queries; narrow() picks the page's articles."""

    def __init__(self, narrow=lambda articles: articles, **params: type):
        self.rows = PreparedQuery(
            lambda now, fp, offset, limit, **values: (
                narrow(Article.objects.published(now), **values)
                .for_cards()
                .with_drawing(Kind.CARD, fp)[offset : offset + limit]
            ),
            shape=("offset", "limit"),
            now=datetime.datetime,
            fp=str,
            **params,
        )
        self.total = PreparedQuery(
            lambda now, **values: narrow(Article.objects.published(now), **values).order_by().values(n=RowCount()),
            now=datetime.datetime,
            **params,
        )

    def published(self, now: datetime.datetime, **values) -> ListingRows:
        return ListingRows(self, now, values)


class ListingRows:
    """What Django's Paginator asks of a list: count() and a slice (each card with card_html to draw)."""

    def __init__(self, listing: Listing, now: datetime.datetime, values: dict):
        self.listing, self.now, self.values = listing, now, values

    def count(self) -> int:
        return self.listing.total(now=self.now, **self.values)[0]["n"]

    def __getitem__(self, bounds: slice) -> list[Article]:
        offset, limit = bounds.start or 0, bounds.stop - (bounds.start or 0)
        if limit <= 0:
            return []  # an empty list's only page (a query sliced to nothing cannot be compiled)
        return self.listing.rows(now=self.now, fp=drawings.fingerprint(), offset=offset, limit=limit, **self.values)


HOME = Listing()
KEYWORD = Listing(lambda articles, keyword: articles.filter(keywords=keyword), keyword=int)
SECTION = Listing(lambda articles, section: articles.filter(section=section), section=int)
SECTIONS = PreparedQuery(lambda: Section.objects.values("pk", "name", "slug"))


def _prefetched(instance, name: str, model, objects: list) -> None:
    """Leave objects where prefetch_related() would, so instance.<name>.all() runs no query."""
    queryset: QuerySet = model._default_manager.all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def published_article(slug: str, now: datetime.datetime, fresh: list) -> Article | None:
    """The live article at slug, with keywords, older/newer neighbours and main_html: two queries.

    Three when it has to be drawn (the figures); the new drawing is added to
    fresh for drawings.store() (articles/drawings.py).
    """
    found = ARTICLE(slug=slug, now=now, fp=drawings.fingerprint())
    if not found:
        return None
    article = found[0]
    _prefetched(article, "keywords", Keyword, KEYWORDS(article=article.pk))
    if getattr(article, drawings.attribute(Kind.MAIN)) is None:
        # Only drawing it reads the figure rows.
        _prefetched(article, "figures", ArticleFigure, FIGURES(article=article.pk))
    drawings.draw([article], Kind.MAIN, fresh)
    return article


def related_articles(article: Article, now: datetime.datetime, fresh: list) -> list[dict]:
    """related_to() for a published_article() as {"pk", "teaser_html"}: one query, none without keywords or section.

    Only the stored teasers are read; teasers that have to be drawn cost one
    more query (the articles themselves) and are added to fresh, as in
    published_article().
    """
    fp = drawings.fingerprint()
    if article.keywords.all():
        related = RELATED_BY_KEYWORD(article=article.pk, now=now, fp=fp)
    elif article.section_id:
        related = RELATED_IN_SECTION(article=article.pk, section=article.section_id, now=now, fp=fp)
    else:
        return []
    name = drawings.attribute(Kind.TEASER)
    missing = [teaser["pk"] for teaser in related if teaser[name] is None]
    if missing:
        to_draw = {item.pk: item for item in Article.objects.filter(pk__in=missing).for_cards()}
        drawings.draw(to_draw.values(), Kind.TEASER, fresh)
        for teaser in related:
            if teaser[name] is None and teaser["pk"] in to_draw:
                teaser[name] = getattr(to_draw[teaser["pk"]], name)
    # Stored drawings were drawn by our own templates, which escaped everything they were given.
    return [{**teaser, name: mark_safe(teaser[name])} for teaser in related if teaser[name] is not None]  # noqa: S308


def navigation_sections(current: str | None = None) -> list[dict]:
    """The sections in navigation order as {"pk", "name", "slug", "url", "current"}: every page draws them.

    current: the slug of the section whose page is being drawn.
    """
    return [
        {**section, "url": path_to("articles:section", slug=section["slug"]), "current": section["slug"] == current}
        for section in SECTIONS()
    ]
