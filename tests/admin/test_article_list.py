"""The article list: its search reads the body through the site's full-text search, its columns are compact."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.admin.article_list import compact_time
from tests.factories import make_article, make_author, make_section

pytestmark = pytest.mark.django_db

LIST = "admin:articles_article_changelist"


def listed(client, user, query) -> list[str]:
    client.force_login(user)
    response = client.get(reverse(LIST), {"q": query})
    assert response.status_code == 200
    return [article.title for article in response.context["cl"].result_list]


def test_search_finds_a_word_only_the_body_has_in_any_state(client, editor):
    make_article(title="Harbour reopens", body="<p>The lighthouse keeper retired on Friday.</p>", status="draft")
    make_article(title="Council budget", body="<p>Rates rise by two per cent.</p>")
    assert listed(client, editor, "lighthouse") == ["Harbour reopens"]


def test_search_stems_body_words_and_still_matches_headline_byline_and_slug(client, editor):
    make_article(title="Ferry timetable", body="<p>The quay was repaired in May.</p>")
    make_article(title="Market day", byline="Sam Quill", slug="market-stalls")
    make_article(title="Unrelated", body="<p>Nothing here.</p>")
    assert listed(client, editor, "repairs") == ["Ferry timetable"]  # the porter stemmer: repairs ~ repaired
    assert listed(client, editor, "Quill") == ["Market day"]
    assert listed(client, editor, "stalls") == ["Market day"]


def test_search_lists_an_article_once_when_body_and_authors_both_match(client, editor):
    article = make_article(title="Harbour", body="<p>Written by Okafor about Okafor.</p>")
    article.set_authors([make_author("Ada Okafor").pk, make_author("Ben Okafor").pk])
    assert listed(client, editor, "Okafor") == ["Harbour"]


def test_search_by_a_writer_keeps_other_peoples_drafts_hidden(client, writer, editor):
    make_article(title="Someone's draft", body="<p>The lighthouse story.</p>", status="draft")
    make_article(title="Live one", body="<p>The lighthouse again.</p>")
    assert listed(client, writer, "lighthouse") == ["Live one"]
    assert sorted(listed(client, editor, "lighthouse")) == ["Live one", "Someone's draft"]


def test_search_with_only_punctuation_lists_what_the_fields_match(client, editor):
    make_article(title="Q&A: the harbour")
    assert listed(client, editor, "&") == ["Q&A: the harbour"]


def test_list_shows_section_and_authors_under_the_headline(client, editor):
    article = make_article(title="Harbour", section=make_section("Local"))
    article.set_authors([make_author("Ada Okafor").pk])
    client.force_login(editor)
    html = client.get(reverse(LIST)).content.decode()
    assert '<span class="newsroom-list-meta">Local · Ada Okafor</span>' in html


def test_compact_time_drops_the_year_only_this_year():
    now = timezone.localtime()
    this_year = now.replace(month=3, day=5, hour=9, minute=7)
    last_year = this_year.replace(year=now.year - 1)
    assert ">5 Mar 09:07<" in compact_time(this_year)
    assert f">5 Mar {now.year - 1}<" in compact_time(last_year)
    assert compact_time(None) == "—"
    assert 'title="5 Mar' in compact_time(last_year)
