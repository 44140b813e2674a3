"""What the public pages read, as prepared queries (articles/prepared.py).

The same querysets as ArticleQuerySet.published().for_detail().with_neighbours(),
related_to() and for_cards(), compiled once per process, each with the stored
drawings it needs (articles/drawings.py). The article comes back with what
for_detail() gives it (section, lead image, keyword_list; figures with their
images when it has to be drawn), so templates and metadata read it with no
further query; list pages get their stored cards and the count their pagination
shows.
"""

from __future__ import annotations

import datetime
from typing import NamedTuple

from django.db.models import Func, IntegerField, QuerySet
from django.utils.safestring import SafeString, mark_safe

from articles.caching import fragments as drawings
from articles.caching.compiled_queries import PreparedQuery
from articles.caching.fragments import Kind
from articles.models import Article, ArticleFigure, Keyword, Section

ARTICLE = PreparedQuery(
    lambda slug, now, fp: drawings.annotate(
        Article.objects.published(now).filter(slug=slug).select_related("section", "lead_image").with_neighbours(now),
        Kind.MAIN,
        fp,
    ),
    slug=str,
    now=datetime.datetime,
    fp=str,
)
FIGURES = PreparedQuery(
    lambda article: ArticleFigure.objects.filter(article_id=article).select_related("image").order_by("position"),
    article=int,
)
KEYWORDS = PreparedQuery(lambda article: Keyword.objects.filter(articles=article).values("name", "slug"), article=int)


def _related(has_keywords: bool, **params: type) -> PreparedQuery:
    """related_to() as {"pk", "teaser_html"}: by shared keyword, or (has_keywords False) in the same section."""
    return PreparedQuery(
        lambda now, fp, article, section=None: (
            drawings.annotate(Article.objects.published(now), Kind.TEASER, fp)
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
            lambda now, fp, offset, limit, **values: drawings.annotate(
                drawings.annotate(narrow(Article.objects.published(now), **values).newest_first(), Kind.CARD, fp),
                Kind.FEATURED,
                fp,
            ).values("pk", drawings.attribute(Kind.CARD), drawings.attribute(Kind.FEATURED))[offset : offset + limit],
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
    """What Django's Paginator asks of a list: count() and a slice, of rows for cards():
    {"pk", "card_html", "featured_html"}, the stored drawings or None."""

    def __init__(self, listing: Listing, now: datetime.datetime, values: dict):
        self.listing, self.now, self.values = listing, now, values

    def count(self) -> int:
        return self.listing.total(now=self.now, **self.values)[0]["n"]

    def __getitem__(self, bounds: slice) -> list[dict]:
        offset, limit = bounds.start or 0, bounds.stop - (bounds.start or 0)
        if limit <= 0:
            return []  # an empty list's only page (a query sliced to nothing cannot be compiled)
        return self.listing.rows(now=self.now, fp=drawings.fingerprint(), offset=offset, limit=limit, **self.values)


HOME = Listing()
KEYWORD = Listing(lambda articles, keyword: articles.filter(keywords=keyword), keyword=int)
SECTION = Listing(lambda articles, section: articles.filter(section=section), section=int)
SECTIONS = PreparedQuery(lambda: Section.objects.values("name", "slug"))


def _prefetched(instance, name: str, model, objects: list) -> None:
    """Leave objects where prefetch_related() would, so instance.<name>.all() runs no query."""
    queryset: QuerySet = model._default_manager.all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def published_article(slug: str, now: datetime.datetime, fresh: list) -> Article | None:
    """The live article at slug, with keyword_list, older/newer neighbours and main_html: two queries.

    Three when it has to be drawn (the figures); the new drawing is added to
    fresh for drawings.store() (articles/drawings.py).
    """
    found = ARTICLE(slug=slug, now=now, fp=drawings.fingerprint())
    if not found:
        return None
    article = found[0]
    article.keyword_list = KEYWORDS(article=article.pk)
    if getattr(article, drawings.attribute(Kind.MAIN)) is None:
        # Only drawing it reads the figure rows.
        _prefetched(article, "figures", ArticleFigure, FIGURES(article=article.pk))
    drawings.draw([article], Kind.MAIN, fresh)
    return article


def related_articles(article: Article, now: datetime.datetime, fresh: list) -> list[SafeString]:
    """related_to() for a published_article() as their teasers: one query, none without keywords or section.

    Only the stored teasers are read; teasers that have to be drawn cost one
    more query (the articles themselves) and are added to fresh, as in
    published_article().
    """
    fp = drawings.fingerprint()
    if article.keyword_list:
        related = RELATED_BY_KEYWORD(article=article.pk, now=now, fp=fp)
    elif article.section_id:
        related = RELATED_IN_SECTION(article=article.pk, section=article.section_id, now=now, fp=fp)
    else:
        return []
    return drawn(related, [Kind.TEASER] * len(related), fresh)


def cards(rows: list[dict], *, featured: bool, fresh: list) -> list[SafeString]:
    """The cards of a list page's rows (ListingRows), the first one featured if featured:
    no query, one when some have to be drawn (added to fresh, as in published_article())."""
    kinds = [Kind.FEATURED if featured and not i else Kind.CARD for i in range(len(rows))]
    return drawn(rows, kinds, fresh)


def drawn(rows: list[dict], kinds: list[str], fresh: list) -> list[SafeString]:
    """For each row ({"pk", "<kind>_html"} from a query annotated with its stored drawing),
    the drawing of its kind: stored, or drawn now from its article (one query for all).
    A row whose article has gone since is left out."""
    missing = [row["pk"] for row, kind in zip(rows, kinds, strict=True) if row[drawings.attribute(kind)] is None]
    if missing:
        found = {item.pk: item for item in Article.objects.filter(pk__in=missing).for_cards()}
        to_draw: dict[str, list[Article]] = {}
        for row, kind in zip(rows, kinds, strict=True):
            if row[drawings.attribute(kind)] is None and row["pk"] in found:
                to_draw.setdefault(kind, []).append(found[row["pk"]])
        for kind, articles in to_draw.items():  # one template lookup per kind
            drawings.draw(articles, kind, fresh)
        for row, kind in zip(rows, kinds, strict=True):
            name = drawings.attribute(kind)
            if row[name] is None and row["pk"] in found:
                row[name] = getattr(found[row["pk"]], name)
    # Stored drawings were drawn by our own templates, which escaped everything they were given.
    return [
        mark_safe(html)  # noqa: S308
        for row, kind in zip(rows, kinds, strict=True)
        if (html := row[drawings.attribute(kind)]) is not None
    ]


class NavSection(NamedTuple):
    name: str
    slug: str
    current: bool


def navigation_sections(current: str | None = None) -> tuple[NavSection, ...]:
    """The sections in navigation order: every page draws them (hashable, so a {% shell %} can vary on them).

    current: the slug of the section whose page is being drawn.
    """
    return tuple(NavSection(section["name"], section["slug"], section["slug"] == current) for section in SECTIONS())
