"""The picture library's list and the picture chooser, which is the same list opened in a popup.

The changelist shows a grid of thumbnails (?view=grid, the chooser's default) or the table; its
filters find unused pictures, pictures missing alt text and one's own uploads. ImageChooserWidget
puts a picture (thumbnail and label) on a form with a button that opens the list as a popup, like
Django's raw_id_fields (`_popup=1`, `_to_field`); static/articles/image_chooser.js updates the
thumbnail after a pick. The editor's image dialog opens the same popup (CKEditor's "Browse Server").
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget, RelatedFieldWidgetWrapper
from django.template.loader import render_to_string
from django.urls import reverse

from articles.admin.bad_input import DateCheckedChangeList, is_key
from articles.images.html import renditions_of
from articles.images.renditions import WEBP
from articles.models import Image

LAYOUT_VAR = "view"
LAYOUTS = ("grid", "list")
# What CKEditor 4 adds to its file browser's address (filebrowserImageBrowseUrl).
CKEDITOR_VARS = ("CKEditor", "CKEditorFuncNum", "langCode")


def thumbnail_url(image: Image) -> str:
    """The narrowest WebP rendition of the whole picture, else the picture itself."""
    sizes = renditions_of(image, fmt=WEBP) if image.file else []
    return sizes[0].url if sizes else image.url


class UseFilter(admin.SimpleListFilter):
    title = "use"
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", "Not used by any article"), ("used", "Used by an article")]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.filter(pk__in=Image.objects.unused().values("pk"))
        if self.value() == "used":
            return queryset.filter(pk__in=Image.objects.in_use().values("pk"))
        return queryset


class AltTextFilter(admin.SimpleListFilter):
    title = "alt text"
    parameter_name = "alt"

    def lookups(self, request, model_admin):
        return [("missing", "Missing"), ("decorative", "Decorative (empty on purpose)"), ("given", "Given")]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(pk__in=Image.objects.missing_alt_text().values("pk"))
        if self.value() == "decorative":
            return queryset.filter(decorative=True)
        if self.value() == "given":
            return queryset.exclude(alt_text="")
        return queryset


class UploaderFilter(admin.SimpleListFilter):
    title = "uploader"
    parameter_name = "uploader"

    def lookups(self, request, model_admin):
        return [("me", "Me")]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(uploaded_by=request.user)
        return queryset


class UploadDateFilter(admin.DateFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "date uploaded"


class ImageChangeList(DateCheckedChangeList):
    """The admin's changelist, laid out as a grid or a table, and usable as CKEditor's file browser."""

    def __init__(self, request, *args, **kwargs):
        requested = request.GET.get(LAYOUT_VAR)
        # Only ever a number: it names the editor's callback, and is written into the page.
        number = request.GET.get("CKEditorFuncNum", "")
        self.ckeditor_function = number if number.isdigit() and len(number) < 10 else ""
        popup = "_popup" in request.GET
        self.layout = requested if requested in LAYOUTS else ("grid" if popup else "list")
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        for name in (LAYOUT_VAR, *CKEDITOR_VARS):
            lookup_params.pop(name, None)
        return lookup_params

    @property
    def grid_url(self) -> str:
        return self.get_query_string({LAYOUT_VAR: "grid"})

    @property
    def list_url(self) -> str:
        return self.get_query_string({LAYOUT_VAR: "list"})

    def tiles(self):
        """What the grid shows of each picture on this page."""
        for image in self.result_list:
            yield {
                "image": image,
                "thumbnail": thumbnail_url(image),
                "label": image.label,
                "change_url": reverse("admin:articles_image_change", args=[image.pk]),
                "pick_value": getattr(image, self.to_field or "pk", image.pk),
                "missing_alt": not image.alt_text and not image.decorative,
                "uses": image.lead_count + image.figure_count,
            }


class ImageChooserWidget(ForeignKeyRawIdWidget):
    """A picture on a form: its thumbnail and label, a button to open the chooser, one to clear it."""

    template_name = "admin/articles/image/chooser_widget.html"

    def __init__(self, rel, admin_site, attrs=None, using=None):
        super().__init__(rel, admin_site, attrs={"class": "newsroom-chooser__value", **(attrs or {})}, using=using)

    class Media:
        js = ["articles/image_chooser.js"]
        css = {"all": ["articles/admin.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine: the form renderer's does not see templates/.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))

    def label_and_url_for_value(self, value):
        self.chosen = self.chosen_image(value)
        if self.chosen is None:
            return "", ""
        return self.chosen.label, reverse("admin:articles_image_change", args=[self.chosen.pk])

    @staticmethod
    def chosen_image(value) -> Image | None:
        if value in (None, "") or not is_key(Image._meta.pk, value):
            return None
        return Image.objects.filter(pk=value).first()

    def get_context(self, name, value, attrs):
        self.chosen = None
        context = super().get_context(name, value, attrs)
        context["widget"]["type"] = "hidden"
        context["chosen_thumbnail"] = thumbnail_url(self.chosen) if self.chosen else ""
        context["summary_url"] = reverse("admin:articles_image_summary")
        return context


class ImageChoosers:
    """A ModelAdmin mixin: the foreign keys to Image named in image_choosers use ImageChooserWidget."""

    image_choosers: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.image_choosers:
            kwargs["widget"] = ImageChooserWidget(db_field.remote_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        wrapper = getattr(formfield, "widget", None)
        if db_field.name in self.image_choosers and isinstance(wrapper, RelatedFieldWidgetWrapper):
            # Keep the admin's "+" (a new picture, alt text required); the chooser links the chosen one.
            wrapper.can_change_related = wrapper.can_delete_related = wrapper.can_view_related = False
        return formfield
