"""Sitemaps, the Google News sitemap and robots.txt, parsed as XML (lxml)."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Article, Image
from articles.public import sitemaps
from tests.factories import image_bytes, make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def entries(root):
    """{loc: (lastmod as datetime or None, [image locs])} of a <urlset>."""
    found = {}
    for url in root.findall("sm:url", NS):
        lastmod = url.findtext("sm:lastmod", namespaces=NS)
        found[url.findtext("sm:loc", namespaces=NS)] = (
            datetime.fromisoformat(lastmod) if lastmod else None,
            [loc.text for loc in url.findall("image:image/image:loc", NS)],
        )
    return found


@pytest.fixture
def site():
    now = timezone.now()
    section, harbour, empty = make_section("Local"), make_keyword("Harbour"), make_keyword("Empty")
    lead = make_image(data=image_bytes(size=(700, 400)), alt_text="Lead")
    inline = make_image(data=image_bytes(size=(500, 400), color="red"), alt_text="Inline")
    body = (
        f'<figure class="image"><img src="{inline.url}"></figure>'
        '<figure class="image"><img src="https://img.example.org/remote.jpg" alt="r"></figure>'
        f'<figure class="image"><img src="{lead.url}"></figure>'
    )
    rich = make_article(
        title="Rich",
        lead_image=lead,
        body=body,
        section=section,
        keywords=[harbour],
        publish_at=now - timedelta(days=1),
    )
    plain = make_article(title="Plain", publish_at=now - timedelta(days=5))
    draft = make_article(title="Draft", status=Article.Status.DRAFT, keywords=[empty])
    scheduled = make_article(title="Later", publish_at=now + timedelta(days=1), keywords=[empty])
    return {
        "rich": rich,
        "plain": plain,
        "draft": draft,
        "scheduled": scheduled,
        "lead": lead,
        "inline": inline,
        "harbour": harbour,
        "empty": empty,
        "section": section,
    }


def test_index_lists_each_sitemap_with_lastmod(client, site):
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    locs = [s.findtext("sm:loc", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    names = ("home", "articles", "keywords", "sections", "pages")
    assert locs == [f"http://testserver/sitemap-{name}.xml" for name in names]
    latest = max(
        Article.objects.get(pk=site["rich"].pk).updated_at, Article.objects.get(pk=site["plain"].pk).updated_at
    )
    lastmods = [s.findtext("sm:lastmod", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    assert {datetime.fromisoformat(lastmod) for lastmod in lastmods[:-1]} == {latest}
    assert lastmods[-1] is None  # footer pages keep no time of change


def test_articles_sitemap_lists_published_articles_with_lastmod_and_images(client, site):
    found = entries(xml(client, "/sitemap-articles.xml"))
    rich, plain = Article.objects.get(pk=site["rich"].pk), Article.objects.get(pk=site["plain"].pk)
    assert list(found) == [
        f"http://testserver{rich.get_absolute_url()}",
        f"http://testserver{plain.get_absolute_url()}",
    ]
    assert found[f"http://testserver{rich.get_absolute_url()}"] == (
        rich.updated_at,
        [
            f"http://testserver{site['lead'].url}",  # the lead once, though the body shows it too
            f"http://testserver{site['inline'].url}",
            "https://img.example.org/remote.jpg",
        ],
    )
    assert found[f"http://testserver{plain.get_absolute_url()}"] == (plain.updated_at, [])


def test_lastmod_is_the_publish_time_when_an_article_was_scheduled_after_its_last_edit(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(title="Scheduled then live", publish_at=timezone.now() + timedelta(hours=1))
    time_machine.shift(timedelta(hours=2))
    found = entries(xml(client, "/sitemap-articles.xml"))
    assert found[f"http://testserver{article.get_absolute_url()}"][0] == article.publish_at


def test_keyword_and_section_sitemaps_list_pages_with_published_articles(client, site):
    keywords = entries(xml(client, "/sitemap-keywords.xml"))
    rich = site["rich"]
    assert keywords == {f"http://testserver{site['harbour'].get_absolute_url()}": (rich.publish_at, [])}
    sections = entries(xml(client, "/sitemap-sections.xml"))
    assert sections == {f"http://testserver{site['section'].get_absolute_url()}": (rich.publish_at, [])}
    home = entries(xml(client, "/sitemap-home.xml"))
    assert list(home) == ["http://testserver/"]


def test_large_sitemaps_are_split_into_pages_the_index_lists(client, monkeypatch):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    for n in range(5):
        make_article(title=f"Story {n}", publish_at=timezone.now() - timedelta(hours=n))
    root = xml(client, "/sitemap.xml")
    locs = [s.findtext("sm:loc", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    articles = [loc for loc in locs if "sitemap-articles" in loc]
    assert articles == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    pages = [entries(xml(client, loc.removeprefix("http://testserver"))) for loc in articles]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_news_sitemap_has_the_last_two_days(client, site):
    root = xml(client, "/sitemap-news.xml")
    urls = root.findall("sm:url", NS)
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [
        f"http://testserver{site['rich'].get_absolute_url()}"
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert datetime.fromisoformat(news.findtext("news:publication_date", namespaces=NS)) == site["rich"].publish_at
    assert news.findtext("news:title", namespaces=NS) == "Rich"


def test_news_language_codes():
    assert sitemaps.news_language("en-gb") == "en"
    assert sitemaps.news_language("zh-TW") == "zh-tw"
    assert sitemaps.news_language("fr") == "fr"


def test_robots_txt_points_at_the_sitemaps_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


@pytest.mark.parametrize("count", [1, 6])
def test_sitemap_query_counts_are_fixed(client, django_assert_num_queries, count):
    for n in range(count):
        inline = Image.objects.create(source_url=f"https://img.example.org/{n}.jpg")
        make_article(
            title=f"Story {n}",
            lead_image=make_image(color=(n, 0, 0)),
            body=f'<img src="{inline.url}">',
            keywords=[make_keyword(f"K{n}")],
            section=make_section(f"S{n}"),
        )
    # home: latest; articles, keywords, sections: latest + count each; footer pages: count.
    with django_assert_num_queries(8):
        client.get("/sitemap.xml")
    with django_assert_num_queries(3):  # count, page (+lead image), figures (+images)
        client.get("/sitemap-articles.xml")
    with django_assert_num_queries(2):  # count, page
        client.get("/sitemap-keywords.xml")
    with django_assert_num_queries(2):  # count, page
        client.get("/sitemap-news.xml")
    with django_assert_num_queries(0):
        client.get(reverse("articles:robots"))
