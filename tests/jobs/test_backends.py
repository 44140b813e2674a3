"""The Tasks API as configured: immediate in tests, database rows for a worker, after-commit enqueueing."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from articles.jobs import TaskResultStatus, enqueue_after_commit
from tests.factories import runs_db_worker
from tests.jobs.sample_jobs import add

pytestmark = pytest.mark.django_db


def test_tests_run_jobs_at_once_by_default():
    result = add.enqueue(2, 3)

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 5


@runs_db_worker
def test_the_database_backend_queues_a_row_that_a_worker_runs(database_tasks):
    result = add.enqueue(4, 5)

    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == TaskResultStatus.READY
    assert row.task_path == "tests.jobs.sample_jobs.add"

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 9


def test_jobs_enqueued_in_a_transaction_wait_for_its_commit(database_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enqueue_after_commit(add, 1, 1)
        assert not DBTaskResult.objects.exists()

    for callback in callbacks:
        callback()
    assert DBTaskResult.objects.get().task_path == "tests.jobs.sample_jobs.add"
