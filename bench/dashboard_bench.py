"""Benchmark: the admin's dashboard (its home page) with N articles in a fresh SQLite database.

Fills the database with bulk inserts (no save paths: the dashboard only reads rows): 90% live,
2% scheduled over the next 30 days, 5% drafts, 3% in review with their "submitted" events,
a waiting change on 1% of the live ones, 200 import runs; 20 writers and an editor. Then
loads /admin/ in-process with Django's test client, as the editor and as a writer, and
prints the median time, the queries per page, and SQLite's plan for each panel's query.

    python bench/dashboard_bench.py                  (100,000 articles)
    python bench/dashboard_bench.py --articles 10000
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def fill(count: int) -> tuple:
    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from articles.models import Article, ArticleEvent, ImportRun, PendingChange

    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    writers = [User.objects.create_user(f"writer{n}", is_staff=True) for n in range(20)]
    for writer in writers:
        writer.groups.add(Group.objects.get(name="Writers"))
    now = timezone.now()
    Status = Article.Status
    rng = random.Random(14)

    def article(n: int) -> Article:
        share = rng.randrange(100)
        if share < 5:
            status, at = Status.DRAFT, None
        elif share < 8:
            status, at = Status.REVIEW, None
        elif share < 10:
            status, at = Status.PUBLISHED, now + datetime.timedelta(minutes=rng.randrange(30 * 24 * 60))
        else:
            status, at = Status.PUBLISHED, now - datetime.timedelta(minutes=n)
        return Article(
            title=f"Story {n}", slug=f"story-{n}", status=status, publish_at=at, created_by=rng.choice(writers)
        )

    for start in range(0, count, 5000):
        Article.objects.bulk_create(article(n) for n in range(start, min(start + 5000, count)))
    in_review = Article.objects.filter(status=Status.REVIEW).values_list("pk", "created_by_id")
    ArticleEvent.objects.bulk_create(
        (
            ArticleEvent(article_id=pk, article_title="Story", action="submitted", user_id=user, at=now)
            for pk, user in in_review
        ),
        batch_size=2000,
    )
    live = Article.objects.published(now).values_list("pk", flat=True)[: count // 100]
    PendingChange.objects.bulk_create(
        (
            PendingChange(article_id=pk, fields={"title": "New"}, proposed_by=writers[pk % 20], based_on_version=1)
            for pk in live
        ),
        batch_size=2000,
    )
    ImportRun.objects.bulk_create(ImportRun(source=f"run {n}", report={"failed": n % 3}) for n in range(200))
    return editor, writers[0]


def measure(client, user, runs: int) -> tuple[float, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user)
    client.get("/admin/")  # warm: templates, permissions' content types
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), [query["sql"] for query in queries.captured_queries]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsroom-dashboard-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="benchmark-only",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL="0",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    # Static addresses without collectstatic's manifest: the admin's CSS is not what is measured.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    editor, writer = fill(args.articles)
    print(f"filled: {args.articles:,} articles in {time.perf_counter() - started:.1f} s ({work})")
    client = Client()
    pages = {}
    for role, user in [("editor", editor), ("writer", writer)]:
        ms, pages[role] = measure(client, user, args.runs)
        print(f"{role}: /admin/ median {ms:.1f} ms over {args.runs} loads, {len(pages[role])} queries")
    with connection.cursor() as cursor:
        for role, queries in pages.items():
            print(f"\nSQLite's plans, the {role}'s panels:")
            for sql in queries:
                if "articles_" in sql:
                    started = time.perf_counter()
                    cursor.execute(sql).fetchall()
                    ms = (time.perf_counter() - started) * 1000
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    plan = "; ".join(row[-1] for row in cursor.fetchall())
                    print(f"- {ms:.2f} ms: {sql[:90]}…\n    {plan}")


if __name__ == "__main__":
    main()
