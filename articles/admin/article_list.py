"""The article list's columns and search: a wide headline column (with section and authors under it),
compact state and time columns, a small thumbnail, and a search that reads the body as well.

Sized to fit 1280 px beside the admin's navigation and filters (tests/system/browser/test_browser_writing.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html

from articles.admin.images import thumbnail
from articles.search import matching_article_ids

LIST_THUMBNAIL_PX = 40


def compact_time(moment) -> str:
    """A time as a list column shows it: "5 Dec 11:25" this year, "5 Dec 2025" before, the full time on hover."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    short = f"{local:%-d %b %H:%M}" if local.year == timezone.localtime().year else f"{local:%-d %b %Y}"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', local.isoformat(), f"{local:%-d %b %Y, %H:%M %Z}", short
    )


class ArticleListMixin:
    """The columns of the article admin's list, and its search."""

    list_display = ["list_thumbnail", "headline", "state", "published", "updated"]
    list_display_links = ["list_thumbnail", "headline"]
    # Django's own matches on these (icontains); the body goes through the site's full-text search.
    search_fields = ["title", "standfirst", "byline", "slug", "authors__name"]
    search_help_text = "Finds words in the headline, standfirst, body, byline, authors and address (slug)."

    @admin.display(description="Image")
    def list_thumbnail(self, article):
        return thumbnail(article.lead_image, size=LIST_THUMBNAIL_PX)

    @admin.display(description="Headline", ordering="title")
    def headline(self, article):
        credit = ", ".join(author.name for author in article.author_list) or article.byline
        details = " · ".join(part for part in [article.section.name if article.section else "", credit] if part)
        if not details:
            return article.title
        return format_html('{}<span class="newsroom-list-meta">{}</span>', article.title, details)

    @admin.display(description="Publish at", ordering="publish_at")
    def published(self, article):
        return compact_time(article.publish_at)

    @admin.display(description="Updated", ordering="updated_at")
    def updated(self, article):
        return compact_time(article.updated_at)

    def get_search_results(self, request, queryset, search_term):
        """Django's search over search_fields, or'ed with the full-text search's matches (title,
        standfirst and body, stemmed: "repairs" finds "repaired")."""
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        ids = matching_article_ids(search_term, using=queryset.db) if search_term else None
        if ids is None:
            return found, may_have_duplicates
        return found | queryset.filter(pk__in=ids), may_have_duplicates
