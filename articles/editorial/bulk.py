"""Changing the section and keywords of many articles at once (the article list's bulk action).

Each changed article is saved as any admin edit is (workflow.save(): its row locked, a revision,
an "edited" event when it is published). What a single edit would not let through is refused
here too: someone who may not publish never changes a published article (their changes wait
for an editor, editorial/pending.py), and an article with a change waiting for review is left
alone, or publishing that change would silently undo this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import reversion
from django.db import transaction

from articles.editorial import pending, workflow
from articles.models import Article, Keyword, PendingChange, Section


@dataclass
class BulkResult:
    changed: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    refused: list[tuple[Article, str]] = field(default_factory=list)


LIVE_REFUSED = "published: only an editor changes it directly (open it to propose a change)"
PENDING_REFUSED = "a change to it is waiting for review: publish or send back that change first"


def change_section_and_keywords(
    *,
    article_ids,
    user,
    section: Section | None = None,
    add_keywords: list[Keyword] = (),
    remove_keywords: list[Keyword] = (),
) -> BulkResult:
    """Give these articles section (None: leave it), add and remove keywords; one revision per
    changed article. article_ids: what the user may see of the list (the admin's queryset)."""
    result = BulkResult()
    add_ids = {keyword.pk for keyword in add_keywords}
    remove_ids = {keyword.pk for keyword in remove_keywords} - add_ids
    waiting = set(PendingChange.objects.filter(article_id__in=article_ids).values_list("article_id", flat=True))
    # Read plainly, not from the list's queryset: its prefetched authors would go into the revision.
    for article in Article.objects.filter(pk__in=article_ids).order_by("pk"):
        if pending.needs_review(article.pk, user):
            result.refused.append((article, LIVE_REFUSED))
            continue
        if article.pk in waiting:
            result.refused.append((article, PENDING_REFUSED))
            continue
        old_keywords = set(article.keywords.values_list("pk", flat=True))
        new_keywords = (old_keywords | add_ids) - remove_ids
        changed = []
        if section is not None and article.section_id != section.pk:
            article.section = section
            changed.append("section")
        if new_keywords != old_keywords:
            changed.append("keywords")
        if not changed:
            result.unchanged.append(article)
            continue
        with transaction.atomic(), reversion.create_revision():
            workflow.save(
                article=article, user=user, changed=changed, comment="Changed from the list: " + ", ".join(changed)
            )
            # Inside the revision block, so the revision has them.
            article.keywords.set(new_keywords)
        result.changed.append(article)
    return result
