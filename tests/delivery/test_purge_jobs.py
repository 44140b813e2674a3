"""CDN purges as jobs (caching/purge.py): a dead purge endpoint does not slow saving, and the purge
is delivered once the endpoint comes back. Jobs queue in the database and `db_worker` runs them."""

import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.caching import purge
from articles.jobs import TaskResultStatus
from tests.delivery.conftest import run_due
from tests.factories import make_article, runs_db_worker

pytestmark = pytest.mark.django_db
PURGE_TASK = "articles.caching.purge.send"


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.fixture
def cdn(settings, endpoint):
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URLS = [endpoint.url]
    settings.NEWSROOM_PURGE_METHOD = "PURGE"
    settings.NEWSROOM_PURGE_TIMEOUT = 2
    return endpoint


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(title="Quay works", publish_at=timezone.now() - timedelta(hours=1))


def edit(story, django_capture_on_commit_callbacks, title):
    DBTaskResult.objects.all().delete()  # the story's own creation queued a purge too
    with django_capture_on_commit_callbacks(execute=True):
        story.title = title
        story.save()


def test_a_purge_endpoint_that_hangs_does_not_slow_saving(
    cdn, database_tasks, story, django_capture_on_commit_callbacks
):
    cdn.hang = True  # accepts the connection, never answers: each request would wait out its 2 s timeout
    started = time.monotonic()
    edit(story, django_capture_on_commit_callbacks, "Quay works finish")
    assert time.monotonic() - started < 1.0
    assert cdn.requests == []  # nothing was sent from the request
    queued = DBTaskResult.objects.get(task_path=PURGE_TASK)
    assert story.get_absolute_url() in queued.args_kwargs["args"][0]


@runs_db_worker
def test_a_purge_that_fails_is_delivered_by_the_worker_when_the_endpoint_recovers(
    cdn, database_tasks, story, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_RETRY_FIRST_SECONDS = 0.5
    cdn.status = 503
    edit(story, django_capture_on_commit_callbacks, "Quay works finish")

    run_worker()  # first attempt: 503, a second one queued for half a second later
    first, retry = DBTaskResult.objects.filter(task_path=PURGE_TASK).order_by("enqueued_at")
    assert first.status == TaskResultStatus.SUCCESSFUL and first.return_value is False
    assert retry.status == TaskResultStatus.READY and retry.args_kwargs["args"][2] == 2
    assert retry.run_after > first.finished_at
    failed = len(cdn.requests)
    assert failed == 1  # the server was unwell: no timeout waited out per path

    cdn.status = 200  # the endpoint recovers
    run_worker()  # too early: the retry waits its turn
    assert len(cdn.requests) == failed
    time.sleep(max(0.0, (retry.run_after - timezone.now()).total_seconds()) + 0.05)
    run_worker()

    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL and retry.return_value is True
    delivered = [request.path for request in cdn.requests[failed:]]
    assert story.get_absolute_url() in delivered
    assert {request.method for request in cdn.requests} == {"PURGE"}


def test_a_purge_gives_up_after_its_attempts(cdn, dummy_tasks, settings):
    settings.NEWSROOM_RETRY_FIRST_SECONDS = 0
    settings.NEWSROOM_PURGE_ATTEMPTS = 3
    cdn.status = 500
    purge.purge({"/a/"})
    ran = run_due(dummy_tasks)
    assert [(name, result) for name, result in ran] == [("send", False)] * 3
    assert len(cdn.requests) == 3 and dummy_tasks.results == []


def test_without_a_backend_that_waits_a_failed_purge_is_tried_once(cdn):
    cdn.status = 500  # tests run jobs at once (NEWSROOM_TASKS=immediate): no retry loop in the request
    purge.purge({"/a/"})
    assert len(cdn.requests) == 1
