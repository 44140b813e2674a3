"""Documents articles link to (PDF and office files): the editor's Link dialog uploads them here.
What is accepted is decided by content (articles/documents/checks.py)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def document_upload_to(instance: Document, filename: str) -> str:
    """A random name nobody can guess or list; the extension is the checked kind's, never the upload's."""
    return f"documents/{secrets.token_urlsafe(18)}.{instance.extension}"


class Document(models.Model):
    title = models.CharField(max_length=300, help_text="What readers are told the link opens.")
    file = models.FileField(upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(max_length=255, blank=True, default="", help_text="As it was uploaded.")
    extension = models.CharField(max_length=8, editable=False)
    content_type = models.CharField(max_length=120, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title or self.original_name

    @property
    def url(self) -> str:
        return self.file.url
