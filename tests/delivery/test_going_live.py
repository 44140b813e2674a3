"""A scheduled article goes live everywhere at its publish time (delivery/going_live.py): a job queued
for that time bumps the content generation, purges its pages and tells the webhooks, once, and only
if the article is still due then."""

import json
import time
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.caching import generation
from articles.delivery import going_live
from articles.editorial import workflow
from articles.jobs import TaskResultStatus
from articles.models import Article, Webhook
from tests.delivery.conftest import run_due
from tests.factories import make_article, runs_db_worker

pytestmark = pytest.mark.django_db
GO_LIVE = "articles.delivery.going_live.go_live"


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture
def draft():
    return make_article(title="Budget day", status=Article.Status.DRAFT)


@pytest.fixture
def everywhere(settings, webhooks_to_this_machine):
    """One local server is both the CDN and a webhook receiver."""
    endpoint = webhooks_to_this_machine
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URLS = [endpoint.url]
    Webhook.objects.create(name="Partner", url=endpoint.url + "/hook", events=["published"])
    return endpoint


def schedule(article, user, at, capture):
    with capture(execute=True):
        workflow.publish(article=article, user=user, at=at)


@runs_db_worker
def test_at_its_time_the_worker_bumps_the_generation_purges_and_tells_the_webhooks(
    everywhere, database_tasks, draft, editor, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(seconds=1)
    schedule(draft, editor, at, django_capture_on_commit_callbacks)
    job = DBTaskResult.objects.get(task_path=GO_LIVE)
    assert job.run_after == at

    run_worker()  # before the time: nothing runs, nothing is told
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert [r for r in everywhere.requests if r.method == "POST"] == []
    before = generation.current()

    time.sleep(max(0.0, (at - timezone.now()).total_seconds()) + 0.05)
    with django_capture_on_commit_callbacks(execute=True):  # a real worker runs outside any transaction
        run_worker()

    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL and job.return_value is True
    assert generation.current() != before  # every cached page made before is stale
    purged = {r.path for r in everywhere.requests if r.method == "PURGE"}
    assert draft.get_absolute_url() in purged and "/" in purged
    [told] = [r for r in everywhere.requests if r.method == "POST"]
    assert json.loads(told.body)["event"] == "published"
    assert json.loads(told.body)["article"]["slug"] == draft.slug
    occurred = datetime.fromisoformat(json.loads(told.body)["occurred_at"])
    assert abs(occurred - at) < timedelta(milliseconds=1)  # when it went live, not when the job ran


def test_a_rescheduled_or_unpublished_article_is_not_made_live_by_its_old_job(
    draft, editor, dummy_tasks, django_capture_on_commit_callbacks
):
    first = timezone.now() + timedelta(hours=1)
    schedule(draft, editor, first, django_capture_on_commit_callbacks)
    later = first + timedelta(hours=2)
    schedule(draft, editor, later, django_capture_on_commit_callbacks)
    jobs = [(r.task.name, r.task.run_after, r.args) for r in dummy_tasks.results]
    assert jobs == [
        ("go_live", first, [draft.pk, first.isoformat()]),
        ("go_live", later, [draft.pk, later.isoformat()]),
    ]

    Article.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    moved = Article.objects.get(pk=draft.pk).publish_at
    assert going_live.go_live.call(draft.pk, first.isoformat()) is False  # the time it was for is not its time
    assert going_live.go_live.call(draft.pk, moved.isoformat()) is True

    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    assert going_live.go_live.call(draft.pk, moved.isoformat()) is False
    assert going_live.go_live.call(draft.pk + 1000, moved.isoformat()) is False  # deleted


def test_a_job_run_before_its_time_waits_for_it_again(draft, editor, dummy_tasks, django_capture_on_commit_callbacks):
    at = timezone.now() + timedelta(hours=1)
    schedule(draft, editor, at, django_capture_on_commit_callbacks)
    [job] = dummy_tasks.results
    dummy_tasks.clear()
    assert job.task.call(*job.args) is False  # a worker whose clock runs an hour fast
    [again] = dummy_tasks.results
    assert (again.task.name, again.task.run_after, again.args) == ("go_live", at, job.args)
    assert run_due(dummy_tasks) == []  # not due: still waiting


def test_publishing_now_queues_no_go_live(draft, editor, dummy_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft, user=editor)
    assert [r.task.name for r in dummy_tasks.results if r.task.name == "go_live"] == []
