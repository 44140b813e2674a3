"""The newsroom's records: each legacy import with its report, and who did what to an article."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone


class ImportRunQuerySet(models.QuerySet):
    def with_summary(self):
        """Runs without their report (which lists files, and can be large), annotated with what a
        summary shows: failures (files that failed) and unfinished (stopped before its report)."""
        return self.defer("report").annotate(
            failures=Coalesce(Cast(KT("report__failed"), models.IntegerField()), 0),
            unfinished=models.Case(models.When(report__finished=False, then=True), default=False),
        )

    def stalled(self, *, quiet_since):
        """Admin imports whose job was running but has said nothing since quiet_since: its worker
        died (killed, out of memory, restarted) and the job should run again."""
        return self.filter(state=ImportRun.State.RUNNING, heartbeat_at__lt=quiet_since)

    def claim(self, run_id: int, attempt: int) -> bool:
        """Mark attempt `attempt` of the run's job as running; False when the run is finished or a
        later attempt took it over (this one was given up for dead), and the job should stop."""
        return bool(
            self.filter(pk=run_id, attempt=attempt, state__in=[ImportRun.State.QUEUED, ImportRun.State.RUNNING]).update(
                state=ImportRun.State.RUNNING, heartbeat_at=timezone.now()
            )
        )


class ImportRun(models.Model):
    """One legacy import (command or admin page) and its full report, for review later."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=500, blank=True, default="", help_text="What was imported.")
    dry_run = models.BooleanField(default=False)
    report = models.JSONField(default=dict)

    # An admin import runs as a background job (articles/importing/jobs.py); these say how far it
    # is. The command's runs are DONE from the start: their report says whether they finished.
    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    state = models.CharField(max_length=10, choices=State.choices, default=State.DONE)
    # Which try of the job owns the run: a job given up for dead and run again gets the next
    # number, and an older try that wakes up finds it is no longer the owner and stops.
    attempt = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    options = models.JSONField(default=dict, blank=True, help_text="What the job imports with.")
    # The uploaded files' private folder (NEWSROOM_IMPORT_UPLOADS_DIR), kept after a dry run
    # so that the same files can be imported for real; "" once they are removed.
    folder = models.CharField(max_length=64, blank=True, default="")
    error = models.TextField(blank=True, default="")

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Import of {self.source or 'uploaded files'} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def finished(self) -> bool:
        """False for a run that was stopped (killed) before its report was written."""
        return self.report.get("finished", True)

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

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
        EDITED = "edited", "Changed while published"
        CHANGE_SUBMITTED = "change_submitted", "Change submitted for review"
        CHANGE_PUBLISHED = "change_published", "Change published"
        CHANGE_RETURNED = "change_returned", "Change sent back"
        CORRECTED = "corrected", "Correction or update published"
        CORRECTION_CHANGED = "correction_changed", "Correction or update changed"
        CORRECTION_REMOVED = "correction_removed", "Correction or update removed"
        RESTORED = "restored", "Revision restored"
        DELETED = "deleted", "Deleted"
        IMPORTED = "imported", "Updated by an import"

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
        # An article's last event of a kind (when it was submitted, for the dashboard) is one seek.
        indexes = [models.Index(fields=["article", "action", "-at"], name="event_article_action_idx")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article_title}"


class PendingChangeQuerySet(models.QuerySet):
    def waiting(self):
        """In review: not sent back to its writer."""
        return self.filter(returned_at__isnull=True)

    def proposed_by_user(self, user):
        return self.filter(proposed_by=user)


class PendingChange(models.Model):
    """A change to a published article that waits for an editor. Readers, feeds, search and
    caches keep the published version (the Article row) until an editor publishes it.

    fields holds the proposed values in the shape of a revision's field_dict (title, body,
    lead_image_id, section_id, keywords as ids...), so one diff compares either with the live
    article (editorial/revisions.py).
    """

    article = models.OneToOneField("articles.Article", on_delete=models.CASCADE, related_name="pending_change")
    fields = models.JSONField()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The article's version the change was made on: a publish since then is shown when it is reviewed.
    based_on_version = models.PositiveIntegerField()
    # Set when an editor sends the change back; the writer's next save puts it in review again.
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.CharField(max_length=500, blank=True, default="")

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["proposed_at", "pk"]

    def __str__(self):
        return f"Change to {self.fields.get('title', '')}"

    @property
    def waiting(self) -> bool:
        """In review (not sent back to its writer)."""
        return self.returned_at is None


class ShareLink(models.Model):
    """A link that shows one unpublished article to someone without a login, until it expires or
    an editor revokes it (editorial/share_links.py). Each is recorded and listed on its article."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="share_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Share link {self.pk} to article {self.article_id}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
