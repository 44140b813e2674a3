"""Editorial announcements (editorial/announcements.py) turned into jobs. Connected in ArticlesConfig.ready()."""

from __future__ import annotations

from django.dispatch import receiver
from django.utils import timezone

from articles.delivery import going_live, webhooks
from articles.editorial import announcements
from articles.models import Webhook


@receiver(announcements.article_announced)
def _announced(sender, article_id: int, event: str, **kwargs):
    if event == announcements.SCHEDULED:
        going_live.schedule(article_id)
    elif Webhook.objects.filter(active=True).exists():  # most sites have none: no job per save
        webhooks.announce.enqueue(article_id, event, timezone.now().isoformat())
