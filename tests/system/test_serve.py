"""`make serve` for real: collectstatic, gunicorn (gunicorn.conf.py) with DEBUG off, on a free port."""

import re
import subprocess

from tests.system.serving import ROOT, base_env, get, make_serve, manage, needs_make_serve, serve_env

pytestmark = needs_make_serve


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
    env = serve_env(tmp_path)
    manage(env, "migrate", "--no-input", "-v0")
    with make_serve(env, tmp_path / "serve.log") as base:
        status, headers, body = get(base + "/")
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
    assert "Booting worker" in (tmp_path / "serve.log").read_text()
