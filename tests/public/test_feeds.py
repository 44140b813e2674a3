"""RSS and Atom feeds, read back with a real feed parser (feedparser)."""

import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Image
from tests.factories import image_bytes, make_article, make_author, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed, no parser complaints
    return response, feed


def published(entry):
    return datetime(*entry.published_parsed[:6], tzinfo=UTC)


@pytest.fixture
def stories():
    now = timezone.now().replace(microsecond=0)
    section = make_section("Local")
    harbour = make_keyword("Harbour")
    lead = make_image(data=image_bytes(size=(1400, 700)), alt_text="Boats", credit="Ann Lee", copyright="© Ann Lee")
    newest = make_article(
        title="Harbour reopens",
        standfirst="Boats are back.",
        byline="Jo Reporter",
        section=section,
        keywords=[harbour, make_keyword("Boats")],
        lead_image=lead,
        lead_caption="Monday morning",
        publish_at=now - timedelta(hours=1),
    )
    remote = Image.objects.create(source_url="https://img.example.org/ferry.jpg", width=800, height=600)
    older = make_article(
        title="Ferry timetable",
        standfirst="Every twenty minutes.",
        lead_image=remote,
        publish_at=now - timedelta(days=1),
    )
    plain = make_article(title="No picture", keywords=[harbour], publish_at=now - timedelta(days=2))
    make_article(title="Draft", status=Article.Status.DRAFT, keywords=[harbour], section=section)
    make_article(title="Scheduled", publish_at=now + timedelta(hours=1), keywords=[harbour], section=section)
    return {"newest": newest, "older": older, "plain": plain, "harbour": harbour, "section": section, "lead": lead}


def test_rss_feed_lists_newest_published_with_standfirst_dates_categories_and_lead_image(client, stories):
    response, feed = parse(client, "/feed/")
    # Plain XML, so that a browser applies the feed's XSLT (feed readers read either).
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert feed.version == "rss20"
    assert feed.feed.title == "Newsroom"
    assert feed.feed.link == "http://testserver/"
    assert [e.title for e in feed.entries] == ["Harbour reopens", "Ferry timetable", "No picture"]
    first = feed.entries[0]
    newest, lead = stories["newest"], stories["lead"]
    assert first.link == f"http://testserver{newest.get_absolute_url()}"
    assert first.summary == "Boats are back."
    assert first.author == "Jo Reporter"
    assert published(first) == newest.publish_at
    assert [t.term for t in first.tags] == ["Local", "Boats", "Harbour"]
    # The enclosure: the largest JPEG rendition up to 1280 px, with its real byte size.
    name = lead.renditions["1280.jpg"]
    assert first.enclosures == [
        {
            "href": f"http://testserver/media/{name}",
            "length": str(lead.file.storage.size(name)),
            "type": "image/jpeg",
        }
    ]
    media = first.media_content[0]
    assert (media["url"], media["width"], media["height"], media["medium"]) == (
        f"http://testserver/media/{name}",
        "1280",
        "640",
        "image",
    )
    assert first.media_credit[0]["content"] == "Ann Lee"
    # A remote-only picture has no size to declare, so no enclosure, but it is still the item's picture.
    ferry = feed.entries[1]
    assert ferry.get("enclosures", []) == []
    assert ferry.media_content[0]["url"] == "https://img.example.org/ferry.jpg"
    assert "media_content" not in feed.entries[2]


def test_atom_feed_has_summaries_updated_times_and_enclosure_links(client, stories):
    response, feed = parse(client, "/feed/atom/")
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["Harbour reopens", "Ferry timetable", "No picture"]
    first = feed.entries[0]
    newest = Article.objects.get(pk=stories["newest"].pk)
    assert first.summary == "Boats are back."
    assert published(first) == newest.publish_at
    assert datetime.fromisoformat(first.updated) == newest.updated_at
    enclosure = [link for link in first.links if link.rel == "enclosure"]
    assert [(e.type, e.href.endswith("/1280.jpg")) for e in enclosure] == [("image/jpeg", True)]
    assert int(enclosure[0].length) > 0
    assert feed.feed.links[1].href == "http://testserver/feed/atom/"  # rel=self


def test_keyword_and_section_feeds_list_only_their_articles(client, stories):
    _, feed = parse(client, reverse("articles:keyword_feed", args=["harbour"]))
    assert feed.feed.title == "Harbour · Newsroom"
    assert [e.title for e in feed.entries] == ["Harbour reopens", "No picture"]
    _, feed = parse(client, reverse("articles:keyword_feed_atom", args=["harbour"]))
    assert [e.title for e in feed.entries] == ["Harbour reopens", "No picture"]
    _, feed = parse(client, reverse("articles:section_feed", args=["local"]))
    assert feed.feed.title == "Local · Newsroom"
    assert [e.title for e in feed.entries] == ["Harbour reopens"]
    _, feed = parse(client, reverse("articles:section_feed_atom", args=["local"]))
    assert [e.title for e in feed.entries] == ["Harbour reopens"]
    assert client.get(reverse("articles:keyword_feed", args=["nope"])).status_code == 404
    assert client.get(reverse("articles:section_feed", args=["nope"])).status_code == 404


def test_feed_lists_at_most_the_feed_size(client, settings):
    settings.NEWSROOM_FEED_SIZE = 3
    for n in range(5):
        make_article(title=f"Story {n}", publish_at=timezone.now() - timedelta(hours=n))
    _, feed = parse(client, "/feed/")
    assert [e.title for e in feed.entries] == ["Story 0", "Story 1", "Story 2"]


@pytest.mark.parametrize("count", [1, 6])
def test_feed_query_counts_are_fixed(client, django_assert_num_queries, count):
    keyword, section = make_keyword(), make_section()
    authors = [make_author(f"Author {n}") for n in range(count)]
    for n in range(count):
        make_article(
            title=f"Story {n}",
            keywords=[keyword, make_keyword(f"K{n}")],
            authors=authors,
            section=section,
            lead_image=make_image(color=(n, 0, 0)),
        )
    with django_assert_num_queries(3):  # articles (+section, lead image), authors, keywords
        assert client.get("/feed/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/feed/atom/").status_code == 200
    with django_assert_num_queries(4):  # + the keyword
        assert client.get(reverse("articles:keyword_feed", args=[keyword.slug])).status_code == 200
    with django_assert_num_queries(4):  # + the section
        assert client.get(reverse("articles:section_feed", args=[section.slug])).status_code == 200
    with django_assert_num_queries(4):  # + the author
        assert client.get(reverse("articles:author_feed", args=[authors[0].slug])).status_code == 200


def test_a_control_character_typed_into_an_article_does_not_break_the_feeds(client):
    """Word's vertical tab or a field code pasted into the admin: XML 1.0 cannot carry them,
    and Django refuses a feed that has one (UnserializableContentError, a 500)."""
    keyword = make_keyword("Tide\x13s")
    make_article(
        title="Harbour\x0b reopens",
        standfirst="Boats\x01 are back.",
        byline="Desk\x08",
        keywords=[keyword],
        lead_image=make_image(alt_text="Boats\x02 at dawn", credit="Photo\x15 Desk"),
    )
    for url in (reverse("articles:feed"), reverse("articles:feed_atom"), keyword.get_absolute_url() + "feed/"):
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.bozo_exception)
        (entry,) = feed.entries
        assert entry.title == "Harbour reopens"
        assert entry.summary == "Boats are back."
        assert "Tides" in [tag.term for tag in entry.tags]


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feeds_name_the_sites_xslt_so_a_browser_shows_a_page(client, stories, url):
    """The feed stays a valid feed (parse() checks it with feedparser), and the xml-stylesheet processing
    instruction, before the root element, names the site's own stylesheet, which turns it into a page
    listing the stories (as a browser does; lxml runs the same XSLT 1.0)."""
    from lxml import etree

    response, feed = parse(client, url)
    document = etree.fromstring(response.content)
    instruction = document.getprevious()
    assert instruction is not None and instruction.target == "xml-stylesheet"
    assert instruction.get("href") == reverse("articles:feed_stylesheet")
    assert instruction.get("type") == "text/xsl"

    xsl = client.get(instruction.get("href"))
    assert xsl["Content-Type"].startswith("application/xml")
    page = etree.XSLT(etree.fromstring(xsl.content))(document)
    html = str(page)
    assert "This is a web feed" in html
    assert "/static/css/site.css" in html
    titles = [" ".join(h.itertext()).strip() for h in page.getroot().iter("h2")]
    assert titles == [entry.title for entry in feed.entries] == ["Harbour reopens", "Ferry timetable", "No picture"]
    links = [a.get("href") for h in page.getroot().iter("h2") for a in h.iter("a")]
    assert links == [entry.link for entry in feed.entries]
    assert f"http://testserver{url}" in html  # the feed's own address, to copy into a reader
    # Nothing inline that the readers' policy would refuse.
    assert not re.search(r"<[^>]*\s(style|on\w+)=", html) and "<style" not in html and "<script" not in html
