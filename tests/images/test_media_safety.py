"""Media files are whole or absent, one row per stored picture, and files no row refers to can be
listed and removed."""

import datetime as dt
import errno
import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from articles.images.ingest import process_upload, stored_image
from articles.images.orphans import orphaned_files
from articles.images.storage import PARTIAL_PREFIX, WholeFileStorage
from articles.models import Image
from tests.factories import image_bytes, make_image

pytestmark = pytest.mark.django_db


def files_under(root) -> list[str]:
    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


class DiskFullAfterOneChunk(File):
    """A file whose second chunk cannot be written: what a full disk does half-way."""

    def __init__(self):
        super().__init__(io.BytesIO(b"x" * 10), name="picture.jpg")

    def chunks(self, chunk_size=None):
        yield b"first half of the picture"
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_the_default_storage_writes_whole_files():
    assert isinstance(default_storage, WholeFileStorage)


def test_a_write_that_fails_half_way_leaves_no_file(settings):
    with pytest.raises(OSError, match="No space left"):
        default_storage.save("images/2026/12/picture.jpg", DiskFullAfterOneChunk())

    assert files_under(settings.MEDIA_ROOT) == []  # neither the picture's name nor a partial file


def test_a_whole_write_lands_under_its_name_with_the_usual_permissions(settings):
    settings.FILE_UPLOAD_PERMISSIONS = 0o644
    name = default_storage.save("images/a.txt", ContentFile(b"whole"))
    again = default_storage.save("images/a.txt", ContentFile(b"second"))

    assert again != name  # never overwritten
    assert files_under(settings.MEDIA_ROOT) == sorted([name, again])
    assert default_storage.open(name).read() == b"whole"
    assert os.stat(default_storage.path(name)).st_mode & 0o777 == 0o644


def test_the_checksum_is_unique_among_stored_pictures():
    image = make_image()
    with pytest.raises(IntegrityError), transaction.atomic():
        Image.objects.create(source_url="https://example.org/a.jpg", checksum=image.checksum)
    Image.objects.create(source_url="https://example.org/b.jpg")  # remote-only rows have none
    Image.objects.create(source_url="https://example.org/c.jpg")


def test_storing_a_picture_another_process_stored_meanwhile_takes_its_row(settings, monkeypatch):
    """The race of two imports: both look the checksum up, find nothing, and store."""
    processed = process_upload(image_bytes(color="crimson"))
    theirs = stored_image(processed, alt_text="theirs")[0]
    theirs_files = files_under(settings.MEDIA_ROOT)
    monkeypatch.setattr(type(Image.objects), "by_checksum", _missed_once(type(Image.objects).by_checksum))

    mine, created = stored_image(process_upload(image_bytes(color="crimson")), alt_text="mine")

    assert (mine.pk, created) == (theirs.pk, False)
    assert Image.objects.count() == 1
    assert files_under(settings.MEDIA_ROOT) == theirs_files  # what the loser wrote is gone


def _missed_once(by_checksum):
    calls = []

    def lookup(self, checksum):
        calls.append(checksum)
        return None if len(calls) == 1 else by_checksum(self, checksum)

    return lookup


def age(name: str, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(default_storage.path(name), (then, then))


def test_orphaned_files_are_those_no_row_refers_to_and_old_enough(settings):
    image = make_image()
    kept = [image.file.name, *image.renditions.values()]
    stray = default_storage.save("images/2026/12/stray.jpg", ContentFile(b"left by a killed import"))
    partial = default_storage.save(f"images/2026/12/{PARTIAL_PREFIX}abc", ContentFile(b"half"))
    young = default_storage.save("staging/being-described.jpg", ContentFile(b"still in a session"))
    for name in [*kept, stray, partial]:
        age(name, 48)
    age(young, 1)

    assert orphaned_files(default_storage, older_than=dt.timedelta(hours=24)) == sorted([stray, partial])
    assert set(orphaned_files(default_storage, older_than=dt.timedelta(0))) == {stray, partial, young}


def test_prune_media_lists_then_removes_only_orphans(settings):
    image = make_image()
    stray = default_storage.save("images/stray.jpg", ContentFile(b"x"))
    for name in [image.file.name, *image.renditions.values(), stray]:
        age(name, 30)

    listed = io.StringIO()
    call_command("prune_media", stdout=listed)
    assert f"orphan  {stray}" in listed.getvalue() and "1 file(s)" in listed.getvalue()
    assert default_storage.exists(stray)

    call_command("prune_media", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(stray)
    assert all(default_storage.exists(name) for name in [image.file.name, *image.renditions.values()])

    with pytest.raises(CommandError, match="0 or more"):
        call_command("prune_media", "--older-than", "-1")
