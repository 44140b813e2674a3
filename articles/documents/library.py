"""Storing a document: checked by content (checks.py), stored under a random name with the checked
kind's extension, the uploaded name kept only as a label."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile

from articles.documents.checks import check_size, document_kind
from articles.models import Document


def store_document(*, upload, user=None, title: str = "") -> Document:
    """A Document for an uploaded file; ValidationError (nothing stored) when it is refused."""
    check_size(upload.size)
    upload.seek(0)
    data = upload.read(settings.NEWSROOM_DOCUMENT_MAX_BYTES + 1)
    kind = document_kind(data)
    original = PurePath((upload.name or "").replace("\\", "/")).name[:255]
    document = Document(
        title=(title or PurePath(original).stem or kind.label)[:300],
        original_name=original,
        extension=kind.extension,
        content_type=kind.content_type,
        size=len(data),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    document.file.save(f"upload.{kind.extension}", ContentFile(data), save=False)
    document.save()
    return document
