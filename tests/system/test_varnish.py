"""deploy/varnish/default.vcl, for real: a varnishd on 127.0.0.1 in front of the live test server.

Skips when varnishd is missing (apt-get install -y varnish; .ci/run installs it).
"""

import contextlib
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import make_article, make_keyword
from tests.system.serving import ROOT, make_serve, manage, serve_env

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"

pytestmark = [
    pytest.mark.skipif(not shutil.which("varnishd"), reason="varnishd is not installed (apt-get install -y varnish)"),
    # transaction=True: the live server thread must see what the test writes. serialized_rollback:
    # the flush that ends it would otherwise leave the next transactional tests without the
    # rows migrations made (content types, groups) or with a second copy of them.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback only)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@contextlib.contextmanager
def varnishd(backend_port: int, work: Path):
    """varnishd with the shipped VCL, its backend pointed at 127.0.0.1:backend_port; always stopped after."""
    vcl = VCL.read_text()
    vcl = re.sub(r'\.host = "[^"]*";', '.host = "127.0.0.1";', vcl, count=1)
    vcl = re.sub(r'\.port = "\d+";', f'.port = "{backend_port}";', vcl, count=1)
    (work / "test.vcl").write_text(vcl)
    port = free_port()
    command = [
        "varnishd",
        "-F",  # foreground, so the test owns the process
        "-j",
        "none",  # no privilege separation: the work folder belongs to this user
        "-a",
        f"127.0.0.1:{port}",
        "-T",
        "none",
        "-f",
        str(work / "test.vcl"),
        "-n",
        str(work / "instance"),
        "-s",
        "malloc,32m",
    ]
    log = (work / "varnishd.log").open("w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 (fixed arguments)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"varnishd exited: {(work / 'varnishd.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("varnishd did not start within 60 s")
                time.sleep(0.1)
        yield {"url": url, "instance": str(work / "instance")}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def varnish(live_server, tmp_path_factory):
    """varnishd with the shipped VCL in front of the live test server."""
    with varnishd(int(live_server.url.rsplit(":", 1)[1]), tmp_path_factory.mktemp("varnish")) as running:
        yield running


@pytest.fixture
def through_varnish(settings, varnish):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    settings.NEWSROOM_PAGE_MAX_AGE = 60
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URLS = [varnish["url"]]
    settings.NEWSROOM_PURGE_METHOD = "BAN"
    settings.NEWSROOM_SITE_URL = ""
    return varnish


def bans_added(instance: str):
    if not shutil.which("varnishstat"):
        return None
    output = subprocess.run(  # noqa: S603
        ["varnishstat", "-n", instance, "-1", "-f", "MAIN.bans_added"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(output.split()[1])


def test_pages_are_cached_and_an_edit_is_visible_within_a_second(through_varnish):
    keyword = make_keyword("Harbour")
    article = make_article(title="Quay opens", keywords=[keyword], publish_at=timezone.now() - timedelta(minutes=5))
    base = through_varnish["url"]
    for path in (article.get_absolute_url(), "/", keyword.get_absolute_url()):
        status, headers, body = get(base + path)
        assert status == 200
        assert "Quay opens" in body
        status, headers, _ = get(base + path)
        assert headers["X-Cache"] == "HIT", path
        assert "Age" in headers

    bans_before = bans_added(through_varnish["instance"])
    article.title = "Quay opens at last"
    article.save()  # commits (transactional test): the BAN goes out on commit
    saved = time.monotonic()
    if bans_before is not None:
        assert bans_added(through_varnish["instance"]) == bans_before + 1
    for path in (article.get_absolute_url(), "/", keyword.get_absolute_url()):
        while True:
            status, headers, body = get(base + path)
            if "Quay opens at last" in body:
                break
            assert time.monotonic() - saved < 1, f"{path} still shows the old title after 1 s"
            time.sleep(0.02)
        assert headers["X-Cache"] == "MISS"


def test_purge_removes_one_page(through_varnish, settings):
    settings.NEWSROOM_PURGE_METHOD = "PURGE"
    article = make_article(title="Tram line", publish_at=timezone.now() - timedelta(minutes=5))
    url = through_varnish["url"] + article.get_absolute_url()
    get(url)
    assert get(url)[1]["X-Cache"] == "HIT"
    article.title = "Tram line extended"
    article.save()
    status, headers, body = get(url)
    assert headers["X-Cache"] == "MISS"
    assert "Tram line extended" in body


def test_admin_and_session_requests_are_never_cached(through_varnish):
    article = make_article(title="Bridge", publish_at=timezone.now() - timedelta(minutes=5))
    base = through_varnish["url"]
    for _ in range(2):
        status, headers, _ = get(base + "/admin/login/")
        assert status == 200
        assert headers["X-Cache"] == "MISS"
    get(base + article.get_absolute_url())  # the anonymous copy is cached...
    for _ in range(2):
        status, headers, _ = get(base + article.get_absolute_url(), {"Cookie": "sessionid=abc123"})
        assert headers["X-Cache"] == "MISS"  # ...and never given to someone with a session
        assert "public" not in headers["Cache-Control"]
    # Any other cookie (an analytics one) does not stop readers getting the cached page.
    assert get(base + article.get_absolute_url(), {"Cookie": "_ga=1"})[1]["X-Cache"] == "HIT"


def test_missing_pages_are_not_cached(through_varnish):
    base = through_varnish["url"]
    for _ in range(2):
        status, headers, _ = get(base + "/articles/not-yet/")
        assert status == 404
        assert headers["X-Cache"] == "MISS"


# --- Scheme and script-name headers from clients (docs/deployment.md, "Proxies and client addresses") ---


@pytest.fixture(scope="module")
def gunicorn_behind_varnish(tmp_path_factory):
    """The shipped gunicorn.conf.py (`make serve`) behind the shipped VCL, as in production, over plain HTTP.

    Django's test server reads no scheme header but X-Forwarded-Proto; gunicorn is what would believe the others.
    """
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("needs the project's .venv (make venv)")
    work = tmp_path_factory.mktemp("gunicorn-varnish")
    env = serve_env(work)
    env.update(BEHIND_PROXY="1", NEWSROOM_PAGE_SHARED_MAX_AGE="60")
    manage(env, "migrate", "--no-input", "-v0")
    with make_serve(env, work / "serve.log") as base, varnishd(int(base.rsplit(":", 1)[1]), work) as running:
        yield running


@pytest.mark.parametrize(
    ("path", "forged"),
    [
        ("/", {"X-Forwarded-Ssl": "on"}),
        ("/feed/", {"X-Forwarded-Protocol": "ssl"}),
        ("/feed/atom/", {"X-Forwarded-Scheme": "https", "Front-End-Https": "on", "X-Url-Scheme": "https"}),
        ("/sitemap.xml", {"X-Forwarded-Proto": "https"}),  # a client at Varnish without the TLS proxy
        ("//evil.example/", {"SCRIPT_NAME": "//evil.example"}),
    ],
)
def test_a_client_s_scheme_or_script_name_header_never_reaches_the_cached_copy(gunicorn_behind_varnish, path, forged):
    url = gunicorn_behind_varnish["url"] + path
    real = gunicorn_behind_varnish["url"].removeprefix("http://")
    _, _, attacker_sees = get(url, forged)
    status, headers, reader_sees = get(url)  # the next reader, with no such header
    # X-Forwarded-Proto is believed (the TLS proxy sets it), so its sender may see https; nobody else may.
    for body in (reader_sees,) if "X-Forwarded-Proto" in forged else (attacker_sees, reader_sees):
        assert "https://" + real not in body
        assert "evil.example/static" not in body
        assert "evil.example/feed" not in body
    if status == 200:
        assert headers["X-Cache"] == "HIT" or "X-Forwarded-Proto" in forged
        assert f"http://{real}/" in reader_sees  # canonical, feed and sitemap links keep the real scheme and host
