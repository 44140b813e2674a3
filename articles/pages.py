"""What the public article page reads, as prepared queries (articles/prepared.py).

The same querysets as ArticleQuerySet.published().for_detail().with_neighbours()
and related_to(), compiled once per process. The article comes back as
for_detail() leaves it (section, lead image, figures with their images,
keywords), so templates and metadata read it with no further query.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from articles.models import Article, ArticleFigure, Keyword, Section
from articles.prepared import PreparedQuery

ARTICLE = PreparedQuery(
    lambda slug, now: (
        Article.objects.published(now).filter(slug=slug).select_related("section", "lead_image").with_neighbours(now)
    ),
    slug=str,
    now=datetime.datetime,
)
FIGURES = PreparedQuery(
    lambda article: ArticleFigure.objects.filter(article_id=article).select_related("image").order_by("position"),
    article=int,
)
KEYWORDS = PreparedQuery(lambda article: Keyword.objects.filter(articles=article), article=int)
RELATED_BY_KEYWORD = PreparedQuery(
    lambda article, now: Article.objects.published(now).related_to(Article(pk=article), has_keywords=True),
    article=int,
    now=datetime.datetime,
)
RELATED_IN_SECTION = PreparedQuery(
    lambda article, section, now: Article.objects.published(now).related_to(
        Article(pk=article, section_id=section), has_keywords=False
    ),
    article=int,
    section=int,
    now=datetime.datetime,
)
SECTIONS = PreparedQuery(lambda: Section.objects.all())


def _prefetched(instance, name: str, model, objects: list) -> None:
    """Leave objects where prefetch_related() would, so instance.<name>.all() runs no query."""
    queryset: QuerySet = model._default_manager.all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def published_article(slug: str, now: datetime.datetime | None = None) -> Article | None:
    """The live article at slug, with figures, keywords and older/newer neighbours: three queries."""
    found = ARTICLE(slug=slug, now=now or timezone.now())
    if not found:
        return None
    article = found[0]
    _prefetched(article, "figures", ArticleFigure, FIGURES(article=article.pk))
    _prefetched(article, "keywords", Keyword, KEYWORDS(article=article.pk))
    return article


def related_articles(article: Article, now: datetime.datetime | None = None) -> list[Article]:
    """related_to() for a published_article(): one query, none without keywords or section."""
    now = now or timezone.now()
    if article.keywords.all():
        return RELATED_BY_KEYWORD(article=article.pk, now=now)
    if article.section_id:
        return RELATED_IN_SECTION(article=article.pk, section=article.section_id, now=now)
    return []


def navigation_sections() -> list[Section]:
    return SECTIONS()
