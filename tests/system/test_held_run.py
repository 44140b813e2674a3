"""The held run of the data-safety issue: editors save while an import runs, the import's
PostgreSQL connection is cut, Redis stalls; nothing an editor saved or a file holds is lost.

PostgreSQL only: SQLite has no connection to cut, and its one writer at a time leaves no race.
"""

import threading
import time

import pytest
from django.db import connection, connections

from articles.caching import generation
from articles.editorial import workflow
from articles.importing import ImportOptions, import_paths
from articles.importing import service as import_service
from articles.models import Article
from tests.importing.samples import post, write

pytestmark = [
    pytest.mark.system,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # keeps the groups migrations made
    pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a PostgreSQL connection (the PostgreSQL run)"),
]
FILES = 60


def corpus(folder, version: str):
    for n in range(FILES):
        write(folder, f"{n:03}.md", post(f"title: Story {n} ({version})\ndate: 2021-01-01", f"<p>{version} {n}</p>\n"))


def cut_connection(pid: int) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def redis_stall(monkeypatch) -> threading.Event | None:
    """With Redis as the cache (the PostgreSQL run), every generation bump fails while the
    returned event is set; None without Redis."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ConnectionError as RedisConnectionError

    if not isinstance(caches["default"], RedisCache):
        return None
    stalled, incr = threading.Event(), RedisCache.incr

    def incr_unless_stalled(self, *args, **kwargs):
        if stalled.is_set():
            raise RedisConnectionError("Timeout reading from socket")
        return incr(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "incr", incr_unless_stalled)
    monkeypatch.setattr(generation, "_bump_pending", False)
    stalled.set()
    return stalled


def test_editors_saving_while_an_import_runs_with_cut_connections_lose_nothing(tmp_path, monkeypatch, editor):
    corpus(tmp_path, "first")
    assert import_paths([tmp_path], ImportOptions(source_site="held")).counts["created"] == FILES
    corpus(tmp_path, "second")  # every file changes: the next run updates them all

    reports, import_pids, cut_done = [], [], threading.Event()
    import_file = import_service.import_file

    def slow_import_file(path, **kwargs):  # room for the editors' saves between files
        if not import_pids:
            import_pids.append(connection.connection.info.backend_pid if connection.connection else None)
        time.sleep(0.01)
        return import_file(path, **kwargs)

    monkeypatch.setattr(import_service, "import_file", slow_import_file)

    def run_import():
        try:
            reports.append(import_paths([tmp_path], ImportOptions(source_site="held")))
        finally:
            connection.close()

    stalled = redis_stall(monkeypatch)
    importer = threading.Thread(target=run_import)
    importer.start()
    edited = {}
    for n in range(0, FILES, 3):  # editors save every third story while the import runs
        article = Article.objects.get(source_path=f"{n:03}.md")
        article.title = f"Story {n}, edited by the desk"
        workflow.save(article=article, user=editor)
        edited[article.pk] = article.title
        if n == 30 and import_pids and import_pids[0] and not cut_done.is_set():
            cut_connection(import_pids[0])  # the import's connection dies mid-run
            cut_done.set()
        time.sleep(0.005)
    importer.join(timeout=120)
    assert not importer.is_alive()
    assert cut_done.is_set()
    if stalled is not None:
        stalled.clear()  # Redis answers again

    # The operator runs it again after the fault: files that failed then import now.
    monkeypatch.setattr(import_service, "import_file", import_file)
    again = import_paths([tmp_path], ImportOptions(source_site="held"))

    assert Article.objects.count() == FILES  # no file imported twice
    for pk, title in edited.items():
        assert Article.objects.get(pk=pk).title == title  # every editor's save kept
    others = Article.objects.exclude(pk__in=edited)
    assert all(article.title.endswith("(second)") for article in others)  # every other file's text is in
    first = reports[0].counts
    # The cut connection cost no file: the import reconnected and went on.
    assert (first["updated"], first["conflicts"], first["failed"]) == (FILES - len(edited), len(edited), 0)
    assert (again.counts["unchanged"], again.counts["conflicts"], again.counts["failed"]) == (
        FILES - len(edited),
        len(edited),
        0,
    )
    if stalled is not None:  # the bumps Redis did not take during its stall reached it once it answered
        deadline = time.monotonic() + 5
        while generation._bump_pending and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not generation._bump_pending
