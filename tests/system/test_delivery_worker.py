"""Purges and webhooks through a real `db_worker` process: a publish queues them, the targets fail,
the worker retries with backoff, and both are delivered once the targets recover."""

import subprocess
import sys
import threading
import time
from http.server import ThreadingHTTPServer

from tests.delivery.conftest import Endpoint
from tests.system.serving import ROOT, base_env, manage

PUBLISH = """
from django.contrib.auth.models import Group, User
from articles.editorial import workflow
from articles.models import Article, Webhook
editor = User.objects.create_user("editor", is_staff=True)
editor.groups.add(Group.objects.get(name="Editors"))
Webhook.objects.create(name="Partner", url="{url}/hook", events=["published"])
draft = Article.objects.create(title="Harbour reopens", status="draft")
workflow.publish(article=draft, user=editor)
"""

# The worker, allowed to reach this machine's test server (production refuses loopback and odd ports).
WORKER = """
from django.conf import settings
from django.core.management import call_command
settings.NEWSROOM_WEBHOOK_ALLOWED_PORTS = [{port}]
call_command("db_worker", reload=False, interval=0.2, startup_delay=False, verbosity=0)
"""

STATE = """
from django_tasks_db.models import DBTaskResult
from articles.models import WebhookDelivery
d = WebhookDelivery.objects.first()
purges = DBTaskResult.objects.filter(task_path="articles.caching.purge.send", status="SUCCESSFUL")
print(d.status if d else "none", d.attempts if d else 0, any(p.return_value is True for p in purges))
"""


def test_a_worker_process_delivers_purges_and_webhooks_after_the_targets_recover(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    server.requests, server.status, server.hang, server.release = [], 503, False, threading.Event()
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    env = {
        **base_env(tmp_path),
        "DEBUG": "1",
        "NEWSROOM_TASKS": "database",
        "NEWSROOM_PURGE_BACKEND": "http",
        "NEWSROOM_PURGE_URLS": f"http://127.0.0.1:{port}",
        "NEWSROOM_WEBHOOK_ALLOW_PRIVATE": "1",
        "NEWSROOM_RETRY_FIRST_SECONDS": "0.5",
    }
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "shell", "-c", PUBLISH.format(url=f"http://127.0.0.1:{port}"))
    assert server.requests == []  # publishing only queued them

    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", WORKER.format(port=port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while {r.method for r in server.requests} != {"POST", "PURGE"}:
            assert time.monotonic() < deadline, "the worker never tried the targets"
            time.sleep(0.2)
        failed = len(server.requests)
        server.status = 200  # the targets recover
        while (state := manage(env, "shell", "-c", STATE).stdout.split()[-3:])[0] != "delivered" or state[2] != "True":
            assert time.monotonic() < deadline, f"not delivered after the targets recovered: {state}"
            time.sleep(0.5)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
        server.server_close()
    assert int(state[1]) >= 2  # a failed attempt, then the one that went through
    assert len(server.requests) > failed
