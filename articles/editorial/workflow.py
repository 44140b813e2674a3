"""The editorial workflow: who may move an article between states, and the audit trail.

Draft → in review → published (live, or scheduled when its publish time is in
the future), and back to draft. Writers submit drafts for review; only people
with the "publish" permission (Editors) publish, schedule, unpublish or send an
article back. Every way of saving an article in the admin (the change form, the
bulk actions, a restored revision, the delete view) goes through this module,
so the permission rule, the stale-edit check, the revision and the
ArticleEvent row are written once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from articles.editorial import announcements
from articles.editorial.revisions import reader_fields
from articles.models import Article, ArticleEvent, Author, Image, Keyword, Section

PUBLISH_PERMISSION = "articles.publish_article"
Status = Article.Status
Action = ArticleEvent.Action
User = AbstractBaseUser | AnonymousUser

# What a restored revision brings back. Not the state (restoring an old text
# neither publishes nor unpublishes) and not the slug (the address stays).
RESTORED_FIELDS = ["title", "standfirst", "byline", "body", "lead_caption"]
# What readers see of an article, by form field, as people call it in events.
READER_FIELDS = {
    "title": "headline",
    "slug": "address",
    "standfirst": "standfirst",
    "byline": "byline",
    "body": "body",
    "lead_image": "lead image",
    "lead_caption": "lead caption",
    "section": "section",
    "keywords": "keywords",
    "authors": "authors",
    "author_list": "authors",  # the admin form's name for them (admin/forms.py)
}


class StaleEdit(Exception):
    """The article was saved by someone else after this edit was loaded."""

    def __init__(self, *, version: int, saved_at: datetime.datetime, saved_by: str):
        self.version, self.saved_at, self.saved_by = version, saved_at, saved_by
        super().__init__(f"{saved_by} saved this article (version {version}) at {saved_at:%H:%M}")


@dataclass(frozen=True)
class _Before:
    status: str
    publish_at: datetime.datetime | None
    version: int
    updated_at: datetime.datetime


def may_publish(user: User) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


def last_saved_by(article_pk: int) -> str:
    """Who made the newest revision, as a name to show people."""
    version = Version.objects.get_for_model(Article).filter(object_id=str(article_pk)).order_by("-pk").first()
    user = version.revision.user if version else None
    return display_name(user) if user else "Someone else"


def lock(*, article_pk: int, loaded_version: int | None) -> None:
    """Lock the article's row until the transaction ends; refuse an edit loaded before the last save.

    Called inside the transaction that then saves: on PostgreSQL the row stays
    locked (SELECT ... FOR UPDATE) so a second editor's save waits and then
    sees the new version; SQLite takes its write lock when the transaction
    starts (transaction_mode IMMEDIATE), which serialises saves the same way.
    """
    _locked_before(article_pk, loaded_version)


def _locked_before(article_pk: int, loaded_version: int | None) -> _Before | None:
    row = (
        Article.objects.select_for_update()
        .filter(pk=article_pk)
        .values("status", "publish_at", "version", "updated_at")
        .first()
    )
    if row is None:
        return None
    before = _Before(**row)
    if loaded_version is not None and before.version != loaded_version:
        raise StaleEdit(version=before.version, saved_at=before.updated_at, saved_by=last_saved_by(article_pk))
    return before


def save(
    *,
    article: Article,
    user: User,
    loaded_version: int | None = None,
    comment: str = "",
    recovered: bool = False,
    changed: list[str] | None = None,
) -> list[ArticleEvent]:
    """Save an edited article: refuse stale edits and state changes the user may not make, keep a
    revision, and record what changed state, and what changed while it was published. Returns
    the events written.

    recovered: the article was deleted and is being brought back from its last revision.
    changed: the form fields the edit changed, when known; with none and no change of state,
    nothing is written (no revision, no event, no cache made stale).
    """
    with transaction.atomic(), reversion.create_revision():
        before = _locked_before(article.pk, loaded_version) if article.pk else None
        _check_permission(user, before, article)
        changes = _state_changes(before, article)
        if before is not None and changed is not None and not changed and not changes and not recovered:
            return []
        if before is not None:
            article.version = before.version  # Article.save() bumps it from what is stored
        article.save()
        seen = [READER_FIELDS[name] for name in changed or [] if name in READER_FIELDS]
        if before is not None and before.status == Status.PUBLISHED and seen:
            changes.append((Action.EDITED, "Changed: " + ", ".join(seen)))
        if recovered:
            changes.insert(0, (Action.RESTORED, "Recovered after it was deleted"))
        events = [
            ArticleEvent(
                article=article, article_title=article.title, action=action, user=user_or_none(user), note=note
            )
            for action, note in changes
        ]
        ArticleEvent.objects.bulk_create(events)
        for event in _announcements(before, article, [action for action, _ in changes]):
            announcements.announce(article.pk, event)
        reversion.set_user(user_or_none(user))
        if comment or events:
            reversion.set_comment(comment or "; ".join(event.get_action_display() for event in events))
    return events


def submit(*, article: Article, user: User) -> list[ArticleEvent]:
    """A draft goes to the editors for review."""
    if article.status != Status.DRAFT:
        return []
    article.status = Status.REVIEW
    return save(article=article, user=user)


def send_back(*, article: Article, user: User) -> list[ArticleEvent]:
    """An article in review goes back to its writer as a draft."""
    if article.status != Status.REVIEW:
        return []
    article.status = Status.DRAFT
    return save(article=article, user=user)


def publish(*, article: Article, user: User, at: datetime.datetime | None = None) -> list[ArticleEvent]:
    """Publish now, or schedule for `at` (a future time); an article keeps a publish time it already has."""
    if article.status == Status.PUBLISHED and at is None:
        return []
    article.status = Status.PUBLISHED
    article.publish_at = at or article.publish_at or timezone.now()
    return save(article=article, user=user)


def publish_now(*, article: Article, user: User) -> list[ArticleEvent]:
    """publish(), live at once: a publish time still to come (a date a writer put on a
    draft) becomes now; a past one (an article published before) is kept."""
    now = timezone.now()
    return publish(article=article, user=user, at=now if article.publish_at and article.publish_at > now else None)


def unpublish(*, article: Article, user: User) -> list[ArticleEvent]:
    """Readers stop seeing it; it is a draft again (its publish time is kept for a later republish)."""
    if article.status != Status.PUBLISHED:
        return []
    article.status = Status.DRAFT
    return save(article=article, user=user)


def delete(*, article: Article, user: User) -> ArticleEvent:
    """Delete an article, leaving an event behind (it keeps the title; its link to the article goes)."""
    with transaction.atomic():
        event = ArticleEvent.objects.create(
            article=article,
            article_title=article.title,
            action=Action.DELETED,
            user=user_or_none(user),
            note=f"Was {article.state_label.lower()}; address {article.get_absolute_url()}",
        )
        article.delete()
    return event


@dataclass(frozen=True)
class Applied:
    """What a revision brings back besides the article's own fields."""

    keywords: list[Keyword]
    authors: list[Author]  # in byline order
    missing: list[str]  # what the revision referred to that no longer exists


@dataclass(frozen=True)
class Restored:
    article: Article
    event: ArticleEvent
    missing: list[str]  # what the revision referred to that no longer exists


def restore(*, article: Article, version: Version, user: User) -> Restored:
    """Bring an earlier revision's text, pictures, section, keywords and authors back as a new save.

    The state and address stay as they are. The body goes through Article.save()
    like any edit, so it is sanitised again and the figure rows are derived from it.
    """
    with transaction.atomic():
        applied = apply_revision(article, version)
        when = timezone.localtime(version.revision.date_created)
        note = f"Revision of {when:%d %b %Y %H:%M}"
        with reversion.create_revision():
            save(article=article, user=user, comment=f"Restored the revision of {when:%d %b %Y %H:%M}")
            # Before the revision block closes, so the new revision has them.
            article.keywords.set(applied.keywords)
            article.set_authors([author.pk for author in applied.authors])
        event = ArticleEvent.objects.create(
            article=article, article_title=article.title, action=Action.RESTORED, user=user_or_none(user), note=note
        )
        if article.is_live:
            announcements.announce(article.pk, announcements.UPDATED)
    return Restored(article=article, event=event, missing=applied.missing)


def apply_revision(article: Article, version: Version) -> Applied:
    """Put a revision's text, pictures and section on article, in memory; its keywords and authors,
    and what it referred to that no longer exists."""
    if version.object_id != str(article.pk) or version.content_type.model_class() is not Article:
        raise ValueError("That revision belongs to another article.")
    fields = reader_fields(version)
    missing = []
    for name in RESTORED_FIELDS:
        setattr(article, name, fields.get(name, getattr(article, name)))
    article.lead_image = _existing(Image, fields.get("lead_image_id"), "lead image", missing)
    article.section = _existing(Section, fields.get("section_id"), "section", missing)
    keyword_ids = set(fields.get("keywords", []))
    keywords = list(Keyword.objects.filter(pk__in=keyword_ids))
    if len(keywords) < len(keyword_ids):
        missing.append(f"{len(keyword_ids) - len(keywords)} keyword(s)")
    found = Author.objects.in_bulk(fields["authors"])
    authors = [found[pk] for pk in fields["authors"] if pk in found]
    if len(authors) < len(fields["authors"]):
        missing.append(f"{len(fields['authors']) - len(authors)} author(s)")
    return Applied(keywords=keywords, authors=authors, missing=missing)


def _existing(model, pk, label: str, missing: list[str]):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        missing.append(f"the {label} (deleted since)")
    return found


def _check_permission(user: User, before: _Before | None, article: Article) -> None:
    old_status = before.status if before else None
    new_status = article.status
    if new_status == Status.REVIEW and old_status != Status.REVIEW:
        needed = "articles.change_article" if before else "articles.add_article"
        if not user.has_perm(needed):
            raise PermissionDenied("You may not submit this article for review.")
    publishing = new_status == Status.PUBLISHED or old_status == Status.PUBLISHED
    moved = old_status != new_status or before.publish_at != article.publish_at
    if publishing and moved and not may_publish(user):
        raise PermissionDenied("Only editors can publish, schedule or unpublish articles.")
    if old_status == Status.REVIEW and new_status == Status.DRAFT and not may_publish(user):
        raise PermissionDenied("Only editors can send an article back to draft.")


def _announcements(before: _Before | None, article: Article, actions: list[str]) -> list[str]:
    """What readers will notice of a save (editorial/announcements.py), from the state before and after."""
    was_live = before is not None and before.status == Status.PUBLISHED and before.publish_at <= timezone.now()
    events = []
    if article.is_live and not was_live:
        events.append(announcements.PUBLISHED)
    elif was_live and not article.is_live:
        events.append(announcements.UNPUBLISHED)
    elif article.is_live and Action.EDITED in actions:
        events.append(announcements.UPDATED)
    if Action.SCHEDULED in actions:
        events.append(announcements.SCHEDULED)
    return events


def _state_changes(before: _Before | None, article: Article) -> list[tuple[str, str]]:
    """The events a save makes: (action, note) pairs."""
    old_status, old_at = (before.status, before.publish_at) if before else (None, None)
    new_status, new_at = article.status, article.publish_at
    now = timezone.now()
    changes = []
    if new_status == Status.REVIEW and old_status != Status.REVIEW:
        changes.append((Action.SUBMITTED, ""))
    if old_status == Status.REVIEW and new_status == Status.DRAFT:
        changes.append((Action.RETURNED, ""))
    if old_status == Status.PUBLISHED and new_status != Status.PUBLISHED:
        changes.append((Action.UNPUBLISHED, ""))
    if new_status == Status.PUBLISHED:
        was_live = old_status == Status.PUBLISHED and old_at <= now
        if new_at > now and (old_status != Status.PUBLISHED or old_at != new_at):
            when = timezone.localtime(new_at)
            changes.append((Action.SCHEDULED, f"For {when:%d %b %Y %H:%M %Z}"))
        elif new_at <= now and not was_live:
            changes.append((Action.PUBLISHED, ""))
    return changes


def user_or_none(user: User):
    return user if getattr(user, "pk", None) else None


def display_name(user) -> str:
    """A user as people are shown: full name, else user name."""
    return (user.get_full_name() or user.get_username()) if user else "Someone"
