"""The article page's author boxes, "Updated" time, share links and related articles."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone
from lxml import html as lxml_html

from articles.models import Article, Correction
from tests.factories import make_article, make_author, make_image, make_keyword

pytestmark = pytest.mark.django_db


def page_of(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return lxml_html.fromstring(response.content)


def test_each_author_has_a_box_with_photo_role_and_bio(client):
    photo = make_image(alt_text="Ann", credit="Desk")
    ann = make_author("Ann Lee", role="Harbour reporter", bio="Covers the port.", photo=photo)
    bo = make_author("Bo Kim")
    article = make_article(title="Quay works", authors=[ann, bo])
    boxes = page_of(client, article).xpath("//ul[@class='author-boxes']/li")
    assert [box.xpath("string(.//h2)") for box in boxes] == ["Ann Lee", "Bo Kim"]
    assert boxes[0].xpath(".//a/@href") == [ann.get_absolute_url()]
    assert boxes[0].xpath("string(.//p[@class='author-box__role'])") == "Harbour reporter"
    assert boxes[0].xpath("string(.//p[@class='author-box__bio'])") == "Covers the port."
    assert boxes[0].xpath(".//img") and not boxes[1].xpath(".//img")
    assert "author-box--no-photo" in boxes[1].get("class")


def test_a_changed_author_photo_renews_the_stored_article(client):
    photo = make_image(alt_text="Ann", credit="Old credit")
    article = make_article(title="Quay works", authors=[make_author("Ann Lee", photo=photo)])
    client.get(article.get_absolute_url())  # stores its main fragment, with the author box
    version = Article.objects.get(pk=article.pk).fragment_version
    photo.credit = "New credit"
    photo.save()
    assert Article.objects.get(pk=article.pk).fragment_version != version


def test_updated_shows_only_when_the_article_changed_well_after_publishing(client):
    published = timezone.now() - timedelta(days=1)
    with time_machine.travel(published, tick=False):
        article = make_article(title="Quay works", publish_at=published)
    assert not page_of(client, article).xpath("//*[contains(@class, 'updated')]")
    with time_machine.travel(published + timedelta(hours=3), tick=False):
        article.save()
    updated = page_of(client, article).xpath("//span[@class='updated']")
    assert updated[0].text_content().startswith("Updated ")
    assert updated[0].xpath(".//time/@datetime") == [timezone.localtime(article.updated_at).isoformat()]
    # With a correction, "Updated" links to the corrections box.
    Correction.objects.create(article=article, note="A name was misspelt.")
    assert page_of(client, article).xpath("//a[@class='updated']/@href") == ["#corrections-title"]


def test_share_links_are_plain_links_and_copy_link_is_our_own_script(client):
    article = make_article(title="Quay works & more")
    page = page_of(client, article)
    url = f"http://testserver{article.get_absolute_url()}"
    links = {a.text_content(): a.get("href") for a in page.xpath("//aside[@class='share']//a")}
    assert list(links) == ["Email", "X", "Facebook", "LinkedIn", "WhatsApp"]
    assert parse_qs(urlsplit(links["Email"]).query) == {"subject": ["Quay works & more"], "body": [url]}
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["LinkedIn"]).query) == {"url": [url]}
    assert parse_qs(urlsplit(links["WhatsApp"]).query) == {"text": [f"Quay works & more {url}"]}
    # Nothing is loaded from another site: every script, stylesheet and picture is ours.
    loaded = page.xpath("//script/@src | //link[@rel='stylesheet']/@href | //img/@src")
    assert all(not src.startswith(("http:", "https:", "//")) for src in loaded), loaded
    assert not page.xpath("//script[not(@src) and not(@type='application/ld+json')]")  # no inline script
    button = page.xpath("//button[@data-copy-url]")[0]
    assert button.get("data-copy-url") == url and button.get("hidden") is not None
    assert page.xpath("//script/@src")[0].endswith("js/share.js")


def test_related_never_repeats_previous_or_next_and_says_how_many_it_shows(client):
    harbour = make_keyword("Harbour")
    now = timezone.now()
    older = make_article(title="Older", keywords=[harbour], publish_at=now - timedelta(hours=3))
    article = make_article(title="This one", keywords=[harbour], publish_at=now - timedelta(hours=2))
    newer = make_article(title="Newer", keywords=[harbour], publish_at=now - timedelta(hours=1))
    make_article(title="Oldest", keywords=[harbour], publish_at=now - timedelta(hours=4))
    make_article(title="Older still", keywords=[harbour], publish_at=now - timedelta(hours=5))
    page = page_of(client, article)
    assert page.xpath("//a[@rel='prev']/@href") == [older.get_absolute_url()]
    assert page.xpath("//a[@rel='next']/@href") == [newer.get_absolute_url()]
    related = page.xpath("//aside[@class='related']//h3/a/text()")
    assert related == ["Oldest", "Older still"]
    assert page.xpath("//aside[@class='related']/ul/@class") == ["teasers related__list related__list--2"]
