"""Fault tests: what readers and editors see when Redis, the database or media storage fails."""

import errno
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

from articles.models import ArticleQuerySet, Image, Section
from tests.factories import image_bytes, make_article, make_image, make_keyword, post_picture

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]  # the project

CLOSED_REDIS = {
    "default": {
        "BACKEND": "newsroom.cache.ResilientRedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    },
    "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
# Django's own whole-page cache around the site, so every page read and write goes through Redis.
PAGE_CACHE_MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *django_settings.MIDDLEWARE,
    "django.middleware.cache.FetchFromCacheMiddleware",
]


@pytest.fixture
def published_pages():
    keyword = make_keyword("Harbour")
    article = make_article(
        title="Harbour reopens", lead_image=make_image(alt_text="Boats"), keywords=[keyword], body="<p>Boats.</p>"
    )
    return ["/", article.get_absolute_url(), keyword.get_absolute_url()]


# --- Redis unreachable: the site serves on, the failure is logged --------------------------------


def test_pages_answer_while_redis_is_unreachable(settings, client, caplog, published_pages):
    settings.CACHES = CLOSED_REDIS
    settings.MIDDLEWARE = PAGE_CACHE_MIDDLEWARE
    caplog.set_level(logging.WARNING, logger="newsroom.cache")

    for url in published_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Harbour reopens" in response.content

    warnings = [r for r in caplog.records if r.name == "newsroom.cache" and r.levelno == logging.WARNING]
    assert warnings, "the outage was not logged"
    assert "Cache unavailable" in warnings[0].getMessage()
    assert "Connection" in warnings[0].getMessage()


def test_unreachable_redis_behaves_like_an_empty_cache(settings, caplog):
    settings.CACHES = CLOSED_REDIS
    settings.NEWSROOM_CACHE_RETRY_SECONDS = 60
    caplog.set_level(logging.WARNING, logger="newsroom.cache")

    assert cache.get("key", "default") == "default"
    assert cache.set("key", "value") is None
    assert cache.add("key", "value") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("key") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.has_key("key") is False
    assert cache.touch("key") is False
    assert cache.get_or_set("key", lambda: "computed") == "computed"
    assert cache.clear() is False

    # One warning for the outage, not one per call: after a failure the
    # backend leaves Redis alone for NEWSROOM_CACHE_RETRY_SECONDS.
    assert len([r for r in caplog.records if r.name == "newsroom.cache"]) == 1
    # Except incr, the page cache's generation bump, which is tried all the same.
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    assert [r.getMessage().split(" failed")[0] for r in caplog.records][-1] == "Cache unavailable (incr"


def test_cache_tries_redis_again_after_the_pause(settings, caplog, monkeypatch):
    settings.CACHES = CLOSED_REDIS
    settings.NEWSROOM_CACHE_RETRY_SECONDS = 5
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    clock = [1000.0]
    monkeypatch.setattr("newsroom.cache.time.monotonic", lambda: clock[0])

    cache.get("key")
    cache.get("key")
    assert len(caplog.records) == 1
    clock[0] += 6
    cache.get("key")
    assert len(caplog.records) == 2


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run sets it for the PostgreSQL run)"
)
def test_configured_redis_round_trips():
    backend = caches["default"]
    assert type(backend).__name__ == "ResilientRedisCache"
    backend.set("newsroom-test-key", {"a": 1}, 30)
    assert backend.get("newsroom-test-key") == {"a": 1}
    assert backend.add("newsroom-test-counter", 1, 30)
    assert backend.incr("newsroom-test-counter") == 2
    backend.delete_many(["newsroom-test-key", "newsroom-test-counter"])
    assert backend.get("newsroom-test-key") is None


@pytest.fixture
def redis_page_cache(settings, monkeypatch):
    """The configured Redis as the page cache, a fresh generation, and no bump left pending."""
    from articles.caching import generation

    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    settings.NEWSROOM_PAGE_CACHE = True
    monkeypatch.setattr(generation, "_bump_pending", False)
    backend = caches["default"]
    backend.delete_many([generation.GENERATION_KEY, generation.NEXT_PUBLISH_KEY])
    monkeypatch.setattr(backend, "_retry_at", 0.0)
    return backend


def cached_article(client):
    article = make_article(title="Harbour reopens", body="<p>Boats.</p>")
    assert "Harbour reopens" in client.get(article.get_absolute_url()).content.decode()
    return article


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run sets it for the PostgreSQL run)"
)
def test_a_change_during_a_redis_pause_still_makes_cached_pages_stale(
    client, redis_page_cache, django_capture_on_commit_callbacks
):
    """After one failed call the backend skips Redis for a few seconds; a change committed then
    must still reach Redis, or its copies of the old page are served once the pause ends."""
    from articles.caching import generation

    article = cached_article(client)
    redis_page_cache._retry_at = time.monotonic() + 60  # as just after a failed call
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Harbour closes"
        article.save()
    redis_page_cache._retry_at = 0.0  # the pause is over
    generation._bump_pending = False  # the next reader reaches another worker, which missed nothing
    assert "Harbour closes" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run sets it for the PostgreSQL run)"
)
def test_a_bump_redis_did_not_take_is_made_before_the_cache_is_read_again(
    client, redis_page_cache, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ConnectionError as RedisConnectionError

    article = cached_article(client)

    def stalled(*args, **kwargs):
        raise RedisConnectionError("Timeout reading from socket")

    with monkeypatch.context() as stall:
        stall.setattr(RedisCache, "incr", stalled)
        with django_capture_on_commit_callbacks(execute=True):
            article.title = "Harbour closes"
            article.save()
    assert "incr failed" in caplog.text
    redis_page_cache._retry_at = 0.0  # Redis answers again, its copy of the old page intact
    assert "Harbour closes" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set (.ci/run sets it for the PostgreSQL run)"
)
def test_an_unpublish_during_a_redis_stall_reaches_every_worker_once_redis_answers(
    client, redis_page_cache, django_capture_on_commit_callbacks, monkeypatch
):
    """Redis keeps its copy of the page through the stall; the process that unpublished must
    renew the generation as soon as Redis answers, not when it next serves a request, or the
    other workers serve the unpublished page meanwhile."""
    from django.core.cache.backends.redis import RedisCache
    from redis.exceptions import ConnectionError as RedisConnectionError

    from articles.caching import generation

    article = cached_article(client)
    before = redis_page_cache.get(generation.GENERATION_KEY)
    stalled, incr = [True], RedisCache.incr

    def incr_unless_stalled(self, *args, **kwargs):
        if stalled[0]:
            raise RedisConnectionError("Timeout reading from socket")
        return incr(self, *args, **kwargs)

    monkeypatch.setattr(RedisCache, "incr", incr_unless_stalled)
    with django_capture_on_commit_callbacks(execute=True):
        article.status = article.Status.DRAFT
        article.save()
    assert generation._bump_pending

    stalled[0] = False  # Redis answers again; nothing is asked of this process
    deadline, now = time.monotonic() + 5, before
    while now == before and time.monotonic() < deadline:
        time.sleep(0.05)
        redis_page_cache._retry_at = 0.0  # this thread's own pause after the failure: not the test's subject
        now = redis_page_cache.get(generation.GENERATION_KEY)

    assert now != before and not generation._bump_pending
    assert client.get(article.get_absolute_url()).status_code == 404


# --- Database unreachable: a plain 503 ---------------------------------------------------------


def assert_plain_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "back in a moment" in body
    for leak in ["Traceback", "OperationalError", "InterfaceError", "password", django_settings.SECRET_KEY]:
        assert leak not in body, leak
    return body


def break_reads(monkeypatch, error: Exception):
    """Every read of the public pages raises error (they all start from published())."""

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(ArticleQuerySet, "published", fail)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_in_a_view_gives_a_plain_503(client, monkeypatch, caplog, error):
    break_reads(
        monkeypatch,
        error('connection to server at "db.internal" failed: password authentication failed for "newsroom"'),
    )

    response = client.get("/")

    body = assert_plain_503(response)
    assert "db.internal" not in body
    assert "Content-Security-Policy" in response
    assert any("Database unavailable" in r.getMessage() for r in caplog.records)


def test_database_down_outside_a_view_gives_a_plain_503(settings, monkeypatch):
    """A query in middleware (here: the old-address lookup on a 404) goes through handler500."""
    settings.DEBUG = False

    def down(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("articles.public.redirects.Redirect.objects.select_related", down)
    client = Client(raise_request_exception=False)

    assert_plain_503(client.get("/no-such-page/"))


def test_other_server_errors_stay_500(settings, monkeypatch):
    settings.DEBUG = False

    break_reads(monkeypatch, RuntimeError("a bug, not an outage"))
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


def test_the_503_page_needs_no_database(django_assert_num_queries):
    from newsroom.views import database_unavailable

    with django_assert_num_queries(0):
        response = database_unavailable()
    assert response.status_code == 503


def test_real_unreachable_postgresql_gives_a_503():
    """A fresh process whose DATABASE_URL points at a port nothing listens on."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client(raise_request_exception=False).get('/')\n"
        "print(response.status_code, response['Retry-After'])\n"
        "print(response.content.decode())\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY="unreachable-db-test-key-" + "z" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL="0",
        DATABASE_URL="postgres://newsroom:hunter2@127.0.0.1:1/newsroom",
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and a fixed script)
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.split("\n", 1)
    assert status == "503 30"
    assert "back in a moment" in body
    for leak in ["Traceback", "hunter2", "127.0.0.1:1", "newsroom:", env["SECRET_KEY"]]:
        assert leak not in body, leak


# --- Media storage full or read-only: a clear message, no row ----------------------------------


def failing_save(error):
    def _save(self, name, content):
        raise error

    return _save


STORAGE_FAILURES = [
    pytest.param(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), "No space left on device", id="disk-full"),
    pytest.param(PermissionError(errno.EACCES, os.strerror(errno.EACCES)), "Permission denied", id="read-only"),
    pytest.param(OSError(errno.EROFS, os.strerror(errno.EROFS)), "Read-only file system", id="read-only-fs"),
]


@pytest.mark.parametrize(("error", "reason"), STORAGE_FAILURES)
def test_admin_upload_to_failing_storage_shows_an_error_and_saves_nothing(
    client, editor, monkeypatch, caplog, error, reason
):
    monkeypatch.setattr(FileSystemStorage, "_save", failing_save(error))

    response = post_picture(client, editor)

    assert response.status_code == 200  # the form again, not a crash
    errors = response.context["adminform"].form.errors["file"]
    assert errors == [
        f"Could not store the picture: {reason}. Nothing was saved; try again later or tell an administrator."
    ]
    assert "Could not store the picture" in response.content.decode()
    assert Image.objects.count() == 0
    assert any("Could not store an uploaded picture" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(("error", "reason"), STORAGE_FAILURES)
def test_editor_upload_to_failing_storage_answers_a_json_error(client, editor, monkeypatch, error, reason):
    monkeypatch.setattr(FileSystemStorage, "_save", failing_save(error))
    client.force_login(editor)
    upload = SimpleUploadedFile("pic.png", image_bytes(fmt="PNG"), content_type="image/png")

    response = client.post(reverse("admin:articles_image_upload"), {"upload": upload, "alt_text": "A picture"})

    assert response.status_code == 200  # CKEditor 4 shows error.message only on a 200
    payload = response.json()
    assert payload["uploaded"] == 0
    assert payload["error"]["message"].startswith(f"Could not store the picture: {reason}.")
    assert Image.objects.count() == 0


@pytest.fixture
def read_only_media_root(settings, tmp_path):
    """A real read-only MEDIA_ROOT. Root ignores permission bits, so as root (CI)
    the directory is made immutable instead (chattr +i, which stops root too)."""
    media = tmp_path / "media"
    media.mkdir()
    as_root = os.geteuid() == 0
    if as_root:
        chattr = shutil.which("chattr")
        made = chattr and subprocess.run([chattr, "+i", media], capture_output=True, check=False).returncode == 0  # noqa: S603
        if not made:
            pytest.skip("running as root and chattr +i is not available on this filesystem")
    else:
        media.chmod(0o500)
    settings.MEDIA_ROOT = media
    yield media
    if as_root:
        subprocess.run([chattr, "-i", media], check=True)  # noqa: S603
    else:
        media.chmod(0o700)


def test_read_only_media_directory_refuses_the_upload(client, editor, read_only_media_root):
    response = post_picture(client, editor, size=(64, 48), alt_text="Boats")

    assert response.status_code == 200
    # "Permission denied" (chmod) or "Operation not permitted" (chattr +i).
    assert "Could not store the picture: " in response.content.decode()
    assert Image.objects.count() == 0
    assert list(read_only_media_root.rglob("*.jpg")) == []


def test_working_storage_still_saves_the_upload(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("harbour.jpg", image_bytes(size=(90, 60)), content_type="image/jpeg")

    response = client.post(
        reverse("admin:articles_image_add"),
        {"file": upload, "alt_text": "Boats", "credit": "", "copyright": "", "source_url": ""},
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.storage.exists(image.file.name)
    assert (image.width, image.height, image.uploaded_by) == (90, 60, editor)


def test_section_nav_is_not_needed_for_the_503(monkeypatch, client):
    """The 503 page renders without the context processors (they query sections)."""
    monkeypatch.setattr(Section.objects, "all", lambda: (_ for _ in ()).throw(AssertionError("queried")))
    monkeypatch.setattr(
        "articles.public.context_processors.navigation_sections",
        lambda **kwargs: (_ for _ in ()).throw(AssertionError("queried")),
    )
    break_reads(monkeypatch, OperationalError("down"))
    assert client.get("/").status_code == 503


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/articles/a%00b/", 404),
        ("/keywords/a%00b/", 404),
        ("/sections/a%00b/feed/", 404),
        ("/no%00where/", 404),
        ("/search/?q=harbour%00x", 200),
        ("/api/articles?keyword=a%00b", 422),
        ("/api/articles?section=%00", 422),
        ("/api/articles/a%00b", 404),
    ],
)
def test_a_nul_character_in_an_address_is_a_clear_answer_not_a_500(client, url, status):
    """PostgreSQL refuses NUL in any text: no query may be sent one (found by schemathesis on PostgreSQL)."""
    make_article(title="Harbour")
    assert client.get(url).status_code == status
