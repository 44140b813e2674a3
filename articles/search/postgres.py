"""Search on PostgreSQL: the search_document tsvector column (search/schema.py), ranked by ts_rank,
with snippets by ts_headline."""

from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Replace

from articles.search.matches import Matches
from articles.search.schema import POSTGRES_CONFIG, TABLE
from articles.search.snippets import MARK_END, MARK_START, SNIPPET_WORDS

# ts_headline's parser takes "<b>" in the text for a tag and leaves it out of the
# snippet, so the text goes in with these characters as entities and the snippet
# comes back with them as typed ("&" first going in, last coming back).
_ENTITIES = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")]


def _replaced(expression, pairs):
    for old, new in pairs:
        expression = Replace(expression, models.Value(old), models.Value(new), output_field=models.TextField())
    return expression


def matching(candidates, query) -> Matches:
    """The candidates where they match query, best first, with search_snippet, shaped for cards."""
    queryset = candidates.for_cards()
    # A fixed column name (not in the model: migration 0008 adds it on PostgreSQL only).
    document = RawSQL(f'"{TABLE}"."search_document"', [], output_field=SearchVectorField())  # noqa: S611
    tsquery = SearchQuery(query, search_type="websearch", config=POSTGRES_CONFIG)
    found = queryset.alias(search_document=document).filter(search_document=tsquery)
    results = found.annotate(
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
    ).order_by("-search_rank", "-publish_at", "-pk")
    return Matches(results, found.order_by())


def matched_ids(query) -> RawSQL | None:
    """The ids of every article (any state) matching query, for "pk__in"; None when query has no words.

    Raw, not a queryset: as a subquery Django renames the table, which the raw column name would miss."""
    if not query.strip():
        return None
    sql = f'SELECT "id" FROM "{TABLE}" WHERE "search_document" @@ websearch_to_tsquery(%s::regconfig, %s)'  # noqa: S608
    return RawSQL(sql, [POSTGRES_CONFIG, query])  # noqa: S611  (TABLE is our constant, the words are parameters)
