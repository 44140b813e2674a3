"""The article admin: the editor's list and form, the workflow's actions, the reader preview.

Workflow pages (history, compare, restore, recover, share links) come from
admin/workflow.py, the legacy import pages from admin/importing.py.
"""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles.admin.article_list import ArticleListMixin
from articles.admin.bad_input import BadInputAdminMixin
from articles.admin.bulk import BulkChangeAdminMixin
from articles.admin.forms import ArticleAdminForm
from articles.admin.image_library import ImageChoosers
from articles.admin.images import thumbnail
from articles.admin.importing import ImportAdminMixin
from articles.admin.pending import KEEP_PENDING, PendingChangeAdminMixin
from articles.admin.workflow import ArticleEventInline, ReadOnlyInline, WorkflowAdminMixin
from articles.editorial import corrections, pending, workflow
from articles.models import Article, ArticleAuthor, ArticleFigure, Author
from articles.public.views import render_article


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("review", "In review"),
            ("change", "Change waiting for review"),
            ("scheduled", "Scheduled"),
            ("live", "Live"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "change":
            return queryset.filter(pending_change__returned_at__isnull=True, pending_change__isnull=False)
        if self.value() in ("draft", "review"):
            return queryset.filter(status=self.value())
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "live":
            return queryset.published()
        return queryset


class MineFilter(admin.SimpleListFilter):
    """A writer's own work: where the dashboard's "see all" links take writers."""

    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Mine (written by me, or a change I proposed)")]

    def queryset(self, request, queryset):
        return queryset.worked_on_by(request.user) if self.value() == "1" else queryset


class ArticleFigureInline(ReadOnlyInline):
    """Inline figures as the body has them; edit them in the body, not here."""

    model = ArticleFigure
    fields = ["position", "picture", "image", "caption", "link"]
    verbose_name = "inline figure (from the body)"
    verbose_name_plural = "inline figures (derived from the body on save)"

    @admin.display(description="Picture")
    def picture(self, figure):
        return thumbnail(figure.image)


# Read-only rows with nothing to show until the article is saved.
SAVED_ONLY_FIELDS = {"preview_link", "share_link"}
# Where an imported article came from; empty on articles written in the admin.
IMPORT_FIELDS = ["source_site", "source_path", "legacy_url"]


@admin.register(Article)
class ArticleAdmin(
    ImageChoosers,
    ArticleListMixin,
    BulkChangeAdminMixin,
    BadInputAdminMixin,
    PendingChangeAdminMixin,
    WorkflowAdminMixin,
    ImportAdminMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    list_filter = [StateFilter, MineFilter, "section"]
    list_select_related = ["section", "lead_image", "pending_change"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["keywords", "section"]
    image_choosers = ["lead_image"]  # a picture chooser with thumbnails (admin/image_library.py)
    inlines = [ArticleFigureInline, ArticleEventInline]
    actions = [
        "submit_for_review",
        "send_back",
        "publish",
        "unpublish",
        "change_section_and_keywords",
        "delete_selected",
    ]
    readonly_fields = [
        "preview_link",
        "share_link",
        "created_at",
        "updated_at",
        "source_site",
        "source_path",
        "legacy_url",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "author_list", "byline", "body", "loaded_version"]}),
        ("Lead image", {"fields": ["lead_image", "lead_caption"]}),
        ("Publishing", {"fields": ["status", "publish_at", "section", "keywords", "preview_link", "share_link"]}),
        (
            "History",
            {
                "classes": ["collapse"],
                "fields": ["created_at", "updated_at", "source_site", "source_path", "legacy_url"],
            },
        ),
    ]
    # django-reversion's VersionAdmin brings its own templates; keep ours (import links, compare).
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    class Media:
        css = {"all": ["articles/admin.css"]}
        # On the change form it keeps unsaved text; on the list it forgets text the admin confirms saved.
        js = ["articles/autosave.js", "articles/share.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user  # a class made for this request (modelform_factory)
        return form

    def get_inlines(self, request, obj):
        # A new article has no figures and no history yet: no empty tables.
        return super().get_inlines(request, obj) if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:  # a new article: nothing to preview, share or date yet
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f not in SAVED_ONLY_FIELDS]})
                for name, options in fieldsets
                if name != "History"
            ]
        elif not any(getattr(obj, name) for name in IMPORT_FIELDS):  # written here: no empty import rows
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f not in IMPORT_FIELDS]})
                for name, options in fieldsets
            ]
        if obj is not None and obj.status == Article.Status.PUBLISHED and workflow.may_publish(request.user):
            fieldsets = [*fieldsets, ("Correction or update", {"fields": ["correction_kind", "correction_note"]})]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.may_publish(request.user):
            fields.append("status")
            if obj is not None and obj.status == Article.Status.PUBLISHED:
                fields.append("publish_at")  # moving it would unpublish or republish
        return fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # "Submit for review" sits beside Save while the article is a draft.
        context["show_submit_for_review"] = (obj is None or obj.status == Article.Status.DRAFT) and (
            self.has_add_permission(request) if obj is None else self.has_change_permission(request, obj)
        )
        published = obj is not None and obj.status == Article.Status.PUBLISHED
        context["pending"] = getattr(obj, "pending", None)
        context["may_publish"] = workflow.may_publish(request.user)
        context["saves_as_pending"] = published and not context["may_publish"]
        context["show_keep_pending"] = published and context["may_publish"]
        context["keep_pending"] = KEEP_PENDING
        context["preview_url"] = self.view_on_site(obj) if obj is not None else None
        if obj is not None:  # share_link() shows full addresses; a display method gets no request
            obj.admin_site_url = request.build_absolute_uri("/")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def reversion_register(self, model, **kwargs):
        """VersionAdmin registers Article with its inlines' rows; its authors are followed too: their
        order lives in the ArticleAuthor rows, which a revision's serialised article leaves out."""
        if model is Article:
            kwargs["follow"] = (*kwargs.get("follow", ()), "author_links")
            if not reversion.is_registered(ArticleAuthor):
                reversion.register(ArticleAuthor)
        super().reversion_register(model, **kwargs)

    def get_queryset(self, request):
        articles = super().get_queryset(request).with_authors()  # the list's authors, under the headline
        if not workflow.may_publish(request.user):
            articles = articles.open_to_writer(request.user)  # every admin page of an article uses this
        return articles

    def get_changeform_initial_data(self, request):
        """A new article is by whoever writes it, when they are one of the authors."""
        initial = super().get_changeform_initial_data(request)
        author = Author.objects.filter(user=request.user).values_list("pk", flat=True).first()
        if author is not None:
            initial.setdefault("author_list", [author])
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not getattr(form.instance, "kept_pending", False):  # else the authors wait in the pending change
            form.instance.set_authors([author.pk for author in form.cleaned_data["author_list"]])

    def save_model(self, request, obj, form, change):
        if self.stores_as_pending(request, obj, change):
            self.save_as_pending(request, obj, form)
            return
        if not change:
            obj.created_by = request.user
        if not workflow.may_publish(request.user):
            # Enforced here as well as by the read-only field: a forged POST cannot
            # publish (and workflow.save() refuses once more).
            obj.status = (
                Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
                if change
                else Article.Status.DRAFT
            ) or Article.Status.DRAFT
        if "_submit_for_review" in request.POST and obj.status == Article.Status.DRAFT:
            obj.status = Article.Status.REVIEW
        had_pending = getattr(obj, "pending", None) is not None
        events = workflow.save(
            article=obj,
            user=request.user,
            loaded_version=form.cleaned_data.get("loaded_version"),
            recovered=request.resolver_match.url_name == "articles_article_recover",
            # The form showed a pending change: saving it is a change even where no field was touched.
            changed=form.changed_data if change and not had_pending else None,
        )
        if had_pending:  # an editor's save of the form that showed the change publishes it
            events += pending.drop_after_editor_save(article=obj, user=request.user)
        kind = form.cleaned_data.get("correction_kind")
        if kind and change and obj.status == Article.Status.PUBLISHED and workflow.may_publish(request.user):
            note = form.cleaned_data["correction_note"]
            events.append(corrections.publish(article=obj, kind=kind, note=note, user=request.user))
        if events:  # said instead of Django's "was changed successfully" (message_user())
            request.newsroom_saved_message = " ".join(
                f"{event.get_action_display()}: “{obj.title}”. {event.note}".strip() for event in events
            )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """One message per save: what the workflow did (submitted, published…) replaces Django's
        "was added/changed successfully", which would say the same save twice."""
        saved = getattr(request, "newsroom_saved_message", None)
        if saved and level == messages.SUCCESS:
            message, request.newsroom_saved_message = saved, None
        super().message_user(request, message, level, *args, **kwargs)

    def delete_model(self, request, obj):
        workflow.delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.delete(article=article, user=request.user)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else reverse("admin:articles_article_preview", args=[obj.pk])

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:pk>/preview/", preview, name="articles_article_preview"), *super().get_urls()]

    def preview_view(self, request, pk):
        """The article as readers will see it, drafts and scheduled ones included."""
        if not self.get_queryset(request).filter(pk=pk).exists():  # writers: only what they may see
            raise Http404("No such article.")
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return render_article(request, {"pk": article.pk}, preview=True)

    @admin.display(description="State", ordering="status")
    def state(self, article):
        modifier = article.status if article.status != Article.Status.PUBLISHED else article.state_label.lower()
        label = format_html('<span class="newsroom-state newsroom-state--{}">{}</span>', modifier, article.state_label)
        change = getattr(article, "pending_change", None)
        if change is not None:
            waiting = "change waiting for review" if change.waiting else "change sent back"
            label = format_html('{} <span class="newsroom-state newsroom-state--change">{}</span>', label, waiting)
        return label

    @admin.display(description="Preview")
    def preview_link(self, article):
        if not article.pk:
            return "Save the article to preview it."
        return format_html('<a href="{}" target="_blank">See it as readers will</a>', self.view_on_site(article))

    def _apply(self, request, queryset, step, done: str):
        changed = sum(bool(step(article=article, user=request.user)) for article in queryset)
        self.message_user(request, f"{done} {changed} article(s).", messages.SUCCESS)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset.filter(status=Article.Status.DRAFT), workflow.submit, "Submitted")

    @admin.action(description="Send selected articles in review back to draft", permissions=["publish"])
    def send_back(self, request, queryset):
        self._apply(request, queryset.filter(status=Article.Status.REVIEW), workflow.send_back, "Sent back")

    @admin.action(description="Publish selected articles (or their pending changes) now", permissions=["publish"])
    def publish(self, request, queryset):
        def publish_article_or_change(*, article, user):
            if hasattr(article, "pending_change"):
                return pending.publish(article=article, user=user)
            if article.status != Article.Status.PUBLISHED:
                return workflow.publish_now(article=article, user=user)
            return []

        self._apply(request, queryset.select_related("pending_change"), publish_article_or_change, "Published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(request, queryset.filter(status=Article.Status.PUBLISHED), workflow.unpublish, "Unpublished")

    def has_publish_permission(self, request):
        return workflow.may_publish(request.user)
