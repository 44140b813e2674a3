"""Benchmark: an admin import of N generated files, queued by the import page and run by a real
`db_worker` process, into a fresh SQLite database (DEBUG off, as in production).

Prints how long the upload request took (it should only keep the files and queue the job), the
progress the run's page saw while polling once a second, and the import's rate; then, unless
--no-compare, runs bench/import_bench.py (the command's service, same corpus) for the rate to
compare with.

    make bench-admin-import            (10,000 files)
    python bench/admin_import_bench.py --files 2000
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--no-compare", action="store_true", help="skip the command's benchmark afterwards")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="newsroom-admin-bench-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="benchmark-only",
        DEBUG="0",
        SECURE_SSL="0",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        MEDIA_ROOT=str(work / "media"),
        NEWSROOM_IMPORT_UPLOADS_DIR=str(work / "uploads"),
        NEWSROOM_TASKS="database",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from make_corpus import write_corpus

    call_command("migrate", verbosity=0)
    corpus = work / "corpus"
    write_corpus(args.files, corpus)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(corpus.iterdir()):
            archive.write(path, f"posts/{path.name}")
    upload = SimpleUploadedFile("archive.zip", buffer.getvalue(), content_type="application/zip")
    print(f"corpus:   {args.files:,} files, a {len(buffer.getvalue()) / 2**20:.1f} MB .zip")

    editor = get_user_model().objects.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(editor)

    started = time.perf_counter()
    response = client.post(reverse("admin:articles_article_import"), {"files": [upload]})
    request_seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"the import page answered {response.status_code}")
    run_id = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    print(f"request:  {request_seconds:.2f} s to keep the upload, queue the job and redirect")

    worker = subprocess.Popen(  # noqa: S603 (this project's manage.py)
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    progress_url = reverse("admin:articles_article_import_progress", args=[run_id])
    samples = []
    try:
        while True:
            answer = client.get(progress_url).json()
            elapsed = time.perf_counter() - started
            samples.append((elapsed, answer["state"], answer["files_done"], answer["files_total"]))
            if not answer["in_progress"]:
                break
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    done = samples[-1][0]
    print(f"\n{'seconds':>8} {'state':>8} {'done':>8} {'of':>8}")
    for elapsed, state, files_done, total in samples[:: max(len(samples) // 12, 1)] + samples[-1:]:
        print(f"{elapsed:>8.1f} {state:>8} {files_done:>8,} {total:>8,}")
    if answer["state"] != "done" or answer["counts"].get("created") != args.files:
        raise SystemExit(f"the import did not create {args.files:,} articles: {answer}")
    updates = sum(1 for before, after in zip(samples, samples[1:], strict=False) if after[2] > before[2])
    # From the first poll that saw files done to the end: the worker's start and the unpacking are not importing.
    seen_at, seen_done = next((elapsed, files) for elapsed, _, files, _ in samples if files)
    rate = (args.files - seen_done) / (done - seen_at) if done > seen_at else float("nan")
    print(f"\nprogress: {updates} polls of {len(samples)} saw the count move")
    print(f"admin:    {args.files:,} files done {done:.1f} s after the request; about {rate:.0f} files/s importing")

    if args.no_compare:
        return
    command = subprocess.run(  # noqa: S603
        [sys.executable, "bench/import_bench.py", "--files", str(args.files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in command.stdout.splitlines() if line.startswith("import:"))
    command_rate = float(re.search(r"= (\d+) files/s", line)[1])
    print(f"command:  {command_rate:.0f} files/s (bench/import_bench.py)")
    print(f"ratio:    admin / command = {rate / command_rate:.2f}")


if __name__ == "__main__":
    main()
