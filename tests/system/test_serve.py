"""`make serve` for real: collectstatic, gunicorn (gunicorn.conf.py) with DEBUG off, on a free port."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the project

pytestmark = pytest.mark.skipif(
    not shutil.which("make") or not (ROOT / ".venv" / "bin" / "gunicorn").exists(),
    reason="needs make and the project's .venv (make venv)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    for name in ["DEBUG", "SECRET_KEY", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"]:
        env.pop(name, None)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "collected-static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL="0",
    )
    return env


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http on 127.0.0.1)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_make_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env=base_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode != 0
    assert "needs SECRET_KEY" in result.stderr
    assert "SECURE_SSL=0 make serve" in result.stderr
    assert not (tmp_path / "collected-static").exists()  # it stopped before doing anything


def test_make_serve_answers_pages_and_hashed_static_files(tmp_path):
    env = base_env(tmp_path)
    env.update(SECRET_KEY="serve-test-only-" + "s3cr3t" * 10, PORT=str(free_port()))
    migrate = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, stopped as one below
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                status, headers, body = get(base + "/")
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer in time"
                time.sleep(0.3)

        assert status == 200
        assert headers["Server"].startswith("gunicorn")
        assert "Content-Security-Policy" in headers
        css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', body)
        assert css, "static files are not served under hashed names (DEBUG off?)"

        status, headers, body = get(base + css.group(1).decode())
        assert status == 200
        assert "max-age=315360000" in headers["Cache-Control"]
        assert "immutable" in headers["Cache-Control"]
        assert b"--accent" in body

        status, _, body = get(base + "/no-such-page/")
        assert status == 404
        assert b"Traceback" not in body  # DEBUG is off
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    assert "Booting worker" in (tmp_path / "serve.log").read_text()
