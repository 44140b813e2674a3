"""The newsroom's time zone (TIME_ZONE): readers, feeds, sitemaps and editors see times in it.

Stored times stay UTC. Europe/London is checked in summer (BST, +01:00) and winter
(GMT, +00:00); Asia/Kolkata (+05:30) is far enough east that a UTC evening is the
next local day.
"""

import json
from datetime import UTC, datetime, timedelta

import lxml.html
import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import etree

from tests.factories import make_article, make_keyword

pytestmark = pytest.mark.django_db

SUMMER = datetime(2026, 7, 5, 12, 0, tzinfo=UTC)  # 13:00 BST
WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)  # 12:00 GMT
EVENING = datetime(2026, 7, 5, 20, 0, tzinfo=UTC)  # 6 July, 01:30 IST
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SITEMAP = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def story(when, **fields):
    """A published article last saved when it was published, so publish and update times are both `when`."""
    with time_machine.travel(when, tick=False):
        return make_article(title="Harbour reopens", publish_at=when, **fields)


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.content)


def times(tree):
    """[(datetime attribute, text)] of every <time> in the page's main content."""
    return [(t.get("datetime"), t.text_content()) for t in tree.xpath("//main//time")]


def json_ld(tree):
    return json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])


def meta(tree, prop):
    return tree.xpath(f"//meta[@property='{prop}']/@content")[0]


@pytest.mark.parametrize(
    ("zone", "when", "attribute", "shown"),
    [
        ("Europe/London", SUMMER, "2026-07-05T13:00:00+01:00", "5 July 2026, 13:00 BST"),
        ("Europe/London", WINTER, "2026-01-15T12:00:00+00:00", "15 January 2026, 12:00 GMT"),
        ("Asia/Kolkata", EVENING, "2026-07-06T01:30:00+05:30", "6 July 2026, 01:30 IST"),
        ("UTC", SUMMER, "2026-07-05T12:00:00+00:00", "5 July 2026, 12:00 UTC"),
    ],
)
def test_article_page_shows_the_local_time_with_its_zone(client, settings, zone, when, attribute, shown):
    settings.TIME_ZONE = zone
    article = story(when)
    tree = page(client, article.get_absolute_url())
    assert times(tree) == [(attribute, shown)]
    data = json_ld(tree)
    assert (data["datePublished"], data["dateModified"]) == (attribute, attribute)
    assert meta(tree, "article:published_time") == attribute
    assert meta(tree, "article:modified_time") == attribute


def test_home_page_cards_show_the_local_day_and_time(client, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    story(EVENING)
    assert times(page(client, reverse("articles:home"))) == [("2026-07-06T01:30:00+05:30", "6 July 2026, 01:30 IST")]
    # The card stored by the first view was drawn in Kolkata: another zone makes it again.
    settings.TIME_ZONE = "Europe/London"
    assert times(page(client, reverse("articles:home"))) == [("2026-07-05T21:00:00+01:00", "5 July 2026, 21:00 BST")]


def test_related_articles_show_the_local_day_only(client, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    harbour = make_keyword("Harbour")
    article = story(SUMMER, keywords=[harbour])
    story(SUMMER + timedelta(hours=4))  # the "next" link, which related articles leave out
    story(EVENING, keywords=[harbour])
    tree = page(client, article.get_absolute_url())
    teasers = [(t.get("datetime"), t.text_content()) for t in tree.xpath("//*[@class='teaser']//time")]
    assert teasers == [("2026-07-06T01:30:00+05:30", "6 July 2026")]


def test_a_zone_without_an_abbreviation_is_named_by_its_offset(settings):
    settings.TIME_ZONE = "America/Sao_Paulo"  # the tz database calls it "-03"
    html = Template("{% load articles_tags %}{% reader_time when %}").render(Context({"when": SUMMER}))
    assert html == '<time datetime="2026-07-05T09:00:00-03:00">5 July 2026, 09:00 UTC-03</time>'


def test_pages_cost_the_same_queries_in_any_zone(client, settings):
    harbour = make_keyword("Harbour")
    article = story(SUMMER, keywords=[harbour])
    story(WINTER, keywords=[harbour])
    counts = {}
    for zone in ("UTC", "Europe/London", "Asia/Kolkata"):
        settings.TIME_ZONE = zone
        for url in (article.get_absolute_url(), reverse("articles:home"), "/feed/", "/sitemap-articles.xml"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.setdefault(url, set()).add(len(queries))
    assert all(len(found) == 1 for found in counts.values()), counts


def test_feeds_carry_the_local_time_with_its_offset(client, settings):
    settings.TIME_ZONE = "Europe/London"
    story(SUMMER)
    rss = etree.fromstring(client.get("/feed/").content)
    assert rss.findtext("channel/item/pubDate") == "Sun, 05 Jul 2026 13:00:00 +0100"  # RFC 822
    atom = etree.fromstring(client.get("/feed/atom/").content)
    entry = atom.find("atom:entry", ATOM)
    assert entry.findtext("atom:published", namespaces=ATOM) == "2026-07-05T13:00:00+01:00"  # RFC 3339
    assert entry.findtext("atom:updated", namespaces=ATOM) == "2026-07-05T13:00:00+01:00"
    assert atom.findtext("atom:updated", namespaces=ATOM) == "2026-07-05T13:00:00+01:00"


def test_sitemaps_carry_the_local_time_with_its_offset(client, settings):
    settings.TIME_ZONE = "Asia/Kolkata"
    story(EVENING, keywords=[make_keyword("Harbour")])
    for url in ("/sitemap-articles.xml", "/sitemap-keywords.xml"):
        root = etree.fromstring(client.get(url).content)
        assert root.xpath("//sm:lastmod/text()", namespaces=SITEMAP) == ["2026-07-06T01:30:00+05:30"], url
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert set(index.xpath("//sm:lastmod/text()", namespaces=SITEMAP)) == {"2026-07-06T01:30:00+05:30"}
    with time_machine.travel(EVENING + timedelta(hours=1)):
        news = etree.fromstring(client.get("/sitemap-news.xml").content)
    assert news.xpath("//news:publication_date/text()", namespaces=SITEMAP) == ["2026-07-06T01:30:00+05:30"]
