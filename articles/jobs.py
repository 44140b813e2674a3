"""Background jobs: the one module that names the Tasks API.

Jobs are Django's Tasks API (DEP 14) through django-tasks, the backport of Django 6's
`django.tasks` to Django 5.2; settings.TASKS says which backend runs them (NEWSROOM_TASKS:
the database and `manage.py db_worker`, RQ, or immediately). Task functions live next to the
work they do and use only `task` and `.enqueue()` from here, so moving to Django 6 is a
change of this file's imports. See docs/deployment.md, "Background jobs".
"""

from functools import partial

from django.db import transaction
from django_tasks import TaskResultStatus, default_task_backend, task

__all__ = ["TaskResultStatus", "default_task_backend", "enqueue_after_commit", "task"]


def enqueue_after_commit(job, *args, **kwargs) -> None:
    """Enqueue `job` once the current transaction commits (at once outside one).

    A worker in another process must find the rows the job reads, and a rolled-back
    request must not leave a job behind. Arguments must be JSON: ids, not model instances.
    """
    transaction.on_commit(partial(job.enqueue, *args, **kwargs))
