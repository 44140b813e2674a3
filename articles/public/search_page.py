"""The search page's choices, read from ?q=&section=&since=&sort=: words, a section, a time span, an order.

Anything not on offer (an unknown section, a made-up span) counts as no choice, so a
hand-edited address still finds something rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.http import urlencode

from articles.public.queries import NavSection, navigation_sections
from articles.search import Matches, normalize_query, search_articles

# What "since" offers: its value in the address, what the reader reads, how far back.
SPANS = {
    "day": ("Past 24 hours", timedelta(days=1)),
    "week": ("Past week", timedelta(days=7)),
    "month": ("Past month", timedelta(days=31)),
    "year": ("Past year", timedelta(days=366)),
}
SORTS = {"relevance": "Best match", "newest": "Newest first"}
# The query parameters the page reads (the page cache stores only addresses with these).
PARAMETERS = ("q", "section", "since", "sort", "page")


@dataclass(frozen=True)
class SearchRequest:
    query: str
    section: str  # a section's slug, or "" for all
    since: str  # a key of SPANS, or "" for any time
    sort: str  # a key of SORTS
    sections: list[NavSection]

    @classmethod
    def from_get(cls, params) -> SearchRequest:
        """The reader's choices (params: request.GET), with the sections to choose from: one query."""
        section = params.get("section", "")
        sections = navigation_sections(current=section)
        return cls(
            query=normalize_query(params.get("q", "")),
            section=section if any(s.current for s in sections) else "",
            since=since if (since := params.get("since", "")) in SPANS else "",
            sort=sort if (sort := params.get("sort", "")) in SORTS else "relevance",
            sections=sections,
        )

    @property
    def narrowed(self) -> bool:
        return bool(self.section or self.since)

    def matches(self, candidates) -> Matches:
        """The candidates (live articles) matching the words, in the section and span chosen, in the order chosen."""
        if self.section:
            candidates = candidates.filter(section__slug=self.section)
        if self.since:
            candidates = candidates.filter(publish_at__gte=timezone.now() - SPANS[self.since][1])
        found = search_articles(candidates, self.query)
        return found.newest_first() if self.sort == "newest" else found

    def page_query(self) -> str:
        """The choices as the start of a page link's query string ("q=...&sort=newest&"), defaults left out."""
        chosen = {"q": self.query, "section": self.section, "since": self.since}
        chosen["sort"] = "" if self.sort == "relevance" else self.sort
        return urlencode({name: value for name, value in chosen.items() if value}) + "&"
