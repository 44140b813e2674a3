"""Stored fragments: the HTML of an article's cards, its teaser, and its main part (headline, lead picture,
body and keywords), kept in the database between views.

Busy pages show the same articles over and over: a card on every list page, a
teaser under related articles, the article itself on its page. Each is made by
its template on the first view after a change and stored as an ArticleFragment,
which later views read in the same query that fetches the article (a subquery),
so a page runs the same number of queries as before and one more write only when
something had to be made.

A fragment is used only while
- its version is the article's fragment_version, which every change to what a
  fragment shows renews: Article.save() for the article itself, and
  caching/invalidation.py for a picture, a figure's caption, a keyword or a
  section; a reader who made one from older data stored an older version, so a
  race can only ever make a fragment unused, never wrong;
- its fingerprint is that of the templates, code and settings that make it,
  so a deploy that changes the markup or the media address remakes them all.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import logging
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, models, transaction
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, ArticleFragment, new_fragment_version

logger = logging.getLogger(__name__)

Kind = ArticleFragment.Kind
TEMPLATES = {
    Kind.MAIN: "includes/article_main.html",
    Kind.CARD: "includes/card.html",
    Kind.FEATURED: "includes/card.html",
    Kind.TEASER: "includes/teaser.html",
}
# Python that writes markup into fragments besides the templates, by module name.
CODE = ("articles.images.html", "articles.templatetags.articles_tags", "articles.caching.fragments")
# Settings that change what a fragment says (addresses of pictures, dates, sizes).
SETTINGS = ("MEDIA_URL", "STORAGES", "AWS_S3_CUSTOM_DOMAIN", "TIME_ZONE", "USE_TZ", "LANGUAGE_CODE")


@functools.cache
def fingerprint() -> str:
    """What the fragments made by this process depend on, as a short hash."""
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(set(TEMPLATES.values())):
        digest.update(get_template(name).template.source.encode())
    for name in CODE:
        digest.update(Path(importlib.util.find_spec(name).origin).read_bytes())
    relevant = {name: getattr(settings, name, None) for name in SETTINGS}
    relevant |= {name: getattr(settings, name) for name in dir(settings) if name.startswith("NEWSROOM_RENDITION")}
    digest.update(repr(sorted(relevant.items())).encode())
    return digest.hexdigest()


@receiver(setting_changed)
def _settings_changed(**kwargs):
    fingerprint.cache_clear()


def attribute(kind: str) -> str:
    """Where annotate() leaves an article's stored fragment of kind, and where make() leaves the HTML."""
    return f"{kind}_html"


def annotate(articles: models.QuerySet, *kinds: str) -> models.QuerySet:
    """The articles, each with its valid stored fragment of every kind as <kind>_html (None when there is none)."""
    return articles.annotate(**{attribute(kind): _stored(kind, fingerprint()) for kind in kinds})


def with_stored(*kinds: str) -> models.QuerySet:
    """Article.objects.all() annotated as annotate() does: built once per process (and fingerprint),
    since building the subqueries costs as much as running the query; filter it as any queryset."""
    return _with_stored(kinds, fingerprint())


@functools.lru_cache(maxsize=16)
def _with_stored(kinds: tuple[str, ...], print_: str) -> models.QuerySet:
    return Article.objects.annotate(**{attribute(kind): _stored(kind, print_) for kind in kinds})


def _stored(kind: str, print_: str) -> models.Subquery:
    stored = ArticleFragment.objects.filter(
        article=models.OuterRef("pk"), kind=kind, version=models.OuterRef("fragment_version"), fingerprint=print_
    )
    return models.Subquery(stored.values("html")[:1])


def make(articles, kind: str, fresh: list[ArticleFragment]) -> None:
    """Give each article its fragment of kind as article.<kind>_html: the stored one, else made now.

    What had to be made is added to fresh, for store() once per page. Making one needs
    what the template reads already loaded (section and lead image for cards and
    teasers; figures and keywords too for the main one), so it runs no query.
    """
    name, template = attribute(kind), None
    for article in articles:
        html = getattr(article, name, None)
        if html is None:
            template = template or get_template(TEMPLATES[kind])  # only when needed: 20 µs a lookup
            html = template.render({"article": article, "featured": kind == Kind.FEATURED})
            fresh.append(
                ArticleFragment(
                    article_id=article.pk,
                    kind=kind,
                    version=article.fragment_version,
                    fingerprint=fingerprint(),
                    html=html,
                )
            )
        setattr(article, name, safe(html))


def safe(html: str) -> SafeString:
    """A fragment's HTML, made by our own templates, which escaped everything they were given."""
    return mark_safe(html)  # noqa: S308 (template output, stored as it was rendered)


def store(fresh: list[ArticleFragment]) -> None:
    """Keep fragments for later views, in one statement. A failure costs only a remake next time."""
    if not fresh:
        return
    try:
        # Alone, the statement is its own transaction; inside a caller's, a
        # savepoint keeps a failure from spoiling it (PostgreSQL aborts the lot).
        with contextlib.nullcontext() if transaction.get_autocommit() else transaction.atomic():
            ArticleFragment.objects.bulk_create(
                fresh,
                update_conflicts=True,
                unique_fields=["article", "kind"],
                update_fields=["version", "fingerprint", "html"],
            )
    except DatabaseError as error:  # a locked database, an article deleted meanwhile
        logger.warning("Could not store %d fragments: %s", len(fresh), error)


def forget(articles: models.QuerySet) -> int:
    """Make the stored fragments of these articles unusable: one UPDATE."""
    return Article.objects.filter(pk__in=articles.values("pk")).update(fragment_version=new_fragment_version())


def forget_article(article: Article) -> None:
    """forget() for one article in hand, which keeps its new fragment_version."""
    article.fragment_version = new_fragment_version()
    Article.objects.filter(pk=article.pk).update(fragment_version=article.fragment_version)
