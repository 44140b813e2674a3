"""Background jobs as an operator runs them: the backend the environment picks, and a real `db_worker` process."""

import os
import subprocess
import sys
import time

from tests.system.serving import ROOT, base_env, manage


def backend_in(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"NEWSROOM_TASKS", "REDIS_URL"}}
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    return subprocess.run(  # noqa: S603 (fixed arguments, our own manage.py)
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_jobs_go_to_the_database_unless_the_environment_says_rq_or_immediate():
    assert backend_in().stdout.split()[-1] == "django_tasks_db.DatabaseBackend"
    rq = backend_in(NEWSROOM_TASKS="rq", REDIS_URL="redis://127.0.0.1:6379/1")
    assert rq.stdout.split()[-1] == "django_tasks_rq.RQBackend"
    immediate = backend_in(NEWSROOM_TASKS="immediate")
    assert immediate.stdout.split()[-1] == "django_tasks.backends.immediate.ImmediateBackend"


def test_rq_without_redis_or_an_unknown_backend_stops_the_process_and_says_why():
    assert "NEWSROOM_TASKS=rq needs REDIS_URL" in backend_in(NEWSROOM_TASKS="rq").stderr
    assert "NEWSROOM_TASKS='celery': use database, rq or immediate" in backend_in(NEWSROOM_TASKS="celery").stderr


def test_a_db_worker_process_runs_what_another_process_queued(tmp_path):
    env = {**base_env(tmp_path), "DEBUG": "1", "NEWSROOM_TASKS": "database"}
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    enqueue = "from tests.jobs.sample_jobs import add; print(add.enqueue(20, 22).id)"
    result_id = manage(env, "shell", "-c", enqueue).stdout.split()[-1]

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        read = f"from tests.jobs.sample_jobs import add; r = add.get_result({result_id!r}); print(r.status, r.return_value if r.is_finished else None)"
        deadline = time.monotonic() + 120
        while (status := manage(env, "shell", "-c", read).stdout.split()[-2:]) != ["SUCCESSFUL", "42"]:
            assert time.monotonic() < deadline, f"the worker never ran the job: {status}"
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
