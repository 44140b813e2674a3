"""Benchmark: publishing with a dead CDN endpoint and a dead webhook target.

In a fresh SQLite database, an editor publishes drafts through the admin's change form
(Django's test client, in process: the whole request, middleware, admin and commit).
The save request is timed in three setups:

1. none: no purge backend, no webhook (the baseline);
2. dead targets, jobs: an HTTP purge backend and a webhook (all events), both pointing at a
   local server that accepts connections and never answers. Purges and deliveries are jobs in
   the database (NEWSROOM_TASKS=database, the default);
3. dead CDN, inline: NEWSROOM_TASKS=immediate, so the purge runs inside the request, as every
   purge did before purges were jobs; no webhook. Fewer saves: each waits out the timeout.

Then the targets come back. First they answer 503 while `db_worker` makes one round, so
every job fails once and queues a retry with backoff. Then they answer 200, and `db_worker`
runs until no job is left. The run counts the webhook deliveries delivered, and the purges
whose last attempt succeeded.

    python bench/delivery_bench.py                  (200 saves per setup)
    python bench/delivery_bench.py --saves 50
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Target(BaseHTTPRequestHandler):
    """A CDN purge endpoint and webhook receiver: hangs while dead, else answers server.status."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if self.server.hang:
            self.server.release.wait(60)
            return
        self.server.received += 1
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PURGE = _answer

    def log_message(self, *args):
        pass


def start_target() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Target)
    server.daemon_threads = True
    server.hang, server.status, server.received, server.release = True, 200, 0, threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def publish_draft(client, title: str) -> float:
    """Publish a new draft through the change form; the time of the save request, in ms."""
    from django.urls import reverse

    from articles.models import Article
    from tests.factories import change_form

    draft = Article.objects.create(title=title, body="<p>Harbour news.</p>", status="draft")
    data = change_form(draft, status="published")
    started = time.perf_counter()
    response = client.post(reverse("admin:articles_article_change", args=[draft.pk]), data)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 302, response.status_code
    assert Article.objects.filter(pk=draft.pk, status="published").exists()
    return elapsed


def report(label: str, times: list[float]) -> None:
    print(
        f"{label:<28} {len(times):>5} saves   p50 {statistics.median(times):7.1f} ms   "
        f"p99 {percentile(times, 0.99):7.1f} ms   max {max(times):7.1f} ms"
    )


def drain(max_seconds: float) -> float:
    """Run db_worker rounds until no job is waiting; the seconds it took."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    started = time.perf_counter()
    while DBTaskResult.objects.filter(status="READY").exists():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        if time.perf_counter() - started > max_seconds:
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--inline-saves", type=int, default=10)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsroom-delivery-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="benchmark-only",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL="0",
        LOG_LEVEL="ERROR",
        NEWSROOM_TASKS="database",
        NEWSROOM_PAGE_GENERATION_FILE=str(work / "generation"),
    )
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings
    from django_tasks_db.models import DBTaskResult

    from articles.models import Webhook, WebhookDelivery

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    call_command("migrate", verbosity=0)
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)
    client.get("/admin/")  # warm: templates, permissions' content types

    target = start_target()
    dead = {
        "NEWSROOM_PURGE_BACKEND": "http",
        "NEWSROOM_PURGE_URLS": [f"http://127.0.0.1:{target.server_address[1]}"],
        "NEWSROOM_PURGE_TIMEOUT": 2,
        "NEWSROOM_WEBHOOK_TIMEOUT": 2,
        "NEWSROOM_WEBHOOK_ALLOW_PRIVATE": True,  # the target is on this machine
        "NEWSROOM_WEBHOOK_ALLOWED_PORTS": [target.server_address[1]],
        "NEWSROOM_RETRY_FIRST_SECONDS": 1,
    }
    print(f"database: {work}; the targets hang (accept, never answer) with 2 s timeouts")

    for n in range(5):
        publish_draft(client, f"Warm-up {n}")
    DBTaskResult.objects.all().delete()
    hook = Webhook.objects.create(
        name="Dead partner", url=f"http://127.0.0.1:{target.server_address[1]}/hook", events=["published"]
    )
    # The two setups take turns, save by save, so the machine's load falls on both alike.
    baseline, with_dead = [], []
    for n in range(args.saves):
        Webhook.objects.filter(pk=hook.pk).update(active=False)
        baseline.append(publish_draft(client, f"Baseline {n}"))
        Webhook.objects.filter(pk=hook.pk).update(active=True)
        with override_settings(**dead):
            with_dead.append(publish_draft(client, f"Dead {n}"))
    report("none configured", baseline)
    report("dead targets, as jobs", with_dead)

    with override_settings(**dead):
        purges = DBTaskResult.objects.filter(task_path="articles.caching.purge.send").count()
        announces = DBTaskResult.objects.filter(task_path="articles.delivery.webhooks.announce").count()
        print(f"  queued: {purges} purges, {announces} webhook announcements; nothing sent from a request")

        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
            Webhook.objects.update(active=False)  # before jobs there were no webhooks: the purge alone
            report(
                "dead CDN, inline (before)", [publish_draft(client, f"Inline {n}") for n in range(args.inline_saves)]
            )
            Webhook.objects.update(active=True)

        target.hang, target.status = False, 503
        target.release.set()
        started = time.perf_counter()
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        deliveries = WebhookDelivery.objects.all()
        retrying = deliveries.filter(status="retrying").count()
        print(
            f"targets answer 503: one worker round in {time.perf_counter() - started:.1f} s, "
            f"{retrying} of {deliveries.count()} deliveries waiting to retry"
        )

        target.status = 200
        seconds = drain(max_seconds=300)
        delivered = deliveries.filter(status="delivered").count()
        chains = DBTaskResult.objects.filter(task_path="articles.caching.purge.send")
        succeeded = sum(1 for job in chains.filter(status="SUCCESSFUL") if job.return_value is True)
        print(
            f"targets answer 200: drained in {seconds:.1f} s; webhook deliveries delivered {delivered} of "
            f"{deliveries.count()}; purges delivered {succeeded} of {purges} "
            f"(attempts per delivery: {sorted(set(deliveries.values_list('attempts', flat=True)))})"
        )
    target.shutdown()


if __name__ == "__main__":
    main()
