"""Importing with worker processes that read, parse and clean files ahead: the
same articles and the same report as importing in one process."""

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.importing import ImportOptions, import_paths, iter_files
from articles.importing import pipeline as import_pipeline
from articles.models import Article, ArticleFigure, Image, Keyword, Redirect
from tests.importing.samples import post, seed_post, simple_post, write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_worker_left_behind():
    """A pool left broken is not waited for (service.py); its processes must still
    be gone before the next test, which may run threads a fork would copy."""
    yield
    for child in multiprocessing.active_children():
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
            child.join()
    assert not multiprocessing.active_children()


def mixed_folder(folder: Path) -> Path:
    """Good posts, bad files of several kinds, a category and a file that is no post."""
    write(folder, "seed.txt", seed_post())
    for n in range(7):
        write(folder, f"posts/{n:02}.md", simple_post(f"Harbour news {n}", extra="keywords: harbour, ferries"))
    write(folder, "posts/same-title.md", simple_post("Harbour news 1"))
    write(folder, "posts/draft.md", post("title: Not yet\ndraft: true\ndate: 2021-01-01", "# Heading\n\nText."))
    write(folder, "bad/empty.md", "")
    write(folder, "bad/no-front-matter.md", "<p>Just a body</p>")
    write(folder, "bad/broken-yaml.md", post("title: [unclosed\ndate: 2021-01-01"))
    write(folder, "bad/python-tag.md", post("title: !!python/object/apply:os.system ['true']"))
    write(folder, "bad/windows-1252.txt", post("title: Caf\xe9 opens\ndate: 2021-01-01").encode("cp1252"))
    write(folder, "_categories/ferries.md", post("extends: _layouts.category\ntitle: Ferries\ndescription: Boats"))
    write(folder, "notes.pdf", b"%PDF-1.4")
    return folder


def outcome(report) -> tuple[list, list]:
    """Everything an import leaves: its report entries and the rows it wrote."""
    entries = [(r.path, r.status, r.article_url, r.warnings, r.error, r.actions) for r in report.files]
    articles = [
        (
            a.source_path,
            a.title,
            a.slug,
            a.standfirst,
            a.status,
            a.body,
            a.lead_caption,
            a.lead_image.source_url if a.lead_image else None,
            sorted(a.keywords.values_list("slug", flat=True)),
            list(a.figures.order_by("position").values_list("image__source_url", "caption")),
            a.legacy_url,
        )
        for a in Article.objects.order_by("source_path")
    ]
    return entries, articles


def forget_everything():
    for model in (Redirect, ArticleFigure, Article, Image, Keyword):
        model.objects.all().delete()


@pytest.fixture(params=[1, 3, 50], ids=lambda n: f"chunk-{n}")
def chunk_size(request, monkeypatch):
    monkeypatch.setattr(import_pipeline.BatchLookup, "FILES", request.param)
    return request.param


def test_a_worker_gives_the_same_articles_and_report_as_one_process(tmp_path, chunk_size):
    folder = mixed_folder(tmp_path)
    with_worker = outcome(import_paths([folder], ImportOptions(workers=1)))
    assert Article.objects.count() == 11  # Windows-1252 imports, with a warning
    forget_everything()
    in_process = outcome(import_paths([folder], ImportOptions(workers=0)))
    assert with_worker == in_process
    statuses = [entry[1] for entry in with_worker[0]]
    assert statuses.count("failed") == 3 and statuses.count("skipped") == 3  # no front matter: not a post


def test_a_rerun_with_a_worker_parses_only_changed_files(tmp_path):
    write(tmp_path, "a.md", simple_post("Alpha"))
    write(tmp_path, "b.md", simple_post("Beta"))
    import_paths([tmp_path], ImportOptions(workers=1))
    write(tmp_path, "b.md", simple_post("Beta, corrected"))
    options = ImportOptions(workers=1)
    with import_pipeline.WorkerPool(options) as preparation:
        (chunk,) = list(preparation.chunks(iter_files([tmp_path]), import_pipeline.Sites(options)))
    done = {path.name: set(ahead._done) for _, path, ahead in chunk}
    assert done == {"a.md": {"read"}, "b.md": {"read", "parse", "clean", "body"}}
    report = import_paths([tmp_path], options)
    assert [r.status for r in report.files] == ["unchanged", "updated"]
    assert Article.objects.get(source_path="b.md").title == "Beta, corrected"


def die(*args):
    """A worker killed (out of memory, say) in the middle of a chunk."""
    os._exit(1)


def test_a_worker_that_dies_leaves_its_files_to_this_process(tmp_path, monkeypatch, caplog, chunk_size):
    for n in range(5):
        write(tmp_path, f"{n}.md", simple_post(f"Storm {n}"))
    monkeypatch.setattr(import_pipeline, "_prepare_chunk", die)  # found by name in the forked worker
    report = import_paths([tmp_path], ImportOptions(workers=1))
    assert report.counts["created"] == 5
    assert sorted(Article.objects.values_list("title", flat=True)) == [f"Storm {n}" for n in range(5)]
    assert caplog.text.count("import worker failed") == 1
    assert "terminated abruptly" in caplog.text  # BrokenProcessPool: the worker really died


# Python 3.11's pool can raise InvalidStateError in its own thread while it marks an already
# finished future broken (CPython gh-107219, fixed in later versions): the pool is broken either
# way, and what this test checks is that the import goes on without it.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_work_that_cannot_be_sent_to_the_worker_is_done_here(tmp_path, monkeypatch, caplog):
    """A chunk that fails to pickle on its way out (here the worker's function itself,
    a local lambda) breaks the pool; the import neither hangs nor loses a file."""
    for n in range(5):
        write(tmp_path, f"{n}.md", simple_post(f"Storm {n}"))
    monkeypatch.setattr(import_pipeline.BatchLookup, "FILES", 1)
    monkeypatch.setattr(import_pipeline, "_prepare_chunk", lambda *args: [])
    report = import_paths([tmp_path], ImportOptions(workers=1))
    assert report.counts["created"] == 5
    assert caplog.text.count("import worker failed") == 1


def test_an_error_that_cannot_travel_back_from_the_worker_is_told_as_text(tmp_path, monkeypatch):
    class Unpicklable(Exception):  # a local class: pickle cannot find it by name
        pass

    def parse_post(raw, **kwargs):
        raise Unpicklable("the parser broke")

    write(tmp_path, "a.md", simple_post("Alpha"))
    monkeypatch.setattr(import_pipeline, "parse_post", parse_post)
    (result,) = import_paths([tmp_path], ImportOptions(workers=1)).files
    assert (result.status, result.error) == ("failed", "PreparationError: Unpicklable: the parser broke")
    assert not Article.objects.exists()


def test_the_command_uses_the_workers_setting(tmp_path, settings, monkeypatch):
    write(tmp_path, "a.md", simple_post("Alpha"))
    seen = []
    original = import_pipeline.WorkerPool.__init__

    def remember(self, options):
        seen.append(options.workers)
        original(self, options)

    monkeypatch.setattr(import_pipeline.WorkerPool, "__init__", remember)
    settings.NEWSROOM_IMPORT_WORKERS = 1
    call_command("import_legacy", str(tmp_path), verbosity=0)
    call_command("import_legacy", str(tmp_path), "--workers", "0", verbosity=0)
    assert seen == [1, 0]
    assert Article.objects.get().title == "Alpha"


def session_processes(session: int) -> list[int]:
    """The processes still alive in a session (a command and the workers it forked)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # field 6 of stat: the session id
            alive.append(int(stat.parent.name))
    return alive


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_a_stopped_import_leaves_no_worker_behind(tmp_path, stop):
    for n in range(3000):
        write(tmp_path / "site", f"{n:05d}.md", simple_post(f"Story {n}"))
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "REDIS_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", MEDIA_ROOT=str(tmp_path / "media"))
    manage = [sys.executable, str(Path(__file__).resolve().parents[2] / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, check=True, timeout=120)  # noqa: S603
    command = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [*manage, "import_legacy", str(tmp_path / "site"), "--workers", "1", "--verbosity", "0"],
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while len(session_processes(command.pid)) < 2 and time.monotonic() < deadline:  # the worker is forked
        time.sleep(0.1)
    assert len(session_processes(command.pid)) >= 2, "the import never started its worker"
    command.send_signal(stop)
    command.wait(timeout=30)
    deadline = time.monotonic() + 10
    while session_processes(command.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert session_processes(command.pid) == []
    rerun = subprocess.run(  # noqa: S603
        [*manage, "import_legacy", str(tmp_path / "site"), "--workers", "1", "--verbosity", "0"],
        env=env,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0
