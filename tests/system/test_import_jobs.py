"""An admin import queued for a real `db_worker` process, as in production: the request only queues
it, the worker imports it, and a worker killed half-way leaves a run that the next one finishes
without doubling an article."""

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.system.serving import ROOT, base_env, manage


@pytest.fixture
def site(tmp_path):
    env = {
        **base_env(tmp_path),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "NEWSROOM_TASKS": "database",
        "NEWSROOM_IMPORT_UPLOADS_DIR": str(tmp_path / "import-uploads"),
        "NEWSROOM_IMPORT_WORKERS": "0",
    }
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    return env, tmp_path / "db.sqlite3"


def driver(env, call: str) -> str:
    code = f"from tests.system import import_jobs_driver as d; d.{call}"
    return manage(env, "shell", "--verbosity", "0", "-c", code).stdout


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def run_row(database, run_id) -> dict:
    with sqlite3.connect(database, timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute("SELECT * FROM articles_importrun WHERE id = ?", [run_id]).fetchone()
        return {**dict(row), "report": json.loads(row["report"])}


def articles(database) -> tuple[int, int]:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute("SELECT COUNT(*), COUNT(DISTINCT source_path) FROM articles_article").fetchone()


def wait_for(predicate, what: str, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return value


def test_an_admin_import_is_queued_and_a_db_worker_process_runs_it(site):
    env, database = site
    run_id = int(driver(env, "post_import(30)").split()[-1])
    assert run_row(database, run_id)["state"] == "queued"  # the request did not import: no worker yet
    assert articles(database) == (0, 0)

    worker = start_worker(env)
    try:
        wait_for(lambda: run_row(database, run_id)["state"] == "done", "the worker to finish the import")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    answer = json.loads(driver(env, f"progress({run_id})").split("progress ", 1)[1])
    assert (answer["state"], answer["files_done"], answer["files_total"]) == ("done", 30, 30)
    assert answer["counts"]["created"] == 30
    assert articles(database) == (30, 30)


def test_a_worker_killed_mid_import_leaves_a_run_the_next_worker_finishes_without_duplicates(site):
    env, database = site
    env = {**env, "NEWSROOM_IMPORT_STALL_SECONDS": "2"}
    files = 1500
    run_id = int(driver(env, f"post_import({files})").split()[-1])

    worker = start_worker(env)
    try:
        wait_for(lambda: 0 < run_row(database, run_id)["files_done"] < files, "the import to be under way")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    killed = run_row(database, run_id)
    assert killed["state"] == "running" and killed["files_done"] < files, "the worker finished before it was killed"
    imported_before = articles(database)[0]
    assert 0 < imported_before < files

    time.sleep(2.5)  # quiet longer than NEWSROOM_IMPORT_STALL_SECONDS
    driver(env, f"progress({run_id})")  # the progress page's next poll queues the job again
    assert run_row(database, run_id)["attempt"] == 1
    worker = start_worker(env)
    try:
        wait_for(lambda: run_row(database, run_id)["state"] == "done", "the next worker to finish the import")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    report = run_row(database, run_id)["report"]
    assert articles(database) == (files, files)
    assert report["created"] + report["unchanged"] == files and report["failed"] == 0
    assert report["unchanged"] >= imported_before


def test_with_rq_an_rq_worker_process_runs_the_admin_import(site):
    from tests.system.test_jobs import redis_url_or_skip

    env, database = site
    env = {**env, "NEWSROOM_TASKS": "rq", "REDIS_URL": redis_url_or_skip()}
    run_id = int(driver(env, "post_import(5)").split()[-1])
    assert run_row(database, run_id)["state"] == "queued"
    manage(env, "rqworker", "default", "--burst")
    assert run_row(database, run_id)["state"] == "done"
    assert articles(database) == (5, 5)
