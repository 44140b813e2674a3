"""The picture library in the admin: checked uploads (one, many, from the editor), the focal point
picker and crops, and deletion refused while an article shows the picture.

The rules live in images/ingest.py (upload checks), images/staging.py (uploading many with alt text)
and Image.objects.in_use(); these are thin views over them.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ProtectedError
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from articles.admin.forms import DescribeFormSet, ImageAdminForm, UploadManyForm
from articles.admin.people import user_name
from articles.editorial import workflow
from articles.images import staging
from articles.images.decode import STORAGE_ERRORS, read_upload, storage_failure_message
from articles.images.ingest import create_image
from articles.images.renditions import generate_renditions
from articles.models import Article, Image

CROP_FIELDS = {"focal_x", "focal_y", "crop_card", "crop_social"}


def thumbnail(image, size=64):
    if image is None:
        return "—"
    return format_html(
        '<img src="{}" alt="" class="newsroom-thumb" width="{}" height="{}" loading="lazy">',
        image.url,
        size,
        round(size * 2 / 3),
    )


def article_links(articles) -> str:
    """Links to these articles' change pages, comma-separated."""
    return format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:articles_article_change", args=[a.pk]), a.title) for a in articles),
    )


def in_use_message(images) -> str:
    """Why these pictures stay: which articles use them, linked, so the editor can go and change them."""
    parts = [
        format_html("“{}” is used in {}", image, article_links(Article.objects.showing_image(image)))
        for image in images
    ]
    return format_html(
        "Not deleted: {}. A picture an article shows cannot be deleted; remove it from those articles first.",
        format_html_join("; ", "{}", ((part,) for part in parts)),
    )


@admin.action(description=django_delete_selected.short_description, permissions=["delete"])
def delete_selected(model_admin, request, queryset):
    """The bulk delete action, under Django's name (its confirmation page posts that name back):
    nothing is deleted while any selected picture is in use."""
    used = list(queryset.in_use())
    if used:
        messages.error(request, in_use_message(used))
        return None
    try:
        return django_delete_selected(model_admin, request, queryset)
    except ProtectedError:  # an article started using one after the check above
        messages.error(request, in_use_message(list(queryset.in_use())))
        return None


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    list_display = ["list_thumbnail", "name", "alt_text", "credit", "dimensions", "use_count", "created_at"]
    list_display_links = ["list_thumbnail", "name"]
    search_fields = ["alt_text", "credit", "copyright", "source_url", "file"]
    readonly_fields = ["large_preview", "dimensions", "checksum", "used_in", "created_at", "uploaded_by_name"]
    actions = [delete_selected]  # replaces Django's: refuses pictures in use
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
        "uploaded_by_name",
        "created_at",
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    def has_change_permission(self, request, obj=None):
        # A picture a published article shows: its alt text, credit, file and crops are what readers
        # see, so only someone who may publish changes them (writers get the form read-only).
        if obj is not None and not workflow.may_publish(request.user):
            published = Article.objects.filter(status=Article.Status.PUBLISHED).showing_image(obj)
            if published.exists():
                return False
        return super().has_change_permission(request, obj)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                lead_count=Count("lead_articles", distinct=True), figure_count=Count("figure_uses", distinct=True)
            )
            .order_by(*self.model._meta.ordering)  # annotate() drops Meta.ordering; autocomplete pages need one
        )

    def get_urls(self):
        return [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="articles_image_upload"),
            path("upload-many/", self.admin_site.admin_view(self.upload_many_view), name="articles_image_upload_many"),
            path(
                "upload-many/describe/", self.admin_site.admin_view(self.describe_view), name="articles_image_describe"
            ),
            path(
                "upload-many/staged/<str:key>/",
                self.admin_site.admin_view(self.staged_picture_view),
                name="articles_image_staged",
            ),
            *super().get_urls(),
        ]

    # --- Saving: an upload of a picture already stored reuses that row -----------------------

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
        if change and obj.file and CROP_FIELDS & set(form.changed_data):
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

    # --- Deleting: refused while an article shows the picture ----------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        if image is not None and not self.has_delete_permission(request, image):
            raise PermissionDenied  # before the refusal below says where the picture is used
        refused = self.refuse_deletion(request, image)
        if refused is not None:
            return refused
        try:
            return super().delete_view(request, object_id, extra_context)
        except ProtectedError:  # an article started using it after the check above
            return self.refuse_deletion(request, image)

    @staticmethod
    def refuse_deletion(request, image: Image | None):
        """A redirect with a message saying where the picture is used, or None when it may be deleted."""
        if image is None or not Image.objects.filter(pk=image.pk).in_use().exists():
            return None
        messages.error(request, in_use_message([image]))
        return HttpResponseRedirect(reverse("admin:articles_image_change", args=[image.pk]))

    # --- Columns and read-only fields -----------------------------------------------------------

    @admin.display(description="Picture")
    def list_thumbnail(self, image):
        return thumbnail(image)

    @admin.display(description="Preview and focal point")
    def large_preview(self, image):
        """The picture with a marker on its focal point; clicking moves it (static/articles/focal_point.js)."""
        if not image.pk or not image.url:
            return "—"
        return format_html(
            '<div class="newsroom-focal" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="" class="newsroom-focal__picture" width="{}" height="{}">'
            '<span class="newsroom-focal__marker" hidden></span></div>'
            '<div class="help newsroom-focal__help">Click the subject of the picture: crops keep that point in frame. '
            '<button type="button" class="button newsroom-focal__clear">Clear the focal point</button></div>',
            "" if image.focal_x is None else image.focal_x,
            "" if image.focal_y is None else image.focal_y,
            image.url,
            image.width or 320,
            image.height or 213,
        )

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
        return article_links(Article.objects.showing_image(image)) or "Not used yet."

    @admin.display(description="Uploaded by")
    def uploaded_by_name(self, image):
        return user_name(image.uploaded_by)

    # --- The editor's upload endpoint ---------------------------------------------------------------

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

    # --- Uploading many: choose files, then describe each (images/staging.py) -------------------

    def upload_many_view(self, request):
        """Step one: choose files; known pictures are reused, new ones parked until described."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadManyForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = staging.stage(form.cleaned_data["files"], session=request.session)
            except STORAGE_ERRORS as error:
                form.add_error("files", storage_failure_message(error))
            else:
                self._tell_staged(request, result)
                target = "admin:articles_image_describe" if result.staged else "admin:articles_image_changelist"
                return HttpResponseRedirect(reverse(target))
        context = {
            **self.admin_site.each_context(request),
            "opts": Image._meta,
            "title": "Upload pictures",
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/image/upload_many.html", context)

    @staticmethod
    def _tell_staged(request, result: staging.StageResult) -> None:
        for name, image in result.reused:
            messages.info(
                request,
                format_html(
                    '{} is already in the library as <a href="{}">{}</a>: that one is reused.',
                    name,
                    reverse("admin:articles_image_change", args=[image.pk]),
                    image,
                ),
            )
        for name, reason in result.refused:
            messages.error(request, f"{name} was not added: {reason}.")

    def staged_picture_view(self, request, key):
        """A parked picture, shown only to the person describing it (it is in their session)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        found = staging.staged_file(request.session, key)
        if found is None:
            raise Http404("No such picture waiting to be described.")
        item, parked = found
        response = FileResponse(parked, content_type=item.content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    def describe_view(self, request):
        """Step two: alt text (required), credit and copyright for each new picture; then they are stored."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        staged = staging.staged(request.session)
        if request.method == "POST" and "_cancel" in request.POST:
            staging.discard(request.session)
            messages.info(request, "Nothing was added.")
            return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
        if not staged:
            return HttpResponseRedirect(reverse("admin:articles_image_upload_many"))
        initial = [{"key": item.key, "credit": item.credit, "copyright": item.copyright} for item in staged]
        formset = DescribeFormSet(request.POST or None, initial=initial)
        if request.method == "POST" and formset.is_valid():
            try:
                images = staging.store(request.session, formset.cleaned_data, user=request.user)
            except STORAGE_ERRORS as error:
                messages.error(request, storage_failure_message(error))
            else:
                messages.success(request, f"Added {len(images)} picture(s) to the library.")
                return HttpResponseRedirect(reverse("admin:articles_image_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": Image._meta,
            "title": "Describe the new pictures",
            "formset": formset,
            "rows": list(zip(staged, formset.forms, strict=False)),
        }
        return TemplateResponse(request, "admin/articles/image/describe.html", context)
