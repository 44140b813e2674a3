"""The search structures as migrations 0008 and 0014 made them: frozen here, so that changing the
search code (search/schema.py) can never change what an old migration does.

Not a migration itself (the loader skips "_" names). Standard library and
Django only: nothing of the running app is imported.
"""

from __future__ import annotations

import html
import re

POSTGRES_CONFIG = "english"
TABLE = "articles_article"
FTS_TABLE = "articles_article_fts"

_TAG = re.compile(r"<[^>]*>")


def html_text(body: str | None) -> str:
    """The readable text of a body, as Article.save() computed it for body_text when 0014 ran."""
    return " ".join(html.unescape(_TAG.sub(" ", body or "")).split())


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
    # IF NOT EXISTS: the runtime (search/schema.py) may have put them back after a later migrate.
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
