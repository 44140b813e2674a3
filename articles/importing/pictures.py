"""The pictures of one legacy file: read from the import folder or downloaded before the file's
transaction, stored (checked, re-encoded, with renditions) inside it, and removed again if it rolls back."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import lxml.html
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from articles.content.body import serialize_children
from articles.images.ingest import attach_processed, process_upload
from articles.importing.fetching import FetchError, fetch_image
from articles.importing.options import FileResult, ImportOptions
from articles.models import Image


class Pictures:
    """The pictures of one file: read or downloaded before the transaction, stored inside it."""

    def __init__(self, options: ImportOptions, root: Path, result: FileResult):
        self.options, self.root, self.result = options, root, result
        self.data: dict[str, bytes] = {}
        self.stored_files: list[str] = []
        self.counts: Counter[str] = Counter()

    def gather(self, sources: list[str]) -> None:
        remote, local = [], []
        for src in dict.fromkeys(s for s in sources if s):
            if src.startswith("/") and not src.startswith("//"):
                local.append(src)
            elif src.startswith(("http://", "https://")):
                remote.append(src)
        for src in local:
            self._read_local(src)
        if self.options.fetch_images and remote:
            if self.options.dry_run:
                self.result.warnings.append(f"dry run: {len(remote)} remote image(s) not downloaded")
                return
            already = set(
                Image.objects.filter(source_url__in=remote).exclude(file="").values_list("source_url", flat=True)
            )
            wanted = [src for src in remote if src not in already]
            with ThreadPoolExecutor(max_workers=settings.NEWSROOM_FETCH_WORKERS) as pool:
                for src, outcome in zip(wanted, pool.map(self._download, wanted), strict=True):
                    if isinstance(outcome, bytes):
                        self.data[src] = outcome
                    else:
                        self.result.warnings.append(
                            f"image {src} not downloaded ({outcome}); kept as a remote reference"
                        )

    @staticmethod
    def _download(src: str) -> bytes | str:
        try:
            return fetch_image(src).data
        except FetchError as error:
            return str(error)

    def _read_local(self, src: str) -> None:
        directory = self.options.images_dir
        if directory is None:
            if not self.options.legacy_base_url:
                self.result.warnings.append(
                    f"site-relative image {src} kept as it is (give --images-dir or --legacy-base-url)"
                )
            return
        base = directory.resolve()
        candidate = (base / src.lstrip("/")).resolve()
        if not candidate.is_relative_to(base):
            self.result.warnings.append(f"image {src} is outside --images-dir: refused")
            return
        if not candidate.is_file():
            self.result.warnings.append(f"image {src} not found under --images-dir")
            return
        if candidate.stat().st_size > settings.NEWSROOM_IMAGE_MAX_BYTES:
            self.result.warnings.append(f"image {src} is larger than the upload limit: not stored")
            return
        self.data[src] = candidate.read_bytes()

    def store(self) -> dict[str, Image]:
        """Store gathered pictures (inside the file's transaction): src -> its Image."""
        stored = {}
        for src, data in self.data.items():
            try:
                processed = process_upload(data)
            except ValidationError as error:
                self.result.warnings.append(f"image {src} refused: {' '.join(error.messages)}")
                continue
            if self.options.dry_run:
                self.counts["images that would be stored"] += 1
                continue
            image = Image.objects.by_checksum(processed.checksum)
            if image is None:
                image = Image(source_url=self._absolute(src))
                attach_processed(image, processed)
                self.stored_files += [image.file.name, *image.renditions.values()]
                image.save()
                self.counts["images stored"] += 1
            else:
                self.counts["images already stored, reused"] += 1
            stored[src] = image
        return stored

    def _absolute(self, src: str) -> str:
        base = self.options.legacy_base_url
        return base.rstrip("/") + src if base and src.startswith("/") else src

    def discard(self) -> None:
        """After a rollback: remove files whose rows no longer exist."""
        for name in self.stored_files:
            default_storage.delete(name)


def rewrite_sources(html: str, stored: dict[str, Image]) -> str:
    """Point pictures that are now stored at their stored copy."""
    if not stored or not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for img in root.iter("img"):
        image = stored.get(img.get("src"))
        if image is not None:
            img.set("src", image.url)
    return serialize_children(root)
