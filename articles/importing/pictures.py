"""The pictures of one legacy file: read from the import folder or downloaded before the file's
transaction, stored (checked, re-encoded, with renditions) inside it, and removed again if it rolls back."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError

from articles.content.body import parse_fragment, serialize_children
from articles.images.ingest import delete_files, process_upload, stored_image
from articles.images.renditions import generate_renditions
from articles.importing.fetching import FetchError, fetch_image
from articles.importing.options import FileResult, ImportOptions
from articles.importing.pictures_meta import PictureFacts
from articles.models import Image


class Pictures:
    """The pictures of one file: read or downloaded before the transaction, stored inside it.

    A site-relative src (/img/a.png) is looked for in --images-dir, else in the import folder
    and in the site's folders generators serve pictures from (static/, source/, public/), with
    and without the site's base path; a post-relative one (./a.png, a page bundle's) beside
    the post first. Nothing is read from outside those folders."""

    def __init__(
        self, options: ImportOptions, root: Path, result: FileResult, *, post: PurePosixPath | None = None, site=None
    ):
        self.options, self.root, self.result = options, root, result
        self.post_dir = post.parent.as_posix() if post else ""
        self.site = site
        self.data: dict[str, bytes] = {}
        self.found_at: dict[str, str] = {}  # src -> the path it was read from, as its source_url
        self.stored_files: list[Image] = []  # made by this file's transaction
        self.counts: Counter[str] = Counter()

    def gather(self, sources: list[str]) -> None:
        remote, local = [], []
        for src in dict.fromkeys(s for s in sources if s):
            if src.startswith(("http://", "https://")):
                remote.append(src)
            elif is_local(src):
                local.append(src)
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
        path = unquote(src.split("?", 1)[0].split("#", 1)[0])
        found, outside = None, False
        for base, name in self._candidates(path):
            candidate = (base / name).resolve()
            outside = outside or not candidate.is_relative_to(base)
            if candidate.is_relative_to(base) and candidate.is_file():
                found = (base, candidate)
                break
        where = "--images-dir" if self.options.images_dir else "the import folder"
        if found is None and outside:
            self.result.warnings.append(f"image {src} is outside {where}: refused")
            return
        if found is None:
            where = "--images-dir" if self.options.images_dir else "the import folder or the site's folders"
            kept = "made absolute on --legacy-base-url" if self.options.legacy_base_url else "kept as it is"
            self.result.warnings.append(f"image {src} not found under {where}: {kept}")
            return
        base, candidate = found
        if candidate.stat().st_size > settings.NEWSROOM_IMAGE_MAX_BYTES:
            self.result.warnings.append(f"image {src} is larger than the upload limit: not stored")
            return
        self.data[src] = candidate.read_bytes()
        if not src.startswith("/") and candidate.is_relative_to(self.root.resolve()):
            # Beside its post: named by its place in the archive, so two bundles' ./cover.png stay two.
            self.found_at[src] = "/" + candidate.relative_to(self.root.resolve()).as_posix()

    def _candidates(self, path: str):
        """(folder, name inside it) to look for a local picture in, in order."""
        if not path.startswith("/"):
            # Beside the post, or anywhere in the import it points to (../other-post/a.png); no further.
            yield self.root.resolve(), posixpath.normpath(posixpath.join(self.post_dir, path))
        if self.options.images_dir is not None:
            bases = [self.options.images_dir]
        else:
            site_root = self.site.root if self.site and self.site.root else self.root
            bases = [self.root, site_root, *(site_root / folder for folder in ("static", "source", "public"))]
        names = [path.lstrip("/")]
        base_path = self.site.base_path if self.site else ""
        if base_path and path.startswith(base_path + "/"):
            names.append(path[len(base_path) :].lstrip("/"))
        for base in dict.fromkeys(base.resolve() for base in bases):
            for name in names:
                yield base, name

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
            image, created = stored_image(processed, source_url=self._absolute(self.found_at.get(src, src)))
            if created:
                self.stored_files.append(image)
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
        for image in self.stored_files:
            delete_files(image)


def is_local(src: str) -> bool:
    """A picture in the archive itself: site-relative (/img/a.png) or beside the post (a.png, ./a.png)."""
    lowered = src.strip().lower()
    return not lowered.startswith("//") and not re.match(r"[a-z][a-z0-9+.-]*:", lowered)


def rewrite_sources(html: str, stored: dict[str, Image]) -> str:
    """Point pictures that are now stored at their stored copy."""
    if not stored or not html.strip():
        return html
    root = parse_fragment(html)
    for img in root.iter("img"):
        image = stored.get(img.get("src"))
        if image is not None:
            img.set("src", image.url)
    return serialize_children(root)


def apply_facts(image: Image, facts: PictureFacts, *, new: bool) -> None:
    """Put what a file says about a picture on its row. A picture already in the library keeps
    what it has (an editor may have typed it) and gains only what it lacks; one this file's
    import has just stored takes the file's word over what the photo's own metadata said."""
    changed = []
    for name, value in (("alt_text", facts.alt), ("credit", facts.credit), ("copyright", facts.copyright)):
        if value and (new or not getattr(image, name)) and getattr(image, name) != value:
            setattr(image, name, value)
            changed.append(name)
    focal = (image.focal_x, image.focal_y)
    if facts.focal and (new or focal == (None, None)) and focal != facts.focal:
        image.focal_x, image.focal_y = facts.focal
        changed += ["focal_x", "focal_y"]
    if facts.crops and (new or not image.crops) and image.crops != facts.crops:
        image.crops = facts.crops
        changed.append("crops")
    if not changed:
        return
    if image.file and {"focal_x", "crops"} & set(changed):
        generate_renditions(image, save=False)  # the crops pages use follow the focal point and crops
        changed.append("renditions")
    image.save(update_fields=changed)
