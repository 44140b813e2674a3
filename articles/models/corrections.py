"""Corrections and updates an editor publishes with a change to an article, shown to readers under
its body, in its JSON-LD and on /corrections/ (papers publish their corrections)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class CorrectionQuerySet(models.QuerySet):
    def on_live_articles(self):
        """Those of articles readers can see now."""
        return self.filter(
            article__status="published", article__publish_at__lte=timezone.now(), published_at__lte=timezone.now()
        )


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    note = models.TextField(max_length=1000, help_text="What was wrong and what is right now, in a sentence or two.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["correction", "update"]), name="correction_kind_valid")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.note[:80]}"
