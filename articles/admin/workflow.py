"""The editorial workflow in the admin: the audit trail, revision history with compare and restore,
recovering deleted articles, and share links.

The rules live in editorial/workflow.py (states, events, restore) and editorial/revisions.py
(diffs); these are the thin admin views over them.
"""

from __future__ import annotations

from urllib.parse import urljoin

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from reversion.models import Version

from articles.admin.bad_input import BadInputAdminMixin
from articles.admin.people import user_name
from articles.editorial import pending, revisions, share_links, workflow
from articles.models import Article, ArticleEvent, ShareLink


def copyable(url: str, css_class: str = "") -> str:
    """An address shown in full, a link, with a Copy button (static/articles/share.js)."""
    return format_html(
        '<span class="newsroom-copy"><a href="{0}" target="_blank" rel="noreferrer" class="{1}">{0}</a> '
        '<button type="button" class="newsroom-copy__button" data-copy="{0}">Copy</button></span>',
        url,
        css_class,
    )


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on the article's page that are derived or recorded elsewhere: never edited here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ArticleEventInline(ReadOnlyInline):
    """The article's audit trail on its change page, newest first."""

    model = ArticleEvent
    fields = ["at", "action", "by", "note"]
    ordering = ["-at", "-pk"]
    verbose_name = "workflow event"
    verbose_name_plural = "workflow history (who submitted, published, unpublished or restored it, and when)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="user")
    def by(self, event):
        return user_name(event.user)


@admin.register(ArticleEvent)
class ArticleEventAdmin(BadInputAdminMixin, admin.ModelAdmin):
    """The newsroom's audit trail: read-only, kept after an article is deleted."""

    list_display = ["at", "action", "article_link", "user", "note"]
    list_filter = ["action", ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article", "user"]
    search_fields = ["article_title", "note", "user__username"]
    date_hierarchy = "at"
    fields = ["at", "action", "article", "article_title", "by", "note"]
    readonly_fields = ["by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="user")
    def by(self, event):
        return user_name(event.user)

    @admin.display(description="Article", ordering="article_title")
    def article_link(self, event):
        if event.article_id is None:
            return format_html("{} <small>(deleted)</small>", event.article_title)
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:articles_article_change", args=[event.article_id]),
            event.article_title,
        )


def article_pk(object_id) -> str | None:
    """The id in an admin address, or None when it is not one ("abc", "²")."""
    pk = unquote(str(object_id))
    return pk if pk.isascii() and pk.isdigit() else None


class WorkflowAdminMixin:
    """Revision history, compare and restore, recovery and share links for the article admin
    (a django-reversion VersionAdmin)."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:object_id>/history/compare/", view(self.compare_view), name="articles_article_compare"),
            path("<int:object_id>/share/", view(require_POST(self.share_view)), name="articles_article_share"),
            path(
                "<int:object_id>/share/<int:link_id>/revoke/",
                view(require_POST(self.share_revoke_view)),
                name="articles_article_share_revoke",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        # Not an id: Django's own view says there is no such article.
        pk = article_pk(object_id)
        context = {**(self._history_context(pk) if pk else {}), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    @staticmethod
    def _history_context(pk) -> dict:
        versions = revisions.versions_of(pk)
        return {
            "versions": versions,
            "compare_url": reverse("admin:articles_article_compare", args=[pk]),
            "newest": versions[0] if versions else None,
        }

    def compare_view(self, request, object_id):
        """Two revisions side by side, changed words marked."""
        article = self._article_or_404(request, object_id)
        ids = sorted(int(value) for value in request.GET.getlist("v") if value.isascii() and value.isdigit())
        if len(ids) != 2:
            messages.warning(request, "Choose two revisions to compare.")
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        old, new = (self._version_or_404(article, pk) for pk in ids)
        context = {
            **self.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": f"Compare revisions of “{article.title}”",
            "old": old,
            "new": new,
            "sections": revisions.diff(revisions.reader_fields(old), revisions.reader_fields(new)),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One revision: what changed since it, and a button that restores it.

        Replaces django-reversion's, which reverts with a raw save (no sanitiser,
        no figure rows, an old version number) before showing the form.
        """
        article = self._article_or_404(request, object_id)
        version = self._version_or_404(article, version_id)
        may_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not may_restore:
                raise PermissionDenied
            return self._restore(request, article, version)
        current = {**pending.live_fields(article.pk), "publish_at": article.publish_at}
        context = {
            **self.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": f"Revision of “{article.title}”",
            "version": version,
            "may_restore": may_restore,
            "sections": revisions.diff(revisions.reader_fields(version), current),
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    def _restore(self, request, article: Article, version: Version):
        when = timezone.localtime(version.revision.date_created)
        if pending.needs_review(article.pk, request.user):  # published: the revision waits for an editor
            applied = workflow.apply_revision(article, version)
            pending.propose(
                article=article,
                keyword_ids=[keyword.pk for keyword in applied.keywords],
                author_ids=[author.pk for author in applied.authors],
                user=request.user,
            )
            messages.success(
                request,
                f"The revision of {when:%d %b %Y %H:%M} is now a change waiting for an editor; "
                "readers see the published version until an editor publishes it.",
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        restored = workflow.restore(article=article, version=version, user=request.user)
        messages.success(request, f"Restored the revision of {when:%d %b %Y %H:%M}. The article is saved again.")
        if restored.missing:
            messages.warning(request, "Not restored, because it no longer exists: " + ", ".join(restored.missing) + ".")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    # Recovering a deleted article brings back its state too (a published one
    # goes live again), so only people who may publish may recover.
    def recoverlist_view(self, request, extra_context=None):
        if not workflow.may_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.may_publish(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        context = {"may_recover": workflow.may_publish(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)

    @admin.display(description="Share")
    def share_link(self, article):
        """The article's share links (unpublished articles only: live ones have their address) as full
        addresses with a copy button (static/articles/share.js), each with a button that revokes it,
        and one that makes a new link. The buttons post to their own views (formaction), not with
        the article's form. The site's address comes from the request (render_change_form())."""
        if not article.pk:
            return "Save the article to get a share link."
        site = getattr(article, "admin_site_url", "")
        if article.is_live:
            return format_html("Live at {}", copyable(urljoin(site, article.get_absolute_url())))
        rows = [
            format_html(
                "<li>{} by {}, until {} "
                '<button type="submit" formmethod="post" formnovalidate formaction="{}">Revoke</button></li>',
                copyable(urljoin(site, share_links.url(link)), css_class="newsroom-share-link"),
                user_name(link.created_by),
                f"{timezone.localtime(link.expires_at):%d %b %Y %H:%M %Z}",
                reverse("admin:articles_article_share_revoke", args=[article.pk, link.pk]),
            )
            for link in article.share_links.select_related("created_by")
            if link.active
        ]
        return format_html(
            '<ul class="newsroom-share-links">{}</ul>'
            '<button type="submit" formmethod="post" formnovalidate formaction="{}">Make a share link</button>'
            '<div class="help">Anyone with a link can read this article, and nothing else, without logging in, '
            "until it expires or is revoked.</div>",
            format_html_join("", "{}", ((row,) for row in rows)),
            reverse("admin:articles_article_share", args=[article.pk]),
        )

    def share_view(self, request, object_id):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        link = share_links.create(article=article, user=request.user)
        messages.success(request, f"Share link {link.pk} made: {request.build_absolute_uri(share_links.url(link))}")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def share_revoke_view(self, request, object_id, link_id):
        article = self._article_or_404(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        link = get_object_or_404(ShareLink, pk=link_id, article=article)
        share_links.revoke(link, user=request.user)
        messages.success(request, f"Share link {link.pk} revoked: it no longer opens the article.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def _article_or_404(self, request, object_id) -> Article:
        pk = article_pk(object_id)
        if pk is None:
            raise Http404("No such article.")
        if not self.get_queryset(request).filter(pk=pk).exists():  # writers: only what they may see
            raise Http404("No such article.")
        # Read plainly: a prefetched relation (the list's authors) would be what a restore's revision records.
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    @staticmethod
    def _version_or_404(article: Article, version_id) -> Version:
        return get_object_or_404(
            Version.objects.get_for_model(Article).select_related("revision__user"),
            pk=version_id,
            object_id=str(article.pk),
        )
