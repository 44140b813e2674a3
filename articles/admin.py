"""The editorial tool: Django's admin, extended rather than replaced."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from articles import admin_import
from articles.forms import ArticleAdminForm, ImageAdminForm
from articles.images import create_image, read_upload
from articles.models import Article, ArticleFigure, Image, ImportRun, Keyword, Redirect, Section

PUBLISH_PERMISSION = "articles.publish_article"


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
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Live")]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.exclude(status=Article.Status.PUBLISHED)
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
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["list_thumbnail", "title", "state", "publish_at", "section", "byline", "updated_at"]
    list_display_links = ["list_thumbnail", "title"]
    list_filter = [StateFilter, "status", "section"]
    list_select_related = ["section", "lead_image"]
    search_fields = ["title", "standfirst", "byline", "slug"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["lead_image", "keywords", "section"]
    inlines = [ArticleFigureInline]
    actions = ["publish", "unpublish"]
    readonly_fields = ["preview_link", "created_at", "updated_at", "source_path", "legacy_url"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "byline", "body"]}),
        ("Lead image", {"fields": ["lead_image", "lead_caption"]}),
        ("Publishing", {"fields": ["status", "publish_at", "section", "keywords", "preview_link"]}),
        (
            "History",
            {"classes": ["collapse"], "fields": ["created_at", "updated_at", "source_path", "legacy_url"]},
        ),
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(PUBLISH_PERMISSION):
            fields.append("status")
        return fields

    def save_model(self, request, obj, form, change):
        if not request.user.has_perm(PUBLISH_PERMISSION):
            # Enforced here as well as by the read-only field: a forged POST cannot publish.
            obj.status = (
                Article.objects.filter(pk=obj.pk).values_list("status", flat=True).first()
                if change
                else Article.Status.DRAFT
            ) or Article.Status.DRAFT
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_live else reverse("admin:articles_article_preview", args=[obj.pk])

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(lambda request, **kwargs: function(self, request, **kwargs))

        return [
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="articles_article_preview"),
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

    @admin.display(description="Image")
    def list_thumbnail(self, article):
        return thumbnail(article.lead_image)

    @admin.display(description="State", ordering="status")
    def state(self, article):
        return format_html(
            '<span class="newsroom-state newsroom-state--{}">{}</span>',
            article.state_label.lower(),
            article.state_label,
        )

    @admin.display(description="Preview")
    def preview_link(self, article):
        if not article.pk:
            return "Save the article to preview it."
        return format_html('<a href="{}" target="_blank">See it as readers will</a>', self.view_on_site(article))

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        updated = 0
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            article.status = Article.Status.PUBLISHED
            article.publish_at = article.publish_at or timezone.now()
            article.save()
            updated += 1
        self.message_user(request, f"Published {updated} article(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected articles", permissions=["publish"])
    def unpublish(self, request, queryset):
        updated = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            article.status = Article.Status.DRAFT
            article.save()
            updated += 1
        self.message_user(request, f"Unpublished {updated} article(s).", messages.SUCCESS)

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["list_thumbnail", "name", "alt_text", "credit", "dimensions", "use_count", "created_at"]
    list_display_links = ["list_thumbnail", "name"]
    search_fields = ["alt_text", "credit", "copyright", "source_url", "file"]
    readonly_fields = ["large_preview", "dimensions", "checksum", "used_in", "created_at", "uploaded_by"]
    fields = [
        "large_preview",
        "file",
        "source_url",
        "alt_text",
        "credit",
        "copyright",
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        upload = path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_image_upload")
        return [upload, *super().get_urls()]

    @admin.display(description="Picture")
    def list_thumbnail(self, image):
        return thumbnail(image)

    @admin.display(description="Preview")
    def large_preview(self, image):
        return thumbnail(image, size=320) if image.pk else "—"

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
