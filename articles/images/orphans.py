"""Media files no row refers to: what a failed write, a killed process or an abandoned
upload can leave in storage (prune_media lists and removes them).

Young files are never counted: one may belong to a transaction that has not
committed yet, or to a batch of pictures someone is still describing.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage
from django.db import models
from django.utils import timezone

from articles.models import Image


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file in storage under folder, walked with the storage API (local disk or a bucket)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # local media before the first upload
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for child in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, child) if folder else child)


def referenced_names() -> set[str]:
    """The names every file field of every model holds, and every rendition of a picture."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                names.update(rows.iterator())
    for renditions in Image.objects.exclude(renditions={}).values_list("renditions", flat=True).iterator():
        names.update(renditions.values())
    return names


def orphaned_files(storage: Storage, *, older_than: dt.timedelta) -> list[str]:
    """Files in storage, written more than older_than ago, that no row refers to."""
    cutoff = timezone.now() - older_than
    # Listed before the rows are read: a file whose row commits in between is then referenced.
    candidates = [name for name in stored_names(storage) if storage.get_modified_time(name) < cutoff]
    referenced = referenced_names()
    return [name for name in candidates if name not in referenced]
