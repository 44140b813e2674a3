"""The home page as a front page: lead, secondary stories, a block per section, "Latest", pages of older stories."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from articles.public import front_page
from tests.factories import make_article, make_image, make_section

pytestmark = pytest.mark.django_db


def make_stories(count, *, sections=(), start=0):
    now = timezone.now()
    stories = []
    for n in range(start, start + count):
        section = sections[n % len(sections)] if sections else None
        stories.append(
            make_article(
                title=f"Story {n:03d}",
                standfirst=f"Standfirst {n}",
                lead_image=make_image(alt_text=f"Lead {n}", credit="Desk") if n % 3 == 0 else None,
                section=section,
                publish_at=now - timedelta(hours=n + 1),
            )
        )
    return stories


def tree(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def titles(nodes) -> list[str]:
    return [node.text_content().strip() for node in nodes]


@pytest.mark.parametrize(("available", "count"), [(0, 0), (1, 1), (2, 2), (3, 2), (4, 4), (9, 4)])
def test_secondary_stories_come_in_counts_every_grid_width_divides(available, count):
    assert front_page.secondary_count(available) == count


def test_the_front_page_has_a_lead_secondary_stories_section_blocks_and_latest(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 12
    news, sport = make_section("News"), make_section("Sport")
    sport.position, news.position = 0, 1
    sport.save()
    news.save()
    make_stories(20, sections=[news, sport])
    page = tree(client.get(reverse("articles:home")))
    lead = page.xpath("//section[@class='front-top']/article[contains(@class, 'card--featured')]//h2")
    assert titles(lead) == ["Story 000"]
    secondary = page.xpath("//div[contains(@class, 'front-secondary')]/article//h2")
    assert titles(secondary) == [f"Story {n:03d}" for n in range(1, 5)]
    assert page.xpath("//div[contains(@class, 'front-secondary')]/@class") == ["front-secondary front-secondary--4"]
    # A block per section, in navigation order, each with its newest stories not already at the top.
    blocks = page.xpath("//section[@class='section-block']")
    assert titles(b.xpath(".//h2[@class='section-block__title']")[0] for b in blocks) == ["Sport", "News"]
    sport_block = titles(blocks[0].xpath(".//article//h2 | .//li[@class='teaser']//h3"))
    assert sport_block == ["Story 005", "Story 007", "Story 009", "Story 011"]
    news_block = titles(blocks[1].xpath(".//article//h2 | .//li[@class='teaser']//h3"))
    assert news_block == ["Story 006", "Story 008", "Story 010", "Story 012"]
    assert blocks[0].xpath(".//a[contains(., 'More Sport')]/@href") == [sport.get_absolute_url()]
    # Latest: the rest of the first page, newest first, as a compact list.
    latest = page.xpath("//ol[contains(@class, 'latest__list')]/li/a")
    assert titles(latest) == [f"Story {n:03d}" for n in range(5, 12)]
    assert "Page 1 of 2" in page.text_content()
    assert page.xpath("//a[@rel='next']/@href") == ["?page=2"]
    assert len(page.xpath("//h1")) == 1


def test_later_pages_are_older_stories_as_cards(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 12
    make_stories(15, sections=[make_section()])
    page = tree(client.get(reverse("articles:home"), {"page": 2}))
    assert titles(page.xpath("//div[@class='cards']/article//h2")) == [f"Story {n:03d}" for n in range(12, 15)]
    assert not page.xpath("//*[contains(@class, 'card--featured')] | //section[@class='section-block']")
    assert page.xpath("//a[@rel='prev']/@href") == ["?page=1"]


def test_a_small_site_never_leaves_a_ragged_row_of_secondary_stories(client):
    make_stories(4)  # a lead and three more: two secondary, one in "Latest"
    page = tree(client.get(reverse("articles:home")))
    assert len(page.xpath("//div[contains(@class, 'front-secondary')]/article")) == 2
    assert titles(page.xpath("//ol[contains(@class, 'latest__list')]/li/a")) == ["Story 003"]
    assert not page.xpath("//section[@class='section-block']")  # no sections, no blocks


def test_an_empty_site_says_so(client):
    page = tree(client.get(reverse("articles:home")))
    assert "Nothing has been published here yet." in page.text_content()


@pytest.mark.parametrize(("stories", "sections"), [(1, 1), (30, 1), (30, 6)])
def test_the_front_page_query_count_is_fixed_whatever_the_sections(
    client, fragments_cache, django_assert_num_queries, stories, sections
):
    make_stories(stories, sections=[make_section(f"Section {n}") for n in range(sections)])
    # The next scheduled publish time (once per content generation), count, page, the top's cards
    # to make (their articles); section blocks (whole articles: their fragments are made with no
    # query), nav sections; the new fragments stored in one statement (+2 for the test's savepoint).
    with django_assert_num_queries(9):
        first = client.get(reverse("articles:home"))
    # Later: the page of the listing; count, section blocks and navigation from the fragments cache.
    with django_assert_num_queries(1):
        assert client.get(reverse("articles:home")).content == first.content
    # Without the fragments cache, fragments stored: count, page, section blocks, nav sections.
    fragments_cache.clear()
    from tests.public.test_pages import no_fragments_cache

    with no_fragments_cache(), django_assert_num_queries(4):
        assert client.get(reverse("articles:home")).content == first.content


def test_a_section_with_no_story_among_the_newest_has_no_block(client, monkeypatch):
    monkeypatch.setattr(front_page, "SECTION_WINDOW", 8)
    busy, dormant = make_section("Busy"), make_section("Dormant")
    make_stories(8, sections=[busy])
    make_stories(1, sections=[dormant], start=8)  # the ninth newest: outside the window
    page = tree(client.get(reverse("articles:home")))
    assert titles(page.xpath("//h2[@class='section-block__title']")) == ["Busy"]
