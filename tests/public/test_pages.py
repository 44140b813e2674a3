from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.factories import make_article, make_author, make_image, make_keyword, make_section


def no_fragments_cache():
    """As with DEBUG or NEWSROOM_FRAGMENT_CACHE off."""
    return override_settings(
        CACHES={**settings.CACHES, "fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    )


pytestmark = pytest.mark.django_db


def make_rich_article(n, *, keywords=(), section=None, authors=()):
    lead = make_image(alt_text=f"Lead {n}", credit="Photo Desk", color=(n * 7 % 255, 90, 120))
    inline = make_image(alt_text=f"Inline {n}", credit="Ann Lee", color=(30, n * 11 % 255, 60))
    body = (
        f"<p>Paragraph {n}.</p>"
        f'<figure class="image"><img src="{inline.url}"><figcaption>Inline caption {n}</figcaption></figure>'
        f'<figure class="image"><img src="https://example.org/{n}.jpg" alt="r"><figcaption>Remote {n}</figcaption></figure>'
    )
    return make_article(
        title=f"Story {n}",
        standfirst=f"Standfirst {n}",
        byline="Jo Reporter",
        body=body,
        lead_image=lead,
        lead_caption=f"Lead caption {n}",
        keywords=list(keywords),
        authors=list(authors),
        section=section,
        publish_at=timezone.now() - timedelta(hours=n),
    )


def test_article_page_shows_everything_a_reader_needs(client):
    section = make_section("News")
    keyword = make_keyword("Harbour")
    article = make_rich_article(1, keywords=[keyword], section=section)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html
    assert html.count("<h1") == 1
    assert '<p class="standfirst">Standfirst 1</p>' in html
    assert f'<time datetime="{article.publish_at.isoformat()}">' in html
    assert "By Jo Reporter" in html
    assert '<span class="caption">Lead caption 1</span><span class="credit">Photo Desk</span>' not in html
    assert '<figcaption><span class="caption">Lead caption 1</span> <span class="credit">Photo Desk</span>' in html
    assert '<span class="caption">Inline caption 1</span> <span class="credit">Ann Lee</span>' in html
    assert '<span class="caption">Remote 1</span>' in html
    assert f'href="{keyword.get_absolute_url()}"' in html
    assert 'lang="en-gb"' in html
    assert "<img" in html
    assert all('alt="' in tag for tag in html.split("<img")[1:])


@pytest.mark.parametrize("count", [1, 8])
def test_article_page_query_count_is_fixed(client, fragments_cache, django_assert_num_queries, count):
    keywords = [make_keyword(f"K{i}") for i in range(count)]
    authors = [make_author(f"Author {i}", links="https://example.org/a") for i in range(count)]
    article = make_rich_article(1, keywords=keywords, section=make_section(), authors=authors)
    # One more than count: the newest of them is the "previous" link, which related articles leave out.
    for n in range(2, count + 3):
        make_rich_article(n, keywords=keywords, authors=authors)
    for n in range(count):
        Correction.objects.create(article=article, note=f"Correction {n}.")
    connection.features.supports_json_field  # noqa: B018 (a one-off check of the connection, not the page's)
    # The first view makes the article's fragments: the live article, the next scheduled
    # publish time (once per content generation), the article itself (+section, lead image,
    # neighbours), its authors, keywords, corrections and figures (+images), the related articles'
    # teasers (their rows, then the articles to make them from), nav sections, and the new
    # fragments stored in one statement (a savepoint around it in this test: +2).
    with django_assert_num_queries(13):
        first = client.get(article.get_absolute_url())
    # Later views: the live article with its stored main fragment; the head, previous/next,
    # related articles and navigation come from the fragments cache.
    with django_assert_num_queries(1):
        later = client.get(article.get_absolute_url())
    assert later.content == first.content
    # Without the fragments cache (DEBUG, or NEWSROOM_FRAGMENT_CACHE off): the live article,
    # the article (+neighbours), its authors, keywords and corrections (the head names them), the
    # related teasers, nav sections.
    fragments_cache.clear()
    with no_fragments_cache(), django_assert_num_queries(7):
        assert client.get(article.get_absolute_url()).content == first.content


@pytest.mark.parametrize("count", [1, 15])
def test_list_pages_query_count_is_fixed(client, fragments_cache, django_assert_num_queries, count):
    keyword, section = make_keyword(), make_section()
    for n in range(count):
        make_rich_article(n, keywords=[keyword], section=section)
    # home: the next scheduled publish time (once per content generation), count, page (the
    # cards' stored fragments), section blocks, nav sections. Cards made for the first time: their
    # articles (one query), then stored (one statement, +2 for the test's savepoint).
    with django_assert_num_queries(5 + 4):
        first = client.get(reverse("articles:home"))
    # Later: the page of cards; the count and the navigation come from the fragments cache.
    with django_assert_num_queries(1):
        assert client.get(reverse("articles:home")).content == first.content
    # A keyword or section page adds its own lookup (and its count, the first time); its cards
    # are those the section page stored (the front page shows only some of them as cards).
    client.get(section.get_absolute_url())
    with django_assert_num_queries(3):
        assert client.get(keyword.get_absolute_url()).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(keyword.get_absolute_url()).status_code == 200
    with no_fragments_cache(), django_assert_num_queries(4):  # the section, the count, the page, nav sections
        assert client.get(section.get_absolute_url()).status_code == 200


def test_drafts_and_scheduled_articles_are_404_for_readers(client):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    scheduled = make_article(title="Later", publish_at=timezone.now() + timedelta(days=1))
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    home = client.get(reverse("articles:home")).content.decode()
    assert "Draft" not in home
    assert "Later" not in home


def test_scheduled_article_appears_when_its_time_comes(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(title="Later", publish_at=timezone.now() + timedelta(hours=2))
    assert client.get(article.get_absolute_url()).status_code == 404
    time_machine.shift(timedelta(hours=2, seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_home_lists_newest_first_with_pagination(client, settings):
    stories = [make_article(title=f"Story {n:02d}", publish_at=timezone.now() - timedelta(hours=n)) for n in range(14)]
    page1 = client.get(reverse("articles:home"))
    listed = [row["pk"] for row in page1.context["articles"]]
    assert listed == [story.pk for story in stories[: settings.NEWSROOM_PAGE_SIZE]]
    html = page1.content.decode()
    assert "Page 1 of 2" in html
    assert html.index("Story 00") < html.index("Story 01") < html.index(f"Story {len(listed) - 1:02d}")
    assert html.count('<article class="card card--featured">') == 1
    page2 = client.get(reverse("articles:home"), {"page": 2})
    assert [row["pk"] for row in page2.context["articles"]] == [stories[12].pk, stories[13].pk]
    assert "card--featured" not in page2.content.decode()


def test_keyword_and_section_pages_list_only_their_articles(client):
    keyword, section = make_keyword("Harbour"), make_section("Culture")
    tagged = make_article(title="Tagged", keywords=[keyword], section=section)
    make_article(title="Other")
    assert [row["pk"] for row in client.get(keyword.get_absolute_url()).context["articles"]] == [tagged.pk]
    assert [row["pk"] for row in client.get(section.get_absolute_url()).context["articles"]] == [tagged.pk]
    assert client.get(reverse("articles:keyword", args=["nope"])).status_code == 404


def test_non_latin_slug_resolves(client):
    article = make_article(title="Город у моря")
    assert client.get(article.get_absolute_url()).status_code == 200


def test_the_navigation_marks_the_section_being_read(client):
    news, sport = make_section("News"), make_section("Sport")
    make_article(title="Match report", section=sport)
    page = client.get(sport.get_absolute_url()).content.decode()
    assert f'<a href="{sport.get_absolute_url()}" aria-current="page">Sport</a>' in page
    assert f'<a href="{news.get_absolute_url()}">News</a>' in page
    assert 'aria-current="page">' not in client.get(reverse("articles:home")).content.decode().split("</nav>")[0]
