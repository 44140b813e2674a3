"""CDN and Varnish purges (caching/purge.py), against a local HTTP server that records what it is asked."""

import contextlib
import json
import re
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from articles.caching import purge as purging
from articles.models import Article
from tests.factories import make_article, make_author, make_keyword, make_section
from tests.local_server import local_http_server

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with the server's status and keeps (method, path, headers, body)."""

    def handle_one_request(self):
        with contextlib.suppress(ConnectionError):  # the client gave up (a timeout test)
            super().handle_one_request()

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append((self.command, self.path, dict(self.headers), body))
        if self.server.delay:
            self.server.release.wait(self.server.delay)
        self.send_response(self.server.status)
        payload = json.dumps({"success": self.server.status < 400}).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_PURGE = do_BAN = do_POST = do_GET = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    with local_http_server(Recorder, status=200, delay=0) as server:
        yield server


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    # Committed, as far as the purge bookkeeping goes: the test's own changes start afresh.
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(
            title="Quay works",
            section=make_section("Local"),
            keywords=[make_keyword("Harbour"), make_keyword("Council")],
            publish_at=timezone.now() - timedelta(hours=1),
        )


@pytest.fixture
def http_purge(settings, recorder):
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_URLS = [recorder.url]
    settings.NEWSROOM_PURGE_METHOD = "PURGE"
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    return recorder


def expected_paths(article):
    paths = {
        article.get_absolute_url(),
        reverse("articles:home"),
        reverse("articles:corrections"),  # it names the articles it lists
        reverse("articles:search"),
        reverse("articles:feed"),
        reverse("articles:feed_atom"),
        reverse("articles:sitemap"),
        reverse("articles:sitemap_news"),
        reverse("articles:section", kwargs={"slug": article.section.slug}),
        reverse("articles:section_feed", kwargs={"slug": article.section.slug}),
        reverse("articles:section_feed_atom", kwargs={"slug": article.section.slug}),
    }
    for keyword in article.keywords.all():
        paths |= {
            keyword.get_absolute_url(),
            reverse("articles:keyword_feed", kwargs={"slug": keyword.slug}),
            reverse("articles:keyword_feed_atom", kwargs={"slug": keyword.slug}),
        }
    return paths


def test_http_purge_sends_every_changed_page_after_commit(story, http_purge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.title = "Quay works finish"
        story.save()
        assert http_purge.requests == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert {method for method, *_ in http_purge.requests} == {"PURGE"}
    assert {path for _, path, _, _ in http_purge.requests} >= expected_paths(story)
    assert {headers["Host"] for _, _, headers, _ in http_purge.requests} == {"news.example.org"}


def test_one_purge_per_transaction(story, http_purge, django_capture_on_commit_callbacks, settings):
    settings.NEWSROOM_PURGE_METHOD = "BAN"
    other = make_article(title="Tram news")
    http_purge.requests.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        story.title = "Quay works finish"
        story.save()
        other.title = "Tram news, again"
        other.save()
        story.keywords.add(make_keyword("Boats"))
    assert len(http_purge.requests) == 1


def test_ban_sends_one_pattern_for_the_pages_and_their_query_strings(
    story, http_purge, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGE_METHOD = "BAN"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    ((method, path, headers, _),) = http_purge.requests
    assert (method, path) == ("BAN", "/")
    pattern = re.compile(headers["X-Url"])
    for page in expected_paths(story):
        assert pattern.search(page), page
    assert pattern.search("/?page=3")
    assert pattern.search("/search/?q=quay")
    assert not pattern.search("/articles/another-story/")
    assert not pattern.search("/articles/quay-works/extra/")


def test_cloudflare_purges_full_urls_with_the_token(story, settings, recorder, django_capture_on_commit_callbacks):
    settings.NEWSROOM_PURGE_BACKEND = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API_URL = recorder.url + "/client/v4"
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID = "zone123"
    settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "token-abc"
    settings.NEWSROOM_SITE_URL = "https://news.example.org/"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    ((method, path, headers, body),) = recorder.requests
    assert (method, path) == ("POST", "/client/v4/zones/zone123/purge_cache")
    assert headers["Authorization"] == "Bearer token-abc"
    files = json.loads(body)["files"]
    assert set(files) == {"https://news.example.org" + p for p in expected_paths(story)}


def test_cloudflare_sends_at_most_30_urls_a_request_and_purges_everything_when_asked(settings, recorder):
    settings.NEWSROOM_PURGE_BACKEND = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API_URL = recorder.url
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID = "z"
    settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "t"
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    purging.purge({f"/articles/{n}/" for n in range(45)})
    assert [len(json.loads(body)["files"]) for *_, body in recorder.requests] == [30, 15]
    recorder.requests.clear()
    purging.purge(set(), everything=True)
    assert json.loads(recorder.requests[0][3]) == {"purge_everything": True}


def test_a_renamed_section_bans_everything(story, http_purge, settings, django_capture_on_commit_callbacks):
    settings.NEWSROOM_PURGE_METHOD = "BAN"
    with django_capture_on_commit_callbacks(execute=True):
        story.section.name = "City"
        story.section.save()
    ((_, _, headers, _),) = http_purge.requests
    assert headers["X-Url"] == "^/"


def test_renaming_an_article_purges_its_old_address(story, http_purge, django_capture_on_commit_callbacks):
    old = story.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        story.slug = "quay-works-2"
        story.save()
    paths = {path for _, path, _, _ in http_purge.requests}
    assert {old, "/articles/quay-works-2/"} <= paths


def test_unpublishing_purges_and_draft_edits_do_not(story, http_purge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Article.Status.DRAFT
        story.save()
    assert story.get_absolute_url() in {path for _, path, _, _ in http_purge.requests}
    http_purge.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Still a draft"
        story.save()
    assert http_purge.requests == []


def test_nothing_is_sent_by_default(story, recorder, django_capture_on_commit_callbacks, settings):
    settings.NEWSROOM_PURGE_URLS = [recorder.url]  # configured, but the backend is "none"
    with django_capture_on_commit_callbacks(execute=True):
        story.save()
    assert recorder.requests == []


def test_a_failing_purge_is_logged_and_the_save_stands(story, http_purge, caplog, django_capture_on_commit_callbacks):
    http_purge.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Saved anyway"
        story.save()
    assert Article.objects.get(pk=story.pk).title == "Saved anyway"
    assert "answered 500" in caplog.text
    assert len(http_purge.requests) == 1  # a server in trouble gets no more requests for this change


def test_an_unreachable_or_slow_purge_server_times_out(story, settings, recorder, caplog):
    settings.NEWSROOM_PURGE_BACKEND = "http"
    settings.NEWSROOM_PURGE_TIMEOUT = 0.2
    recorder.delay = 5  # longer than the timeout; released at teardown
    settings.NEWSROOM_PURGE_URLS = [recorder.url, "http://127.0.0.1:9"]  # the second refuses connections
    purging.purge({"/"})  # returns: neither a slow nor a dead server holds it
    assert caplog.text.count("Purge PURGE") == 2


def test_an_unknown_backend_is_logged(settings, caplog):
    settings.NEWSROOM_PURGE_BACKEND = "akamai"
    purging.purge({"/"})
    assert "Unknown NEWSROOM_PURGE_BACKEND" in caplog.text


def test_author_pages_are_purged_with_the_article(http_purge, django_capture_on_commit_callbacks):
    ann, bo = make_author("Ann Lee"), make_author("Bo Ek")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Quay works", authors=[ann])
    http_purge.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.set_authors([bo.pk])
    purged = {path for _, path, _, _ in http_purge.requests}
    for slug in ("ann-lee", "bo-ek"):
        assert {
            reverse("articles:author", args=[slug]),
            reverse("articles:author_feed", args=[slug]),
            reverse("articles:author_feed_atom", args=[slug]),
        } <= purged
    assert article.get_absolute_url() in purged

    http_purge.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bo.slug = "bo-ekdahl"
        bo.save()
    purged = {path for _, path, _, _ in http_purge.requests}
    assert {"/authors/bo-ek/", "/authors/bo-ekdahl/", article.get_absolute_url()} <= purged
