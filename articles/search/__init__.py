"""Reader search: search_articles() on two databases, with snippets and a paginator that counts cheaply.

PostgreSQL: a tsvector column, search_document, that a trigger keeps up to
date from title (weight A), standfirst (B) and body_text (C), with a GIN
index; ranked by ts_rank, snippets by ts_headline (search/postgres.py).

SQLite: an FTS5 table, articles_article_fts, that triggers keep in step with
articles_article (rowid = article id), with the porter stemmer and bm25
weighted the same way (title > standfirst > body); snippets by snippet()
(search/sqlite.py).

Both index Article.body_text, the body's text without its markup: a search for
"figure" or "https" must not match every article with a picture.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connections, models

from articles.search import postgres, sqlite
from articles.search.matches import Matches, SearchPaginator
from articles.search.snippets import snippet_html

__all__ = ["Matches", "SearchPaginator", "matching_article_ids", "normalize_query", "search_articles", "snippet_html"]


def normalize_query(raw: str) -> str:
    """What a reader typed: trimmed, spaces collapsed, NULs dropped (PostgreSQL refuses them), cut to a sane length."""
    return " ".join(raw.replace("\x00", " ").split())[: settings.NEWSROOM_SEARCH_MAX_LENGTH].strip()


def search_articles(candidates: models.QuerySet, query: str) -> Matches:
    """The candidates (articles, e.g. Article.objects.published()) matching query."""
    backend = postgres if connections[candidates.db].vendor == "postgresql" else sqlite
    return backend.matching(candidates, query)


def matching_article_ids(query: str, using: str = "default"):
    """The ids of every article, in any state, whose title, standfirst or body match query, as an
    expression for "pk__in" (the admin's search); None when query has no words to look for."""
    backend = postgres if connections[using].vendor == "postgresql" else sqlite
    return backend.matched_ids(normalize_query(query))
