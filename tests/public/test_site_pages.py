"""The site's own pages: the reader-styled 404, 500 and 503 with DEBUG off, and the web app manifest."""

import json
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone

from articles.models import Article
from newsroom import urls as root_urls
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("a bug, not an outage")


def database_down_view(request):
    raise OperationalError("server closed the connection unexpectedly")


# The site's own URLconf with two views that fail, so the real handlers answer them.
urlpatterns = [
    path("boom/", broken_view),
    path("db-down/", database_down_view),
    *root_urls.urlpatterns,
]
handler404 = root_urls.handler404
handler500 = root_urls.handler500


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def assert_site_layout(body: str) -> None:
    """The reader layout: stylesheet, masthead link home, the footer's links; not Django's bare page."""
    assert "/static/css/site.css" in body
    assert 'class="site-name" href="/"' in body
    assert 'class="site-footer"' in body
    assert "About" in body and "/pages/privacy/" in body
    assert "<h1>Not Found</h1>" not in body and "Server Error (500)" not in body


def test_wrong_address_gives_the_sites_404_with_search_and_latest_stories(production):
    older = make_article(title="Older story", slug="older", publish_at=timezone.now() - timedelta(hours=2))
    newer = make_article(title="Newer story", slug="newer", publish_at=timezone.now() - timedelta(hours=1))

    response = production.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert_site_layout(body)
    assert "We can’t find that page" in body
    assert 'action="/search/"' in body and 'id="not-found-q"' in body
    assert '<meta name="robots" content="noindex">' in body
    # Newest first, linked.
    assert body.index(newer.get_absolute_url()) < body.index(older.get_absolute_url())
    assert ">Newer story</a>" in body


def test_embargoed_story_gives_the_styled_404_without_telling_its_title(production):
    scheduled = make_article(
        title="Secret merger announced", slug="merger", publish_at=timezone.now() + timedelta(days=1)
    )
    make_article(title="Live story", slug="live", publish_at=timezone.now() - timedelta(hours=1))

    response = production.get(scheduled.get_absolute_url())

    assert response.status_code == 404
    body = response.content.decode()
    assert_site_layout(body)
    assert "Secret merger" not in body  # neither as the page nor among the latest stories
    assert ">Live story</a>" in body


@pytest.mark.parametrize("count", [1, 12])
def test_404_query_count_is_fixed(production, django_assert_num_queries, count):
    for n in range(count):
        make_article(title=f"Story {n}", slug=f"story-{n}", publish_at=timezone.now() - timedelta(minutes=n + 1))
    # The redirect fallback's old-address lookup, the navigation's sections, the latest headlines.
    with django_assert_num_queries(3):
        body = production.get("/nothing/here/").content.decode()
    assert body.count('<li><a href="/articles/story-') == min(count, 5)


def test_404_latest_stories_come_from_the_fragments_cache_once_made(production, fragments_cache):
    make_article(title="Cached story", slug="cached", publish_at=timezone.now() - timedelta(hours=1))
    first = production.get("/nothing/")
    Article.objects.filter(slug="cached").update(title="Changed behind the cache's back")
    later = production.get("/nothing/")
    assert ">Cached story</a>" in first.content.decode()
    assert ">Cached story</a>" in later.content.decode()


@pytest.mark.urls(__name__)
def test_a_failing_view_gives_the_static_500_without_a_query(production, django_assert_num_queries, monkeypatch):
    # The layout's context processors are not run: the section navigation would query.
    monkeypatch.setattr(
        "articles.public.context_processors.navigation_sections",
        lambda **kwargs: (_ for _ in ()).throw(AssertionError("queried")),
    )
    with django_assert_num_queries(0):
        response = production.get("/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "/static/css/site.css" in body and 'class="site-footer"' in body
    assert "RuntimeError" not in body and "Traceback" not in body
    assert response["Cache-Control"] == "no-store"
    assert "style-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.urls(__name__)
def test_a_database_outage_in_a_view_gives_the_styled_503(production):
    response = production.get("/db-down/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "back in a moment" in body
    assert "/static/css/site.css" in body and 'class="site-footer"' in body
    assert "<style>" not in body  # no inline style, unless a brand accent is set (test_brand.py)


@pytest.mark.urls(__name__)
def test_a_500_page_that_cannot_render_still_answers(production, monkeypatch):
    monkeypatch.setattr("newsroom.views.static_page_context", lambda: 1 / 0)
    response = production.get("/boom/")
    assert response.status_code == 500
    assert response.content == b"<h1>Server Error (500)</h1>"


def test_manifest_names_the_site_its_colour_and_icons(client, settings):
    settings.NEWSROOM_SITE_NAME = "The Port Allen Echo"
    response = client.get(reverse("articles:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "The Port Allen Echo"
    assert manifest["start_url"] == "/"
    assert manifest["theme_color"] == settings.NEWSROOM_THEME_COLOUR
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix(settings.STATIC_URL)), icon["src"]


def test_every_page_links_its_icons_manifest_and_theme_colour(client):
    body = client.get(reverse("articles:home")).content.decode()
    assert '<link rel="icon" href="/static/brand/favicon.svg" type="image/svg+xml">' in body
    assert 'href="/static/brand/favicon-32.png" type="image/png"' in body
    assert f'<link rel="manifest" href="{reverse("articles:manifest")}">' in body
    assert '<meta name="theme-color" content="#a4161a">' in body


# --- Footer pages (Django's flatpages) ---------------------------------------------------------


def make_site_page(url="/pages/about/", title="About us", content="<p>We report on the Wend valley.</p>"):
    from django.contrib.flatpages.models import FlatPage

    page = FlatPage.objects.create(url=url, title=title, content=content)
    page.sites.add(1)
    return page


def test_a_footer_page_is_in_the_sites_layout(client):
    page = make_site_page()
    response = client.get("/pages/about/")
    assert response.status_code == 200
    body = response.content.decode()
    assert_site_layout(body.replace("Not Found", ""))
    assert "<title>About us · " in body
    assert '<article class="site-page">\n  <h1>About us</h1>' in body
    assert "<p>We report on the Wend valley.</p>" in body
    assert f'<link rel="canonical" href="http://testserver{page.get_absolute_url()}">' in body
    assert page.get_absolute_url() == "/pages/about/"


def test_footer_page_content_is_sanitised_on_every_save_and_its_title_escaped(client):
    page = make_site_page(
        title="<b>About</b>",
        content='<p onclick="steal()">Hi<script>alert(1)</script></p><a href="javascript:alert(2)">x</a>',
    )
    page.refresh_from_db()
    assert "script" not in page.content and "onclick" not in page.content and "javascript" not in page.content
    assert "<p>Hi</p>" in page.content
    body = client.get("/pages/about/").content.decode()
    assert "<h1>&lt;b&gt;About&lt;/b&gt;</h1>" in body


@pytest.mark.parametrize("count", [1, 5])
def test_footer_page_query_count_is_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        make_site_page(url=f"/pages/p{n}/", title=f"Page {n}")
    with django_assert_num_queries(2):  # the page, the navigation's sections
        assert client.get("/pages/p0/").status_code == 200


def test_a_missing_footer_page_is_the_sites_404(production):
    response = production.get("/pages/nothing/")
    assert response.status_code == 404
    assert "We can’t find that page" in response.content.decode()


def test_footer_pages_are_in_the_sitemap_on_the_requests_host(client, settings):
    from lxml import etree

    settings.ALLOWED_HOSTS = ["news.example.org"]
    make_site_page()
    make_site_page(url="/pages/privacy/", title="Privacy")
    root = etree.fromstring(client.get("/sitemap-pages.xml", HTTP_HOST="news.example.org").content)
    locs = sorted(loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"))
    assert locs == ["http://news.example.org/pages/about/", "http://news.example.org/pages/privacy/"]


def test_saving_a_footer_page_makes_cached_pages_stale(django_capture_on_commit_callbacks):
    from articles.caching import generation

    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        make_site_page()
    assert generation.current() != before


def test_editors_write_footer_pages_in_the_article_editor_under_pages(client, django_user_model):
    from django.contrib.flatpages.models import FlatPage

    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.org", "pw"))
    form = client.get(reverse("admin:flatpages_flatpage_add")).content.decode()
    assert "ckeditor" in form and 'value="/pages/"' in form
    assert "registration_required" not in form and "template_name" not in form
    fields = {"title": "Privacy", "content": "<p>Little.</p><script>x()</script>", "sites": ["1"]}
    refused = client.post(reverse("admin:flatpages_flatpage_add"), {**fields, "url": "/privacy/"})
    assert refused.status_code == 200 and "Footer pages live under /pages/" in refused.content.decode()
    saved = client.post(reverse("admin:flatpages_flatpage_add"), {**fields, "url": "/pages/privacy/"})
    assert saved.status_code == 302
    assert FlatPage.objects.get(url="/pages/privacy/").content == "<p>Little.</p>"


def test_favicon_ico_sends_browsers_to_the_png_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/brand/favicon-32.png"
