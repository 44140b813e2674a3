"""Share links: one unpublished article, signed, expiring, never cached or indexed."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.urls import reverse

from articles.editorial import share_links as preview_links
from articles.models import Article, ShareLink
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def make_link_on_change_form(client, article) -> str:
    """Press "Make a share link" on the article's form; the link it lists."""
    change = reverse("admin:articles_article_change", args=[article.pk])
    client.post(reverse("admin:articles_article_share", args=[article.pk]))
    html = client.get(change).content.decode()
    match = re.search(r'href="http://testserver(/preview/[^"]+)"[^>]*class="newsroom-share-link"', html)
    assert match, "no share link on the change form"
    return match.group(1)


def test_share_link_from_the_change_form_shows_the_draft_to_anyone(client, writer):
    draft = make_article(title="Secret draft", body="<p>Not yet.</p>", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    link = make_link_on_change_form(client, draft)
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
    recorded = ShareLink.objects.get()
    assert (recorded.article, recorded.created_by) == (draft, writer)


def test_a_link_is_listed_on_its_article_and_revoked_one_by_one(client, editor):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    first, second = (preview_links.create(article=draft, user=editor) for _ in range(2))
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert page.count('class="newsroom-share-link"') == 2

    client.post(reverse("admin:articles_article_share_revoke", args=[draft.pk, first.pk]))
    client.logout()

    assert client.get(preview_links.url(first)).status_code == 404
    assert client.get(preview_links.url(second)).status_code == 200
    first.refresh_from_db()
    assert first.revoked_by == editor and first.revoked_at is not None


def test_a_link_opens_its_own_article_and_nothing_else(client):
    mine = make_article(title="Article A", status=Article.Status.DRAFT)
    other = make_article(title="Article B", status=Article.Status.DRAFT)
    response = client.get(preview_links.url(preview_links.create(article=mine, user=None)))
    assert response.context["article"] == mine
    assert "Article B" not in response.content.decode()
    # The staff preview of the other article still wants a login.
    assert client.get(reverse("admin:articles_article_preview", args=[other.pk])).status_code == 302


def test_tampered_tokens_are_refused(client):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    link = preview_links.create(article=draft, user=None)
    other = preview_links.create(article=make_article(title="Other", status=Article.Status.DRAFT), user=None)
    token = preview_links.make_token(link)
    payload, signature = token.rsplit(":", 1)
    other_payload = preview_links.make_token(other).rsplit(":", 1)[0]
    tampered = [
        f"{payload}:{signature[:-2]}xx",  # signature changed
        f"{other_payload}:{signature}",  # another link's payload, this one's signature
        signing.Signer(salt="another-purpose").sign_object({"link": link.pk}),  # wrong salt
        signing.dumps({"link": link.pk}),  # Django's default salt
        "nonsense",
    ]
    for token in tampered:
        assert client.get(reverse("articles:shared_preview", args=[token])).status_code == 404, token


def test_links_expire(client, settings):
    settings.NEWSROOM_PREVIEW_LINK_MAX_AGE = 3 * 24 * 3600
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    start = datetime.datetime(2030, 1, 1, 12, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        link = preview_links.url(preview_links.create(article=draft, user=None))
    with time_machine.travel(start + datetime.timedelta(days=3, seconds=-1), tick=False):
        assert client.get(link).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=3), tick=False):
        assert client.get(link).status_code == 404


def test_a_deleted_article_link_is_a_404(client):
    draft = make_article(title="Gone", status=Article.Status.DRAFT)
    link = preview_links.url(preview_links.create(article=draft, user=None))
    draft.delete()
    assert client.get(link).status_code == 404


def test_a_writer_sees_only_their_own_unpublished_articles(client, writer, editor, django_user_model):
    mine = make_article(title="Mine", status=Article.Status.DRAFT, created_by=writer)
    theirs = make_article(title="Embargoed", status=Article.Status.DRAFT, created_by=editor)
    live = make_article(title="Live")
    client.force_login(writer)

    listed = client.get(reverse("admin:articles_article_changelist")).context["cl"].result_list
    assert {article.pk for article in listed} == {mine.pk, live.pk}
    for name in ("change", "history", "preview"):
        assert client.get(reverse(f"admin:articles_article_{name}", args=[theirs.pk])).status_code in (302, 404)
    assert client.post(reverse("admin:articles_article_share", args=[theirs.pk])).status_code == 404
    assert not ShareLink.objects.exists()
    client.force_login(editor)
    assert client.get(reverse("admin:articles_article_change", args=[theirs.pk])).status_code == 200
