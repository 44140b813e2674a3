"""The admin's legacy import page and post-import review page."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from articles import workflow
from articles.importing import ImportOptions, import_paths
from articles.importing.review import articles_needing_review, failed_files, record_run
from articles.importing.uploads import UploadError, unpack


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class LegacyImportForm(forms.Form):
    files = MultipleFileField(
        help_text="Front-matter files (.md, .markdown, .txt, .html) or a .zip of a folder of them, "
        "pictures included (site-relative image paths are looked up inside the .zip)."
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, help_text="Check everything and show the report; save nothing."
    )
    legacy_url_pattern = forms.CharField(
        required=False,
        initial=settings.NEWSROOM_LEGACY_URL_PATTERN,
        help_text="Old address of a post: {filename} is its name without extension, {path} its path in the .zip.",
    )
    legacy_base_url = forms.URLField(
        required=False, assume_scheme="https", help_text="The old site, to make its site-relative links absolute."
    )
    overwrite = forms.BooleanField(required=False, help_text="Replace articles that were edited since their import.")


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = LegacyImportForm(request.POST or None, request.FILES or None)
    context = {**model_admin.admin_site.each_context(request), "title": "Import legacy files", "form": form}
    if request.method == "POST" and form.is_valid():
        may_publish = workflow.may_publish(request.user)  # writers' imports arrive as drafts
        with tempfile.TemporaryDirectory(prefix="newsroom-import-") as folder:
            root = Path(folder)
            try:
                context["upload_warnings"] = unpack(form.cleaned_data["files"], root)
            except UploadError as error:
                form.add_error("files", str(error))
                return TemplateResponse(request, "admin/articles/import.html", context)
            options = ImportOptions(
                dry_run=form.cleaned_data["dry_run"],
                images_dir=root,
                legacy_url_pattern=form.cleaned_data["legacy_url_pattern"],
                legacy_base_url=form.cleaned_data["legacy_base_url"],
                overwrite=form.cleaned_data["overwrite"],
                as_drafts=not may_publish,
            )
            report = import_paths([root], options)
            for result in report.files:  # show paths inside the upload, not the temporary folder
                result.path = Path(result.path).relative_to(root).as_posix()
        names = ", ".join(upload.name for upload in form.cleaned_data["files"])
        record_run(report, source=f"admin upload: {names}", dry_run=options.dry_run, user=request.user)
        context.update(report=report, counts=report.counts, dry_run=options.dry_run, as_drafts=not may_publish)
    return TemplateResponse(request, "admin/articles/import.html", context)


def review_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Imported articles to review",
        "findings": articles_needing_review(),
        "failures": failed_files(),
    }
    return TemplateResponse(request, "admin/articles/import_review.html", context)
