"""Corrections and updates in the admin: editors publish them with a change (the article form, the
pending change's page) or here, and may amend or remove one; every amendment and removal is an
event on its article (editorial/corrections.py), so none is edited away silently."""

from __future__ import annotations

from django.contrib import admin

from articles.admin.bad_input import BadInputAdminMixin
from articles.admin.people import user_name
from articles.editorial import corrections
from articles.models import Correction


@admin.register(Correction)
class CorrectionAdmin(BadInputAdminMixin, admin.ModelAdmin):
    list_display = ["published_at", "kind", "article", "note", "author"]
    list_filter = ["kind"]
    list_select_related = ["article", "created_by"]
    search_fields = ["note", "article__title"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["article"]
    fields = ["article", "kind", "note", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj is not None else []  # moving a correction to another article: remove and add

    @admin.display(description="By")
    def author(self, correction):
        return user_name(correction.created_by)

    def save_model(self, request, obj, form, change):
        if not change:
            corrections.publish_new(obj, user=request.user)
            return
        before = Correction.objects.get(pk=obj.pk)
        obj.save()
        corrections.record_change(correction=obj, before=before, user=request.user)

    def delete_model(self, request, obj):
        corrections.record_removal(correction=obj, user=request.user)
        obj.delete()

    def delete_queryset(self, request, queryset):
        for correction in queryset:
            self.delete_model(request, correction)
