"""Reader search: one interface, ArticleQuerySet.search(), on two databases.

PostgreSQL: a tsvector column, search_document, that a trigger keeps up to
date from title (weight A), standfirst (B) and the body's text (C), with a GIN
index; ranked by ts_rank, snippets by ts_headline.

SQLite: an FTS5 table, articles_article_fts, that triggers keep in step with
articles_article (rowid = article id), with the porter stemmer and bm25
weighted the same way (title > standfirst > body); snippets by snippet().

Both are created by migration 0008 from the statements below, and both index
the body's text, not its markup: a search for "figure" or "https" must not
match every article with a picture. Snippets come back with the matched words
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
    """The readable text of a body: tags out, entities decoded. SQLite's triggers call it."""
    return html.unescape(_TAG.sub(" ", body or ""))


def normalize_query(raw: str) -> str:
    """What a reader typed: trimmed, spaces collapsed, NULs dropped (PostgreSQL refuses them), cut to a sane length."""
    return " ".join(raw.replace("\x00", " ").split())[: settings.NEWSROOM_SEARCH_MAX_LENGTH].strip()


def search_articles(queryset: models.QuerySet, query: str) -> models.QuerySet:
    """queryset narrowed to articles matching query, best first, with search_snippet."""
    if connections[queryset.db].vendor == "postgresql":
        return _search_postgres(queryset, query)
    return _search_sqlite(queryset, query)


def _search_postgres(queryset, query):
    # A fixed column name (not in the model: migration 0008 adds it on PostgreSQL only).
    document = RawSQL(f'"{TABLE}"."search_document"', [], output_field=SearchVectorField())  # noqa: S611
    tsquery = SearchQuery(query, search_type="websearch", config=POSTGRES_CONFIG)
    body_text = models.Func(
        models.F("body"),
        models.Value("<[^>]*>"),
        models.Value(" "),
        models.Value("g"),
        function="regexp_replace",
        output_field=models.TextField(),
    )
    return (
        queryset.alias(search_document=document)
        .filter(search_document=tsquery)
        .annotate(
            search_rank=SearchRank(models.F("search_document"), tsquery),
            # ts_headline is costly; PostgreSQL runs it only for the rows of the page.
            search_snippet=SearchHeadline(
                body_text,
                tsquery,
                config=POSTGRES_CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "-publish_at", "-pk")
    )


def fts5_query(query: str) -> str:
    """A reader's words as an FTS5 query: every word must occur, no operators, no syntax errors."""
    return " ".join(f'"{word}"' for word in _WORD.findall(query))


def _search_sqlite(queryset, query):
    match = fts5_query(query)
    if not match:
        return queryset.none()
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
        queryset.filter(search_entry__document__match=match)
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
    results._fts5_counted = queryset.filter(pk__in=matching)
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

    PostgreSQL's snippets come from the body's HTML and keep its entities, so
    they are decoded here (SQLite's index holds decoded text already, which
    decoding again leaves alone).
    """
    pieces = []
    for chunk in snippet.split(MARK_START):
        marked, _, rest = chunk.rpartition(MARK_END)
        if marked:
            pieces.append(format_html("<mark>{}</mark>", html.unescape(marked.replace(MARK_END, ""))))
        pieces.append(format_html("{}", html.unescape(rest)))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


# --- Schema (migration 0008) --------------------------------------------------
# Built from the constants above, never from input (hence the S608 waivers).

_PG_DOCUMENT = f"""
    setweight(to_tsvector('{POSTGRES_CONFIG}'::regconfig, coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('{POSTGRES_CONFIG}'::regconfig, coalesce(NEW.standfirst, '')), 'B')
    || setweight(to_tsvector('{POSTGRES_CONFIG}'::regconfig,
                             regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')), 'C')
"""

POSTGRES_INSTALL = [
    f"ALTER TABLE {TABLE} ADD COLUMN search_document tsvector",
    f"""CREATE FUNCTION {TABLE}_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_document := {_PG_DOCUMENT};
            RETURN NEW;
        END $$""",
    f"""CREATE TRIGGER {TABLE}_search_document BEFORE INSERT OR UPDATE OF title, standfirst, body
        ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {TABLE}_search_document()""",
    # Existing rows: an update of title fires the trigger.
    f"UPDATE {TABLE} SET title = title",  # noqa: S608
    f"CREATE INDEX {TABLE}_search_document_idx ON {TABLE} USING GIN (search_document)",
]
POSTGRES_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_search_document ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_search_document()",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_document",
]

_FTS_ROW = "(rowid, title, standfirst, body) VALUES (new.id, new.title, new.standfirst, newsroom_html_text(new.body))"
# IF NOT EXISTS: ensure_sqlite_triggers() runs these again after every migrate.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}{_FTS_ROW};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON {TABLE}
    WHEN old.title IS NOT new.title OR old.standfirst IS NOT new.standfirst OR old.body IS NOT new.body
    OR old.id IS NOT new.id BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        INSERT INTO {FTS_TABLE}{_FTS_ROW};
    END""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
    END""",  # noqa: S608
]
SQLITE_INSTALL = [
    f"""CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(
        title, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')""",
    # bm25 weights per column: title, standfirst, body.
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",  # noqa: S608
    f"""INSERT INTO {FTS_TABLE}(rowid, title, standfirst, body)
        SELECT id, title, standfirst, newsroom_html_text(body) FROM {TABLE}""",  # noqa: S608
    *SQLITE_TRIGGERS,
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{event}" for event in ("insert", "update", "delete")),
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def install(schema_editor) -> None:
    for statement in _statements(schema_editor, POSTGRES_INSTALL, SQLITE_INSTALL):
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    for statement in _statements(schema_editor, POSTGRES_UNINSTALL, SQLITE_UNINSTALL):
        schema_editor.execute(statement)


def _statements(schema_editor, postgres, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        return postgres
    if vendor == "sqlite":
        return sqlite
    return []  # no other database is supported (search there would need its own part)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created: SQLite's triggers call newsroom_html_text(), so every connection has it."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("newsroom_html_text", 1, html_text, deterministic=True)


def ensure_sqlite_triggers(using="default", **kwargs) -> None:
    """post_migrate: put back the FTS triggers a table rebuild dropped.

    Django's SQLite schema editor rebuilds a table (copy, drop, rename) for
    many field changes, and SQLite drops a table's triggers with it; the
    copied rows keep their ids, so the FTS rows still match them.
    """
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        if cursor.fetchone() is None:
            return
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)
