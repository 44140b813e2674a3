"""Outgoing webhooks: addresses outside Newsroom told when a story is published, updated,
unpublished or corrected, and the log of every delivery (articles/delivery/webhooks.py sends them)."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class WebhookQuerySet(models.QuerySet):
    def listening_to(self, event: str):
        """Active webhooks subscribed to event (filtered in Python: a JSON list's "contains"
        is not portable to SQLite, and there are a handful of webhooks, not thousands)."""
        return [hook for hook in self.filter(active=True) if event in hook.events]


class Webhook(models.Model):
    class Event(models.TextChoices):
        PUBLISHED = "published", "Published (live for readers)"
        UPDATED = "updated", "Updated while live"
        UNPUBLISHED = "unpublished", "Unpublished"
        CORRECTED = "corrected", "Correction or update published"

    name = models.CharField(max_length=100, help_text="Who receives it, for people reading the log.")
    url = models.URLField(
        "URL", max_length=500, help_text="Receives an HTTP POST with a JSON body. Public addresses only."
    )
    events = models.JSONField(default=list, help_text="Which events are sent.")
    secret = models.CharField(
        max_length=200,
        default=new_secret,
        help_text="Signs every delivery (HMAC-SHA256, header X-Newsroom-Signature). Give it to the receiver.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event sent to one webhook: the body as first sent (a retry sends the same bytes) and how it went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        RETRYING = "retrying", "Failed, will retry"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, gave up"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20, choices=Webhook.Event.choices)
    article = models.ForeignKey("articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept as text so the log still says what it was about after the article is deleted.
    article_title = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField(help_text="The JSON sent, exactly as signed.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, default="", help_text="Why the last attempt failed.")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.get_event_display()} → {self.webhook}"

    @property
    def done(self) -> bool:
        return self.status in (self.Status.DELIVERED, self.Status.FAILED)
