"""What an import asks of the database beyond its rows: a new connection when the database
dropped the one in use, and fresh planner statistics after a large import."""

from __future__ import annotations

import logging

from django.db import connection

from articles.models import Article, ArticleAuthor, Image, Keyword, Redirect

logger = logging.getLogger("articles.importing.service")


def reconnected() -> bool:
    """Close this process's database connection if the database dropped it, so the next query
    opens a new one; whether it did. A caller's own transaction (a test's) is left alone."""
    if connection.in_atomic_block or connection.connection is None or connection.is_usable():
        return False
    logger.warning("the database connection was lost during an import; reconnecting")
    connection.close()
    return True


def analyze_tables() -> None:
    """Fresh planner statistics after a large import: stale ones made the keywords' sitemap
    take 30 s on PostgreSQL once the archive was in."""
    models = (Article, Article.keywords.through, Keyword, ArticleAuthor, Redirect, Image)
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
