"""The admin's workflow pages: audit trail, revision history, compare and restore, share links.

The rules live in articles/workflow.py (states, events, restore) and
articles/revisions.py (diffs); these are the thin admin views over them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.models import Version

from articles import preview_links, revisions, workflow
from articles.models import Article, ArticleEvent


class ArticleEventInline(admin.TabularInline):
    """The article's audit trail on its change page, newest first."""

    model = ArticleEvent
    fields = ["at", "action", "user", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-at", "-pk"]
    verbose_name = "workflow event"
    verbose_name_plural = "workflow history (who submitted, published, unpublished or restored it, and when)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    """The newsroom's audit trail: read-only, kept after an article is deleted."""

    list_display = ["at", "action", "article_link", "user", "note"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "user"]
    search_fields = ["article_title", "note", "user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Article", ordering="article_title")
    def article_link(self, event):
        if event.article_id is None:
            return format_html("{} <small>(deleted)</small>", event.article_title)
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[event.article_id]),
            event.article_title,
        )


def share_link(article: Article) -> str:
    """The change form's share link: for unpublished articles only, since live ones have their address."""
    if not article.pk:
        return "Save the article to get a share link."
    if article.is_live:
        return format_html('Live: share <a href="{0}">{0}</a>.', article.get_absolute_url())
    expires = timezone.localtime(preview_links.expires_at())
    return format_html(
        '<a href="{}" target="_blank" rel="noreferrer" class="newsroom-share-link">Share link for this article</a>'
        '<div class="help">Anyone with the link can read this article, and nothing else, without logging in, '
        "until {} (a new link is made each time this page loads). Copy it with right-click → Copy link.</div>",
        preview_links.link(article.pk),
        f"{expires:%d %b %Y %H:%M %Z}",
    )


def article_pk(object_id) -> str | None:
    """The id in an admin address, or None when it is not one ("abc", "²")."""
    pk = unquote(str(object_id))
    return pk if pk.isascii() and pk.isdigit() else None


def _article_or_404(model_admin, request, object_id) -> Article:
    pk = article_pk(object_id)
    if pk is None:
        raise Http404("No such article.")
    article = get_object_or_404(Article, pk=pk)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    return article


def _version_or_404(article: Article, version_id) -> Version:
    return get_object_or_404(
        Version.objects.get_for_model(Article).select_related("revision__user"),
        pk=version_id,
        object_id=str(article.pk),
    )


def history_context(article_pk) -> dict:
    versions = revisions.versions_of(article_pk)
    return {
        "versions": versions,
        "compare_url": reverse("admin:articles_article_compare", args=[article_pk]),
        "newest": versions[0] if versions else None,
    }


def compare_view(model_admin, request, object_id):
    """Two revisions side by side, changed words marked."""
    article = _article_or_404(model_admin, request, object_id)
    ids = sorted(int(value) for value in request.GET.getlist("v") if value.isascii() and value.isdigit())
    if len(ids) != 2:
        messages.warning(request, "Choose two revisions to compare.")
        return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
    old, new = (_version_or_404(article, pk) for pk in ids)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Compare revisions of “{article.title}”",
        "old": old,
        "new": new,
        "sections": revisions.diff(old.field_dict, new.field_dict),
    }
    return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)


def revision_view(model_admin, request, object_id, version_id):
    """One revision: what changed since it, and a button that restores it."""
    article = _article_or_404(model_admin, request, object_id)
    version = _version_or_404(article, version_id)
    may_restore = model_admin.has_change_permission(request, article)
    if request.method == "POST":
        if not may_restore:
            raise PermissionDenied
        restored = workflow.restore(article=article, version=version, user=request.user)
        when = timezone.localtime(version.revision.date_created)
        messages.success(request, f"Restored the revision of {when:%d %b %Y %H:%M}. The article is saved again.")
        if restored.missing:
            messages.warning(request, "Not restored, because it no longer exists: " + ", ".join(restored.missing) + ".")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
    current = {"title": article.title, "standfirst": article.standfirst, "body": article.body}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Revision of “{article.title}”",
        "version": version,
        "may_restore": may_restore,
        "sections": revisions.diff(version.field_dict, current),
    }
    return TemplateResponse(request, "admin/articles/article/revision.html", context)
