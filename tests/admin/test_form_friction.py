"""The article form's small frictions: one message per save, full share addresses with a copy
button, no empty tables or read-only rows on a new article, breadcrumbs that read naturally."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from articles.editorial import share_links
from articles.models import Article
from tests.factories import change_form, make_article

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_submitting_a_new_article_says_so_once(client, writer):
    client.force_login(writer)
    data = change_form(Article(title="Fresh", status="draft"), loaded_version="", _submit_for_review="1")
    response = client.post(reverse("admin:articles_article_add"), data)
    assert messages_of(response) == ["Submitted for review: “Fresh”."]


def test_publishing_from_the_form_says_so_once(client, editor):
    draft = make_article(title="Harbour", status=Article.Status.REVIEW)
    client.force_login(editor)
    response = client.post(change_url(draft), change_form(draft, status="published"))
    assert messages_of(response) == ["Published: “Harbour”."]


def test_a_save_that_changes_no_state_keeps_djangos_message(client, editor):
    draft = make_article(title="Harbour", status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.post(change_url(draft), change_form(draft, title="Harbour, v2", _continue="1"))
    [message] = messages_of(response)
    assert "was changed successfully" in message


def test_an_edit_of_a_live_article_says_what_changed_once(client, editor):
    live = make_article(title="Harbour")
    client.force_login(editor)
    response = client.post(change_url(live), change_form(live, title="Harbour reopens"))
    assert messages_of(response) == ["Changed while published: “Harbour reopens”. Changed: headline"]


def test_share_links_are_full_addresses_with_a_copy_button(client, editor):
    draft = make_article(title="Draft", status=Article.Status.DRAFT)
    link = share_links.create(article=draft, user=editor)
    client.force_login(editor)
    html = client.get(change_url(draft)).content.decode()
    full = f"http://testserver{share_links.url(link)}"
    assert f'<a href="{full}" target="_blank" rel="noreferrer" class="newsroom-share-link">{full}</a>' in html
    assert f'data-copy="{full}">Copy</button>' in html
    assert "articles/share.js" in html


def test_a_live_article_shows_its_full_address_to_copy(client, editor):
    live = make_article(title="Harbour")
    client.force_login(editor)
    html = client.get(change_url(live)).content.decode()
    assert f'data-copy="http://testserver{live.get_absolute_url()}"' in html


def test_the_add_form_has_no_empty_history_or_save_first_rows(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_add")).content.decode().lower()
    for absent in ["workflow history", "inline figures", "save the article to", 'class="form-row field-created_at']:
        assert absent not in html, absent
    article = make_article(title="Harbour")
    html = client.get(change_url(article)).content.decode().lower()
    assert "workflow history" in html and "field-created_at" in html  # a saved article still has them


def test_breadcrumbs_name_the_site_then_the_articles(client, editor):
    article = make_article(title="Harbour")
    client.force_login(editor)
    html = client.get(change_url(article)).content.decode()
    crumbs = re.sub(r"<[^>]+>|\s+", " ", re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1))
    assert " ".join(html_lib.unescape(crumbs).split()) == "Home › Newsroom › Articles › Harbour"


def test_import_rows_show_only_on_imported_articles(client, editor):
    written = make_article(title="Written here")
    imported = make_article(title="Imported", source_site="old-site", source_path="2019/harbour.md")
    client.force_login(editor)
    assert "field-source_path" not in client.get(change_url(written)).content.decode()
    html = client.get(change_url(imported)).content.decode()
    assert "field-source_path" in html and "2019/harbour.md" in html
