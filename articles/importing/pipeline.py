"""Reading, parsing and cleaning files ahead of their turn, and looking up what a batch of them needs
in one query per kind: what makes an import of thousands of files fast, kept apart from what an import does.

PreparedFile: one file's steps, each done at most once (in a worker process or at its turn).
BatchLookup: the next few files' articles, free slugs, redirects and remote pictures, asked for at once.
WorkerPool: processes that prepare the next batch while this one writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import pickle
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.db.models import F

from articles.content.body import PreparedBody, media_name, prepare_body
from articles.content.text import slug_base
from articles.importing.cleanup import clean_legacy_html
from articles.importing.links import OldSite
from articles.importing.options import ImportOptions, Provenance, unstorable_name
from articles.importing.parsing import LegacyFileError, LegacyPost, is_post_file, parse_post
from articles.importing.site import SiteContext, find_site
from articles.models import Article, Image, Redirect

logger = logging.getLogger("articles.importing.service")

UNKNOWN = object()  # an answer not looked up ahead


class Sites:
    """The site of each import root, found once per run, with the run's key map and URL pattern
    (a wrong pattern is a PatternError before any file is read)."""

    def __init__(self, options: ImportOptions):
        self.options = options
        self.by_root: dict[Path, SiteContext] = {}
        self.old_sites: dict[Path, OldSite] = {}
        self.addresses: set[str] = set()  # old addresses of the posts this run wrote
        self.names: dict[Path, str] = {}  # import root -> the name its site's articles are known by
        SiteContext().check_pattern(options.legacy_url_pattern)

    def of(self, root: Path) -> SiteContext:
        if root not in self.by_root:
            site = find_site(root, self.options.key_map)
            site.check_pattern(self.options.legacy_url_pattern)
            self.by_root[root] = site
        return self.by_root[root]

    def prepared(self, path: Path, root: Path, relative: PurePosixPath) -> PreparedFile:
        site = self.of(root)
        if root not in self.names:
            self.names[root] = self.options.source_site or site.source_name(root)
        provenance = Provenance(self.names[root], str(site.stored_path(root, relative)), str(relative))
        return PreparedFile(path, root, relative, site, provenance)

    def old_site(self, root: Path) -> OldSite:
        """Where the links of root's posts point when they point to the old site."""
        if root not in self.old_sites:
            site, hosts, origins = self.of(root), set(), []
            for url in (self.options.legacy_base_url, site.config.get("url"), site.config.get("baseurl")):
                parts = urlsplit(url.strip()) if isinstance(url, str) else None
                if parts and parts.scheme in ("http", "https") and parts.hostname:
                    hosts.add(parts.hostname)
                    origins.append(f"{parts.scheme}://{parts.netloc}")
            self.old_sites[root] = OldSite(hosts, origins[0] if origins else "")
        return self.old_sites[root]

    @property
    def problems(self) -> list[str]:
        return [problem for site in self.by_root.values() for problem in site.problems]


class PreparedFile:
    """One file's reading, parsing and cleanup, each done at most once, possibly
    before the file's turn (in a worker process); an error is kept and raised
    again at its turn."""

    def __init__(self, path: Path, root: Path, relative: PurePosixPath, site: SiteContext, provenance: Provenance):
        self.path, self.root, self.relative, self.site = path, root, relative, site
        self.provenance = provenance
        self._done: dict[str, tuple] = {}

    def _once(self, step: str, work: Callable):
        if step not in self._done:
            try:
                self._done[step] = (work(), None)
            except Exception as error:  # noqa: BLE001 (raised again when the file's turn comes)
                self._done[step] = (None, error)
        value, error = self._done[step]
        if error is not None:
            raise error
        return value

    def read(self) -> tuple[bytes | None, str]:
        """(the file's bytes, their checksum); the bytes are None once parsed in a worker."""
        return self._once("read", lambda: _read(self.path, self.root))

    def parse(self) -> LegacyPost:
        return self._once("parse", self._parse)

    def _parse(self) -> LegacyPost:
        return parse_post(
            self._bytes(),
            suffix=self.relative.suffix.lower(),
            relative=self.relative,
            site=self.site,
            defaults=self.site.defaults_for(self.path, self.root),
            root=self.root,
        )

    def _bytes(self) -> bytes:
        raw = self.read()[0]
        return _read(self.path, self.root)[0] if raw is None else raw

    def clean(self, base_url: str):
        post = self.parse()
        return self._once("clean", lambda: clean_legacy_html(post.body_html, lead_src=post.lead_src, base_url=base_url))

    def body(self, base_url: str) -> PreparedBody:
        """prepare_body() of the cleaned body, as saved when no picture is stored from it."""
        cleaned = self.clean(base_url)
        return self._once("body", lambda: prepare_body(cleaned.html))

    def prepare(self, options: ImportOptions, known_checksum: str | None) -> PreparedFile:
        """Do every step now (in a worker process), but parse nothing for a file whose
        checksum is known_checksum: its article is most likely unchanged."""
        with contextlib.suppress(Exception):  # each error is kept for the file's turn
            checksum = self.read()[1]
            if (checksum != known_checksum or options.overwrite) and self.parse().kind == "post":
                self.clean(options.legacy_base_url)
                if not (options.images_dir or options.fetch_images):  # else the body changes before saving
                    self.body(options.legacy_base_url)
        return self

    def __getstate__(self):
        """What goes back from a worker: no bytes once parsed, and errors that survive pickling."""
        state = dict(self.__dict__, _done=dict(self._done))
        read = self._done.get("read")
        if read and read[1] is None:  # a late parse reads the file again
            state["_done"]["read"] = ((None, read[0][1]), None)
        for step, (value, error) in state["_done"].items():
            if error is not None:
                try:
                    pickle.dumps(error)
                except Exception:  # noqa: BLE001 (anything unpicklable is told as text)
                    state["_done"][step] = (value, PreparationError(f"{error.__class__.__name__}: {error}"))
        return state


def _read(path: Path, root: Path) -> tuple[bytes, str]:
    if not path.resolve().is_relative_to(root.resolve()):
        raise LegacyFileError("a link that points outside the import folder")
    if path.stat().st_size > settings.NEWSROOM_IMPORT_MAX_FILE_BYTES:
        raise LegacyFileError(f"file is larger than {settings.NEWSROOM_IMPORT_MAX_FILE_BYTES:,} bytes")
    raw = path.read_bytes()
    return raw, hashlib.sha256(raw).hexdigest()


class PreparationError(Exception):
    """An error in a worker process that could not be sent back as it was."""


def _prepare_chunk(
    aheads: list[PreparedFile], options: ImportOptions, checksums: dict[Provenance, str]
) -> list[PreparedFile]:
    """Runs in a worker process."""
    return [ahead.prepare(options, checksums.get(ahead.provenance)) for ahead in aheads]


def imported_articles(provenances: Iterable[Provenance], fields=()) -> dict[Provenance, Article | None]:
    """The article each file was imported as, in one query: the one of its site and path, else
    one imported before imports named their site, which it adopts (each one by one file only).
    fields: only these (and what finding them needs) are read."""
    provenances = list(provenances)
    rows: dict[tuple[str, str], Article] = {}
    articles = Article.objects.filter(
        source_site__in={provenance.site for provenance in provenances} | {""},
        source_path__in={path for provenance in provenances for path in (provenance.path, provenance.unnamed_path)},
    )
    if fields:
        articles = articles.only("source_site", "source_path", *fields)
    for article in articles.order_by("pk"):
        rows.setdefault((article.source_site, article.source_path), article)
    found, adopted = {}, set()
    for provenance in provenances:
        article = rows.get((provenance.site, provenance.path))
        for unnamed in (("", provenance.path), ("", provenance.unnamed_path)):
            candidate = rows.get(unnamed)
            if article is None and candidate is not None and candidate.pk not in adopted:
                article = candidate
                adopted.add(candidate.pk)
        found[provenance] = article
    return found


def redirects_with_site():
    """Redirects, each with the old site of the article it leads to (article_site)."""
    return Redirect.objects.annotate(article_site=F("article__source_site"))


class BatchLookup:
    """The next few files, read, parsed and cleaned before their turn, so that what
    each one's import looks up (its article, whether its slug is free, its legacy
    address's redirect, its remote pictures) is asked in one query per kind for
    all of them instead of in one query per kind and file.

    Each answer is used at most once, by the first file that asks; a later file
    asking the same (two files sharing a picture or a legacy address) queries as
    before, so it sees what the earlier one wrote. Slugs taken during the chunk are
    no longer known to be free. Another writer can still change a row between the
    look-up and a file's transaction: a file whose transaction then fails on the
    database (a unique constraint) is imported again with fresh look-ups.
    """

    FILES = 50
    BYTES = 2 * 2**20  # memory stays flat: no more files ahead than this many bytes

    def __init__(self, chunk: list[tuple[Path, Path, PreparedFile | None]], options: ImportOptions):
        self.options = options
        self.files = [(root, path) for root, path, _ in chunk]
        self.ahead = {path: ahead for _, path, ahead in chunk if ahead is not None}
        self.articles: dict[Provenance, Article | None] = {}
        self.free_slugs: set[str] = set()
        self.redirects: dict[str, Redirect | None] = {}
        self.images: dict[str, Image | None] = {}
        if self.ahead:
            try:
                self._look_up()
            except DatabaseError:  # each file looks up for itself, and fails by itself if it must
                logger.warning("import look-ahead failed; looking up file by file", exc_info=True)
                self.articles, self.free_slugs, self.redirects, self.images = {}, set(), {}, {}

    @classmethod
    def chunks(
        cls, files: Iterator[tuple[Path, Path]], sites: Sites
    ) -> Iterator[list[tuple[Path, Path, PreparedFile | None]]]:
        """files in chunks of FILES, or fewer when they hold more than BYTES;
        each post file with its PreparedFile, still to be done."""
        chunk, size = [], 0
        for root, path in files:
            relative = PurePosixPath(path.relative_to(root).as_posix())
            # No look-up nor worker sees a name the database cannot take; import_file() fails it.
            ahead = None
            if is_post_file(relative) and not unstorable_name(relative):
                ahead = sites.prepared(path, root, relative)
            chunk.append((root, path, ahead))
            if ahead is not None:
                with contextlib.suppress(OSError):  # the error is the file's result, at its turn
                    size += path.stat().st_size
            if len(chunk) >= cls.FILES or size >= cls.BYTES:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    def _look_up(self) -> None:
        seen = Counter(ahead.provenance for ahead in self.ahead.values())
        once = [provenance for provenance, n in seen.items() if n == 1]  # twice: the second sees the first's
        if once:
            self.articles = imported_articles(once)
        slugs, addresses, sources = set(), set(), set()
        for ahead in self.ahead.values():
            try:
                raw, checksum = ahead.read()
                existing = self.articles.get(ahead.provenance)
                if existing and existing.source_checksum == checksum and not self.options.overwrite:
                    continue  # unchanged: nothing to parse
                post = ahead.parse()
                if post.kind != "post":
                    continue
                cleaned = ahead.clean(self.options.legacy_base_url)
            except Exception:  # noqa: BLE001, S112 (the error is the file's result, at its turn)
                continue
            if existing is None:
                slugs.add(slug_base(post.preferred_slug or post.title))
            addresses.update(address for address in [post.legacy_url, *post.aliases] if address)
            sources.update(src for src in [*cleaned.sources, post.lead_src] if src and not media_name(src))
        if slugs:
            self.free_slugs = slugs - set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if addresses:
            self.redirects = dict.fromkeys(addresses)
            self.redirects.update((r.old_path, r) for r in redirects_with_site().filter(old_path__in=addresses))
        # Stored pictures (--images-dir, --fetch-images) get rows this does not follow: look those up per file.
        if sources and not self.options.fetch_images and self.options.images_dir is None:
            self.images = dict.fromkeys(sources)
            for image in Image.objects.filter(source_url__in=sources).order_by("pk"):
                if self.images[image.source_url] is None:
                    self.images[image.source_url] = image

    def take_article(self, provenance: Provenance):
        return self.articles.pop(provenance, UNKNOWN)

    def take_free_slug(self, slug: str) -> bool:
        if slug in self.free_slugs:
            self.free_slugs.discard(slug)
            return True
        return False

    def slug_taken(self, slug: str) -> None:
        self.free_slugs.discard(slug)

    def take_redirect(self, old_path: str):
        return self.redirects.pop(old_path, UNKNOWN)

    def take_images(self, srcs: Iterable[str]) -> tuple[dict[str, Image], set[str]]:
        """(rows found by src, srcs with no row) for the srcs asked about ahead."""
        found, absent = {}, set()
        for src in srcs:
            image = self.images.pop(src, UNKNOWN)
            if image is None:
                absent.add(src)
            elif image is not UNKNOWN:
                found[src] = image
        return found, absent


def _exit_with_parent(parent_pid: int) -> None:
    """In a worker: exit when the import that forked it is gone (killed, even with SIGKILL),
    instead of waiting on its pipe forever."""

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


class WorkerPool:
    """Files read, parsed and cleaned by options.workers processes while this one
    writes the chunk before (with no workers, each step is done at the file's turn).

    Parsing and cleaning are about 40% of an import; the rest is the database's
    work, which stays in this process, one transaction per file. Workers are
    forked, so they see this process's settings, and never touch its database
    connection. A worker that fails leaves its chunk to be done here.
    """

    def __init__(self, options: ImportOptions):
        self.options = options
        self.pool = None
        if options.workers > 0:
            # No worker may inherit this process's database connection: killed, this process
            # would leave it open (idle in a transaction, holding locks) for as long as the
            # worker lived. A caller's own transaction (a test's) keeps its connection.
            if not connection.in_atomic_block:
                connections.close_all()
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(
                max_workers=options.workers,
                mp_context=context,
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
            self.pool.submit(int).result()  # the workers are forked now, before a connection opens again

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def chunks(
        self, files: Iterator[tuple[Path, Path]], sites: Sites
    ) -> Iterator[list[tuple[Path, Path, PreparedFile | None]]]:
        if self.pool is None:
            yield from BatchLookup.chunks(files, sites)
            return
        in_flight: deque[tuple[list, Future]] = deque()
        for chunk in BatchLookup.chunks(files, sites):
            if self.pool is None:  # a worker failed: the rest is done here
                yield chunk
                continue
            in_flight.append((chunk, self._submit(chunk)))
            # Each worker stays busy with a chunk ahead of the one being written.
            while len(in_flight) > self.options.workers or (in_flight and self.pool is None):
                yield self._received(*in_flight.popleft())
        while in_flight:
            yield self._received(*in_flight.popleft())

    def _submit(self, chunk) -> Future:
        aheads = [ahead for _, _, ahead in chunk if ahead is not None]
        checksums = {}
        if not self.options.overwrite:
            try:  # worth no parsing: files whose article was imported from the same bytes
                found = imported_articles((ahead.provenance for ahead in aheads), fields=["source_checksum"])
                checksums = {provenance: article.source_checksum for provenance, article in found.items() if article}
            except DatabaseError:
                logger.warning("import look-ahead failed; preparing every file", exc_info=True)
        try:
            return self.pool.submit(_prepare_chunk, aheads, self.options, checksums)
        except Exception as error:  # noqa: BLE001 (a broken pool: told at the chunk's turn)
            future = Future()
            future.set_exception(error)
            return future

    def _received(self, chunk, future: Future):
        try:
            prepared = iter(future.result())
        except Exception:  # a worker died (killed, out of memory): this process does the rest
            if self.pool is not None:
                logger.warning("import worker failed; preparing the remaining files in this process", exc_info=True)
                # Not waiting: a broken pool's shutdown can wait forever (a result that
                # could not be sent, a worker stuck); its workers end when the pool is collected.
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = None
            return chunk
        return [(root, path, None if ahead is None else next(prepared)) for root, path, ahead in chunk]
