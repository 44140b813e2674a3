"""Admin imports as background jobs: the request only keeps the files and queues the job; the run's
page follows it through a small JSON answer; a dry run's files import for real without a new upload;
a job whose worker died runs again without doubling anything."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles.importing import FileResult, jobs
from articles.models import Article, ImportRun
from tests.admin.test_import import POST, zip_upload

pytestmark = pytest.mark.django_db


def posts_zip(count: int, *, broken: int = 0) -> SimpleUploadedFile:
    members = {
        f"posts/story-{n}.md": POST.replace("Ferry timetable changes in spring", f"Story number {n}").encode()
        for n in range(count)
    }
    members |= {f"posts/broken-{n}.md": b"---\ntitle: [never closed\n---\nA body.\n" for n in range(broken)}
    return zip_upload(members)


def start_import(client, upload, *, run_jobs: bool, **fields):
    """Post the import form; with run_jobs the queued job runs as the request commits (immediate backend)."""
    data = {"files": [upload], "legacy_url_pattern": "news/{filename}", "legacy_base_url": "", **fields}
    with TestCase.captureOnCommitCallbacks(execute=run_jobs) as queued:
        response = client.post(reverse("admin:articles_article_import"), data)
    return response, queued


def progress(client, run) -> dict:
    response = client.get(reverse("admin:articles_article_import_progress", args=[run.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_request_keeps_the_files_queues_the_job_and_redirects_to_its_progress(client, editor, settings):
    client.force_login(editor)
    response, queued = start_import(client, posts_zip(3, broken=1), run_jobs=False)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_import_run", args=[run.pk])
    assert len(queued) == 1  # the job, queued once the request's transaction commits
    assert not Article.objects.exists()
    assert (settings.NEWSROOM_IMPORT_UPLOADS_DIR / run.folder).is_dir()  # private, not under MEDIA_ROOT
    assert progress(client, run) | {"counts": None} == {
        "state": "queued",
        "state_label": "Waiting for a worker",
        "in_progress": True,
        "files_total": 0,
        "files_done": 0,
        "counts": None,
        "failures": [],
        "error": "",
    }
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page and "import_progress.js" in page

    queued[0]()  # the worker runs it

    answer = progress(client, run)
    assert (answer["state"], answer["in_progress"]) == ("done", False)
    assert (answer["files_total"], answer["files_done"]) == (4, 4)
    assert answer["counts"]["created"] == 3 and answer["counts"]["failed"] == 1
    assert [failure["path"] for failure in answer["failures"]] == ["posts/broken-0.md"]
    assert Article.objects.count() == 3
    assert not (settings.NEWSROOM_IMPORT_UPLOADS_DIR / run.folder).exists()  # removed once imported


def test_the_report_links_each_article_to_its_admin_page_and_its_public_page(client, editor):
    client.force_login(editor)
    response, _ = start_import(client, posts_zip(2), run_jobs=True)
    page = client.get(response["Location"]).content.decode()
    assert "Import finished" in page
    for article in Article.objects.all():
        assert f'href="{reverse("admin:articles_article_change", args=[article.pk])}"' in page
        assert f'href="{article.get_absolute_url()}"' in page


def test_progress_shows_failures_as_they_come(editor, settings, tmp_path):
    run = ImportRun.objects.create(state=ImportRun.State.RUNNING, started_by=editor, folder="x")
    recorder = jobs.Progress(run, tmp_path / "uploads", every=0)
    ok = FileResult(path=str(tmp_path / "uploads/posts/a.md"), status="created")
    bad = FileResult(path=str(tmp_path / "uploads/posts/b.md"), status="failed", error="malformed YAML")
    recorder(ok)
    recorder(bad)
    run.refresh_from_db()
    assert run.files_done == 2
    assert run.report["created"] == 1 and run.report["failed"] == 1
    assert run.report["failures"] == [{"path": "posts/b.md", "status": "failed", "error": "malformed YAML"}]
    assert not run.finished


def test_after_a_dry_run_the_same_files_import_for_real_without_choosing_them_again(client, editor):
    client.force_login(editor)
    response, _ = start_import(client, posts_zip(2), run_jobs=True, dry_run="on")
    dry_run = ImportRun.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Dry run: nothing was saved" in page and "Import these files for real" in page
    assert not Article.objects.exists()

    for_real = reverse("admin:articles_article_import_for_real", args=[dry_run.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(for_real)
    run = ImportRun.objects.exclude(pk=dry_run.pk).get()
    assert response["Location"] == reverse("admin:articles_article_import_run", args=[run.pk])
    assert (run.dry_run, run.state, run.report["created"]) == (False, "done", 2)
    assert Article.objects.count() == 2

    again = client.post(for_real, follow=True)  # the files went with the first import for real
    assert "no longer kept" in again.content.decode()
    assert ImportRun.objects.count() == 2


def test_a_writer_is_told_before_importing_and_their_import_for_real_makes_drafts(client, writer, editor):
    client.force_login(writer)
    assert (
        "everything you import becomes a draft" in client.get(reverse("admin:articles_article_import")).content.decode()
    )
    start_import(client, posts_zip(1), run_jobs=True, dry_run="on")
    dry_run = ImportRun.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("admin:articles_article_import_for_real", args=[dry_run.pk]))
    assert Article.objects.get().status == Article.Status.DRAFT


def test_a_writer_follows_only_their_own_imports(client, writer, editor):
    client.force_login(editor)
    start_import(client, posts_zip(1), run_jobs=True, dry_run="on")
    run = ImportRun.objects.get()
    client.force_login(writer)
    assert client.get(reverse("admin:articles_article_import_progress", args=[run.pk])).status_code == 403
    assert client.post(reverse("admin:articles_article_import_for_real", args=[run.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("admin:articles_article_import_progress", args=[run.pk])).status_code == 302  # login


def test_a_job_whose_worker_died_runs_again_and_doubles_nothing(client, editor, monkeypatch):
    client.force_login(editor)
    _, queued = start_import(client, posts_zip(3), run_jobs=False)
    run = ImportRun.objects.get()
    # Its first try imports one file, then its worker is killed: the run says "running", and nothing more.
    counted = jobs.Progress.__call__

    def killed_after_one_file(self, result):
        counted(self, result)
        raise SystemExit("killed")

    monkeypatch.setattr(jobs.Progress, "__call__", killed_after_one_file)
    with pytest.raises(SystemExit):
        jobs.import_run.call(run.pk, 0)
    monkeypatch.undo()
    assert Article.objects.count() == 1
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))

    with TestCase.captureOnCommitCallbacks(execute=True):
        answer = progress(client, run)  # a watcher's poll finds it stalled and queues it again
    assert answer["in_progress"]  # as it was when polled
    run.refresh_from_db()
    assert (run.attempt, run.state) == (1, "done")
    assert (run.report["created"], run.report["unchanged"]) == (2, 1)
    assert "interrupted and run again" in " ".join(run.report["notes"])
    assert Article.objects.count() == 3
    assert Article.objects.values("source_path").distinct().count() == 3

    queued[0]()  # the first try's job, run late by a slow queue: no longer the owner, it changes nothing
    run.refresh_from_db()
    assert (run.attempt, run.state, run.report["created"]) == (1, "done", 2)


def test_a_job_that_keeps_dying_is_given_up_with_a_reason(editor, settings):
    run = ImportRun.objects.create(
        state="running", attempt=settings.NEWSROOM_IMPORT_ATTEMPTS - 1, folder="abc", started_by=editor
    )
    (settings.NEWSROOM_IMPORT_UPLOADS_DIR / "abc" / "uploads").mkdir(parents=True)
    ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert jobs.resume_stalled() == []
    run.refresh_from_db()
    assert run.state == "failed" and "stopped every time" in run.error
    assert run.folder == "" and not (settings.NEWSROOM_IMPORT_UPLOADS_DIR / "abc").exists()


def test_a_dry_runs_files_are_kept_two_days_for_the_import_for_real(client, editor, settings):
    client.force_login(editor)
    start_import(client, posts_zip(1), run_jobs=True, dry_run="on")
    dry_run = ImportRun.objects.get()
    assert jobs.forget_old_dry_runs() == 0
    ImportRun.objects.filter(pk=dry_run.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert jobs.forget_old_dry_runs() == 1
    dry_run.refresh_from_db()
    assert dry_run.folder == ""
    assert not list(settings.NEWSROOM_IMPORT_UPLOADS_DIR.iterdir())
    assert (
        "Import these files for real"
        not in client.get(f"/admin/articles/article/import/{dry_run.pk}/").content.decode()
    )
