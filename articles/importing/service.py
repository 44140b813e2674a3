"""Importing legacy files into articles: one file, one transaction, one report entry.

The management command (import_legacy) and the admin's import page both call
import_paths(); nothing here prints or knows about terminals. What a file
means is parsing.py's business, how its HTML is cleaned cleanup.py's, its
pictures pictures.py's, and how a run of thousands of files stays fast
pipeline.py's; this module holds the rules of writing one file's article.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from reversion.models import Version

from articles.content.body import FigureSpec, PreparedBody, prepare_body
from articles.content.text import slug_base
from articles.importing.cleanup import CleanedBody
from articles.importing.database import analyze_tables, reconnected
from articles.importing.links import OldSite, PendingLinks, has_site_links, point_links, resolve_links
from articles.importing.names import AuthorIds, KeywordIds, add_keywords
from articles.importing.options import (
    FileResult,
    ImportOptions,
    ImportReport,
    iter_files,
    not_a_post_reason,
    shown_path,
    unstorable_name,
)
from articles.importing.parsing import LegacyFileError, LegacyPost, is_post_file
from articles.importing.pictures import Pictures, apply_facts, rewrite_sources
from articles.importing.pipeline import (
    UNKNOWN,
    BatchLookup,
    PreparedFile,
    Sites,
    WorkerPool,
    imported_articles,
)
from articles.importing.shared_rows import point_legacy_url, save_category, section_of
from articles.models import Article, ArticleEvent, Image, unique_slug

logger = logging.getLogger(__name__)


@dataclass
class _Job:
    """One file on its way in: where it is, what the run asked, and what has been worked out so far."""

    path: Path
    relative: PurePosixPath
    options: ImportOptions
    keyword_ids: KeywordIds
    author_ids: AuthorIds
    lookup: BatchLookup | None
    prepared: PreparedFile
    result: FileResult
    pictures: Pictures
    old_site: OldSite | None = None
    run_addresses: set[str] = field(default_factory=set)  # the old addresses this run answers for
    existing: Article | None = None
    checksum: str = ""
    post: LegacyPost | None = None
    cleaned: CleanedBody | None = None


def import_file(
    path: Path,
    *,
    root: Path,
    options: ImportOptions,
    keyword_ids: KeywordIds | None = None,
    author_ids: AuthorIds | None = None,
    lookahead: BatchLookup | None = None,
    sites: Sites | None = None,
    retried: bool = False,
) -> FileResult:
    """Import one file; never raises for a bad file, the result says what happened."""
    relative = PurePosixPath(path.relative_to(root).as_posix())
    result = FileResult(path=shown_path(path))
    if not is_post_file(relative):
        result.status = "skipped"
        result.warnings.append(not_a_post_reason(relative))
        return result
    if problem := unstorable_name(relative):
        result.status, result.error = "failed", problem
        return result
    prepared = lookahead.ahead.get(path) if lookahead else None
    if prepared is None:
        lookahead, prepared = None, (sites := sites or Sites(options)).prepared(path, root, relative)
    pictures = Pictures(options, root, result, post=relative, site=prepared.site)
    sites = sites or Sites(options)
    names = (keyword_ids or KeywordIds(), author_ids or AuthorIds())
    job = _Job(path, relative, options, *names, lookahead, prepared, result, pictures)
    job.old_site, job.run_addresses = sites.old_site(root), sites.addresses
    try:
        if _settled_without_writing(job):
            return result
        _write(job)
    except EditedMeanwhile as error:
        job.pictures.discard()
        result.status, result.error = "conflict", str(error)
        result.article_url, result.article_id = job.existing.get_absolute_url(), job.existing.pk
    except LegacyFileError as error:
        job.pictures.discard()
        result.status, result.error = "failed", str(error)
    except ValidationError as error:  # a body over the size limit, a value a field refuses: said in words
        job.pictures.discard()
        result.status, result.error = "failed", " ".join(error.messages)
    except Exception as error:  # one bad file must not stop the others; the report says what broke
        job.pictures.discard()
        if isinstance(error, DatabaseError) and not retried and reconnected():
            # The database dropped this connection (a restart, a failover, an operator's kill):
            # the file once more on a new one, and the files after it too.
            return import_file(path, root=root, options=options, keyword_ids=job.keyword_ids, sites=sites, retried=True)
        if lookahead is not None and isinstance(error, DatabaseError):
            # Another writer took a slug, path or address after it was looked up (or
            # removed a row): once more, looking everything up afresh.
            return import_file(
                path, root=root, options=options, keyword_ids=job.keyword_ids, author_ids=job.author_ids, sites=sites
            )
        logger.exception("importing %s failed", result.path)
        result.status, result.error = "failed", f"{error.__class__.__name__}: {error}"
    return result


def _settled_without_writing(job: _Job) -> bool:
    """Read and classify the file; True when its result is known without writing an article:
    unchanged, skipped, a category page, or a conflict with an editor's changes."""
    result, options = job.result, job.options
    _, job.checksum = job.prepared.read()
    provenance = job.prepared.provenance
    existing = job.lookup.take_article(provenance) if job.lookup else UNKNOWN
    if isinstance(existing, Article) and (existing.source_checksum != job.checksum or options.overwrite):
        existing = UNKNOWN  # it will be written: read it afresh, right before its transaction
    if existing is UNKNOWN:
        existing = imported_articles([provenance])[provenance]
    job.existing = existing
    if existing and existing.source_checksum == job.checksum and not options.overwrite:
        result.status, result.article_url, result.article_id = "unchanged", existing.get_absolute_url(), existing.pk
        if (existing.source_site, existing.source_path) != provenance[:2] and not options.dry_run:
            # Imported before imports named their site: named now, so no other site's file takes it.
            # Provenance only: nothing a reader sees changes, so no new version.
            Article.objects.filter(pk=existing.pk).update(source_site=provenance.site, source_path=provenance.path)
        return True
    job.post = post = job.prepared.parse()
    result.warnings.extend(post.warnings)
    result.actions.extend(post.actions)
    if post.kind == "skip":
        result.status = "skipped"
        result.warnings.append(post.note)
        return True
    if post.kind == "category":
        with transaction.atomic():
            result.warnings.append(save_category(post, job.relative, options))
        result.status = "skipped"
        return True
    if existing and options.as_drafts and existing.status == Article.Status.PUBLISHED:
        # Whoever may not publish changes no published text (editorial/pending.py), by import either.
        result.status, result.article_url, result.article_id = "conflict", existing.get_absolute_url(), existing.pk
        result.error = "published: only an editor's import may change it; nothing was changed"
        return True
    if existing and existing.import_version not in (None, existing.version) and not options.overwrite:
        result.status, result.article_url, result.article_id = "conflict", existing.get_absolute_url(), existing.pk
        result.error = "edited in Newsroom since it was imported; run with --overwrite to replace those edits"
        return True
    job.cleaned = job.prepared.clean(options.legacy_base_url)
    result.actions += job.cleaned.actions
    result.warnings += job.cleaned.warnings
    job.pictures.gather([*job.cleaned.sources, post.lead_src])
    return False


class EditedMeanwhile(Exception):
    """An editor saved the article between the file's read and its transaction."""


def _locked_as_read(job: _Job) -> Article | None:
    """The existing article, locked for the file's transaction, as it was when the file was
    compared with it; EditedMeanwhile (the transaction rolls back) when an editor saved it since.
    With --overwrite the editor's save is replaced, as asked, from the row as it is now."""
    if job.existing is None:
        return None
    locked = Article.objects.select_for_update().filter(pk=job.existing.pk).first()
    if locked is None:
        raise EditedMeanwhile("deleted in Newsroom while the import ran; run it again to import it afresh")
    if locked.version != job.existing.version and not job.options.overwrite:
        raise EditedMeanwhile(
            "edited in Newsroom while the import ran (version "
            f"{job.existing.version} became {locked.version}); nothing was replaced. "
            "Run again to compare, or with --overwrite to replace those edits"
        )
    return locked


def _write(job: _Job) -> None:
    """The file's article, its figures, keywords, section and old address, in one transaction."""
    post, cleaned, options = job.post, job.cleaned, job.options
    with transaction.atomic():
        existing = _locked_as_read(job)
        if existing is not None and not options.dry_run:
            _keep_as_it_was(existing)
        stored = job.pictures.store()
        article = existing or Article()
        article.source_site, article.source_path = job.prepared.provenance[:2]
        article.title, article.standfirst, article.byline = post.title, post.standfirst, post.byline
        article.body = rewrite_sources(cleaned.html, stored)
        unresolved = []
        if has_site_links(article.body, job.old_site):  # to posts imported before: pointed at them now
            alive = job.run_addresses if options.dry_run else frozenset()
            article.body, unresolved = point_links(article.body, job.old_site, post.legacy_url, alive=alive)
        _set_state(article, post, options, existing=existing is not None)
        if article.body == cleaned.html:  # no picture was stored from it: prepared ahead already
            prepared = job.prepared.body(options.legacy_base_url)
        else:
            prepared = prepare_body(article.body)
        images = _pictures_of(job, prepared, stored)
        article.lead_image = stored.get(post.lead_src) or images.get(post.lead_src)
        if article.lead_image and cleaned.lead_alt and not article.lead_image.alt_text:
            article.lead_image.alt_text = cleaned.lead_alt
            article.lead_image.save(update_fields=["alt_text"])
        # Not in a dry run: new renditions would be written to storage, which does not roll back.
        for src, facts in post.pictures.items() if not options.dry_run else ():
            if image := stored.get(src) or images.get(src):
                apply_facts(image, facts, new=image in job.pictures.stored_files)
        if post.section:
            article.section = section_of(post, options=options, result=job.result) or article.section
        article.lead_caption = cleaned.lead_caption
        article.source_checksum, article.source_metadata = job.checksum, post.metadata
        article.legacy_url = post.legacy_url
        if not article.pk:
            article.slug = _new_slug(post, job.lookup)
        # save() bumps the version of an existing article; record the version it will have.
        article.import_version = article.version + 1 if article.pk else article.version
        article.body = prepared.html
        if options.strict and job.result.warnings:
            raise LegacyFileError(
                f"--strict: {len(job.result.warnings)} warning(s), the first: {job.result.warnings[0]}"
            )
        # A change to an existing article is kept as a revision, as an editor's save is (editorial/workflow.py).
        updating = existing is not None and not options.dry_run
        with reversion.create_revision() if updating else nullcontext():
            article.save(known_images=images, prepared=prepared)
            _link(job, article)
            if updating:
                _record_update(job, article)
        if options.dry_run:
            transaction.set_rollback(True)
    if unresolved:  # to posts later in the run, or dead: known once the run is in
        job.result.pending_links = PendingLinks(
            None if options.dry_run else article.pk,
            prepared.html,
            post.legacy_url,
            job.old_site,
            job.result.warnings,
            unresolved,
        )
    job.result.status = "updated" if existing else "created"
    job.result.article_url = article.get_absolute_url()
    # A dry run's article is rolled back: no page to link to.
    job.result.article_id = None if job.options.dry_run else article.pk
    job.result.actions += [f"{name}: {count}" for name, count in job.pictures.counts.items()]
    if not post.lead_src:
        job.result.actions.append("no lead image")


def _keep_as_it_was(article: Article) -> None:
    """A revision of the article as it is, when it has none (an article only imported until now),
    so that what an import replaces can be seen and restored from its history."""
    if not Version.objects.get_for_object(article).exists():
        with reversion.create_revision():
            reversion.add_to_revision(article)
            reversion.set_comment("As it was before an import changed it")


def _record_update(job: _Job, article: Article) -> None:
    """Who changed the article by an import, from which file: its revision's user and comment, and an event."""
    reversion.add_to_revision(article)  # again, now that _link() has set its keywords and authors
    site, path = job.prepared.provenance[:2]
    note = f"{ArticleEvent.Action.IMPORTED.label} from {site + ': ' if site else ''}{path}"[:500]
    user_id = job.options.user_id
    reversion.set_user(get_user_model()(pk=user_id) if user_id else None)
    reversion.set_comment(note)
    ArticleEvent.objects.create(
        article=article, article_title=article.title, action=ArticleEvent.Action.IMPORTED, user_id=user_id, note=note
    )


def _set_state(article: Article, post: LegacyPost, options: ImportOptions, *, existing: bool) -> None:
    if options.as_drafts and existing:
        return  # never changes what is live or when it goes live, in either direction
    if options.as_drafts:
        article.status, article.publish_at = Article.Status.DRAFT, post.publish_at
    else:
        if post.review:
            article.status = Article.Status.REVIEW  # not live either: no permission to publish is needed
        else:
            article.status = Article.Status.DRAFT if post.draft else Article.Status.PUBLISHED
        article.publish_at = post.publish_at


def _pictures_of(job: _Job, prepared: PreparedBody, stored: dict[str, Image]) -> dict[str, Image]:
    """The Image of the lead and of every figure of the body, found or made in one go."""
    post, cleaned = job.post, job.cleaned
    wanted = list(prepared.figures)
    if post.lead_src:
        wanted.append(FigureSpec(src=post.lead_src, alt=cleaned.lead_alt))
    known = {image.url: image for image in stored.values()}
    absent: set[str] = set()
    if job.lookup:
        found, absent = job.lookup.take_images(spec.src for spec in wanted if spec.src not in known)
        known.update(found)
    return Image.objects.for_sources(wanted, known=known, absent=absent)


def _new_slug(post: LegacyPost, lookup: BatchLookup | None) -> str:
    text = post.preferred_slug or post.title
    base = slug_base(text)
    return base if lookup and lookup.take_free_slug(base) else unique_slug(Article, text)


def _link(job: _Job, article: Article) -> None:
    """What the saved article is linked to: its keywords, its authors and its old address."""
    if job.lookup:
        job.lookup.slug_taken(article.slug)
    keyword_ids = job.keyword_ids.for_names(job.post.keywords)
    if job.existing:
        article.keywords.set(keyword_ids)
    else:
        add_keywords(article, keyword_ids)
    article.set_authors(job.author_ids.for_names(job.post.authors), new=job.existing is None)
    addresses = [path for path in [article.legacy_url, *job.post.aliases] if path]
    job.run_addresses.update(addresses)
    for old_path in dict.fromkeys(addresses):
        redirect = job.lookup.take_redirect(old_path) if job.lookup else UNKNOWN
        point_legacy_url(article, old_path, options=job.options, result=job.result, redirect=redirect)


def _strict_error(warnings: list[str]) -> str:
    return f"--strict: {len(warnings)} warning(s), the first: {warnings[0]}"


def _fail_after_the_run(result: FileResult) -> None:
    """--strict, for a warning found once the whole run was in (a dead link): a file's new article
    is taken out again; an update stays, and the report says so."""
    pending = result.pending_links
    result.error = _strict_error(result.warnings)
    if result.status == "created" and pending.article_id is not None:
        Article.objects.filter(pk=pending.article_id).delete()
        result.article_url = result.article_id = None
    elif result.status == "updated":
        result.error += " (links are checked after the run: the update was kept)"
    result.status = "failed"


def import_paths(
    paths: Iterable[Path],
    options: ImportOptions,
    *,
    progress: Callable[[FileResult], None] | None = None,
    keep_files: bool = True,
) -> ImportReport:
    """Import every file under paths. PatternError, before any file is read, when the run's
    legacy URL pattern is wrong."""
    report, sites = ImportReport(keep_files=keep_files), Sites(options)
    keyword_ids, author_ids = KeywordIds(), AuthorIds()
    held: list[FileResult] = []  # told once their links to other posts are resolved
    unreadable: list[FileResult] = []  # folders the walk could not read
    with WorkerPool(options) as pool:
        for chunk in pool.chunks(iter_files(paths, unreadable), sites):
            lookup = BatchLookup(chunk, options)
            for root, path in lookup.files:
                result = import_file(
                    path,
                    root=root,
                    options=options,
                    keyword_ids=keyword_ids,
                    author_ids=author_ids,
                    lookahead=lookup,
                    sites=sites,
                )
                if result.pending_links is not None:
                    held.append(result)
                    continue
                report.add(result)
                if progress:
                    progress(result)
    resolve_links([result.pending_links for result in held], run_addresses=sites.addresses)
    for result in unreadable:
        report.add(result)
        if progress:
            progress(result)
    for result in held:
        if options.strict and result.warnings:
            _fail_after_the_run(result)
        result.pending_links = None
        report.add(result)
        if progress:
            progress(result)
    report.notes = sites.problems
    report.sources = sorted(set(sites.names.values()))
    if (
        not options.dry_run
        and report.counts["created"] + report.counts["updated"] >= settings.NEWSROOM_IMPORT_ANALYZE_AFTER
    ):
        analyze_tables()
    return report
