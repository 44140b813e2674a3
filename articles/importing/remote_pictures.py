"""Pictures an import left as remote references (hotlinked: an Image row with a source URL and no
file), fetched afterwards from the review page, as a background job, through the same SSRF-guarded
download as `import_legacy --fetch-images` (fetching.py) and the same checks as any upload."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from articles.images.ingest import attach_processed, delete_files, process_upload
from articles.importing.fetching import FetchError, fetch_image
from articles.jobs import enqueue_after_commit, task
from articles.models import Image

logger = logging.getLogger(__name__)


def remote_pictures():
    """Pictures shown from another site's address, not stored here."""
    return Image.objects.filter(file="").filter(
        Q(source_url__startswith="http://") | Q(source_url__startswith="https://")
    )


def fetch_later() -> int:
    """Queue the job that stores every remote picture; returns how many there are now."""
    count = remote_pictures().count()
    if count:
        enqueue_after_commit(fetch_remote_pictures)
    return count


@task
def fetch_remote_pictures() -> dict:
    """Download, verify and store each remote picture on its own row, so that every article showing
    it shows the stored copy (its pages are invalidated as any picture's change). One that cannot be
    fetched or is refused stays a remote reference, listed on the review page as before."""
    outcome = {"stored": 0, "failed": 0}
    for image_id, url in remote_pictures().order_by("pk").values_list("pk", "source_url"):
        try:
            processed = process_upload(fetch_image(url).data)
        except (FetchError, ValidationError) as error:
            logger.warning("remote picture %s (%s) not stored: %s", image_id, url, error)
            outcome["failed"] += 1
            continue
        if Image.objects.by_checksum(processed.checksum) is not None:
            # The same picture is stored already, on another row: this one stays as it is.
            logger.warning("remote picture %s (%s) is already stored as another picture", image_id, url)
            outcome["failed"] += 1
            continue
        with transaction.atomic():
            image = Image.objects.select_for_update().filter(pk=image_id, file="").first()
            if image is None:  # stored or deleted meanwhile
                continue
            attach_processed(image, processed)
            try:
                with transaction.atomic():
                    image.save()
            except Exception:
                delete_files(image)
                raise
        outcome["stored"] += 1
    return outcome
