"""Uploading many pictures at once, each with alt text, without storing one that has none.

Step one checks every file (images/ingest.py process_upload: caps, full
decode, re-encode), reuses pictures already in the library (same checksum) and
parks the new ones in the private "staging" storage (never public media: the
admin shows them to the person describing them), remembered in their session
with the credit and copyright read from their metadata. Step two asks for alt
text (required), credit and copyright for each; only then are Image rows made.
Nothing a browser sends names a staged file: the session holds the names.
Batches left undescribed are cleared after a day (prune_media, stale_staged_files).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from articles.images.decode import read_upload
from articles.images.ingest import ProcessedImage, process_upload, stored_image
from articles.models import Image

SESSION_KEY = "newsroom_staged_images"
STAGING_STORAGE = "staging"  # settings.STORAGES
STAGED_LIFETIME = dt.timedelta(days=1)
# Served to staff by extension only, as serve_media does for public media.
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


def staging_storage():
    return storages[STAGING_STORAGE]


@dataclass
class Staged:
    key: str
    name: str  # in the staging storage
    original_name: str
    checksum: str
    width: int
    height: int
    credit: str
    copyright: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.name.rsplit(".", 1)[-1], "application/octet-stream")


@dataclass
class StageResult:
    staged: list[Staged] = field(default_factory=list)
    reused: list[tuple[str, Image]] = field(default_factory=list)  # (file name, the Image already stored)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def stage(uploads, *, session) -> StageResult:
    """Check each upload; reuse known pictures; park new ones until they are described."""
    discard(session)  # an earlier batch left undescribed goes
    result = StageResult()
    seen = {}
    for upload in uploads:
        try:
            processed = process_upload(read_upload(upload))
        except ValidationError as error:
            result.refused.append((upload.name, " ".join(error.messages)))
            continue
        existing = Image.objects.by_checksum(processed.checksum)
        if existing is not None:
            result.reused.append((upload.name, existing))
            continue
        if processed.checksum in seen:
            result.refused.append((upload.name, f"the same picture as {seen[processed.checksum]}"))
            continue
        seen[processed.checksum] = upload.name
        extension = processed.content.name.rsplit(".", 1)[-1]
        name = staging_storage().save(f"{uuid.uuid4().hex}.{extension}", processed.content)
        result.staged.append(
            Staged(
                key=uuid.uuid4().hex,
                name=name,
                original_name=upload.name[:200],
                checksum=processed.checksum,
                width=processed.width,
                height=processed.height,
                credit=processed.credit,
                copyright=processed.copyright,
            )
        )
    session[SESSION_KEY] = [asdict(item) for item in result.staged]
    return result


def staged(session) -> list[Staged]:
    """The person's parked pictures still in storage (a batch older than a day has been cleared)."""
    storage = staging_storage()
    return [Staged(**item) for item in session.get(SESSION_KEY, []) if storage.exists(item["name"])]


def staged_file(session, key: str):
    """The open file of one of this person's parked pictures, or None: a key names only their own."""
    for item in staged(session):
        if item.key == key:
            return item, staging_storage().open(item.name, "rb")
    return None


def store(session, descriptions: list[dict], *, user) -> list[Image]:
    """Make an Image row for each staged picture from its description (alt text required)."""
    by_key = {item.key: item for item in staged(session)}
    images = []
    for description in descriptions:
        item = by_key.get(description["key"])
        if item is None:
            continue
        if not description["alt_text"].strip():
            raise ValidationError("Every picture needs alt text.")
        # Someone may have stored the same picture since step one.
        image = Image.objects.by_checksum(item.checksum)
        if image is None:
            with staging_storage().open(item.name, "rb") as parked:
                data = parked.read()
            processed = ProcessedImage(
                content=ContentFile(data, name=item.name.rsplit("/", 1)[-1]),
                width=item.width,
                height=item.height,
                checksum=item.checksum,
                credit="",
                copyright="",
            )
            image = stored_image(
                processed,
                alt_text=description["alt_text"],
                credit=description["credit"],
                copyright=description["copyright"],
                uploaded_by=user,
            )[0]
        images.append(image)
    discard(session)
    return images


def discard(session) -> None:
    storage = staging_storage()
    for item in staged(session):
        storage.delete(item.name)
    session.pop(SESSION_KEY, None)


def stale_staged_files(*, older_than: dt.timedelta = STAGED_LIFETIME) -> list[str]:
    """Parked pictures nobody described within older_than: prune_media removes them."""
    storage = staging_storage()
    try:
        names = storage.listdir("")[1]
    except FileNotFoundError:  # nothing was ever staged on this machine
        return []
    cutoff = timezone.now() - older_than
    return sorted(name for name in names if storage.get_modified_time(name) < cutoff)
