"""The article list's bulk change of section and keywords: an admin action with a form between
choosing the articles and changing them. The rules (who may change what, one revision per
article) are in editorial/bulk.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AutocompleteSelect
from django.template.response import TemplateResponse

from articles.admin.bad_input import KeyCheckedAutocompleteSelectMultiple, KeyCheckedMultipleChoiceField
from articles.editorial import bulk
from articles.models import Article, Keyword, Section

APPLY = "_apply_bulk_change"


class BulkChangeForm(forms.Form):
    section = forms.ModelChoiceField(
        Section.objects.all(),
        required=False,
        widget=AutocompleteSelect(Article._meta.get_field("section"), admin.site),
        help_text="Empty: each article keeps its section.",
    )
    add_keywords = KeyCheckedMultipleChoiceField(
        Keyword.objects.all(),
        required=False,
        widget=KeyCheckedAutocompleteSelectMultiple(Article._meta.get_field("keywords"), admin.site),
    )
    remove_keywords = KeyCheckedMultipleChoiceField(
        Keyword.objects.all(),
        required=False,
        widget=KeyCheckedAutocompleteSelectMultiple(Article._meta.get_field("keywords"), admin.site),
    )

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("section") or cleaned.get("add_keywords") or cleaned.get("remove_keywords")):
            raise forms.ValidationError("Choose a section, or keywords to add or remove.")
        return cleaned


def titles(articles) -> str:
    return ", ".join(f"“{article.title}”" for article in articles)


class BulkChangeAdminMixin:
    """The article admin's "Change section or keywords" action."""

    @admin.action(description="Change section or keywords of selected articles", permissions=["change"])
    def change_section_and_keywords(self, request, queryset):
        form = BulkChangeForm(request.POST if APPLY in request.POST else None)
        if form.is_bound and form.is_valid():
            result = bulk.change_section_and_keywords(
                article_ids=list(queryset.values_list("pk", flat=True)), user=request.user, **form.cleaned_data
            )
            self._report(request, result)
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": "Change section or keywords",
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            "articles": queryset.order_by("title"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "apply": APPLY,
            "may_publish": self.has_publish_permission(request),
        }
        return TemplateResponse(request, "admin/articles/article/bulk_change.html", context)

    def _report(self, request, result: bulk.BulkResult) -> None:
        if result.changed:
            self.message_user(request, f"Changed {len(result.changed)} article(s): {titles(result.changed)}.")
        if result.unchanged:
            self.message_user(request, f"Already so, not saved again: {titles(result.unchanged)}.", messages.INFO)
        for article, reason in result.refused:
            self.message_user(request, f"Not changed: “{article.title}”, {reason}.", messages.WARNING)
