"""Pending changes to published articles in the admin: the form keeps a writer's change apart from
what readers see, and editors preview, compare, publish or send back the change.

The rules live in editorial/pending.py; these are the admin's views and hooks over them.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from articles.editorial import corrections, pending, revisions, workflow
from articles.models import Article, Correction, PendingChange
from articles.public.views import render_article

KEEP_PENDING = "_keep_pending"  # an editor's button: store the edit as a pending change, publish nothing


class PendingChangeAdminMixin:
    """For the article admin: a published article's edit by someone who may not publish (or an
    editor who asks) is stored as its pending change, never saved to the article."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/pending/preview/", view(self.preview_change_view), name="articles_article_pending_preview"),
            path("<int:pk>/pending/compare/", view(self.compare_change_view), name="articles_article_pending_compare"),
            path(
                "<int:pk>/pending/publish/",
                view(require_POST(self.publish_change_view)),
                name="articles_article_pending_publish",
            ),
            path(
                "<int:pk>/pending/return/",
                view(require_POST(self.return_change_view)),
                name="articles_article_pending_return",
            ),
            *super().get_urls(),
        ]

    def get_object(self, request, object_id, from_field=None):
        """On the change form, a published article with a pending change shows the change:
        that is what its writer goes on editing, and what an editor's Save publishes."""
        article = super().get_object(request, object_id, from_field)
        if article is not None and request.resolver_match.url_name == "articles_article_change":
            article.pending = PendingChange.objects.select_related("proposed_by").filter(article=article).first()
            if article.pending is not None:
                article.pending_related = pending.show_pending(article, article.pending)
        return article

    def stores_as_pending(self, request, article: Article, change: bool) -> bool:
        if not change:
            return False
        if KEEP_PENDING in request.POST and workflow.may_publish(request.user):
            return Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).exists()
        return pending.needs_review(article.pk, request.user)

    def save_as_pending(self, request, article: Article, form) -> None:
        keyword_ids = [keyword.pk for keyword in form.cleaned_data.get("keywords", [])]
        author_ids = [author.pk for author in form.cleaned_data.get("author_list", [])]
        article.kept_pending = True
        article.pending_events = pending.propose(
            article=article,
            keyword_ids=keyword_ids,
            author_ids=author_ids,
            user=request.user,
            loaded_version=form.cleaned_data.get("loaded_version"),
        )

    def save_related(self, request, form, formsets, change):
        if not getattr(form.instance, "kept_pending", False):
            super().save_related(request, form, formsets, change)
            return
        # The keywords and authors are part of the pending change, not of the published
        # article: no save_m2m(). The inlines are read-only; saving them writes nothing.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_change(self, request, obj):
        if not getattr(obj, "kept_pending", False):
            return super().response_change(request, obj)
        if obj.pending_events:
            messages.success(
                request,
                f"Your change to “{obj.title}” is waiting for an editor. Readers see the published version until "
                "an editor publishes it.",
            )
        else:
            messages.info(request, "Nothing changed: the pending change is as it was.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def preview_change_view(self, request, pk):
        article = self._with_pending(request, pk)
        return pending.preview(request, article.pk, render_article)

    def compare_change_view(self, request, pk):
        article = self._with_pending(request, pk)
        change = article.pending_change
        context = {
            **self.admin_site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "change": change,
            "title": f"Pending change to “{article.title}”",
            "published_since": article.version != change.based_on_version,
            "may_publish": workflow.may_publish(request.user),
            "sections": revisions.diff(pending.live_fields(article.pk), change.fields),
            "correction_kinds": Correction.Kind.choices,
        }
        return TemplateResponse(request, "admin/articles/article/pending_compare.html", context)

    def publish_change_view(self, request, pk):
        article = self._with_pending(request, pk)
        kind = request.POST.get("correction_kind", "")
        note = request.POST.get("correction_note", "").strip()[:1000]
        if kind not in Correction.Kind.values and kind != "" or bool(kind) != bool(note):
            messages.error(request, "A correction or update needs both its kind and a note to readers.")
            return HttpResponseRedirect(reverse("admin:articles_article_pending_compare", args=[pk]))
        with transaction.atomic():
            events = pending.publish(article=article, user=request.user)
            if kind and events:
                events.append(corrections.publish(article=article, kind=kind, note=note, user=request.user))
        for event in events:
            messages.success(request, f"{event.get_action_display()}: “{article.title}”. {event.note}")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def return_change_view(self, request, pk):
        article = self._with_pending(request, pk)
        note = request.POST.get("note", "").strip()
        if not note:
            messages.error(request, "Say what the writer should change: the note is required.")
            return HttpResponseRedirect(reverse("admin:articles_article_pending_compare", args=[pk]))
        pending.send_back(article=article, user=request.user, note=note)
        messages.success(request, f"The change to “{article.title}” went back to its writer with your note.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def _with_pending(self, request, pk) -> Article:
        if not self.get_queryset(request).filter(pk=pk).exists():  # writers: only what they may see
            raise Http404("No such article.")
        # Read plainly: a prefetched relation (the list's authors) would be what publishing's revision records.
        article = get_object_or_404(Article.objects.select_related("pending_change__proposed_by"), pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        if not hasattr(article, "pending_change"):
            raise Http404("This article has no pending change.")
        return article
