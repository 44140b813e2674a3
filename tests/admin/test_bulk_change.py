"""Bulk change of section and keywords from the article list: a form between, permissions, revisions."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, ArticleEvent, PendingChange
from tests.factories import make_article, make_keyword, make_section

pytestmark = pytest.mark.django_db

LIST = reverse("admin:articles_article_changelist")


def post_action(client, articles, **fields):
    data = {"action": "change_section_and_keywords", "_selected_action": [a.pk for a in articles], **fields}
    return client.post(LIST, data)


def apply(client, articles, **fields):
    return post_action(client, articles, _apply_bulk_change="1", **fields)


def revisions(article):
    return Version.objects.get_for_object(article).count()


def test_choosing_the_action_shows_a_form_with_the_selected_articles(client, editor):
    chosen = [make_article(title="Harbour"), make_article(title="Budget")]
    make_article(title="Not chosen")
    client.force_login(editor)
    response = post_action(client, chosen)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Change section or keywords" in html and "Harbour" in html and "Budget" in html
    assert "Not chosen" not in html
    assert Article.objects.filter(section__isnull=False).count() == 0


def test_an_editor_changes_section_and_keywords_with_a_revision_per_article(client, editor):
    local, sport = make_section("Local"), make_section("Sport")
    harbour, old = make_keyword("Harbour"), make_keyword("Old")
    live = make_article(title="Live", section=sport, keywords=[old])
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = apply(client, [live, draft], section=local.pk, add_keywords=[harbour.pk], remove_keywords=[old.pk])
    assert response.status_code == 302
    for article in (live, draft):
        article.refresh_from_db()
        assert article.section == local
        assert list(article.keywords.all()) == [harbour]
        assert revisions(article) == 1
        stored = Version.objects.get_for_object(article).get().field_dict
        assert stored["section_id"] == local.pk and list(stored["keywords"]) == [harbour.pk]
    edited = ArticleEvent.objects.get(article=live, action=ArticleEvent.Action.EDITED)
    assert "section" in edited.note and "keywords" in edited.note
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Changed 2 article(s): “Live”, “Draft”."]


def test_a_writer_may_not_change_a_live_article_from_the_list(client, writer):
    local = make_section("Local")
    live = make_article(title="Live")
    own = make_article(title="Mine", status=Article.Status.DRAFT, created_by=writer)
    client.force_login(writer)
    response = apply(client, [live, own], section=local.pk)
    live.refresh_from_db()
    own.refresh_from_db()
    assert live.section is None and revisions(live) == 0
    assert own.section == local and revisions(own) == 1
    assert not PendingChange.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages[0] == "Changed 1 article(s): “Mine”."
    assert messages[1].startswith("Not changed: “Live”, published: only an editor changes it directly")


def test_an_article_with_a_change_waiting_is_left_alone(client, editor, writer):
    local = make_section("Local")
    live = make_article(title="Live")
    PendingChange.objects.create(
        article=live, fields={"title": "Live, changed"}, proposed_by=writer, based_on_version=1
    )
    client.force_login(editor)
    response = apply(client, [live], section=local.pk)
    live.refresh_from_db()
    assert live.section is None
    assert "a change to it is waiting for review" in [str(m) for m in response.wsgi_request._messages][0]


def test_articles_already_so_are_not_saved_again(client, editor):
    local = make_section("Local")
    article = make_article(title="Already local", section=local)
    version = article.version
    client.force_login(editor)
    apply(client, [article], section=local.pk)
    article.refresh_from_db()
    assert article.version == version and revisions(article) == 0


def test_the_form_asks_for_something_to_change(client, editor):
    article = make_article(title="Harbour")
    client.force_login(editor)
    response = apply(client, [article])
    assert response.status_code == 200
    assert "Choose a section, or keywords to add or remove." in response.content.decode()


def test_a_writer_cannot_reach_other_peoples_drafts_through_the_action(client, writer):
    local = make_section("Local")
    theirs = make_article(title="Theirs", status=Article.Status.DRAFT)
    client.force_login(writer)
    apply(client, [theirs], section=local.pk)
    theirs.refresh_from_db()
    assert theirs.section is None
