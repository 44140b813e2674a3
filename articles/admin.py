"""The editorial tool: Django's admin, extended rather than replaced."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ProtectedError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST
from reversion.admin import VersionAdmin

from articles import admin_images, admin_import, admin_workflow, workflow
from articles.forms import ArticleAdminForm, ImageAdminForm
from articles.images import STORAGE_ERRORS, create_image, read_upload, storage_failure_message
from articles.models import Article, ArticleFigure, Image, ImportRun, Keyword, Redirect, Section
from articles.renditions import generate_renditions


def thumbnail(image, size=64):
    if image is None:
        return "—"
    return format_html(
        '<img src="{}" alt="" class="newsroom-thumb" width="{}" height="{}" loading="lazy">',
        image.url,
        size,
        round(size * 2 / 3),
    )


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("review", "In review"), ("scheduled", "Scheduled"), ("live", "Live")]

    def queryset(self, request, queryset):
        if self.value() in ("draft", "review"):
            return queryset.filter(status=self.value())
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "live":
            return queryset.published()
        return queryset


class ArticleFigureInline(admin.TabularInline):
    """Inline figures as the body has them; edit them in the body, not here."""

    model = ArticleFigure
    fields = ["position", "picture", "image", "caption"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = "inline figure (from the body)"
    verbose_name_plural = "inline figures (derived from the body on save)"

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Picture")
    def picture(self, figure):
        return thumbnail(figure.image)


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    form = ArticleAdminForm
    list_display = ["list_thumbnail", "title", "state", "publish_at", "section", "byline", "updated_at"]
    list_display_links = ["list_thumbnail", "title"]
    list_filter = [StateFilter, "section"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["title", "standfirst", "byline", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_image", "keywords", "section"]
    inlines = [ArticleFigureInline, admin_workflow.ArticleEventInline]
    actions = ["submit_for_review", "send_back", "publish", "unpublish", "delete_selected"]
    readonly_fields = ["preview_link", "share_link", "created_at", "updated_at", "source_path", "legacy_url"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "byline", "body", "loaded_version"]}),
        ("Lead image", {"fields": ["lead_image", "lead_caption"]}),
        ("Publishing", {"fields": ["status", "publish_at", "section", "keywords", "preview_link", "share_link"]}),
        (
            "History",
            {"classes": ["collapse"], "fields": ["created_at", "updated_at", "source_path", "legacy_url"]},
        ),
    ]
    # django-reversion's VersionAdmin brings its own templates; keep ours (import links, compare).
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    history_latest_first = True

    class Media:
        css = {"all": ["articles/admin.css"]}
        # On the change form it keeps unsaved text; on the list it forgets text the admin confirms saved.
        js = ["articles/autosave.js"]

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
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
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
        events = workflow.save(
            article=obj,
            user=request.user,
            loaded_version=form.cleaned_data.get("loaded_version"),
            recovered=request.resolver_match.url_name == "articles_article_recover",
        )
        for event in events:
            self.message_user(request, f"{event.get_action_display()}: “{obj.title}”. {event.note}".strip())

    def delete_model(self, request, obj):
        workflow.delete(article=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            workflow.delete(article=article, user=request.user)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else reverse("admin:articles_article_preview", args=[obj.pk])

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kwargs: function(self, request, **kwargs))

        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="articles_article_preview"),
            path(
                "<int:object_id>/history/compare/", view(admin_workflow.compare_view), name="articles_article_compare"
            ),
            path("import/", view(admin_import.import_view), name="articles_article_import"),
            path("import/review/", view(admin_import.review_view), name="articles_article_import_review"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """The article as readers will see it, drafts and scheduled ones included."""
        article = get_object_or_404(Article.objects.for_detail(), pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return TemplateResponse(request, "articles/article_detail.html", {"article": article, "preview": True})

    def history_view(self, request, object_id, extra_context=None):
        # Not an id: Django's own view says there is no such article.
        pk = admin_workflow.article_pk(object_id)
        context = {**(admin_workflow.history_context(pk) if pk else {}), **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def changelist_view(self, request, extra_context=None):
        context = {"may_recover": workflow.may_publish(request.user), **(extra_context or {})}
        return super().changelist_view(request, context)

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

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Replaces django-reversion's, which reverts with a raw save (no sanitiser,
        # no figure rows, an old version number) before showing the form.
        return admin_workflow.revision_view(self, request, object_id, version_id)

    @admin.display(description="Image")
    def list_thumbnail(self, article):
        return thumbnail(article.lead_image)

    @admin.display(description="State", ordering="status")
    def state(self, article):
        modifier = article.status if article.status != Article.Status.PUBLISHED else article.state_label.lower()
        return format_html('<span class="newsroom-state newsroom-state--{}">{}</span>', modifier, article.state_label)

    @admin.display(description="Preview")
    def preview_link(self, article):
        if not article.pk:
            return "Save the article to preview it."
        return format_html('<a href="{}" target="_blank">See it as readers will</a>', self.view_on_site(article))

    @admin.display(description="Share")
    def share_link(self, article):
        return admin_workflow.share_link(article)

    def _apply(self, request, queryset, step, done: str):
        changed = sum(bool(step(article=article, user=request.user)) for article in queryset)
        self.message_user(request, f"{done} {changed} article(s).", messages.SUCCESS)

    @admin.action(description="Submit selected drafts for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._apply(request, queryset.filter(status=Article.Status.DRAFT), workflow.submit, "Submitted")

    @admin.action(description="Send selected articles in review back to draft", permissions=["publish"])
    def send_back(self, request, queryset):
        self._apply(request, queryset.filter(status=Article.Status.REVIEW), workflow.send_back, "Sent back")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        self._apply(request, queryset.exclude(status=Article.Status.PUBLISHED), workflow.publish_now, "Published")

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(request, queryset.filter(status=Article.Status.PUBLISHED), workflow.unpublish, "Unpublished")

    def has_publish_permission(self, request):
        return workflow.may_publish(request.user)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["list_thumbnail", "name", "alt_text", "credit", "dimensions", "use_count", "created_at"]
    list_display_links = ["list_thumbnail", "name"]
    search_fields = ["alt_text", "credit", "copyright", "source_url", "file"]
    readonly_fields = ["large_preview", "dimensions", "checksum", "used_in", "created_at", "uploaded_by"]
    actions = [admin_images.delete_selected]  # replaces Django's: refuses pictures in use
    fields = [
        "large_preview",
        "focal_x",
        "focal_y",
        "file",
        "source_url",
        "alt_text",
        "credit",
        "copyright",
        "crop_card",
        "crop_social",
        "dimensions",
        "checksum",
        "used_in",
        "uploaded_by",
        "created_at",
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                lead_count=Count("lead_articles", distinct=True), figure_count=Count("figure_uses", distinct=True)
            )
            .order_by(*self.model._meta.ordering)  # annotate() drops Meta.ordering; autocomplete pages need one
        )

    def save_form(self, request, form, change):
        if form.duplicate is not None and not change:
            form.duplicate.reused = True  # the same picture is stored already: use that row
            return form.duplicate
        return super().save_form(request, form, change)

    def save_model(self, request, obj, form, change):
        if getattr(obj, "reused", False):
            return
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)
        crop_fields = {"focal_x", "focal_y", "crop_card", "crop_social"}
        if change and obj.file and crop_fields & set(form.changed_data):
            generate_renditions(obj)  # crops follow the new focal point or explicit crop

    def save_related(self, request, form, formsets, change):
        if not getattr(form.instance, "reused", False) and not getattr(form.duplicate, "reused", False):
            super().save_related(request, form, formsets, change)

    def log_addition(self, request, obj, message):
        if not getattr(obj, "reused", False):
            super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "reused", False):
            self.message_user(
                request,
                f"This picture is already in the library as “{obj}”; that one is reused, nothing new was stored.",
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:articles_image_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        refused = admin_images.refuse_deletion(request, image)
        if refused is not None:
            return refused
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:  # an article started using it after the check above
            return admin_images.refuse_deletion(request, image)

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kwargs: function(self, request, **kwargs))

        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_image_upload"),
            path("upload-many/", view(admin_images.upload_many_view), name="articles_image_upload_many"),
            path("upload-many/describe/", view(admin_images.describe_view), name="articles_image_describe"),
            *super().get_urls(),
        ]

    @admin.display(description="Picture")
    def list_thumbnail(self, image):
        return thumbnail(image)

    @admin.display(description="Preview and focal point")
    def large_preview(self, image):
        return admin_images.focal_picker(image)

    @admin.display(description="Size")
    def dimensions(self, image):
        return f"{image.width} × {image.height}" if image.width and image.height else "unknown"

    @admin.display(description="Uses")
    def use_count(self, image):
        return image.lead_count + image.figure_count

    @admin.display(description="Used in")
    def used_in(self, image):
        if not image.pk:
            return "—"
        articles = Article.objects.filter(pk__in=image.lead_articles.values("pk")) | Article.objects.filter(
            figures__image=image
        )
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in articles.distinct()),
        )
        return links or "Not used yet."

    @staticmethod
    def upload_result(*, url="", message="", name=""):
        # CKEditor 4 shows `error.message` only on a 200 answer; any other
        # status becomes a generic "HTTP error", so refusals are 200s too.
        if message:
            return JsonResponse({"uploaded": 0, "error": {"message": message}})
        return JsonResponse({"uploaded": 1, "fileName": name, "url": url})

    def upload_view(self, request):
        """The editor's image upload: staff with permission, CSRF-checked (admin_view)."""
        return require_POST(self._upload)(request)

    def _upload(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        upload = request.FILES.get("upload")
        if upload is None:
            return self.upload_result(message="No file was sent.")
        try:
            image = create_image(data=read_upload(upload), uploaded_by=request.user)
        except ValidationError as error:
            return self.upload_result(message=" ".join(error.messages))
        except STORAGE_ERRORS as error:
            return self.upload_result(message=storage_failure_message(error))
        return self.upload_result(url=image.url, name=image.name)


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # annotate() drops Meta.ordering; autocomplete pages need one.
        return (
            super().get_queryset(request).annotate(article_count=Count("articles")).order_by(*self.model._meta.ordering)
        )

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, keyword):
        return keyword.article_count


@admin.register(Section)
class SectionAdmin(KeywordAdmin):
    list_display = ["name", "slug", "position", "article_count"]
    list_editable = ["position"]


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "target", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_path", "new_url", "article__title"]
    autocomplete_fields = ["article"]

    @admin.display(description="Goes to")
    def target(self, redirect):
        return redirect.target_url


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """A read-only log of imports and their reports."""

    list_display = ["created_at", "source", "dry_run", "started_by", "summary"]
    list_filter = ["dry_run"]
    readonly_fields = ["created_at", "source", "dry_run", "started_by", "report"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Counts")
    def summary(self, run):
        return ", ".join(f"{name} {count}" for name, count in run.counts.items())
