"""Corrections and updates: published with a change by an editor, shown to readers, never edited
away silently (every change or removal of one is an event on its article)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from articles.editorial import announcements, workflow
from articles.models import Article, ArticleEvent, Correction

Action = ArticleEvent.Action


def publish(*, article: Article, kind: str, note: str, user) -> ArticleEvent:
    """A correction or update of article, shown from now on; its modified time moves with it."""
    return publish_new(Correction(article=article, kind=kind, note=note.strip()), user=user)


def publish_new(correction: Correction, *, user) -> ArticleEvent:
    """Save a new correction (made in a form) and record it."""
    if not workflow.may_publish(user):
        raise PermissionDenied("Only editors can publish a correction or an update.")
    with transaction.atomic():
        correction.created_by = workflow.user_or_none(user)
        correction.save()
        # Readers see a changed article: dateModified, feeds and sitemaps say so.
        Article.objects.filter(pk=correction.article_id, updated_at__lt=correction.published_at).update(
            updated_at=correction.published_at
        )
        announcements.announce(correction.article_id, announcements.CORRECTED)
        return _event(correction, Action.CORRECTED, user, f"{correction.get_kind_display()}: {correction.note}")


def record_change(*, correction: Correction, before: Correction, user) -> ArticleEvent | None:
    """After an edit of a correction: the event says what it said before."""
    if (before.kind, before.note, before.published_at) == (correction.kind, correction.note, correction.published_at):
        return None
    when = timezone.localtime(before.published_at)
    was = f"Was {before.get_kind_display().lower()} of {when:%d %b %Y %H:%M}: {before.note}"
    return _event(correction, Action.CORRECTION_CHANGED, user, was)


def record_removal(*, correction: Correction, user) -> ArticleEvent:
    when = timezone.localtime(correction.published_at)
    note = f"Removed {correction.get_kind_display().lower()} of {when:%d %b %Y %H:%M}: {correction.note}"
    return _event(correction, Action.CORRECTION_REMOVED, user, note)


def _event(correction: Correction, action: str, user, note: str) -> ArticleEvent:
    title = Article.objects.values_list("title", flat=True).get(pk=correction.article_id)
    return ArticleEvent.objects.create(
        article_id=correction.article_id,
        article_title=title,
        action=action,
        user=workflow.user_or_none(user),
        note=note[:500],
    )
