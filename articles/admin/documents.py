"""The documents library in the admin: a list, an add form, and the editor's Link dialog upload.
The checks are in documents/checks.py; every upload path goes through documents/library.py."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from articles.admin.bad_input import BadInputAdminMixin
from articles.admin.people import user_name
from articles.documents.library import store_document
from articles.images.decode import STORAGE_ERRORS
from articles.models import Document


class DocumentAddForm(forms.ModelForm):
    upload = forms.FileField(
        label="File", help_text="PDF, Word, Excel, PowerPoint or OpenDocument; checked by its content."
    )

    class Meta:
        model = Document
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "What readers are told the link opens. Empty: the file's name."

    user = None  # DocumentAdmin.get_form() sets it

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None and not self.errors:
            try:  # stored here, so a refusal is a form error and nothing is written
                self.stored = store_document(upload=upload, user=self.user, title=cleaned.get("title", ""))
            except ValidationError as error:
                self.add_error("upload", error)
        return cleaned

    def save(self, commit=True):
        self.save_m2m = lambda: None  # nothing many-to-many; the admin calls it
        return self.stored


@admin.register(Document)
class DocumentAdmin(BadInputAdminMixin, admin.ModelAdmin):
    list_display = ["title", "original_name", "kind", "file_size", "uploaded_at", "uploaded_by_name"]
    search_fields = ["title", "original_name"]
    date_hierarchy = "uploaded_at"
    fields = ["title", "link", "original_name", "kind", "file_size", "uploaded_at", "uploaded_by_name"]
    readonly_fields = ["link", "original_name", "kind", "file_size", "uploaded_at", "uploaded_by_name"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = DocumentAddForm
            kwargs["fields"] = ["title"]
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def get_fields(self, request, obj=None):
        return ["title", "upload"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:  # a new one was stored by its form
            super().save_model(request, obj, form, change)

    @admin.display(description="File")
    def link(self, document):
        return format_html('<a href="{0}" target="_blank" rel="noreferrer">{0}</a>', document.url)

    @admin.display(description="Type", ordering="extension")
    def kind(self, document):
        return document.extension.upper()

    @admin.display(description="Size", ordering="size")
    def file_size(self, document):
        return filesizeformat(document.size)

    @admin.display(description="Uploaded by")
    def uploaded_by_name(self, document):
        return user_name(document.uploaded_by)

    def get_urls(self):
        upload = self.admin_site.admin_view(require_POST(self.upload_view))
        return [path("upload/", upload, name="articles_document_upload"), *super().get_urls()]

    def upload_view(self, request):
        """The Link dialog's upload (CKEditor 4's JSON answer): staff with permission, CSRF-checked."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        upload = request.FILES.get("upload")
        if upload is None:
            return upload_result(message="No file was sent.")
        try:
            document = store_document(upload=upload, user=request.user)
        except ValidationError as error:
            return upload_result(message=" ".join(error.messages))
        except STORAGE_ERRORS as error:
            return upload_result(message=f"Could not store the document ({type(error).__name__}); try again later.")
        return upload_result(url=document.url, name=document.original_name)


def upload_result(*, url="", message="", name=""):
    # CKEditor 4 shows error.message only on a 200 answer, so refusals are 200s too.
    if message:
        return JsonResponse({"uploaded": 0, "error": {"message": message}})
    return JsonResponse({"uploaded": 1, "fileName": name, "url": url})
