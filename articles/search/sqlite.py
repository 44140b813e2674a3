"""Search on SQLite: the FTS5 table articles_article_fts (search/schema.py), ranked by bm25,
with snippets by snippet()."""

from __future__ import annotations

import re

from django.db import models
from django.db.models.expressions import RawSQL

from articles.models import Article
from articles.search.matches import Matches
from articles.search.schema import FTS_TABLE
from articles.search.snippets import MARK_END, MARK_START, SNIPPET_WORDS

_WORD = re.compile(r"\w+")


def fts5_query(query: str) -> str:
    """A reader's words as an FTS5 query: every word must occur, no operators, no syntax errors."""
    return " ".join(f'"{word}"' for word in _WORD.findall(query))


def matching(candidates, query):
    """The candidates where they match query, best first, with search_snippet, shaped for cards (Matches)."""
    match = fts5_query(query)
    if not match:
        return Matches(candidates.none(), candidates.none())
    # The candidates go in as "id IN (...)", not as conditions on the article table
    # itself. Given those, SQLite's planner (no statistics) walks every candidate and
    # probes the full-text index for each whenever a page asks for fewer than about
    # ten rows (a rare word, a last page): 0.1 s to 6 s over 10,000 articles. This way
    # the index always leads, in rank order (2-60 ms).
    articles = Article.objects.filter(pk__in=candidates.values("pk")).for_cards()
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
    # The same articles, for counting: the matches' ids from the index, then the other filters.
    # A plain COUNT over the join leads SQLite's planner (without ANALYZE statistics) to
    # walk every published article and run the full-text query once for each (0.1 s for
    # 2,000 articles); counting in rank order computes bm25 for every match (70 ms when
    # 10,000 match). "id IN (the index's matches)" reads the index once and checks the
    # other filters on the articles' own index: 4 ms for 10,000 matches.
    # FTS_TABLE is our constant; the reader's words are a bound parameter.
    return Matches(results, candidates.filter(pk__in=_matched_ids(match)))


def matched_ids(query) -> RawSQL | None:
    """The ids of every article (any state) matching query, for "pk__in"; None when query has no words."""
    match = fts5_query(query)
    return _matched_ids(match) if match else None


def _matched_ids(match: str) -> RawSQL:
    # FTS_TABLE is our constant; the words are a bound parameter.
    return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
