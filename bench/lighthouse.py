"""Lighthouse scores of the reader pages, on a production-like server on this machine (`make lighthouse`).

What it does, in a throwaway folder: a SQLite database with the sample content, collectstatic,
and gunicorn with DEBUG off (as `make serve`) on a free port of 127.0.0.1. Then Lighthouse (the npm
package, pinned in bench/lighthouse/package.json and installed there) drives Debian's Chromium
(CHROME_PATH, /usr/bin/chromium by default) through the home, article, section, search and 404
pages, with its mobile and desktop settings, and prints the four category scores. With --write,
the table replaces the one in docs/performance.md, with the date and the commit measured.

    .venv/bin/python bench/lighthouse.py [--write] [--runs 1]

Lighthouse's numbers move from run to run (the machine's load decides the performance score);
--runs N keeps the median of N runs of each page. The 404 is measured with
--ignore-status-code, as Lighthouse otherwise refuses a page that is not a 200; its SEO score
counts the 404 status and the noindex against it, which is what a 404 page should have.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FORM_FACTORS = ["mobile", "desktop"]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "NEWSROOM_"))}
    for name in ["DEBUG", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME", "DATABASE_URL"]:
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY="lighthouse-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL="0",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        NEWSROOM_PAGE_GENERATION_FILE=str(folder / "generation"),
        HOST="127.0.0.1",
        PORT=str(free_port()),
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)  # noqa: S603


def start_server(env: dict) -> tuple[subprocess.Popen, str]:
    """The sample site behind gunicorn, as `make serve` runs it; its address once it answers."""
    for args in (["migrate", "--no-input"], ["load_sample_content", "--force"], ["collectstatic", "--noinput"]):
        manage(env, *args)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "--config", "gunicorn.conf.py", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/", timeout=5):  # noqa: S310 (our own server)
                return server, base
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("The server did not answer within 60 seconds.")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def reader_pages(base: str) -> dict[str, str]:
    """The page types to measure: the newest article and the first section come from the site itself."""
    with urllib.request.urlopen(base + "/sitemap-articles.xml", timeout=10) as response:  # noqa: S310
        article = re.search(r"<loc>([^<]+)</loc>", response.read().decode()).group(1)
    with urllib.request.urlopen(base + "/sitemap-sections.xml", timeout=10) as response:  # noqa: S310
        section = re.search(r"<loc>([^<]+)</loc>", response.read().decode()).group(1)
    return {
        "home": base + "/",
        "article": article,
        "section": section,
        "search": base + "/search/?q=harbour",
        "404": base + "/no-such-page/",
    }


def lighthouse(url: str, form_factor: str, report: Path) -> dict[str, int]:
    """One Lighthouse run: the category scores, 0-100."""
    args = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--ignore-status-code",
    ]
    if form_factor == "desktop":
        args.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(args, env=env, check=True, capture_output=True, timeout=300)  # noqa: S603
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise SystemExit(f"Lighthouse could not measure {url}: {result['runtimeError']}")
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def failing_audits(report: Path) -> list[str]:
    """What cost points, for the person reading the output."""
    result = json.loads(report.read_text())
    found = []
    for name in CATEGORIES:
        for ref in result["categories"][name]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
                found.append(f"{name}: {audit['id']} ({audit['score']})")
    return found


def measure(pages: dict[str, str], runs: int, folder: Path) -> dict[tuple[str, str], dict[str, int]]:
    scores = {}
    for form_factor in FORM_FACTORS:
        for name, url in pages.items():
            report = folder / f"{name}-{form_factor}.json"
            each = [lighthouse(url, form_factor, report) for _ in range(runs)]
            scores[name, form_factor] = {c: int(statistics.median(run[c] for run in each)) for c in CATEGORIES}
            print(f"{name:8} {form_factor:8} " + "  ".join(f"{c} {scores[name, form_factor][c]:3}" for c in CATEGORIES))
            for line in failing_audits(report):
                print(f"         {line}")
    return scores


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True)  # noqa: S607
    return found.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def table(scores: dict, runs: int) -> str:
    version = json.loads((LIGHTHOUSE_DIR / "package.json").read_text())["dependencies"]["lighthouse"]
    browser = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    chromium = subprocess.run([browser, "--version"], capture_output=True, text=True).stdout.strip()  # noqa: S603
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC at commit `{commit()}` with Lighthouse {version} and "
        f"{chromium}, the sample content, gunicorn with DEBUG off on this 2-core machine; median of {runs} "
        f"run(s) per page (`make lighthouse`).",
        "",
        "| page | form factor | performance | accessibility | best practices | SEO |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (name, form_factor), found in scores.items():
        lines.append(f"| {name} | {form_factor} | " + " | ".join(str(found[c]) for c in CATEGORIES) + " |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    doc = DOC.read_text()
    block = f"{START}\n{text}\n{END}"
    if START in doc:
        doc = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.DOTALL)
    else:
        doc = doc.rstrip() + f"\n\n## Lighthouse: the reader pages\n\n{block}\n"
    DOC.write_text(doc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the table in docs/performance.md")
    parser.add_argument("--runs", type=int, default=1, help="runs per page and form factor (the median is kept)")
    options = parser.parse_args()
    if not LIGHTHOUSE.exists():
        if not shutil.which("npm"):
            raise SystemExit("Needs npm (apt-get install -y npm) to install Lighthouse into bench/lighthouse/.")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=LIGHTHOUSE_DIR, check=True)  # noqa: S607
    with tempfile.TemporaryDirectory(prefix="newsroom-lighthouse-") as name:
        folder = Path(name)
        server, base = start_server(server_env(folder))
        try:
            scores = measure(reader_pages(base), options.runs, folder)
        finally:
            stop_server(server)
    text = table(scores, options.runs)
    print("\n" + text)
    if options.write:
        write_doc(text)
        print(f"\nWritten to {DOC.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
