"""Share links: one unpublished article, signed, expiring, never cached or indexed."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from articles.editorial import share_links as preview_links
from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def share_link_on_change_form(client, article) -> str:
    html = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    match = re.search(r'href="(/preview/[^"]+)"[^>]*class="newsroom-share-link"', html)
    assert match, "no share link on the change form"
    return match.group(1)


def test_share_link_from_the_change_form_shows_the_draft_to_anyone(client, writer):
    draft = make_article(title="Secret draft", body="<p>Not yet.</p>", status=Article.Status.DRAFT)
    client.force_login(writer)
    link = share_link_on_change_form(client, draft)
    client.logout()

    response = client.get(link)

    assert response.status_code == 200
    assert response.context["article"] == draft
    assert "Secret draft" in response.content.decode()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert client.get(draft.get_absolute_url()).status_code == 404  # the public address still says no


def test_a_link_opens_its_own_article_and_nothing_else(client):
    mine = make_article(title="Article A", status=Article.Status.DRAFT)
    other = make_article(title="Article B", status=Article.Status.DRAFT)
    response = client.get(preview_links.link(mine.pk))
    assert response.context["article"] == mine
    assert "Article B" not in response.content.decode()
    # The staff preview of the other article still wants a login.
    assert client.get(reverse("admin:articles_article_preview", args=[other.pk])).status_code == 302


def test_tampered_tokens_are_refused(client):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    other = make_article(title="Other", status=Article.Status.DRAFT)
    token = preview_links.make_token(draft.pk)
    payload, timestamp, signature = token.rsplit(":", 2)
    forged_payload = signing.TimestampSigner(salt=preview_links.SALT).sign_object({"article": other.pk})
    tampered = [
        f"{payload}:{timestamp}:{signature[:-2]}xx",  # signature changed
        f"{forged_payload.split(':')[0]}:{timestamp}:{signature}",  # another article's payload, old signature
        signing.TimestampSigner(salt="another-purpose").sign_object({"article": draft.pk}),  # wrong salt
        signing.dumps({"article": draft.pk}),  # Django's default salt
        "nonsense",
    ]
    for token in tampered:
        assert client.get(reverse("articles:shared_preview", args=[token])).status_code == 404, token


def test_links_expire(client, settings):
    settings.NEWSROOM_PREVIEW_LINK_MAX_AGE = 3 * 24 * 3600
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    start = datetime.datetime(2030, 1, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        link = preview_links.link(draft.pk)
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=3, seconds=1), tick=False):
        assert client.get(link).status_code == 404


def test_a_deleted_article_link_is_a_404(client):
    draft = make_article(title="Gone", status=Article.Status.DRAFT)
    link = preview_links.link(draft.pk)
    draft.delete()
    assert client.get(link).status_code == 404
