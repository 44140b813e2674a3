"""The home page as a front page: a lead story, a few secondary ones, a block per section, then "Latest".

Its first page is the newest page of the listing (queries.listing()), laid out
in parts: the lead (its featured card), the secondary stories (cards), and the
rest as "Latest", a compact list of headlines; between them, a block per
section with its newest stories that are not already at the top. Later pages
are the listing's plain pages, older stories as cards.

Every part has a fixed cost however many sections or articles there are: the
page of the listing is the view's one query, the section blocks one more (a
window function ranks each section's stories; the articles come whole, so a
missing fragment is made with no further query), run only when the fragments
cache has not kept the blocks (templates/articles/home.html).
"""

from __future__ import annotations

from typing import NamedTuple

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from articles.caching import fragments
from articles.models import Article
from articles.public import queries

Kind = queries.Kind
CARD = fragments.attribute(Kind.CARD)
# Secondary stories come in a count every grid width divides (one, two or four columns), so no
# row of them is ever ragged: four when there are enough, else two, else one.
SECONDARY_COUNTS = (4, 2, 1)
# Each section block: its newest story as a card, then up to this many more as headlines.
SECTION_HEADLINES = 3
# Section blocks are made from this many newest stories (ranking every story would cost 35 ms at 10,000
# articles; these, 4 ms): a section with no story among them is dormant and has no block.
SECTION_WINDOW = 1000
# What "Latest" shows of each story, besides its card: read in the page's own query.
LATEST_FIELDS = ("title", "slug", "publish_at", "section__name")


def secondary_count(available: int) -> int:
    """How many secondary stories to show when available stories follow the lead."""
    return next((count for count in SECONDARY_COUNTS if count <= available), 0)


class SectionBlock(NamedTuple):
    name: str
    slug: str
    lead: SafeString  # the newest story's card
    headlines: list[SafeString]  # the next ones' teasers


class FrontPage:
    """The first page of the home page, from the listing's rows (pk, stored card and featured card,
    and LATEST_FIELDS); the section blocks read on first use (one query, one more to make fragments).

    fresh: where fragments made here go, for the view to store once the page is rendered.
    """

    def __init__(self, rows: list[dict], fresh: list):
        self.rows, self.fresh = rows, fresh
        self.top_count = min(len(rows), 1 + secondary_count(len(rows) - 1))
        kinds = [Kind.FEATURED] + [Kind.CARD] * (self.top_count - 1)
        made = queries.made(rows[: self.top_count], kinds[: self.top_count], fresh)
        self.lead = made[0] if made else None
        self.secondary = made[1:]
        # A story gone between the query and now would leave a hole: the grid counts what is there.
        self.secondary = self.secondary[: secondary_count(len(self.secondary))]
        self.latest = rows[self.top_count :]

    @cached_property
    def section_blocks(self) -> list[SectionBlock]:
        """For each section (in navigation order) with stories not at the top, its newest ones: one query."""
        top = [row["pk"] for row in self.rows[: self.top_count]]
        stories = list(section_stories(exclude=top))
        leads = [story for story in stories if story.rank == 1]
        fragments.make(leads, Kind.CARD, self.fresh)
        fragments.make([story for story in stories if story.rank > 1], Kind.TEASER, self.fresh)
        blocks: list[SectionBlock] = []
        for story in stories:
            if story.rank == 1:
                section = story.section
                blocks.append(SectionBlock(section.name, section.slug, getattr(story, CARD), []))
            elif blocks and blocks[-1].slug == story.section.slug:
                blocks[-1].headlines.append(getattr(story, queries.TEASER))
        return blocks


def section_stories(*, exclude: list[int]):
    """Each section's newest live stories (up to 1 + SECTION_HEADLINES, not those in exclude), sections in
    navigation order, newest first in each: as cards need them (section, lead picture), with their stored
    card and teaser, and their rank in the section (1: the newest). One query.

    The ranking runs over the ids and times of the newest SECTION_WINDOW stories alone; the fragments are
    read only for the rows kept.
    """
    order = [F("publish_at").desc(), F("pk").desc()]
    recent = Article.objects.published().newest_first().values("pk")[:SECTION_WINDOW]
    ranked = (
        Article.objects.filter(pk__in=recent)
        .filter(section__isnull=False)
        .exclude(pk__in=exclude)
        .annotate(rank=Window(RowNumber(), partition_by=[F("section_id")], order_by=order))
        .filter(rank__lte=1 + SECTION_HEADLINES)
        .values("pk")
    )
    kept = fragments.with_stored(Kind.CARD, Kind.TEASER).filter(pk__in=ranked).for_cards()
    rank = Window(RowNumber(), partition_by=[F("section_id")], order_by=order)
    return kept.annotate(rank=rank).order_by("section__position", "section__name", "-publish_at", "-pk")
