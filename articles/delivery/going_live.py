"""A scheduled article goes live everywhere at its publish time, not when cached copies expire.

Scheduling (editorial/announcements.py "scheduled") queues go_live() to run at the publish
time (run_after). When it runs it checks the article is still due at that time: rescheduled
or unpublished since, it does nothing (the new time has its own job). Then, as for any save:
the content generation is bumped (every cached page and fragment is stale), the pages that
list it are purged from the CDN (caching/invalidation.py), and webhooks hear "published".

On a backend that runs jobs at once (NEWSROOM_TASKS=immediate) nothing is queued: pages still
expire at the publish time (caching/generation.py seconds_to_next_publish()).
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from articles.caching import purge
from articles.caching.invalidation import article_paths, note_change
from articles.delivery import webhooks
from articles.editorial import announcements
from articles.jobs import can_wait, enqueue_at, task
from articles.models import Article

logger = logging.getLogger("newsroom.scheduling")


def schedule(article_id: int) -> bool:
    """Queue the article's go-live for its publish time; whether a job was queued."""
    publish_at = Article.objects.filter(pk=article_id).values_list("publish_at", flat=True).first()
    if publish_at is None or not can_wait(go_live):
        return False
    enqueue_at(go_live, publish_at, article_id, publish_at.isoformat())
    return True


@task()
def go_live(article_id: int, publish_at: str) -> bool:
    """Make the article visible everywhere, if it is still due at publish_at; whether it was."""
    due = datetime.datetime.fromisoformat(publish_at)
    article = Article.objects.filter(pk=article_id).first()
    if article is None or article.status != Article.Status.PUBLISHED or article.publish_at != due:
        return False  # unpublished, deleted or rescheduled since
    if not article.is_live:
        # Run early (a worker's clock ahead of the one that queued it): wait for the time again.
        logger.info("Article %s is not due until %s; waiting.", article_id, timezone.localtime(due))
        enqueue_at(go_live, due, article_id, publish_at)
        return False
    articles = Article.objects.filter(pk=article_id)
    note_change(article_paths(articles) if purge.enabled() else set())
    webhooks.announce.enqueue(article_id, announcements.PUBLISHED, publish_at)  # it happened at its time
    return True
