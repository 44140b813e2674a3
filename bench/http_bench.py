"""Benchmark: the public pages over HTTP, as readers get them. One table at the end.

Builds a site of N generated articles (lead picture, three inline figures with
captions, keywords, sections) in a fresh SQLite database with the legacy
importer, then loads four pages (home, an article, a keyword page, a search)
with wrk (`wrk -t2 -c16 -d15s` after a 5 s warm-up) on 127.0.0.1:

- gunicorn, 2 sync workers, DEBUG off: uncached (the page cache off, the fragments
  cache on, as a cache miss meets it); cold (the fragments cache off too: every
  query of the page, every time); with the page cache (local memory, and Redis
  when one answers on 127.0.0.1:6379);
- Varnish (deploy/varnish/default.vcl) in front of gunicorn;
- nginx serving the same HTML as static files: the physical limit.

Also: SQL queries per page (counted in-process), the gunicorn workers' peak
memory (VmHWM), and a held load: a fixed request rate through Varnish for 60 s
while an editor saves an article every second, with how long each save took
to show. Only 127.0.0.1 is ever contacted.

    make bench-http                     (10,000 articles; about 12 minutes)
    python bench/http_bench.py --articles 2000 --duration 5 --warmup 2 --held-seconds 15

Needs wrk, nginx and varnish (apt-get install -y wrk nginx varnish); a
missing varnishd or nginx drops its rows and says so.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
VENV_BIN = Path(sys.executable).parent
SECTIONS = ["News", "Politics", "Business", "Culture", "Sport", "Weather"]
SEARCH = "harbour festival"
MODES = ("uncached", "cold", "memory", "redis", "varnish", "nginx")

REFERENCE = """\
For scale: a reference Django CMS (Wagtail, similar article pages, same 2-core machine, gunicorn 2 workers,
SQLite) measured article 118 req/s and home 49 req/s uncached (13 and 10 queries), about 3,100-3,900 req/s
with Django's page cache, 123 MB per worker; nginx serving the same HTML 60,000-95,000 req/s.
Targets (docs/performance.md): uncached article and home >= 1,000 req/s each with p99 < 30 ms; page cache
(memory) >= 5,000 req/s with p99 < 10 ms; Varnish >= 60% of nginx; import >= 300 files/s (make bench-import)."""


# --- Processes -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start listening on 127.0.0.1:{port}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py: 2 sync workers, no recycling during a run."""

    def __init__(self, work: Path, env: dict[str, str], name: str):
        self.port = free_port()
        self.log = (work / f"gunicorn-{name}.log").open("w")
        env = {
            **env,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_MAX_REQUESTS": "0",  # a benchmark's worth of requests would recycle them mid-run
            "GUNICORN_LOG_LEVEL": "warning",
        }
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "newsroom.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, "gunicorn")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def peak_worker_mb(self) -> float:
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return max(peaks, default=float("nan"))

    def stop(self) -> None:
        stop(self.process)
        self.log.close()


class Varnish:
    def __init__(self, work: Path, backend_port: int):
        self.port = free_port()
        folder = work / f"varnish-{self.port}"
        folder.mkdir()
        vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
        vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', vcl, count=1)
        (folder / "default.vcl").write_text(vcl)
        self.log = (folder / "varnishd.log").open("w")
        command = ["varnishd", "-F", "-j", "none", "-a", f"127.0.0.1:{self.port}", "-T", "none"]
        command += ["-f", str(folder / "default.vcl"), "-n", str(folder / "instance"), "-s", "malloc,256m"]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)  # noqa: S603
        wait_for_port(self.port, self.process, "varnishd")

    def stop(self) -> None:
        stop(self.process)
        self.log.close()


class Nginx:
    def __init__(self, work: Path, www: Path):
        self.port = free_port()
        folder = work / "nginx"
        folder.mkdir()
        conf = folder / "nginx.conf"
        conf.write_text(
            f"""
worker_processes 2;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    default_type text/html;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        root {www};
        location / {{ try_files $uri =404; }}
    }}
}}
"""
        )
        self.log = (folder / "stdout.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603
            ["nginx", "-c", str(conf), "-p", str(folder)],  # noqa: S607
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port, self.process, "nginx")

    def stop(self) -> None:
        stop(self.process)
        self.log.close()


# --- Load -------------------------------------------------------------------------


def wrk(url: str, *, duration: int, warmup: int) -> dict:
    if warmup:
        subprocess.run(["wrk", "-t2", "-c16", f"-d{warmup}s", url], capture_output=True, check=True)  # noqa: S603,S607
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t2", "-c16", f"-d{duration}s", "--latency", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency_ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency_ms("50"),
        "p99": latency_ms("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


async def held_load(port: int, paths: list[str], *, rate: int, seconds: int, connections: int = 16) -> dict:
    """GETs at a fixed rate (latency from each request's scheduled time), bounded in count and time."""
    total = rate * seconds
    queue: asyncio.Queue = asyncio.Queue()
    latencies: list[float] = []
    errors: list[str] = []
    start = time.perf_counter()

    async def one_connection():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                item = await queue.get()
                if item is None:
                    return
                scheduled, path = item
                try:
                    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
                    status = await read_response(reader)
                    if status != 200:
                        errors.append(f"{path}: {status}")
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    errors.append(f"{path}: {error!r}")
                    writer.close()
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                latencies.append(time.perf_counter() - scheduled)
        finally:
            writer.close()

    workers = [asyncio.create_task(one_connection()) for _ in range(connections)]
    for n in range(total):
        scheduled = start + n / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if time.perf_counter() - start > seconds + 10:
            errors.append("client fell more than 10 s behind the schedule; stopped")
            break
        queue.put_nowait((scheduled, paths[n % len(paths)]))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.wait_for(asyncio.gather(*workers), timeout=seconds + 30)
    latencies.sort()
    return {
        "sent": len(latencies),
        "seconds": time.perf_counter() - start,
        "errors": errors,
        "p50": latencies[len(latencies) // 2] * 1000 if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else float("nan"),
    }


async def read_response(reader: asyncio.StreamReader) -> int:
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        while size := int((await reader.readline()).strip(), 16):
            await reader.readexactly(size + 2)
        await reader.readline()
    elif length:
        await reader.readexactly(length)
    return status


def editor_loop(article_pk: int, port: int, path: str, stop_at: float, delays: list[float], failures: list[str]):
    """Save the article every second; time how long until Varnish serves the new title."""
    from django.db import connection

    from articles.models import Article

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    n = 0
    try:
        while time.monotonic() < stop_at:
            tick = time.monotonic()
            n += 1
            article = Article.objects.get(pk=article_pk)
            article.title = f"Harbour ferry timetable, edit {n}"
            saved = time.monotonic()
            article.save()  # the purge goes to Varnish when this commits
            while True:
                conn.request("GET", path)
                body = conn.getresponse().read().decode()
                if f"edit {n}<" in body:
                    delays.append(time.monotonic() - saved)
                    break
                if time.monotonic() - saved > 5:
                    failures.append(f"edit {n} not visible after 5 s")
                    break
                time.sleep(0.005)
            time.sleep(max(0.0, 1 - (time.monotonic() - tick)))
    finally:
        conn.close()
        connection.close()


# --- The site -------------------------------------------------------------------


def build_site(work: Path, articles: int) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from make_corpus import write_corpus

    from articles.importing import ImportOptions, import_paths
    from articles.models import Article, Section

    call_command("migrate", verbosity=0)
    corpus = work / "corpus"
    started = time.perf_counter()
    write_corpus(articles, corpus)
    report = import_paths([corpus], ImportOptions(workers=settings.NEWSROOM_IMPORT_WORKERS), keep_files=False)
    if report.counts["failed"]:
        raise SystemExit(f"{report.counts['failed']} files failed to import")
    with transaction.atomic():
        sections = [Section.objects.create(name=name, slug=name.lower(), position=i) for i, name in enumerate(SECTIONS)]
        ids = list(Article.objects.values_list("pk", flat=True))
        for i, section in enumerate(sections):
            Article.objects.filter(pk__in=ids[i :: len(sections)]).update(section=section)
    print(f"site:    {articles:,} articles imported in {time.perf_counter() - started:.0f} s", flush=True)
    call_command("collectstatic", interactive=False, verbosity=0)


def pages() -> dict[str, str]:
    from articles.models import Article, Keyword

    newest = Article.objects.published().for_listing().first()
    keyword = Keyword.objects.get(slug="harbour")
    return {
        "home": "/",
        "article": newest.get_absolute_url(),
        "keyword": keyword.get_absolute_url(),
        "search": f"/search/?q={quote(SEARCH)}",
    }


def measure_in_process(urls: dict[str, str], www: Path) -> dict[str, dict[str, int]]:
    """Queries per page, uncached and cold ({"uncached": {page: n}, "cold": ...}), and the rendered
    HTML for nginx to serve."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 0
    client = Client(HTTP_HOST="127.0.0.1")
    queries = {"uncached": {}, "cold": {}}
    no_fragments_cache = {**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        queries["uncached"][name] = len(captured)
        (www / f"{name}.html").write_bytes(response.content)
        with override_settings(CACHES=no_fragments_cache), CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries["cold"][name] = len(captured)
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    return queries


def forget_redis_keys(prefix: str) -> None:
    """Delete this run's keys (its own prefix) from Redis; nothing else there is touched."""
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# --- Main -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per row")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of wrk before each row")
    parser.add_argument("--held-seconds", type=int, default=60)
    parser.add_argument("--held-rate", type=int, default=500, help="requests per second of the held load")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--modes",
        default=",".join(MODES),
        help=f"comma-separated, any of {','.join(MODES)} (default: all; the held load comes with varnish)",
    )
    args = parser.parse_args()
    wanted = {mode.strip() for mode in args.modes.split(",") if mode.strip()}
    if wanted - set(MODES):
        raise SystemExit(f"unknown modes: {', '.join(sorted(wanted - set(MODES)))}")
    for tool in ("wrk",):
        if not shutil.which(tool):
            raise SystemExit("wrk is missing: apt-get install -y wrk nginx varnish")
    have_varnish, have_nginx, have_redis = bool(shutil.which("varnishd")), bool(shutil.which("nginx")), redis_answers()
    load_before = os.getloadavg()[0]

    work = Path(tempfile.mkdtemp(prefix="newsroom-http-bench-"))
    work.chmod(0o755)
    www = work / "www"
    www.mkdir()
    redis_prefix = f"bench-{secrets.token_hex(4)}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_KEY_PREFIX", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL": "0",
        "DATABASE_URL": f"sqlite:///{work / 'site.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "STATIC_ROOT": str(work / "static"),
        "LOG_LEVEL": "WARNING",
        "NEWSROOM_PAGE_CACHE": "0",
        # No worker runs here: renditions are made while the site is built, and the held load's
        # purges reach Varnish from the saving process, as the delays measured assume.
        "NEWSROOM_TASKS": "immediate",
    }
    redis_env = {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": redis_prefix}
    # The editor of the held load runs in this process: same database, and the
    # same cache as the servers (Redis when there is one).
    os.environ.update({k: v for k, v in env.items() if k != "NEWSROOM_PAGE_CACHE"})
    if have_redis:
        os.environ.update(redis_env)
    import django

    django.setup()
    from django.conf import settings

    build_site(work, args.articles)
    urls = pages()
    queries = measure_in_process(urls, www)
    from django.db import connection

    connection.close()

    rows, notes, servers = [], [], []
    modes = []
    if "uncached" in wanted:
        modes.append(("uncached", {}))
    if "cold" in wanted:
        modes.append(("cold", {"NEWSROOM_FRAGMENT_CACHE": "0"}))
    if "memory" in wanted:
        modes.append(("page cache (memory)", {"NEWSROOM_PAGE_CACHE": "1"}))
    if "redis" in wanted and have_redis:
        modes.append(("page cache (Redis)", {"NEWSROOM_PAGE_CACHE": "1", **redis_env}))
    elif "redis" in wanted:
        notes.append("Redis is not answering on 127.0.0.1:6379: no Redis rows.")
    held = None
    try:
        for mode, extra in modes:
            server = Gunicorn(work, {**env, **extra}, mode.split()[0] + str(len(rows)))
            servers.append(server)
            for name, url in urls.items():
                result = wrk(f"http://127.0.0.1:{server.port}{url}", duration=args.duration, warmup=args.warmup)
                counted = queries["cold" if mode == "cold" else "uncached"][name]
                rows.append({"page": name, "mode": mode, **result, "rss": None, "queries": counted})
                print(f"  {name:8} {mode:20} {result['rps']:>9.0f} req/s", flush=True)
            for row in rows:
                if row["mode"] == mode:
                    row["rss"] = server.peak_worker_mb()
            server.stop()

        if have_varnish and "varnish" in wanted:
            # Behind Varnish: the page cache in Redis (shared with the editor), else off.
            behind = {"NEWSROOM_PAGE_CACHE": "1", **redis_env} if have_redis else {}
            server = Gunicorn(work, {**env, **behind}, "varnish")
            varnish = Varnish(work, server.port)
            servers += [server, varnish]
            for name, url in urls.items():
                result = wrk(f"http://127.0.0.1:{varnish.port}{url}", duration=args.duration, warmup=args.warmup)
                rows.append(
                    {"page": name, "mode": "Varnish", **result, "rss": None, "queries": queries["uncached"][name]}
                )
                print(f"  {name:8} {'Varnish':20} {result['rps']:>9.0f} req/s", flush=True)
            held = run_held_load(args, varnish, urls)
            for row in rows:
                if row["mode"] == "Varnish":
                    row["rss"] = server.peak_worker_mb()
            varnish.stop()
            server.stop()
        elif "varnish" in wanted:
            notes.append("varnishd is missing (apt-get install -y varnish): no Varnish rows, no held load.")

        if have_nginx and "nginx" in wanted:
            nginx = Nginx(work, www)
            servers.append(nginx)
            for name in urls:
                result = wrk(f"http://127.0.0.1:{nginx.port}/{name}.html", duration=args.duration, warmup=args.warmup)
                rows.append({"page": name, "mode": "nginx (static HTML)", **result, "rss": None, "queries": None})
                print(f"  {name:8} {'nginx':20} {result['rps']:>9.0f} req/s", flush=True)
            nginx.stop()
        elif "nginx" in wanted:
            notes.append("nginx is missing (apt-get install -y nginx): no static-file limit to compare with.")
    finally:
        for server in servers:
            server.stop()
        if have_redis:
            forget_redis_keys(redis_prefix)

    if load_before > 1.0:
        notes.append(
            f"the load average was {load_before:.1f} when the benchmark started: other work on this machine "
            "takes CPU from the servers; compare numbers from a quiet machine."
        )
    print_table(rows, args, held, notes, settings)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"\nkept: {work}")


def run_held_load(args, varnish: Varnish, urls: dict[str, str]) -> dict:
    from django.conf import settings

    from articles.models import Article

    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URLS = [f"http://127.0.0.1:{varnish.port}"]
    settings.NEWSROOM_PURGE_METHOD = "BAN"
    settings.NEWSROOM_SITE_URL = ""
    article = Article.objects.published().for_listing().first()
    delays, failures = [], []
    print(
        f"  held load: {args.held_rate} req/s for {args.held_seconds} s through Varnish, one save a second", flush=True
    )
    editor = threading.Thread(
        target=editor_loop,
        args=(article.pk, varnish.port, urls["article"], time.monotonic() + args.held_seconds, delays, failures),
    )
    editor.start()
    result = asyncio.run(
        held_load(
            varnish.port,
            [urls["home"], urls["article"], urls["keyword"]],
            rate=args.held_rate,
            seconds=args.held_seconds,
        )
    )
    editor.join()
    return {**result, "delays": delays, "failures": failures}


def print_table(rows, args, held, notes, settings) -> None:
    nginx = {row["page"]: row["rps"] for row in rows if row["mode"].startswith("nginx")}
    print(
        f"\nNewsroom HTTP benchmark: {args.articles:,} articles, SQLite, gunicorn 2 sync workers, DEBUG off, "
        f"wrk -t2 -c16 -d{args.duration}s after {args.warmup} s warm-up, 127.0.0.1, {os.cpu_count()} CPUs\n"
    )
    header = (
        f"{'page':8} {'mode':20} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'vs nginx':>9} "
        f"{'queries':>8} {'worker MB':>10} {'errors':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        ratio = f"{row['rps'] / nginx[row['page']]:.1%}" if nginx.get(row["page"]) else "-"
        if row["queries"] is None:
            queries = "-"
        elif row["mode"] in ("uncached", "cold"):
            queries = str(row["queries"])
        else:
            queries = f"{row['queries']}/0"  # a miss runs the page's queries, a hit none
        rss = "-" if row["rss"] is None else f"{row['rss']:.0f}"
        print(
            f"{row['page']:8} {row['mode']:20} {row['rps']:>9.0f} {row['p50']:>8.2f} {row['p99']:>8.2f} "
            f"{ratio:>9} {queries:>8} {rss:>10} {row['errors']:>7}"
        )
    print(
        "\nqueries: per request (uncached: with the fragments cache; cold: without); a/0 = a on a cache miss, "
        "none on a hit. "
        "worker MB: peak (VmHWM) of the busiest gunicorn worker."
    )
    if held:
        delays = held["delays"]
        worst = max(delays) if delays else float("nan")
        print(
            f"held load through Varnish: {held['sent']:,} requests at {args.held_rate}/s over {held['seconds']:.0f} s, "
            f"{len(held['errors'])} errors, p50 {held['p50']:.2f} ms, p99 {held['p99']:.2f} ms"
        )
        if delays:
            verdict = "all" if worst <= 1 and not held["failures"] else "NOT all"
            print(
                f"  {len(delays)} saves, visible through Varnish after: "
                f"median {statistics.median(delays) * 1000:.0f} ms, worst {worst * 1000:.0f} ms ({verdict} within 1 s)"
            )
        for failure in held["failures"][:5] + held["errors"][:5]:
            print(f"  ! {failure}")
    for note in notes:
        print(f"note: {note}")
    print()
    print(REFERENCE)


if __name__ == "__main__":
    main()
