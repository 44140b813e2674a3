"""Stored drawings: the HTML of an article's cards, its teaser, and its headline, lead picture and body.

Busy pages draw the same articles over and over: a card on every list page,
a teaser under related articles, the article itself on its page. Each is drawn
by its template on the first view after a change and stored as an
ArticleDrawing, which later views read in the same query that fetches the
article (a subquery), so a page runs the same number of queries as before
and one more write only when something had to be drawn.

A drawing is used only while
- its token is the article's drawing_token, which every change to what a
  drawing shows renews: Article.save() for the article itself, and
  articles/signals.py for a picture, a figure's caption or a section's name;
  a reader who drew from older data stored an older token, so a race can
  only ever make a drawing unused, never wrong;
- its fingerprint is that of the templates, code and settings that draw it,
  so a deploy that changes the markup or the media address redraws all.
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
from django.utils.safestring import mark_safe

from articles.models import Article, ArticleDrawing, new_drawing_token

logger = logging.getLogger(__name__)

Kind = ArticleDrawing.Kind
TEMPLATES = {
    Kind.MAIN: "articles/_article_main.html",
    Kind.CARD: "includes/card.html",
    Kind.FEATURED: "includes/featured_card.html",
    Kind.TEASER: "includes/teaser.html",
}
# Python that writes markup into drawings besides the templates, by module name (moving a file keeps its hash).
_DRAWING_CODE = ("articles.images.html", "articles.templatetags.articles_tags", "articles.caching.fragments")
# Settings that change what a drawing says (addresses of pictures, dates, sizes).
_DRAWING_SETTINGS = ("MEDIA_URL", "STORAGES", "AWS_S3_CUSTOM_DOMAIN", "TIME_ZONE", "USE_TZ", "LANGUAGE_CODE")


@functools.cache
def fingerprint() -> str:
    """What the drawings drawn by this process depend on, as a short hash."""
    digest = hashlib.blake2b(digest_size=16)
    for kind in Kind:
        digest.update(get_template(TEMPLATES[kind]).template.source.encode())
    for name in _DRAWING_CODE:
        digest.update(Path(importlib.util.find_spec(name).origin).read_bytes())
    relevant = {name: getattr(settings, name, None) for name in _DRAWING_SETTINGS}
    relevant |= {name: getattr(settings, name) for name in dir(settings) if name.startswith("NEWSROOM_RENDITION")}
    digest.update(repr(sorted(relevant.items())).encode())
    return digest.hexdigest()


@receiver(setting_changed)
def _settings_changed(**kwargs):
    fingerprint.cache_clear()


def stored(kind: str, print_: str | None = None) -> models.Subquery:
    """A subquery for a queryset's annotate(): the article's valid stored drawing of kind, or NULL.

    print_: the fingerprint to match (a prepared query's parameter); the current one by default.
    """
    drawings = ArticleDrawing.objects.filter(
        article=models.OuterRef("pk"),
        kind=kind,
        token=models.OuterRef("drawing_token"),
        fingerprint=print_ if print_ is not None else fingerprint(),
    )
    return models.Subquery(drawings.values("html")[:1])


def annotate(queryset, kind: str, print_: str | None = None):
    """queryset (of articles) with each article's valid stored drawing of kind as <kind>_html, or None."""
    return queryset.annotate(**{attribute(kind): stored(kind, print_)})


def attribute(kind: str) -> str:
    """Where a queryset annotated with stored(kind) keeps it, and where draw() leaves the HTML."""
    return f"{kind}_html"


def draw(articles, kind: str, fresh: list[ArticleDrawing]) -> None:
    """Give each article its drawing of kind as article.<kind>_html: the stored one, else drawn now.

    What had to be drawn is added to fresh, for store() once per page.
    Articles from a queryset without the stored(kind) annotation are all drawn.
    Drawing needs what the template reads already loaded (section and lead
    image for cards and teasers; figures too for the main one), so it runs no query.
    """
    name, template = attribute(kind), None
    for article in articles:
        html = getattr(article, name, None)
        if html is None:
            template = template or get_template(TEMPLATES[kind])  # only when needed: 20 µs a lookup
            html = template.render({"article": article})
            fresh.append(
                ArticleDrawing(
                    article_id=article.pk, kind=kind, token=article.drawing_token, fingerprint=fingerprint(), html=html
                )
            )
        # Drawn by our own templates, which escaped everything they were given.
        setattr(article, name, mark_safe(html))  # noqa: S308


def store(fresh: list[ArticleDrawing]) -> None:
    """Keep drawings for later views, in one statement. A failure costs only a redraw next time."""
    if not fresh:
        return
    connection = transaction.get_connection()
    try:
        # Alone, the statement is its own transaction; inside a caller's, a
        # savepoint keeps a failure from spoiling it (PostgreSQL aborts the lot).
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            ArticleDrawing.objects.bulk_create(
                fresh,
                update_conflicts=True,
                unique_fields=["article", "kind"],
                update_fields=["token", "fingerprint", "html"],
            )
    except DatabaseError as error:  # a locked database, an article deleted meanwhile
        logger.warning("Could not store %d drawings: %s", len(fresh), error)


def forget(articles) -> int:
    """Make the stored drawings of these articles (a queryset) unusable: one UPDATE."""
    return Article.objects.filter(pk__in=articles.values("pk")).update(drawing_token=new_drawing_token())
