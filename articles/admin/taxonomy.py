"""Keywords, sections, authors and redirects in the admin: what readers browse by, and old addresses."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count

from articles.admin.bad_input import BadInputAdminMixin
from articles.admin.image_library import ImageChoosers
from articles.models import Author, Keyword, Redirect, Section


@admin.register(Keyword)
class KeywordAdmin(BadInputAdminMixin, admin.ModelAdmin):
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


@admin.register(Author)
class AuthorAdmin(ImageChoosers, KeywordAdmin):
    list_display = ["name", "role", "slug", "user", "article_count"]
    search_fields = ["name", "slug", "role"]
    image_choosers = ["photo"]  # a picture chooser with thumbnails (admin/image_library.py)
    fields = ["name", "slug", "role", "bio", "photo", "links", "user"]
    list_select_related = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":  # a plain list of staff: the user pages are the superusers' alone
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Redirect)
class RedirectAdmin(BadInputAdminMixin, admin.ModelAdmin):
    list_display = ["old_path", "target", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_path", "new_url", "article__title"]
    autocomplete_fields = ["article"]

    @admin.display(description="Goes to")
    def target(self, redirect):
        return redirect.target_url
