"""Changes to published articles that wait for an editor (Wagtail's live and latest revisions).

A published article (live or scheduled) is what readers, feeds, sitemaps, the
API, search and the caches serve. Someone who may not publish never changes it:
their save becomes the article's one PendingChange, which goes to review. An
editor previews it, compares it with the published version field by field, and
publishes it or sends it back with a note. Every step writes an ArticleEvent;
publishing writes a revision too (through workflow.save()).
"""

from __future__ import annotations

from typing import NamedTuple

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.editorial import announcements, workflow
from articles.models import Article, ArticleEvent, Author, Image, Keyword, PendingChange, Section

Action = ArticleEvent.Action
TEXT_FIELDS = ["title", "slug", "standfirst", "byline", "body", "lead_caption"]
RELATED_FIELDS = {"lead_image_id": Image, "section_id": Section}


class Related(NamedTuple):
    """A change's many-to-many values, set after the article is saved: keyword ids, author ids in order."""

    keyword_ids: list[int]
    author_ids: list[int]


def needs_review(article_pk: int | None, user) -> bool:
    """Whether user's save of this article must wait for an editor: it is published, and
    they may not publish."""
    if article_pk is None or workflow.may_publish(user):
        return False
    return Article.objects.filter(pk=article_pk, status=Article.Status.PUBLISHED).exists()


def change_fields(article: Article, keyword_ids, author_ids) -> dict:
    """What a reader sees of article (with these keywords and authors), as revisions.reader_fields() has it."""
    fields = {name: getattr(article, name) for name in TEXT_FIELDS}
    fields |= {name: getattr(article, name) for name in RELATED_FIELDS}
    fields["keywords"] = sorted(keyword_ids)
    fields["authors"] = list(author_ids)  # in byline order
    return fields


def live_fields(article_pk: int) -> dict:
    live = Article.objects.get(pk=article_pk)
    authors = live.author_links.values_list("author_id", flat=True)
    return change_fields(live, live.keywords.values_list("pk", flat=True), authors)


def changed_names(old: dict, new: dict) -> list[str]:
    """The reader-visible fields that differ between two field dicts, as people call them."""
    names = [*TEXT_FIELDS, *RELATED_FIELDS, "keywords", "authors"]
    differ = {name.removesuffix("_id") for name in names if old.get(name) != new.get(name)}
    return [label for field, label in workflow.READER_FIELDS.items() if field in differ]


def propose(
    *, article: Article, keyword_ids, author_ids=None, user, loaded_version: int | None = None
) -> list[ArticleEvent]:
    """Keep article's unsaved values (as edited in a form) as its pending change, and send it to
    review; the published article is not touched. Back to the published version, the change
    is dropped. Nothing changed since the last proposal: nothing is written.
    author_ids: in byline order; None keeps the published authors."""
    with transaction.atomic():
        workflow.lock(article_pk=article.pk, loaded_version=loaded_version)
        live = live_fields(article.pk)
        proposed = change_fields(article, keyword_ids, live["authors"] if author_ids is None else author_ids)
        pending = PendingChange.objects.filter(article_id=article.pk).first()
        if pending is not None and pending.fields == proposed and pending.waiting:
            return []
        if not changed_names(live, proposed):
            if pending is not None:
                pending.delete()
            return []
        values = {
            "fields": proposed,
            "proposed_by": workflow.user_or_none(user),
            "proposed_at": timezone.now(),
            "based_on_version": Article.objects.values_list("version", flat=True).get(pk=article.pk),
            "returned_at": None,
            "returned_note": "",
        }
        PendingChange.objects.update_or_create(article_id=article.pk, defaults=values)
        note = "Changed: " + ", ".join(changed_names(live, proposed))
        return [_event(article.pk, live["title"], Action.CHANGE_SUBMITTED, user, note)]


def publish(*, article: Article, user) -> list[ArticleEvent]:
    """An editor publishes the article's pending change: readers see it, a revision and an event say so."""
    if not workflow.may_publish(user):
        raise PermissionDenied("Only editors can publish a change to a published article.")
    with transaction.atomic(), reversion.create_revision():
        pending = PendingChange.objects.select_for_update().filter(article_id=article.pk).first()
        if pending is None:
            return []
        live = live_fields(article.pk)
        related = _apply(article, pending.fields)
        who = workflow.display_name(pending.proposed_by)
        workflow.save(article=article, user=user, comment=f"Published the change by {who}")
        # Inside the revision block, so the revision has them.
        article.keywords.set(related.keyword_ids)
        article.set_authors(related.author_ids)
        pending.delete()
        if article.is_live:
            announcements.announce(article.pk, announcements.UPDATED)
        note = f"Proposed by {who}; changed: " + ", ".join(changed_names(live, pending.fields))
        return [_event(article.pk, article.title, Action.CHANGE_PUBLISHED, user, note)]


def send_back(*, article: Article, user, note: str) -> list[ArticleEvent]:
    """An editor returns the pending change to its writer with a note; readers see nothing of it."""
    if not workflow.may_publish(user):
        raise PermissionDenied("Only editors can send a change back.")
    with transaction.atomic():
        updated = PendingChange.objects.filter(article_id=article.pk, returned_at=None).update(
            returned_at=timezone.now(), returned_note=note[:500]
        )
        if not updated:
            return []
        return [_event(article.pk, article.title, Action.CHANGE_RETURNED, user, note[:500])]


def drop_after_editor_save(*, article: Article, user) -> list[ArticleEvent]:
    """An editor saved the article from a form that showed its pending change: the change is
    published with that save, so it is no longer pending."""
    pending = PendingChange.objects.filter(article_id=article.pk).first()
    if pending is None:
        return []
    who = workflow.display_name(pending.proposed_by)
    pending.delete()
    return [_event(article.pk, article.title, Action.CHANGE_PUBLISHED, user, f"Proposed by {who}; saved by an editor")]


def show_pending(article: Article, pending: PendingChange) -> Related:
    """Put the pending change's values on article (in memory, for a form); its keyword and author ids."""
    return _apply(article, pending.fields)


def preview(request, article_pk: int, render) -> TemplateResponse:
    """The article page as it will look once the pending change is published: the change is
    applied in a transaction that is rolled back once the page is drawn."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_pk)
        pending = PendingChange.objects.get(article_id=article_pk)
        related = _apply(article, pending.fields)
        article.save()
        article.keywords.set(related.keyword_ids)
        article.set_authors(related.author_ids)
        response = render(request, {"pk": article_pk}, preview=True)
        response.render()
        transaction.set_rollback(True)
    return response


def _apply(article: Article, fields: dict) -> Related:
    for name in TEXT_FIELDS:
        setattr(article, name, fields.get(name, getattr(article, name)))
    for name, model in RELATED_FIELDS.items():
        pk = fields.get(name)
        # Deleted since the change was made: the published value stays.
        if pk is None or model.objects.filter(pk=pk).exists():
            setattr(article, name, pk)
    keyword_ids = list(Keyword.objects.filter(pk__in=fields.get("keywords", [])).values_list("pk", flat=True))
    if "authors" not in fields:  # a change proposed before articles had authors
        return Related(keyword_ids, list(article.author_links.values_list("author_id", flat=True)))
    existing = set(Author.objects.filter(pk__in=fields["authors"]).values_list("pk", flat=True))
    return Related(keyword_ids, [pk for pk in fields["authors"] if pk in existing])


def _event(article_pk: int, title: str, action: str, user, note: str) -> ArticleEvent:
    return ArticleEvent.objects.create(
        article_id=article_pk, article_title=title, action=action, user=workflow.user_or_none(user), note=note
    )
