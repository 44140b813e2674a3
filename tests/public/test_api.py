"""The read-only JSON API (public/api.py): content, filters, drafts never leak, caching, queries, its own schema."""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from articles.images.html import render_body
from articles.models import Article
from articles.public.api import api
from tests.factories import image_bytes, make_article, make_author, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def content():
    now = timezone.now()
    local, sport = make_section("Local"), make_section("Sport")
    harbour, ferries = make_keyword("Harbour"), make_keyword("Ferries")
    lead = make_image(data=image_bytes(size=(700, 400)), alt_text="Boats", credit="Ann Lee", copyright="CC BY 4.0")
    inline = make_image(data=image_bytes(size=(500, 300), color="red"), alt_text="Quay", credit="Photo Desk")
    body = (
        f'<p>Hello harbour.</p><figure class="image"><img src="{inline.url}"><figcaption>The quay</figcaption></figure>'
    )
    rich = make_article(
        title="Harbour reopens",
        standfirst="Boats are back.",
        byline="Jo Reporter",
        body=body,
        section=local,
        keywords=[harbour, ferries],
        lead_image=lead,
        lead_caption="Monday",
        publish_at=now - timedelta(days=1),
    )
    match = make_article(title="Cup final", section=sport, publish_at=now - timedelta(days=3))
    ferry = make_article(title="Ferry times", keywords=[ferries], publish_at=now - timedelta(days=10))
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT, keywords=[harbour], section=local)
    review = make_article(title="In review", status=Article.Status.REVIEW, keywords=[harbour])
    scheduled = make_article(title="Embargoed", publish_at=now + timedelta(hours=2), keywords=[harbour], section=local)
    return {"rich": rich, "match": match, "ferry": ferry, "hidden": [draft, review, scheduled], "inline": inline}


def titles(response):
    return [item["title"] for item in response.json()["items"]]


def test_article_list_is_published_only_newest_first_with_pagination(client, content):
    response = client.get("/api/articles", {"page_size": 2})
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"]) == (3, 1, 2)
    assert titles(response) == ["Harbour reopens", "Cup final"]
    assert data["next"] == "http://testserver/api/articles?page_size=2&page=2"
    assert data["previous"] is None
    page2 = client.get("/api/articles", {"page_size": 2, "page": 2})
    assert titles(page2) == ["Ferry times"]
    assert page2.json()["next"] is None
    assert page2.json()["previous"] == "http://testserver/api/articles?page_size=2&page=1"
    assert titles(client.get("/api/articles", {"page": 9})) == []


def test_article_list_filters_by_keyword_section_and_dates(client, content):
    assert titles(client.get("/api/articles", {"keyword": "ferries"})) == ["Harbour reopens", "Ferry times"]
    assert titles(client.get("/api/articles", {"keyword": "harbour"})) == ["Harbour reopens"]
    assert titles(client.get("/api/articles", {"section": "sport"})) == ["Cup final"]
    assert titles(client.get("/api/articles", {"section": "local"})) == ["Harbour reopens"]
    today = timezone.now().date()
    since = (today - timedelta(days=4)).isoformat()
    assert titles(client.get("/api/articles", {"published_from": since})) == ["Harbour reopens", "Cup final"]
    until = (today - timedelta(days=3)).isoformat()
    assert titles(client.get("/api/articles", {"published_to": until})) == ["Cup final", "Ferry times"]
    assert client.get("/api/articles", {"published_from": "yesterday"}).status_code == 422
    assert client.get("/api/articles", {"published_to": "0"}).status_code == 422  # not "seconds since 1970"
    assert client.get("/api/articles", {"page_size": 1000}).status_code == 422


def test_drafts_review_and_scheduled_articles_never_leak(client, content):
    listed = set()
    for params in [{}, {"keyword": "harbour"}, {"section": "local"}, {"page_size": 100}]:
        listed |= set(titles(client.get("/api/articles", params)))
    assert listed == {"Harbour reopens", "Cup final", "Ferry times"}
    for hidden in content["hidden"]:
        response = client.get(f"/api/articles/{hidden.slug}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not Found"}


def test_article_detail_has_body_figures_credits_and_renditions(client, content):
    rich = content["rich"]
    response = client.get(f"/api/articles/{rich.slug}")
    assert response.status_code == 200
    data = response.json()
    assert data["url"] == f"http://testserver{rich.get_absolute_url()}"
    assert (data["title"], data["standfirst"], data["byline"], data["lead_caption"]) == (
        "Harbour reopens",
        "Boats are back.",
        "Jo Reporter",
        "Monday",
    )
    assert data["section"] == {"slug": "local", "name": "Local", "url": "http://testserver/sections/local/"}
    assert [k["slug"] for k in data["keywords"]] == ["ferries", "harbour"]
    # The body exactly as the page draws it: the same figure markup, caption and credit.
    assert data["body_html"] == str(render_body(Article.objects.get(pk=rich.pk)))
    assert '<span class="caption">The quay</span> <span class="credit">Photo Desk</span>' in data["body_html"]
    lead = data["lead_image"]
    assert (lead["alt_text"], lead["credit"], lead["copyright"], lead["width"], lead["height"]) == (
        "Boats",
        "Ann Lee",
        "CC BY 4.0",
        700,
        400,
    )
    assert [(r["width"], r["type"]) for r in lead["renditions"]] == [
        (320, "image/webp"),
        (640, "image/webp"),
        (700, "image/webp"),
        (320, "image/jpeg"),
        (640, "image/jpeg"),
        (700, "image/jpeg"),
    ]
    assert lead["renditions"][0]["url"].startswith("http://testserver/media/renditions/")
    assert [(r["width"], r["height"]) for r in lead["card_renditions"]][-1] == (600, 400)
    assert (lead["social"]["width"], lead["social"]["height"]) == (700, 366)
    figure = data["figures"][0]
    assert (figure["position"], figure["caption"], figure["image"]["credit"]) == (0, "The quay", "Photo Desk")
    assert figure["image"]["url"] == f"http://testserver{content['inline'].url}"
    assert data["reading_minutes"] == 1 and data["word_count"] == 4  # "Hello harbour." and the caption


def test_keywords_and_sections(client, content):
    keywords = client.get("/api/keywords").json()
    assert [k["slug"] for k in keywords["items"]] == ["ferries", "harbour"]
    assert keywords["count"] == 2
    sections = client.get("/api/sections").json()
    assert [(s["slug"], s["url"]) for s in sections] == [
        ("local", "http://testserver/sections/local/"),
        ("sport", "http://testserver/sections/sport/"),
    ]


def test_api_answers_are_public_and_cacheable_like_the_pages(client, content, settings):
    # The suite turns page caching off (tests/conftest.py); turn its headers back on, without storing.
    settings.NEWSROOM_PAGE_SHARED_MAX_AGE = settings.NEWSROOM_PAGE_MAX_AGE = 60
    settings.NEWSROOM_PAGE_CACHE = False
    for url in ["/api/articles", f"/api/articles/{content['rich'].slug}", "/api/keywords", "/api/sections"]:
        response = client.get(url)
        assert response.status_code == 200
        directives = {d.strip().split("=")[0] for d in response["Cache-Control"].split(",")}
        assert {"public", "max-age"} <= directives, (url, response["Cache-Control"])
    missing = client.get("/api/articles/nope")
    assert "public" not in missing.get("Cache-Control", "")


@pytest.mark.parametrize("count", [1, 8])
def test_api_query_counts_are_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        inline = make_image(color=(n, 1, 1))
        make_article(
            title=f"Story {n}",
            keywords=[make_keyword(f"K{n}"), make_keyword(f"L{n}")],
            section=make_section(f"S{n}"),
            lead_image=make_image(color=(n, 2, 2)),
            body=f'<img src="{inline.url}"><img src="https://img.example.org/{n}.jpg">',
        )
        Article.objects.get(title=f"Story {n}").set_authors([make_author(f"Writer {n}").pk, make_author(f"Ed {n}").pk])
    with django_assert_num_queries(4):  # count, page (+section, lead image), keywords, authors
        listed = client.get("/api/articles").json()
    with django_assert_num_queries(4):  # article (+section, lead image), keywords, figures (+images), authors
        one = client.get("/api/articles/story-0").json()
    assert [author["name"] for author in one["authors"]] == ["Writer 0", "Ed 0"]
    assert one["authors"][0]["url"].endswith("/authors/writer-0/")
    assert all(len(item["authors"]) == 2 for item in listed["items"])
    with django_assert_num_queries(2):  # count, page
        assert client.get("/api/keywords").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/api/sections").status_code == 200


def test_openapi_schema_is_served(client):
    served = client.get("/api/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
    assert served["openapi"].startswith("3.")
    assert set(served["paths"]) == {"/api/articles", "/api/articles/{slug}", "/api/keywords", "/api/sections"}
    assert all(set(item) == {"get"} for item in served["paths"].values())  # read-only


# --- The API against its own OpenAPI schema (schemathesis, in-process WSGI, no network) ----------


# The schema the API serves (test_openapi_schema_is_served checks it is this one). Loaded from
# the API object rather than with schemathesis.pytest.from_fixture, whose lazy loader does not
# run on pytest 9.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder)))
schema.app = WSGIHandler()


@pytest.fixture
def wsgi_requests(settings):
    """Let schemathesis call Django's WSGI handler inside the test's transaction."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # its requests say Host: localhost
    # Django closes "obsolete" connections at the start and end of every WSGI
    # request; inside a test's transaction that would close the test's own
    # connection. Django's test client disconnects the same handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi_schema(case, content, wsgi_requests):
    case.call_and_validate()


def test_a_date_filter_at_the_end_of_the_calendar_is_no_500(client, content):
    assert client.get("/api/articles", {"published_to": "9999-12-31"}).status_code == 200
    assert client.get("/api/articles", {"published_from": "0001-01-01"}).status_code == 200


def test_a_keyword_only_embargoed_articles_use_is_not_shown(client, content):
    secret = make_keyword("Secret merger")
    make_article(title="Embargoed", keywords=[secret], publish_at=timezone.now() + timedelta(days=1))
    assert "secret-merger" not in [k["slug"] for k in client.get("/api/keywords").json()["items"]]
    assert client.get(secret.get_absolute_url()).status_code == 404
