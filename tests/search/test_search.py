"""Reader search: the same behaviour on SQLite (FTS5) and PostgreSQL (tsvector), both run in CI."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import normalize_query, search_articles, snippet_html
from articles.search.schema import ensure_sqlite_triggers
from articles.search.sqlite import fts5_query
from tests.factories import make_article, make_image, make_keyword, make_section

pytestmark = pytest.mark.django_db


def search(query):
    return list(search_articles(Article.objects.published(), query).results)


def titles(query):
    return [article.title for article in search(query)]


def test_finds_words_in_title_standfirst_and_body_text():
    make_article(title="Ferry timetable changes", body="<p>Nothing else.</p>")
    make_article(title="Council news", standfirst="The ferry will run later.")
    make_article(title="Weather", body="<p>Storms stopped the <em>ferry</em> on Tuesday.</p>")
    make_article(title="Unrelated", body="<p>A library opens.</p>")
    assert sorted(titles("ferry")) == ["Council news", "Ferry timetable changes", "Weather"]


def test_ranks_title_above_standfirst_above_body():
    now = timezone.now()
    # Newest first would give the opposite order: the ranking must win.
    make_article(title="Body only", body="<p>The harbour was calm.</p>", publish_at=now - timedelta(minutes=1))
    make_article(title="Standfirst", standfirst="Harbour works begin.", publish_at=now - timedelta(minutes=2))
    make_article(title="Harbour reopens", publish_at=now - timedelta(minutes=3))
    assert titles("harbour") == ["Harbour reopens", "Standfirst", "Body only"]


def test_stems_words_and_needs_every_word():
    make_article(title="Ferries delayed by storms")
    make_article(title="Ferry museum")
    assert titles("ferry storm") == ["Ferries delayed by storms"]


def test_markup_is_not_searchable_text():
    picture = make_image(alt_text="A quay")
    make_article(
        title="Quay",
        body=f'<p>Words.</p><figure class="image"><img src="{picture.url}" alt="x"><figcaption>c</figcaption></figure>'
        '<p><a href="https://example.org/strong">link</a></p>',
    )
    assert titles("figure") == []
    assert titles("https") == []
    assert titles("strong") == []
    assert titles("words") == ["Quay"]


def test_only_published_articles_are_found():
    make_article(title="Live lighthouse story")
    make_article(title="Draft lighthouse story", status=Article.Status.DRAFT)
    make_article(title="Review lighthouse story", status=Article.Status.REVIEW)
    make_article(title="Scheduled lighthouse story", publish_at=timezone.now() + timedelta(hours=1))
    assert titles("lighthouse") == ["Live lighthouse story"]


def test_index_follows_edits_and_deletes():
    article = make_article(title="Orchard festival")
    assert titles("orchard") == ["Orchard festival"]
    article.title = "Garden festival"
    article.save()
    assert titles("orchard") == []
    assert titles("garden") == ["Garden festival"]
    article.delete()
    assert titles("garden") == []


def test_hostile_queries_find_nothing_and_do_not_fail():
    make_article(title="Bakery")
    for query in ['"', "AND", "bakery OR", "NEAR(", "*", "-", "'; DROP TABLE x; --", "\\", "(((", "bakery:"]:
        search(query)  # no syntax error from either database
    assert titles('"bakery"') == ["Bakery"]


def test_snippet_marks_matches_and_escapes_the_rest():
    make_article(title="Market", body="<p>Fish &amp; chips at the <strong>market</strong> &lt;script&gt; stall.</p>")
    (article,) = search("market")
    html = str(snippet_html(article.search_snippet))
    assert "<mark>market</mark>" in html
    assert "&lt;script&gt;" in html
    assert "<script" not in html
    assert "Fish &amp; chips" in html


def test_snippet_html_escapes_marked_text_too():
    assert str(snippet_html("a \x02<b>\x03 & c")) == "a <mark>&lt;b&gt;</mark> &amp; c"


def test_fts5_query_quotes_every_word():
    assert fts5_query('harbour "ferry" OR NEAR(x') == '"harbour" "ferry" "OR" "NEAR" "x"'
    assert fts5_query("!!!") == ""


def test_normalize_query_trims_and_truncates(settings):
    assert normalize_query("  ferry \n  times ") == "ferry times"
    assert len(normalize_query("word " * 500)) <= settings.NEWSROOM_SEARCH_MAX_LENGTH


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists only on PostgreSQL")
def test_postgres_search_uses_the_gin_index():
    make_article(title="Indexed story")
    with connection.cursor() as cursor:
        # A tiny table is cheapest to read whole or through another index: rule both out,
        # and published()'s filters too, so only an index for the search itself is left.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = search_articles(Article.objects.all(), "story").results.values("pk").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "articles_article_search_document_idx" in plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist only on SQLite")
def test_sqlite_triggers_come_back_after_a_table_rebuild():
    """Django's SQLite schema editor rebuilds tables, which drops their triggers; post_migrate restores them."""
    from articles.search.schema import FTS_TABLE, ensure_sqlite_triggers

    with connection.cursor() as cursor:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {FTS_TABLE}_{event}")
    ensure_sqlite_triggers(using="default")
    make_article(title="Lighthouse keeper")
    assert titles("lighthouse") == ["Lighthouse keeper"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a plan of SQLite's planner")
@pytest.mark.parametrize("rows", [1, 3, 12])
def test_sqlite_search_starts_from_the_index_whatever_the_page_size(rows):
    """With the published filters on the article table, SQLite walked every published article
    and probed the index for each when a page asked for fewer than about ten rows (a rare
    word, a last page): 0.1 s to 6 s over 10,000 articles. The index must lead, in rank order."""
    for number in range(3):
        make_article(title=f"Beacon {number}")
    sql, params = search_articles(Article.objects.published(), "beacon").results[:rows].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        steps = [row[3] for row in cursor.fetchall()]
    assert steps[0].startswith("SCAN articles_article_fts"), steps
    assert not any("TEMP B-TREE" in step for step in steps), steps  # rows come in rank order, no sort
    assert len(search_articles(Article.objects.published(), "beacon").results[:rows]) == min(rows, 3)


def test_the_body_text_is_kept_with_every_save():
    article = make_article(body="<p>Fish &amp; chips &lt;b&gt; at the <strong>quay</strong></p>")
    assert Article.objects.get(pk=article.pk).body_text == "Fish & chips <b> at the quay"
    article.body = "<p>Now a bakery</p>"
    article.save()
    assert Article.objects.get(pk=article.pk).body_text == "Now a bakery"
    assert titles("bakery") == [article.title]
    assert titles("chips") == []


def test_snippets_show_what_the_writer_typed_once_decoded():
    make_article(title="Escapes", body="<p>The code &amp;lt; shows as typed near the harbour.</p>")
    (article,) = search("harbour")
    assert "&amp;lt;" in str(snippet_html(article.search_snippet))  # "&lt;" on the page, not "<"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist only on SQLite")
def test_sqlite_calls_no_python_while_articles_are_written():
    """0008's triggers called newsroom_html_text() inside SQLite: a Python callback that holds the
    connection's lock while it waits for the GIL, which deadlocked live-server threads sharing one
    connection. Now the triggers copy body_text, which save() fills."""
    from articles.search.schema import FTS_TABLE

    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
        triggers = [row[0] for row in cursor.fetchall()]
    assert len(triggers) == 3
    assert not any("newsroom_" in sql for sql in triggers)

    def fail(value):
        raise AssertionError("SQLite called back into Python")

    # Were a trigger still to call it, the write would fail ("user-defined function raised exception").
    connection.ensure_connection()
    connection.connection.create_function("newsroom_html_text", 1, fail)
    article = make_article(title="Tide tables", body="<p>Low water at noon.</p>")
    article.body = "<p>Low water at one.</p>"
    article.save()
    assert titles("water") == ["Tide tables"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {FTS_TABLE} WHERE rowid = %s", [article.pk])  # noqa: S608
        assert cursor.fetchone()[0] == "Low water at one."
    article.delete()
    assert titles("water") == []


# serialized_rollback: every transactional test leaves the rows migrations made (content types, groups)
# as it found them, whatever runs after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_0014_indexes_the_text_of_articles_saved_before_it():
    """Back to 0013 (0008's index over the HTML, no body_text), an article written there, then 0014."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0013_drawing_featured_kind")])
    # Written as 0013 writes it: 0008's triggers index the HTML through newsroom_html_text() on SQLite.
    old = MigrationExecutor(connection).loader.project_state(("articles", "0013_drawing_featured_kind")).apps
    section = old.get_model("articles", "Section").objects.create(name="Old", slug="old")
    old.get_model("articles", "Article").objects.create(
        title="Old story",
        slug="old-story",
        body="<p>Fish &amp; chips on the <em>quay</em>.</p>",
        status="published",
        publish_at=timezone.now() - timedelta(days=1),
        section=section,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("articles"))  # 0014 and every migration after it
    # What `migrate` does after the last migration (post_migrate), which the executor does not send:
    # later migrations rebuild the table, dropping its triggers, and the tests after this one need them.
    ensure_sqlite_triggers()
    article = Article.objects.get(slug="old-story")
    assert article.body_text == "Fish & chips on the quay ."
    assert titles("quay") == ["Old story"]
    assert titles("em") == []
    (found,) = search("chips")
    assert "Fish &amp; <mark>chips</mark>" in str(snippet_html(found.search_snippet))


# --- The page ---------------------------------------------------------------------


def test_search_page_lists_matches_with_highlighted_snippets(client):
    section = make_section("Local")
    make_article(title="Tram line opens", body="<p>The new tram runs every ten minutes.</p>", section=section)
    make_article(title="Other news")
    response = client.get(reverse("articles:search"), {"q": "tram"})
    assert response.status_code == 200
    html = response.content.decode()
    assert [a.title for a in response.context["articles"]] == ["Tram line opens"]
    assert "1 article found" in html
    assert "<mark>tram</mark>" in html
    assert 'value="tram"' in html  # the search boxes keep the words
    assert "Other news" not in html


def test_search_page_escapes_the_query(client):
    html = client.get(reverse("articles:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("q", ["", "   ", None])
def test_empty_query_shows_a_prompt(client, django_assert_max_num_queries, q):
    make_article(title="Anything")
    # Only the navigation's sections: no search runs.
    with django_assert_max_num_queries(1):
        response = client.get(reverse("articles:search"), {} if q is None else {"q": q})
    assert response.status_code == 200
    assert "Type a word or two" in response.content.decode()
    assert response.context["articles"] == []


def test_no_match_says_so(client):
    make_article(title="Anything")
    html = client.get(reverse("articles:search"), {"q": "zeppelin"}).content.decode()
    assert "No article matches “zeppelin”" in html


def test_very_long_query_is_truncated(client, settings):
    make_article(title="Station upgrade")
    response = client.get(reverse("articles:search"), {"q": "station " * 1000})
    assert response.status_code == 200
    assert len(response.context["query"]) <= settings.NEWSROOM_SEARCH_MAX_LENGTH
    assert [a.title for a in response.context["articles"]] == ["Station upgrade"]


def test_search_is_paginated_and_pages_keep_the_query(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 12
    now = timezone.now()
    for n in range(15):
        make_article(title=f"Bridge report {n:02d}", publish_at=now - timedelta(hours=n))
    page1 = client.get(reverse("articles:search"), {"q": "bridge"})
    assert len(page1.context["articles"]) == settings.NEWSROOM_PAGE_SIZE
    html = page1.content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?q=bridge&amp;page=2"' in html
    page2 = client.get(reverse("articles:search"), {"q": "bridge", "page": 2})
    assert len(page2.context["articles"]) == 3
    seen = {a.pk for a in page1.context["articles"]} | {a.pk for a in page2.context["articles"]}
    assert len(seen) == 15


@pytest.mark.parametrize("count", [1, 15])
def test_search_page_query_count_is_fixed(client, django_assert_num_queries, count):
    keyword, section = make_keyword(), make_section()
    for n in range(count):
        lead = make_image(alt_text=f"Lead {n}", credit="Desk")
        make_article(
            title=f"Coast story {n}",
            standfirst="On the coast.",
            body="<p>The coast road.</p>",
            lead_image=lead,
            keywords=[keyword],
            section=section,
        )
    # count, the page of results (+section, lead image), nav sections
    with django_assert_num_queries(3):
        response = client.get(reverse("articles:search"), {"q": "coast"})
    assert len(response.context["articles"]) == min(count, 12)


def test_counts_match_the_results_also_when_narrowed_further():
    news = make_section("News")
    for n in range(5):
        make_article(title=f"Harbour story {n}", section=news if n % 2 else None)
    make_article(title="Harbour draft", status=Article.Status.DRAFT)
    make_article(title="Nothing to do with it")
    found = search_articles(Article.objects.published(), "harbour")
    assert found.count() == len(list(found.results)) == 5
    narrowed = search_articles(Article.objects.published().filter(section=news), "harbour")
    assert narrowed.count() == len(list(narrowed.results)) == 2
    assert search_articles(Article.objects.published(), "absent").count() == 0
