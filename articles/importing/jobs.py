"""Admin imports as background jobs: the upload is kept in a private folder, the import runs in a
jobs worker, and its ImportRun row says how far it is for the progress page to poll.

A job that dies with its worker is run again (resume_stalled): its files are imported once
more, which changes nothing for those already in (an unchanged file is a no-op), so no article
is doubled. Each try owns the run by its attempt number, so a try given up for dead that wakes
up stops at its next progress write instead of racing its successor.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import time
from collections import Counter
from dataclasses import asdict, replace
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.importing.options import ImportOptions, ImportReport, iter_files
from articles.importing.service import import_paths
from articles.importing.uploads import UploadError, keep, kept, unpack
from articles.jobs import enqueue_after_commit, task
from articles.models import ImportRun

logger = logging.getLogger(__name__)

ROOT_NAME = "uploads"  # the unpacked folder: an import's source name when the form and the site give none
UNPACKED = "unpacked"  # written once the upload is unpacked whole: a retry does not unpack again
FAILURES_SHOWN = 200  # failures a running import's progress lists (the final report has them all)
DRY_RUN_FILES_KEPT_DAYS = 2  # a dry run's files wait this long for "Import these files for real"


class Superseded(Exception):
    """This try no longer owns its run: a later one took over, or the run was finished."""


def options_as_json(options: ImportOptions) -> dict:
    data = asdict(options)
    data["images_dir"] = None  # the admin's imports find pictures inside the upload
    data["permissions"] = None if options.permissions is None else sorted(options.permissions)
    return data


def options_from_json(data: dict) -> ImportOptions:
    permissions = data.get("permissions")
    return ImportOptions(**{**data, "permissions": None if permissions is None else frozenset(permissions)})


def _folder(run: ImportRun) -> Path:
    if not run.folder:  # never the uploads folder itself: removing it would remove every run's files
        raise UploadError("The uploaded files are no longer kept: upload them again.")
    return Path(settings.NEWSROOM_IMPORT_UPLOADS_DIR) / run.folder


def forget_old_dry_runs(*, days: int = DRY_RUN_FILES_KEPT_DAYS) -> int:
    """Remove the files of dry runs older than `days` that were never imported for real."""
    old = ImportRun.objects.filter(
        dry_run=True, state=ImportRun.State.DONE, created_at__lt=timezone.now() - timedelta(days=days)
    ).exclude(folder="")
    for run in old:
        _remove_files(run)
    return len(old)


def start(uploads, options: ImportOptions, *, source: str, user) -> ImportRun:
    """Keep the uploads, record the run and queue its job (once this transaction commits)."""
    forget_old_dry_runs()
    run = ImportRun(source=source[:500], dry_run=options.dry_run, started_by=user, report={"finished": False})
    run.state, run.folder = ImportRun.State.QUEUED, secrets.token_hex(16)
    run.options, run.heartbeat_at = options_as_json(options), timezone.now()
    try:
        keep(uploads, _folder(run) / "received")
    except UploadError:
        shutil.rmtree(_folder(run), ignore_errors=True)
        raise
    run.save()
    enqueue_after_commit(import_run, run.pk, run.attempt)
    return run


def start_for_real(dry_run: ImportRun, options: ImportOptions, *, user) -> ImportRun | None:
    """Import the files of a finished dry run for real, with `options` (the user's own rights);
    None when its files are gone (already imported for real, or removed)."""
    with transaction.atomic():
        taken = ImportRun.objects.filter(pk=dry_run.pk, dry_run=True, state=ImportRun.State.DONE).exclude(folder="")
        folder = taken.values_list("folder", flat=True).first()
        if folder is None or not taken.update(folder=""):
            return None
        run = ImportRun.objects.create(
            source=dry_run.source,
            dry_run=False,
            started_by=user,
            report={"finished": False},
            state=ImportRun.State.QUEUED,
            folder=folder,
            options=options_as_json(replace(options, dry_run=False)),
            heartbeat_at=timezone.now(),
        )
        enqueue_after_commit(import_run, run.pk, run.attempt)
    return run


def resume_stalled() -> list[int]:
    """Run again the admin imports whose job stopped saying anything (its worker died); fail
    those that have had all their tries. Returns the ids of the runs queued again."""
    quiet_since = timezone.now() - timedelta(seconds=settings.NEWSROOM_IMPORT_STALL_SECONDS)
    resumed = []
    for run in ImportRun.objects.stalled(quiet_since=quiet_since).only("pk", "attempt"):
        stalled = ImportRun.objects.stalled(quiet_since=quiet_since).filter(pk=run.pk, attempt=run.attempt)
        if run.attempt + 1 >= settings.NEWSROOM_IMPORT_ATTEMPTS:
            if stalled.update(state=ImportRun.State.FAILED, error="The import stopped every time it was tried."):
                _remove_files(run)
            continue
        with transaction.atomic():
            if stalled.update(state=ImportRun.State.QUEUED, attempt=run.attempt + 1, heartbeat_at=timezone.now()):
                logger.warning("import run %s stalled: running it again (try %s)", run.pk, run.attempt + 2)
                enqueue_after_commit(import_run, run.pk, run.attempt + 1)
                resumed.append(run.pk)
    return resumed


class Progress:
    """A running import's counts and failures, written to its run at most once a second (and
    when asked): often enough for a progress bar, rarely enough to cost nothing per file."""

    def __init__(self, run: ImportRun, root: Path, *, every: float = 1.0):
        self.run_id, self.attempt, self.root, self.every = run.pk, run.attempt, root, every
        self.tally: Counter = Counter()
        self.failures: list[dict] = []
        self.done, self.written_at = 0, 0.0

    def __call__(self, result) -> None:
        result.path = self.shown(result.path)
        self.done += 1
        self.tally[result.status] += 1
        if result.status in ("failed", "conflict") and len(self.failures) < FAILURES_SHOWN:
            self.failures.append({"path": result.path, "status": result.status, "error": result.error})
        if time.monotonic() - self.written_at >= self.every:
            self.write()

    def shown(self, path: str) -> str:
        """A path inside the upload, not in the private folder."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return path

    def write(self, **fields) -> None:
        counts = ImportReport(tally=self.tally).counts
        report = {"finished": False, **counts, "failures": self.failures}
        owned = ImportRun.objects.filter(pk=self.run_id, attempt=self.attempt, state=ImportRun.State.RUNNING)
        if not owned.update(files_done=self.done, heartbeat_at=timezone.now(), report=report, **fields):
            raise Superseded
        self.written_at = time.monotonic()


def _unpacked(folder: Path) -> tuple[Path, list[str]]:
    """The upload unpacked under folder/uploads, once: a retry or an import for real after a dry
    run finds it done. Returns the root to import and the upload's warnings."""
    root, marker = folder / ROOT_NAME, folder / UNPACKED
    if marker.exists():
        return root, marker.read_text(encoding="utf-8").splitlines()
    shutil.rmtree(root, ignore_errors=True)  # half unpacked by a try that died
    root.mkdir(parents=True)
    files = kept(folder / "received")
    try:
        warnings = unpack(files, root)
    finally:
        for file in files:
            file.close()
    marker.write_text("\n".join(warnings), encoding="utf-8")
    shutil.rmtree(folder / "received", ignore_errors=True)
    return root, warnings


@task
def import_run(run_id: int, attempt: int) -> str:
    """The job of one admin import (try `attempt`): unpack, import with progress, write the report."""
    resume_stalled()  # an import whose worker died runs again after this one, even if nobody watches it
    if not ImportRun.objects.claim(run_id, attempt):
        return "superseded"
    run = ImportRun.objects.get(pk=run_id)
    progress = Progress(run, Path(settings.NEWSROOM_IMPORT_UPLOADS_DIR) / run.folder / ROOT_NAME)
    try:
        root, warnings = _unpacked(_folder(run))
        progress.write(files_total=sum(1 for _ in iter_files([root])))
        # Parsing processes as import_legacy has them, so the admin's import runs at the command's rate.
        options = replace(options_from_json(run.options), workers=settings.NEWSROOM_IMPORT_WORKERS)
        report = import_paths([root], options, progress=progress)
        report.notes += warnings
        if attempt:
            report.notes.append(
                "The import was interrupted and run again: files it had imported before show as unchanged."
            )
        progress.write()  # still the owner: the report is this try's to write
        ImportRun.objects.filter(pk=run_id, attempt=attempt).update(
            state=ImportRun.State.DONE, report=report.as_dict(), files_done=progress.done
        )
    except Superseded:
        return "superseded"
    except UploadError as error:
        _fail(run, attempt, str(error))
        return "failed"
    except Exception as error:
        _fail(run, attempt, f"{error.__class__.__name__}: {error}")
        raise
    if not options.dry_run:  # a dry run's files stay for the import for real
        _remove_files(run)
    return "done"


def _fail(run: ImportRun, attempt: int, error: str) -> None:
    if ImportRun.objects.filter(pk=run.pk, attempt=attempt).update(state=ImportRun.State.FAILED, error=error):
        _remove_files(run)


def _remove_files(run: ImportRun) -> None:
    if run.folder:
        ImportRun.objects.filter(pk=run.pk).update(folder="")
        shutil.rmtree(_folder(run), ignore_errors=True)
