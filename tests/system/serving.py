"""Running the real `make serve` (collectstatic, gunicorn, DEBUG off) from a test, against a throwaway
database in tmp_path: the environment, manage.py commands in it, and the server started and stopped as one
process group. Shared by test_serve.py and browser/test_browser_gunicorn.py.
"""

import contextlib
import os
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

needs_make_serve = pytest.mark.skipif(
    not shutil.which("make") or not (ROOT / ".venv" / "bin" / "gunicorn").exists(),
    reason="needs make and the project's .venv (make venv)",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(tmp_path) -> dict[str, str]:
    """The environment without the test suite's settings: SQLite, static and media files in tmp_path."""
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


def serve_env(tmp_path) -> dict[str, str]:
    """base_env() plus what `make serve` needs to start: a SECRET_KEY and a free PORT."""
    env = base_env(tmp_path)
    env.update(SECRET_KEY="serve-test-only-" + "s3cr3t" * 10, PORT=str(free_port()))
    return env


def manage(env, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """`python manage.py ARGS` in env; fails the test, with its stderr, when it fails."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http on 127.0.0.1)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextlib.contextmanager
def make_serve(env, log_path: Path, *, timeout: float = 120):
    """`make serve` in env, logging to log_path; yields its base URL once it answers, always stopped after."""
    log = log_path.open("w")
    server = subprocess.Popen(  # noqa: S603
        ["make", "--no-print-directory", "serve"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group (make, gunicorn and its workers), stopped as one below
    )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                get(base + "/")
                break
            except OSError:
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer in time"
                time.sleep(0.3)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
