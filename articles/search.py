"""Reader search: one interface, ArticleQuerySet.search(), on two databases.

PostgreSQL: a tsvector column, search_document, that a trigger keeps up to
date from title (weight A), standfirst (B) and body_text (C), with a GIN
index; ranked by ts_rank, snippets by ts_headline.

SQLite: an FTS5 table, articles_article_fts, that triggers keep in step with
articles_article (rowid = article id), with the porter stemmer and bm25
weighted the same way (title > standfirst > body); snippets by snippet().

Both are created by migrations 0008 and 0014 from the statements below, and
both index Article.body_text, the body's text without its markup (html_text(),
kept by Article.save()): a search for "figure" or "https" must not match every
article with a picture. Snippets come back with the matched words
between MARK_START and MARK_END; snippet_html() turns them into <mark>
elements and escapes everything else.
"""

from __future__ import annotations

import functools
import html
import re

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# The text search configuration of the column, the trigger and the queries.
# Changing it needs a migration that rebuilds search_document.
POSTGRES_CONFIG = "english"
TABLE = "articles_article"
FTS_TABLE = "articles_article_fts"
# Control characters never occur in a sanitised body's text.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_WORDS = 30

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def html_text(body: str | None) -> str:
    """The readable text of a body: tags out, entities decoded, runs of spaces as one.

    Article.save() keeps it in body_text.
    """
    return " ".join(html.unescape(_TAG.sub(" ", body or "")).split())


def normalize_query(raw: str) -> str:
    """What a reader typed: trimmed, spaces collapsed, NULs dropped (PostgreSQL refuses them), cut to a sane length."""
    return " ".join(raw.replace("\x00", " ").split())[: settings.NEWSROOM_SEARCH_MAX_LENGTH].strip()


def search_articles(candidates: models.QuerySet, query: str) -> models.QuerySet:
    """The candidates (articles) matching query, best first, with search_snippet, shaped for cards."""
    if connections[candidates.db].vendor == "postgresql":
        return _search_postgres(candidates.for_cards(), query)
    return _search_sqlite(candidates, query)


# ts_headline's parser takes "<b>" in the text for a tag and leaves it out of the
# snippet, so the text goes in with these characters as entities and the snippet
# comes back with them as typed ("&" first going in, last coming back).
_ENTITIES = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")]


def _replaced(expression, pairs):
    for old, new in pairs:
        expression = Replace(expression, models.Value(old), models.Value(new), output_field=models.TextField())
    return expression


def _search_postgres(queryset, query):
    # A fixed column name (not in the model: migration 0008 adds it on PostgreSQL only).
    document = RawSQL(f'"{TABLE}"."search_document"', [], output_field=SearchVectorField())  # noqa: S611
    tsquery = SearchQuery(query, search_type="websearch", config=POSTGRES_CONFIG)
    return (
        queryset.alias(search_document=document)
        .filter(search_document=tsquery)
        .annotate(
            search_rank=SearchRank(models.F("search_document"), tsquery),
            # ts_headline is costly; PostgreSQL runs it only for the rows of the page.
            search_snippet=_replaced(
                SearchHeadline(
                    _replaced(models.F("body_text"), _ENTITIES),
                    tsquery,
                    config=POSTGRES_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
                [(entity, char) for char, entity in reversed(_ENTITIES)],
            ),
        )
        .order_by("-search_rank", "-publish_at", "-pk")
    )


def fts5_query(query: str) -> str:
    """A reader's words as an FTS5 query: every word must occur, no operators, no syntax errors."""
    return " ".join(f'"{word}"' for word in _WORD.findall(query))


def _search_sqlite(candidates, query):
    match = fts5_query(query)
    if not match:
        return candidates.none()
    # The candidates go in as "id IN (...)", not as conditions on the article table
    # itself. Given those, SQLite's planner (no statistics) walks every candidate and
    # probes the full-text index for each whenever a page asks for fewer than about
    # ten rows (a rare word, a last page): 0.1 s to 6 s over 10,000 articles. This way
    # the index always leads, in rank order (2-60 ms).
    articles = candidates.model._default_manager.filter(pk__in=candidates.values("pk")).for_cards()
    snippet = models.Func(
        models.F("search_entry__document"),
        models.Value(2),  # the body column
        models.Value(MARK_START),
        models.Value(MARK_END),
        models.Value(" … "),
        models.Value(SNIPPET_WORDS),
        function="snippet",
        output_field=models.TextField(),
    )
    results = (
        articles.filter(search_entry__document__match=match)
        .annotate(search_snippet=snippet)
        # rank is bm25 with the column weights set in the migration; lower is better.
        # Ordered by rank alone, FTS5 hands the rows over in that order and
        # snippet() runs only for the rows of the page, not for every match.
        .order_by("search_entry__rank")
    )
    results.__class__ = _fts5_results_class(type(results))
    # The same articles, for counting: the matches' ids from the index, then the other filters.
    # FTS_TABLE is our constant; the reader's words are a bound parameter.
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
    results._fts5_counted = candidates.filter(pk__in=matching)
    return results


class FTS5CountMixin:
    """count() for SQLite search results, from the index's list of matching ids.

    A plain COUNT over the join leads SQLite's planner (without ANALYZE
    statistics) to walk every published article and run the full-text query
    once for each (0.1 s for 2,000 articles); counting in rank order computes
    bm25 for every match (70 ms when 10,000 match). "id IN (the index's
    matches)" reads the index once and checks the other filters on the
    articles' own index: 4 ms for 10,000 matches.
    """

    _fts5_counted = None  # set on the queryset search returns; its clones may add filters, so they count as below

    def count(self):
        if self._result_cache is not None:
            return len(self._result_cache)
        if self._fts5_counted is not None:
            return self._fts5_counted.count()
        # A slice keeps the ORDER BY in the counting subquery; values() keeps snippets out of it.
        ranked = self.values("pk").order_by("search_entry__rank")[: 2**62]
        return ranked.query.get_count(using=ranked.db)


@functools.cache
def _fts5_results_class(queryset_class):
    return type(f"FTS5{queryset_class.__name__}", (FTS5CountMixin, queryset_class), {})


class FTS5Document(models.TextField):
    """FTS5's hidden column named after its table: the left side of MATCH, the first argument of snippet()."""


@FTS5Document.register_lookup
class FTS5Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


def snippet_html(snippet: str) -> SafeString:
    """A snippet with its marked words in <mark>, everything else escaped.

    Both databases cut snippets from body_text, the body's decoded text, so
    "&lt;" there is what the writer typed and is shown as typed.
    """
    pieces = []
    for chunk in snippet.split(MARK_START):
        marked, _, rest = chunk.rpartition(MARK_END)
        if marked:
            pieces.append(format_html("<mark>{}</mark>", marked.replace(MARK_END, "")))
        pieces.append(format_html("{}", rest))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


# --- Schema (migrations 0008 and 0014) -----------------------------------------
# Built from the constants above, never from input (hence the S608 waivers).
#
# Migration 0008 indexed an expression over the body's HTML: regexp_replace()
# on PostgreSQL, and on SQLite a Python function (newsroom_html_text) that the
# triggers called. Migration 0014 indexes Article.body_text instead, which
# save() fills with html_text(), so SQLite never calls back into Python while
# it writes. Such a callback holds the connection's lock while it waits for the
# GIL, and a thread that holds the GIL and waits for that lock (binding a
# parameter or reading a column of the same connection) deadlocks with it: the
# test live server's threads share one in-memory connection and hung that way.

_PG_BODY_0008 = "regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')"
_PG_BODY = "coalesce(NEW.body_text, '')"


def _pg_function(body: str) -> str:
    config = f"'{POSTGRES_CONFIG}'::regconfig"
    return f"""CREATE OR REPLACE FUNCTION {TABLE}_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_document :=
                setweight(to_tsvector({config}, coalesce(NEW.title, '')), 'A')
                || setweight(to_tsvector({config}, coalesce(NEW.standfirst, '')), 'B')
                || setweight(to_tsvector({config}, {body}), 'C');
            RETURN NEW;
        END $$"""


def _pg_trigger(body_column: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {TABLE}_search_document ON {TABLE}",
        f"""CREATE TRIGGER {TABLE}_search_document BEFORE INSERT OR UPDATE OF title, standfirst, {body_column}
            ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {TABLE}_search_document()""",
        # Existing rows: an update of title fires the trigger.
        f"UPDATE {TABLE} SET title = title",  # noqa: S608
    ]


POSTGRES_INSTALL = [
    f"ALTER TABLE {TABLE} ADD COLUMN search_document tsvector",
    _pg_function(_PG_BODY_0008),
    *_pg_trigger("body"),
    f"CREATE INDEX {TABLE}_search_document_idx ON {TABLE} USING GIN (search_document)",
]
POSTGRES_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_search_document ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_search_document()",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_document",
]


def _sqlite_triggers(body: str, body_column: str) -> list[str]:
    # IF NOT EXISTS: ensure_sqlite_triggers() runs these again after every migrate.
    row = f"(rowid, title, standfirst, body) VALUES (new.id, new.title, new.standfirst, {body})"
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
            INSERT INTO {FTS_TABLE}{row};
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON {TABLE}
        WHEN old.title IS NOT new.title OR old.standfirst IS NOT new.standfirst
        OR old.{body_column} IS NOT new.{body_column} OR old.id IS NOT new.id BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
            INSERT INTO {FTS_TABLE}{row};
        END""",  # noqa: S608
        f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
            DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        END""",  # noqa: S608
    ]


def _sqlite_fill(body: str) -> list[str]:
    return [
        f"DELETE FROM {FTS_TABLE}",  # noqa: S608
        f"INSERT INTO {FTS_TABLE}(rowid, title, standfirst, body) SELECT id, title, standfirst, {body} FROM {TABLE}",  # noqa: S608
    ]


SQLITE_TRIGGERS_0008 = _sqlite_triggers("newsroom_html_text(new.body)", "body")
SQLITE_TRIGGERS = _sqlite_triggers("new.body_text", "body_text")
SQLITE_DROP_TRIGGERS = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{event}" for event in ("insert", "update", "delete")]
SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    # bm25 weights per column: title, standfirst, body.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",  # noqa: S608
    *_sqlite_fill("newsroom_html_text(body)"),
    *SQLITE_TRIGGERS_0008,
]
SQLITE_UNINSTALL = [*SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS_TABLE}"]


def install(schema_editor) -> None:
    """Migration 0008: the search structures, indexing the body's HTML through an expression."""
    _register_html_text(schema_editor.connection)
    _run(schema_editor, POSTGRES_INSTALL, SQLITE_INSTALL)


def uninstall(schema_editor) -> None:
    _run(schema_editor, POSTGRES_UNINSTALL, SQLITE_UNINSTALL)


def drop_sqlite_triggers(schema_editor) -> None:
    """Migration 0014, first: 0008's SQLite triggers name a function this code no longer registers."""
    _run(schema_editor, [], SQLITE_DROP_TRIGGERS)


def index_body_text(schema_editor) -> None:
    """Migration 0014, once body_text is filled: index it, on both databases."""
    _run(
        schema_editor,
        [_pg_function(_PG_BODY), *_pg_trigger("body_text")],
        [*SQLITE_TRIGGERS, *_sqlite_fill("body_text")],
    )


def index_body_html(schema_editor) -> None:
    """Migration 0014 undone: back to 0008's expressions over the body's HTML."""
    _register_html_text(schema_editor.connection)
    _run(
        schema_editor,
        [_pg_function(_PG_BODY_0008), *_pg_trigger("body")],
        [*SQLITE_DROP_TRIGGERS, *SQLITE_TRIGGERS_0008, *_sqlite_fill("newsroom_html_text(body)")],
    )


def _run(schema_editor, postgres: list[str], sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    # No other database is supported (search there would need its own part).
    for statement in {"postgresql": postgres, "sqlite": sqlite}.get(vendor, []):
        schema_editor.execute(statement)


def _register_html_text(connection) -> None:
    """Only for the migrations' own statements above (0008's triggers and fill call it)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("newsroom_html_text", 1, html_text, deterministic=True)


def ensure_sqlite_triggers(using="default", **kwargs) -> None:
    """post_migrate: put back the FTS triggers a table rebuild dropped.

    Django's SQLite schema editor rebuilds a table (copy, drop, rename) for
    many field changes, and SQLite drops a table's triggers with it; the
    copied rows keep their ids, so the FTS rows still match them. Nothing is
    done before migration 0014 (no body_text yet to index).
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        has_index = cursor.fetchone() is not None
        cursor.execute(f"SELECT 1 FROM pragma_table_info('{TABLE}') WHERE name = 'body_text'")  # noqa: S608
        if not has_index or cursor.fetchone() is None:
            return
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)
