"""The search structures in the database as they are now: SQLite's FTS5 table and its triggers, and the
names both databases use. PostgreSQL's column, function and trigger need nothing at run time.

Migrations 0008 and 0014 created them from frozen copies of their statements
(migrations/_search_sql.py). A table rebuild drops SQLite's triggers, so
ensure_sqlite_triggers() puts them back after every migrate.
"""

from __future__ import annotations

from django.db import connections, transaction

# The text search configuration of the column, the trigger and the queries.
# Changing it needs a migration that rebuilds search_document.
POSTGRES_CONFIG = "english"
TABLE = "articles_article"
FTS_TABLE = "articles_article_fts"

# IF NOT EXISTS: run again after every migrate. Built from the constants above, never from input.
_ROW = "(rowid, title, standfirst, body) VALUES (new.id, new.title, new.standfirst, new.body_text)"
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS_TABLE}{_ROW};
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE ON {TABLE}
    WHEN old.title IS NOT new.title OR old.standfirst IS NOT new.standfirst
    OR old.body_text IS NOT new.body_text OR old.id IS NOT new.id BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
        INSERT INTO {FTS_TABLE}{_ROW};
    END""",  # noqa: S608
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN
        DELETE FROM {FTS_TABLE} WHERE rowid = old.id;
    END""",  # noqa: S608
]


def ensure_sqlite_triggers(using="default", **kwargs) -> None:
    """post_migrate: put back the FTS triggers a table rebuild dropped.

    Django's SQLite schema editor rebuilds a table (copy, drop, rename) for
    many field changes, and SQLite drops a table's triggers with it; the
    copied rows keep their ids, so the FTS rows still match them. Nothing is
    done before migration 0014 (no body_text yet to index).
    """
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


def rebuild_sqlite_index(using="default") -> int:
    """Refill SQLite's FTS table from the articles, for an index a restore left behind; returns the rows indexed.

    The triggers keep it in step from then on. Nothing to do on PostgreSQL,
    where each article's row carries its own search_document.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, title, standfirst, body) "  # noqa: S608
            f"SELECT id, title, standfirst, body_text FROM {TABLE}"
        )
        return cursor.rowcount
