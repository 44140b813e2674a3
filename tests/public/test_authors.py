"""Authors on readers' pages: bylines that link, author pages with a feed, Person in JSON-LD, fixed query counts."""

import json
from datetime import timedelta

import feedparser
import lxml.html
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import image_bytes, make_article, make_author, make_image
from tests.public.test_pages import make_rich_article, no_fragments_cache

pytestmark = pytest.mark.django_db


def byline(client, article):
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    (span,) = page.xpath("//main//span[@class='byline']")
    return span


def test_the_article_page_links_each_author_in_order_and_hides_the_byline(client):
    ann, bo, cy = make_author("Ann Lee"), make_author("Bo Ek"), make_author("Cy Young")
    article = make_article(title="Harbour reopens", byline="Reuters", authors=[cy, ann, bo])
    span = byline(client, article)
    assert " ".join(span.text_content().split()) == "By Cy Young, Ann Lee and Bo Ek"
    links = [(a.text, a.get("href"), a.get("rel")) for a in span.xpath("a")]
    assert links == [
        ("Cy Young", "/authors/cy-young/", "author"),
        ("Ann Lee", "/authors/ann-lee/", "author"),
        ("Bo Ek", "/authors/bo-ek/", "author"),
    ]
    assert "Reuters" not in client.get(article.get_absolute_url()).content.decode()


def test_two_authors_read_with_and_and_the_byline_shows_when_there_is_no_author(client):
    two = make_article(title="Two", authors=[make_author("Ann Lee"), make_author("Bo Ek")])
    assert " ".join(byline(client, two).text_content().split()) == "By Ann Lee and Bo Ek"
    agency = make_article(title="Agency copy", byline="Reuters")
    span = byline(client, agency)
    assert (span.text_content(), span.xpath("a")) == ("By Reuters", [])


def test_the_author_page_lists_their_published_articles_newest_first_with_a_feed(client):
    ann, other = make_author("Ann Lee", role="Health correspondent", bio="Ann covers hospitals."), make_author("Bo Ek")
    now = timezone.now()
    make_article(title="Older", authors=[ann], publish_at=now - timedelta(days=2))
    make_article(title="Newer", authors=[other, ann], publish_at=now - timedelta(hours=1))
    make_article(title="Draft", authors=[ann], status=Article.Status.DRAFT)
    make_article(title="Scheduled", authors=[ann], publish_at=now + timedelta(days=1))
    make_article(title="Not hers", authors=[other])
    response = client.get(reverse("articles:author", args=["ann-lee"]))
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//h2[@class='card__title']/a/text()") == ["Newer", "Older"]
    header = page.xpath("//header[@class='list-header']")[0]
    assert [header.xpath("string(.//p[@class='kicker'])"), header.xpath("string(.//h1)")] == [
        "Health correspondent",
        "Ann Lee",
    ]
    assert "Ann covers hospitals." in header.text_content()
    assert "/authors/ann-lee/feed/" in page.xpath("//link[@rel='alternate']/@href")
    assert page.xpath("//meta[@name='description']/@content") == ["Ann covers hospitals."]

    feed = feedparser.parse(client.get("/authors/ann-lee/feed/").content)
    assert not feed.bozo
    assert [(entry.title, entry.author) for entry in feed.entries] == [
        ("Newer", "Bo Ek, Ann Lee"),
        ("Older", "Ann Lee"),
    ]
    assert feed.feed.title.startswith("Ann Lee")
    atom = feedparser.parse(client.get("/authors/ann-lee/feed/atom/").content)
    assert [entry.title for entry in atom.entries] == ["Newer", "Older"]


def test_the_author_page_shows_photo_and_web_links_only(client):
    photo = make_image(alt_text="Ann Lee", data=image_bytes(size=(300, 300)))
    links = "https://example.org/ann\njavascript:alert(1)\nhttps://social.example/@ann"
    make_author("Ann Lee", photo=photo, links=links)
    page = lxml.html.fromstring(client.get("/authors/ann-lee/").content)
    assert page.xpath("//div[@class='author__photo']//img")
    assert page.xpath("//ul[@class='author__links']//a/@href") == [
        "https://example.org/ann",
        "https://social.example/@ann",
    ]


def test_an_unknown_author_is_404_and_one_without_articles_says_so(client):
    assert client.get("/authors/nobody/").status_code == 404
    assert client.get("/authors/nobody/feed/").status_code == 404
    make_author("New Hire")
    assert "Nothing has been published here yet." in client.get("/authors/new-hire/").content.decode()


def test_json_ld_names_authors_as_persons_with_their_page_and_profiles(client):
    ann = make_author(
        "Ann Lee", role="Health correspondent", links="https://example.org/ann\nhttps://social.example/@ann"
    )
    bo = make_author("Bo Ek")
    article = make_article(title="Harbour reopens", byline="ignored", authors=[ann, bo])
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    data = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ann Lee",
            "url": "http://testserver/authors/ann-lee/",
            "jobTitle": "Health correspondent",
            "sameAs": ["https://example.org/ann", "https://social.example/@ann"],
        },
        {"@type": "Person", "name": "Bo Ek", "url": "http://testserver/authors/bo-ek/"},
    ]
    agency = make_article(title="Agency", byline="Jo Reporter and Ann Lee")
    page = lxml.html.fromstring(client.get(agency.get_absolute_url()).content)
    data = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["author"] == [{"@type": "Person", "name": "Jo Reporter"}, {"@type": "Person", "name": "Ann Lee"}]


@pytest.mark.parametrize("count", [1, 5])
def test_author_page_query_count_is_fixed(client, fragments_cache, django_assert_num_queries, count):
    authors = [make_author(f"Author {i}", photo=make_image(color=(i, 9, 9))) for i in range(count)]
    for n in range(count * 3):
        make_rich_article(n, authors=authors)
    url = authors[0].get_absolute_url()
    # The author (+photo), the next scheduled publish time (once per content generation), the
    # count, the page of cards; cards made the first time: their articles, then stored (one
    # statement, +2 for the test's savepoint); nav sections.
    with django_assert_num_queries(9):
        first = client.get(url)
    # Later: the author and the page of cards; the rest from the fragments cache.
    with django_assert_num_queries(2):
        assert client.get(url).content == first.content
    with no_fragments_cache(), django_assert_num_queries(4):  # the author, the count, the page, nav sections
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_the_article_page_costs_the_same_with_one_author_or_five(client, django_assert_num_queries, count):
    authors = [make_author(f"Author {i}", links=f"https://example.org/{i}") for i in range(count)]
    article = make_rich_article(1, authors=authors)
    connection.features.supports_json_field  # noqa: B018 (a one-off check of the connection, not the page's)
    # The live article, the article (+neighbours), its authors, keywords, corrections, nav
    # sections, figures (+images), and the main fragment stored (+2 for the test's savepoint).
    # No keyword or section: no related teasers.
    with no_fragments_cache(), django_assert_num_queries(10):
        page = client.get(article.get_absolute_url()).content.decode()
    assert all(f"/authors/author-{i}/" in page for i in range(count))
