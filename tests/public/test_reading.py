"""What readers' pages emit: responsive pictures, metadata and JSON-LD, related and previous/next, reading time."""

import json
from datetime import timedelta

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from articles.content.text import reading_minutes, word_count
from articles.images.html import SIZES, figure_html
from articles.models import Article, Image
from articles.public import views
from tests.factories import image_bytes, make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def media(image, key):
    return settings.MEDIA_URL + image.renditions[key]


def srcset(image, widths, fmt, ratio=""):
    prefix = f"{ratio}/" if ratio else ""
    return ", ".join(f"{media(image, f'{prefix}{w}.{fmt}')} {w}w" for w in widths)


# --- Pictures -------------------------------------------------------------------------------


def test_lead_figure_is_a_picture_with_srcsets_sizes_and_dimensions():
    image = make_image(data=image_bytes(size=(1000, 500)), alt_text="Boats", credit="Ann Lee")
    widths = [320, 640, 960, 1000]
    expected = f"""
        <figure class="figure figure--lead"><picture>
          <source type="image/webp" srcset="{srcset(image, widths, "webp")}" sizes="{SIZES["lead"]}">
          <img src="{image.url}" srcset="{srcset(image, widths, "jpg")}" sizes="{SIZES["lead"]}"
               alt="Boats" width="1000" height="500" fetchpriority="high" decoding="async">
        </picture>
        <figcaption><span class="caption">At dawn</span> <span class="credit">Ann Lee</span></figcaption></figure>
    """
    assertHTMLEqual(str(figure_html(image, "At dawn", lead=True)), expected)


def test_inline_figures_load_lazily_with_their_own_sizes():
    image = make_image(data=image_bytes(size=(500, 400)), alt_text="Quay")
    html = str(figure_html(image, align="right"))
    expected = f"""
        <figure class="figure figure--right"><picture>
          <source type="image/webp" srcset="{srcset(image, [320, 500], "webp")}" sizes="{SIZES["inline-side"]}">
          <img src="{image.url}" srcset="{srcset(image, [320, 500], "jpg")}" sizes="{SIZES["inline-side"]}"
               alt="Quay" width="500" height="400" loading="lazy" decoding="async">
        </picture></figure>
    """
    assertHTMLEqual(html, expected)
    assert 'sizes="(min-width: 42rem) 40rem, calc(100vw - 2rem)"' in str(figure_html(image))


def test_remote_figure_renders_from_its_address_with_known_dimensions():
    image = Image.objects.create(source_url="https://img.example.org/x.jpg", alt_text="Remote", width=640, height=480)
    assertHTMLEqual(
        str(figure_html(image, "Far away")),
        '<figure class="figure figure--inline"><img src="https://img.example.org/x.jpg" alt="Remote" width="640"'
        ' height="480" loading="lazy" decoding="async"><figcaption><span class="caption">Far away</span>'
        "</figcaption></figure>",
    )


def test_cards_use_the_3_2_crop_the_first_eager_the_rest_lazy(client):
    first = make_image(data=image_bytes(size=(900, 900), color="red"))
    second = make_image(data=image_bytes(size=(600, 600), color="blue"))
    make_article(title="Older", lead_image=second, publish_at=timezone.now() - timedelta(hours=2))
    make_article(title="Newest", lead_image=first, publish_at=timezone.now() - timedelta(hours=1))
    html = client.get(reverse("articles:home")).content.decode()
    assertInHTML(
        f"""<picture>
          <source type="image/webp" srcset="{srcset(first, [320, 640, 900], "webp", "3:2")}"
                  sizes="{SIZES["card-featured"]}">
          <img src="{first.url}" srcset="{srcset(first, [320, 640, 900], "jpg", "3:2")}"
               sizes="{SIZES["card-featured"]}" alt="" width="900" height="600" fetchpriority="high" decoding="async">
        </picture>""",
        html,
    )
    assertInHTML(
        f"""<picture>
          <source type="image/webp" srcset="{srcset(second, [320, 600], "webp", "3:2")}" sizes="{SIZES["card"]}">
          <img src="{second.url}" srcset="{srcset(second, [320, 600], "jpg", "3:2")}" sizes="{SIZES["card"]}"
               alt="" width="600" height="400" loading="lazy" decoding="async">
        </picture>""",
        html,
    )


def test_every_picture_on_the_article_page_has_width_and_height(client):
    keyword = make_keyword()
    inline = make_image(data=image_bytes(size=(800, 600)), alt_text="Inline")
    body = f'<p>Text</p><figure class="image"><img src="{inline.url}"><figcaption>Cap</figcaption></figure>'
    article = make_article(body=body, lead_image=make_image(alt_text="Lead"), keywords=[keyword])
    make_article(title="Next")  # the "next" link: related articles leave it out
    make_article(title="Related", lead_image=make_image(color="red"), keywords=[keyword])
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    images = page.xpath("//main//img")
    assert len(images) == 3  # lead, inline, the related card
    for img in images:
        assert img.get("width") and img.get("height"), lxml.html.tostring(img)
    assert [img.get("fetchpriority") for img in images] == ["high", None, None]
    assert [img.get("loading") for img in images] == [None, "lazy", "lazy"]


# --- Reading: related, previous/next, reading time ------------------------------------------------


def test_related_articles_share_a_keyword_newest_first_at_most_four(client):
    harbour, ferries, other = make_keyword("Harbour"), make_keyword("Ferries"), make_keyword("Other")
    now = timezone.now()
    article = make_article(title="This one", keywords=[harbour, ferries], publish_at=now - timedelta(days=3))
    for n in range(5):
        make_article(title=f"Shares {n}", keywords=[harbour], publish_at=now - timedelta(hours=n + 1))
    make_article(title="Both keywords", keywords=[harbour, ferries], publish_at=now - timedelta(days=4))
    make_article(title="Unrelated", keywords=[other], publish_at=now - timedelta(minutes=5))
    make_article(title="Draft", keywords=[harbour], status=Article.Status.DRAFT)
    make_article(title="Scheduled", keywords=[harbour], publish_at=now + timedelta(hours=1))
    response = client.get(article.get_absolute_url())
    assert len(response.context["page"].related) == 4
    page = lxml.html.fromstring(response.content)
    assert page.xpath("//aside[@class='related']//h3/a/text()") == ["Shares 0", "Shares 1", "Shares 2", "Shares 3"]


def test_related_falls_back_to_the_section_and_is_absent_without_either(client):
    section = make_section()
    lonely = make_article(title="Lonely")
    in_section = make_article(title="In section", section=section, publish_at=timezone.now() - timedelta(hours=1))
    make_article(title="Previous", publish_at=timezone.now() - timedelta(hours=1.5))  # not repeated as related
    make_article(title="Same section", section=section, publish_at=timezone.now() - timedelta(hours=2))
    page = lxml.html.fromstring(client.get(in_section.get_absolute_url()).content)
    assert page.xpath("//aside[@class='related']//h3/a/text()") == ["Same section"]
    response = client.get(lonely.get_absolute_url())
    assert list(response.context["page"].related) == []
    assert b'class="related"' not in response.content


def test_previous_and_next_skip_unpublished_and_break_ties_by_id(client):
    now = timezone.now()
    oldest = make_article(title="Oldest", publish_at=now - timedelta(days=3))
    make_article(title="Draft between", status=Article.Status.DRAFT, publish_at=now - timedelta(days=2))
    tie_a = make_article(title="Tie A", publish_at=now - timedelta(days=1))
    tie_b = make_article(title="Tie B", publish_at=tie_a.publish_at)
    make_article(title="Scheduled", publish_at=now + timedelta(days=1))

    def links(article):
        page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
        return {
            a.get("rel"): (a.get("href"), a.xpath("string()").strip())
            for a in page.xpath("//nav[@class='article-nav']/a")
        }

    assert links(oldest) == {"next": (tie_a.get_absolute_url(), "Next Tie A")}
    assert links(tie_a) == {
        "prev": (oldest.get_absolute_url(), "Previous Oldest"),
        "next": (tie_b.get_absolute_url(), "Next Tie B"),
    }
    assert links(tie_b) == {"prev": (tie_a.get_absolute_url(), "Previous Tie A")}


def test_reading_time_from_the_body_words():
    assert word_count("<p>One two <strong>three</strong></p><p>four-five</p>") == 5
    assert reading_minutes(0) == 1
    assert reading_minutes(230) == 1
    assert reading_minutes(231) == 2


def test_the_word_count_is_kept_with_every_save_and_filled_in_for_older_articles():
    import importlib

    from django.apps import apps

    article = make_article(body="<p>One two three</p>")
    assert article.word_count == 3
    article.body = "<p>One two three four five</p>"
    article.save()
    assert Article.objects.get(pk=article.pk).word_count == 5
    # Rows saved before the field existed hold 0 until the migration counts them.
    Article.objects.filter(pk=article.pk).update(word_count=0)
    importlib.import_module("articles.migrations.0012_article_word_count").count_words(apps, None)
    assert Article.objects.get(pk=article.pk).word_count == 5


def test_article_page_shows_reading_time(client):
    article = make_article(body="<p>" + "word " * 700 + "</p>")
    assert '<span class="reading-time">4 min read</span>' in client.get(article.get_absolute_url()).content.decode()


# --- Metadata: canonical, Open Graph, Twitter, JSON-LD ----------------------------------------


def head_meta(page):
    tags = {}
    for meta in page.xpath("//head/meta[@property or @name]"):
        tags.setdefault(meta.get("property") or meta.get("name"), []).append(meta.get("content"))
    return tags


def json_ld(page):
    scripts = page.xpath("//script[@type='application/ld+json']/text()")
    assert len(scripts) == 1
    return json.loads(scripts[0])


def rich_article():
    section = make_section("Local")
    keywords = [make_keyword("Harbour"), make_keyword("Ferries")]
    lead = make_image(
        data=image_bytes(size=(1700, 1000)), alt_text="Boats at the quay", credit="Ann Lee", copyright="CC BY 4.0"
    )
    return make_article(
        title="Harbour reopens",
        standfirst="Boats are back after two years.",
        byline="Jo Reporter and Sam Writer",
        body="<p>" + "word " * 300 + "</p>",
        section=section,
        keywords=keywords,
        lead_image=lead,
        lead_caption="The first boats on Monday",
        publish_at=timezone.now() - timedelta(hours=3),
    )


def test_article_page_has_title_description_canonical_and_social_tags(client):
    article = rich_article()
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    url = f"http://testserver{article.get_absolute_url()}"
    social = article.lead_image.renditions["1.91:1/1200.jpg"]
    assert page.findtext(".//title") == "Harbour reopens · Newsroom"
    assert page.xpath("//link[@rel='canonical']/@href") == [url]
    meta = head_meta(page)
    assert meta["description"] == ["Boats are back after two years."]
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == ["Harbour reopens"]
    assert meta["og:url"] == [url]
    assert meta["og:locale"] == ["en_GB"]
    assert meta["og:image"] == [f"http://testserver{settings.MEDIA_URL}{social}"]
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == (
        ["1200"],
        ["628"],
        ["image/jpeg"],
    )
    assert meta["og:image:alt"] == ["Boats at the quay"]
    assert meta["article:section"] == ["Local"]
    assert sorted(meta["article:tag"]) == ["Ferries", "Harbour"]
    assert meta["article:published_time"] == [article.publish_at.isoformat()]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["twitter:image"] == meta["og:image"]


def test_article_json_ld_is_a_news_article_with_every_field(client):
    article = rich_article()
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    data = json_ld(page)
    url = f"http://testserver{article.get_absolute_url()}"
    largest = article.lead_image.renditions["1600.jpg"]
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbour reopens"
    assert data["description"] == "Boats are back after two years."
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == article.publish_at.isoformat()
    assert data["dateModified"] == article.updated_at.isoformat()
    assert data["author"] == [{"@type": "Person", "name": "Jo Reporter"}, {"@type": "Person", "name": "Sam Writer"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Newsroom", "url": "http://testserver/"}
    assert data["articleSection"] == "Local"
    assert sorted(data["keywords"]) == ["Ferries", "Harbour"]
    assert data["wordCount"] == 300
    assert data["image"] == [
        {
            "@type": "ImageObject",
            "url": f"http://testserver{settings.MEDIA_URL}{largest}",
            "contentUrl": f"http://testserver{settings.MEDIA_URL}{largest}",
            "width": 1600,
            "height": 941,
            "caption": "The first boats on Monday",
            "description": "Boats at the quay",
            "creditText": "Ann Lee",
            "copyrightNotice": "CC BY 4.0",
            "license": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    # Only schema.org properties of NewsArticle (and what it inherits from Article/CreativeWork/Thing).
    assert set(data) <= {
        "@context", "@type", "headline", "description", "url", "mainEntityOfPage", "datePublished",
        "dateModified", "author", "publisher", "inLanguage", "wordCount", "isAccessibleForFree", "image",
        "articleSection", "keywords",
    }  # fmt: skip


def test_json_ld_cannot_break_out_of_its_script(client, settings):
    settings.NEWSROOM_PUBLISHER_LOGO_URL = "/static/logo.png"
    article = make_article(title="</script><script>alert(1)</script> & <!--", byline="")
    html = client.get(article.get_absolute_url()).content.decode()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script
    data = json.loads(script)
    assert data["headline"] == "</script><script>alert(1)</script> & <!--"
    assert data["author"] == [{"@type": "Organization", "name": "Newsroom"}]
    assert data["publisher"]["logo"] == {"@type": "ImageObject", "url": "http://testserver/static/logo.png"}
    assert "image" not in data


def test_list_pages_have_canonical_urls_with_their_page_number(client, monkeypatch):
    monkeypatch.setattr(views.ArticleListView, "paginate_by", 2)  # read from settings once, at import
    keyword = make_keyword("Harbour")
    keyword.description = "All about the harbour."
    keyword.save()
    for n in range(3):
        make_article(title=f"Story {n}", keywords=[keyword])
    page = lxml.html.fromstring(client.get(keyword.get_absolute_url()).content)
    assert page.xpath("//link[@rel='canonical']/@href") == ["http://testserver/keywords/harbour/"]
    assert head_meta(page)["description"] == ["All about the harbour."]
    assert head_meta(page)["og:type"] == ["website"]
    assert page.xpath("//link[@type='application/rss+xml']/@href") == ["/feed/", "/keywords/harbour/feed/"]
    assert not page.xpath("//script[@type='application/ld+json']")
    page2 = lxml.html.fromstring(client.get(keyword.get_absolute_url(), {"page": 2}).content)
    assert page2.xpath("//link[@rel='canonical']/@href") == ["http://testserver/keywords/harbour/?page=2"]
    home = lxml.html.fromstring(client.get("/").content)
    assert home.xpath("//link[@rel='canonical']/@href") == ["http://testserver/"]
    assert home.xpath("//link[@type='application/atom+xml']/@href") == ["/feed/atom/"]


def test_a_long_standfirst_is_cut_at_a_word_for_the_description(client):
    standfirst = "Harbour " * 40  # 320 characters
    article = make_article(title="Long one", standfirst=standfirst.strip())
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    description = page.xpath("//meta[@name='description']/@content")[0]
    assert len(description) <= 200 and description.endswith("Harbour…")
    assert page.xpath("//meta[@property='og:description']/@content") == [description]
