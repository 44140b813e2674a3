"""When content changes, what was cached from it goes: stored fragments, the content generation, CDN purges.

Signals on purpose: the admin, the importer, the workflow and scripts all
change content, and none of them should have to remember the caches.

Each change is noted in its transaction's ChangeBatch; after it commits, once
per transaction, the content generation is bumped (caching/generation.py: every
cached page and fragments-cache block made before is stale) and the changed
pages' paths go to the purge backend (caching/purge.py). A rolled-back
transaction changes nothing and purges nothing.

Working out which paths changed costs a query or two per save, so it happens
only when a purge backend is configured; bumping the generation is free.
Bulk writes (bulk_create, QuerySet.update) send no signals: code using them on
articles must call note_change() itself. (The figure rows that Article.save()
bulk-creates are covered by the article's own post_save.)

The articles' stored fragments (caching/fragments.py) are forgotten here too,
in the same transaction as the change: Article.save() renews its own
fragment_version; a picture, a figure's caption, a keyword, an author or a
section renews that of every article that shows it.
"""

from __future__ import annotations

import contextlib
import threading
import weakref

from django.contrib.flatpages.models import FlatPage
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from articles.caching import fragments, generation, purge
from articles.models import Article, ArticleAuthor, ArticleFigure, Author, Correction, Image, Keyword, Section

# Pages that list articles whatever they are about, and those of one keyword or section.
SITE_WIDE_URL_NAMES = (
    "articles:home",
    "articles:corrections",
    "articles:search",
    "articles:feed",
    "articles:feed_atom",
    "articles:sitemap",
    "articles:sitemap_news",
)
KEYWORD_URL_NAMES = ("articles:keyword", "articles:keyword_feed", "articles:keyword_feed_atom")
SECTION_URL_NAMES = ("articles:section", "articles:section_feed", "articles:section_feed_atom")
AUTHOR_URL_NAMES = ("articles:author", "articles:author_feed", "articles:author_feed_atom")
# The pages of one keyword or author, which list its articles and move with its slug.
SUBJECT_URL_NAMES = {Keyword: KEYWORD_URL_NAMES, Author: AUTHOR_URL_NAMES}


class ChangeBatch:
    """What one transaction changed, forgotten once after it commits: one generation bump and one
    purge for the whole transaction, however many saves it made (as Wagtail's PurgeBatch).

    Every noted change schedules its own on-commit callback (so each is dropped exactly when
    the savepoint or transaction it was made in rolls back); all of one transaction's share
    the batch, and the first to run forgets everything noted. The batch holds its callbacks
    only weakly: when the transaction rolls back, Django drops them, and a batch none of whose
    callbacks is waiting any more is never added to again.
    """

    def __init__(self):
        self.paths: set[str] = set()
        self.everything = False
        self.done = False
        self._waiting: weakref.WeakSet[_ForgetAfterCommit] = weakref.WeakSet()

    def note(self, paths, everything: bool) -> None:
        self.paths.update(paths)
        self.everything |= everything
        callback = _ForgetAfterCommit(self)
        self._waiting.add(callback)
        transaction.on_commit(callback, robust=True)

    @property
    def open(self) -> bool:
        """Still collecting: not forgotten yet, and a callback of its transaction is waiting."""
        return not self.done and len(self._waiting) > 0

    def forget(self) -> None:
        if self.done:
            return
        self.done = True
        generation.bump()
        purge.purge(self.paths, everything=self.everything)


class _ForgetAfterCommit:
    def __init__(self, batch: ChangeBatch):
        self.batch = batch

    def __call__(self):
        self.batch.forget()


_batches = threading.local()  # per thread (each has its own database connection): the open batch


def note_change(paths=(), *, everything: bool = False) -> None:
    """Pages changed: forget them after the current transaction commits (now, outside one)."""
    batch = getattr(_batches, "current", None)
    if batch is None or not batch.open:
        batch = _batches.current = ChangeBatch()
    batch.note(paths, everything)


def _paths(names, **kwargs) -> set[str]:
    paths = set()
    for name in names:
        with contextlib.suppress(NoReverseMatch):  # a page this site does not have (any more)
            paths.add(reverse(name, kwargs=kwargs))
    return paths


def keyword_paths(slug: str) -> set[str]:
    return _paths(KEYWORD_URL_NAMES, slug=slug)


def subject_paths(model, slugs) -> set[str]:
    """The pages of the keywords or authors (model) with these slugs."""
    return {path for slug in set(slugs) for path in _paths(SUBJECT_URL_NAMES[model], slug=slug)}


def article_paths(articles) -> set[str]:
    """Every page that shows these articles: their own, and the lists they are on (three queries)."""
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
    pks = [pk for pk, _, _ in rows]
    return paths | subject_paths(Author, Author.objects.filter(articles__in=pks).values_list("slug", flat=True))


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
    if raw or not purge.enabled() or instance.pk is None:
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
    if purge.enabled():
        paths = paths | article_paths(Article.objects.filter(pk=instance.pk))
    note_change(paths)


@receiver(pre_delete, sender=Article)
def _article_before_delete(sender, instance, **kwargs):
    instance._pages_before = article_paths(Article.objects.filter(pk=instance.pk)) if purge.enabled() else set()


@receiver(post_delete, sender=Article)
def _article_deleted(sender, instance, **kwargs):
    note_change(getattr(instance, "_pages_before", set()))


@receiver(m2m_changed, sender=Article.keywords.through)
def _keywords_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Keyword pages gain or lose a card; the article's page lists its keywords."""
    if action == "pre_clear":
        if reverse:  # keyword.articles.clear(): the articles are gone from the table afterwards
            fragments.forget(instance.articles.all())
        if purge.enabled():
            instance._pages_before = _keyword_link_paths(instance, reverse, None)
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # The articles' main fragments list their keywords. (An article created in this same
    # transaction, as the importer says, has none stored for its version yet.)
    if reverse:
        if pk_set:  # keyword.articles.add(...): pk_set holds articles
            fragments.forget(Article.objects.filter(pk__in=pk_set))
    elif not kwargs.get("created_in_this_transaction"):
        fragments.forget_article(instance)
    if not reverse and not _visible(instance.status):
        return  # a draft's keywords: no page shows them (an unpublish notes its pages itself)
    paths = set()
    if purge.enabled():
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


@receiver(m2m_changed, sender=ArticleAuthor)
def _authors_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Author pages gain or lose a card; the article's page names its authors.

    Article.set_authors() sends these (post_remove, post_add) as it replaces the rows.
    """
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # author.articles.add(...): instance is the author, pk_set holds articles
        articles = Article.objects.filter(pk__in=pk_set or ())
        fragments.forget(articles)
        note_change(subject_paths(Author, [instance.slug]) | article_paths(articles) if purge.enabled() else set())
        return
    # (An article created in this same transaction, as the importer says, has none stored for its version yet.)
    if not kwargs.get("created_in_this_transaction"):
        fragments.forget_article(instance)
    if not _visible(instance.status):
        return  # a draft's authors: no page shows them (an unpublish notes its pages itself)
    paths = set()
    if purge.enabled():
        slugs = Author.objects.filter(pk__in=pk_set or ()).values_list("slug", flat=True)
        paths = {instance.get_absolute_url()} | subject_paths(Author, slugs)
    note_change(paths)


@receiver(post_save, sender=ArticleFigure)
def _figure_saved(sender, instance, raw=False, **kwargs):
    """A caption edited in the admin's figure rows: only the article page shows it."""
    if raw:
        return
    fragments.forget(Article.objects.filter(pk=instance.article_id))
    paths = set()
    if purge.enabled():
        slug = Article.objects.filter(pk=instance.article_id).values_list("slug", flat=True).first()
        paths = {reverse("articles:detail", kwargs={"slug": slug})} if slug else set()
    note_change(paths)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def _correction_changed(sender, instance, raw=False, **kwargs):
    """A correction shows under its article's body, in its JSON-LD and on /corrections/."""
    if raw:
        return
    article = Article.objects.filter(pk=instance.article_id)
    fragments.forget(article)
    note_change(article_paths(article) if purge.enabled() else set())


# --- Pictures, keywords, authors, sections ----------------------------------------


@receiver(post_save, sender=Image)
def _image_saved(sender, instance, created, raw=False, **kwargs):
    """A corrected credit or alt text shows on every article using the picture (a new one on none)."""
    if raw or created:
        return
    showing = Article.objects.showing_image(instance)
    fragments.forget(showing)
    note_change(article_paths(showing) if purge.enabled() else set())


@receiver(pre_save, sender=Keyword)
@receiver(pre_save, sender=Author)
def _subject_before_save(sender, instance, raw=False, **kwargs):
    """A renamed keyword's or author's page moves: its old address goes too."""
    instance._pages_before = set()
    if not raw and instance.pk is not None and purge.enabled():
        old_slug = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        if old_slug and old_slug != instance.slug:
            instance._pages_before = subject_paths(sender, [old_slug])


@receiver(post_save, sender=Keyword)
@receiver(post_save, sender=Author)
def _subject_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return  # a new keyword or author is on no article yet
    fragments.forget(instance.articles.all())  # their main fragments name it
    paths = set()
    if purge.enabled():
        paths = instance._pages_before | subject_paths(sender, [instance.slug]) | article_paths(instance.articles.all())
    note_change(paths)


@receiver(pre_delete, sender=Keyword)
@receiver(pre_delete, sender=Author)
def _subject_before_delete(sender, instance, **kwargs):
    fragments.forget(instance.articles.all())  # their main fragments name it
    if purge.enabled():
        instance._pages_before = subject_paths(sender, [instance.slug]) | article_paths(instance.articles.all())


@receiver(post_delete, sender=Keyword)
@receiver(post_delete, sender=Author)
def _subject_deleted(sender, instance, **kwargs):
    note_change(getattr(instance, "_pages_before", set()))


@receiver(pre_delete, sender=Section)
def _section_before_delete(sender, instance, **kwargs):
    fragments.forget(instance.articles.all())  # their cards and headlines name it


@receiver(post_save, sender=Section)
def _section_saved(sender, instance, created, raw=False, **kwargs):
    """Sections are in every page's navigation, and on their articles' cards and headlines."""
    if raw:
        return
    if not created:
        fragments.forget(instance.articles.all())
    note_change(everything=True)


@receiver(post_delete, sender=Section)
def _section_deleted(sender, instance, **kwargs):
    note_change(everything=True)


# --- Footer pages (Django's flatpages) ------------------------------------------------


@receiver(pre_save, sender=FlatPage)
def _site_page_before_save(sender, instance, raw=False, **kwargs):
    """A footer page given a new address: its old one goes too."""
    instance._page_before = None
    if not raw and instance.pk is not None and purge.enabled():
        instance._page_before = sender.objects.filter(pk=instance.pk).first()


@receiver(post_save, sender=FlatPage)
@receiver(post_delete, sender=FlatPage)
def _site_page_changed(sender, instance, raw=False, **kwargs):
    """A footer page shows on its own address and in the sitemap (the footer's links are settings)."""
    if raw:
        return
    paths = set()
    if purge.enabled():
        pages = [instance, getattr(instance, "_page_before", None)]
        paths = {page.get_absolute_url() for page in pages if page is not None}
        paths |= _paths(["articles:sitemap"]) | {reverse("articles:sitemap_section", kwargs={"section": "pages"})}
    note_change(paths)
