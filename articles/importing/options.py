"""What an import is asked to do and what it reports: options, one file's result, the whole run's report,
and the files a run walks."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

SOURCE_NAME_LENGTH = 100  # Article.source_site
STATUSES = ("created", "updated", "unchanged", "skipped", "failed", "conflict")


# What an import may do besides writing articles, each only for a user who holds it.
IMPORT_PERMISSIONS = (
    "articles.publish_article",
    "articles.add_keyword",
    "articles.change_keyword",
    "articles.add_section",
    "articles.add_redirect",
    "articles.change_redirect",
)


@dataclass
class ImportOptions:
    dry_run: bool = False
    images_dir: Path | None = None
    fetch_images: bool = False
    legacy_base_url: str = ""
    legacy_url_pattern: str = ""  # "" = the site's own permalink rule, else NEWSROOM_LEGACY_URL_PATTERN
    key_map: dict[str, str] = field(default_factory=dict)  # the site's front-matter keys -> ours (--map)
    overwrite: bool = False
    as_drafts: bool = False  # for people who may not publish: nothing they import goes live
    strict: bool = False  # a file with any warning fails (and writes nothing)
    # Processes that read, parse and clean files ahead while this one writes (0: this one does it all).
    workers: int = 0
    # The old site's name (--source); "" = each site's own (SiteContext.source_name).
    source_site: str = ""
    # Who runs the import, for its events and revisions (None: the command's operator).
    user_id: int | None = None
    # An import runs with its user's permissions ("articles.change_keyword"...), those of
    # IMPORT_PERMISSIONS the user holds; None: all of them (the command's trusted operator).
    permissions: frozenset[str] | None = None

    def may(self, permission: str) -> bool:
        return self.permissions is None or permission in self.permissions


class Provenance(NamedTuple):
    """What an imported article is known by: its old site's name and the file's path in that site."""

    site: str
    path: str
    # The path relative to the folder named: what articles imported before imports named
    # their site (source_site "") were stored under; the first named run adopts them.
    unnamed_path: str


@dataclass
class FileResult:
    path: str
    status: str = "failed"
    article_url: str | None = None
    article_id: int | None = None  # for the admin's link to the article
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    actions: list[str] = field(default_factory=list)
    # Links to other posts, resolved once the whole run is in (links.py); not part of the report.
    pending_links: object = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if key != "pending_links"}

    @property
    def has_warnings(self) -> bool:
        return self.status in ("created", "updated") and bool(self.warnings)


@dataclass
class ImportReport:
    """Counts for a whole run, and the per-file results; with keep_files off only those an
    editor must look at (failed, conflicts, warnings): a large run streams the rest to its
    progress callback instead, so memory stays flat."""

    keep_files: bool = True
    files: list[FileResult] = field(default_factory=list)
    tally: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)  # about the run, not one file (a site config not read)
    sources: list[str] = field(default_factory=list)  # the old sites' names the articles are known by

    def add(self, result: FileResult) -> None:
        self.tally[result.status] += 1
        if result.has_warnings:
            self.tally["with warnings"] += 1
        if self.keep_files or result.status in ("failed", "conflict") or result.has_warnings:
            self.files.append(result)

    @property
    def with_warnings(self) -> int:
        """Imported files (created or updated) whose report names a loss or something to check."""
        return self.tally["with warnings"]

    @property
    def counts(self) -> dict[str, int]:
        return {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0, "conflicts": 0} | {
            ("conflicts" if status == "conflict" else status): n
            for status, n in self.tally.items()
            if status != "with warnings"
        }

    @property
    def failed(self) -> bool:
        return self.tally["failed"] > 0

    def as_dict(self) -> dict:
        return {
            **self.counts,
            "with_warnings": self.with_warnings,
            "sources": self.sources,
            "notes": self.notes,
            "files": [result.as_dict() for result in self.files],
        }


def iter_files(paths: Iterable[Path], unreadable: list[FileResult] | None = None) -> Iterator[tuple[Path, Path]]:
    """(import root, file) for every file under paths, in a stable order. A folder that cannot
    be read is added to unreadable as a failed result, never skipped unsaid."""

    def failed(error: OSError) -> None:
        if unreadable is not None:
            reason = f"folder could not be read ({error.strerror or error}): nothing in it was imported"
            unreadable.append(FileResult(path=shown_path(Path(error.filename)), error=reason))

    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = []
            for folder, _, names in os.walk(path, onerror=failed):
                # Symbolic links to files are listed too; _read() refuses those leading outside.
                files += [Path(folder, name) for name in names]
            # Drafts last: a draft copy of a live post must not take its slug.
            yield from ((path, child) for child in sorted(files, key=lambda child: ("_drafts" in child.parts, child)))
        else:
            yield path.parent, path


def shown_path(path: Path) -> str:
    """path as reports show and store it. A name that is not UTF-8 (old Latin-1 archives)
    reaches Python as surrogate escapes, which no terminal, JSON file or database takes:
    its bytes are written as \\xNN instead."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def check_source_name(name: str) -> str:
    """name as an import's --source, stripped; ValueError when it cannot be one."""
    name = name.strip()
    if not name or len(name) > SOURCE_NAME_LENGTH or not name.isprintable():
        raise ValueError("a source name is 1 to 100 printable characters, e.g. the old site's host")
    return name


def unstorable_name(relative: PurePosixPath) -> str | None:
    """Why relative cannot be an article's source_path (nor be looked up as one), if it cannot."""
    for part, what in ((relative.name, "file name"), (relative.parent.as_posix(), "folder name")):
        try:
            part.encode("utf-8")
        except UnicodeEncodeError:
            return f"{what} is not valid UTF-8; rename it"
    return None


PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}
CONFIG_NAMES = {"_config.yml", "_config.yaml", "_config.toml", "config.toml", "config.yaml", "config.json",
                "hugo.toml", "hugo.yaml", "hugo.json", "config.php"}  # fmt: skip


def not_a_post_reason(relative: PurePosixPath) -> str:
    """Why a file that is no post is skipped, in an editor's words."""
    suffix = relative.suffix.lower()
    if relative.name in CONFIG_NAMES:
        return "the site's config file: read for the site's settings, not a post"
    if suffix in PICTURE_SUFFIXES:
        return "a picture: stored when a post shows it"
    if suffix in (".js", ".mjs", ".cjs", ".ts", ".php"):
        return "the site's code: never run, not a post"
    if suffix in (".json", ".yml", ".yaml", ".toml", ".csv", ".xml"):
        return "a data file, not a post"
    return "not a post file (.md, .markdown, .txt or .html)"
