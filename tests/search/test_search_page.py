"""The search page: results as a list with highlighted snippets, filters by section and date, two orders, one form."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def results(client, **params):
    response = client.get(reverse("articles:search"), params)
    assert response.status_code == 200
    page = lxml_html.fromstring(response.content)
    return page, [h.text_content().strip() for h in page.xpath("//ol[@class='results']/li//h2")]


@pytest.fixture
def harbour_stories():
    now = timezone.now()
    news, sport = make_section("News"), make_section("Sport")
    # The oldest matches best: "harbour" in its title and three times in its body.
    make_article(
        title="Harbour harbour report",
        body="<p>The harbour, the harbour, the harbour.</p>",
        section=news,
        lead_image=make_image(alt_text="Boats", credit="Desk"),
        publish_at=now - timedelta(days=40),
    )
    make_article(
        title="Rowing results", body="<p>Past the harbour wall.</p>", section=sport, publish_at=now - timedelta(hours=2)
    )
    make_article(
        title="Council budget", body="<p>Money for the harbour.</p>", section=news, publish_at=now - timedelta(days=3)
    )
    make_article(title="Unrelated", body="<p>Nothing here.</p>", section=news, publish_at=now - timedelta(hours=1))


def test_results_are_a_list_with_snippets_sections_times_and_thumbnails(client, harbour_stories):
    page, titles = results(client, q="harbour")
    assert titles[0] == "Harbour harbour report" and len(titles) == 3
    first = page.xpath("//ol[@class='results']/li")[0]
    assert first.xpath(".//p[@class='result__snippet']/mark/text()")[0].lower() == "harbour"
    assert first.xpath(".//a[@class='result__section']/text()") == ["News"]
    assert first.xpath(".//time/@datetime")
    assert first.xpath(".//a[@class='result__image']//img")
    # One search form on the page: the header links to this page rather than carrying a second one.
    assert len(page.xpath("//form[@role='search']")) == 1
    assert not page.xpath("//*[contains(@class, 'card--featured')]")


def test_newest_first_and_the_filters_narrow_and_reorder(client, harbour_stories):
    _, newest = results(client, q="harbour", sort="newest")
    assert newest == ["Rowing results", "Council budget", "Harbour harbour report"]
    _, in_news = results(client, q="harbour", section="news", sort="newest")
    assert in_news == ["Council budget", "Harbour harbour report"]
    _, this_week = results(client, q="harbour", since="week", sort="newest")
    assert this_week == ["Rowing results", "Council budget"]
    _, today = results(client, q="harbour", since="day")
    assert today == ["Rowing results"]
    # Choices that are not on offer count as none.
    _, anything = results(client, q="harbour", section="nowhere", since="forever", sort="sideways")
    assert len(anything) == 3


def test_the_choices_are_kept_in_the_form_and_the_page_links(client, settings, harbour_stories):
    settings.NEWSROOM_PAGE_SIZE = 1
    page, _ = results(client, q="harbour", section="news", sort="newest")
    assert page.xpath("//select[@name='section']/option[@selected]/@value") == ["news"]
    assert page.xpath("//select[@name='sort']/option[@selected]/@value") == ["newest"]
    assert page.xpath("//a[@rel='next']/@href") == ["?q=harbour&section=news&sort=newest&page=2"]
    _, second = results(client, q="harbour", section="news", sort="newest", page=2)
    assert second == ["Harbour harbour report"]


def test_narrowed_search_with_nothing_found_says_what_to_try(client, harbour_stories):
    page, titles = results(client, q="harbour", section="sport", since="day", sort="newest")
    assert titles == ["Rowing results"]
    page, titles = results(client, q="budget", section="sport")
    assert titles == []
    assert "with these filters" in page.text_content()


@pytest.mark.parametrize("count", [1, 15])
def test_the_query_count_is_fixed_with_filters(client, django_assert_num_queries, count):
    section = make_section("News")
    for n in range(count):
        make_article(title=f"Coast {n}", lead_image=make_image(alt_text="x", credit="y"), section=section)
    # Sections (the filter and the navigation), count, the page of results (+section, lead image).
    with django_assert_num_queries(3):
        page, titles = results(client, q="coast", section="news", since="year", sort="newest")
    assert len(titles) == min(count, 12)
