"""The newsroom's records: each legacy import with its report, and who did what to an article."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportRun(models.Model):
    """One legacy import (command or admin page) and its full report, for review later."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=500, blank=True, default="", help_text="What was imported.")
    dry_run = models.BooleanField(default=False)
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import of {self.source or 'uploaded files'} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        """False for a run that was stopped (killed) before its report was written."""
        return self.report.get("finished", True)

    @property
    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.report.items() if isinstance(v, int) and not isinstance(v, bool)}


class ArticleEvent(models.Model):
    """Who did what to an article and when: the newsroom's audit trail."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Sent back to draft"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        RESTORED = "restored", "Revision restored"
        DELETED = "deleted", "Deleted"

    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # Kept as text so the trail survives the article's deletion.
    article_title = models.CharField(max_length=300)
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"
