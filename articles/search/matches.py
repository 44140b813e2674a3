"""What a search found, and Django's Paginator over it."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property


@dataclass(frozen=True)
class Matches:
    """What a search found: results, best first, each with search_snippet and shaped for cards;
    counted, the same articles as a query that is cheap to count."""

    results: models.QuerySet
    counted: models.QuerySet

    def count(self) -> int:
        return self.counted.count()

    def newest_first(self) -> Matches:
        """The same matches, newest first rather than best first."""
        return Matches(self.results.order_by("-publish_at", "-pk"), self.counted)


class SearchPaginator(Paginator):
    """Django's Paginator over Matches: pages of the results, the count from the counting query."""

    def __init__(self, matches: Matches, per_page: int, **kwargs):
        super().__init__(matches.results, per_page, **kwargs)
        self.matches = matches

    @cached_property
    def count(self) -> int:
        return self.matches.count()
