"""Production settings, checked the way an operator would: in a fresh process."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL", "TIME_ZONE"}
    }
    return subprocess.run(  # noqa: S603 (fixed arguments, our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        ALLOWED_HOSTS="news.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_defaults_to_off():
    result = manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG)", SECRET_KEY="k" * 50)
    assert result.stdout.strip().splitlines()[-1] == "False"


def fragments_cache_backend(**env) -> str:
    code = "from django.conf import settings; print(settings.CACHES['fragments']['BACKEND'])"
    return manage("shell", "-c", code, SECRET_KEY="k" * 50, **env).stdout.strip().splitlines()[-1]


def test_the_fragments_cache_is_memory_in_production_and_off_when_debugging_or_asked():
    assert fragments_cache_backend() == "django.core.cache.backends.locmem.LocMemCache"
    assert fragments_cache_backend(DEBUG="1") == "django.core.cache.backends.dummy.DummyCache"
    assert fragments_cache_backend(NEWSROOM_FRAGMENT_CACHE="0") == "django.core.cache.backends.dummy.DummyCache"


def time_zone(**env) -> str:
    code = "from django.conf import settings; print(settings.TIME_ZONE)"
    return manage("shell", "-c", code, DEBUG="1", **env).stdout.strip().splitlines()[-1]


def test_the_time_zone_comes_from_the_environment_and_defaults_to_utc():
    assert time_zone() == "UTC"
    assert time_zone(TIME_ZONE="") == "UTC"
    assert time_zone(TIME_ZONE="Asia/Kolkata") == "Asia/Kolkata"


def test_an_unknown_time_zone_stops_the_process_and_names_it():
    result = manage("check", DEBUG="1", TIME_ZONE="Europe/Londn")
    assert result.returncode != 0
    assert "TIME_ZONE='Europe/Londn' is not a time zone this machine knows" in result.stderr


def trusted_proxies(**env):
    code = "from django.conf import settings; print('trusted:' + ','.join(settings.NEWSROOM_TRUSTED_PROXIES))"
    return manage("shell", "-c", code, SECRET_KEY="k" * 50, **env)


def test_login_throttling_trusts_proxies_on_this_machine_only_behind_a_proxy_unless_told():
    assert "trusted:127.0.0.1,::1\n" in trusted_proxies().stdout  # production: BEHIND_PROXY
    assert "trusted:\n" in trusted_proxies(SECURE_SSL="0").stdout
    assert "trusted:10.0.0.0/24\n" in trusted_proxies(NEWSROOM_TRUSTED_PROXIES="10.0.0.0/24").stdout
    typo = trusted_proxies(NEWSROOM_TRUSTED_PROXIES="10.0.0.300")
    assert typo.returncode != 0
    assert "NEWSROOM_TRUSTED_PROXIES" in typo.stderr


def test_gunicorn_believes_only_x_forwarded_proto_and_no_script_name_header():
    """The same header Django's SECURE_PROXY_SSL_HEADER reads; test_varnish.py sends the others through Varnish."""
    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name in ("forwarded_allow_ips", "secure_scheme_headers", "forwarder_headers"):
        config.set(name, conf[name])
    assert config.secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}
    assert config.forwarder_headers == []
