"""Whole-page caching for anonymous readers (caching/page_cache.py, caching/generation.py, caching/invalidation.py).

Changes reach the cache when they commit; a test's transaction never commits,
so each edit here runs inside django_capture_on_commit_callbacks(execute=True),
which runs the callbacks exactly as a commit would.
"""

import itertools
import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.caching import generation
from articles.caching.page_cache import PageCacheMiddleware
from articles.models import Article, Image
from tests.factories import image_bytes, make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    """Public caching on, as in production, with a fresh content generation."""
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    settings.NEWSROOM_PAGE_MAX_AGE = 60
    settings.NEWSROOM_PAGE_CACHE = True
    generation.shared_cache().delete_many([generation.GENERATION_KEY, generation.NEXT_PUBLISH_KEY])
    generation.bump()  # the local-memory cache's generation is a file, shared by all tests
    return generation.shared_cache()


@pytest.fixture
def site():
    section, keyword = make_section("Local"), make_keyword("Harbour")
    article = make_article(
        title="Harbour reopens",
        standfirst="Boats are back.",
        body="<p>The harbour reopened today.</p>",
        lead_image=make_image(alt_text="Boats", credit="Photo Desk"),
        section=section,
        keywords=[keyword],
        publish_at=timezone.now() - timedelta(hours=1),
    )
    return {"article": article, "keyword": keyword, "section": section}


def public_urls(site):
    return [
        reverse("articles:home"),
        site["article"].get_absolute_url(),
        site["keyword"].get_absolute_url(),
        site["section"].get_absolute_url(),
        reverse("articles:search") + "?q=harbour",
    ]


def test_public_pages_are_cached_and_a_hit_runs_no_query(client, page_cache, site, django_assert_num_queries):
    for url in public_urls(site):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["Cache-Control"] == "public, max-age=60, s-maxage=60", url
        assert first["ETag"] and first["Last-Modified"], url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]
        assert second["Content-Type"] == first["Content-Type"]
        assert int(second["Cache-Control"].rsplit("=", 1)[1]) <= 60


def test_head_is_served_from_the_cached_get(client, page_cache, site, django_assert_num_queries):
    url = site["article"].get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        response = client.head(url)
    assert response.status_code == 200
    assert response.content == b""


def test_query_strings_are_different_pages(client, page_cache, site):
    url = reverse("articles:search")
    assert b"Harbour reopens" in client.get(url, {"q": "harbour"}).content
    assert b"Harbour reopens" not in client.get(url, {"q": "zeppelin"}).content


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_miss_costs_the_pages_own_queries(client, page_cache, settings, site):
    home, article = reverse("articles:home"), site["article"].get_absolute_url()
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 0
    count_queries(client, article)  # the connection's one-off checks, and the drawings stored
    count_queries(client, home)
    uncached = {url: count_queries(client, url) for url in (home, article)}
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    # The first page of a generation also looks up the next scheduled publish time...
    assert count_queries(client, home) == uncached[home] + 1
    # ...which the others then share: a miss costs what the page costs uncached.
    assert count_queries(client, article) == uncached[article]
    assert count_queries(client, home) == 0
    assert count_queries(client, article) == 0


def test_an_edit_shows_on_the_next_anonymous_request(client, page_cache, site, django_capture_on_commit_callbacks):
    article = site["article"]
    urls = public_urls(site)
    for url in urls:
        assert b"Harbour reopens" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Harbour reopens after storm"
        article.save()
    for url in urls:
        assert b"Harbour reopens after storm" in client.get(url).content, url


def test_uncommitted_edits_do_not_touch_the_cache(client, page_cache, site, django_capture_on_commit_callbacks):
    """What invalidates is the commit: a rolled-back save leaves cached pages (and purges) alone."""
    url = site["article"].get_absolute_url()
    client.get(url)
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                site["article"].title = "Never happened"
                site["article"].save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert generation.current() == before


def test_unpublishing_in_the_admin_removes_the_page_at_once(
    client, page_cache, site, editor, django_capture_on_commit_callbacks
):
    article = site["article"]
    assert client.get(article.get_absolute_url()).status_code == 200
    staff = Client()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:articles_article_changelist"), {"action": "unpublish", "_selected_action": [article.pk]}
        )
    assert Article.objects.get(pk=article.pk).status != Article.Status.PUBLISHED
    assert client.get(article.get_absolute_url()).status_code == 404
    assert b"Harbour reopens" not in client.get(reverse("articles:home")).content


def test_deleting_and_retagging_show_at_once(client, page_cache, site, django_capture_on_commit_callbacks):
    other_keyword = make_keyword("Boats")
    client.get(other_keyword.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        site["article"].keywords.add(other_keyword)
    assert b"Harbour reopens" in client.get(other_keyword.get_absolute_url()).content
    client.get(reverse("articles:home"))
    with django_capture_on_commit_callbacks(execute=True):
        site["article"].delete()
    assert b"Harbour reopens" not in client.get(reverse("articles:home")).content


def test_a_corrected_picture_credit_shows_at_once(client, page_cache, site, django_capture_on_commit_callbacks):
    url = site["article"].get_absolute_url()
    assert b"Photo Desk" in client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        image = site["article"].lead_image
        image.credit = "Ann Lee"
        image.save()
    assert b"Ann Lee" in client.get(url).content


def test_a_moved_crop_never_leaves_a_cached_page_pointing_at_a_deleted_file(
    client, page_cache, django_capture_on_commit_callbacks
):
    """Renditions are saved through the model: the change that deletes a moved crop's files
    also makes every cached page (and stored fragment) that names them stale."""
    picture = make_image(alt_text="Quay", data=image_bytes(size=(1600, 900), color="teal"))
    article = make_article(title="Quay works", lead_image=picture)
    urls = [reverse("articles:home"), article.get_absolute_url()]  # the card's 3:2 crop; the 1.91:1 share image
    old_crop = {name for key, name in picture.renditions.items() if key.startswith(("3:2/", "1.91:1/"))}
    assert all(any(name in client.get(url).content.decode() for name in old_crop) for url in urls)
    # Crops changed outside the admin (a script, a bulk fix), then `make_renditions --all`:
    # only the renditions' own save can tell the caches.
    crops = {"3:2": [0, 0, 0.5625, 0.6667], "1.91:1": [0, 0, 0.955, 0.8889]}
    Image.objects.filter(pk=picture.pk).update(crops=crops)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("make_renditions", "--all", verbosity=0)
    storage = picture.file.storage
    assert not any(storage.exists(name) for name in old_crop)  # deleted once the change committed
    for url in urls:
        page = client.get(url).content.decode()
        shown = set(re.findall(r"/media/(renditions/[^\s\"]+)", page))
        assert shown and not shown & old_crop, url
        assert all(storage.exists(name) for name in shown), url


def test_a_renamed_section_shows_in_every_pages_navigation(
    client, page_cache, site, django_capture_on_commit_callbacks
):
    url = site["article"].get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        site["section"].name = "City"
        site["section"].save()
    assert b">City</a>" in client.get(url).content


def test_scheduled_article_appears_on_time_without_a_save(client, page_cache, site, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(title="Ferry timetable", publish_at=timezone.now() + timedelta(seconds=30))
    home = reverse("articles:home")
    first = client.get(home)
    assert b"Ferry timetable" not in first.content
    # Nobody may keep the page past the moment the article goes live.
    assert first["Cache-Control"] == "public, max-age=30, s-maxage=30"
    time_machine.shift(timedelta(seconds=29))
    assert b"Ferry timetable" not in client.get(home).content  # still the cached copy
    time_machine.shift(timedelta(seconds=2))
    assert b"Ferry timetable" in client.get(home).content


def test_conditional_get_answers_304(client, page_cache, site, django_assert_num_queries):
    url = site["article"].get_absolute_url()
    first = client.get(url)
    with django_assert_num_queries(0):
        by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_date.status_code == 304
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_conditional_get_works_with_the_page_cache_off(client, page_cache, settings, site):
    settings.NEWSROOM_PAGE_CACHE = False  # only the headers: Varnish or a CDN does the caching
    url = site["article"].get_absolute_url()
    first = client.get(url)
    assert first["Cache-Control"] == "public, max-age=60, s-maxage=60"
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_staff_are_never_served_or_stored_publicly(client, page_cache, site, editor, django_assert_num_queries):
    url = site["article"].get_absolute_url()
    client.get(url)  # an anonymous copy is cached
    staff = Client()
    staff.force_login(editor)
    response = staff.get(url)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control and "public" not in cache_control
    # The staff member's page was made for them (queries ran), not taken from the cache.
    assert response.context is not None


def test_a_messages_cookie_bypasses_the_cache(client, page_cache, site, rf):
    url = site["article"].get_absolute_url()
    client.get(url)
    storage = CookieStorage(rf.get("/"))
    encoded = storage._encode([Message(constants.SUCCESS, "Saved.")])
    client.cookies[CookieStorage.cookie_name] = encoded
    response = client.get(url)
    assert response.context is not None  # rendered, not from the cache
    assert "public" not in response["Cache-Control"]


def test_admin_and_previews_are_private(client, page_cache, site, editor):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"] and "public" not in preview["Cache-Control"]
    admin = client.get(reverse("admin:articles_article_changelist"))
    assert "private" in admin["Cache-Control"] and "public" not in admin["Cache-Control"]
    client.logout()
    login = client.get(reverse("admin:login"))
    assert "public" not in login["Cache-Control"]


def test_errors_and_redirects_are_not_cached(client, page_cache, site, django_assert_max_num_queries):
    missing = reverse("articles:detail", kwargs={"slug": "no-such-story"})
    assert client.get(missing).status_code == 404
    response = client.get(missing)
    assert response.status_code == 404
    assert "public" not in response["Cache-Control"]


def _through_middleware(rf, response):
    def view(request):
        return response

    response.public_page = True
    return PageCacheMiddleware(view)(rf.get("/somewhere/"))


def test_a_response_that_sets_a_cookie_is_private_and_not_stored(rf, page_cache):
    response = HttpResponse("hello")
    response.set_cookie("tracking", "1")
    answered = _through_middleware(rf, response)
    assert "private" in answered["Cache-Control"] and "public" not in answered["Cache-Control"]
    fresh = HttpResponse("other")
    assert _through_middleware(rf, fresh).content == b"other"  # nothing was stored for the URL


def test_a_response_varying_on_cookie_is_private(rf, page_cache):
    response = HttpResponse("hello")
    response["Vary"] = "Cookie"
    answered = _through_middleware(rf, response)
    assert "private" in answered["Cache-Control"] and "public" not in answered["Cache-Control"]


def test_a_change_committed_while_a_page_renders_is_never_hidden(rf, page_cache):
    """The generation is read before rendering, so a copy made from old data is never served."""

    def slow_view(request):
        generation.bump()  # an editor's change commits while the page is being made
        response = HttpResponse("old data")
        response.public_page = True
        return response

    PageCacheMiddleware(slow_view)(rf.get("/page/"))

    def fresh_view(request):
        response = HttpResponse("new data")
        response.public_page = True
        return response

    assert PageCacheMiddleware(fresh_view)(rf.get("/page/")).content == b"new data"


def test_only_get_and_head_are_cached(client, page_cache, site):
    url = reverse("articles:search") + "?q=harbour"
    response = client.post(url)
    assert "public" not in response.get("Cache-Control", "")


def test_last_modified_is_when_the_copy_was_made(client, page_cache, site, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    response = client.get(reverse("articles:home"))
    assert response["Last-Modified"] == http_date(timezone.now().timestamp())


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.mark.system  # another worker is another Python process
def test_with_the_local_memory_cache_an_edit_in_another_worker_makes_this_ones_copies_stale(
    client, settings, tmp_path, site
):
    """Each gunicorn worker keeps its own pages in memory; the generation they are made in
    is a file all of them read, so an edit saved through one worker reaches every worker."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "w1"},
    }
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_PAGE_GENERATION_FILE = tmp_path / "pages.generation"
    url = site["article"].get_absolute_url()
    assert "Harbour reopens" in client.get(url).content.decode()
    # Changed behind this worker's back (no signal here), as another worker's save would.
    Article.objects.filter(pk=site["article"].pk).update(title="Harbour closes")
    assert "Harbour reopens" in client.get(url).content.decode()  # this worker's copy

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["NEWSROOM_PAGE_GENERATION_FILE"] = str(settings.NEWSROOM_PAGE_GENERATION_FILE)
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    other_worker = "import django; django.setup(); from articles.caching import generation; generation.bump()"
    subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", other_worker], env=env, cwd=Path(__file__).resolve().parents[2], check=True, timeout=60
    )
    assert "Harbour closes" in client.get(url).content.decode()


def test_the_generation_file_changes_with_every_bump_even_within_one_clock_tick(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tick"},
    }
    settings.NEWSROOM_PAGE_GENERATION_FILE = tmp_path / "pages.generation"
    seen = [generation.current()]
    for _ in range(50):  # far faster than a filesystem clock tick (a few ms)
        generation.bump()
        seen.append(generation.current())
    # Strictly later each time, so no earlier state can come back (an inode number is
    # reused soon after its file goes). On a filesystem whose clock ticks every few
    # milliseconds this holds only because the bump sets the time itself.
    times = [mtime for _, mtime in seen]
    assert all(later > earlier for earlier, later in itertools.pairwise(times))


def test_an_unusable_generation_file_means_no_caching_and_one_log_line(client, settings, tmp_path, site, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bad"},
    }
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = 60
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_PAGE_GENERATION_FILE = tmp_path / "missing-folder" / "pages.generation"
    url = site["article"].get_absolute_url()
    assert "Harbour reopens" in client.get(url).content.decode()
    Article.objects.filter(pk=site["article"].pk).update(title="Harbour closes")
    assert "Harbour closes" in client.get(url).content.decode()  # nothing was stored
    assert len([r for r in caplog.records if "generation" in r.getMessage()]) == 1


def recorded_pages(monkeypatch, cache) -> list[str]:
    """The keys of the pages the page cache stores from now on (local memory or Redis alike)."""
    stored, store = [], cache.set

    def recording(key, *args, **kwargs):
        if re.search(r"pages:[0-9a-f]{32}$", key):
            stored.append(key)
        return store(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    return stored


def test_query_parameters_a_page_does_not_read_are_never_stored(client, page_cache, site, monkeypatch):
    """Random query strings would otherwise fill the cache with copies of one page."""
    stored = recorded_pages(monkeypatch, page_cache)
    for n in range(5):
        assert client.get(reverse("articles:home"), {"utm_source": f"x{n}"}).status_code == 200
        assert client.get(reverse("articles:home"), {"q": f"x{n}"}).status_code == 200  # the home page reads no q
        assert client.get(site["article"].get_absolute_url(), {"page": n}).status_code == 200
    assert stored == []
    # What the pages do read is still stored.
    client.get(reverse("articles:home"), {"page": "1"})
    client.get(reverse("articles:search"), {"q": "harbour", "page": "1"})
    client.get("/api/articles", {"keyword": "harbour", "page_size": "5"})
    assert len(stored) == 3
