"""Background jobs: the one module that names the Tasks API.

Jobs are Django's Tasks API (DEP 14) through django-tasks, the backport of Django 6's
`django.tasks` to Django 5.2; settings.TASKS says which backend runs them (NEWSROOM_TASKS:
the database and `manage.py db_worker`, RQ, or immediately). Task functions live next to the
work they do and use only `task` and `.enqueue()` from here, so moving to Django 6 is a
change of this file's imports. See docs/deployment.md, "Background jobs".
"""

from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django_tasks import TaskResultStatus, default_task_backend, task

__all__ = [
    "TaskResultStatus",
    "can_wait",
    "default_task_backend",
    "enqueue_after_commit",
    "enqueue_at",
    "retry_delay",
    "task",
]


def enqueue_after_commit(job, *args, **kwargs) -> None:
    """Enqueue `job` once the current transaction commits (at once outside one).

    A worker in another process must find the rows the job reads, and a rolled-back
    request must not leave a job behind. Arguments must be JSON: ids, not model instances.
    """
    transaction.on_commit(partial(job.enqueue, *args, **kwargs))


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, ...): NEWSROOM_RETRY_FIRST_SECONDS,
    doubling each time, never more than an hour."""
    return timedelta(seconds=min(settings.NEWSROOM_RETRY_FIRST_SECONDS * 2 ** (attempt - 1), 3600))


def can_wait(job) -> bool:
    """Whether job's backend keeps a job until a later time (run_after); the immediate one runs it now."""
    return job.get_backend().supports_defer


def enqueue_at(job, when: datetime, *args, **kwargs):
    """Enqueue job to run at `when` or later, on a backend that can wait (can_wait()); at once on one that cannot."""
    if can_wait(job):
        job = job.using(run_after=when)
    return job.enqueue(*args, **kwargs)
