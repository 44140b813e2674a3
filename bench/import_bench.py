"""Benchmark: import N generated legacy files into a fresh SQLite database.

Prints files per second and the process's resident memory after each tenth of
the run, so memory growth with the number of files shows. No downloads.

    make bench            (10,000 files)
    python bench/import_bench.py --files 2000
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except FileNotFoundError:  # a worker that has just exited
        return 0.0


def workers_rss_mb() -> float:
    """The import's worker processes (pages they share with this one counted again)."""
    return sum(rss_mb(child.pid) for child in multiprocessing.active_children())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument(
        "--shape", choices=["tabloid", "jekyll"], default="tabloid", help="scraped .txt posts, or a Jekyll site"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="benchmark-only",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING",
        NEWSROOM_TASKS="immediate",  # renditions made during the import, as measured before there were jobs
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from make_corpus import write_corpus, write_jekyll_site

    from articles.importing import ImportOptions, import_paths
    from articles.models import Article, ArticleFigure

    call_command("migrate", verbosity=0)
    corpus = work / "corpus"
    started = time.perf_counter()
    (write_jekyll_site if args.shape == "jekyll" else write_corpus)(args.files, corpus)
    print(f"corpus: {args.files:,} {args.shape} files written in {time.perf_counter() - started:.1f} s ({corpus})")

    samples = []
    step = max(args.files // 10, 1)
    done = 0
    started = time.perf_counter()

    def progress(result):
        nonlocal done
        done += 1
        if result.status == "failed":
            raise SystemExit(f"{result.path}: {result.error}")
        if done % step == 0:
            samples.append((done, time.perf_counter() - started, rss_mb(), workers_rss_mb()))

    options = ImportOptions(workers=settings.NEWSROOM_IMPORT_WORKERS)  # as import_legacy runs
    report = import_paths([corpus], options, progress=progress, keep_files=False)
    if report.counts["created"] != args.files:
        raise SystemExit(f"expected {args.files:,} articles, got {report.counts}")
    elapsed = time.perf_counter() - started
    rerun_started = time.perf_counter()
    rerun = import_paths([corpus], options, keep_files=False)
    rerun_elapsed = time.perf_counter() - rerun_started

    print(f"\n{'files':>8} {'seconds':>8} {'files/s':>8} {'RSS MB':>8} {'workers':>8}")
    for count, seconds, rss, workers in samples:
        print(f"{count:>8,} {seconds:>8.1f} {count / seconds:>8.0f} {rss:>8.1f} {workers:>8.1f}")
    print(
        f"\nimport:  {options.workers} worker process(es) parsing ahead (NEWSROOM_IMPORT_WORKERS); "
        f"{args.files:,} files in {elapsed:.1f} s = {args.files / elapsed:.0f} files/s "
        f"(created {report.counts['created']:,}, failed {report.counts['failed']})"
    )
    print(
        f"re-run:  {args.files / rerun_elapsed:.0f} files/s, all unchanged: {rerun.counts['unchanged'] == args.files}"
    )
    print(f"rows:    {Article.objects.count():,} articles, {ArticleFigure.objects.count():,} figures")
    first, last = samples[0][2], samples[-1][2]
    print(f"memory:  RSS {first:.1f} MB after {samples[0][0]:,} files, {last:.1f} MB after {samples[-1][0]:,}")
    print(
        f"peak:    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MB max RSS, "
        f"workers {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.1f} MB"
    )


if __name__ == "__main__":
    main()
