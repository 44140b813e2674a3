"""The newsroom's dashboard, the admin's home page: what waits for review, what goes live
soon, one's own drafts, what went live lately, and the last imports.

Writers see their own work (articles they wrote, changes they proposed); editors see
everyone's. Each panel is one query for its first rows and, where the page shows a total,
one count, so the page costs the same with 3 articles or 100,000.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from articles.editorial import workflow
from articles.models import Article, ImportRun, PendingChange

PANEL_ROWS = 10
IMPORT_ROWS = 5
SCHEDULED_DAYS = 7


@dataclass(frozen=True)
class Row:
    article_id: int
    title: str
    who: str  # who submitted or proposed it, else who wrote it
    at: datetime.datetime  # when it was submitted or proposed, last saved, or goes (went) live
    change: bool = False  # a change to a published article, not the article itself


@dataclass(frozen=True)
class Panel:
    rows: list[Row]
    total: int | None = None  # None where a total means nothing (everything ever published)


@dataclass(frozen=True)
class Dashboard:
    everyone: bool  # an editor's: everyone's work, not only the user's own
    waiting_for_review: Panel
    scheduled_soon: Panel
    my_drafts: Panel
    recently_published: Panel
    recent_imports: list[ImportRun] | None  # None: the user may not read the import log


def dashboard_for(user, *, now: datetime.datetime | None = None) -> Dashboard | None:
    """user's dashboard; None for staff who may not see articles at all."""
    if not user.has_perm("articles.view_article"):
        return None
    now = now or timezone.now()
    everyone = workflow.may_publish(user)
    articles = Article.objects.all() if everyone else Article.objects.written_by(user)
    changes = PendingChange.objects.waiting()
    if not everyone:
        changes = changes.proposed_by_user(user)
    scheduled = articles.scheduled(now, until=now + datetime.timedelta(days=SCHEDULED_DAYS)).order_by("publish_at")
    drafts = Article.objects.written_by(user).drafts().order_by("-updated_at", "-pk")
    return Dashboard(
        everyone=everyone,
        waiting_for_review=_waiting_for_review(articles.in_review(), changes),
        scheduled_soon=Panel(_rows(scheduled, "publish_at"), scheduled.count()),
        my_drafts=Panel(_rows(drafts, "updated_at"), drafts.count()),
        recently_published=Panel(_rows(articles.published(now).newest_first(), "publish_at")),
        recent_imports=_recent_imports(user),
    )


def _waiting_for_review(in_review, changes) -> Panel:
    """New articles in review and changes to published ones, longest waiting first."""
    new = in_review.with_submission().order_by("submitted_at", "pk")
    rows = [
        Row(article_id=row["pk"], title=row["title"], who=row["submitted_by"] or "—", at=row["submitted_at"])
        for row in new.values("pk", "title", "submitted_at", "submitted_by")[:PANEL_ROWS]
    ]
    rows += [
        Row(
            article_id=row["article_id"],
            title=row["article__title"],
            who=row["proposed_by__username"] or "—",
            at=row["proposed_at"],
            change=True,
        )
        for row in changes.order_by("proposed_at", "pk").values(
            "article_id", "article__title", "proposed_by__username", "proposed_at"
        )[:PANEL_ROWS]
    ]
    # Each list holds its own oldest rows, so the oldest of both are among them.
    rows.sort(key=lambda row: (row.at, row.article_id))
    return Panel(rows[:PANEL_ROWS], in_review.count() + changes.count())


def _rows(articles, when: str) -> list[Row]:
    return [
        Row(article_id=row["pk"], title=row["title"], who=row["created_by__username"] or "—", at=row[when])
        for row in articles.values("pk", "title", "created_by__username", when)[:PANEL_ROWS]
    ]


def _recent_imports(user) -> list[ImportRun] | None:
    # The log holds every run, command-line ones too: the editors' (docs/editorial.md).
    if not user.has_perm("articles.view_importrun"):
        return None
    return list(ImportRun.objects.with_summary().select_related("started_by")[:IMPORT_ROWS])
