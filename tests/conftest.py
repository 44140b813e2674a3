from pathlib import Path

import pytest
from django.core.cache import caches

from articles.caching import generation
from tests.factories import make_user

SYSTEM = Path(__file__).resolve().parent / "system"


def pytest_collection_modifyitems(items):
    """Everything under tests/system starts a process or a browser: `make test-fast` leaves it out."""
    for item in items:
        if Path(item.path).is_relative_to(SYSTEM):
            item.add_marker(pytest.mark.system)


def pytest_configure():
    from django.conf import settings

    # WhiteNoise warns when STATIC_ROOT is missing; the session-wide live server
    # starts before per-test settings apply, so give it the real folder.
    Path(settings.STATIC_ROOT).mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def _media_and_fast_hashing(settings, tmp_path):
    """Uploads go to a throwaway folder; passwords hash fast."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NEWSROOM_IMPORT_UPLOADS_DIR = tmp_path / "import-uploads"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render pages without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "staging": {**settings.STORAGES["staging"], "OPTIONS": {"location": tmp_path / "staging"}},
    }
    # Cached pages and fragments-cache blocks go stale when a change commits, and a test's
    # transaction never commits: they are cached only in the tests about caching, which
    # ask for the page_cache or fragments_cache fixture.
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 0
    settings.CACHES = {**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture(autouse=True)
def _current_site_known(settings, _django_clear_site_cache):
    """django.contrib.sites (there for the footer pages) reads the one Site once per process and keeps
    it: tests count a page's queries as a process that has served one already, whatever ran before.
    After pytest-django's own fixture, which empties that store before each test."""
    from django.contrib.sites.models import SITE_CACHE, Site

    SITE_CACHE[settings.SITE_ID] = Site(pk=settings.SITE_ID, domain="example.com", name="example.com")


@pytest.fixture
def fragments_cache(settings):
    """The fragments cache as in production (each process's memory), empty, in a new content generation."""
    settings.CACHES = {
        **settings.CACHES,
        "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "test-fragments"},
    }
    cache = caches["fragments"]
    cache.clear()
    generation.shared_cache().delete(generation.NEXT_PUBLISH_KEY)
    generation.bump()
    return cache


@pytest.fixture
def writer(django_user_model):
    return make_user(django_user_model, "writer", "Writers")


@pytest.fixture
def editor(django_user_model):
    return make_user(django_user_model, "editor", "Editors")


@pytest.fixture
def database_tasks(settings):
    """Jobs queue as rows for `manage.py db_worker` (the default outside tests) instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
