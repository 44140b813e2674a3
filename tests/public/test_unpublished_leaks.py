"""Nothing a reader can fetch tells of an article before it is live: not a keyword only it uses,
not its address through an old one (docs/deployment.md, "What is stopped where")."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Keyword, Redirect
from tests.factories import make_article, make_author, make_keyword

pytestmark = pytest.mark.django_db

FEEDS = ["articles:keyword_feed", "articles:keyword_feed_atom"]


@pytest.fixture
def embargoed_keyword():
    keyword = Keyword.objects.create(name="Merger talks", slug="merger-talks", description="Talks with Rival Press.")
    make_article(title="We buy Rival Press", publish_at=timezone.now() + timedelta(days=1), keywords=[keyword])
    make_article(title="Merger draft", status=Article.Status.DRAFT, keywords=[keyword])
    return keyword


@pytest.mark.parametrize("name", FEEDS)
def test_a_keyword_only_unpublished_articles_use_has_no_feed(client, embargoed_keyword, name):
    response = client.get(reverse(name, args=[embargoed_keyword.slug]))
    assert response.status_code == 404
    assert b"Merger talks" not in response.content and b"Rival" not in response.content
    # The same answer as a keyword that does not exist: nothing tells which keywords exist.
    assert client.get(reverse(name, args=["no-such-keyword"])).status_code == 404


@pytest.mark.parametrize("name", FEEDS)
def test_a_keyword_feed_appears_with_its_first_live_article(client, embargoed_keyword, name):
    make_article(title="Merger off", keywords=[embargoed_keyword])
    response = client.get(reverse(name, args=[embargoed_keyword.slug]))
    assert response.status_code == 200
    assert b"Merger off" in response.content and b"We buy Rival Press" not in response.content


def test_a_keyword_without_any_article_has_no_feed(client):
    make_keyword("Unused")
    assert client.get(reverse("articles:keyword_feed", args=["unused"])).status_code == 404


def test_an_author_page_and_feed_stay_while_they_have_no_live_article(client):
    """Authors are public people, listed on purpose by the newsroom: their page and feed exist before
    their first article is live, empty, and name none of their unpublished work."""
    author = make_author("Ann Lee", bio="Covers the harbour.")
    make_article(title="Ann's scoop", publish_at=timezone.now() + timedelta(days=1), authors=[author])
    for url in [reverse("articles:author", args=["ann-lee"]), reverse("articles:author_feed", args=["ann-lee"])]:
        response = client.get(url)
        assert response.status_code == 200
        assert b"Ann Lee" in response.content and b"scoop" not in response.content


@pytest.mark.parametrize(
    "unpublished",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"publish_at": timezone.now() + timedelta(days=1)},  # scheduled
    ],
    ids=["draft", "review", "scheduled"],
)
def test_an_old_address_of_an_unpublished_article_is_not_found(client, unpublished):
    article = make_article(title="We buy Rival Press", slug="we-buy-rival-press", **unpublished)
    Redirect.objects.create(old_path="/blog/rival", article=article)
    Redirect.objects.create(old_path="/blog/rival-by-address", new_url=article.get_absolute_url())
    for path in ["/blog/rival", "/blog/rival-by-address"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "Location" not in response and b"rival-press" not in response.content


def test_an_old_address_of_an_unpublished_article_works_once_it_is_live(client):
    article = make_article(title="Later", slug="later", publish_at=timezone.now() + timedelta(days=1))
    Redirect.objects.create(old_path="/blog/later", article=article)
    assert client.get("/blog/later").status_code == 404
    article.publish_at = timezone.now()
    article.save()
    response = client.get("/blog/later")
    assert (response.status_code, response["Location"]) == (301, "/articles/later/")


def test_an_unpublished_renamed_article_does_not_tell_its_new_address(client):
    article = make_article(title="Harbour reopens")
    article.slug = "harbour-reopens-after-the-merger"
    article.save()  # the old address now redirects
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get("/articles/harbour-reopens/").status_code == 404


def test_old_addresses_to_other_places_still_redirect(client):
    Redirect.objects.create(old_path="/about-us", new_url="https://example.com/about")
    Redirect.objects.create(old_path="/old-search", new_url="/search/?q=harbour")
    assert client.get("/about-us")["Location"] == "https://example.com/about"
    assert client.get("/old-search")["Location"] == "/search/?q=harbour"
