"""Importing legacy files into articles: one file, one transaction, one report entry.

The management command (import_legacy) and the admin's import page both call
import_paths(); nothing here prints or knows about terminals.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import multiprocessing
import os
import pickle
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

import lxml.html
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed

from articles.images import process_upload
from articles.importing.cleanup import clean_legacy_html
from articles.importing.fetching import FetchError, fetch_image
from articles.importing.parsing import LegacyFileError, LegacyPost, is_post_file, keyword_slug, parse_post
from articles.models import Article, Image, Keyword, Redirect, Section, slug_base, unique_slug
from articles.rendering import FigureSpec, PreparedBody, media_name, prepare_body, resolve_images, serialize_children
from articles.renditions import generate_renditions

logger = logging.getLogger(__name__)

STATUSES = ("created", "updated", "unchanged", "skipped", "failed", "conflict")


@dataclass
class ImportOptions:
    dry_run: bool = False
    images_dir: Path | None = None
    fetch_images: bool = False
    legacy_base_url: str = ""
    legacy_url_pattern: str = ""
    overwrite: bool = False
    as_drafts: bool = False  # for people who may not publish: nothing they import goes live
    # Processes that read, parse and clean files ahead while this one writes (0: this one does it all).
    workers: int = 0


@dataclass
class FileResult:
    path: str
    status: str = "failed"
    article_url: str | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    actions: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """Counts for a whole run, and the per-file results unless keep_files is off
    (a large run streams them to its progress callback instead, so memory stays flat)."""

    keep_files: bool = True
    files: list[FileResult] = field(default_factory=list)
    tally: Counter = field(default_factory=Counter)

    def add(self, result: FileResult) -> None:
        self.tally[result.status] += 1
        if self.keep_files:
            self.files.append(result)

    @property
    def counts(self) -> dict[str, int]:
        return {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 0, "conflicts": 0} | {
            ("conflicts" if status == "conflict" else status): n for status, n in self.tally.items()
        }

    @property
    def failed(self) -> bool:
        return self.tally["failed"] > 0

    def as_dict(self) -> dict:
        return {**self.counts, "files": [asdict(result) for result in self.files]}


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(import root, file) for every file under paths, in a stable order."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() or child.is_symlink():
                    yield path, child
        else:
            yield path.parent, path


def shown_path(path: Path) -> str:
    """path as reports show and store it. A name that is not UTF-8 (old Latin-1 archives)
    reaches Python as surrogate escapes, which no terminal, JSON file or database takes:
    its bytes are written as \\xNN instead."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _unstorable_name(relative: PurePosixPath) -> str | None:
    """Why relative cannot be an article's source_path (nor be looked up as one), if it cannot."""
    for part, what in ((relative.name, "file name"), (relative.parent.as_posix(), "folder name")):
        try:
            part.encode("utf-8")
        except UnicodeEncodeError:
            return f"{what} is not valid UTF-8; rename it"
    return None


def legacy_url_for(post: LegacyPost, relative: PurePosixPath, pattern: str) -> str:
    if post.permalink:
        return Redirect.normalize_path(post.permalink)
    path = relative.with_suffix("").as_posix()
    return Redirect.normalize_path(pattern.format(path=path, filename=relative.stem))


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
            image = Image.objects.filter(checksum=processed.checksum).order_by("pk").first()
            if image is None:
                image = Image(source_url=self._absolute(src), checksum=processed.checksum)
                image.file.save(processed.content.name, processed.content, save=False)
                self.stored_files.append(image.file.name)
                image.credit, image.copyright = processed.credit, processed.copyright
                generate_renditions(image, data=processed.content.file.getvalue(), save=False)
                self.stored_files.extend(image.renditions.values())
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
        from django.core.files.storage import default_storage

        for name in self.stored_files:
            default_storage.delete(name)


def _rewrite_sources(html: str, stored: dict[str, Image]) -> str:
    """Point pictures that are now stored at their stored copy."""
    if not stored or not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for img in root.iter("img"):
        image = stored.get(img.get("src"))
        if image is not None:
            img.set("src", image.url)
    return serialize_children(root)


class KeywordIds:
    """Keyword slug -> id for one run, so a corpus that repeats its keywords
    does not look them up file after file. Only committed rows are remembered."""

    def __init__(self):
        self.ids: dict[str, int] = {}

    def for_names(self, names: list[str]) -> list[int]:
        by_slug = {keyword_slug(name): name[:100] for name in names}
        missing = [slug for slug in by_slug if slug not in self.ids]
        if missing:
            Keyword.objects.bulk_create(
                [Keyword(name=by_slug[slug], slug=slug) for slug in missing], ignore_conflicts=True
            )
            found = dict(Keyword.objects.filter(slug__in=missing).values_list("slug", "pk"))
            transaction.on_commit(lambda: self.ids.update(found))
            return [self.ids.get(slug) or found[slug] for slug in by_slug]
        return [self.ids[slug] for slug in by_slug]


def _add_keywords(article: Article, keyword_ids: list[int]) -> None:
    """keywords.add() for a new article, without the look-up for rows it cannot have yet.

    (With m2m_changed receivers connected, add() first queries which rows
    exist.) The same m2m_changed signals are sent, so caches hear of it.
    """
    if not keyword_ids:
        return
    through = Article.keywords.through
    pks = set(keyword_ids)
    signal = {"sender": through, "instance": article, "reverse": False, "model": Keyword, "pk_set": pks}
    using = transaction.get_connection().alias
    m2m_changed.send(action="pre_add", using=using, **signal)
    through.objects.bulk_create([through(article_id=article.pk, keyword_id=pk) for pk in pks])
    m2m_changed.send(action="post_add", using=using, **signal)


_UNKNOWN = object()  # an answer not looked up ahead


def _point_legacy_url(article: Article, result: FileResult, redirect=_UNKNOWN) -> None:
    """The article's old address answers 301 to it. Not update_or_create(): its
    savepoints cost queries, and the whole file is one transaction already.

    redirect: the row for that address (None: there is none) when already looked up."""
    if redirect is _UNKNOWN:
        redirect = Redirect.objects.filter(old_path=article.legacy_url).first()
    if redirect is None:
        Redirect.objects.create(old_path=article.legacy_url, article=article)
    elif redirect.article_id != article.pk:
        if redirect.article_id is not None:
            result.warnings.append(
                f"legacy address {article.legacy_url} pointed to article {redirect.article_id}; it now points here"
            )
        redirect.article, redirect.new_url = article, ""
        redirect.save(update_fields=["article", "new_url"])


def _save_category(post: LegacyPost, relative: PurePosixPath, dry_run: bool) -> str:
    slug = keyword_slug(relative.stem)
    if not dry_run:
        Keyword.objects.update_or_create(slug=slug, defaults={"name": post.title[:100], "description": post.standfirst})
    return f"category page: keyword '{slug}' takes its title and description (not an article)"


class _Ahead:
    """One file's reading, parsing and cleanup, each done at most once, possibly
    before the file's turn (in a worker process); an error is kept and raised
    again at its turn."""

    def __init__(self, path: Path, root: Path, relative: PurePosixPath):
        self.path, self.root, self.relative = path, root, relative
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
        return self._once("parse", lambda: parse_post(self._bytes(), suffix=self.relative.suffix.lower()))

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

    def prepare(self, options: ImportOptions, known_checksum: str | None) -> _Ahead:
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


def _prepare_chunk(aheads: list[_Ahead], options: ImportOptions, checksums: dict[str, str]) -> list[_Ahead]:
    """Runs in a worker process."""
    return [ahead.prepare(options, checksums.get(str(ahead.relative))) for ahead in aheads]


class Lookahead:
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

    def __init__(self, chunk: list[tuple[Path, Path, _Ahead | None]], options: ImportOptions):
        self.options = options
        self.files = [(root, path) for root, path, _ in chunk]
        self.ahead = {path: ahead for _, path, ahead in chunk if ahead is not None}
        self.articles: dict[str, Article | None] = {}
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
    def chunks(cls, files: Iterator[tuple[Path, Path]]) -> Iterator[list[tuple[Path, Path, _Ahead | None]]]:
        """files in chunks of FILES, or fewer when they hold more than BYTES;
        each post file with its _Ahead, still to be done."""
        chunk, size = [], 0
        for root, path in files:
            relative = PurePosixPath(path.relative_to(root).as_posix())
            # No look-up nor worker sees a name the database cannot take; import_file() fails it.
            ahead = _Ahead(path, root, relative) if is_post_file(relative) and not _unstorable_name(relative) else None
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
        paths = Counter(str(ahead.relative) for ahead in self.ahead.values())
        once = [path for path, n in paths.items() if n == 1]  # a path twice: the second sees the first's article
        if once:
            self.articles = dict.fromkeys(once)
            for article in Article.objects.filter(source_path__in=once).order_by("pk"):
                if self.articles[article.source_path] is None:
                    self.articles[article.source_path] = article
        slugs, addresses, sources = set(), set(), set()
        pattern = self.options.legacy_url_pattern or settings.NEWSROOM_LEGACY_URL_PATTERN
        for ahead in self.ahead.values():
            try:
                raw, checksum = ahead.read()
                existing = self.articles.get(str(ahead.relative))
                if existing and existing.source_checksum == checksum and not self.options.overwrite:
                    continue  # unchanged: nothing to parse
                post = ahead.parse()
                if post.kind != "post":
                    continue
                cleaned = ahead.clean(self.options.legacy_base_url)
                address = legacy_url_for(post, ahead.relative, pattern)
            except Exception:  # noqa: BLE001, S112 (the error is the file's result, at its turn)
                continue
            if existing is None:
                slugs.add(slug_base(post.preferred_slug or post.title))
            addresses.add(address)
            sources.update(src for src in [*cleaned.sources, post.lead_src] if src and not media_name(src))
        if slugs:
            self.free_slugs = slugs - set(Article.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if addresses:
            self.redirects = dict.fromkeys(addresses)
            self.redirects.update((r.old_path, r) for r in Redirect.objects.filter(old_path__in=addresses))
        # Stored pictures (--images-dir, --fetch-images) get rows this does not follow: look those up per file.
        if sources and not self.options.fetch_images and self.options.images_dir is None:
            self.images = dict.fromkeys(sources)
            for image in Image.objects.filter(source_url__in=sources).order_by("pk"):
                if self.images[image.source_url] is None:
                    self.images[image.source_url] = image

    def take_article(self, relative: PurePosixPath):
        return self.articles.pop(str(relative), _UNKNOWN)

    def take_free_slug(self, slug: str) -> bool:
        if slug in self.free_slugs:
            self.free_slugs.discard(slug)
            return True
        return False

    def slug_taken(self, slug: str) -> None:
        self.free_slugs.discard(slug)

    def take_redirect(self, old_path: str):
        return self.redirects.pop(old_path, _UNKNOWN)

    def take_images(self, srcs: Iterable[str]) -> tuple[dict[str, Image], set[str]]:
        """(rows found by src, srcs with no row) for the srcs asked about ahead."""
        found, absent = {}, set()
        for src in srcs:
            image = self.images.pop(src, _UNKNOWN)
            if image is None:
                absent.add(src)
            elif image is not _UNKNOWN:
                found[src] = image
        return found, absent


def import_file(
    path: Path,
    *,
    root: Path,
    options: ImportOptions,
    keyword_ids: KeywordIds | None = None,
    lookahead: Lookahead | None = None,
) -> FileResult:
    """Import one file; never raises for a bad file, the result says what happened."""
    keyword_ids = keyword_ids or KeywordIds()
    relative = PurePosixPath(path.relative_to(root).as_posix())
    result = FileResult(path=shown_path(path))
    if not is_post_file(relative):
        result.status = "skipped"
        result.warnings.append("not a post file (.md, .markdown, .txt or .html)")
        return result
    if problem := _unstorable_name(relative):
        result.status, result.error = "failed", problem
        return result
    ahead = lookahead.ahead.get(path) if lookahead else None
    if ahead is None:
        lookahead, ahead = None, _Ahead(path, root, relative)
    pictures = Pictures(options, root, result)
    try:
        raw, checksum = ahead.read()
        existing = lookahead.take_article(relative) if lookahead else _UNKNOWN
        if isinstance(existing, Article) and (existing.source_checksum != checksum or options.overwrite):
            existing = _UNKNOWN  # it will be written: read it afresh, right before its transaction
        if existing is _UNKNOWN:
            existing = Article.objects.filter(source_path=str(relative)).order_by("pk").first()
        if existing and existing.source_checksum == checksum and not options.overwrite:
            result.status, result.article_url = "unchanged", existing.get_absolute_url(memo=False)
            return result

        post = ahead.parse()
        result.warnings.extend(post.warnings)
        if post.kind == "skip":
            result.status = "skipped"
            result.warnings.append(post.note)
            return result
        if post.kind == "category":
            with transaction.atomic():
                result.warnings.append(_save_category(post, relative, options.dry_run))
            result.status = "skipped"
            return result
        if existing and existing.import_version not in (None, existing.version) and not options.overwrite:
            result.status, result.article_url = "conflict", existing.get_absolute_url(memo=False)
            result.error = "edited in Newsroom since it was imported; run with --overwrite to replace those edits"
            return result

        cleaned = ahead.clean(options.legacy_base_url)
        result.actions = cleaned.actions
        pictures.gather([*cleaned.sources, post.lead_src])

        with transaction.atomic():
            stored = pictures.store()
            article = existing or Article(source_path=str(relative))
            article.title = post.title
            article.standfirst = post.standfirst
            article.byline = post.byline
            article.body = _rewrite_sources(cleaned.html, stored)
            if options.as_drafts and existing:
                # Never changes what is live or when it goes live, in either direction.
                pass
            elif options.as_drafts:
                article.status, article.publish_at = Article.Status.DRAFT, post.publish_at
            else:
                article.status = Article.Status.DRAFT if post.draft else Article.Status.PUBLISHED
                article.publish_at = post.publish_at
            # The lead and the body's pictures are found or made in one go.
            unchanged_body = article.body == cleaned.html
            prepared = ahead.body(options.legacy_base_url) if unchanged_body else prepare_body(article.body)
            wanted = (
                [*prepared.figures, FigureSpec(src=post.lead_src, alt=cleaned.lead_alt)]
                if post.lead_src
                else prepared.figures
            )
            known = {image.url: image for image in stored.values()}
            absent: set[str] = set()
            if lookahead:
                found, absent = lookahead.take_images(spec.src for spec in wanted if spec.src not in known)
                known.update(found)
            images = resolve_images(wanted, known=known, absent=absent)
            article.lead_image = stored.get(post.lead_src) or images.get(post.lead_src)
            if article.lead_image and cleaned.lead_alt and not article.lead_image.alt_text:
                article.lead_image.alt_text = cleaned.lead_alt
                article.lead_image.save(update_fields=["alt_text"])
            if post.section:
                name, slug = post.section
                article.section = Section.objects.get_or_create(slug=slug, defaults={"name": name})[0]
            article.lead_caption = cleaned.lead_caption
            article.source_checksum = checksum
            article.source_metadata = post.metadata
            article.legacy_url = legacy_url_for(
                post, relative, options.legacy_url_pattern or settings.NEWSROOM_LEGACY_URL_PATTERN
            )
            if not article.pk:
                text = post.preferred_slug or post.title
                base = slug_base(text)
                article.slug = base if lookahead and lookahead.take_free_slug(base) else unique_slug(Article, text)
            # save() bumps the version of an existing article; record the version it will have.
            article.import_version = article.version + 1 if article.pk else article.version
            article.body = prepared.html
            article.save(known_images=images, prepared=prepared)
            if lookahead:
                lookahead.slug_taken(article.slug)
            if existing:
                article.keywords.set(keyword_ids.for_names(post.keywords))
            else:
                _add_keywords(article, keyword_ids.for_names(post.keywords))
            _point_legacy_url(article, result, lookahead.take_redirect(article.legacy_url) if lookahead else _UNKNOWN)
            if options.dry_run:
                transaction.set_rollback(True)
        result.status = "updated" if existing else "created"
        result.article_url = article.get_absolute_url(memo=False)
        result.actions += [f"{name}: {count}" for name, count in pictures.counts.items()]
        if not post.lead_src:
            result.warnings.append("no lead image")
    except LegacyFileError as error:
        pictures.discard()
        result.status, result.error = "failed", str(error)
    except Exception as error:  # one bad file must not stop the others; the report says what broke
        pictures.discard()
        if lookahead is not None and isinstance(error, DatabaseError):
            # Another writer took a slug, path or address after it was looked up (or
            # removed a row): once more, looking everything up afresh.
            return import_file(path, root=root, options=options, keyword_ids=keyword_ids)
        logger.exception("importing %s failed", result.path)
        result.status, result.error = "failed", f"{error.__class__.__name__}: {error}"
    return result


def import_paths(
    paths: Iterable[Path],
    options: ImportOptions,
    *,
    progress: Callable[[FileResult], None] | None = None,
    keep_files: bool = True,
) -> ImportReport:
    report, keyword_ids = ImportReport(keep_files=keep_files), KeywordIds()
    with Preparation(options) as preparation:
        for chunk in preparation.chunks(iter_files(paths)):
            lookahead = Lookahead(chunk, options)
            for root, path in lookahead.files:
                result = import_file(path, root=root, options=options, keyword_ids=keyword_ids, lookahead=lookahead)
                report.add(result)
                if progress:
                    progress(result)
    return report


class Preparation:
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
            context = multiprocessing.get_context("fork")
            self.pool = ProcessPoolExecutor(max_workers=options.workers, mp_context=context)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def chunks(self, files: Iterator[tuple[Path, Path]]) -> Iterator[list[tuple[Path, Path, _Ahead | None]]]:
        if self.pool is None:
            yield from Lookahead.chunks(files)
            return
        in_flight: deque[tuple[list, Future]] = deque()
        for chunk in Lookahead.chunks(files):
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
                checksums = dict(
                    Article.objects.filter(source_path__in=[str(ahead.relative) for ahead in aheads]).values_list(
                        "source_path", "source_checksum"
                    )
                )
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
