"""When content changes, cached pages go: the page cache's generation and the CDN purge.

Signals on purpose: the admin, the importer, the workflow and scripts all
change content, and none of them should have to remember the caches.

Each change is noted on the current transaction; after it commits, once per
transaction, the page cache's content generation is bumped (articles/caching.py)
and the changed pages' paths go to the purge backend (articles/purging.py). A
rolled-back transaction changes nothing and purges nothing.

Working out which paths changed costs a query or two per save, so it happens
only when a purge backend is configured; bumping the generation is free.
Bulk writes (bulk_create, QuerySet.update) send no signals: code using them on
articles must call note_change() itself. (The figure rows that Article.save()
bulk-creates are covered by the article's own post_save.)

The articles' stored drawings (articles/drawings.py) are forgotten here too,
in the same transaction as the change: Article.save() renews its own token;
a picture, a figure's caption or a section's name renews the token of every
article that shows it.
"""

from __future__ import annotations

import contextlib

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from articles.caching import fragments as drawings
from articles.caching import page_cache as caching
from articles.caching import purge as purging
from articles.models import Article, ArticleFigure, Image, Keyword, Section

# Pages that list articles whatever they are about, and those of one keyword or section.
SITE_WIDE_URL_NAMES = (
    "articles:home",
    "articles:search",
    "articles:feed",
    "articles:feed_atom",
    "articles:sitemap",
    "articles:sitemap_news",
)
KEYWORD_URL_NAMES = ("articles:keyword", "articles:keyword_feed", "articles:keyword_feed_atom")
SECTION_URL_NAMES = ("articles:section", "articles:section_feed", "articles:section_feed_atom")


class _Changes:
    """What one transaction changed; forgotten once, by the first of its on-commit callbacks to run."""

    def __init__(self):
        self.paths: set[str] = set()
        self.everything = False
        self.done = False

    def forget(self):
        if self.done:
            return
        self.done = True
        caching.bump_generation()
        purging.purge(self.paths, everything=self.everything)


class _OnCommit:
    """One per noted change, so each is scheduled where it happened; all share one _Changes."""

    def __init__(self, changes: _Changes):
        self.changes = changes

    def __call__(self):
        self.changes.forget()


def note_change(paths=(), *, everything: bool = False) -> None:
    """Pages changed: forget them after the current transaction commits (now, outside one)."""
    connection = transaction.get_connection()
    changes = getattr(connection, "_newsroom_changes", None)
    pending = connection.in_atomic_block and any(
        isinstance(entry[1], _OnCommit) and entry[1].changes is changes for entry in connection.run_on_commit
    )
    # Nothing of this transaction's is waiting (it is new, or an earlier one
    # committed or rolled back): start afresh.
    if changes is None or changes.done or not pending:
        changes = connection._newsroom_changes = _Changes()
    changes.paths.update(paths)
    changes.everything |= everything
    transaction.on_commit(_OnCommit(changes), robust=True)


def _paths(names, **kwargs) -> set[str]:
    paths = set()
    for name in names:
        with contextlib.suppress(NoReverseMatch):  # a page this site does not have (any more)
            paths.add(reverse(name, kwargs=kwargs))
    return paths


def keyword_paths(slug: str) -> set[str]:
    return _paths(KEYWORD_URL_NAMES, slug=slug)


def article_paths(articles) -> set[str]:
    """Every page that shows these articles: their own, and the lists they are on (two queries)."""
    rows = list(articles.values_list("pk", "slug", "section__slug"))
    if not rows:
        return set()
    paths = _paths(SITE_WIDE_URL_NAMES)
    for _, slug, section_slug in rows:
        paths.add(reverse("articles:detail", kwargs={"slug": slug}))
        if section_slug:
            paths |= _paths(SECTION_URL_NAMES, slug=section_slug)
    keywords = Keyword.objects.filter(articles__in=[pk for pk, _, _ in rows]).values_list("slug", flat=True)
    for slug in set(keywords):
        paths |= keyword_paths(slug)
    return paths


def _visible(status) -> bool:
    # Scheduled articles count: they decide when cached pages must expire.
    return status == Article.Status.PUBLISHED


# --- Articles -----------------------------------------------------------------


@receiver(pre_save, sender=Article)
def _article_before_save(sender, instance, raw=False, **kwargs):
    """The pages the article was on before this save (old address, old section), when purging."""
    instance._pages_before = set()
    # Without purging, the old state is not looked up: assume a reader could see it.
    instance._visible_before = instance.pk is not None
    if raw or not purging.enabled() or instance.pk is None:
        return
    old = Article.objects.filter(pk=instance.pk)
    instance._visible_before = _visible(old.values_list("status", flat=True).first())
    if instance._visible_before:
        instance._pages_before = article_paths(old)


@receiver(post_save, sender=Article)
def _article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    visible = getattr(instance, "_visible_before", True) or _visible(instance.status)
    if not visible:
        return  # a draft stayed a draft: no page shows it
    paths = getattr(instance, "_pages_before", set())
    if purging.enabled():
        paths = paths | article_paths(Article.objects.filter(pk=instance.pk))
    note_change(paths)


@receiver(pre_delete, sender=Article)
def _article_before_delete(sender, instance, **kwargs):
    instance._pages_before = article_paths(Article.objects.filter(pk=instance.pk)) if purging.enabled() else set()


@receiver(post_delete, sender=Article)
def _article_deleted(sender, instance, **kwargs):
    note_change(getattr(instance, "_pages_before", set()))


@receiver(m2m_changed, sender=Article.keywords.through)
def _keywords_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Keyword pages gain or lose a card; the article's page lists its keywords."""
    if action == "pre_clear" and purging.enabled():
        instance._pages_before = _keyword_link_paths(instance, reverse, None)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse and not _visible(instance.status):
        return  # a draft's keywords: no page shows them (an unpublish notes its pages itself)
    paths = set()
    if purging.enabled():
        paths = getattr(instance, "_pages_before", set()) if action == "post_clear" else set()
        paths |= _keyword_link_paths(instance, reverse, pk_set)
    note_change(paths)


def _keyword_link_paths(instance, reverse_side: bool, pk_set) -> set[str]:
    if reverse_side:  # keyword.articles.add(...): instance is the keyword
        articles = Article.objects.filter(pk__in=pk_set) if pk_set is not None else instance.articles.all()
        return keyword_paths(instance.slug) | article_paths(articles)
    keywords = Keyword.objects.filter(pk__in=pk_set) if pk_set is not None else instance.keywords.all()
    paths = {instance.get_absolute_url()}
    for slug in keywords.values_list("slug", flat=True):
        paths |= keyword_paths(slug)
    return paths


@receiver(post_save, sender=ArticleFigure)
def _figure_saved(sender, instance, raw=False, **kwargs):
    """A caption edited in the admin's figure rows: only the article page shows it."""
    if raw:
        return
    drawings.forget(Article.objects.filter(pk=instance.article_id))
    paths = set()
    if purging.enabled():
        slug = Article.objects.filter(pk=instance.article_id).values_list("slug", flat=True).first()
        paths = {reverse("articles:detail", kwargs={"slug": slug})} if slug else set()
    note_change(paths)


# --- Pictures, keywords, sections -----------------------------------------------


@receiver(post_save, sender=Image)
def _image_saved(sender, instance, created, raw=False, **kwargs):
    """A corrected credit or alt text shows on every article using the picture (a new one on none)."""
    if raw or created:
        return
    showing = Article.objects.showing_image(instance)
    drawings.forget(showing)
    note_change(article_paths(showing) if purging.enabled() else set())


@receiver(pre_save, sender=Keyword)
def _keyword_before_save(sender, instance, raw=False, **kwargs):
    """A renamed keyword's page moves: its old address goes too."""
    instance._pages_before = set()
    if not raw and instance.pk is not None and purging.enabled():
        old_slug = Keyword.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if old_slug and old_slug != instance.slug:
            instance._pages_before = keyword_paths(old_slug)


@receiver(post_save, sender=Keyword)
def _keyword_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return  # a new keyword is on no article yet
    paths = set()
    if purging.enabled():
        paths = instance._pages_before | keyword_paths(instance.slug) | article_paths(instance.articles.all())
    note_change(paths)


@receiver(pre_delete, sender=Keyword)
def _keyword_before_delete(sender, instance, **kwargs):
    if purging.enabled():
        instance._pages_before = keyword_paths(instance.slug) | article_paths(instance.articles.all())


@receiver(post_delete, sender=Keyword)
def _keyword_deleted(sender, instance, **kwargs):
    note_change(getattr(instance, "_pages_before", set()))


@receiver(pre_delete, sender=Section)
def _section_before_delete(sender, instance, **kwargs):
    drawings.forget(instance.articles.all())  # their cards and headlines name it


@receiver(post_save, sender=Section)
def _section_saved(sender, instance, created, raw=False, **kwargs):
    """Sections are in every page's navigation, and on their articles' cards and headlines."""
    if raw:
        return
    if not created:
        drawings.forget(instance.articles.all())
    note_change(everything=True)


@receiver(post_delete, sender=Section)
def _section_deleted(sender, instance, **kwargs):
    note_change(everything=True)
